package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// TestVisitBatchListPages: the draws are a list like the others, counted,
// paged, sorted and filtered by month.
func TestVisitBatchListPages(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "vb.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	ctx := context.Background()
	first := domain.MustDate("2024-09-01")
	var cases []*domain.Case
	for i := 0; i < 22; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2024）鲁0102执%d号", i+1), domain.DefaultCaseTypes)
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate("2024-01-02"), ClosedOn: first.AddMonths(i).AddDays(9), ClosingMode: "执行完毕", Officer: "某人",
			Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}})
	}
	sys := domain.SystemViewer("t")
	if err := e.app.DB.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 22; i++ {
		if _, _, err := e.app.DB.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", first.AddMonths(i).String()[:7], visit.DefaultDrawRule()); err != nil {
			t.Fatal(err)
		}
	}
	cc := e.browser().loggedIn("vb.cc")
	r := cc.get("/visit-batches?size=20")
	if !strings.Contains(r.body, "共 22 条，第 1–20 条，第 1/2 页") || !strings.Contains(r.body, "<td>2026-06</td>") || strings.Contains(r.body, "<td>2024-09</td>") {
		t.Fatalf("page 1:\n%s", r.body)
	}
	r = cc.get("/visit-batches?size=20&page=2")
	if !strings.Contains(r.body, "<td>2024-09</td>") || !strings.Contains(r.body, "<td>2024-10</td>") || strings.Contains(r.body, "<td>2026-06</td>") {
		t.Fatalf("page 2:\n%s", r.body)
	}
	// Oldest month first, by its column.
	r = cc.get("/visit-batches?sort=month&size=20")
	if i := strings.Index(r.body, "<td>2024-09</td>"); i < 0 || i > strings.Index(r.body, "<td>2024-10</td>") {
		t.Fatal("sort=month is not the oldest first")
	}
	// One month, the filter shown in its box.
	r = cc.get("/visit-batches?month=2025-03")
	if !strings.Contains(r.body, "共 1 条") || !strings.Contains(r.body, `value="2025-03"`) || !strings.Contains(r.body, "全部月份") {
		t.Fatalf("month filter:\n%s", r.body)
	}
}

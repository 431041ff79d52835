package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestTrackingCandidatePages: the 候选 table pages over cases, not
// reasons (a case with two reasons is one row on one page), under its own
// c-prefixed names beside the tracking list.
func TestTrackingCandidatePages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	sys := domain.SystemViewer("t")
	testdb.AddUser(t, db, "tc.bur", "鲁0102", "执行局", domain.RoleBureau)
	var cases []*domain.Case
	for i := 1; i <= 25; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2026）鲁0102执%d号", i), domain.DefaultCaseTypes)
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: "某人", Department: "执行一庭",
			SocialImpact: true, PublicOpinion: i > 20})
	}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RefreshCandidates(ctx, sys, "鲁0102"); err != nil {
		t.Fatal(err)
	}
	got, info, err := db.CandidatePage(ctx, sys, store.CandidateFilter{}, store.PageReq{Page: 2, Size: 20, Sort: "case", Desc: true})
	if err != nil {
		t.Fatal(err)
	}
	if info.Total != 25 || info.Pages != 2 || len(got) != 5 {
		t.Fatalf("page 2: %+v, %d candidates", info, len(got))
	}
	// Case numbers descending as text ("执10号" < "执1号") end 执14号 … 执10号.
	if got[0].CaseNo != "（2026）鲁0102执14号" || got[4].CaseNo != "（2026）鲁0102执10号" {
		t.Errorf("page 2 holds %s … %s", got[0].CaseNo, got[4].CaseNo)
	}
	b := e.browser().loggedIn("tc.bur")
	r := b.get("/tracking?csize=20&cpage=2&csort=case")
	if !strings.Contains(r.body, "共 25 条，第 21–25 条，第 2/2 页") {
		t.Fatalf("candidates page 2:\n%s", r.body)
	}
	// Page 1 and page 2 together hold every case once, with both reasons
	// of a case on its one row.
	p1 := b.get("/tracking?csize=20&csort=case")
	for i := 1; i <= 25; i++ {
		n := fmt.Sprintf(">（2026）鲁0102执%d号<", i)
		if c := strings.Count(p1.body, n) + strings.Count(r.body, n); c != 3 {
			// Each case is on its candidates page once and in the
			// tracking list (its page 1, on both pages) twice.
			t.Errorf("%s: %d times", n, c)
		}
	}
	if !strings.Contains(p1.body+r.body, "有较大社会影响") || strings.Count(p1.body+r.body, "舆情") < 5 {
		t.Error("the reasons are missing")
	}
	if !strings.Contains(p1.body, `href="/tracking?cpage=2&amp;csize=20&amp;csort=case"`) {
		t.Errorf("the candidates' pager link is not c-prefixed:\n%s", p1.body)
	}
}

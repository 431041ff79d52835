package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestOverdueTripSaysSoOnce (issue 17): the header of a trip whose
// report is overdue says 报告逾期 once, as the status in a badge; it said
// it as a badge and again as the status.
func TestOverdueTripSaysSoOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	db.Now = func() time.Time { return time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing) }
	testdb.AddUser(t, db, "od.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), Officer: "测试od.off", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	off := e.browser().loggedIn("od.off")
	// A trip of early September, entered late (补登), never reported.
	r := off.post("/trips", url.Values{"cases": {"(2026)鲁0102执1号"}, "destination": {"青岛市市北区"}, "depart_at": {"2026-09-01T08:00"},
		"return_at": {"2026-09-02T18:00"}, "task": {"查封被执行人房产"}, "backfill": {"yes"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	page := off.get(r.header.Get("Location"))
	head := regexp.MustCompile(`(?s)<p class="page-sub">(.*?)</p>`).FindStringSubmatch(page.body)
	if head == nil || strings.Count(head[1], "报告逾期") != 1 || !strings.Contains(head[1], `<span class="badge badge-danger">报告逾期</span>`) {
		t.Errorf("the overdue trip's header: %q", head)
	}
}

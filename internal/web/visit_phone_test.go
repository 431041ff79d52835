package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// TestVisitPhoneCard: the visit page names whom to call with the masked
// number, the case link and the answers so far; the reveal gives the full
// number with a tel: link and is audited like the case page's; roles that
// may not reveal (or not see the visit: the case's own officer, even as
// bureau) never get the number.
func TestVisitPhoneCard(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	db := e.app.DB
	ctx := context.Background()
	testdb.AddUser(t, db, "vp.auditor", "鲁0102", "信息技术处", domain.RoleAuditor)
	testdb.AddUser(t, db, "vp.adm", "鲁0102", "信息技术处", domain.RoleAdmin)
	testdb.AddUser(t, db, "vp.own", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleBureau)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: "测试vp.own", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	path := fmt.Sprintf("/visits/%d", vs[0].ID)
	cc := e.browser().loggedIn("lx.cc")
	for _, form := range []url.Values{{"event": {"start"}}, {"event": {"sms_reply"}, "reply": {"不满意，钱还没拿到"}}} {
		if r := cc.post(path+"/events", form); r.status != http.StatusSeeOther {
			t.Fatalf("%v: %d", form, r.status)
		}
	}
	r := cc.get(path)
	for _, want := range []string{`id="visit-phone"`, "王芳（申请执行人）", "138****0001", fmt.Sprintf(`href="/cases/%d"`, k.ID), "不满意，钱还没拿到", "显示完整号码"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the phone-visit page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "13800000001") {
		t.Fatal("the full number is on the page before the reveal")
	}
	r = cc.post(path+"/phone", nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, `href="tel:13800000001"`) {
		t.Fatalf("reveal: %d, tel: link missing", r.status)
	}
	recs, err := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "phone.view"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || !strings.Contains(recs[0].Actor, "lx.cc") || !strings.Contains(recs[0].Detail, "王芳") {
		t.Fatalf("the reveal's audit record: %+v", recs)
	}
	// Those who may not reveal get neither the number nor the page.
	for _, u := range []string{"lx.officer", "vp.adm", "vp.auditor", "vp.own"} {
		b := e.browser().loggedIn(u)
		if r := b.post(path+"/phone", nil); r.status != http.StatusNotFound && r.status != http.StatusForbidden || strings.Contains(r.body, "13800000001") {
			t.Errorf("%s revealing: %d", u, r.status)
		}
		if r := b.get(path); strings.Contains(r.body, "138****0001") || strings.Contains(r.body, "13800000001") {
			t.Errorf("%s sees the party's number on the visit page", u)
		}
	}
	if recs, _ := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "phone.view"}); len(recs) != 1 {
		t.Errorf("refused reveals left %d phone.view records", len(recs)-1)
	}
}

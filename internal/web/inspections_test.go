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
	"github.com/zhilian/zhilian/internal/tracking"
)

// Issue 16, a campaign page by page: the bureau organises a case review
// (a group short of a body is refused beside its field, nothing saved),
// the group draws, the page shows the draw as verified and the checklist
// with its bases; the leader's to-do is on his home page; the bureau of a
// court in scope sees the campaign without the draw, the targets or the
// plan; an officer and a court beside see nothing.
func TestInspectionPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	lead := testdb.AddUser(t, db, "ip.lead", "鲁01", "执行局", domain.RoleBureau)
	grp := testdb.AddUser(t, db, "ip.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sup := testdb.AddUser(t, db, "ip.sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "ip.bur0102", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "ip.bur02", "鲁02", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "ip.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	var ks []*domain.Case
	today := domain.DateOf(db.Now(), domain.Beijing)
	for i := 1; i <= 8; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2026）鲁0102执%d号", i), domain.DefaultCaseTypes)
		ks = append(ks, &domain.Case{No: no, FiledOn: today.AddDays(-200), ClosedOn: today.AddDays(-10), ClosingMode: "执行完毕", Officer: "测试ip.off", Department: "执行一庭"})
	}
	// One case held money past its limit: the money pre-check shows it.
	err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error {
		if _, err := tx.UpsertCases(ctx, ks, nil); err != nil {
			return err
		}
		_, err := tx.ReplaceCaseActs(ctx, ks[0].ID, []tracking.Act{{Kind: tracking.ActFundsIn, On: today.AddDays(-60), Amount: 1234500}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b := e.browser().loggedIn("ip.lead")
	if r := b.get("/inspections/new"); r.status != 200 || !strings.Contains(r.body, "执行案款管理情况") || !strings.Contains(r.body, grp.Name) {
		t.Fatalf("the form: %d", r.status)
	}
	form := url.Values{"kind": {"case_review"}, "theme": {"money"}, "title": {"案款评查"}, "from": {today.AddDays(-90).String()}, "to": {today.String()},
		"courts": {"鲁0102"}, "plan": {"交叉评查"}, "member": {fmt.Sprint(lead.ID), fmt.Sprint(grp.ID)}, "leader": {fmt.Sprint(lead.ID)},
		"per_court": {"3"}, "answer_days": {"7"}, "th_excellent": {"90"}, "th_pass": {"75"}, "th_flaw": {"60"}, "cross_court": {"1"}}
	if r := b.post("/inspections", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "工作组应当有监察室人员") {
		t.Fatalf("a group without the 监察室: %d", r.status)
	}
	var n int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM inspection_campaigns").Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused input saved %d campaigns (%v)", n, err)
	}
	form["member"] = append(form["member"], fmt.Sprint(sup.ID))
	r := b.post("/inspections", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	page := r.header.Get("Location")
	if r := b.get("/"); !strings.Contains(r.body, "完成筹备") || !strings.Contains(r.body, page) {
		t.Error("the leader's home page has no to-do for the campaign")
	}
	if r := b.post(page+"/move", url.Values{"event": {"start"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请先抽取或选定评查案件") {
		t.Fatalf("start before the draw: %d", r.status)
	}
	if r := b.post(page+"/draw", nil); r.status != http.StatusSeeOther {
		t.Fatalf("draw: %d", r.status)
	}
	r = b.get(page)
	if r.status != 200 || strings.Count(r.body, "随机抽取</td>") != 3 || !strings.Contains(r.body, ">一致<") || !strings.Contains(r.body, "法发〔2017〕6号") {
		t.Fatalf("the campaign after the draw: %d", r.status)
	}
	if !strings.Contains(r.body, "案款预查：到账后超过30日未发放") || !strings.Contains(r.body, "12,345.00元") || !strings.Contains(r.body, ks[0].Number) {
		t.Error("the campaign page lacks the money pre-check")
	}
	// A court in scope sees the campaign, not its draw, targets or plan.
	r = e.browser().loggedIn("ip.bur0102").get(page)
	if r.status != 200 || strings.Contains(r.body, "抽取记录") || strings.Contains(r.body, "案款预查") || strings.Contains(r.body, "交叉评查") || strings.Contains(r.body, "（2026）鲁0102执") {
		t.Fatalf("the court in scope: %d", r.status)
	}
	for _, who := range []string{"ip.bur02", "ip.off"} {
		if r := e.browser().loggedIn(who).get(page); r.status != http.StatusNotFound {
			t.Errorf("%s gets the campaign: %d", who, r.status)
		}
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Issue 14, complaints and petitions, page by page: the command centre
// registers (refused input beside its field, nothing saved), the
// watchdogs see and assess, a case with two petitions is 反映强烈 — and
// neither the officer of the case, whatever his roles, nor the member of
// staff named ever learns of what concerns him: not in the list, its
// count, the page or the case page.
func TestComplaintPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	testdb.AddUser(t, db, "cp.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "cp.off", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleBureau)
	testdb.AddUser(t, db, "cp.named", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "cp.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "cp.plain", "鲁0102", "执行一庭", domain.RoleOfficer)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执7号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: "测试cp.off", Department: "执行一庭"}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(db.Now(), domain.Beijing)

	cc := e.browser().loggedIn("cp.cc")
	if r := cc.get("/complaints/new"); r.status != 200 || !strings.Contains(r.body, "12368热线") || !strings.Contains(r.body, "反映消极执行") {
		t.Fatalf("the form: %d", r.status)
	}
	form := url.Values{"court": {"鲁0102"}, "kind": {"petition"}, "channel": {"来访"}, "received_on": {today.AddDays(-30).String()},
		"person_name": {"李四"}, "person_phone": {"13912345678"}, "cases": {no.String()}, "staff": {"cp.named"}, "content": {"执行人员吃拿卡要"},
		"categories": {"C3"}, "repeat": {"1"}}
	if r := cc.post("/complaints", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请选择信访的层级") {
		t.Fatalf("a petition without its level: %d", r.status)
	}
	var n int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM complaints").Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused input saved %d complaints (%v)", n, err)
	}
	form.Set("level", "court")
	r := cc.post("/complaints", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("registering: %d %s", r.status, r.body)
	}
	first := r.header.Get("Location")
	form.Set("received_on", today.String())
	form.Set("repeat", "2")
	form.Del("staff")
	if r = cc.post("/complaints", form); r.status != http.StatusSeeOther {
		t.Fatalf("registering the second: %d", r.status)
	}
	second := r.header.Get("Location")
	casePage := fmt.Sprintf("/cases/%d", k.ID)

	grp := e.browser().loggedIn("cp.grp")
	if r := grp.get("/complaints"); !strings.Contains(r.body, "共 2 件") || !strings.Contains(r.body, "反映强烈") || !strings.Contains(r.body, `href="/complaints"`) {
		t.Errorf("the watchdog above: %d", r.status)
	}
	if r := grp.get(first); r.status != 200 || !strings.Contains(r.body, "李四") || !strings.Contains(r.body, "139****5678") || !strings.Contains(r.body, "测试cp.named") {
		t.Errorf("the petition's page: %d", r.status)
	}
	if r := grp.get(casePage); !strings.Contains(r.body, "当事人反映强烈") {
		t.Errorf("the case page lacks 反映强烈 for the watchdog")
	}
	if r := grp.post(first+"/assess", url.Values{"note": {"有具体时间地点"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请选择有无明确线索") {
		t.Errorf("an assessment without its answer: %d", r.status)
	}
	if r := grp.post(first+"/assess", url.Values{"lead": {"clear"}, "note": {"有具体时间地点"}}); r.status != http.StatusSeeOther {
		t.Fatalf("assessing: %d", r.status)
	}
	if r := grp.get("/complaints?lead=clear"); !strings.Contains(r.body, "共 1 件") {
		t.Errorf("the clear leads")
	}
	if r := cc.post(first+"/assess", url.Values{"lead": {"clear"}, "note": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("the command centre assesses: %d", r.status)
	}

	// The officer of the case, who also holds the bureau's role: nothing.
	off := e.browser().loggedIn("cp.off")
	if r := off.get("/complaints"); r.status != 200 || !strings.Contains(r.body, "共 0 件") || strings.Contains(r.body, "李四") {
		t.Errorf("the case's officer lists: %d", r.status)
	}
	for _, p := range []string{first, second, first + "?x", "/complaints?case=" + url.QueryEscape(no.String())} {
		if r := off.get(p); r.status == 200 && strings.Contains(r.body, "李四") {
			t.Errorf("the case's officer reads %s", p)
		}
	}
	if r := off.get(casePage); r.status != 200 || strings.Contains(r.body, "反映强烈") {
		t.Errorf("the case's officer sees 反映强烈: %d", r.status)
	}
	// The named watchdog sees the other petition only, and so no 反映强烈.
	named := e.browser().loggedIn("cp.named")
	if r := named.get("/complaints"); !strings.Contains(r.body, "共 1 件") {
		t.Errorf("the named watchdog's count")
	}
	if r := named.get(first); r.status != http.StatusNotFound {
		t.Errorf("the named watchdog reads what names him: %d", r.status)
	}
	if r := named.post(first+"/assess", url.Values{"lead": {"unclear"}, "note": {"无"}}); r.status != http.StatusNotFound {
		t.Errorf("the named watchdog assesses: %d", r.status)
	}
	if r := named.get(casePage); r.status != 200 || strings.Contains(r.body, "反映强烈") {
		t.Errorf("the named watchdog sees 反映强烈: %d", r.status)
	}
	plain := e.browser().loggedIn("cp.plain")
	if r := plain.get("/"); regexp.MustCompile(`href="/complaints"`).MatchString(r.body) {
		t.Errorf("an officer has the complaints link")
	}
	if r := plain.get("/complaints"); r.status != http.StatusForbidden {
		t.Errorf("an officer lists complaints: %d", r.status)
	}
}

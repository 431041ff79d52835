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

// patrolFixture gives a case an unpaid receipt and runs the patrol over
// its court, and returns the open finding that makes.
func patrolFixture(t *testing.T, db *store.DB, caseID int64, court string) int64 {
	t.Helper()
	ctx := context.Background()
	sys := domain.SystemViewer("t")
	err := db.Update(ctx, sys, func(tx *store.Tx) error {
		_, err := tx.ReplaceCaseActs(ctx, caseID, []tracking.Act{{Kind: tracking.ActFundsIn, On: domain.MustDate("2026-03-01"), Amount: 500_000}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rules := tracking.DefaultPatrolRules()
	for i := range rules {
		rules[i].On = rules[i].Code == tracking.RuleFundsPayout
	}
	if _, err := db.RunPatrol(ctx, sys, court, db.Today(), rules); err != nil {
		t.Fatal(err)
	}
	fs, err := db.FindingsForCase(ctx, sys, caseID)
	if err != nil || len(fs) != 1 {
		t.Fatalf("the fixture's finding: %+v, %v", fs, err)
	}
	return fs[0].ID
}

// TestPatrolPages walks 网上巡查 through the pages: the command centre
// uploads the acts file, the patrol finds the unpaid receipt, the command
// centre sees it on the report and the case page, with a to-do on its home
// page, and dismisses it with a reason; the case's officer and his head
// get 403 on the report and see neither the finding nor its section on
// the case page, though they see the acts.
func TestPatrolPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	testdb.AddUser(t, db, "pt.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "pt.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "pt.head", "鲁0102", "执行一庭", domain.RoleDeptHead)
	testdb.AddUser(t, db, "pt.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执8号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: "测试pt.off", Department: "执行一庭", Amount: 10_000_000}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}

	cc := e.browser().loggedIn("pt.cc")
	if r := cc.get("/cases/import"); !strings.Contains(r.body, `action="/cases/import/acts"`) {
		t.Fatalf("the import page has no acts form: %d", r.status)
	}
	acts := "案号,行为,日期,金额,备注\n（2026）鲁0102执8号,案款到账,2026-03-01,5000,扣划存款\n（2026）鲁0102执8号,查封,2026-02-01,,\n（2026）鲁0102执99号,查封,2026-02-01,,\n"
	r := cc.upload("/cases/import/acts", map[string][]byte{"file": []byte(acts)})
	if r.status != 200 || !strings.Contains(r.body, "1 件案件的执行行为已导入") || !strings.Contains(r.body, "执99号") {
		t.Fatalf("acts upload: %d %s", r.status, r.body)
	}
	if _, err := db.RunPatrol(ctx, domain.SystemViewer("t"), "鲁0102", domain.MustDate("2026-04-15"), tracking.DefaultPatrolRules()); err != nil {
		t.Fatal(err)
	}
	if r := cc.get("/"); !strings.Contains(r.body, "核实网上巡查发现的问题") || !strings.Contains(r.body, `href="/patrol"`) {
		t.Fatal("the command centre's home page has no patrol to-do or link")
	}
	r = cc.get("/patrol?rule=funds_payout")
	if r.status != 200 || !strings.Contains(r.body, "案款到账后三十日内未发放") || !strings.Contains(r.body, "5,000.00元于2026-03-01到账") || !strings.Contains(r.body, "/dismiss") {
		t.Fatalf("the report: %d %s", r.status, r.body)
	}
	f, err := db.FindingsForCase(ctx, domain.SystemViewer("t"), k.ID)
	if err != nil || len(f) == 0 {
		t.Fatalf("findings: %v %v", f, err)
	}
	var payout *store.StoredFinding
	for _, x := range f {
		if x.Rule == tracking.RuleFundsPayout {
			payout = x
		}
	}
	casePage := fmt.Sprintf("/cases/%d", k.ID)
	if r := cc.get(casePage); !strings.Contains(r.body, "网上巡查发现的问题") || !strings.Contains(r.body, "案款到账后三十日内未发放") || !strings.Contains(r.body, "扣划存款") {
		t.Fatalf("the command centre's case page: %s", r.body)
	}
	decide := fmt.Sprintf("/patrol/findings/%d/dismiss", payout.ID)
	if r := cc.post(decide, url.Values{"back": {casePage}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("dismissal without a reason: %d", r.status)
	}
	long := strings.Repeat("理", 501)
	r = cc.postFrom(casePage, decide, url.Values{"back": {casePage}, "_form": {fmt.Sprintf("dismiss-%d", payout.ID)}, "reason": {long}})
	refilledForm(t, r, casePage, []string{`<p class="field-error" id="err-reason">理由不超过500字`}, []string{`value="` + long + `"`})
	if r := cc.post(decide, url.Values{"reason": {"经院长批准延缓发放"}, "back": {"//evil.example/"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/patrol" {
		t.Fatalf("dismissal: %d %s", r.status, r.header.Get("Location"))
	}
	if r := e.browser().loggedIn("pt.grp").get("/patrol?state=dismissed"); !strings.Contains(r.body, "经院长批准延缓发放") {
		t.Fatal("the group above does not see the dismissal and its reason")
	}

	// Secrecy: the officer of the case and his head.
	for _, who := range []string{"pt.off", "pt.head"} {
		b := e.browser().loggedIn(who)
		if r := b.get("/patrol"); r.status != http.StatusForbidden {
			t.Errorf("%s on /patrol: %d", who, r.status)
		}
		if r := b.post(decide, url.Values{"reason": {"x"}}); r.status != http.StatusNotFound {
			t.Errorf("%s decides: %d", who, r.status)
		}
		r := b.get(casePage)
		if r.status != 200 || !strings.Contains(r.body, "扣划存款") {
			t.Fatalf("%s's case page: %d", who, r.status)
		}
		for _, secret := range []string{"网上巡查", "案款到账后三十日内未发放", "经院长批准延缓发放", "/patrol"} {
			if strings.Contains(r.body, secret) {
				t.Errorf("%s's case page shows %q", who, secret)
			}
		}
		if r := b.get("/"); strings.Contains(r.body, "网上巡查") {
			t.Errorf("%s's home page mentions the patrol", who)
		}
	}
}

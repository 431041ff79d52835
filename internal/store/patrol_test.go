package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
)

func replaceActs(t *testing.T, db *store.DB, v domain.Viewer, caseID int64, acts ...tracking.Act) bool {
	t.Helper()
	var changed bool
	err := db.Update(ctx, v, func(tx *store.Tx) error {
		var err error
		changed, err = tx.ReplaceCaseActs(ctx, caseID, acts)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return changed
}

func patrolAct(kind tracking.ActKind, on string, fen int64) tracking.Act {
	return tracking.Act{Kind: kind, On: domain.MustDate(on), Amount: fen}
}

// Issue 15, 网上巡查: acts replace as a source sends them; a run stores what
// the rules find, once per case, rule and subject; a rerun the same day or
// the next adds nothing; a finding no longer produced is resolved, not
// deleted, and opens again if it comes back; the bodies confirm or dismiss
// with a reason; the officer of the case never sees any of it.
func TestPatrolFindings(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 4, 10, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("test")
	officer := testdb.AddUser(t, db, "zhang", "鲁0102", "执行一庭", domain.RoleOfficer)
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	cc01 := domain.ViewerFor(testdb.AddUser(t, db, "cc01", "鲁01", "执行指挥中心", domain.RoleCommandCenter), "")
	group01 := domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	beside := domain.ViewerFor(testdb.AddUser(t, db, "bur02", "鲁02", "执行局", domain.RoleBureau), "")
	// A bureau member who once handled the case sees no finding on it.
	handler := testdb.AddUser(t, db, "li", "鲁0102", "执行局", domain.RoleBureau)
	head := domain.ViewerFor(testdb.AddUser(t, db, "head", "鲁0102", "执行一庭", domain.RoleDeptHead), "")

	k := testCase(t, "（2026）鲁0102执1号", "2026-01-05")
	k.Officer = officer.Name
	other := testCase(t, "（2026）鲁0102执2号", "2026-01-05")
	other.Officer = handler.Name
	other.Department = "执行局"
	upsert(t, db, sys, k, other)
	k, _ = db.CaseByNumber(ctx, sys, k.No.String())
	other, _ = db.CaseByNumber(ctx, sys, other.No.String())

	// Acts: a list replaces, the same list again changes nothing.
	acts := []tracking.Act{patrolAct(tracking.ActFundsIn, "2026-03-01", 500_000), patrolAct(tracking.ActSeal, "2026-02-01", 5_000_000)}
	if !replaceActs(t, db, cc, k.ID, acts...) || replaceActs(t, db, cc, k.ID, acts...) {
		t.Fatal("replacing acts: the first should change, the second not")
	}
	replaceActs(t, db, sys, other.ID, patrolAct(tracking.ActFundsIn, "2026-03-01", 100))
	err := db.Update(ctx, cc01, func(tx *store.Tx) error {
		_, err := tx.ReplaceCaseActs(ctx, k.ID, acts)
		return err
	})
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("the command centre of the court above writes acts: %v", err)
	}
	err = db.Update(ctx, cc, func(tx *store.Tx) error {
		_, err := tx.ReplaceCaseActs(ctx, k.ID, []tracking.Act{patrolAct(tracking.ActFreeze, "2025-12-31", 1)})
		return err
	})
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("an act before filing: %v", err)
	}
	got, err := db.CaseActs(ctx, domain.ViewerFor(officer, ""), k.ID)
	if err != nil || len(got) != 2 || got[0].Kind != tracking.ActSeal {
		t.Fatalf("the officer reads his case's acts in date order: %+v, %v", got, err)
	}

	// The payout rule alone, so that the cases' missing nodes do not crowd
	// the example (TestPatrolLedgerAndNodes has those).
	rules := tracking.DefaultPatrolRules()
	for i := range rules {
		rules[i].On = rules[i].Code == tracking.RuleFundsPayout
	}
	run := func(on string) *store.PatrolRun {
		t.Helper()
		r, err := db.RunPatrol(ctx, sys, "鲁0102", domain.MustDate(on), rules)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	keys := func(v domain.Viewer, f store.FindingFilter) []string {
		t.Helper()
		p, err := db.Findings(ctx, v, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range p.Findings {
			no := []rune(x.CaseNo)
			out = append(out, string(no[len(no)-3:])+" "+x.Rule+" "+string(x.State))
		}
		slices.Sort(out)
		return out
	}

	// 2026-04-01: both receipts are 31 days old; nothing else is wrong.
	r1 := run("2026-04-01")
	if r1.Cases != 2 || r1.New != 2 || len(r1.Findings) != 2 {
		t.Fatalf("first run: %+v", r1)
	}
	if r := run("2026-04-01"); r.New != 0 || r.Resolved != 0 || len(r.Findings) != 2 {
		t.Fatalf("rerun the same day: %+v", r)
	}
	if r := run("2026-04-02"); r.New != 0 || len(r.Findings) != 2 {
		t.Fatalf("rerun the next day: %+v", r)
	}
	want := []string{"执1号 funds_payout open", "执2号 funds_payout open"}
	if got := keys(cc, store.FindingFilter{}); !slices.Equal(got, want) {
		t.Fatalf("the command centre sees %q, want %q", got, want)
	}
	var n int
	db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM patrol_findings").Scan(&n)
	if n != 2 {
		t.Fatalf("%d rows after three runs", n)
	}
	p, _ := db.Findings(ctx, group01, store.FindingFilter{Court: "鲁0102"})
	if len(p.Findings) != 2 || p.Findings[0].FirstFound.String() != "2026-04-01" || p.Findings[0].LastFound.String() != "2026-04-02" || p.ByRule[tracking.RuleFundsPayout] != 2 {
		t.Fatalf("the group of the court above: %+v", p)
	}
	// Secrecy: the officer, his head, a bureau beside, the command centre
	// above see nothing; the bureau member who handled case 2 sees case 1's only.
	for _, v := range []domain.Viewer{domain.ViewerFor(officer, ""), head} {
		if _, err := db.Findings(ctx, v, store.FindingFilter{}); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s lists findings: %v", v.Username, err)
		}
		if fs, err := db.FindingsForCase(ctx, v, k.ID); err != nil || len(fs) != 0 {
			t.Errorf("%s reads the case's findings: %+v, %v", v.Username, fs, err)
		}
	}
	if got := keys(beside, store.FindingFilter{}); len(got) != 0 {
		t.Errorf("a bureau beside sees %q", got)
	}
	if got := keys(cc01, store.FindingFilter{}); len(got) != 0 {
		t.Errorf("the command centre above sees %q", got)
	}
	if got := keys(domain.ViewerFor(handler, ""), store.FindingFilter{}); !slices.Equal(got, want[:1]) {
		t.Errorf("the bureau member who handled case 2 sees %q", got)
	}

	// The command centre's to-do counts both open findings, and counts
	// no further than one past its limit.
	for limit, want := range map[int]int{100: 2, 2: 2, 1: 2, 0: 1} {
		if c, err := db.OpenFindings(ctx, cc, limit); err != nil || c != want {
			t.Errorf("open findings up to %d: %d, %v; want %d", limit, c, err, want)
		}
	}

	// Decisions: a dismissal needs its reason; a decided finding is decided.
	f1 := findingOf(t, db, cc, k.ID)
	if err := db.DecideFinding(ctx, cc, f1.ID, tracking.FindingDismiss, " "); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("dismissal without a reason: %v", err)
	}
	if err := db.DecideFinding(ctx, domain.ViewerFor(officer, ""), f1.ID, tracking.FindingConfirm, ""); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("the officer confirms: %v", err)
	}
	if err := db.DecideFinding(ctx, group01, f1.ID, tracking.FindingConfirm, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.DecideFinding(ctx, cc, f1.ID, tracking.FindingDismiss, "已批准延缓发放"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("dismissing a confirmed finding: %v", err)
	}
	f2 := findingOf(t, db, sys, other.ID)
	if err := db.DecideFinding(ctx, cc, f2.ID, tracking.FindingDismiss, "经院长批准延缓发放"); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.OpenFindings(ctx, cc, 100); c != 0 {
		t.Fatalf("open findings after the decisions: %d", c)
	}

	// The money goes out: case 1's finding is no longer produced on the
	// day, so it is resolved; case 2's dismissal stands.
	replaceActs(t, db, cc, k.ID, append(acts, patrolAct(tracking.ActFundsOut, "2026-03-20", 500_000))...)
	if r := run("2026-04-03"); r.Resolved != 1 || len(r.Findings) != 1 {
		t.Fatalf("after the payout: %+v", r)
	}
	f1 = findingOf(t, db, cc, k.ID)
	if f1.State != tracking.FindingResolved || f1.ResolvedOn.String() != "2026-04-03" || f1.FirstFound.String() != "2026-04-01" {
		t.Fatalf("resolved finding: %+v", f1)
	}
	if got := keys(cc, store.FindingFilter{State: tracking.FindingDismissed}); !slices.Equal(got, []string{"执2号 funds_payout dismissed"}) {
		t.Fatalf("dismissed: %q", got)
	}
	// A rule turned off resolves nothing it did not check.
	off := slices.Clone(rules)
	for i := range off {
		off[i].On = false
	}
	if r, err := db.RunPatrol(ctx, sys, "鲁0102", domain.MustDate("2026-04-04"), off); err != nil || r.Resolved != 0 || len(r.Findings) != 0 {
		t.Fatalf("with every rule off: %+v, %v", r, err)
	}
	// The payout taken back: the finding opens again, with its first date.
	replaceActs(t, db, cc, k.ID, acts...)
	if r := run("2026-04-05"); r.Reopened != 1 || r.New != 0 {
		t.Fatalf("after the payout was taken back: %+v", r)
	}
	f1 = findingOf(t, db, cc, k.ID)
	if f1.State != tracking.FindingOpen || !f1.ResolvedOn.IsZero() || f1.FirstFound.String() != "2026-04-01" {
		t.Fatalf("reopened: %+v", f1)
	}
	if c, _ := db.OpenFindings(ctx, cc, 100); c != 1 {
		t.Fatalf("the command centre's to-do counts %d", c)
	}
	if _, err := db.RunPatrol(ctx, domain.ViewerFor(officer, ""), "鲁0102", domain.MustDate("2026-04-05"), rules); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the officer runs the patrol: %v", err)
	}

	// Every change is in the audit trail.
	var audits int
	db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'patrol.%' OR action = 'case.acts'").Scan(&audits)
	if audits != 6+2+4 { // six runs, two decisions, four changes of acts
		t.Errorf("%d audit records of the patrol", audits)
	}
}

// TestPatrolLedgerAndNodes stores findings of the ledger and node rules
// from a case's pauses and extensions, read the way the page records them.
func TestPatrolLedgerAndNodes(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 8, 1, 2, 0, 0, 0, time.UTC) }
	sys := domain.SystemViewer("test")
	k := testCase(t, "（2026）鲁0102执3号", "2026-01-05")
	k.Nodes = []domain.Node{{Kind: domain.NodeNotice, On: domain.MustDate("2026-01-12")}}
	upsert(t, db, sys, k)
	k, _ = db.CaseByNumber(ctx, sys, k.No.String())
	err := db.Update(ctx, sys, func(tx *store.Tx) error {
		if err := tx.AddPause(ctx, k.ID, deadline.Pause{Kind: "审计、评估", Basis: "委托书", Start: domain.MustDate("2026-02-01"), End: domain.MustDate("2026-02-10")}); err != nil {
			return err
		}
		return tx.AddExtension(ctx, k.ID, deadline.Extension{Amount: 3, Unit: deadline.CalendarMonths, ApprovedOn: domain.MustDate("2026-07-30"), Basis: "审批表"})
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.RunPatrol(ctx, sys, "鲁0102", domain.MustDate("2026-08-01"), tracking.DefaultPatrolRules())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Rule+" "+f.Subject)
	}
	want := []string{"node_late node:执行通知", "node_late node:财产查控", "ledger_basis pause:审计、评估:2026-02-01", "ledger_basis extension:2026-07-30"}
	if !slices.Equal(got, want) {
		t.Fatalf("findings %q, want %q", got, want)
	}
	fs, err := db.FindingsForCase(ctx, sys, k.ID)
	if err != nil || len(fs) != 4 || fs[0].Aspect != tracking.AspectProcess {
		t.Fatalf("the case's findings: %+v, %v", fs, err)
	}
}

func findingOf(t *testing.T, db *store.DB, v domain.Viewer, caseID int64) *store.StoredFinding {
	t.Helper()
	fs, err := db.FindingsForCase(ctx, v, caseID)
	if err != nil || len(fs) != 1 {
		t.Fatalf("findings of case %d: %+v, %v", caseID, fs, err)
	}
	return fs[0]
}

// TestImportActs groups a file's rows by case: each case's rows replace
// its acts; rows of an unknown case or a case whose acts are wrong are
// refused with the reason; the same file twice changes nothing.
func TestImportActs(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	upsert(t, db, sys, testCase(t, "（2026）鲁0102执1号", "2026-01-05"), testCase(t, "（2026）鲁0102执2号", "2026-01-05"),
		testCase(t, "（2026）鲁0103执1号", "2026-01-05"))
	rows := []store.ActRow{
		{Row: 2, CaseNo: "（2026）鲁0102执1号", Act: patrolAct(tracking.ActNotice, "2026-01-06", 0)},
		{Row: 3, CaseNo: "（2026）鲁0102执2号", Act: patrolAct(tracking.ActSeal, "2025-01-06", 0)},
		{Row: 4, CaseNo: "（2026）鲁0102执1号", Act: patrolAct(tracking.ActFreeze, "2026-01-07", 100)},
		{Row: 5, CaseNo: "（2026）鲁0102执9号", Act: patrolAct(tracking.ActFreeze, "2026-01-07", 100)},
		{Row: 6, CaseNo: "（2026）鲁0103执1号", Act: patrolAct(tracking.ActFreeze, "2026-01-07", 100)},
	}
	res, err := db.ImportActs(ctx, cc, rows)
	if err != nil {
		t.Fatal(err)
	}
	if res.Cases != 1 || res.Changed != 1 || res.Acts != 2 || len(res.Refused) != 3 {
		t.Fatalf("import: %+v", res)
	}
	if strings.ReplaceAll(res.Refused[1].Message, "鲁0102执9号", "X") != strings.ReplaceAll(res.Refused[2].Message, "鲁0103执1号", "X") {
		t.Errorf("an unknown case and one of another court read differently: %q, %q", res.Refused[1].Message, res.Refused[2].Message)
	}
	if res, err = db.ImportActs(ctx, cc, rows); err != nil || res.Unchanged != 1 || res.Changed != 0 {
		t.Fatalf("again: %+v, %v", res, err)
	}
	k, _ := db.CaseByNumber(ctx, sys, "（2026）鲁0102执1号")
	acts, _ := db.CaseActs(ctx, sys, k.ID)
	if len(acts) != 2 || acts[1].Amount != 100 {
		t.Fatalf("acts: %+v", acts)
	}
}

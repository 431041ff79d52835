package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// Issue 13, points 1 and 2: the draw's population is the 执行实施 cases
// closed in the month by a mode that counts as 执结, and the sample is 5%
// of all of them, those without a mobile included (they go to the phone).
func TestDrawPopulationIsClosedEnforcementCases(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) }
	var cases []*domain.Case
	add := func(number, mode string, phone bool) {
		k := testCase(t, number, "2026-03-01")
		k.ClosedOn, k.ClosingMode = domain.MustDate("2026-10-15"), mode
		if !phone {
			for i := range k.Parties {
				k.Parties[i].Phone = ""
			}
		}
		cases = append(cases, k)
	}
	for i := 1; i <= 30; i++ {
		add(fmt.Sprintf("（2026）鲁0102执%d号", i), "执行完毕", i > 10) // ten without any mobile
	}
	for i := 1; i <= 9; i++ {
		add(fmt.Sprintf("（2026）鲁0102执恢%d号", i), "终结本次执行程序", true)
	}
	add("（2026）鲁0102执异1号", "驳回申请", true) // not 执行实施
	add("（2026）鲁0102执保1号", "执行完毕", true) // not 执行实施
	add("（2026）鲁0102执99号", "移送", true)   // not a 执结 mode
	upsert(t, db, domain.SystemViewer("t"), cases...)

	b, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule())
	if err != nil {
		t.Fatal(err)
	}
	// ceil(5% × 39) = 2, whatever the mobiles.
	if b.PopulationCount != 39 || b.ExcludedCount != 3 || b.SampleSize != 2 {
		t.Fatalf("batch: population %d, excluded %d, sample %d; want 39, 3, 2", b.PopulationCount, b.ExcludedCount, b.SampleSize)
	}
	if !slices.Equal(b.Rule.CaseTypes, []string{"执", "执恢"}) || len(b.Rule.ClosingModes) != 6 {
		t.Fatalf("the batch records the rule %+v", b.Rule)
	}
	_, bcs, err := db.BatchByID(ctx, domain.SystemViewer("t"), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	why := map[string]string{}
	for _, bc := range bcs {
		why[bc.Number] = bc.Excluded
	}
	if why["（2026）鲁0102执异1号"] != "非执行实施案件（执异）" || why["（2026）鲁0102执99号"] != "结案方式“移送”不计为执结" || why["（2026）鲁0102执1号"] != "" {
		t.Fatalf("exclusions %v", why)
	}
	if _, err := db.VerifyBatch(ctx, domain.SystemViewer("t"), b.ID); err != nil {
		t.Fatal(err)
	}

	// With a seed that picks a case without mobiles, that case stays in
	// the sample and its visit goes to the phone list.
	rule := visit.DefaultDrawRule()
	rule.Rate = 1
	k := testCase(t, "（2026）鲁0102执500号", "2026-03-01")
	k.ClosedOn, k.ClosingMode = domain.MustDate("2026-09-03"), "执行完毕"
	k.Parties[0].Phone, k.Parties[1].Phone = "", ""
	upsert(t, db, domain.SystemViewer("t"), k)
	sep, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-09", rule)
	if err != nil || sep.SampleSize != 1 {
		t.Fatalf("September: %+v %v", sep, err)
	}
	if _, err := db.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{BatchID: sep.ID})
	if len(vs) != 1 || vs[0].State.Step != visit.StepPhonePending {
		t.Fatalf("the visit of a case without mobiles: %+v", vs)
	}
}

// Issue 13, point 3: only a finished month is drawn, and cases whose
// closing arrives after the draw are drawn in a supplement by the same
// rule, provable the same way.
func TestDrawFinishedMonthsAndSupplements(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	closedCases(t, db, 40)
	cc := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	rule := visit.DefaultDrawRule()
	for _, month := range []string{"2026-11", "2099-01", "2026-13"} {
		if _, _, err := db.DrawBatch(ctx, domain.ViewerFor(cc, ""), "鲁0102", month, rule); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("drawing %s: %v", month, err)
		}
	}
	// At 23:30 on 31 October UTC it is already 1 November in Beijing.
	now = time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)
	if _, _, err := db.DrawBatch(ctx, domain.ViewerFor(cc, ""), "鲁0102", "2026-10", rule); err != nil {
		t.Fatalf("October on 1 November Beijing time: %v", err)
	}
	now = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	if _, err := db.DrawSupplement(ctx, domain.ViewerFor(cc, ""), "鲁0102", "2026-10", rule); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a supplement without late cases: %v", err)
	}
	if _, err := db.DrawSupplement(ctx, domain.ViewerFor(cc, ""), "鲁0102", "2026-09", rule); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a supplement of a month never drawn: %v", err)
	}
	var late []*domain.Case
	for i := 1; i <= 3; i++ {
		k := testCase(t, fmt.Sprintf("（2026）鲁0102执恢%d号", 700+i), "2026-02-01")
		k.ClosedOn, k.ClosingMode = domain.MustDate("2026-10-30"), "执行完毕"
		late = append(late, k)
	}
	upsert(t, db, domain.SystemViewer("t"), late...)
	// The daily job waits until the first draw is a week old.
	if codes, err := db.CourtsToSupplement(ctx, "2026-10", rule, 30*24*time.Hour); err != nil || len(codes) != 0 {
		t.Fatalf("courts to supplement within the quiet time: %v %v", codes, err)
	}
	codes, err := db.CourtsToSupplement(ctx, "2026-10", rule, 7*24*time.Hour)
	if err != nil || !slices.Equal(codes, []string{"鲁0102"}) {
		t.Fatalf("courts to supplement: %v %v", codes, err)
	}
	sup, err := db.DrawSupplement(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", rule)
	if err != nil {
		t.Fatal(err)
	}
	if sup.Kind != visit.BatchSupplement || sup.Seq != 1 || sup.PopulationCount != 3 || sup.SampleSize != 1 {
		t.Fatalf("supplement %+v", sup)
	}
	if _, err := db.VerifyBatch(ctx, domain.SystemViewer("t"), sup.ID); err != nil {
		t.Fatal(err)
	}
	month, err := db.MonthBatches(ctx, domain.ViewerFor(cc, ""), sup)
	if err != nil || len(month) != 2 || month[0].Seq != 0 || month[1].ID != sup.ID {
		t.Fatalf("the month's batches: %v %v", month, err)
	}
	// Every late case is recorded now: nothing is left to supplement.
	if codes, _ := db.CourtsToSupplement(ctx, "2026-10", rule, 0); len(codes) != 0 {
		t.Fatalf("still to supplement: %v", codes)
	}
}

// Issue 13, point 4: petitions and supervisions count for closed cases
// too, ② counts cases closed after the limit or by 终本 after it, and an
// event is visited once however often the scan runs.
func TestFocusedScanClosedCasesOncePerEvent(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	closed := func(number, filed, closedOn, mode string) *domain.Case {
		k := testCase(t, number, filed)
		k.ClosedOn, k.ClosingMode = domain.MustDate(closedOn), mode
		return k
	}
	petition := closed("（2026）鲁0102执1号", "2026-06-01", "2026-10-01", "执行完毕")
	petition.Petition, petition.HasProperty = true, false
	supervised := closed("（2026）鲁0102执2号", "2026-06-01", "2026-10-01", "执行完毕")
	supervised.SupervisedBy, supervised.SupervisedSince, supervised.HasProperty = "鲁01", domain.MustDate("2026-09-01"), false
	lateClose := closed("（2025）鲁0102执3号", "2025-12-01", "2026-09-30", "执行完毕")      // limit passed in June
	terminated := closed("（2026）鲁0102执4号", "2026-01-05", "2026-08-30", "终结本次执行程序") // 终本 after the limit
	inTime := closed("（2026）鲁0102执5号", "2026-08-01", "2026-10-01", "执行完毕")         // within its limit
	old := closed("（2024）鲁0102执6号", "2024-01-01", "2025-01-01", "执行完毕")            // outside the window
	old.Petition = true
	upsert(t, db, domain.SystemViewer("t"), petition, supervised, lateClose, terminated, inTime, old)

	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule(), List: true})
	if err != nil || rep.Found != len(rep.Cases) {
		t.Fatal(rep.Found, err)
	}
	got := map[string][]string{}
	for _, c := range rep.Cases {
		got[c.Number] = c.Reasons
	}
	want := map[string][]string{
		petition.No.String():   {visit.ReasonPetition},
		supervised.No.String(): {visit.ReasonSupervised},
		lateClose.No.String():  {visit.ReasonOverdue},
		terminated.No.String(): {visit.ReasonOverdue},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || rep.Created != 8 {
		t.Fatalf("scan found %v with %d visits; want %v with 8", got, rep.Created, want)
	}
	// Every day after, the same events give nothing new.
	for d := 1; d <= 3; d++ {
		now = now.AddDate(0, 0, 1)
		if rep, _ := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()}); rep.Created+rep.Merged != 0 {
			t.Fatalf("day %d: %+v", d, rep)
		}
	}
	// A new supervision (a later date) is a new event: visited again,
	// once the first visits are closed.
	testdb.Exec(t, db, "UPDATE visits SET step = 'closed'")
	testdb.Exec(t, db, "UPDATE cases SET supervised_since = '2026-11-21' WHERE number = ?", supervised.No.String())
	rep, _ = db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()})
	if rep.Created != 2 {
		t.Fatalf("a new supervision: %+v", rep)
	}
	// The scan of one court on a given day.
	rep, err = db.ScanFocused(ctx, store.FocusScan{Court: "鲁0202", Rule: visit.DefaultFocusRule()})
	if err != nil || rep.Found != 0 {
		t.Fatalf("another court: %+v %v", rep, err)
	}
}

// Issue 13, point 5: a party has one open visit; reasons, draws and second
// listings join it.
func TestOneOpenVisitPerParty(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) }
	k := testCase(t, "（2024）鲁0102执1号", "2024-03-01")
	k.Petition, k.SupervisedBy = true, "鲁01"
	k.ClosedOn, k.ClosingMode = domain.MustDate("2026-10-10"), "执行完毕"
	upsert(t, db, domain.SystemViewer("t"), k)
	rule := visit.DefaultDrawRule()
	b, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", rule)
	if err != nil || b.SampleSize != 1 {
		t.Fatal(err)
	}
	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()})
	if err != nil || rep.Created != 0 || rep.Merged != 6 {
		t.Fatalf("scan: %+v %v", rep, err)
	}
	cc := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	if n, err := db.AddFocusedVisit(ctx, domain.ViewerFor(cc, ""), caseID(t, db, k), "当事人来电"); err != nil || n != (store.FocusAdded{Merged: 2}) {
		t.Fatalf("manual: %+v %v", n, err)
	}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	if len(vs) != 2 {
		t.Fatalf("%d visits for two parties", len(vs))
	}
	rs, _ := db.VisitReasons(ctx, domain.SystemViewer("t"), vs[0].ID)
	var reasons []string
	for _, r := range rs {
		reasons = append(reasons, r.Reason)
	}
	// 18 months, overdue, petition, supervised, then the manual listing.
	if !slices.Equal(reasons, []string{visit.ReasonDaily, visit.ReasonOverdue, visit.ReasonPetition, visit.ReasonSupervised, visit.ReasonManual}) {
		t.Fatalf("reasons %v", reasons)
	}
	var sms int
	db.WriteDB().QueryRow("SELECT COUNT(*) FROM sms_outbox").Scan(&sms)
	if _, err := db.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	db.WriteDB().QueryRow("SELECT COUNT(*) FROM sms_outbox").Scan(&sms)
	if sms != 2 {
		t.Fatalf("%d messages for two parties", sms)
	}
}

func caseID(t *testing.T, db *store.DB, k *domain.Case) int64 {
	t.Helper()
	got, err := db.CaseByNumber(ctx, domain.SystemViewer("t"), k.No.String())
	if err != nil {
		t.Fatal(err)
	}
	return got.ID
}

// consultEvent is a complete consultation record of today, by role.
func consultEvent(db *store.DB, role domain.Role) visit.Event {
	bodies := map[domain.Role]string{domain.RoleBureau: "执行局甲", domain.RoleDisciplineGroup: "纪检组乙", domain.RoleSupervisionOffice: "监察室丙"}
	return visit.Event{Kind: visit.EventConsultation, Role: role, Consultation: &visit.Consultation{Date: db.Today(), Participants: bodies,
		Conclusion: "派员实地回访，核实当事人反映的问题", Persons: bodies}}
}

// Issue 13, point 8: a phone visit that reaches nobody is recorded as
// such, retried, and after the configured calls goes to the consultation.
func TestPhoneVisitNotReached(t *testing.T) {
	db := testdb.Open(t)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.ClosedOn, k.ClosingMode = domain.MustDate("2026-10-10"), "执行完毕"
	k.Parties = k.Parties[:1]
	upsert(t, db, domain.SystemViewer("t"), k)
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	vs, _ := db.Visits(ctx, cc, store.VisitFilter{})
	cfg := visit.DefaultConfig()
	id := vs[0].ID
	if _, err := db.ApplyVisitEvent(ctx, cc, id, visit.Event{Kind: visit.EventStartPhone}, cfg); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= cfg.PhoneAttempts; i++ {
		tr, err := db.ApplyVisitEvent(ctx, cc, id, visit.Event{Kind: visit.EventPhoneUnreached, Reason: "无人接听"}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := visit.StepPhonePending
		if i == cfg.PhoneAttempts {
			want = visit.StepConsultation
		}
		if tr.State.Step != want || tr.State.PhoneAttempts != i {
			t.Fatalf("call %d: %s, %d attempts", i, tr.State.Step, tr.State.PhoneAttempts)
		}
	}
	vi, evs, err := db.VisitByID(ctx, cc, id)
	if err != nil || vi.State.PhoneAttempts != 3 || vi.State.Step != visit.StepConsultation || evs[len(evs)-1].Detail["reason"] != "无人接听" {
		t.Fatalf("stored: %+v %v", vi.State, err)
	}
}

// Issue 13, point 6: a higher court's bureau marks a lower court's case as
// supervised on the case page, audited, and the scan visits it; the import
// takes as 督办法院 only a court above the case's.
func TestSupervisionFromAbove(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) }
	k := testCase(t, "（2026）鲁0102执1号", "2026-09-01")
	upsert(t, db, domain.SystemViewer("t"), k)
	id := caseID(t, db, k)
	jnBureau := domain.ViewerFor(testdb.AddUser(t, db, "jnb", "鲁01", "执行局", domain.RoleBureau), "")
	lxBureau := domain.ViewerFor(testdb.AddUser(t, db, "lxb", "鲁0102", "执行局", domain.RoleBureau), "")
	sup := domain.Supervision{Doc: "（2026）鲁01执督12号", On: domain.MustDate("2026-11-18"), Note: "限期执结"}
	if err := db.SuperviseCase(ctx, lxBureau, id, sup); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the case's own court supervises: %v", err)
	}
	if err := db.SuperviseCase(ctx, jnBureau, id, domain.Supervision{Doc: "x", On: domain.MustDate("2026-12-01")}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a supervision dated tomorrow: %v", err)
	}
	if err := db.SuperviseCase(ctx, jnBureau, id, sup); err != nil {
		t.Fatal(err)
	}
	got, _ := db.CaseByID(ctx, domain.SystemViewer("t"), id)
	if got.SupervisedBy != "鲁01" || got.SupervisedSince.String() != "2026-11-18" || got.SupervisedDoc != sup.Doc || got.SupervisedNote != "限期执结" {
		t.Fatalf("stored supervision: %q %s %q %q", got.SupervisedBy, got.SupervisedSince, got.SupervisedDoc, got.SupervisedNote)
	}
	recs, _ := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Limit: 5})
	if len(recs) == 0 || recs[0].Action != "case.supervise" {
		t.Fatalf("not audited: %+v", recs)
	}
	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule(), List: true})
	if err != nil || len(rep.Cases) != 1 || rep.Cases[0].Reasons[0] != visit.ReasonSupervised {
		t.Fatalf("scan after the supervision: %+v %v", rep, err)
	}
	// The import: a court beside or below is refused, with the reason.
	for _, by := range []string{"鲁0103", "鲁0102", "鲁02"} {
		bad := testCase(t, "（2026）鲁0102执2号", "2026-09-01")
		bad.SupervisedBy = by
		n := upsert(t, db, domain.SystemViewer("t"), bad)
		if n.Rejected != 1 {
			t.Errorf("督办法院 %s accepted: %+v", by, n)
		}
	}
	good := testCase(t, "（2026）鲁0102执3号", "2026-09-01")
	good.SupervisedBy = "鲁"
	if n := upsert(t, db, domain.SystemViewer("t"), good); n.Added != 1 {
		t.Errorf("the High Court as 督办法院: %+v", n)
	}
}

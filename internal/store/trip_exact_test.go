package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// tripFixture is a court with an officer, his department's head, a second
// head of the department, the bureau, a watchdog and a case of the
// officer's, on a clock the test moves.
type tripFixture struct {
	db                                   *store.DB
	clock                                *time.Time
	off, head, cohead, bureau, group, qd domain.Viewer
	caseNo                               string
	caseID                               int64
}

func newTripFixture(t *testing.T) *tripFixture {
	t.Helper()
	db := testdb.Open(t)
	clock := time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing)
	db.Now = func() time.Time { return clock }
	f := &tripFixture{db: db, clock: &clock, caseNo: "（2026）鲁0102执1号"}
	offU := testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer)
	f.off = domain.ViewerFor(offU, "")
	f.head = domain.ViewerFor(testdb.AddUser(t, db, "head", "鲁0102", "执行一庭", domain.RoleDeptHead), "")
	f.cohead = domain.ViewerFor(testdb.AddUser(t, db, "cohead", "鲁0102", "执行一庭", domain.RoleDeptHead), "")
	f.bureau = domain.ViewerFor(testdb.AddUser(t, db, "bureau", "鲁0102", "执行局", domain.RoleBureau), "")
	f.group = domain.ViewerFor(testdb.AddUser(t, db, "dg", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	f.qd = domain.ViewerFor(testdb.AddUser(t, db, "qdbureau", "鲁01", "执行局", domain.RoleBureau), "")
	k := testCase(t, f.caseNo, "2026-03-01")
	k.Officer = offU.Name
	upsert(t, db, domain.SystemViewer("t"), k)
	c, err := db.CaseByNumber(ctx, domain.SystemViewer("t"), f.caseNo)
	if err != nil {
		t.Fatal(err)
	}
	f.caseID = c.ID
	return f
}

// partyComplains has the command centre cc visit the fixture's case on a
// party's call and record the party's complaint of 附件3 item C3.2 (吃请),
// which flags the case's officers who went out; it returns the visit.
func (f *tripFixture) partyComplains(t *testing.T, cc domain.Viewer) *store.Visit {
	t.Helper()
	db := f.db
	if _, err := db.AddFocusedVisit(ctx, cc, f.caseID, "当事人来电"); err != nil {
		t.Fatal(err)
	}
	vs, _ := db.Visits(ctx, cc, store.VisitFilter{CaseID: f.caseID, Step: "new"})
	if len(vs) == 0 {
		t.Fatal("no visit")
	}
	cfg := visit.DefaultConfig()
	if _, err := db.ApplyVisitEvent(ctx, cc, vs[0].ID, visit.Event{Kind: visit.EventStartPhone}, cfg); err != nil {
		t.Fatal(err)
	}
	no := false
	if _, err := db.ApplyVisitEvent(ctx, cc, vs[0].ID, visit.Event{Kind: visit.EventPhoneRecorded, Answers: &visit.Answers{Satisfied: &no, Items: []string{"C3.2"}}}, cfg); err != nil {
		t.Fatal(err)
	}
	return vs[0]
}

func (f *tripFixture) set(s string) {
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Beijing)
	if err != nil {
		panic(err)
	}
	*f.clock = tm
}

// register registers a trip of v's to 青岛市北区 leaving on depart at 8:00,
// back the next day.
func (f *tripFixture) register(t *testing.T, v domain.Viewer, depart string) *store.Trip {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", depart+" 08:00", domain.Beijing)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := f.db.CreateTrip(ctx, v, trip.Plan{CaseNumbers: []string{f.caseNo}, Destinations: []string{"370203"}, DepartAt: d, ReturnAt: d.Add(34 * time.Hour),
		Task: "查封被执行人房产"}, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func (f *tripFixture) accountability(t *testing.T, v domain.Viewer) store.AccountabilityRow {
	t.Helper()
	rows, err := f.db.TripAccountability(ctx, v, time.Date(2026, 1, 1, 0, 0, 0, 0, domain.Beijing), time.Date(2027, 1, 1, 0, 0, 0, 0, domain.Beijing))
	if err != nil || len(rows) != 1 {
		t.Fatalf("accountability %+v %v", rows, err)
	}
	return rows[0]
}

// Issue 13 point 11: the officer cancels only before departure; after it
// only the trip's leader marks it 未成行, with a reason, audited, and a
// trip marked after its report fell due still counts as not reported.
func TestTripCancelAndNotTaken(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	early := f.register(t, f.off, "2026-09-29")
	overdue := f.register(t, f.off, "2026-09-29")
	soon := f.register(t, f.off, "2026-09-30")
	if err := db.MarkNotTaken(ctx, f.head, early.ID, "案件和解"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("未成行 before departure: %v", err)
	}
	if err := db.CancelTrip(ctx, f.off, soon.ID, "被执行人已主动履行"); err != nil {
		t.Fatalf("cancelled before departure: %v", err)
	}

	// Past departure the officer cannot cancel: the report is owed.
	f.set("2026-09-29 09:00")
	if err := db.CancelTrip(ctx, f.off, early.ID, "没去"); !errors.Is(err, domain.ErrConflict) || !strings.Contains(domain.UserMessage(err), "未成行") {
		t.Fatalf("the officer cancels after departure: %v", err)
	}
	for who, v := range map[string]domain.Viewer{"officer": f.off, "watchdog": f.group} {
		if err := db.MarkNotTaken(ctx, v, early.ID, "x"); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s marks 未成行: %v", who, err)
		}
	}
	if err := db.MarkNotTaken(ctx, f.head, early.ID, "  "); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("未成行 without a reason: %v", err)
	}
	if tr, _, _ := db.TripByID(ctx, f.head, early.ID); tr.Status != trip.StatusPlanned || tr.CancelReason != "" {
		t.Fatalf("a refused mark changed the trip: %+v", tr)
	}
	if err := db.MarkNotTaken(ctx, f.head, early.ID, "出发当日被执行人主动履行，未成行"); err != nil {
		t.Fatal(err)
	}
	tr, _, _ := db.TripByID(ctx, f.off, early.ID)
	if tr.Status != trip.StatusNotTaken || tr.CancelReason != "出发当日被执行人主动履行，未成行" || !strings.Contains(tr.CancelledBy, "测试head") || tr.NotTakenLate {
		t.Fatalf("marked 未成行: %+v", tr)
	}
	if _, err := db.FileTripReport(ctx, f.off, early.ID, accounted(tr, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-29"), Answers: allNo(), Attested: true}), trip.DefaultRules()); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a report for a trip that did not happen: %v", err)
	}
	if err := db.MarkNotTaken(ctx, f.head, early.ID, "again"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("marked twice: %v", err)
	}
	var audited int
	if err := db.WriteDB().QueryRowContext(ctx, db.Rebind("SELECT COUNT(*) FROM audit_log WHERE action = 'trip.not_taken' AND object_id = ?"), fmt.Sprint(early.ID)).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("audit of 未成行: %d %v", audited, err)
	}

	// The other trip is overdue (due 10 October, 国庆节 in between) when
	// the head marks it: it stays a missing report.
	f.set("2026-10-14 09:00")
	if err := db.CancelTrip(ctx, f.off, overdue.ID, "其实没去"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("the officer cancels an overdue trip: %v", err)
	}
	row := f.accountability(t, f.head)
	if row.Trips != 2 || row.Missing != 1 || row.NotTaken != 1 {
		t.Fatalf("before marking the overdue trip: %+v", row)
	}
	if err := db.MarkNotTaken(ctx, f.head, overdue.ID, "补记：当日改派他人"); err != nil {
		t.Fatal(err)
	}
	if tr, _, _ := db.TripByID(ctx, f.head, overdue.ID); !tr.NotTakenLate {
		t.Fatalf("marked after its due date: %+v", tr)
	}
	row = f.accountability(t, f.head)
	if row.Trips != 2 || row.Missing != 1 || row.NotTaken != 2 {
		t.Fatalf("an overdue trip marked 未成行 left the figures: %+v", row)
	}
	// It owes nothing more: no reminder, no to-do.
	if n, err := db.QueueTripReminders(ctx); err != nil || n != 0 {
		t.Fatalf("reminders: %d %v", n, err)
	}
	if s := todoTitles(t, db, f.off); strings.Contains(s, "填写外出执行情况报告单") {
		t.Fatalf("officer's to-dos:\n%s", s)
	}
	if ts, err := db.Trips(ctx, f.head, store.TripFilter{Status: trip.StatusNotTaken}); err != nil || len(ts) != 2 {
		t.Fatalf("listing 未成行: %d %v", len(ts), err)
	}
}

// Issue 13 point 12: a department head's own trip gets its requirement
// from the court's bureau (the configured leadership), not from his
// department, and his reports' reviews go to it.
func TestHeadOwnTrip(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	tr := f.register(t, f.head, "2026-09-29")
	if tr.LeaderRole != domain.RoleBureau {
		t.Fatalf("a head's own trip is led by %q", tr.LeaderRole)
	}
	if off := f.register(t, f.off, "2026-09-29"); off.LeaderRole != domain.RoleDeptHead {
		t.Fatalf("an officer's trip is led by %q", off.LeaderRole)
	}
	if s := todoTitles(t, db, f.bureau); !strings.Contains(s, "提出纪律要求：测试head 赴山东省青岛市市北区") || strings.Contains(s, "测试off") {
		t.Fatalf("the bureau's to-dos:\n%s", s)
	}
	if s := todoTitles(t, db, f.cohead); strings.Contains(s, "提出纪律要求：测试head") {
		t.Fatalf("the co-head is asked for the head's requirement:\n%s", s)
	}
	for who, v := range map[string]domain.Viewer{"the head himself": f.head, "the co-head": f.cohead, "the higher court's bureau": f.qd} {
		if err := db.RecordRequirement(ctx, v, tr.ID, true, "x", ""); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s gives the requirement: %v", who, err)
		}
	}
	if err := db.RecordRequirement(ctx, f.bureau, tr.ID, true, "严守办案纪律，费用自理", "王局长"); err != nil {
		t.Fatal(err)
	}
	if row := f.accountability(t, f.bureau); row.Trips != 2 || row.RequiredBefore != 1 {
		t.Fatalf("the head's requirement is not counted: %+v", row)
	}

	// His report with a 有: the bureau handles it, not his department.
	f.set("2026-10-09 09:00")
	a := allNo()
	a["T5"] = true
	if _, err := db.FileTripReport(ctx, f.head, tr.ID, accounted(tr, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: a, Attested: true}), trip.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	if s := todoTitles(t, db, f.bureau); !strings.Contains(s, "处理外出报告（报告单有“有”项）：测试head") {
		t.Fatalf("the bureau's to-dos:\n%s", s)
	}
	if s := todoTitles(t, db, f.cohead); strings.Contains(s, "处理外出报告") {
		t.Fatalf("the co-head is asked to handle the head's report:\n%s", s)
	}
	if rs, err := db.TripReviews(ctx, f.cohead, false, 10); err != nil || len(rs) != 0 {
		t.Fatalf("the co-head sees the head's reviews: %+v %v", rs, err)
	}
	rs, err := db.TripReviewsOf(ctx, f.bureau, tr.ID, 0)
	if err != nil || len(rs) != 1 || rs[0].HandlerRole != domain.RoleBureau {
		t.Fatalf("reviews %+v %v", rs, err)
	}
	if err := db.NoteReview(ctx, f.cohead, rs[0].ID, "x"); err == nil {
		t.Fatal("the co-head notes the head's review")
	}
	if err := db.NoteReview(ctx, f.bureau, rs[0].ID, "已提醒严格执行公车使用规定"); err != nil {
		t.Fatal(err)
	}
}

// The leadership is configurable: a role that sees the court's trips.
func TestTripLeadershipRule(t *testing.T) {
	r := trip.DefaultRules()
	r.Leadership = domain.RoleDisciplineGroup
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	head := domain.Viewer{UserID: 1, CourtID: 1, DepartmentID: 2, Roles: []domain.Role{domain.RoleDeptHead}}
	if trip.LeaderRoleOf(head, r) != domain.RoleDisciplineGroup || trip.LeaderRoleOf(head, trip.Rules{ReportDays: 3, EscalateDays: 2}) != domain.RoleBureau {
		t.Fatal("the leadership of a head's trip")
	}
	for _, bad := range []domain.Role{domain.RoleOfficer, domain.RoleDeptHead, domain.RoleAdmin, "boss"} {
		r.Leadership = bad
		if r.Validate() == nil {
			t.Errorf("leadership %q accepted", bad)
		}
	}
}

// Issue 13 point 13: 附件1 gives an account of each case of the trip, part
// of what is signed.
func TestTripCaseAccounts(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	tr := f.register(t, f.off, "2026-09-29")
	f.set("2026-10-09 09:00")
	in := trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: allNo(), Attested: true}
	for name, accounts := range map[string]map[int64]string{
		"none":       nil,
		"blank":      {f.caseID: "  "},
		"too long":   {f.caseID: strings.Repeat("查", trip.MaxCaseAccount+1)},
		"other case": {f.caseID: "查封", f.caseID + 1000: "另案"},
	} {
		in.CaseAccounts = accounts
		if _, err := db.FileTripReport(ctx, f.off, tr.ID, in, trip.DefaultRules()); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, reports, _ := db.TripByID(ctx, f.off, tr.ID); len(reports) != 0 {
		t.Fatal("a refused report was kept")
	}
	in.CaseAccounts = map[int64]string{f.caseID: " 查封被执行人名下房产一处，张贴封条 "}
	rid, err := db.FileTripReport(ctx, f.off, tr.ID, in, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	_, reports, _ := db.TripByID(ctx, f.head, tr.ID)
	if len(reports) != 1 || len(reports[0].Accounts) != 1 || reports[0].Accounts[0].Number != f.caseNo ||
		reports[0].Accounts[0].Text != "查封被执行人名下房产一处，张贴封条" || !reports[0].Intact {
		t.Fatalf("report %+v", reports)
	}
	// The accounts are signed.
	testdb.Exec(t, db, "UPDATE trip_reports SET case_accounts = REPLACE(case_accounts, '一处', '两处') WHERE id = ?", rid)
	if _, reports, _ := db.TripByID(ctx, f.head, tr.ID); reports[0].Intact {
		t.Fatal("a changed account still shows as intact")
	}
}

// Issue 13 point 14: a complaint that matches the mapping flags the
// officer when he filed no report for the case's trip; the leader's talk
// reminder is a record that oversight counts.
func TestTripCrossCheckUnreported(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	tr := f.register(t, f.off, "2026-09-29")
	f.set("2026-10-14 10:00") // due on the 10th: nothing filed
	vi := f.partyComplains(t, cc)
	rs, err := db.TripReviewsOf(ctx, f.group, tr.ID, 0)
	if err != nil || len(rs) != 1 {
		t.Fatalf("reviews of the unreported trip: %+v %v", rs, err)
	}
	r := rs[0]
	if r.Reason != "unreported" || r.ReportID != 0 || r.TripID != tr.ID || r.VisitID != vi.ID || !strings.Contains(r.Detail, "接受当事人吃请") || !strings.Contains(r.Detail, "未提交") {
		t.Fatalf("review %+v", r)
	}
	if s := todoTitles(t, db, f.head); !strings.Contains(s, "谈话提醒、批评教育（外出未报告）：测试off") {
		t.Fatalf("head's to-dos:\n%s", s)
	}
	if s := todoTitles(t, db, f.group); !strings.Contains(s, "审查外出报告（当事人反映问题，外出未报告）：测试off") {
		t.Fatalf("group's to-dos:\n%s", s)
	}
	if s := todoTitles(t, db, f.off); strings.Contains(s, "吃请") || strings.Contains(s, "谈话") {
		t.Fatalf("the officer is told of the complaint:\n%s", s)
	}
	if _, err := db.TripReviewsOf(ctx, f.off, tr.ID, 0); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the officer reads the reviews: %v", err)
	}
	if row := f.accountability(t, f.head); row.Contradicted != 1 || row.TalksHeld != 0 || row.Missing != 1 {
		t.Fatalf("accountability %+v", row)
	}

	// The talk reminder is a record, not words: a note is refused, a
	// record with a field missing changes nothing.
	if err := db.NoteReview(ctx, f.head, r.ID, "已谈话提醒"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a free-text note on a complaint: %v", err)
	}
	talk := trip.Talk{On: domain.MustDate("2026-10-14"), Place: "执行一庭办公室", Content: "提醒严格遵守外出报告制度，如实报告", Statement: "本人承认未按时报告，今后严格遵守"}
	for name, bad := range map[string]func(*trip.Talk){
		"no date":      func(x *trip.Talk) { x.On = domain.Date{} },
		"future":       func(x *trip.Talk) { x.On = domain.MustDate("2026-10-15") },
		"before":       func(x *trip.Talk) { x.On = domain.MustDate("2026-10-01") },
		"no place":     func(x *trip.Talk) { x.Place = " " },
		"no content":   func(x *trip.Talk) { x.Content = "" },
		"no statement": func(x *trip.Talk) { x.Statement = "" },
	} {
		x := talk
		bad(&x)
		if err := db.RecordTalk(ctx, f.head, r.ID, x); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := db.RecordTalk(ctx, f.cohead, r.ID, talk); err != nil {
		t.Fatalf("a head of the department records the talk: %v", err)
	}
	if err := db.RecordTalk(ctx, f.head, r.ID, talk); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("recorded twice: %v", err)
	}
	got, err := db.TripReviewByID(ctx, f.group, r.ID)
	if err != nil || got.Talk == nil || *got.Talk != talk || got.HeadAt.IsZero() || !strings.Contains(got.HeadBy, "测试cohead") {
		t.Fatalf("the talk on record: %+v %v", got, err)
	}
	if row := f.accountability(t, f.group); row.TalksHeld != 1 {
		t.Fatalf("the talk is not counted: %+v", row)
	}
}

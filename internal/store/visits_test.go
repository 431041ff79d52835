package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

func count(t *testing.T, db *store.DB, q string) int {
	t.Helper()
	var n int
	if err := db.WriteDB().QueryRowContext(ctx, q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A drawn case gets a visit per party with a mobile; the visit walks the
// seed's whole escalation, the record is kept, and each SMS is queued once.
func TestVisitEscalation(t *testing.T) {
	db := testdb.Open(t)
	officer := testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.Officer = officer.Name
	k.ClosedOn = domain.MustDate("2026-10-10")
	k.ClosingMode = "执行完毕"
	upsert(t, db, domain.SystemViewer("t"), k)
	b, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule())
	if err != nil {
		t.Fatal(err)
	}
	vs, err := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{BatchID: b.ID})
	if err != nil || len(vs) != 2 || vs[0].OfficerID != officer.ID {
		t.Fatalf("visits of the batch: %d %v", len(vs), err)
	}
	id := vs[len(vs)-1].ID // the applicant's

	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bu", "鲁0102", "执行局", domain.RoleBureau), "")
	group := domain.ViewerFor(testdb.AddUser(t, db, "dg", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	office := domain.ViewerFor(testdb.AddUser(t, db, "so", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	cfg := visit.DefaultConfig()
	step := func(v domain.Viewer, ev visit.Event) visit.Transition {
		t.Helper()
		tr, err := db.ApplyVisitEvent(ctx, v, id, ev, cfg)
		if err != nil {
			t.Fatalf("%s: %v", ev.Kind, err)
		}
		return tr
	}
	step(cc, visit.Event{Kind: visit.EventStart})
	reply, _ := visit.ParseSatisfaction("不满意！")
	tr := step(cc, visit.Event{Kind: visit.EventSMSReply, Reply: reply})
	if tr.State.Step != visit.StepPhonePending {
		t.Fatalf("after 不满意: %s", tr.State.Step)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sms_outbox"); n != 2 { // the question, then the categories
		t.Fatalf("%d messages queued", n)
	}
	if _, err := db.ApplyVisitEvent(ctx, bureau, id, visit.Event{Kind: visit.EventPhoneRecorded}, cfg); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the bureau records the phone visit: %v", err)
	}
	step(cc, visit.Event{Kind: visit.EventCategoriesReply, Categories: []int{3}})
	no := false
	step(cc, visit.Event{Kind: visit.EventPhoneRecorded, Answers: &visit.Answers{Satisfied: &no, Items: []string{"C3.2"}, Text: "承办人接受吃请"}})
	if _, err := db.ApplyVisitEvent(ctx, bureau, id, consultEvent(db, domain.RoleDisciplineGroup), cfg); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the bureau records as the group: %v", err)
	}
	// The watchdog of the higher court sees the visit, but the
	// consultation is the case's court's (issue 13, point 7).
	higher := domain.ViewerFor(testdb.AddUser(t, db, "jnw", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	if _, _, err := db.VisitByID(ctx, higher, id); err != nil {
		t.Fatalf("the higher watchdog sees the visit: %v", err)
	}
	if _, err := db.ApplyVisitEvent(ctx, higher, id, consultEvent(db, domain.RoleDisciplineGroup), cfg); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the higher watchdog records the consultation: %v", err)
	}
	tr = step(office, consultEvent(db, domain.RoleSupervisionOffice))
	if tr.State.Step != visit.StepOnsitePending || len(tr.Duty.People) != 3 {
		t.Fatalf("after the consultation: %+v", tr)
	}
	tr = step(group, visit.Event{Kind: visit.EventOnsiteRecorded, Measures: "约谈承办人", Suggestions: "加强廉政教育"})
	if tr.State.Step != visit.StepClosed || tr.State.Outcome != visit.OutcomeOnsiteDone {
		t.Fatalf("after on-site: %+v", tr.State)
	}
	vi, evs, err := db.VisitByID(ctx, group, id)
	if err != nil || len(evs) != 6 || vi.ClosedAt.IsZero() {
		t.Fatalf("record: %d events, %v", len(evs), err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM visit_answers WHERE items = 'C3.2' AND NOT satisfied"); n != 1 {
		t.Fatalf("answers for statistics: %d", n)
	}
	if _, err := db.ApplyVisitEvent(ctx, cc, id, visit.Event{Kind: visit.EventStart}, cfg); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("restarting a closed visit: %v", err)
	}
	// Statistics: the category named by SMS and again by phone counts
	// once; the rollup agrees with the visits at the end of the walk.
	cats, items, err := db.DissatisfactionCounts(ctx, group, store.StatsFilter{From: "2000-01", To: "2100-12"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range slices.Concat(cats, items) {
		want := 0
		if c.Code == "C3" || c.Code == "C3.2" {
			want = 1
		}
		if c.Count != want {
			t.Errorf("%s counted %d times, want %d", c.Code, c.Count, want)
		}
	}
	if diff, err := db.CheckVisitRollup(ctx); err != nil || len(diff) > 0 {
		t.Fatalf("rollup: %v %v", diff, err)
	}
	rows, err := db.VisitStats(ctx, group, store.StatsFilter{From: "2000-01", To: "2100-12", By: "court"})
	if err != nil || len(rows) != 1 || rows[0].Visits != 2 || rows[0].Dissatisfied != 1 || rows[0].Onsite != 1 || rows[0].Closed != 1 || rows[0].Label != "济南市历下区人民法院" {
		t.Fatalf("by court: %+v %v", rows, err)
	}
}

// Secrecy: the officer of the case never sees its visits, not even when
// also holding a bureau role; a watchdog of another court neither.
func TestVisitSecrecy(t *testing.T) {
	db := testdb.Open(t)
	both := testdb.AddUser(t, db, "boss", "鲁0102", "执行局", domain.RoleBureau, domain.RoleOfficer)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.Officer, k.Department = both.Name, "执行局"
	k.ClosedOn = domain.MustDate("2026-10-10")
	k.ClosingMode = "执行完毕"
	other := testCase(t, "（2026）鲁0102执2号", "2026-03-01")
	other.ClosedOn = domain.MustDate("2026-10-11")
	other.ClosingMode = "执行完毕"
	upsert(t, db, domain.SystemViewer("t"), k, other)
	rule := visit.DrawRule{Rate: 1, Rounding: "ceil", MinOne: true}
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", rule); err != nil {
		t.Fatal(err)
	}
	all, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	if len(all) != 4 {
		t.Fatalf("%d visits", len(all))
	}
	mine, err := db.Visits(ctx, domain.ViewerFor(both, ""), store.VisitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, vi := range mine {
		if vi.OfficerID == both.ID {
			t.Fatal("the officer sees a visit about his own case")
		}
	}
	if len(mine) != 2 {
		t.Fatalf("the bureau head sees %d visits, want the 2 of the other case", len(mine))
	}
	for _, vi := range all {
		if vi.OfficerID != both.ID {
			continue
		}
		if _, _, err := db.VisitByID(ctx, domain.ViewerFor(both, ""), vi.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("officer opens a visit about himself: %v", err)
		}
		if _, err := db.ApplyVisitEvent(ctx, domain.ViewerFor(both, ""), vi.ID, consultEvent(db, domain.RoleBureau), visit.DefaultConfig()); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("officer acts on a visit about himself: %v", err)
		}
	}
	qd := testdb.AddUser(t, db, "qdw", "鲁02", "纪检监察组", domain.RoleDisciplineGroup)
	if vs, _ := db.Visits(ctx, domain.ViewerFor(qd, ""), store.VisitFilter{}); len(vs) != 0 {
		t.Fatalf("Qingdao watchdog sees %d visits", len(vs))
	}
	plain := testdb.AddUser(t, db, "plain", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleDeptHead)
	if _, err := db.Visits(ctx, domain.ViewerFor(plain, ""), store.VisitFilter{}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("officer lists visits: %v", err)
	}
	// Nor in the statistics, whichever grouping: the rollup's counts less
	// his own visits, the same as counting the visits he may see.
	for _, by := range []string{"court", "month", "department", "officer"} {
		rows, err := db.VisitStats(ctx, domain.ViewerFor(both, ""), store.StatsFilter{From: "2000-01", To: "2100-12", By: by})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rows {
			n += r.Visits
			if r.Key == fmt.Sprint(both.ID) && by == "officer" {
				t.Errorf("statistics by officer show the viewer himself")
			}
		}
		if n != 2 {
			t.Errorf("by %s the bureau head counts %d visits, want 2", by, n)
		}
	}
	if _, err := db.VisitStats(ctx, domain.ViewerFor(plain, ""), store.StatsFilter{From: "2000-01", To: "2100-12", By: "court"}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("officer reads statistics: %v", err)
	}
}

func TestFocusedScan(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) }
	old := testCase(t, "（2025）鲁0102执1号", "2025-03-01")      // open 20 months, and overdue
	petition := testCase(t, "（2026）鲁0102执2号", "2026-09-01") // petition
	petition.Petition = true
	sup := testCase(t, "（2026）鲁0102执3号", "2026-10-01") // supervised
	sup.SupervisedBy = "鲁01"
	fine := testCase(t, "（2026）鲁0102执4号", "2026-10-02")   // nothing
	closed := testCase(t, "（2024）鲁0102执5号", "2024-01-01") // closed long ago, inside its limit: not focused
	closed.ClosedOn = domain.MustDate("2024-02-01")
	upsert(t, db, domain.SystemViewer("t"), old, petition, sup, fine, closed)
	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()})
	if err != nil {
		t.Fatal(err)
	}
	// old: 18 months and overdue (2 reasons, one visit) × 2 parties;
	// petition, sup: 2 each.
	if rep.Created != 6 || rep.Merged != 2 || rep.Found != 3 {
		t.Fatalf("scan: %+v", rep)
	}
	reasons := map[string]int{}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{Kind: "focused"})
	for _, vi := range vs {
		rs, err := db.VisitReasons(ctx, domain.SystemViewer("t"), vi.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			reasons[r.Reason]++
		}
	}
	if reasons[visit.ReasonOpen18Months] != 2 || reasons[visit.ReasonOverdue] != 2 || reasons[visit.ReasonPetition] != 2 || reasons[visit.ReasonSupervised] != 2 {
		t.Fatalf("reasons %v", reasons)
	}
	if rep, _ := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()}); rep.Created+rep.Merged != 0 || rep.Found != 3 {
		t.Fatalf("second scan: %+v", rep)
	}
	cc := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	got, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), fine.Number)
	if _, err := db.AddFocusedVisit(ctx, domain.ViewerFor(cc, ""), got.ID, " "); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("manual focus without reason: %v", err)
	}
	if n, err := db.AddFocusedVisit(ctx, domain.ViewerFor(cc, ""), got.ID, "舆情反映强烈"); err != nil || n != (store.FocusAdded{Created: 2}) {
		t.Fatalf("manual focus: %+v %v", n, err)
	}
	// A second listing while the visits are open joins them (issue 13:
	// the parties got the same SMS two or three times).
	if n, err := db.AddFocusedVisit(ctx, domain.ViewerFor(cc, ""), got.ID, "当事人再次来电"); err != nil || n != (store.FocusAdded{Merged: 2}) {
		t.Fatalf("second manual focus: %+v %v", n, err)
	}
	// Not for a case one handles oneself: the page hid the button, and now
	// the store refuses too (issue 12: one rule, visit.CanAddFocus).
	if _, err := db.WriteDB().ExecContext(ctx, fmt.Sprintf("UPDATE cases SET officer_id = %d WHERE id = %d", cc.ID, got.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddFocusedVisit(ctx, domain.ViewerFor(cc, ""), got.ID, "舆情反映强烈"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("manual focus on one's own case: %v", err)
	}
	if !strings.Contains(visit.FocusReasons[visit.ReasonOverdue], "法定期限") {
		t.Fatal("reason label")
	}
}

func TestReplyWindowExpires(t *testing.T) {
	db := testdb.Open(t)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.ClosedOn = domain.MustDate("2026-10-10")
	k.ClosingMode = "执行完毕"
	upsert(t, db, domain.SystemViewer("t"), k)
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	cfg := visit.DefaultConfig()
	for _, vi := range vs {
		if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("t"), vi.ID, visit.Event{Kind: visit.EventStart}, cfg); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.ExpireReplyWindows(ctx, cfg); err != nil || n != 0 {
		t.Fatalf("before the window ends: %d %v", n, err)
	}
	real := db.Now
	db.Now = func() time.Time { return real().Add(cfg.ReplyWindow + time.Minute) }
	if n, err := db.ExpireReplyWindows(ctx, cfg); err != nil || n != len(vs) {
		t.Fatalf("after the window: %d of %d, %v", n, len(vs), err)
	}
	vi, _, _ := db.VisitByID(ctx, domain.SystemViewer("t"), vs[0].ID)
	if vi.State.Step != visit.StepPhonePending || !vi.State.NoReply {
		t.Fatalf("after expiry: %+v", vi.State)
	}
}

func TestStartNewVisits(t *testing.T) {
	db := testdb.Open(t)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.ClosedOn = domain.MustDate("2026-10-10")
	k.ClosingMode = "执行完毕"
	k.Parties[1].Phone = ""
	upsert(t, db, domain.SystemViewer("t"), k)
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	if n, err := db.StartNewVisits(ctx, visit.DefaultConfig()); err != nil || n != 1 {
		t.Fatalf("started %d, %v", n, err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sms_outbox"); n != 1 {
		t.Fatalf("%d messages", n)
	}
	if n, _ := db.StartNewVisits(ctx, visit.DefaultConfig()); n != 0 {
		t.Fatalf("started again: %d", n)
	}
}

// Replies by SMS find their visit through the number and the last
// question sent to it.
func TestReceiveReply(t *testing.T) {
	db := testdb.Open(t)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.ClosedOn = domain.MustDate("2026-10-10")
	k.ClosingMode = "执行完毕"
	k.Parties = k.Parties[:1]
	upsert(t, db, domain.SystemViewer("t"), k)
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	cfg := visit.DefaultConfig()
	out := &store.SMSOutbox{DB: db, Visits: cfg}
	sent := 0
	send := func() {
		t.Helper()
		now := time.Now()
		msgs, err := out.Claim(ctx, "t", 10, now, now.Add(-time.Hour), 5)
		if err != nil || len(msgs) != 1 || msgs[0].To != "13812345678" {
			t.Fatalf("pending: %+v %v", msgs, err)
		}
		sent++
		if err := out.Record(ctx, []sms.Outcome{{ID: msgs[0].ID, Result: sms.ResultSent, ProviderIDs: []string{fmt.Sprint("x", sent)}}}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.StartNewVisits(ctx, cfg); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	send()
	id, err := db.ReceiveReply(ctx, "+86 138-1234-5678", "不满意！", time.Now(), cfg)
	if err != nil || id == 0 {
		t.Fatalf("reply: %d %v", id, err)
	}
	send() // the categories question
	if _, err := db.ReceiveReply(ctx, "13812345678", "1，3", time.Now(), cfg); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM visit_answers WHERE categories = 'C1,C3'"); n != 1 {
		t.Fatalf("categories answers: %d", n)
	}
	vi, _, _ := db.VisitByID(ctx, domain.SystemViewer("t"), id)
	if vi.State.Step != visit.StepPhonePending {
		t.Fatalf("visit: %s", vi.State.Step)
	}
	if got, err := db.ReceiveReply(ctx, "13900000000", "满意", time.Now(), cfg); err != nil || got != 0 {
		t.Fatalf("stranger's message: %d %v", got, err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sms_inbox WHERE status = 'unmatched'"); n != 1 {
		t.Fatalf("unmatched kept: %d", n)
	}
	c, err := db.SMSStats(ctx)
	if err != nil || c.Unmatched != 1 || c.ByStatus[sms.StatusSent] != 2 {
		t.Fatalf("counts: %+v %v", c, err)
	}
}

// failInserts makes every insert into table fail until the returned func
// is called: a database that breaks in the middle of a change.
func failInserts(t *testing.T, db *store.DB, table string) (restore func()) {
	t.Helper()
	stmts := []string{"CREATE TRIGGER test_fail BEFORE INSERT ON " + table + " BEGIN SELECT RAISE(ABORT, 'test failure'); END"}
	drop := "DROP TRIGGER test_fail"
	if db.Engine == store.Postgres {
		stmts = []string{
			"CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test failure'; END $$",
			"CREATE TRIGGER test_fail BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION test_fail()",
		}
		drop = "DROP TRIGGER test_fail ON " + table
	}
	for _, q := range stmts {
		if _, err := db.WriteDB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		t.Helper()
		if _, err := db.WriteDB().ExecContext(ctx, drop); err != nil {
			t.Fatal(err)
		}
	}
}

// A reply and what it does to its visit, and a round of SMS outcomes and
// the visits they send to the phone, commit whole or not at all (issue
// 12: each used to be two transactions, and a failure between them lost a
// reply's record or left a visit waiting for an answer that would never
// come).
func TestRepliesAndRoundsCommitWhole(t *testing.T) {
	db := testdb.Open(t)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.ClosedOn = domain.MustDate("2026-10-10")
	k.ClosingMode = "执行完毕"
	k.Parties = k.Parties[:1]
	upsert(t, db, domain.SystemViewer("t"), k)
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	cfg := visit.DefaultConfig()
	out := &store.SMSOutbox{DB: db, Visits: cfg}
	if n, err := db.StartNewVisits(ctx, cfg); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	now := time.Now()
	msgs, err := out.Claim(ctx, "t", 10, now, now.Add(-time.Hour), 5)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("claim: %+v %v", msgs, err)
	}
	if err := out.Record(ctx, []sms.Outcome{{ID: msgs[0].ID, Result: sms.ResultSent, ProviderIDs: []string{"x1"}}}); err != nil {
		t.Fatal(err)
	}
	step := func() visit.Step {
		t.Helper()
		vs, err := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
		if err != nil || len(vs) != 1 {
			t.Fatalf("visits: %d %v", len(vs), err)
		}
		return vs[0].State.Step
	}

	// The inbox breaks: the reply is not applied either.
	restore := failInserts(t, db, "sms_inbox")
	if _, err := db.ReceiveReply(ctx, "13812345678", "满意", time.Now(), cfg); err == nil {
		t.Fatal("a reply was taken while its record could not be kept")
	}
	if s := step(); s != visit.StepSMSSent || count(t, db, "SELECT COUNT(*) FROM visit_events WHERE kind = 'sms_reply'") != 0 {
		t.Fatalf("the reply moved the visit without its record: %s", s)
	}
	restore()

	// A round whose failed message cannot move its visit to the phone is
	// not recorded at all: the sender records it again.
	if _, err := db.WriteDB().ExecContext(ctx, fmt.Sprintf("UPDATE sms_outbox SET status = 'sending' WHERE id = %d", msgs[0].ID)); err != nil {
		t.Fatal(err)
	}
	restore = failInserts(t, db, "visit_events")
	if err := out.Record(ctx, []sms.Outcome{{ID: msgs[0].ID, Result: sms.ResultFailed, Reason: "空号"}}); err == nil {
		t.Fatal("a round was recorded while its visit could not move")
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sms_outbox WHERE status = 'sending'"); n != 1 || step() != visit.StepSMSSent {
		t.Fatalf("half a round: %d sending, visit %s", n, step())
	}
	restore()
	if err := out.Record(ctx, []sms.Outcome{{ID: msgs[0].ID, Result: sms.ResultFailed, Reason: "空号"}}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sms_outbox WHERE status = 'failed'"); n != 1 || step() != visit.StepPhonePending {
		t.Fatalf("after the round: %d failed, visit %s", n, step())
	}
	// And the reply that now comes is kept, unmatched (the visit has gone
	// to the phone), in the same transaction that found it fits nothing.
	if id, err := db.ReceiveReply(ctx, "13812345678", "满意", time.Now(), cfg); err != nil || id != 0 {
		t.Fatalf("late reply: %d %v", id, err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sms_inbox WHERE status = 'unmatched'"); n != 1 {
		t.Fatalf("late reply kept: %d", n)
	}
}

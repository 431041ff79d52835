package store_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// runReportFixture is 鲁0102 in March 2026, seen on 12 April (Beijing
// 10:00): its three bodies and an officer, 鲁01's bureau above, and in
// March one thing in each register a report counts — a finding special
// inspections kept, a confirmed 网上巡查 finding, a 不如实报告 trip review,
// a dissatisfied return visit and a disposition of the officer.
type runReportFixture struct {
	db                             *store.DB
	now                            time.Time
	bureau, group, sup, off, above domain.Viewer
	officer                        *domain.User
	march                          overview.Period
}

func newRunReportFixture(t *testing.T) *runReportFixture {
	t.Helper()
	db := testdb.Open(t)
	f := &runReportFixture{db: db, now: time.Date(2026, 4, 12, 2, 0, 0, 0, time.UTC), march: overview.Month(2026, time.March)}
	db.Now = func() time.Time { return f.now }
	v := func(u *domain.User) domain.Viewer { return domain.ViewerFor(u, "") }
	f.bureau = v(testdb.AddUser(t, db, "rr.bur", "鲁0102", "执行局", domain.RoleBureau))
	f.group = v(testdb.AddUser(t, db, "rr.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup))
	f.sup = v(testdb.AddUser(t, db, "rr.sup", "鲁0102", "监察室", domain.RoleSupervisionOffice))
	f.officer = testdb.AddUser(t, db, "rr.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	f.off = v(f.officer)
	f.above = v(testdb.AddUser(t, db, "rr.bur01", "鲁01", "执行局", domain.RoleBureau))
	sys := domain.SystemViewer("t")

	k := testCase(t, "（2026）鲁0102执7号", "2026-01-05")
	k.Officer = f.officer.Name
	upsert(t, db, sys, k)
	caseID := caseNoID(t, db, k.Number)
	march := time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC)

	// A finding kept by a case review of the court's bodies.
	camp, err := db.CreateInspection(ctx, f.bureau, store.InspectionInput{Campaign: inspection.Campaign{Kind: inspection.KindCaseReview,
		Theme: inspection.ThemeMoney, Title: "案款评查", From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-03-31")}, Courts: []string{"鲁0102"},
		MemberIDs: []int64{f.bureau.UserID, f.group.UserID, f.sup.UserID}, LeaderID: f.bureau.UserID, PerCourt: 1, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	testdb.Exec(t, db, `INSERT INTO inspection_findings (campaign_id, court_id, officer_id, case_no, category, severity, text, answer_due, state, created_at)
		SELECT ?, id, ?, ?, '案款管理', 'general', '测试rr.off未及时发放案款', '2026-03-30', 'kept', ? FROM courts WHERE code = '鲁0102'`,
		camp, f.officer.ID, k.Number, march)
	// A confirmed 网上巡查 finding.
	testdb.Exec(t, db, `INSERT INTO patrol_findings (court_id, case_id, rule, subject, title, aspect, detail, state, first_found, last_found, updated_at)
		SELECT court_id, id, 'notice_late', 's', '执行通知书未按期发出', 'acts', 'd', 'confirmed', '2026-03-10', '2026-03-10', ? FROM cases WHERE id = ?`, march, caseID)
	// A trip review and a dissatisfied visit of the case.
	testdb.Exec(t, db, `INSERT INTO trips (id, court_id, officer_id, destination, destination_name, out_of_jurisdiction, depart_at, return_at, task, report_due, escalate_on, created_at, updated_at)
		SELECT 9701, court_id, ?, '370203', '市北区', TRUE, ?, ?, '查控', '2026-03-20', '2026-03-25', ?, ? FROM cases WHERE id = ?`, f.officer.ID, march, march, march, march, caseID)
	testdb.Exec(t, db, "INSERT INTO trip_cases (trip_id, case_id) VALUES (9701, ?)", caseID)
	testdb.Exec(t, db, `INSERT INTO trip_reviews (trip_id, court_id, officer_id, reason, opened_at) SELECT 9701, court_id, ?, 'contradicted', ? FROM cases WHERE id = ?`,
		f.officer.ID, march, caseID)
	testdb.Exec(t, db, `INSERT INTO visits (id, case_id, kind, court_id, step, created_by, created_at, updated_at, month)
		SELECT 9901, id, 'daily', court_id, 'phone_pending', 't', ?, ?, '2026-03' FROM cases WHERE id = ?`, march, march, caseID)
	testdb.Exec(t, db, "INSERT INTO visit_answers (visit_id, source, satisfied, categories, at) VALUES (9901, 'sms', FALSE, 'C1,C3', ?)", march)
	testdb.Exec(t, db, "INSERT INTO visit_answers (visit_id, source, satisfied, categories, at) VALUES (9901, 'phone', FALSE, 'C1', ?)", march)
	f.dispose(t, "2026-03-20")
	return f
}

// dispose records a first-form disposition of the officer on day.
func (f *runReportFixture) dispose(t *testing.T, day string) {
	t.Helper()
	if _, err := f.db.RecordDisposition(ctx, domain.SystemViewer("t"), "鲁0102", oversight.Disposition{Person: f.officer.Username, Form: 1, Measure: "谈话提醒",
		Basis: "外出执行不如实报告", Decider: "纪检监察组", DecidedOn: domain.MustDate(day)}); err != nil {
		t.Fatal(err)
	}
}

func complete() report.Narrative {
	return report.Narrative{"basic": "三月份四项机制运行正常。", "problems": "个别案件案款发放不及时。", "rectify": "已建立案款台账。", "next": "继续抓好回访。"}
}

func isErr(err, code error) bool { return errors.Is(err, code) }

// TestRunReportLifecycle drafts, edits, submits, returns and submits
// again a report, and checks who may do each; that the submitted content
// is frozen against later changes of the data, signed, and that a
// tampered snapshot shows; and that the report names no officer and
// counts dispositions alone.
func TestRunReportLifecycle(t *testing.T) {
	f := newRunReportFixture(t)
	db := f.db
	if _, _, err := db.CreateRunReport(ctx, f.sup, f.march); !isErr(err, domain.ErrForbidden) {
		t.Fatalf("the 监察室 drafts: %v", err)
	}
	if _, _, err := db.CreateRunReport(ctx, f.bureau, overview.Month(2026, time.May)); !isErr(err, domain.ErrInvalid) {
		t.Fatalf("a future month: %v", err)
	}
	id, created, err := db.CreateRunReport(ctx, f.bureau, f.march)
	if err != nil || !created {
		t.Fatal(created, err)
	}
	if again, created, err := db.CreateRunReport(ctx, f.group, f.march); err != nil || created || again != id {
		t.Fatalf("drafting March again: %d %v %v", again, created, err)
	}
	for name, v := range map[string]domain.Viewer{"the officer": f.off, "the court above (a draft)": f.above} {
		if _, err := db.RunReport(ctx, v, id); !isErr(err, domain.ErrNotFound) {
			t.Errorf("%s reads: %v", name, err)
		}
	}
	if err := db.SaveRunReport(ctx, f.sup, id, complete()); !isErr(err, domain.ErrForbidden) {
		t.Errorf("the 监察室 edits: %v", err)
	}
	if err := db.SaveRunReport(ctx, f.group, id, report.Narrative{"basic": "三月份四项机制运行正常。"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SubmitRunReport(ctx, f.bureau, id, overview.DefaultTargets()); !isErr(err, domain.ErrInvalid) {
		t.Fatalf("submitting without the other sections: %v", err)
	}
	if err := db.SaveRunReport(ctx, f.bureau, id, complete()); err != nil {
		t.Fatal(err)
	}
	r, _ := db.RunReport(ctx, f.bureau, id)
	draft, err := db.RunReportContent(ctx, f.bureau, r, overview.DefaultTargets())
	if err != nil {
		t.Fatal(err)
	}
	if draft.DispositionTotal() != 1 || draft.Narrative[2].Body != "已建立案款台账。" {
		t.Fatalf("draft: %d dispositions, %+v", draft.DispositionTotal(), draft.Narrative)
	}
	// The typical problems, worked out by hand: the kept finding, the
	// 网上巡查 one, the trip review, and the visit once under each of its
	// two categories however many answers chose them.
	want := map[report.ProblemKind]string{
		report.ProblemInspection: "案款管理×1（2026）鲁0102执7号",
		report.ProblemTracking:   "网上巡查：执行通知书未按期发出×1（2026）鲁0102执7号",
		report.ProblemTrip:       "与当事人反映不符（不如实报告）×1（2026）鲁0102执7号",
		report.ProblemVisit:      "反映执行不廉或作风不正×1（2026）鲁0102执7号；反映消极执行×1（2026）鲁0102执7号",
	}
	for _, g := range draft.Problems {
		var got []string
		for _, p := range g.Items {
			got = append(got, p.Label+"×"+strconv.Itoa(p.Count)+strings.Join(p.Cases, ""))
		}
		if strings.Join(got, "；") != want[g.Kind] {
			t.Errorf("%s: %q, want %q", g.Name, strings.Join(got, "；"), want[g.Kind])
		}
	}

	if err := db.SubmitRunReport(ctx, f.bureau, id, overview.DefaultTargets()); err != nil {
		t.Fatal(err)
	}
	r, _ = db.RunReport(ctx, f.sup, id)
	if r.State != report.StateSubmitted || r.Submissions != 1 || !r.Verified() || r.Signature.Signer != f.bureau.Name || !r.Signature.At.Equal(f.now) {
		t.Fatalf("submitted: %+v", r)
	}
	frozen, err := db.RunReportContent(ctx, f.sup, r, overview.DefaultTargets())
	if err != nil {
		t.Fatal(err)
	}
	// No officer's name anywhere in what the bureau reads, the finding's
	// own text (which names him) included; dispositions as counts.
	for _, name := range []string{f.officer.Name, f.officer.Username} {
		if strings.Contains(string(r.Snapshot), name) {
			t.Errorf("the report names %s: %s", name, r.Snapshot)
		}
	}
	if !strings.Contains(string(r.Snapshot), `"dispositions":[{"label":"第一种形态","n":1}`) {
		t.Errorf("dispositions: %s", r.Snapshot)
	}

	// The data change after submission: the report does not.
	f.dispose(t, "2026-03-25")
	testdb.Exec(t, db, `INSERT INTO inspection_findings (campaign_id, court_id, case_no, category, severity, text, answer_due, state, created_at)
		SELECT campaign_id, court_id, case_no, '卷宗管理', 'minor', '卷宗未归档', answer_due, 'kept', created_at FROM inspection_findings`)
	r2, _ := db.RunReport(ctx, f.bureau, id)
	again, _ := db.RunReportContent(ctx, f.bureau, r2, overview.DefaultTargets())
	a, _ := again.Canonical()
	b, _ := frozen.Canonical()
	if string(a) != string(b) || string(r2.Snapshot) != string(r.Snapshot) {
		t.Error("the submitted report changed with the data")
	}
	if live, _ := db.RunReportPreview(ctx, f.bureau, f.march, overview.DefaultTargets()); live.DispositionTotal() != 2 || live.Problems[0].Total != 2 {
		t.Errorf("the live figures did not move: %d dispositions, %d findings", live.DispositionTotal(), live.Problems[0].Total)
	}

	// Frozen: no edit, no second submission; the 监察室 and the court
	// beside cannot return it; the court above can, with a reason.
	if err := db.SaveRunReport(ctx, f.bureau, id, complete()); !isErr(err, domain.ErrConflict) {
		t.Errorf("editing a submitted report: %v", err)
	}
	if err := db.SubmitRunReport(ctx, f.bureau, id, overview.DefaultTargets()); !isErr(err, domain.ErrConflict) {
		t.Errorf("submitting twice: %v", err)
	}
	if err := db.ReturnRunReport(ctx, f.bureau, id, "重写"); !isErr(err, domain.ErrForbidden) {
		t.Errorf("returning one's own: %v", err)
	}
	if err := db.ReturnRunReport(ctx, f.above, id, "  "); !isErr(err, domain.ErrInvalid) {
		t.Errorf("returning without a reason: %v", err)
	}
	if err := db.ReturnRunReport(ctx, f.above, id, "问题分析不够深入，请补充原因。"); err != nil {
		t.Fatal(err)
	}
	ms, _ := db.Messages(ctx, f.bureau, false, 10)
	if len(ms) != 1 || !strings.Contains(ms[0].Title, "退回") || ms[0].Link != "/reports/"+strconv.FormatInt(id, 10) {
		t.Errorf("the court's bureau was told: %+v", ms)
	}
	r, _ = db.RunReport(ctx, f.above, id)
	if r.State != report.StateReturned || r.ReturnReason != "问题分析不够深入，请补充原因。" || r.ReturnedBy != f.above.Name {
		t.Fatalf("returned: %+v", r)
	}
	if err := db.SaveRunReport(ctx, f.bureau, id, complete()); err != nil {
		t.Fatalf("editing a returned report: %v", err)
	}
	first := r.Signature.Hash
	f.now = f.now.Add(time.Hour)
	if err := db.SubmitRunReport(ctx, f.group, id, overview.DefaultTargets()); err != nil {
		t.Fatal(err)
	}
	r, _ = db.RunReport(ctx, f.above, id)
	if r.Submissions != 2 || r.Signature.Hash == first || r.Signature.Signer != f.group.Name || !r.Verified() {
		t.Fatalf("submitted again: %+v", r)
	}
	if s, _ := report.ReadSnapshot(r.Snapshot); s.DispositionTotal() != 2 {
		t.Errorf("the second submission froze %d dispositions", s.DispositionTotal())
	}

	// Tampering with the stored content, or the signer, shows.
	testdb.Exec(t, db, "UPDATE run_reports SET snapshot = REPLACE(snapshot, '三月份四项机制运行正常。', '三月份四项机制运行良好。') WHERE id = ?", id)
	if r, _ = db.RunReport(ctx, f.above, id); r.Verified() || !strings.Contains(string(r.Snapshot), "运行良好") {
		t.Error("a changed snapshot verifies")
	}
	testdb.Exec(t, db, "UPDATE run_reports SET snapshot = REPLACE(snapshot, '运行良好', '运行正常'), signer = '他人' WHERE id = ?", id)
	if r, _ = db.RunReport(ctx, f.above, id); r.Verified() {
		t.Error("a changed signer verifies")
	}
}

// TestRunReportLateAndReminders: on 12 April March's reports are late
// (due the 10th). 鲁01 sees 鲁0102's submitted and the others late, and
// reminds them once a day whoever asks; the late court's bureau gets one
// message a day and its to-do list says so.
func TestRunReportLateAndReminders(t *testing.T) {
	f := newRunReportFixture(t)
	db := f.db
	rules := report.DefaultDueRules()
	late := domain.ViewerFor(testdb.AddUser(t, db, "rr.bur03", "鲁0103", "执行局", domain.RoleBureau), "")
	grp01 := domain.ViewerFor(testdb.AddUser(t, db, "rr.grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	id, _, _ := db.CreateRunReport(ctx, f.bureau, f.march)
	if err := db.SaveRunReport(ctx, f.bureau, id, complete()); err != nil {
		t.Fatal(err)
	}
	if err := db.SubmitRunReport(ctx, f.bureau, id, overview.DefaultTargets()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateRunReport(ctx, late, f.march); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]domain.Viewer{"an officer": f.off, "a basic court's bureau": f.bureau} {
		if _, err := db.RunReportStatus(ctx, v, f.march, rules); !isErr(err, domain.ErrForbidden) {
			t.Errorf("%s sees the status: %v", name, err)
		}
	}
	st, err := db.RunReportStatus(ctx, f.above, f.march, rules)
	if err != nil {
		t.Fatal(err)
	}
	below, err := db.CourtsUnder(ctx, "/鲁/鲁01/")
	if err != nil {
		t.Fatal(err)
	}
	if st.Due.String() != "2026-04-10" || len(st.Rows) != len(below)-1 || st.Submitted != 1 || st.Open != 1 || st.Late != len(below)-2 {
		t.Fatalf("status: due %s, %d rows, %d submitted, %d open, %d late", st.Due, len(st.Rows), st.Submitted, st.Open, st.Late)
	}
	for _, x := range st.Rows {
		switch x.CourtCode {
		case "鲁0102":
			if x.Late || x.State != report.StateSubmitted || !x.Readable() || !x.SubmittedAt.Equal(f.now) {
				t.Errorf("鲁0102: %+v", x)
			}
		case "鲁0103":
			if !x.Late || x.DaysLate != 2 || x.State != report.StateDraft || x.Readable() {
				t.Errorf("鲁0103: %+v", x)
			}
		}
	}
	// Before the due date nobody is late.
	if st, _ := db.RunReportStatus(ctx, f.above, overview.Quarter(2026, 1), rules); st.Late != 0 {
		t.Errorf("Q1 is due on 15 April: %d late", st.Late)
	}

	n, err := db.RemindRunReports(ctx, f.above, f.march, rules)
	if err != nil || n != len(below)-2 {
		t.Fatalf("reminded %d: %v", n, err)
	}
	if n, err := db.RemindRunReports(ctx, grp01, f.march, rules); err != nil || n != 0 {
		t.Fatalf("reminded again the same day: %d %v", n, err)
	}
	if n, _ := db.RemindRunReports(ctx, f.above, overview.Quarter(2026, 1), rules); n != 0 {
		t.Errorf("reminded %d of a report not yet due", n)
	}
	ms, _ := db.Messages(ctx, late, false, 10)
	if len(ms) != 1 || !strings.Contains(ms[0].Title, "催报") || !strings.Contains(ms[0].Title, "已逾期2天") {
		t.Fatalf("the late court's messages: %+v", ms)
	}
	if ms, _ := db.Messages(ctx, f.bureau, false, 10); len(ms) != 0 {
		t.Errorf("the court that submitted was reminded: %+v", ms)
	}
	todos, err := db.RunReportTodos(ctx, late, rules)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, td := range todos {
		got = append(got, td.Period.String()+" "+string(td.State)+" "+td.Due.String()+map[bool]string{true: " 逾期"}[td.Overdue]+map[bool]string{true: " 已催报"}[td.Reminded])
	}
	if strings.Join(got, "；") != "2026-03 draft 2026-04-10 逾期 已催报；2026-Q1  2026-04-15；2025-Q4  2026-01-15 逾期；2025  2026-01-31 逾期" {
		t.Errorf("the late court's to-dos: %q", strings.Join(got, "；"))
	}
	if todos, _ := db.RunReportTodos(ctx, f.bureau, rules); len(todos) != 3 || todos[0].Period.String() != "2026-Q1" || todos[1].Period.String() != "2025-Q4" || !todos[1].Overdue {
		t.Errorf("the court that submitted owes %+v", todos)
	}

	f.now = f.now.Add(24 * time.Hour)
	if n, _ := db.RemindRunReports(ctx, grp01, f.march, rules); n != len(below)-2 {
		t.Errorf("the next day reminded %d", n)
	}
	if ms, _ := db.Messages(ctx, late, false, 10); len(ms) != 2 {
		t.Errorf("the next day the late court has %d messages", len(ms))
	}
	st, _ = db.RunReportStatus(ctx, f.above, f.march, rules)
	for _, x := range st.Rows {
		if x.CourtCode == "鲁0103" && (x.Reminders != 2 || x.RemindedOn.String() != "2026-04-13" || x.DaysLate != 3) {
			t.Errorf("鲁0103 after two reminders: %+v", x)
		}
	}
	// On 1 May April has ended and is not yet due; March, late and
	// reminded, stays on the late court's list.
	f.now = time.Date(2026, 5, 1, 9, 0, 0, 0, f.now.Location())
	got = got[:0]
	todos, _ = db.RunReportTodos(ctx, late, rules)
	for _, td := range todos {
		got = append(got, td.Period.String()+" "+string(td.State)+map[bool]string{true: " 逾期"}[td.Overdue]+map[bool]string{true: " 已催报"}[td.Reminded])
	}
	if strings.Join(got, "；") != "2026-04 ；2026-03 draft 逾期 已催报；2026-Q1  逾期；2025  逾期" {
		t.Errorf("the late court's to-dos on 1 May: %q", strings.Join(got, "；"))
	}
	var audited int
	if err := db.WriteDB().QueryRow(db.Rebind("SELECT COUNT(*) FROM audit_log WHERE action = 'report.remind' AND object_id = ?"), "鲁0103").Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 2 {
		t.Errorf("%d reminders of 鲁0103 audited", audited)
	}
	c, err := db.RunReportCombined(ctx, f.above, f.march, rules, overview.DefaultTargets())
	if err != nil {
		t.Fatal(err)
	}
	if !c.Content.Subtree || c.Content.CourtCode != "鲁01" || c.Content.DispositionTotal() != 1 || c.Content.Problems[0].Total != 1 || len(c.Status.Rows) != len(below)-1 {
		t.Errorf("combined: %+v", c.Content)
	}
}

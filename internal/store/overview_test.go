package store_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// overviewFixture is a small province part: 鲁01 with two basic courts,
// 鲁0102 and 鲁0103, and a record or two in every register, each placed so
// that the figures of issue 18 can be worked out by hand (see the comments
// beside each row). Today is 15 July 2026; the period is 2026-Q2.
type overviewFixture struct {
	db                 *store.DB
	grp, bureau, grp02 domain.Viewer
}

func newOverviewFixture(t *testing.T) *overviewFixture {
	t.Helper()
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 7, 15, 2, 0, 0, 0, time.UTC) }
	f := &overviewFixture{db: db,
		grp:    domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), ""),
		bureau: domain.ViewerFor(testdb.AddUser(t, db, "bur01", "鲁01", "执行局", domain.RoleBureau), ""),
		grp02:  domain.ViewerFor(testdb.AddUser(t, db, "grp0102", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), ""),
	}
	u1 := testdb.AddUser(t, db, "u1", "鲁0102", "执行一庭", domain.RoleOfficer)
	u2 := testdb.AddUser(t, db, "u2", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "u3", "鲁0103", "执行一庭", domain.RoleOfficer)

	// Cases. due is the statutory limit, set as the engine would have.
	type kase struct {
		no, filed, closed, mode, due string
		property, petition           bool
	}
	cases := []kase{
		// 鲁0102, 有财产: A in limit; B late; C open past its limit; D 终本
		// within its limit (not 实际执结); E's limit is after the period;
		// F closed before the period. → 1/4.
		{"（2025）鲁0102执1号", "2025-11-01", "2026-04-20", "执行完毕", "2026-05-01", true, false},
		{"（2025）鲁0102执2号", "2025-11-10", "2026-05-20", "执行完毕", "2026-05-10", true, false},
		{"（2025）鲁0102执3号", "2025-12-01", "", "", "2026-06-01", true, false},
		{"（2025）鲁0102执4号", "2025-10-15", "2026-04-10", "终结本次执行程序", "2026-04-15", true, false},
		{"（2026）鲁0102执5号", "2026-02-01", "", "", "2026-08-01", true, false},
		{"（2025）鲁0102执6号", "2025-09-01", "2026-02-01", "执行完毕", "2026-03-01", true, false},
		// 终本 in the period: D (an open finding), G (none), H (dismissed). → 2/3.
		{"（2025）鲁0102执7号", "2025-12-20", "2026-05-05", "终结本次执行程序", "", false, false},
		{"（2026）鲁0102执8号", "2026-01-05", "2026-06-06", "终结本次执行程序", "", false, false},
		// 信访: P1 concluded in the period, P2 pending, P3 closed before it. → 1/2.
		{"（2025）鲁0102执9号", "2025-12-01", "2026-05-01", "执行完毕", "", false, true},
		{"（2026）鲁0102执10号", "2026-04-10", "", "", "", false, true},
		{"（2025）鲁0102执11号", "2025-01-01", "2026-03-01", "执行完毕", "", false, true},
		// Filed before 2024: not in the three years.
		{"（2023）鲁0102执12号", "2023-05-01", "2024-01-01", "执行完毕", "", false, false},
		// 鲁0103: one case with property, closed in limit in April.
		{"（2025）鲁0103执1号", "2025-11-01", "2026-04-01", "执行完毕", "2026-05-01", true, false},
	}
	// Three years (2024-01-01 … 2026-06-30): 鲁0102 filed 11 (all but the
	// 2023 one), closed by 30 June 8 (1, 2, 4, 6, 7, 8, 9, 11); 鲁0103 1/1.
	var ks []*domain.Case
	for _, c := range cases {
		k := testCase(t, c.no, c.filed)
		k.HasProperty, k.Petition = c.property, c.petition
		if c.closed != "" {
			k.ClosedOn, k.ClosingMode = domain.MustDate(c.closed), c.mode
		}
		ks = append(ks, k)
	}
	upsert(t, db, domain.SystemViewer("t"), ks...)
	for _, c := range cases {
		if c.due != "" {
			testdb.Exec(t, db, "UPDATE cases SET due_on = ?, clock_stopped = FALSE WHERE number = ?", c.due, c.no)
		}
	}
	id := func(no string) int64 { return caseNoID(t, db, no) }
	now := db.Now()
	court := func(code string) string { return "(SELECT id FROM courts WHERE code = '" + code + "')" }

	// Patrol findings of the 终本 rule: D open, H dismissed.
	for i, x := range []struct {
		no, state string
	}{{"（2025）鲁0102执4号", "open"}, {"（2026）鲁0102执8号", "dismissed"}} {
		testdb.Exec(t, db, `INSERT INTO patrol_findings (id, court_id, case_id, rule, subject, title, aspect, detail, state, first_found, last_found, updated_at)
			VALUES (?, `+court("鲁0102")+`, ?, 'termination_preconditions', 's', '终结本次执行程序不符合条件', 'acts', 'd', ?, '2026-06-10', '2026-06-10', ?)`,
			9001+i, id(x.no), x.state, now)
	}

	// Visits. 鲁0102: three daily visits of April (v1 satisfied; v2
	// dissatisfied, at the phone visit past its due time; v3 unanswered, in
	// consultation, not yet due), a focused one of May (satisfied), and a
	// daily one of March (outside). → sampled 3, sent 4, replied 3,
	// satisfied 2, dissatisfied 1, escalations open 2, overdue 1.
	a := id("（2025）鲁0102执1号")
	for i, v := range []struct {
		kind, month, step string
		replied, closed   bool
		satisfied         any
		due               any
	}{
		{"daily", "2026-04", "closed", true, true, true, nil},
		{"daily", "2026-04", "phone_pending", true, false, false, time.Date(2026, 7, 10, 0, 0, 0, 0, time.UTC)},
		{"daily", "2026-04", "consultation", false, false, nil, time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC)},
		{"focused", "2026-05", "closed", true, true, true, nil},
		{"daily", "2026-03", "closed", true, true, true, nil},
	} {
		var closedAt any
		if v.closed {
			closedAt = now
		}
		testdb.Exec(t, db, `INSERT INTO visits (id, case_id, kind, court_id, step, due_at, created_by, created_at, updated_at, closed_at, month, sms_sent, replied, satisfied)
			VALUES (?, ?, ?, `+court("鲁0102")+`, ?, ?, 't', ?, ?, ?, ?, TRUE, ?, ?)`, 9001+i, a, v.kind, v.step, v.due, now, now, closedAt, v.month, v.replied, v.satisfied)
	}
	if err := db.RebuildVisitRollup(ctx); err != nil {
		t.Fatal(err)
	}
	// Draws. 鲁0102 closed cases in April (drawn 1 May: on time), May
	// (drawn 2 July: late) and June (not drawn, but owed only by the end of
	// July); 鲁0103 in April (never drawn, owed by the end of May).
	// → 鲁0102 1/2, 鲁0103 0/1.
	for i, b := range []struct {
		month string
		at    time.Time
	}{{"2026-04", time.Date(2026, 5, 1, 1, 0, 0, 0, time.UTC)}, {"2026-05", time.Date(2026, 7, 2, 1, 0, 0, 0, time.UTC)}} {
		testdb.Exec(t, db, `INSERT INTO visit_batches (id, court_id, month, kind, rate, rounding, min_one, seed, seed_commitment, population_count, population_hash,
			excluded_count, sample_size, drawn_by, drawn_at) VALUES (?, `+court("鲁0102")+`, ?, 'daily', '0.05', 'ceil', TRUE, 's', 'c', 1, 'h', 0, 1, 'system', ?)`,
			9001+i, b.month, b.at)
	}

	// Trips of 鲁0102. T1 (10 April, requirement the day before): u1
	// reported on time with a 有, u2 late and found untruthful. T2 (10 May,
	// no requirement): u1's report is missing. T3 departs in July.
	// → trips 2, required before 1, travellers 3, on time 1, late 1,
	// missing 1, alerts 1, untruthful 1.
	for i, tr := range []struct {
		depart time.Time
		req    bool
		status string
		who    []*domain.User
	}{
		{time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC), true, "reported", []*domain.User{u1, u2}},
		{time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC), false, "returned", []*domain.User{u1}},
		{time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), true, "returned", []*domain.User{u1}},
	} {
		var reqAt any
		if tr.req {
			reqAt = tr.depart.AddDate(0, 0, -1)
		}
		tid := 9001 + i
		testdb.Exec(t, db, `INSERT INTO trips (id, court_id, department_id, officer_id, destination, destination_name, out_of_jurisdiction, depart_at, return_at, task,
			report_due, escalate_on, req_given, req_at, status, created_at, updated_at)
			VALUES (?, `+court("鲁0102")+`, ?, ?, '110101', '北京市东城区', TRUE, ?, ?, '查控', ?, ?, ?, ?, ?, ?, ?)`,
			tid, u1.DepartmentID, tr.who[0].ID, tr.depart, tr.depart.AddDate(0, 0, 2), tr.depart.AddDate(0, 0, 10).Format("2006-01-02"),
			tr.depart.AddDate(0, 0, 12).Format("2006-01-02"), tr.req, reqAt, tr.status, now, now)
		for _, u := range tr.who {
			testdb.Exec(t, db, "INSERT INTO trip_travellers (trip_id, user_id) VALUES (?, ?)", tid, u.ID)
		}
	}
	for i, r := range []struct {
		who       *domain.User
		late, yes bool
	}{{u1, false, true}, {u2, true, false}} {
		testdb.Exec(t, db, `INSERT INTO trip_reports (id, kind, trip_id, officer_id, court_id, any_yes, signer_id, signer, signed_at, content_hash, late)
			VALUES (?, 'annex1', 9001, ?, `+court("鲁0102")+`, ?, ?, 'x', ?, 'h', ?)`, 9001+i, r.who.ID, r.yes, r.who.ID, now, r.late)
	}
	testdb.Exec(t, db, `INSERT INTO trip_reviews (id, report_id, trip_id, court_id, officer_id, reason, opened_at) VALUES (9001, 9002, 9001, `+court("鲁0102")+`, ?, 'contradicted', ?)`, u2.ID, now)

	// Trackings. 鲁0102: a candidate; one under tracking since 1 May with a
	// confirmed node finding (2 May), a record of a violation (1 June), an
	// older one (1 March, outside), a confirmed patrol finding first found
	// 5 April, and a recommendation past its deadline; one closed, decided
	// in March. 鲁0103: one in consultation.
	// → 鲁0102 waiting 1, tracked 1, under 1, findings 3, overdue 1.
	for i, tr := range []struct {
		court, no, state string
		decided          any
	}{
		{"鲁0102", "（2025）鲁0102执3号", "candidate", nil},
		{"鲁0102", "（2026）鲁0102执5号", "tracking", time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC)},
		{"鲁0102", "（2025）鲁0102执6号", "closed", time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)},
		{"鲁0103", "（2025）鲁0103执1号", "consulting", nil},
	} {
		testdb.Exec(t, db, `INSERT INTO trackings (id, court_id, case_id, state, candidate_since, decided_at, created_at, updated_at)
			VALUES (?, `+court(tr.court)+`, ?, ?, '2026-03-01', ?, ?, ?)`, 9001+i, id(tr.no), tr.state, tr.decided, now, now)
	}
	for i, r := range []struct {
		on, kind, node, decision string
		violation                bool
	}{
		{"2026-05-02", "finding", "执行通知", "confirm", false},
		{"2026-06-01", "interview", "", "", true},
		{"2026-03-01", "interview", "", "", true},
		{"2026-05-03", "process", "", "", false},
	} {
		testdb.Exec(t, db, `INSERT INTO tracking_records (id, tracking_id, on_date, aspect, kind, content, node, decision, violation, by_name, created_at)
			VALUES (?, 9002, ?, 'process', ?, 'c', ?, ?, ?, 'x', ?)`, 9001+i, r.on, r.kind, r.node, r.decision, r.violation, now)
	}
	testdb.Exec(t, db, `INSERT INTO patrol_findings (id, court_id, case_id, rule, subject, title, aspect, detail, state, first_found, last_found, updated_at)
		VALUES (9010, `+court("鲁0102")+`, ?, 'funds_payout', 's', '案款到账后三十日内未发放', 'acts', 'd', 'confirmed', '2026-04-05', '2026-04-05', ?)`,
		id("（2026）鲁0102执5号"), now)
	rect := func(rid int, code, kind string, source int, created time.Time, deadline string, items ...[2]string) {
		testdb.Exec(t, db, `INSERT INTO rectifications (id, court_id, issuer_court, source_kind, source_id, title, deadline, issued_by, created_at)
			VALUES (?, `+court(code)+`, `+court("鲁01")+`, ?, ?, 't', ?, 'x', ?)`, rid, kind, source, deadline, created)
		for j, it := range items {
			testdb.Exec(t, db, `INSERT INTO rectification_items (id, rectification_id, unit, responsible_id, deadline, task, state, created_at)
				VALUES (?, ?, '执行局', ?, ?, 't', ?, ?)`, rid*10+j, rid, u1.ID, it[0], it[1], now)
		}
	}
	rect(9001, "鲁0102", "recommendation", 9004, now, "2026-07-01")
	testdb.Exec(t, db, `INSERT INTO tracking_recommendations (record_id, tracking_id, addressee, problem, advice, deadline, rectification_id)
		VALUES (9004, 9002, 'bureau', 'p', 'a', '2026-07-01', 9001)`)

	// Inspections. 鲁01 organised an active campaign over the quarter (and
	// 鲁0102 a finished one in Q1, outside); review sheets: 鲁0102 合格 (1 May),
	// 鲁0103 不合格 (1 June), one not yet graded. The findings' rectification
	// at 鲁0102 has an item overdue, one accepted and one in progress.
	// → 鲁01 active 1; 鲁0102 pass 1, open 1, overdue 1; 鲁0103 fail 1.
	for i, c := range []struct{ court, from, to, state string }{{"鲁01", "2026-04-01", "2026-06-30", "active"}, {"鲁0102", "2026-01-01", "2026-03-31", "done"}} {
		testdb.Exec(t, db, `INSERT INTO inspection_campaigns (id, court_id, kind, theme, title, period_from, period_to, state, created_by, created_at, updated_at)
			VALUES (?, `+court(c.court)+`, 'case_review', 'discipline', 't', ?, ?, ?, 'x', ?, ?)`, 9001+i, c.from, c.to, c.state, now, now)
	}
	for i, g := range []struct {
		court, state, grade string
		at                  any
	}{
		{"鲁0102", "submitted", "pass", time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC)},
		{"鲁0103", "rechecked", "fail", time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC)},
		{"鲁0103", "open", "", nil},
	} {
		testdb.Exec(t, db, `INSERT INTO inspection_targets (id, campaign_id, court_id, how, state, grade, submitted_at, created_at)
			VALUES (?, 9001, `+court(g.court)+`, 'drawn', ?, ?, ?, ?)`, 9001+i, g.state, g.grade, g.at, now)
	}
	rect(9002, "鲁0102", "inspection", 1, now, "2026-07-01", [2]string{"2026-07-01", "pending"}, [2]string{"2026-07-01", "closed"}, [2]string{"2026-08-01", "progress"})

	// Oversight. Complaints: 鲁0102 one in April, a petition in May, one in
	// March (outside); 鲁0103 one on 30 June. Clues: 鲁0102 one open (April),
	// one closed (May); 鲁0103 one in July (outside). Dispositions of 鲁0102:
	// 第一种形态 in April, 第二种形态 in June, 第一种形态 in July (outside).
	// Suggestions: 鲁0102 one done, one overdue with no items; 鲁0103 one in
	// progress; one of March (outside).
	for i, m := range []struct{ court, kind, on string }{
		{"鲁0102", "complaint", "2026-04-05"}, {"鲁0102", "petition", "2026-05-05"}, {"鲁0102", "complaint", "2026-03-01"}, {"鲁0103", "complaint", "2026-06-30"},
	} {
		testdb.Exec(t, db, `INSERT INTO complaints (id, court_id, kind, channel, received_on, content, registered_by, created_at)
			VALUES (?, `+court(m.court)+`, ?, '来信', ?, 'c', 'x', ?)`, 9001+i, m.kind, m.on, now)
	}
	for i, l := range []struct {
		court, state string
		at           time.Time
	}{
		{"鲁0102", "open", time.Date(2026, 4, 10, 2, 0, 0, 0, time.UTC)}, {"鲁0102", "closed", time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)},
		{"鲁0103", "verifying", time.Date(2026, 7, 2, 2, 0, 0, 0, time.UTC)},
	} {
		testdb.Exec(t, db, `INSERT INTO clues (id, court_id, source, summary, state, registered_by, created_at) VALUES (?, `+court(l.court)+`, 'other', 's', ?, 'x', ?)`,
			9001+i, l.state, l.at)
	}
	for _, d := range []struct {
		on      string
		form    oversight.Form
		measure string
	}{{"2026-04-20", 1, "谈话提醒"}, {"2026-06-01", 2, "警告"}, {"2026-07-01", 1, "谈话提醒"}} {
		if _, err := db.RecordDisposition(ctx, f.grp02, "鲁0102", oversight.Disposition{Person: "u1", Form: d.form, Measure: d.measure, Basis: "b",
			Decider: "鲁0102纪检监察组", DecidedOn: domain.MustDate(d.on)}); err != nil {
			t.Fatal(err)
		}
	}
	may, june, march := time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	rect(9003, "鲁0102", "suggestion", 1, may, "2026-06-01", [2]string{"2026-06-01", "closed"})
	rect(9004, "鲁0102", "suggestion", 2, june, "2026-06-15")
	rect(9005, "鲁0103", "suggestion", 3, may, "2026-09-01", [2]string{"2026-09-01", "progress"})
	rect(9006, "鲁0102", "suggestion", 4, march, "2026-04-01")
	return f
}

func TestOverviewFiguresByHand(t *testing.T) {
	f := newOverviewFixture(t)
	q2 := overview.Quarter(2026, 2)
	get := func(v domain.Viewer, code string, subtree bool) *overview.Figures {
		t.Helper()
		fig, err := f.db.OverviewFigures(ctx, v, code, subtree, q2)
		if err != nil {
			t.Fatal(err)
		}
		return fig
	}
	states := func(active int) []overview.Count {
		cs := overview.NewInspectionFigures().Campaigns
		cs[1].N = active
		return cs
	}
	grades := func(pass, fail int) []overview.Count {
		cs := overview.NewInspectionFigures().Grades
		cs[1].N, cs[3].N = pass, fail
		return cs
	}
	oversightOf := func(complaints, petitions, open, closed, form1, form2, sugg, done, inProgress, overdue int) *overview.OversightFigures {
		o := overview.NewOversightFigures()
		o.CluesSeen = true
		o.Complaints, o.Petitions = complaints, petitions
		o.Clues[0].N, o.Clues[2].N = open, closed
		o.Dispositions[0].N, o.Dispositions[1].N = form1, form2
		o.Suggestions, o.SuggestionsDone, o.SuggestionsOpen, o.SuggestionsOverdue = sugg, done, inProgress, overdue
		return o
	}
	findings := []overview.Count{
		{Key: "流程节点超期或缺失：执行通知", Label: "流程节点超期或缺失：执行通知", N: 1},
		{Key: "涉嫌违纪违法的记录", Label: "涉嫌违纪违法的记录", N: 1},
		{Key: "网上巡查：案款到账后三十日内未发放", Label: "网上巡查：案款到账后三十日内未发放", N: 1},
	}
	want0102 := &overview.Figures{
		Visits: &overview.VisitFigures{MonthsDue: 2, MonthsOnTime: 1, Sampled: 3, SMSSent: 4, Replied: 3, Satisfied: 2, Dissatisfied: 1,
			EscalationsOpen: 2, EscalationsOverdue: 1},
		Trips:       &overview.TripFigures{Trips: 2, RequiredBefore: 1, Travellers: 3, OnTime: 1, Late: 1, Missing: 1, Alerts: 1, Untruthful: 1},
		Tracking:    &overview.TrackingFigures{Waiting: 1, Tracked: 1, Under: 1, Findings: findings, RecOverdue: 1},
		Inspections: &overview.InspectionFigures{Campaigns: states(0), Grades: grades(1, 0), RectOpen: 1, RectOverdue: 1},
		Oversight:   oversightOf(1, 1, 1, 1, 1, 1, 2, 1, 0, 1),
		Core: overview.CoreCounts{ExecutedInLimit: overview.Ratio{Num: 1, Den: 4}, TerminationQualified: overview.Ratio{Num: 2, Den: 3},
			PetitionConcluded: overview.Ratio{Num: 1, Den: 2}, ThreeYearClosed: overview.Ratio{Num: 8, Den: 11}},
	}
	want0103 := &overview.Figures{
		Visits:      &overview.VisitFigures{MonthsDue: 1},
		Trips:       &overview.TripFigures{},
		Tracking:    &overview.TrackingFigures{Waiting: 1},
		Inspections: &overview.InspectionFigures{Campaigns: states(0), Grades: grades(0, 1)},
		Oversight:   oversightOf(1, 0, 0, 0, 0, 0, 1, 0, 1, 0),
		Core:        overview.CoreCounts{ExecutedInLimit: overview.Ratio{Num: 1, Den: 1}, ThreeYearClosed: overview.Ratio{Num: 1, Den: 1}},
	}
	wantAll := &overview.Figures{
		Visits: &overview.VisitFigures{MonthsDue: 3, MonthsOnTime: 1, Sampled: 3, SMSSent: 4, Replied: 3, Satisfied: 2, Dissatisfied: 1,
			EscalationsOpen: 2, EscalationsOverdue: 1},
		Trips:       want0102.Trips,
		Tracking:    &overview.TrackingFigures{Waiting: 2, Tracked: 1, Under: 1, Findings: findings, RecOverdue: 1},
		Inspections: &overview.InspectionFigures{Campaigns: states(1), Grades: grades(1, 1), RectOpen: 1, RectOverdue: 1},
		Oversight:   oversightOf(2, 1, 1, 1, 1, 1, 3, 1, 1, 1),
		Core: overview.CoreCounts{ExecutedInLimit: overview.Ratio{Num: 2, Den: 5}, TerminationQualified: overview.Ratio{Num: 2, Den: 3},
			PetitionConcluded: overview.Ratio{Num: 1, Den: 2}, ThreeYearClosed: overview.Ratio{Num: 9, Den: 12}},
	}
	same := func(name string, got, want *overview.Figures) {
		t.Helper()
		for _, pair := range []struct {
			what      string
			got, want any
		}{{"visits", got.Visits, want.Visits}, {"trips", got.Trips, want.Trips}, {"tracking", got.Tracking, want.Tracking},
			{"inspections", got.Inspections, want.Inspections}, {"oversight", got.Oversight, want.Oversight}, {"core", got.Core, want.Core}} {
			if !reflect.DeepEqual(pair.got, pair.want) {
				t.Errorf("%s %s:\n got %+v\nwant %+v", name, pair.what, pair.got, pair.want)
			}
		}
	}
	same("鲁0102", get(f.grp, "鲁0102", false), want0102)
	same("鲁0103", get(f.grp, "鲁0103", true), want0103)
	all := get(f.grp, "鲁01", true)
	same("鲁01 subtree", all, wantAll)
	if all.Court.Name == "" || !all.Subtree || all.Period != q2 || all.AsOf != domain.MustDate("2026-07-15") {
		t.Errorf("鲁01 heading: %+v", all)
	}
	// 鲁01 alone organised the campaign and has no cases.
	alone := get(f.grp, "鲁01", false)
	if alone.Inspections.Campaigns[1].N != 1 || alone.Core.ThreeYearClosed.Den != 0 || alone.Trips.Trips != 0 {
		t.Errorf("鲁01 alone: %+v %+v", alone.Inspections, alone.Core)
	}

	// The drill-down: each court below, with its subtree, in court order;
	// the courts with nothing count zero.
	kids, err := f.db.OverviewChildren(ctx, f.grp, "鲁01", q2)
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) != 12 || kids[0].Court.Code != "鲁0102" || kids[1].Court.Code != "鲁0103" {
		t.Fatalf("children: %d, first %+v", len(kids), kids[0].Court)
	}
	same("child 鲁0102", kids[0], want0102)
	same("child 鲁0103", kids[1], want0103)
	sum := &overview.Figures{}
	for _, k := range kids {
		sum.Add(k)
	}
	sum.Add(alone)
	same("children and 鲁01 alone", sum, wantAll)

	// The bureau of 鲁01: no clues or dispositions, and the key cases of its
	// own court only (mechanism 1's scope).
	b := get(f.bureau, "鲁01", true)
	if b.Oversight == nil || b.Oversight.CluesSeen || b.Oversight.Dispositions[0].N != 0 || b.Oversight.Complaints != 2 {
		t.Errorf("bureau oversight: %+v", b.Oversight)
	}
	if b.Tracking == nil || b.Tracking.Waiting != 0 {
		t.Errorf("bureau tracking: %+v", b.Tracking)
	}
	if len(b.Section(overview.SectionOversight, overview.DefaultTargets())) != len(all.Section(overview.SectionOversight, overview.DefaultTargets()))-2 {
		t.Error("the bureau is shown the clues or the dispositions")
	}
	if b.Core != wantAll.Core {
		t.Errorf("bureau core: %+v", b.Core)
	}

	// Sideways and from below: refused.
	for _, c := range []struct {
		v    domain.Viewer
		code string
	}{{f.grp02, "鲁01"}, {f.grp02, "鲁0103"}, {domain.ViewerFor(testdb.AddUser(t, f.db, "off", "鲁0102", "执行一庭", domain.RoleOfficer), ""), "鲁0102"}} {
		if _, err := f.db.OverviewFigures(ctx, c.v, c.code, true, q2); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s on %s: %v", c.v.Username, c.code, err)
		}
	}

	// The trend: April, May and June add up to the quarter for the
	// indicators counted by event in the period.
	trend, err := f.db.OverviewTrend(ctx, f.grp, "鲁01", true, q2.TrendMonths(3))
	if err != nil {
		t.Fatal(err)
	}
	var inLimit, termination overview.Ratio
	for _, c := range trend {
		inLimit.Num, inLimit.Den = inLimit.Num+c.ExecutedInLimit.Num, inLimit.Den+c.ExecutedInLimit.Den
		termination.Num, termination.Den = termination.Num+c.TerminationQualified.Num, termination.Den+c.TerminationQualified.Den
	}
	if inLimit != wantAll.Core.ExecutedInLimit || termination != wantAll.Core.TerminationQualified {
		t.Errorf("trend sums %+v %+v", inLimit, termination)
	}
	// June alone: C's limit ran out on 1 June, nothing closed in limit;
	// three years up to 30 June as for the quarter.
	if june := trend[2]; june.ExecutedInLimit != (overview.Ratio{Num: 0, Den: 1}) || june.ThreeYearClosed != wantAll.Core.ThreeYearClosed {
		t.Errorf("June: %+v", june)
	}
}

// The cockpit's trip figures drill down to the trip list narrowed to the
// court and the period: the list holds exactly the trips the figure
// counts (鲁0102: 9001 and 9002 of Q2, not 9003 of July; 鲁0103 none);
// 不如实报告 to the reviews likewise narrowed.
func TestOverviewTripsDrillDown(t *testing.T) {
	f := newOverviewFixture(t)
	q2 := overview.Quarter(2026, 2)
	for _, c := range []struct {
		code string
		want []int64
	}{{"鲁01", []int64{9001, 9002}}, {"鲁0102", []int64{9001, 9002}}, {"鲁0103", nil}} {
		fig, err := f.db.OverviewFigures(ctx, f.grp, c.code, true, q2)
		if err != nil {
			t.Fatal(err)
		}
		court, err := f.db.CourtByCode(ctx, c.code)
		if err != nil {
			t.Fatal(err)
		}
		ts, _, err := f.db.TripPage(ctx, f.grp, store.TripFilter{CourtPath: court.Path, Departed: q2, Page: store.PageReq{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, tr := range ts {
			got = append(got, tr.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) || len(got) != fig.Trips.Trips {
			t.Errorf("%s: the list has %v, the figure counts %d, want %v", c.code, got, fig.Trips.Trips, c.want)
		}
	}
	// 不如实报告 drills down to the reviews of those reasons on the court's
	// trips of the period: 鲁0102's one on trip 9001; none at 鲁0103 or
	// in Q3.
	untruthful := []string{"contradicted", "unreported"}
	for _, c := range []struct {
		code string
		p    overview.Period
		want int
	}{{"鲁0102", q2, 1}, {"鲁0103", q2, 0}, {"鲁0102", overview.Quarter(2026, 3), 0}} {
		fig, err := f.db.OverviewFigures(ctx, f.grp, c.code, true, c.p)
		if err != nil {
			t.Fatal(err)
		}
		court, err := f.db.CourtByCode(ctx, c.code)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := f.db.TripReviewsIn(ctx, f.grp, false, 300, store.TripReviewFilter{CourtPath: court.Path, Reasons: untruthful, Departed: c.p})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != c.want || len(rs) != fig.Trips.Untruthful {
			t.Errorf("%s %s: %d reviews, the figure counts %d, want %d", c.code, c.p, len(rs), fig.Trips.Untruthful, c.want)
		}
	}
	if rs, err := f.db.TripReviewsIn(ctx, f.grp, false, 300, store.TripReviewFilter{Reasons: []string{"yes"}}); err != nil || len(rs) != 0 {
		t.Errorf("reviews for a 有: %d %v", len(rs), err)
	}
	// 四种形态处置 drills down to the register narrowed to the court and the
	// period's decision dates: the same number as the figure.
	for _, code := range []string{"鲁01", "鲁0102", "鲁0103"} {
		fig, err := f.db.OverviewFigures(ctx, f.grp, code, true, q2)
		if err != nil {
			t.Fatal(err)
		}
		court, err := f.db.CourtByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		ds, _, err := f.db.Dispositions(ctx, f.grp, store.DispositionFilter{CourtPath: court.Path, From: q2.From, To: q2.To, Page: store.PageReq{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range fig.Oversight.Dispositions {
			n += c.N
		}
		if len(ds) != n || code == "鲁0102" && n != 2 {
			t.Errorf("%s: %d dispositions listed, the figure counts %d", code, len(ds), n)
		}
	}
	// 问题线索 likewise: the clues registered in the period at the court.
	for _, code := range []string{"鲁01", "鲁0102", "鲁0103"} {
		fig, err := f.db.OverviewFigures(ctx, f.grp, code, true, q2)
		if err != nil {
			t.Fatal(err)
		}
		court, err := f.db.CourtByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		ls, _, err := f.db.Clues(ctx, f.grp, store.ClueFilter{CourtPath: court.Path, Registered: q2, Page: store.PageReq{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range fig.Oversight.Clues {
			n += c.N
		}
		if len(ls) != n || code == "鲁0102" && n != 2 {
			t.Errorf("%s: %d clues listed, the figure counts %d", code, len(ls), n)
		}
	}
	// 投诉举报 and 信访: the court's, received in the period.
	for _, code := range []string{"鲁01", "鲁0102", "鲁0103"} {
		fig, err := f.db.OverviewFigures(ctx, f.grp, code, true, q2)
		if err != nil {
			t.Fatal(err)
		}
		for kind, want := range map[oversight.Kind]int{oversight.KindComplaint: fig.Oversight.Complaints, oversight.KindPetition: fig.Oversight.Petitions} {
			ms, _, err := f.db.Complaints(ctx, f.grp, store.ComplaintFilter{Court: code, Kind: kind, Received: q2, Page: store.PageReq{All: true}})
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != want {
				t.Errorf("%s %s: %d listed, the figure counts %d", code, kind, len(ms), want)
			}
		}
	}
	// Unnarrowed, the list has July's trip too.
	if ts, _, err := f.db.TripPage(ctx, f.grp, store.TripFilter{Page: store.PageReq{All: true}}); err != nil || len(ts) != 3 {
		t.Errorf("all trips: %d %v", len(ts), err)
	}
}

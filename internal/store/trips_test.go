package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

func allNo() trip.Answers {
	a := trip.Answers{}
	for _, it := range trip.Items {
		a[it.Code] = false
	}
	return a
}

// accounted is in with an account of each case of trip tr (案件执行情况).
func accounted(tr *store.Trip, in trip.Annex1Input) trip.Annex1Input {
	in.CaseAccounts = map[int64]string{}
	for _, c := range tr.Cases {
		in.CaseAccounts[c.ID] = "已查封被执行人名下房产一处"
	}
	return in
}

func todoTitles(t *testing.T, db *store.DB, v domain.Viewer) string {
	t.Helper()
	ts, err := db.TripTodos(ctx, v, 50)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, x := range ts {
		b.WriteString(x.Title)
		if x.Overdue {
			b.WriteString("(逾期)")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// A trip from registration to review: out of jurisdiction or not, the
// head's requirement (late counts as missing), the report with a 有
// answer signed and unchangeable, the review for the head and the
// watchdogs that the officer never sees, lateness over 国庆节.
func TestTripLifecycle(t *testing.T) {
	db := testdb.Open(t)
	clock := time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing)
	db.Now = func() time.Time { return clock }
	off := testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer)
	head := domain.ViewerFor(testdb.AddUser(t, db, "head", "鲁0102", "执行一庭", domain.RoleDeptHead), "")
	head2 := domain.ViewerFor(testdb.AddUser(t, db, "head2", "鲁0102", "执行二庭", domain.RoleDeptHead), "")
	other := domain.ViewerFor(testdb.AddUser(t, db, "other", "鲁0102", "执行二庭", domain.RoleOfficer), "")
	group := domain.ViewerFor(testdb.AddUser(t, db, "dg", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	qd := domain.ViewerFor(testdb.AddUser(t, db, "qdg", "鲁02", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	ov := domain.ViewerFor(off, "")
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.Officer = off.Name
	upsert(t, db, domain.SystemViewer("t"), k)

	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Beijing)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	nt := trip.Plan{CaseNumbers: []string{"（2026）鲁0102执1号"}, Companions: "李四", Destinations: []string{"370203"},
		DepartAt: at("2026-09-29 08:00"), ReturnAt: at("2026-09-30 18:00"), Task: "查封被执行人房产"}
	tr, err := db.CreateTrip(ctx, ov, nt, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if !tr.OutOfJurisdiction || tr.DestinationName != "山东省青岛市市北区" || tr.ReportDue != "2026-10-10" || tr.EscalateOn != "2026-10-13" || len(tr.Cases) != 1 {
		t.Fatalf("trip %+v", tr)
	}
	local := nt
	local.Destinations = []string{"370102"}
	if lt, err := db.CreateTrip(ctx, ov, local, trip.DefaultRules()); err != nil || lt.OutOfJurisdiction {
		t.Fatalf("a trip within 历下区: %+v %v", lt, err)
	}
	// The jurisdiction is data: a court given a second division by its
	// administrator reports trips there no more.
	if err := db.Update(ctx, domain.SystemViewer("admin"), func(tx *store.Tx) error {
		return tx.UpdateCourt(ctx, "鲁0102", "济南市历下区人民法院", []string{"370102", "370203"})
	}); err != nil {
		t.Fatal(err)
	}
	if wt, err := db.CreateTrip(ctx, ov, nt, trip.DefaultRules()); err != nil || wt.OutOfJurisdiction {
		t.Fatalf("after the jurisdiction grew: %+v %v", wt, err)
	}
	if err := db.Update(ctx, domain.SystemViewer("admin"), func(tx *store.Tx) error {
		return tx.UpdateCourt(ctx, "鲁0102", "济南市历下区人民法院", []string{"370102"})
	}); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]func(*trip.Plan){
		"no such place":       func(n *trip.Plan) { n.Destinations = []string{"379999"} },
		"another court's":     func(n *trip.Plan) { n.CaseNumbers = []string{"（2026）鲁0203执1号"} },
		"back before leaving": func(n *trip.Plan) { n.ReturnAt = n.DepartAt.Add(-time.Hour) },
		"no task":             func(n *trip.Plan) { n.Task = " " },
	} {
		n := nt
		bad(&n)
		if _, err := db.CreateTrip(ctx, ov, n, trip.DefaultRules()); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Who sees it.
	for who, v := range map[string]domain.Viewer{"head": head, "group": group} {
		if _, _, err := db.TripByID(ctx, v, tr.ID); err != nil {
			t.Errorf("%s cannot see the trip: %v", who, err)
		}
	}
	for who, v := range map[string]domain.Viewer{"head2": head2, "other": other, "qingdao": qd} {
		if _, _, err := db.TripByID(ctx, v, tr.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s sees the trip: %v", who, err)
		}
	}
	if s := todoTitles(t, db, head); !strings.Contains(s, "提出纪律要求：测试off 赴山东省青岛市市北区") || strings.Contains(s, "历下区") {
		t.Fatalf("head's to-dos:\n%s", s)
	}
	if err := db.RecordRequirement(ctx, head2, tr.ID, true, "x", ""); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("another department's head: %v", err)
	}
	if err := db.RecordRequirement(ctx, head, tr.ID, true, "", ""); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("有 without content: %v", err)
	}
	if err := db.RecordRequirement(ctx, head, tr.ID, true, "严守廉洁纪律，不得接受当事人吃请", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordRequirement(ctx, head, tr.ID, false, "", ""); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("recorded twice: %v", err)
	}
	tr, _, _ = db.TripByID(ctx, ov, tr.ID)
	if r := tr.Requirement; r == nil || !r.Given || r.Late || r.Leader != "测试head" {
		t.Fatalf("requirement %+v", tr.Requirement)
	}

	// The trip within jurisdiction owes nothing; this one owes 附件1 from
	// its return, due after 国庆节.
	clock = at("2026-10-09 09:00")
	if s := todoTitles(t, db, ov); !strings.Contains(s, "填写外出执行情况报告单：山东省青岛市市北区\n") || strings.Count(s, "外出执行情况报告单") != 1 {
		t.Fatalf("officer's to-dos:\n%s", s)
	}
	a := allNo()
	delete(a, "T5")
	if _, err := db.FileTripReport(ctx, ov, tr.ID, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: a, Attested: true}, trip.DefaultRules()); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("an item left out: %v", err)
	}
	a = allNo()
	a["T1"] = true
	in := accounted(tr, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: a, Explanation: "返程搭乘申请人车辆", Attested: false})
	if _, err := db.FileTripReport(ctx, ov, tr.ID, in, trip.DefaultRules()); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("unsigned: %v", err)
	}
	in.Attested = true
	if _, err := db.FileTripReport(ctx, domain.ViewerFor(testdb.AddUser(t, db, "comp", "鲁0102", "执行一庭", domain.RoleOfficer), ""), tr.ID, in, trip.DefaultRules()); !errors.Is(err, domain.ErrNotFound) && !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("someone else files: %v", err)
	}
	rid, err := db.FileTripReport(ctx, ov, tr.ID, in, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.FileTripReport(ctx, ov, tr.ID, in, trip.DefaultRules()); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("filed twice: %v", err)
	}
	in.Supplements, in.Explanation = rid, "补充：返程车费已由本人支付"
	if _, err := db.FileTripReport(ctx, ov, tr.ID, in, trip.DefaultRules()); err != nil {
		t.Fatalf("supplement: %v", err)
	}
	tr, reports, _ := db.TripByID(ctx, ov, tr.ID)
	if tr.Status != trip.StatusReported || len(reports) != 2 || !reports[0].Intact || reports[0].Late || !reports[0].AnyYes || reports[1].Supplements != rid {
		t.Fatalf("reports %+v", reports)
	}
	// 有 reaches the head and the watchdogs at once; the officer sees no
	// review.
	if s := todoTitles(t, db, head); !strings.Contains(s, "处理外出报告（报告单有“有”项）：测试off") {
		t.Fatalf("head's to-dos:\n%s", s)
	}
	if s := todoTitles(t, db, group); strings.Count(s, "审查外出报告（报告单有“有”项）：测试off") != 2 {
		t.Fatalf("group's to-dos (the report and its supplement):\n%s", s)
	}
	if _, err := db.TripReviews(ctx, ov, false, 10); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the officer lists reviews: %v", err)
	}
	rvs, err := db.TripReviewsOf(ctx, head, tr.ID, 0)
	if err != nil || len(rvs) != 2 || !strings.Contains(rvs[0].Detail+rvs[1].Detail, "同行、同吃、同住") {
		t.Fatalf("reviews %+v %v", rvs, err)
	}
	if err := db.NoteReview(ctx, head, rvs[0].ID, "已谈话提醒"); err != nil {
		t.Fatal(err)
	}
	if err := db.ConcludeReview(ctx, head, rvs[0].ID, "x"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the head concludes: %v", err)
	}
	if err := db.ConcludeReview(ctx, group, rvs[0].ID, "经核实，已自行支付费用，予以提醒"); err != nil {
		t.Fatal(err)
	}
	if err := db.ConcludeReview(ctx, group, rvs[0].ID, "again"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("concluded twice: %v", err)
	}
	// A changed report no longer matches its signature.
	testdb.Exec(t, db, "UPDATE trip_reports SET explanation = '无' WHERE id = ?", rid)
	_, reports, _ = db.TripByID(ctx, ov, tr.ID)
	if reports[0].Intact || !reports[1].Intact {
		t.Fatal("a changed report still shows as intact")
	}

	// Late: nothing filed by the due date; after the second deadline the
	// head is told too, and the report when filed is late.
	late, err := db.CreateTrip(ctx, ov, trip.Plan{CaseNumbers: nt.CaseNumbers, Destinations: []string{"110101"}, DepartAt: at("2026-10-09 08:00"),
		ReturnAt: at("2026-10-09 20:00"), Task: "调查被执行人财产"}, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RecordRequirement(ctx, head, late.ID, false, "", ""); err != nil {
		t.Fatal(err)
	}
	late, _, _ = db.TripByID(ctx, head, late.ID)
	if !late.Requirement.Late {
		t.Fatal("a requirement recorded after departure is not marked")
	}
	// Back Friday 9 October: due Tuesday the 13th (Saturday the 10th is a
	// make-up working day), the head is told after Thursday the 15th.
	clock = at("2026-10-15 09:00")
	if s := todoTitles(t, db, ov); !strings.Contains(s, "北京市东城区(逾期)") {
		t.Fatalf("officer's overdue to-do:\n%s", s)
	}
	if s := todoTitles(t, db, head); strings.Contains(s, "督促提交") {
		t.Fatalf("head told before the second deadline:\n%s", s)
	}
	clock = at("2026-10-16 09:00")
	if s := todoTitles(t, db, head); !strings.Contains(s, "督促提交外出报告：测试off 赴北京市东城区") {
		t.Fatalf("head's to-dos after the second deadline:\n%s", s)
	}
	if _, err := db.FileTripReport(ctx, ov, late.ID, accounted(late, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-10-09"), Answers: allNo(), Attested: true}), trip.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	_, reports, _ = db.TripByID(ctx, ov, late.ID)
	if !reports[0].Late || reports[0].AnyYes {
		t.Fatalf("late report %+v", reports[0])
	}
	if s := todoTitles(t, db, head); strings.Contains(s, "北京市东城区") {
		t.Fatalf("head still told after filing:\n%s", s)
	}
}

// 附件2: the officer of a closed case is asked for it; 未做到 needs what
// was not done and opens a review.
func TestAnnex2(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 2, 10, 0, 0, 0, domain.Beijing) }
	off := domain.ViewerFor(testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	office := domain.ViewerFor(testdb.AddUser(t, db, "so", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	k := testCase(t, "（2026）鲁0102执7号", "2026-03-01")
	k.Officer, k.ClosedOn, k.ClosingMode = off.Name, domain.MustDate("2026-10-20"), "执行完毕"
	upsert(t, db, domain.SystemViewer("t"), k)
	c, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), "（2026）鲁0102执7号")
	if s := todoTitles(t, db, off); !strings.Contains(s, "填写全程廉洁情况报告单：（2026）鲁0102执7号") {
		t.Fatalf("officer's to-dos:\n%s", s)
	}
	if _, err := db.FileAnnex2(ctx, off, c.ID, trip.Annex2Input{Fulfilled: false, Attested: true}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("未做到 without what: %v", err)
	}
	if _, err := db.FileAnnex2(ctx, office, c.ID, trip.Annex2Input{Fulfilled: true, Attested: true}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("someone else files: %v", err)
	}
	if _, err := db.FileAnnex2(ctx, off, c.ID, trip.Annex2Input{Fulfilled: false, Explanation: "曾接受当事人宴请一次", Attested: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FileAnnex2(ctx, off, c.ID, trip.Annex2Input{Fulfilled: true, Attested: true}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("filed twice: %v", err)
	}
	rs, err := db.Annex2Reports(ctx, off, c.ID)
	if err != nil || len(rs) != 1 || *rs[0].Fulfilled || rs[0].PeriodFrom != "2026-03-01" || rs[0].PeriodTo != "2026-10-20" || !rs[0].Intact {
		t.Fatalf("annex2 %+v %v", rs, err)
	}
	if s := todoTitles(t, db, off); strings.Contains(s, "全程廉洁") {
		t.Fatalf("still asked:\n%s", s)
	}
	if s := todoTitles(t, db, office); !strings.Contains(s, "审查外出报告（全程廉洁报告“未做到”）：测试off") {
		t.Fatalf("office's to-dos:\n%s", s)
	}
}

// A party's complaint that contradicts a 无 in the officer's report on the
// case flags the report: the head is asked for a talk reminder, the
// watchdogs see the complaint, the officer is asked for a supplement and
// sees nothing of the complaint. A complaint of delay flags nothing.
func TestTripCrossCheck(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 10, 12, 10, 0, 0, 0, domain.Beijing) }
	off := domain.ViewerFor(testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	head := domain.ViewerFor(testdb.AddUser(t, db, "head", "鲁0102", "执行一庭", domain.RoleDeptHead), "")
	group := domain.ViewerFor(testdb.AddUser(t, db, "dg", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.Officer = off.Name
	upsert(t, db, domain.SystemViewer("t"), k)
	c, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), "（2026）鲁0102执1号")
	tr, err := db.CreateTrip(ctx, off, trip.Plan{CaseNumbers: []string{c.No.String()}, Destinations: []string{"370203"},
		DepartAt: time.Date(2026, 9, 29, 8, 0, 0, 0, domain.Beijing), ReturnAt: time.Date(2026, 9, 30, 18, 0, 0, 0, domain.Beijing), Task: "查封"}, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	rid, err := db.FileTripReport(ctx, off, tr.ID, accounted(tr, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: allNo(), Attested: true}), trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	complain := func(items ...string) {
		t.Helper()
		if _, err := db.AddFocusedVisit(ctx, cc, c.ID, "当事人来电"); err != nil {
			t.Fatal(err)
		}
		vs, _ := db.Visits(ctx, cc, store.VisitFilter{CaseID: c.ID, Step: "new"})
		cfg := visit.DefaultConfig()
		for _, vi := range vs {
			if _, err := db.ApplyVisitEvent(ctx, cc, vi.ID, visit.Event{Kind: visit.EventStartPhone}, cfg); err != nil {
				t.Fatal(err)
			}
			no := false
			if _, err := db.ApplyVisitEvent(ctx, cc, vi.ID, visit.Event{Kind: visit.EventPhoneRecorded, Answers: &visit.Answers{Satisfied: &no, Items: items}}, cfg); err != nil {
				t.Fatal(err)
			}
		}
	}
	complain("C1.6") // 拖延发放执行款物
	if rs, _ := db.TripReviews(ctx, group, false, 10); len(rs) != 0 {
		t.Fatalf("a complaint of delay flagged %v", rs)
	}
	// The watchdog closes those visits, so that the next complaint opens
	// new ones (a party has one open visit at a time).
	open, _ := db.Visits(ctx, group, store.VisitFilter{CaseID: c.ID, Step: "open"})
	for _, vi := range open {
		if _, err := db.ApplyVisitEvent(ctx, group, vi.ID, visit.Event{Kind: visit.EventManualClose, Role: domain.RoleDisciplineGroup, Reason: "已核实"}, visit.DefaultConfig()); err != nil {
			t.Fatal(err)
		}
	}
	complain("C3.2") // 接受当事人吃请
	rs, err := db.TripReviews(ctx, group, false, 10)
	if err != nil || len(rs) != 2 { // one per party's visit
		t.Fatalf("reviews %+v %v", rs, err)
	}
	r := rs[0]
	if r.Reason != "contradicted" || r.ReportID != rid || r.VisitID == 0 || !strings.Contains(r.Detail, "接受当事人吃请") || !strings.Contains(r.Detail, "同行、同吃、同住") {
		t.Fatalf("review %+v", r)
	}
	if s := todoTitles(t, db, head); !strings.Contains(s, "谈话提醒、批评教育（不如实报告）：测试off") {
		t.Fatalf("head's to-dos:\n%s", s)
	}
	s := todoTitles(t, db, off)
	if !strings.Contains(s, "如实补报外出执行情况报告单：山东省青岛市市北区") || strings.Contains(s, "吃请") || strings.Count(s, "如实补报") != 1 {
		t.Fatalf("officer's to-dos:\n%s", s)
	}
	if _, err := db.TripReviewsOf(ctx, off, tr.ID, 0); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the officer reads the reviews: %v", err)
	}
	a := allNo()
	a["T1"] = true
	if _, err := db.FileTripReport(ctx, off, tr.ID, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: a, Attested: true, Supplements: rid,
		Explanation: "补报：曾与申请人代理人同餐"}, trip.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	if s := todoTitles(t, db, off); strings.Contains(s, "如实补报") {
		t.Fatalf("still asked after the supplement:\n%s", s)
	}
	// The supplement answered 有: the same complaint again flags nothing new.
	before, _ := db.TripReviews(ctx, group, false, 50)
	complain("C3.1")
	after, _ := db.TripReviews(ctx, group, false, 50)
	if len(after) != len(before) {
		t.Fatalf("%d reviews, then %d", len(before), len(after))
	}
	for _, r := range after {
		if r.Reason == "contradicted" && strings.Contains(r.Detail, "“三同”") {
			t.Fatalf("a corrected report flagged again: %+v", r)
		}
	}
}

// Staff with a mobile on record are texted: the liaisons of the
// discipline group and the supervision office when a review opens (not
// naming anyone), the officer once a day while a report is late, the
// head too after the second deadline.
func TestTripNotices(t *testing.T) {
	db := testdb.Open(t)
	clock := time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing)
	db.Now = func() time.Time { return clock }
	withMobile := func(u *domain.User, m string, liaison bool) {
		t.Helper()
		u.Mobile = m
		if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		if liaison {
			appoint(t, db, u, oversight.PostDisciplineLiaison)
		}
	}
	offU := testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer)
	withMobile(offU, "13700000001", false)
	withMobile(testdb.AddUser(t, db, "head", "鲁0102", "执行一庭", domain.RoleDeptHead), "13700000002", false)
	dglU := testdb.AddUser(t, db, "dgl", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	withMobile(dglU, "13700000003", true)
	dgU := testdb.AddUser(t, db, "dg", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	withMobile(dgU, "13700000004", false)
	off := domain.ViewerFor(offU, "")
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.Officer = offU.Name
	upsert(t, db, domain.SystemViewer("t"), k)
	nt := trip.Plan{CaseNumbers: []string{"（2026）鲁0102执1号"}, Destinations: []string{"370203"}, Task: "查封",
		DepartAt: time.Date(2026, 9, 29, 8, 0, 0, 0, domain.Beijing), ReturnAt: time.Date(2026, 9, 30, 18, 0, 0, 0, domain.Beijing)}
	tr, err := db.CreateTrip(ctx, off, nt, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	late, err := db.CreateTrip(ctx, off, nt, trip.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	a := allNo()
	a["T4"] = true
	clock = time.Date(2026, 10, 9, 10, 0, 0, 0, domain.Beijing)
	if _, err := db.FileTripReport(ctx, off, tr.ID, accounted(tr, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: a, Attested: true}), trip.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	notices := func() []string {
		rows, err := db.WriteDB().Query("SELECT idempotency_key || ' ' || body FROM sms_outbox WHERE kind = 'notice' ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	ns := notices()
	if len(ns) != 1 || !strings.HasPrefix(ns[0], "review:") || strings.Contains(ns[0], "测试off") || !strings.Contains(ns[0], "需要审查") {
		t.Fatalf("after the 有: %q", ns)
	}
	// The liaison has it in his message centre, with a link to the
	// review; the watchdog who is no liaison and the officer do not.
	if ms, err := db.Messages(ctx, domain.ViewerFor(dglU, ""), false, 10); err != nil || len(ms) != 1 || ms[0].Kind != oversight.NoticeTripReview ||
		!strings.HasPrefix(ms[0].Link, "/trip-reviews/") || strings.Contains(ms[0].Title, "测试off") {
		t.Fatalf("the liaison's messages: %+v %v", ms, err)
	}
	for _, u := range []*domain.User{dgU, offU} {
		if k, err := db.UnreadCount(ctx, domain.ViewerFor(u, "")); err != nil || k != 0 {
			t.Fatalf("%s has %d messages (%v)", u.Username, k, err)
		}
	}
	// The other trip is due 10 October (国庆节 in between).
	clock = time.Date(2026, 10, 12, 9, 0, 0, 0, domain.Beijing)
	if n, err := db.QueueTripReminders(ctx); err != nil || n != 1 {
		t.Fatalf("first reminder: %d %v", n, err)
	}
	if n, _ := db.QueueTripReminders(ctx); n != 0 {
		t.Fatalf("reminded twice in a day: %d", n)
	}
	clock = time.Date(2026, 10, 14, 9, 0, 0, 0, domain.Beijing) // past 13 October: the head too
	if n, _ := db.QueueTripReminders(ctx); n != 2 {
		t.Fatalf("reminders after the second deadline: %d %q", n, notices())
	}
	ns = notices()
	if !strings.Contains(ns[len(ns)-1], "请督促填写") || !strings.Contains(strings.Join(ns, "\n"), "2026-10-10到期未交") {
		t.Fatalf("notices %q", ns)
	}
	if _, err := db.FileTripReport(ctx, off, late.ID, accounted(late, trip.Annex1Input{ReturnedOn: domain.MustDate("2026-09-30"), Answers: allNo(), Attested: true}), trip.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(24 * time.Hour)
	if n, _ := db.QueueTripReminders(ctx); n != 0 {
		t.Fatalf("reminded after filing: %d", n)
	}
}

// Writes compose: *Tx writes in one db.Update see each other's changes
// and commit or fail whole. A trip registered and cancelled in one
// transaction is kept, cancelled; when a second cancel is refused, nothing
// of the registration or the first cancel is left, audit records included.
func TestTripWritesCompose(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing) }
	ov := domain.ViewerFor(testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.Officer = ov.Name
	upsert(t, db, domain.SystemViewer("t"), k)
	nt := trip.Plan{CaseNumbers: []string{"（2026）鲁0102执1号"}, Destinations: []string{"370203"},
		DepartAt: time.Date(2026, 9, 29, 8, 0, 0, 0, domain.Beijing), ReturnAt: time.Date(2026, 9, 30, 18, 0, 0, 0, domain.Beijing), Task: "查封被执行人房产"}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.WriteDB().QueryRowContext(ctx, db.Rebind(q)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	audits := func() int {
		return count("SELECT COUNT(*) FROM audit_log WHERE action IN ('trip.create', 'trip.cancel')")
	}

	var kept int64
	err := db.Update(ctx, ov, func(tx *store.Tx) error {
		tr, err := tx.CreateTrip(ctx, nt, trip.DefaultRules())
		if err != nil {
			return err
		}
		kept = tr.ID
		return tx.CancelTrip(ctx, tr.ID, "任务取消")
	})
	if err != nil {
		t.Fatal(err)
	}
	if tr, _, err := db.TripByID(ctx, ov, kept); err != nil || tr.Status != trip.StatusCancelled || len(tr.Cases) != 1 {
		t.Fatalf("registered and cancelled in one transaction: %+v %v", tr, err)
	}
	trips, before, cases := count("SELECT COUNT(*) FROM trips"), audits(), count("SELECT COUNT(*) FROM trip_cases")
	if trips != 1 || before != 2 || cases != 1 {
		t.Fatalf("%d trips, %d audit records, %d trip cases", trips, before, cases)
	}

	var gone int64
	err = db.Update(ctx, ov, func(tx *store.Tx) error {
		tr, err := tx.CreateTrip(ctx, nt, trip.DefaultRules())
		if err != nil {
			return err
		}
		gone = tr.ID
		if err := tx.CancelTrip(ctx, tr.ID, "任务取消"); err != nil {
			return err
		}
		// The second cancel sees the first, uncommitted, and is refused.
		return tx.CancelTrip(ctx, tr.ID, "再次取消")
	})
	if !errors.Is(err, domain.ErrConflict) || gone == 0 {
		t.Fatalf("cancelled twice: trip %d, %v", gone, err)
	}
	if _, _, err := db.TripByID(ctx, ov, gone); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("trip %d of a failed transaction: %v", gone, err)
	}
	if n, a, c := count("SELECT COUNT(*) FROM trips"), audits(), count("SELECT COUNT(*) FROM trip_cases"); n != trips || a != before || c != cases {
		t.Fatalf("after a failed transaction: %d trips, %d audit records, %d trip cases", n, a, c)
	}
}

// Several destinations (issue 13, point 15): one outside the jurisdiction
// makes the trip reportable; each is kept, in order, with its answer.
func TestTripSeveralDestinations(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing) }
	ov := domain.ViewerFor(testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	upsert(t, db, domain.SystemViewer("t"), testCase(t, "（2026）鲁0102执1号", "2026-03-01"))
	dep := time.Date(2026, 9, 29, 8, 0, 0, 0, domain.Beijing)
	plan := func(dests ...string) trip.Plan {
		return trip.Plan{CaseNumbers: []string{"（2026）鲁0102执1号"}, Destinations: dests, DepartAt: dep, ReturnAt: dep.Add(34 * time.Hour), Task: "查封"}
	}
	bt, err := db.CreateTrip(ctx, ov, plan("370102", "370203"), trip.DefaultRules())
	if err != nil || !bt.OutOfJurisdiction || bt.DestinationName != "山东省济南市历下区、山东省青岛市市北区" {
		t.Fatalf("a trip to 历下区 and 市北区: %+v %v", bt, err)
	}
	if len(bt.Destinations) != 2 || bt.Destinations[0].Out || !bt.Destinations[1].Out || bt.Destinations[1].Code != "370203" {
		t.Fatalf("destinations %+v", bt.Destinations)
	}
	if lt, err := db.CreateTrip(ctx, ov, plan("370102"), trip.DefaultRules()); err != nil || lt.OutOfJurisdiction || len(lt.Destinations) != 1 {
		t.Fatalf("a trip within 历下区 only: %+v %v", lt, err)
	}
	if _, err := db.CreateTrip(ctx, ov, plan("370102", "370102"), trip.DefaultRules()); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a destination twice: %v", err)
	}
}

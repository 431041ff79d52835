package store_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/trip"
)

// registerWith registers a trip of v's with travellers to 青岛市北区
// leaving on depart at 8:00, back the next day.
func (f *tripFixture) registerWith(t *testing.T, v domain.Viewer, depart string, travellers ...domain.Viewer) (*store.Trip, error) {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", depart+" 08:00", domain.Beijing)
	if err != nil {
		t.Fatal(err)
	}
	p := trip.Plan{CaseNumbers: []string{f.caseNo}, Destinations: []string{"370203"}, DepartAt: d, ReturnAt: d.Add(34 * time.Hour), Task: "查封被执行人房产"}
	for _, x := range travellers {
		p.Travellers = append(p.Travellers, x.UserID)
	}
	return f.db.CreateTrip(ctx, v, p, trip.DefaultRules())
}

func (f *tripFixture) file(t *testing.T, v domain.Viewer, tr *store.Trip, returned string, in trip.Annex1Input) (int64, error) {
	t.Helper()
	if in.Answers == nil {
		in.Answers = allNo()
	}
	in.ReturnedOn, in.Attested = domain.MustDate(returned), true
	return f.db.FileTripReport(ctx, v, tr.ID, accounted(tr, in), trip.DefaultRules())
}

func countRows(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.WriteDB().QueryRowContext(ctx, db.Rebind(q), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Issue 13 point 10: travellers are picked from the court's staff — active
// members of the officer's court who go out to enforce; anyone else is
// refused in Chinese and nothing is registered.
func TestTripTravellersChosen(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	goneU := testdb.AddUser(t, db, "gone", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.Exec(t, db, "UPDATE users SET disabled = TRUE WHERE id = ?", goneU.ID)
	gone := domain.ViewerFor(goneU, "")
	for name, c := range map[string]struct {
		who  domain.Viewer
		want string
	}{
		"another court's staff": {f.qd, "不是本院在职人员"},
		"a disabled user":       {gone, "不是本院在职人员"},
		"no enforcement role":   {cc, "不是本院执行人员"},
		"the officer himself":   {f.off, "登记人本人即为外出人员"},
		"nobody":                {domain.Viewer{UserID: 999999}, "所选同行人员不存在"},
	} {
		_, err := f.registerWith(t, f.off, "2026-09-29", f.head, c.who)
		if !errors.Is(err, domain.ErrInvalid) || !strings.Contains(domain.UserMessage(err), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM trips"); n != 0 {
		t.Fatalf("a refused trip was registered: %d", n)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM trip_travellers"); n != 0 {
		t.Fatalf("refused travellers were kept: %d", n)
	}
	staff, err := db.TripStaff(ctx, f.off)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range staff {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "测试head") || !strings.Contains(got, "测试bureau") ||
		strings.Contains(got, "测试off") || strings.Contains(got, "测试cc") || strings.Contains(got, "测试gone") || strings.Contains(got, "测试qdbureau") ||
		strings.Contains(got, "测试dg") {
		t.Fatalf("staff offered: %s", got)
	}
	// Chosen twice, counted once.
	tr, err := f.registerWith(t, f.off, "2026-09-29", f.bureau, f.bureau)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Travellers) != 2 || tr.Travellers[0].UserID != f.off.UserID || tr.Travellers[1].UserID != f.bureau.UserID || tr.TravellerNames() != "测试bureau" {
		t.Fatalf("travellers %+v", tr.Travellers)
	}
}

// Issue 13 point 10: each traveller files and signs his own 附件1; the
// trip is reported when all have; each counts in lateness, 一岗双责, the
// reminders and the to-dos; a traveller sees the trip but not what his
// companion declared, nor what the watchdogs hold about it.
func TestTripEachTravellerReports(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	withMobile := func(v domain.Viewer, m string) {
		t.Helper()
		u, err := db.UserByID(ctx, domain.SystemViewer("t"), v.UserID)
		if err != nil {
			t.Fatal(err)
		}
		u.Mobile = m
		if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
	}
	off2U := testdb.AddUser(t, db, "off2", "鲁0102", "执行二庭", domain.RoleOfficer)
	off2 := domain.ViewerFor(off2U, "")
	withMobile(f.off, "13700000001")
	withMobile(off2, "13700000002")
	tr, err := f.registerWith(t, f.off, "2026-09-29", off2)
	if err != nil {
		t.Fatal(err)
	}
	if tr.LeaderRole != domain.RoleDeptHead {
		t.Fatalf("led by %q", tr.LeaderRole)
	}
	// The companion sees the trip in his list.
	if ts, err := db.Trips(ctx, off2, store.TripFilter{}); err != nil || len(ts) != 1 || ts[0].ID != tr.ID || len(ts[0].Travellers) != 2 {
		t.Fatalf("the companion's list: %+v %v", ts, err)
	}
	// Back on the 30th: each owes his report.
	f.set("2026-10-08 09:00")
	for _, v := range []domain.Viewer{f.off, off2} {
		if s := todoTitles(t, db, v); !strings.Contains(s, "填写外出执行情况报告单") {
			t.Fatalf("%s's to-dos:\n%s", v.Name, s)
		}
	}
	if _, err := f.file(t, f.head, tr, "2026-09-30", trip.Annex1Input{}); !errors.Is(err, domain.ErrNotFound) && !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the head files for the travellers: %v", err)
	}
	a := allNo()
	a["T1"] = true
	if _, err := f.file(t, f.off, tr, "2026-09-30", trip.Annex1Input{Answers: a, Explanation: "搭乘申请人车辆"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.file(t, f.off, tr, "2026-09-30", trip.Annex1Input{}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a second report of the same traveller: %v", err)
	}
	got, reports, err := db.TripByID(ctx, f.head, tr.ID)
	if err != nil || got.Status != trip.StatusPlanned || len(reports) != 1 || !got.Travellers[0].Reported || got.Travellers[1].Reported {
		t.Fatalf("one of two filed: %+v %+v %v", got, reports, err)
	}
	// He sees the trip, his companion's state, not his companion's report
	// nor its review; he cannot supplement it.
	got, reports, err = db.TripByID(ctx, off2, tr.ID)
	if err != nil || len(reports) != 0 || !got.Travellers[0].Reported {
		t.Fatalf("the companion reads: %+v %v", reports, err)
	}
	first := countRows(t, db, "SELECT MIN(id) FROM trip_reports")
	if _, err := f.file(t, off2, tr, "2026-09-30", trip.Annex1Input{Supplements: int64(first)}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a companion supplements another's report: %v", err)
	}
	if s := todoTitles(t, db, f.off); strings.Contains(s, "填写外出执行情况报告单") {
		t.Fatalf("the officer still owes his report:\n%s", s)
	}
	if s := todoTitles(t, db, off2); !strings.Contains(s, "填写外出执行情况报告单") {
		t.Fatalf("the companion's to-dos:\n%s", s)
	}
	// Filed by one, the trip took place: nobody cancels it or marks it
	// 未成行.
	if err := db.MarkNotTaken(ctx, f.head, tr.ID, "未成行"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("未成行 after a report: %v", err)
	}

	// Due 10 October (国庆节): the companion is late and reminded, the
	// officer is not; the head is told past the second deadline, once.
	f.set("2026-10-12 09:00")
	if n, err := db.QueueTripReminders(ctx); err != nil || n != 1 {
		t.Fatalf("reminders: %d %v", n, err)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM sms_outbox WHERE idempotency_key LIKE ?", "trip:%:remind:%:"+itoa(off2.UserID)); n != 1 {
		t.Fatalf("the companion was not reminded: %d", n)
	}
	row := f.accountability(t, f.head)
	if row.Trips != 1 || row.Travellers != 2 || row.OnTime != 1 || row.Missing != 1 || row.Late != 0 {
		t.Fatalf("accountability with one of two filed: %+v", row)
	}
	if _, err := f.file(t, off2, tr, "2026-09-30", trip.Annex1Input{}); err != nil {
		t.Fatal(err)
	}
	got, reports, _ = db.TripByID(ctx, f.head, tr.ID)
	if got.Status != trip.StatusReported || len(reports) != 2 || reports[1].Signature.SignerID != off2.UserID || !reports[1].Late || !reports[1].Intact {
		t.Fatalf("both filed: %+v %+v", got, reports)
	}
	row = f.accountability(t, f.head)
	if row.Travellers != 2 || row.OnTime != 1 || row.Late != 1 || row.Missing != 0 {
		t.Fatalf("accountability with both filed: %+v", row)
	}
	if n, _ := db.QueueTripReminders(ctx); n != 0 {
		t.Fatalf("reminded after filing: %d", n)
	}
	// The officer's 有 opened a review: his companion, though he heads no
	// one, is never shown it, even as the bureau.
	testdb.Exec(t, db, "INSERT INTO user_roles (user_id, role) VALUES (?, 'bureau')", off2.UserID)
	off2 = domain.ViewerFor(mustUser(t, db, off2.UserID), "")
	if rs, err := db.TripReviews(ctx, off2, false, 10); err != nil || len(rs) != 0 {
		t.Fatalf("the companion reads the review: %+v %v", rs, err)
	}
	if rs, err := db.TripReviews(ctx, f.bureau, false, 10); err != nil || len(rs) != 1 || rs[0].OfficerID != f.off.UserID {
		t.Fatalf("the bureau's reviews: %+v %v", rs, err)
	}
	if s := todoTitles(t, db, off2); strings.Contains(s, "审查") || strings.Contains(s, "处理") {
		t.Fatalf("the companion is asked about the review:\n%s", s)
	}
}

// A department head who goes with his officer does not give himself the
// requirement: the trip is led by the leadership, as his own trip is. A
// head of another department going along changes nothing.
func TestTripHeadAsCompanion(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	other := domain.ViewerFor(testdb.AddUser(t, db, "head2", "鲁0102", "执行二庭", domain.RoleDeptHead), "")
	tr, err := f.registerWith(t, f.off, "2026-09-29", f.head)
	if err != nil {
		t.Fatal(err)
	}
	if tr.LeaderRole != domain.RoleBureau {
		t.Fatalf("a trip the head goes on is led by %q", tr.LeaderRole)
	}
	for who, v := range map[string]domain.Viewer{"the travelling head": f.head, "the co-head": f.cohead} {
		if err := db.RecordRequirement(ctx, v, tr.ID, true, "x", ""); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s gives the requirement: %v", who, err)
		}
	}
	if s := todoTitles(t, db, f.head); strings.Contains(s, "提出纪律要求") {
		t.Fatalf("the travelling head is asked for the requirement:\n%s", s)
	}
	if err := db.RecordRequirement(ctx, f.bureau, tr.ID, true, "严守办案纪律", ""); err != nil {
		t.Fatal(err)
	}
	tr2, err := f.registerWith(t, f.off, "2026-09-29", other)
	if err != nil {
		t.Fatal(err)
	}
	if tr2.LeaderRole != domain.RoleDeptHead {
		t.Fatalf("a trip another department's head goes on is led by %q", tr2.LeaderRole)
	}
	if err := db.RecordRequirement(ctx, f.head, tr2.ID, true, "严守办案纪律", ""); err != nil {
		t.Fatal(err)
	}
	// The head files his own 附件1 on the first trip.
	f.set("2026-10-08 09:00")
	if _, err := f.file(t, f.head, tr, "2026-09-30", trip.Annex1Input{}); err != nil {
		t.Fatal(err)
	}
}

// The cross-check considers each traveller who is the case's officer: on
// a trip a colleague registered, the officer who filed no report of his
// own is flagged, not the colleague who did.
func TestTripCrossCheckTraveller(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	reg := domain.ViewerFor(testdb.AddUser(t, db, "reg", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	tr, err := f.registerWith(t, reg, "2026-09-29", f.off)
	if err != nil {
		t.Fatal(err)
	}
	f.set("2026-10-09 10:00")
	if _, err := f.file(t, reg, tr, "2026-09-30", trip.Annex1Input{}); err != nil {
		t.Fatal(err)
	}
	f.partyComplains(t, cc)
	rs, err := db.TripReviewsOf(ctx, f.group, tr.ID, 0)
	if err != nil || len(rs) != 1 || rs[0].Reason != "unreported" || rs[0].OfficerID != f.off.UserID {
		t.Fatalf("reviews of the trip: %+v %v", rs, err)
	}
	if row := f.accountability(t, f.head); row.Contradicted != 1 || row.Travellers != 2 {
		t.Fatalf("accountability %+v", row)
	}
	// Neither traveller reads it.
	for _, v := range []domain.Viewer{f.off, reg} {
		if _, err := db.TripReviewsOf(ctx, v, tr.ID, 0); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("%s reads the reviews: %v", v.Name, err)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustUser(t *testing.T, db *store.DB, id int64) *domain.User {
	t.Helper()
	u, err := db.UserByID(ctx, domain.SystemViewer("t"), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Migration 00027 backfills every existing trip's officer as its
// traveller, and comes down again.
func TestTripTravellersBackfill(t *testing.T) {
	f := newTripFixture(t)
	db := f.db
	tr := f.register(t, f.off, "2026-09-29")
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if db.Engine == store.Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	p, err := goose.NewProvider(dialect, db.WriteDB(), os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 26); err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 27); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM trip_travellers WHERE trip_id = ? AND user_id = ?", tr.ID, f.off.UserID); n != 1 {
		t.Fatalf("the officer backfilled as traveller: %d", n)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
}

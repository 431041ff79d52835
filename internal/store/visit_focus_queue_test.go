package store_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// Issue 19: a court's first scan over years of history queues what it
// finds and visits the day's capacity of cases, petitions and supervisions
// first, then the longest open; the rest wait in a queue the visit pages
// show, and become visits on the following days, each case once.
func TestFocusedScanPaced(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	var cases []*domain.Case
	// Ten cases of 鲁0102 open since 2024 (filed one month apart: case 1
	// is the longest open), without property so that only the 18 months
	// count; case 7 is also petitioned, case 9 supervised.
	for i := 1; i <= 10; i++ {
		k := testCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), fmt.Sprintf("2024-%02d-01", i))
		k.HasProperty = false
		switch i {
		case 7:
			k.Petition = true
		case 9:
			k.SupervisedBy, k.SupervisedSince = "鲁01", domain.MustDate("2026-10-01")
		}
		cases = append(cases, k)
	}
	for i := 1; i <= 2; i++ {
		k := testCase(t, fmt.Sprintf("（2024）鲁0202执%d号", i), "2024-01-01")
		k.HasProperty = false
		cases = append(cases, k)
	}
	upsert(t, db, domain.SystemViewer("t"), cases...)
	rule := visit.DefaultFocusRule()
	rule.DailyCapacity = 4
	visited := func() []string {
		var out []string
		rows, err := db.WriteDB().Query("SELECT DISTINCT k.number FROM visits v JOIN cases k ON k.id = v.case_id WHERE v.kind = 'focused' AND k.court_id = (SELECT id FROM courts WHERE code = '鲁0102') ORDER BY k.number")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			rows.Scan(&n)
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	no := func(is ...int) []string {
		var out []string
		for _, i := range is {
			out = append(out, fmt.Sprintf("（2024）鲁0102执%d号", i))
		}
		slices.Sort(out)
		return out
	}
	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule})
	if err != nil {
		t.Fatal(err)
	}
	// Day one: the petition, the supervision, then the two longest open;
	// 鲁0202's two fit its own capacity.
	if got := visited(); !slices.Equal(got, no(7, 9, 1, 2)) || rep.Queued != 14 || rep.Waiting != 6 || rep.Created != 2*(4+2) {
		t.Fatalf("day one: visited %v, report %+v", got, rep)
	}
	// The queue as the command centre of 鲁0102 sees it: six waiting, the
	// next ones in order; a case its viewer handled is not his to see.
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc0102", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	q, err := db.FocusQueue(ctx, cc, 3)
	if err != nil || len(q) != 1 || q[0].Waiting != 6 || len(q[0].Next) != 3 || q[0].Next[0].CaseNumber != no(3)[0] || q[0].Next[2].CaseNumber != no(5)[0] ||
		!slices.Equal(q[0].Next[0].Reasons, []string{visit.ReasonOpen18Months}) {
		t.Fatalf("queue of 鲁0102: %+v %v", q, err)
	}
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bureau01", "鲁01", "执行局", domain.RoleBureau), "")
	if q, err := db.FocusQueue(ctx, bureau, 3); err != nil || len(q) != 1 || q[0].Waiting != 6 {
		t.Fatalf("queue as 鲁01's bureau sees it: %+v %v", q, err)
	}
	testdb.Exec(t, db, "INSERT INTO case_officers (case_id, user_id) SELECT id, ? FROM cases WHERE number = ?", cc.UserID, no(3)[0])
	if q, _ := db.FocusQueue(ctx, cc, 3); q[0].Waiting != 5 || q[0].Next[0].CaseNumber != no(4)[0] {
		t.Fatalf("a case the viewer handled is shown: %+v", q)
	}
	// The same day again: the capacity is spent, nothing new, nothing twice.
	if rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule}); err != nil || rep.Created+rep.Merged+rep.Queued != 0 || rep.Waiting != 6 {
		t.Fatalf("same day again: %+v %v", rep, err)
	}
	// Day two: the next four; day three: the last two, and the queue is empty.
	now = now.AddDate(0, 0, 1)
	if rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule}); err != nil || rep.Created != 8 || rep.Waiting != 2 || !slices.Equal(visited(), no(1, 2, 3, 4, 5, 6, 7, 9)) {
		t.Fatalf("day two: visited %v, report %+v %v", visited(), rep, err)
	}
	now = now.AddDate(0, 0, 1)
	if rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule}); err != nil || rep.Created != 4 || rep.Waiting != 0 || len(visited()) != 10 {
		t.Fatalf("day three: visited %v, report %+v %v", visited(), rep, err)
	}
	if q, _ := db.FocusQueue(ctx, cc, 3); len(q) != 0 {
		t.Fatalf("the queue after day three: %+v", q)
	}
	// Each party was texted once: one visit per party, one record per case
	// and criterion.
	var dups, dupReasons int
	db.WriteDB().QueryRow(`SELECT COUNT(*) FROM (SELECT party_id FROM visits GROUP BY party_id HAVING COUNT(*) > 1) d`).Scan(&dups)
	db.WriteDB().QueryRow(`SELECT COUNT(*) FROM (SELECT visit_id, reason FROM visit_reasons GROUP BY visit_id, reason HAVING COUNT(*) > 1) d`).Scan(&dupReasons)
	if dups != 0 || dupReasons != 0 {
		t.Fatalf("%d parties visited twice, %d criteria recorded twice", dups, dupReasons)
	}
	now = now.AddDate(0, 0, 1)
	if rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule}); err != nil || rep.Created+rep.Merged+rep.Queued != 0 {
		t.Fatalf("day four: %+v %v", rep, err)
	}
}

// A waiting case that no longer meets its criterion leaves the queue.
func TestFocusQueuePruned(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	var cases []*domain.Case
	for i := 1; i <= 3; i++ {
		k := testCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), fmt.Sprintf("2024-%02d-01", i))
		k.HasProperty = false
		cases = append(cases, k)
	}
	upsert(t, db, domain.SystemViewer("t"), cases...)
	rule := visit.DefaultFocusRule()
	rule.DailyCapacity = 1
	if rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule}); err != nil || rep.Waiting != 2 {
		t.Fatalf("first scan: %+v %v", rep, err)
	}
	// Case 3 is closed long ago (outside the window): it leaves the queue.
	testdb.Exec(t, db, "UPDATE cases SET closed_on = '2025-01-01', closing_mode = '执行完毕' WHERE number = '（2024）鲁0102执3号'")
	now = now.AddDate(0, 0, 1)
	if rep, err := db.ScanFocused(ctx, store.FocusScan{Court: "鲁0102", Rule: rule}); err != nil || rep.Waiting != 0 || rep.Created != 2 {
		t.Fatalf("second scan: %+v %v", rep, err)
	}
}

// The scan reads, queues and prunes the cases a window of ids at a time:
// a supervision renewed on either side of a window's edge replaces its old
// event in the queue, a case closed long ago leaves it, and only an
// operator's run keeps the list of what was found.
func TestFocusScanWindows(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	store.SetFocusWindow(t, 500)
	const n = 1234 // three windows of 500 ids
	var cases []*domain.Case
	for i := 1; i <= n; i++ {
		k := testCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), "2024-01-01")
		k.HasProperty = false
		cases = append(cases, k)
	}
	upsert(t, db, domain.SystemViewer("t"), cases...)
	slices.SortFunc(cases, func(a, b *domain.Case) int { return cmp.Compare(caseID(t, db, a), caseID(t, db, b)) })
	// The third case, supervised and the first in order, becomes visits
	// on day one; the supervisions at the windows' edges wait.
	edges := []int{500, 501, 1000, 1001}
	for _, i := range append([]int{3}, edges...) {
		cases[i-1].SupervisedBy, cases[i-1].SupervisedSince = "鲁01", domain.MustDate("2026-10-01")
		upsert(t, db, domain.SystemViewer("t"), cases[i-1])
	}
	rule := visit.DefaultFocusRule()
	rule.DailyCapacity = 1
	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule})
	if err != nil || rep.Found != n || rep.Cases != nil || rep.Queued != n+5 || rep.Waiting != n+5-2 {
		t.Fatalf("first scan: found %d, %d listed, report %+v %v", rep.Found, len(rep.Cases), rep, err)
	}
	for _, i := range edges {
		testdb.Exec(t, db, "UPDATE cases SET supervised_since = '2026-11-20' WHERE number = ?", cases[i-1].No.String())
	}
	for _, i := range []int{2, n} {
		testdb.Exec(t, db, "UPDATE cases SET closed_on = '2025-01-01', closing_mode = '执行完毕' WHERE number = ?", cases[i-1].No.String())
	}
	now = now.AddDate(0, 0, 1)
	rep, err = db.ScanFocused(ctx, store.FocusScan{Rule: rule, List: true})
	if err != nil || rep.Found != n-2 || len(rep.Cases) != n-2 {
		t.Fatalf("second scan: found %d, %d listed, report %+v %v", rep.Found, len(rep.Cases), rep, err)
	}
	count := func(q string) (c int) {
		if err := db.WriteDB().QueryRow(q).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Case 500 became visits on day two (the most urgent), with its new
	// supervision; the others wait with theirs.
	waiting := "SELECT COUNT(*) FROM visit_focus_queue q JOIN cases k ON k.id = q.case_id WHERE q.released_on IS NULL AND "
	if old, renewed, closed := count(waiting+"q.reason = 'supervised' AND q.since = '2026-10-01'"),
		count(waiting+"q.reason = 'supervised' AND q.since = '2026-11-20'"),
		count(waiting+"k.closed_on IS NOT NULL"); old != 0 || renewed != 3 || closed != 0 {
		t.Fatalf("waiting: %d old supervisions, %d renewed, %d closed cases", old, renewed, closed)
	}
}

// The scan refreshes the planner's statistics of the tables it wrote
// (issue 19: PostgreSQL planned the bureau's home page at 762 ms after
// the first scan until visits were analysed).
func TestFocusedScanAnalyzes(t *testing.T) {
	db := testdb.Open(t)
	upsert(t, db, domain.SystemViewer("t"), testCase(t, "（2024）鲁0102执1号", "2024-01-01"))
	stats := func() int {
		q := "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'visit_focus_queue'"
		if db.Engine == store.Postgres {
			q = "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'visit_focus_queue'"
		}
		var n int
		if err := db.WriteDB().QueryRow(q).Scan(&n); err != nil {
			return 0 // sqlite_stat1 exists only once something was analysed
		}
		return n
	}
	if n := stats(); n != 0 {
		t.Fatalf("%d statistics before the scan", n)
	}
	if _, err := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()}); err != nil {
		t.Fatal(err)
	}
	if stats() == 0 {
		t.Fatal("no statistics of the queue after the scan")
	}
}

// A window holds focusWindow cases however far apart their ids are: a
// jump of a hundred million ids (a sequence restarted, rows moved in from
// elsewhere) costs no empty windows, and the cases past it are found.
func TestFocusScanIDGaps(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) }
	store.SetFocusWindow(t, 2)
	add := func(from, to int) {
		for i := from; i <= to; i++ {
			upsert(t, db, domain.SystemViewer("t"), testCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), "2024-01-01"))
		}
	}
	add(1, 3)
	// The next ids start a hundred million on.
	if db.Engine == store.Postgres {
		testdb.Exec(t, db, "ALTER TABLE cases ALTER COLUMN id RESTART WITH 100000000")
	} else {
		testdb.Exec(t, db, "CREATE TEMP TABLE gap AS SELECT * FROM cases WHERE number = ?", "（2024）鲁0102执1号")
		testdb.Exec(t, db, "UPDATE gap SET id = 99999999, number = 'gap', closed_on = '2025-01-01', closing_mode = '执行完毕'")
		testdb.Exec(t, db, "INSERT INTO cases SELECT * FROM gap")
	}
	add(4, 6)
	rule := visit.DefaultFocusRule()
	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule})
	if err != nil || rep.Found != 6 {
		t.Fatalf("found %d of 6: %+v %v", rep.Found, rep, err)
	}
	// Windows of ids 1–2, 3–99999999 (or 3 and the first past the gap),
	// 4–5 and 6 on: four, where ranges of two ids would take fifty million.
	if w := store.FocusWindows(rep); w > 4 {
		t.Fatalf("%d windows for 6 cases two at a time", w)
	}
}

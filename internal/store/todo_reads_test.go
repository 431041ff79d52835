package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/trip"
)

// stmt is a statement the store ran, with its arguments.
type stmt struct {
	q    string
	args []any
}

// traced runs f and returns the statements the store ran meanwhile.
func traced(t *testing.T, db *store.DB, f func()) []stmt {
	t.Helper()
	var mu sync.Mutex
	var seen []stmt
	db.BenchTrace(func(q string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, stmt{q, args})
	})
	defer db.BenchTrace(nil)
	f()
	return seen
}

// plainPlans explains every statement of seen on one connection, the
// engine's full-scan access paths turned off on PostgreSQL so that a
// table this small shows the index it would use at scale, and returns
// the plans.
func plainPlans(t *testing.T, db *store.DB, seen []stmt) []string {
	t.Helper()
	conn, err := db.WriteDB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	explain := "EXPLAIN QUERY PLAN "
	if db.Engine == store.Postgres {
		explain = "EXPLAIN "
		for _, set := range []string{"SET enable_seqscan = off", "SET enable_bitmapscan = off"} {
			if _, err := conn.ExecContext(ctx, set); err != nil {
				t.Fatal(err)
			}
		}
		defer conn.ExecContext(ctx, "RESET ALL") //nolint:errcheck // the connection is closed next
	}
	var out []string
	for _, s := range seen {
		out = append(out, explainPlan(t, conn, explain+s.q, s.args))
	}
	return out
}

// fullScans are what a plan says when it reads a whole table or sorts
// what it read: a to-do query never does either over open records.
func fullScans(db *store.DB) []string {
	if db.Engine == store.Postgres {
		return []string{"Seq Scan", "Sort"}
	}
	return []string{"SCAN t\n", "SCAN t ", "SCAN k\n", "SCAN k ", "SCAN trackings", "SCAN cases", "TEMP B-TREE"}
}

// trackingProvince opens trackings of 鲁0102 at every step, one whose case
// the supervision office's user handled and one of 鲁0103, and returns
// the viewers of the three bodies and the co-leaders.
func trackingProvince(t *testing.T, db *store.DB) (chief, group, office, officer domain.Viewer, open func(no string, since domain.Date) int64) {
	sys := domain.SystemViewer("t")
	chiefU := testdb.AddUser(t, db, "chief", "鲁0102", "执行局", domain.RoleBureau)
	headU := testdb.AddUser(t, db, "head", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	supU := testdb.AddUser(t, db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	offU := testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer)
	for p, u := range map[oversight.Post]int64{oversight.PostBureauLeader: chiefU.ID, oversight.PostDisciplineLeader: headU.ID} {
		if err := db.AppointPost(ctx, sys, "鲁0102", p, u); err != nil {
			t.Fatal(err)
		}
	}
	chief, group, office, officer = domain.ViewerFor(chiefU, ""), domain.ViewerFor(headU, ""), domain.ViewerFor(supU, ""), domain.ViewerFor(offU, "")
	open = func(no string, since domain.Date) int64 {
		t.Helper()
		k := testCase(t, no, "2026-01-05")
		if strings.Contains(no, "执9号") {
			k.Officer = supU.Name
		}
		upsert(t, db, sys, k)
		id, err := db.OpenTracking(ctx, sys, caseNoID(t, db, no), since)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	no := func(i int) string { return fmt.Sprintf("（2026）鲁0102执%d号", i) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	yes, nay := true, false
	open(no(1), domain.MustDate("2026-03-01")) // evaluation overdue
	open(no(2), domain.MustDate("2026-03-09")) // evaluation due
	evaluated := open(no(3), domain.MustDate("2026-03-01"))
	must(db.Evaluate(ctx, chief, evaluated, evaluation(t, tracking.ResultTrack)))
	declined := open(no(4), domain.MustDate("2026-03-01"))
	must(db.Evaluate(ctx, chief, declined, evaluation(t, tracking.ResultDecline)))
	consulting := open(no(5), domain.MustDate("2026-03-01"))
	must(db.Evaluate(ctx, chief, consulting, evaluation(t, tracking.ResultTrack)))
	must(db.OpenConsultation(ctx, office, consulting, consultation()))
	must(db.GiveOpinion(ctx, chief, consulting, domain.RoleBureau, &yes, "同意"))
	leaders := open(no(6), domain.MustDate("2026-03-01"))
	must(db.Evaluate(ctx, chief, leaders, evaluation(t, tracking.ResultTrack)))
	must(db.OpenConsultation(ctx, office, leaders, consultation()))
	must(db.GiveOpinion(ctx, chief, leaders, domain.RoleBureau, &nay, "标的不大"))
	must(db.GiveOpinion(ctx, group, leaders, domain.RoleDisciplineGroup, &yes, "舆情风险高"))
	must(db.GiveOpinion(ctx, office, leaders, domain.RoleSupervisionOffice, &yes, "同意"))
	must(db.LeaderDecide(ctx, chief, leaders, oversight.PostBureauLeader, &yes, "跟踪"))
	for _, i := range []int{7, 8} {
		id := open(no(i), domain.MustDate("2026-03-01"))
		must(db.Evaluate(ctx, chief, id, evaluation(t, tracking.ResultTrack)))
		must(db.OpenConsultation(ctx, office, id, consultation()))
		must(db.GiveOpinion(ctx, chief, id, domain.RoleBureau, &yes, "同意"))
		must(db.GiveOpinion(ctx, group, id, domain.RoleDisciplineGroup, &yes, "同意"))
		must(db.GiveOpinion(ctx, office, id, domain.RoleSupervisionOffice, &yes, "同意"))
		if i == 8 {
			must(db.FormGroup(ctx, group, id, &tracking.Group{From: domain.MustDate("2026-03-10"), To: domain.MustDate("2026-06-30"), Plan: "每月查看执行流程一次",
				Members: []tracking.Member{{UserID: chiefU.ID, Role: domain.RoleBureau}, {UserID: headU.ID, Role: domain.RoleDisciplineGroup, Leader: true},
					{UserID: supU.ID, Role: domain.RoleSupervisionOffice}}}))
		}
	}
	open(no(9), domain.MustDate("2026-03-01")) // handled by the supervision office's user
	open("（2026）鲁0103执1号", domain.MustDate("2026-03-01"))
	return chief, group, office, officer, open
}

func trackingTodoLines(t *testing.T, db *store.DB, v domain.Viewer) string {
	t.Helper()
	ts, err := db.TrackingTodos(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, x := range ts {
		fmt.Fprintf(&b, "%s|%s|%s|%s|%v\n", x.Owed, x.CaseNo, x.Court, x.Due, x.Overdue)
	}
	return b.String()
}

// TestTrackingTodosReadOnce (issue 19): the to-dos of mechanism 1 are
// what each body and co-leader owes on every open tracking of his court
// (the bureau's evaluations, overdue first; the consultations; each
// body's opinion; the co-leaders' decisions; the working groups), none on
// a case the viewer handled and none of another court — read by a fixed
// number of statements, however many trackings are open (they were read
// three statements a tracking), each through an index.
func TestTrackingTodosReadOnce(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	chief, group, office, officer, open := trackingProvince(t, db)
	want := map[string]string{
		"chief": `综合评估重点案件候选|（2026）鲁0102执9号|济南市历下区人民法院|2026-03-08|true
综合评估重点案件候选|（2026）鲁0102执1号|济南市历下区人民法院|2026-03-08|true
组成跟踪监督工作小组|（2026）鲁0102执7号|济南市历下区人民法院||false
组织会商（建议跟踪）|（2026）鲁0102执3号|济南市历下区人民法院||false
综合评估重点案件候选|（2026）鲁0102执2号|济南市历下区人民法院|2026-03-16|false
`,
		"group": `组成跟踪监督工作小组|（2026）鲁0102执7号|济南市历下区人民法院||false
共同领导决定是否跟踪（纪检监察组组长）|（2026）鲁0102执6号|济南市历下区人民法院||false
会商意见（派驻纪检监察组）|（2026）鲁0102执5号|济南市历下区人民法院||false
组织会商（建议跟踪）|（2026）鲁0102执3号|济南市历下区人民法院||false
`,
		"office": `组成跟踪监督工作小组|（2026）鲁0102执7号|济南市历下区人民法院||false
会商意见（监察室）|（2026）鲁0102执5号|济南市历下区人民法院||false
组织会商（建议跟踪）|（2026）鲁0102执3号|济南市历下区人民法院||false
`,
		"officer": "",
	}
	viewers := map[string]domain.Viewer{"chief": chief, "group": group, "office": office, "officer": officer}
	for name, v := range viewers {
		if got := trackingTodoLines(t, db, v); got != want[name] {
			t.Errorf("%s's tracking to-dos:\n%s\nwant:\n%s", name, got, want[name])
		}
	}

	// The statements do not grow with the trackings, and each reads by
	// index.
	before := traced(t, db, func() { trackingTodoLines(t, db, chief) })
	for i := 20; i < 26; i++ {
		open(fmt.Sprintf("（2026）鲁0102执%d号", i), domain.MustDate("2026-03-09"))
	}
	after := traced(t, db, func() { trackingTodoLines(t, db, chief) })
	if len(after) != len(before) || len(after) > 6 {
		t.Errorf("%d statements for 9 open trackings, %d for 15", len(before), len(after))
	}
	if n := strings.Count(trackingTodoLines(t, db, chief), "\n"); n != 11 {
		t.Errorf("%d to-dos after six more candidates", n)
	}
	plans := plainPlans(t, db, after)
	for i, s := range after {
		for _, scan := range fullScans(db) {
			if strings.Contains(plans[i]+"\n", scan) {
				t.Errorf("%s:\n%s\n%s", strings.TrimSpace(scan), s.q, plans[i])
			}
		}
	}
}

// TestOfficerTripTodosByIndex (issue 19): the officer's 附件2 to-dos
// (closed cases of the last 90 days without his report), in the order
// they closed, are read from an index on his cases by closing day, with
// no sort of his cases; his reports to supplement, from his contradicted
// reviews and the supplements filed on a report, by index, where every
// review was read and, for each contradicted one, every report.
func TestOfficerTripTodosByIndex(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 2, 10, 0, 0, 0, domain.Beijing) }
	sys := domain.SystemViewer("t")
	off := domain.ViewerFor(testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	other := testdb.AddUser(t, db, "other", "鲁0102", "执行一庭", domain.RoleOfficer)
	var ks []*domain.Case
	for i, closed := range []string{"2026-10-20", "2026-08-10", "", "2026-07-01", "2026-10-01", "2026-09-15"} {
		k := testCase(t, fmt.Sprintf("（2026）鲁0102执%d号", i+1), "2026-03-01")
		k.Officer = off.Name
		if closed != "" {
			k.ClosedOn, k.ClosingMode = domain.MustDate(closed), "执行完毕"
		}
		ks = append(ks, k)
	}
	theirs := testCase(t, "（2026）鲁0102执9号", "2026-03-01")
	theirs.Officer, theirs.ClosedOn, theirs.ClosingMode = other.Name, domain.MustDate("2026-10-25"), "执行完毕"
	upsert(t, db, sys, append(ks, theirs)...)
	if _, err := db.FileAnnex2(ctx, off, caseNoID(t, db, "（2026）鲁0102执5号"), trip.Annex2Input{Fulfilled: true, Attested: true}); err != nil {
		t.Fatal(err)
	}
	var got string
	seen := traced(t, db, func() { got = todoTitles(t, db, off) })
	const want = `填写全程廉洁情况报告单：（2026）鲁0102执2号
填写全程廉洁情况报告单：（2026）鲁0102执6号
填写全程廉洁情况报告单：（2026）鲁0102执1号
`
	if got != want {
		t.Errorf("officer's to-dos:\n%s\nwant:\n%s", got, want)
	}
	// One statement for every kind the officer owes, each kind read by
	// index: the plan of each kind's part alone.
	if len(seen) != 1 {
		t.Errorf("the officer's trip to-dos in %d statements, want 1", len(seen))
	}
	indexes := map[trip.Todo][]string{trip.TodoAnnex2: {"cases_officer_closed"}, trip.TodoSupplement: {"trip_reviews_contradicted", "trip_reports_supplements"}}
	for kind, want := range indexes {
		q, args := db.TripTodoQuery(off, kind, 50)
		plan := plainPlans(t, db, []stmt{{q, args}})[0]
		for _, index := range want {
			if !strings.Contains(plan, index) {
				t.Errorf("not through %s:\n%s\n%s", index, q, plan)
			}
		}
		for _, scan := range append(fullScans(db), "SCAN rv", "SCAN s\n", "SCAN r\n") {
			// The supplements' trips are ordered from the officer's
			// own contradicted reviews, a handful.
			few := kind == trip.TodoSupplement && (scan == "Sort" || scan == "TEMP B-TREE")
			if strings.Contains(plan+"\n", scan) && !few {
				t.Errorf("%s:\n%s\n%s", strings.TrimSpace(scan), q, plan)
			}
		}
	}
}

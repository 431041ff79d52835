package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// closedCases adds n cases of 鲁0102 closed in October 2026; every tenth
// has no phone at all.
func closedCases(t *testing.T, db *store.DB, n int) {
	t.Helper()
	var batch []*domain.Case
	for i := 1; i <= n; i++ {
		k := testCase(t, fmt.Sprintf("（2026）鲁0102执%d号", i), "2026-03-01")
		k.ClosedOn, k.ClosingMode = domain.MustDate("2026-10-01").AddDays(i%31), "执行完毕"
		if i%10 == 0 {
			for j := range k.Parties {
				k.Parties[j].Phone = ""
			}
		}
		batch = append(batch, k)
	}
	// One closed in another month, one still open: not in the population.
	other := testCase(t, "（2026）鲁0102执9001号", "2026-03-01")
	other.ClosedOn = domain.MustDate("2026-11-01")
	open := testCase(t, "（2026）鲁0102执9002号", "2026-03-01")
	upsert(t, db, domain.SystemViewer("t"), append(batch, other, open)...)
}

func TestDrawOnceAndVerify(t *testing.T) {
	db := testdb.Open(t)
	closedCases(t, db, 100)
	cc := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	qdcc := testdb.AddUser(t, db, "qdcc", "鲁0202", "执行指挥中心", domain.RoleCommandCenter)
	officer := testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer)
	rule := visit.DefaultDrawRule()

	for _, u := range []*domain.User{qdcc, officer} {
		if _, _, err := db.DrawBatch(ctx, domain.ViewerFor(u, ""), "鲁0102", "2026-10", rule); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s draws: %v", u.Username, err)
		}
	}
	b, created, err := db.DrawBatch(ctx, domain.ViewerFor(cc, ""), "鲁0102", "2026-10", rule)
	if err != nil || !created {
		t.Fatal(err)
	}
	// Cases without a mobile stay in the population (issue 13: the sample
	// is 5% of every 执结 case, and those go to the phone).
	if b.PopulationCount != 100 || b.ExcludedCount != 0 || b.SampleSize != 5 {
		t.Fatalf("batch %+v: want 100 in the population, none excluded, 5 drawn", b)
	}
	again, created, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", rule)
	if err != nil || created || again.ID != b.ID || again.Seed != b.Seed {
		t.Fatalf("second draw: %+v created=%v %v", again, created, err)
	}
	if _, err := db.VerifyBatch(ctx, domain.SystemViewer("t"), b.ID); err != nil {
		t.Fatalf("verify: %v", err)
	}
	_, cases, _ := db.BatchByID(ctx, domain.SystemViewer("t"), b.ID)
	var in, out string
	for _, bc := range cases {
		if bc.Selected && in == "" {
			in = bc.Number
		}
		if !bc.Selected && bc.Excluded == "" && out == "" {
			out = bc.Number
		}
		if bc.Selected && bc.Excluded != "" {
			t.Fatalf("excluded case %s selected", bc.Number)
		}
	}
	// Swapping a case, or changing the seed, is found.
	testdb.Exec(t, db, "UPDATE visit_batch_cases SET selected = NOT selected WHERE batch_id = ? AND number IN (?, ?)", b.ID, in, out)
	if _, err := db.VerifyBatch(ctx, domain.SystemViewer("t"), b.ID); err == nil {
		t.Fatal("a swapped case verifies")
	}
	testdb.Exec(t, db, "UPDATE visit_batch_cases SET selected = NOT selected WHERE batch_id = ? AND number IN (?, ?)", b.ID, in, out)
	// A different first hex digit: the seed really changes, whatever it was.
	changed := "0" + b.Seed[1:]
	if b.Seed[0] == '0' {
		changed = "1" + b.Seed[1:]
	}
	testdb.Exec(t, db, "UPDATE visit_batches SET seed = ? WHERE id = ?", changed, b.ID)
	if _, err := db.VerifyBatch(ctx, domain.SystemViewer("t"), b.ID); err == nil {
		t.Fatal("a changed seed verifies")
	}
	// The watchdog of the intermediate court sees the batch; Qingdao not.
	jn := testdb.AddUser(t, db, "jnw", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	if _, _, err := db.BatchByID(ctx, domain.ViewerFor(jn, ""), b.ID); err != nil {
		t.Fatalf("intermediate watchdog: %v", err)
	}
	if _, _, err := db.BatchByID(ctx, domain.ViewerFor(qdcc, ""), b.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("Qingdao command centre: %v", err)
	}
	recs, _ := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Limit: 20})
	var commitAt, drawAt int64
	for _, r := range recs {
		switch r.Action {
		case "visit.seed_commit":
			commitAt = r.Seq
		case "visit.draw":
			drawAt = r.Seq
		}
	}
	if commitAt == 0 || drawAt <= commitAt {
		t.Fatalf("commitment (%d) must be audited before the draw (%d)", commitAt, drawAt)
	}
}

// servers opens one test database as several processes would: four
// servers on PostgreSQL; on SQLite, which serves from one process, two (the
// server and a command beside it) — four SQLite writers under the race
// detector can starve one past the busy timeout, which says nothing about
// the code under test.
func servers(t *testing.T) []*store.DB {
	t.Helper()
	dsn := testdb.DSN(t)
	n := 4
	if testdb.Engine() == "sqlite" {
		n = 2
	}
	var dbs []*store.DB
	for range n {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		db.UseKeys(testdb.Sealer(t))
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	return dbs
}

// Two processes drawing the same court and month at the same moment get
// one batch.
func TestDrawConcurrently(t *testing.T) {
	dbs := servers(t)
	closedCases(t, dbs[0], 40)
	var wg sync.WaitGroup
	ids := make([]int64, len(dbs))
	errs := make([]error, len(dbs))
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule())
			if err == nil {
				ids[i] = b.ID
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i := range dbs {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("draw %d: batch %d, %v (first: %d)", i, ids[i], errs[i], ids[0])
		}
	}
	var n int
	dbs[0].WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM visit_batches").Scan(&n)
	if n != 1 {
		t.Fatalf("%d batches", n)
	}
}

// Focused scans that run at once — a retried job beside a new leader's
// run-on-start, two servers — give each party one visit, and each case
// and reason one record (issue 11: 63,940 combinations got two visits
// after a SIGTERM; issue 13: one visit per party, reasons merged).
func TestScanFocusedConcurrently(t *testing.T) {
	dbs := servers(t)
	var cases []*domain.Case
	for i := 1; i <= 450; i++ {
		k := testCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), "2024-03-01") // open for more than 18 months
		k.Petition = i%3 == 0                                             // and some petitioned too
		cases = append(cases, k)
	}
	upsert(t, dbs[0], domain.SystemViewer("t"), cases...)
	var wg sync.WaitGroup
	counts := make([]store.FocusReport, len(dbs))
	rule := visit.DefaultFocusRule()
	rule.DailyCapacity = 1000 // every case today: the pacing has its own tests
	for i, db := range dbs {
		wg.Go(func() {
			rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule})
			if err != nil {
				t.Error(err)
			}
			counts[i] = rep
		})
	}
	wg.Wait()
	var dups, dupReasons, total, reasons int
	dbs[0].WriteDB().QueryRow(`SELECT COUNT(*) FROM (SELECT party_id FROM visits GROUP BY party_id HAVING COUNT(*) > 1) d`).Scan(&dups)
	dbs[0].WriteDB().QueryRow(`SELECT COUNT(*) FROM (SELECT r.reason, v.party_id FROM visit_reasons r JOIN visits v ON v.id = r.visit_id
		GROUP BY r.reason, v.party_id HAVING COUNT(*) > 1) d`).Scan(&dupReasons)
	dbs[0].WriteDB().QueryRow("SELECT COUNT(*) FROM visits WHERE kind = 'focused'").Scan(&total)
	dbs[0].WriteDB().QueryRow("SELECT COUNT(*) FROM visit_reasons").Scan(&reasons)
	created, merged := 0, 0
	for _, rep := range counts {
		created += rep.Created
		merged += rep.Merged
	}
	// Each case has two parties with a mobile, and is open for 18 months
	// and past its limit with property; a third are petitions too: one
	// visit per party, with two or three reasons.
	if dups != 0 || dupReasons != 0 || total != 2*450 || created != total || reasons != 2*(450+450+150) || created+merged != reasons {
		t.Fatalf("%d parties with two visits, %d reasons twice, %d focused visits (want 900) with %d reasons (want 2100), scans report %d created %d merged",
			dups, dupReasons, total, reasons, created, merged)
	}
}

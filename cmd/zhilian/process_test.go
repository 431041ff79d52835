package main

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Two `zhilian serve` processes on one database work side by side, and a
// periodic job runs once per period, not once per process: River elects
// one leader to enqueue periodic jobs. Both stop cleanly on SIGTERM.
func TestTwoServeProcessesRunPeriodicJobsOnce(t *testing.T) {
	dsn := testdb.DSN(t)
	const every = time.Second
	args := []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--verify-audit-every", every.String()}
	p1 := start(t, args...)
	p2 := start(t, args...)
	for _, p := range []*proc{p1, p2} {
		if status, body := get(t, p.url+"/healthz"); status != 200 {
			t.Fatalf("%s/healthz: %d %s", p.url, status, body)
		}
	}
	began := time.Now()
	time.Sleep(8 * time.Second)
	p1.stop(t)
	p2.stop(t)
	elapsed := time.Since(began)

	driver := "sqlite"
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT scheduled_at FROM river_job WHERE kind = 'verify_audit' ORDER BY scheduled_at")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var times []time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			t.Fatal(err)
		}
		times = append(times, at)
	}
	// One process alone would enqueue about elapsed/every jobs (plus one on
	// start); two uncoordinated processes twice that.
	limit := int(elapsed/every) + 2
	if len(times) < 3 || len(times) > limit {
		t.Fatalf("%d periodic jobs in %v at %v: want between 3 and %d (one enqueuer)\n%s\n%s", len(times), elapsed, every, limit, p1.output(), p2.output())
	}
	t.Logf("%d periodic jobs in %v with two processes", len(times), elapsed)
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < every/2 {
			t.Fatalf("two periodic jobs %v apart (%v and %v): enqueued by both processes", gap, times[i-1], times[i])
		}
	}
	for _, p := range []*proc{p1, p2} {
		if strings.Contains(p.output(), "level=ERROR") {
			t.Errorf("errors logged:\n%s", p.output())
		}
	}
}

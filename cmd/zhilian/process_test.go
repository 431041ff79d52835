package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
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

// SIGTERM during the start-up scan for focused visits, then a restart:
// the scan that was running finishes within the grace (or is retried), the
// new process scans again, and still every party has one focused visit
// and every case, reason and party one reason record (issue 11: the
// retried job and the new leader's ran side by side and texted the parties
// twice; issue 13: one visit per party, the reasons merged into it).
func TestFocusedScanSurvivesSIGTERM(t *testing.T) {
	dsn := testdb.DSN(t)
	var b strings.Builder
	b.WriteString("案号,立案日期,承办人,执行标的金额,有无财产可供执行,是否信访,申请执行人,申请执行人电话,被执行人,被执行人电话\n")
	const n = 4000
	for i := 1; i <= n; i++ {
		petition := "否"
		if i%4 == 0 {
			petition = "是"
		}
		fmt.Fprintf(&b, "（2023）鲁0102执%d号,2023-05-06,承办人%d,10000,有,%s,申请人%d,138%08d,被执行人%d,139%08d\n", i, i%7, petition, i, i, i, i)
	}
	file := filepath.Join(t.TempDir(), "old.csv")
	os.WriteFile(file, []byte(b.String()), 0o600)
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatal(out, errs)
	}
	raw := openRaw(t, dsn)
	count := func() int {
		var c int
		raw.WriteDB().QueryRow("SELECT COUNT(*) FROM visit_reasons").Scan(&c)
		return c
	}
	// Each case: open for 18 months and past its limit with property; a
	// quarter petitioned; two parties with mobiles, one visit each.
	want := 2 * (n + n + n/4)
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--sms-quiet", "off", "--visit-focus-capacity", "0")
	deadline := time.Now().Add(60 * time.Second)
	for count() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	atSignal := count()
	p.stop(t)
	afterStop := count()
	p = start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--sms-quiet", "off", "--visit-focus-capacity", "0")
	deadline = time.Now().Add(90 * time.Second)
	for count() < want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second) // a second scan, if one runs, has had its go
	p.stop(t)
	var dups, keys, visits int
	raw.WriteDB().QueryRow(`SELECT COUNT(*) FROM (SELECT r.case_id, r.reason, v.party_id FROM visit_reasons r JOIN visits v ON v.id = r.visit_id
		GROUP BY r.case_id, r.reason, v.party_id HAVING COUNT(*) > 1) d`).Scan(&dups)
	raw.WriteDB().QueryRow("SELECT COUNT(*) FROM visits").Scan(&visits)
	raw.WriteDB().QueryRow("SELECT COUNT(DISTINCT idempotency_key) FROM sms_outbox").Scan(&keys)
	total := count()
	t.Logf("focused reasons: %d at SIGTERM, %d after the first process stopped, %d in the end (want %d); %d duplicated; %d visits; %d messages queued",
		atSignal, afterStop, total, want, dups, visits, keys)
	if dups != 0 || total != want || visits != 2*n {
		t.Fatalf("%d duplicated case/reason/party combinations, %d focused reasons (want %d), %d visits (want %d)", dups, total, want, visits, 2*n)
	}
	if atSignal >= want {
		t.Log("the scan had finished before SIGTERM; the restart still scanned again")
	}
}

package web_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestReadReplica serves zhilian from a PostgreSQL primary and a real
// streaming replica of it (issue 19, item 6): with the standby's replay
// paused, a report drafted through the pages is written to the primary
// and shown at once on its own page (read on the primary), while the list
// of reports, read from the replica, does not have it yet; once replay
// resumes, the list shows it. A replica that lags more than allowed, or
// stops, gives its reads back to the primary. On SQLite, where there are
// no replicas, --db-replica is refused.
func TestReadReplica(t *testing.T) {
	if testdb.Engine() != "postgres" {
		_, err := app.Open(context.Background(), app.Config{DB: testdb.DSN(t), DBReplica: "postgres://postgres@127.0.0.1:5432/x", Key: testdb.Key, UploadDir: t.TempDir()}, nil)
		if err == nil || !strings.Contains(err.Error(), "--db-replica needs a PostgreSQL database") {
			t.Fatalf("--db-replica beside a SQLite --db: %v", err)
		}
		db := testdb.Open(t)
		if err := db.OpenReplica(context.Background(), "postgres://postgres@127.0.0.1:5432/x", store.ReplicaOptions{}); err == nil {
			t.Fatal("a replica of a SQLite database was opened")
		}
		return
	}
	pair := startPGPair(t, "zhilian")
	var logs testdb.SyncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := app.Open(context.Background(), app.Config{DB: pair.url(pair.primary, "zhilian"), DBReplica: pair.url(pair.standby, "zhilian"),
		DBReplicaMaxLag: time.Hour, Key: testdb.Key, Params: testdb.CheapParams, Jobs: jobs.Config{NoPeriodic: true}, UploadDir: t.TempDir()}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	e := newEnvFor(t, a)
	db := a.DB
	testdb.AddUser(t, db, "rr.bur", "鲁0102", "执行局", domain.RoleBureau)
	bur := e.browser().loggedIn("rr.bur")
	pair.caughtUp()
	// A replica still replaying the migrations when the app started is
	// taken into use by the next check (every 5 s).
	waitReplica(t, db, true, &logs)

	_, _, before, _ := db.ReplicaStats()
	if r := bur.get("/reports"); r.status != http.StatusOK || !strings.Contains(r.body, "暂无报告") {
		t.Fatalf("the list before any report: %d", r.status)
	}
	if open, usable, served, _ := db.ReplicaStats(); !open || !usable || served <= before {
		t.Fatalf("the list was not read from the replica: open %v usable %v reads %d→%d", open, usable, before, served)
	}

	pair.pause()
	p := report.LastEnded(overview.PeriodMonth, db.Today())
	r := bur.post("/reports", url.Values{"period": {p.String()}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/reports/") {
		t.Fatalf("drafting: %d %s", r.status, loc)
	}
	// The write and the page that reads it back went to the primary.
	if r := bur.get(loc); r.status != http.StatusOK || !strings.Contains(r.body, p.Label()) {
		t.Fatalf("the new report's own page: %d", r.status)
	}
	var onPrimary, onStandby int
	if err := pair.open(pair.primary, "zhilian").QueryRow("SELECT COUNT(*) FROM run_reports").Scan(&onPrimary); err != nil {
		t.Fatal(err)
	}
	standby := pair.open(pair.standby, "zhilian")
	if err := standby.QueryRow("SELECT COUNT(*) FROM run_reports").Scan(&onStandby); err != nil {
		t.Fatal(err)
	}
	if onPrimary != 1 || onStandby != 0 {
		t.Fatalf("reports on the primary %d, on the paused standby %d; want 1 and 0", onPrimary, onStandby)
	}
	link := `href="` + loc + `"`
	if r := bur.get("/reports"); r.status != http.StatusOK || strings.Contains(r.body, link) || !strings.Contains(r.body, "暂无报告") {
		t.Fatalf("the list, read from the paused replica, already shows the new report: %d", r.status)
	}

	pair.resume()
	pair.caughtUp()
	if r := bur.get("/reports"); r.status != http.StatusOK || !strings.Contains(r.body, link) {
		t.Fatalf("the list once the replica has caught up: %d", r.status)
	}

	t.Run("lag", func(t *testing.T) {
		replicaLags(t, pair)
	})

	// The replica stops: the list is read from the primary, and said so.
	pair.stopStandby()
	if r := bur.get("/reports"); r.status != http.StatusOK || !strings.Contains(r.body, link) {
		t.Fatalf("the list with the replica down: %d", r.status)
	}
	if _, usable, _, fellBack := db.ReplicaStats(); usable || fellBack == 0 {
		t.Fatalf("with the replica down: usable %v, reads given to the primary %d", usable, fellBack)
	}
	if !strings.Contains(logs.String(), "read replica unavailable; reading from the primary") {
		t.Errorf("the replica's loss is not logged:\n%s", logs.String())
	}
	if r := bur.get("/visit-stats"); r.status != http.StatusOK {
		t.Fatalf("statistics with the replica down: %d", r.status)
	}
}

// replicaLags opens the store on the pair with a lag limit of 200 ms:
// with replay paused, a user added on the primary is not on the replica,
// whose reads go back to the primary once it lags past the limit; when
// replay resumes, the replica serves again. A primary given as the
// replica is refused.
func replicaLags(t *testing.T, pair *pgPair) {
	ctx := context.Background()
	db, err := store.Open(ctx, pair.url(pair.primary, "zhilian"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.UseKeys(testdb.Sealer(t))
	if err := db.OpenReplica(ctx, pair.url(pair.primary, "zhilian"), store.ReplicaOptions{}); err == nil || !strings.Contains(err.Error(), "not a standby") {
		t.Fatalf("the primary given as its own replica: %v", err)
	}
	var logs testdb.SyncBuffer
	opts := store.ReplicaOptions{MaxLag: 200 * time.Millisecond, CheckEvery: 50 * time.Millisecond, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := db.OpenReplica(ctx, pair.url(pair.standby, "zhilian"), opts); err != nil {
		t.Fatal(err)
	}
	waitUsable := func(want bool) { t.Helper(); waitReplica(t, db, want, &logs) }
	waitUsable(true)
	rctx := store.ReplicaReads(ctx)
	pair.pause()
	defer pair.resume()
	testdb.AddUser(t, db, "rr.lag", "鲁0102", "执行一庭", domain.RoleOfficer)
	var onStandby int
	if err := pair.open(pair.standby, "zhilian").QueryRow("SELECT COUNT(*) FROM users WHERE username = 'rr.lag'").Scan(&onStandby); err != nil || onStandby != 0 {
		t.Fatalf("the new user on the paused standby: %d %v", onStandby, err)
	}
	waitUsable(false)
	if !strings.Contains(logs.String(), "read replica lags") {
		t.Errorf("the lag is not logged:\n%s", logs.String())
	}
	if _, _, err := db.UserForLogin(rctx, "rr.lag"); err != nil {
		t.Fatalf("a marked read while the replica lags, which goes to the primary: %v", err)
	}
	pair.resume()
	pair.caughtUp()
	waitUsable(true)
	_, _, before, _ := db.ReplicaStats()
	if _, _, err := db.UserForLogin(rctx, "rr.lag"); err != nil {
		t.Fatalf("a marked read once the replica has caught up: %v", err)
	}
	if _, _, after, _ := db.ReplicaStats(); after <= before {
		t.Fatalf("the read once the replica has caught up did not go to it: %d→%d", before, after)
	}
	if _, _, err := db.UserForLogin(rctx, "rr.nobody"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a user that does not exist, read from the replica: %v", err)
	}
}

// waitReplica waits until db's replica is usable (want) or not.
func waitReplica(t *testing.T, db *store.DB, want bool, logs *testdb.SyncBuffer) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, usable, _, _ := db.ReplicaStats(); usable == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica did not become usable=%v:\n%s", want, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

var ctx = context.Background()

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func countJobs(t *testing.T, db *store.DB, kind string) int {
	t.Helper()
	var n int
	q := "SELECT COUNT(*) FROM river_job WHERE kind = ?"
	if db.Engine == store.Postgres {
		q = "SELECT COUNT(*) FROM river_job WHERE kind = $1"
	}
	if err := db.WriteDB().QueryRowContext(ctx, q, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A job is inserted in the transaction of the change that causes it: it
// exists only if that transaction commits.
func TestEnqueueInTransaction(t *testing.T) {
	db := testdb.Open(t)
	q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet()}, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("change failed")
	err = db.Update(ctx, domain.SystemViewer("test"), func(tx *store.Tx) error {
		if err := q.Enqueue(ctx, tx, jobs.SweepSessionsArgs{}, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if n := countJobs(t, db, "sweep_sessions"); n != 0 {
		t.Fatalf("%d jobs after rollback", n)
	}
	err = db.Update(ctx, domain.SystemViewer("test"), func(tx *store.Tx) error {
		return q.Enqueue(ctx, tx, jobs.SweepSessionsArgs{}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countJobs(t, db, "sweep_sessions"); n != 1 {
		t.Fatalf("%d jobs after commit, want 1", n)
	}
}

// Jobs are worked: the sweep deletes an expired session.
func TestSweepSessionsRuns(t *testing.T) {
	db := testdb.Open(t)
	u := testdb.AddUser(t, db, "sleepy", "鲁0102", "执行一庭", domain.RoleOfficer)
	err := db.Update(ctx, domain.ViewerFor(u, ""), func(tx *store.Tx) error {
		_, err := tx.CreateSession(ctx, u.ID, "", "", store.StageFull)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	real := db.Now
	db.Now = func() time.Time { return real().Add(time.Hour) }
	q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet()}, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	sub, cancel := q.Client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	err = db.Update(ctx, domain.SystemViewer("test"), func(tx *store.Tx) error {
		return q.Enqueue(ctx, tx, jobs.SweepSessionsArgs{}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(30 * time.Second)
	for {
		select {
		case ev := <-sub:
			if ev.Job.Kind != "sweep_sessions" {
				continue
			}
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("sweep job %s: %v", ev.Kind, ev.Job.Errors)
			}
			if n, _ := db.CountSessions(ctx, u.ID); n != 0 {
				t.Fatalf("%d sessions left after the sweep", n)
			}
			return
		case <-deadline:
			t.Fatal("sweep job did not run within 30s")
		}
	}
}

func TestPreviousMonth(t *testing.T) {
	for in, want := range map[string]string{"2026-11-28": "2026-10", "2026-01-01": "2025-12", "2026-03-31": "2026-02"} {
		if got := jobs.PreviousMonth(domain.MustDate(in)); got != want {
			t.Errorf("PreviousMonth(%s) = %s, want %s", in, got, want)
		}
	}
}

// The daily job draws last month's batch for every court that closed
// cases, and drawing again changes nothing.
func TestDrawVisitsJob(t *testing.T) {
	db := testdb.Open(t)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), ClosedOn: domain.MustDate("2026-10-09"), ClosingMode: "执行完毕",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13812345678"}}}
	err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err })
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC) }
	w := &jobs.DrawVisitsWorker{DB: db, Rule: visit.DefaultDrawRule(), Log: quiet()}
	// The draw refreshes the planner's statistics of what it wrote (issue 19).
	stats := func() int {
		q := "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'visit_batches'"
		if db.Engine == store.Postgres {
			q = "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'visit_batches'"
		}
		var n int
		if err := db.WriteDB().QueryRow(q).Scan(&n); err != nil {
			return 0 // sqlite_stat1 exists only once something was analysed
		}
		return n
	}
	if n := stats(); n != 0 {
		t.Fatalf("%d statistics of visit_batches before the draw", n)
	}
	defer func() {
		if stats() == 0 {
			t.Error("no statistics of visit_batches after the draw")
		}
	}()
	for range 2 {
		if err := w.Work(ctx, &river.Job[jobs.DrawVisitsArgs]{}); err != nil {
			t.Fatal(err)
		}
	}
	batches, err := db.Batches(ctx, domain.SystemViewer("t"), 10)
	if err != nil || len(batches) != 1 || batches[0].Month != "2026-10" || batches[0].SampleSize != 1 {
		t.Fatalf("batches %+v %v", batches, err)
	}
}

// A new leader does not run the run-on-start jobs again within their
// period (issue 11: draw_visits ran four times in five minutes across
// PostgreSQL blips): a restart inserts nothing the period already has.
func TestRunOnStartOncePerPeriod(t *testing.T) {
	db := testdb.Open(t)
	for round := range 2 {
		q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet()}, jobs.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		// Wait until this client is elected (the one before resigned on
		// Stop), then for its run-on-start inserts.
		began := time.Now().UTC().Add(-time.Second)
		deadline := time.Now().Add(30 * time.Second)
		for !electedSince(t, db, began) {
			if time.Now().After(deadline) {
				t.Fatalf("leader %d was not elected", round+1)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// River starts its periodic enqueuer a few seconds after the
		// election; give it time to insert the run-on-start jobs.
		for countJobs(t, db, "draw_visits") == 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if round > 0 {
			time.Sleep(6 * time.Second)
		}
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := q.Stop(sctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		for _, kind := range []string{"draw_visits", "focused_visits", "verify_audit", "trip_reminders", "start_visits"} {
			if n := countJobs(t, db, kind); n != 1 {
				t.Fatalf("after leader %d: %d %s jobs, want 1", round+1, n, kind)
			}
		}
	}
}

// electedSince reports whether a leader was elected after t.
func electedSince(t *testing.T, db *store.DB, since time.Time) bool {
	t.Helper()
	var at time.Time
	err := db.WriteDB().QueryRowContext(ctx, "SELECT elected_at FROM river_leader").Scan(&at)
	if err != nil {
		return false
	}
	return at.After(since)
}

package jobs_test

import (
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestMemoryReleasedAfterJobs: once the queue is quiet after jobs, the
// server gives memory back (SQLite's caches, Go's free heap), as after
// the daily jobs over a province it held 284 MB at rest; a queue that
// has worked nothing releases nothing.
func TestMemoryReleasedAfterJobs(t *testing.T) {
	db := testdb.Open(t)
	q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet()},
		jobs.Config{NoPeriodic: true, TrimQuiet: 50 * time.Millisecond, TrimWork: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer stopQueue(t, q)
	time.Sleep(200 * time.Millisecond)
	if n := q.Releases(); n != 0 {
		t.Fatalf("%d releases before any job", n)
	}
	err = db.Update(ctx, domain.SystemViewer("test"), func(tx *store.Tx) error {
		return q.Enqueue(ctx, tx, jobs.SweepSessionsArgs{}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for q.Releases() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no memory released within 30s of a job")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

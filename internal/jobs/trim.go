package jobs

import (
	"context"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
)

// Memory given back after work: the daily jobs (the patrol over every
// court above all) fill SQLite's caches and grow Go's heap, which a
// server at rest then held for nothing — 284 MB RSS at a million cases
// against issue 19's 200 MB. Once the queue has been quiet for
// TrimQuiet after jobs that ran TrimWork in all, the store releases its
// caches (store.ReleaseMemory) and Go returns its free heap to the
// operating system.
const (
	DefaultTrimQuiet = 10 * time.Second
	DefaultTrimWork  = time.Second
)

// trimmer watches the queue's finished jobs and releases memory after
// work.
type trimmer struct {
	q           *Queue
	quiet, work time.Duration
	// n counts the releases (tests).
	n atomic.Int64
}

// run releases memory after work until ctx ends or the subscription
// closes.
func (t *trimmer) run(ctx context.Context, events <-chan *river.Event) {
	var worked time.Duration
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case ev, ok := <-events:
			if !ok {
				timer.Stop()
				return
			}
			if ev.JobStats != nil {
				worked += ev.JobStats.RunDuration
			}
			if worked >= t.work {
				timer.Reset(t.quiet)
			}
		case <-timer.C:
			worked = 0
			t.release(ctx)
		}
	}
}

func (t *trimmer) release(ctx context.Context) {
	// Readers busy with pages are not waited for long.
	rctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := t.q.db.ReleaseMemory(rctx); err != nil {
		t.q.log.Warn("releasing memory after jobs", "err", err)
	}
	debug.FreeOSMemory()
	t.n.Add(1)
	t.q.log.Debug("memory released after jobs")
}

// Releases is how many times the queue has given memory back after
// jobs.
func (q *Queue) Releases() int64 { return q.trim.n.Load() }

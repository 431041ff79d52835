package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/store"
)

// SweepSessionsArgs deletes sessions that have run out.
type SweepSessionsArgs struct{}

// Kind names the job type in the queue.
func (SweepSessionsArgs) Kind() string { return "sweep_sessions" }

// SweepSessionsWorker works SweepSessionsArgs.
type SweepSessionsWorker struct {
	river.WorkerDefaults[SweepSessionsArgs]
	DB     *store.DB
	Policy auth.Policy
	Log    *slog.Logger
}

// Work deletes expired sessions.
func (w *SweepSessionsWorker) Work(ctx context.Context, job *river.Job[SweepSessionsArgs]) error {
	n, err := w.DB.SweepSessions(ctx, w.Policy.Idle, w.Policy.Absolute)
	if err != nil {
		return err
	}
	w.Log.Info("swept sessions", "deleted", n)
	return nil
}

// VerifyAuditArgs recomputes the audit chain, so that tampering is found
// even when nobody looks.
type VerifyAuditArgs struct{ daily }

// Kind names the job type in the queue.
func (VerifyAuditArgs) Kind() string { return "verify_audit" }

// VerifyAuditWorker works VerifyAuditArgs.
type VerifyAuditWorker struct {
	river.WorkerDefaults[VerifyAuditArgs]
	DB     *store.DB
	Log    *slog.Logger
	Status *Status
}

// Work verifies the chain; a broken chain is logged as an error and shown
// in the metrics, and the job itself succeeds (retrying would not help).
func (w *VerifyAuditWorker) Work(ctx context.Context, job *river.Job[VerifyAuditArgs]) error {
	res, err := w.DB.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("verifying audit trail: %w", err)
	}
	w.Status.set(res)
	if !res.OK {
		w.Log.Error("audit trail broken", "first_bad_record", res.BadSeq, "reason", res.Reason)
	} else {
		w.Log.Info("audit trail intact", "records", res.Checked)
	}
	return nil
}

// Status holds the last result of the periodic audit check.
type Status struct {
	mu   sync.Mutex
	at   time.Time
	last store.VerifyResult
}

func (s *Status) set(r store.VerifyResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at, s.last = time.Now(), r
}

// Last returns the last result and when it was found (zero if never).
func (s *Status) Last() (store.VerifyResult, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last, s.at
}

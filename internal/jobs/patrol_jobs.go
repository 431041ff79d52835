package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// PatrolArgs starts, once a day, the 网上巡查 of every court with cases: one
// PatrolCourtArgs job per court, so that a court whose run fails is
// retried alone.
type PatrolArgs struct{ daily }

// Kind names the job type in the queue.
func (PatrolArgs) Kind() string { return "patrol" }

// PatrolWorker works PatrolArgs.
type PatrolWorker struct {
	river.WorkerDefaults[PatrolArgs]
	DB     *store.DB
	Log    *slog.Logger
	Client func() *river.Client[*sql.Tx]
}

// Work enqueues the day's run of each court; a court's run already
// enqueued for the day is not enqueued twice.
func (w *PatrolWorker) Work(ctx context.Context, job *river.Job[PatrolArgs]) error {
	courts, err := w.DB.PatrolCourts(ctx)
	if err != nil {
		return err
	}
	on := w.DB.Today()
	for _, code := range courts {
		if _, err := w.Client().Insert(ctx, PatrolCourtArgs{Court: code, On: on.String()}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
			return fmt.Errorf("enqueuing the patrol of %s: %w", code, err)
		}
	}
	return nil
}

// PatrolCourtArgs runs the patrol rules over one court's cases as of a day
// and stores the findings (store.RunPatrol), as `zhilian patrol` does.
type PatrolCourtArgs struct {
	daily
	Court string `json:"court"`
	On    string `json:"on"` // YYYY-MM-DD
}

// Kind names the job type in the queue.
func (PatrolCourtArgs) Kind() string { return "patrol_court" }

// PatrolCourtWorker works PatrolCourtArgs with the configured rule table.
type PatrolCourtWorker struct {
	river.WorkerDefaults[PatrolCourtArgs]
	DB    *store.DB
	Rules tracking.PatrolRules
	Log   *slog.Logger
}

// Work runs the court's patrol; a rerun the same day adds nothing.
func (w *PatrolCourtWorker) Work(ctx context.Context, job *river.Job[PatrolCourtArgs]) error {
	on, err := domain.ParseDate(job.Args.On)
	if err != nil {
		return fmt.Errorf("patrol of %s: %w", job.Args.Court, err)
	}
	run, err := w.DB.RunPatrol(ctx, domain.SystemViewer("job:patrol"), job.Args.Court, on, w.Rules)
	if err != nil {
		return err
	}
	w.Log.Info("patrol run", "court", run.Court, "on", run.On, "cases", run.Cases, "findings", len(run.Findings), "new", run.New, "resolved", run.Resolved)
	return nil
}

package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/store"
)

// TrackingCandidatesArgs refreshes, once a day, every court's candidate
// list of mechanism 1 (重点执行案件): reasons found anew are added, those
// that stopped holding are ended, new candidates get a tracking.
type TrackingCandidatesArgs struct{ daily }

// Kind names the job type in the queue.
func (TrackingCandidatesArgs) Kind() string { return "tracking_candidates" }

// TrackingCandidatesWorker works TrackingCandidatesArgs.
type TrackingCandidatesWorker struct {
	river.WorkerDefaults[TrackingCandidatesArgs]
	DB  *store.DB
	Log *slog.Logger
}

// Work refreshes the candidates; the refresh is idempotent, so a second
// run the same day changes nothing.
func (w *TrackingCandidatesWorker) Work(ctx context.Context, job *river.Job[TrackingCandidatesArgs]) error {
	r, err := w.DB.RefreshAllCandidates(ctx)
	if r != (store.RefreshResult{}) {
		w.Log.Info("tracking candidates refreshed", "added", r.Added, "ended", r.Ended, "opened", r.Opened, "lapsed", r.Lapsed)
	}
	return err
}

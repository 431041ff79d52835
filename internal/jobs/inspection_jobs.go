package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/store"
)

// InspectionSchedulesArgs makes, once a day, the campaigns of special
// inspections (专项督察评查) that repeat quarterly, half-yearly or yearly
// and whose next run has come, each in 筹备 on its leader's to-dos.
type InspectionSchedulesArgs struct{ daily }

// Kind names the job type in the queue.
func (InspectionSchedulesArgs) Kind() string { return "inspection_schedules" }

// InspectionSchedulesWorker works InspectionSchedulesArgs.
type InspectionSchedulesWorker struct {
	river.WorkerDefaults[InspectionSchedulesArgs]
	DB  *store.DB
	Log *slog.Logger
}

// Work makes the campaigns due; a second run the same period makes
// nothing, since each template's next run moves on with its campaign.
func (w *InspectionSchedulesWorker) Work(ctx context.Context, job *river.Job[InspectionSchedulesArgs]) error {
	n, err := w.DB.RepeatInspections(ctx)
	if n > 0 {
		w.Log.Info("scheduled inspections made", "campaigns", n)
	}
	return err
}

package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/store"
)

// TripRemindersArgs texts, once a day, every traveller whose own trip
// report is late and, past the second deadline, the trip's leader.
type TripRemindersArgs struct{}

// Kind names the job type in the queue.
func (TripRemindersArgs) Kind() string { return "trip_reminders" }

// TripRemindersWorker works TripRemindersArgs.
type TripRemindersWorker struct {
	river.WorkerDefaults[TripRemindersArgs]
	DB  *store.DB
	Log *slog.Logger
}

// Work queues the day's reminders; a second run the same day queues none.
func (w *TripRemindersWorker) Work(ctx context.Context, job *river.Job[TripRemindersArgs]) error {
	n, err := w.DB.QueueTripReminders(ctx)
	if n > 0 {
		w.Log.Info("trip report reminders queued", "messages", n)
	}
	return err
}

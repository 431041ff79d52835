package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/store"
)

// TripRemindersArgs texts, once a day, every traveller whose own trip
// report is late and, past the second deadline, the trip's leader.
type TripRemindersArgs struct{ daily }

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

// RectificationRemindersArgs reminds, once a day, the responsible people of
// rectification items near or past their deadline (oversight.RemindOn).
type RectificationRemindersArgs struct{ daily }

// Kind names the job type in the queue.
func (RectificationRemindersArgs) Kind() string { return "rectification_reminders" }

// RectificationRemindersWorker works RectificationRemindersArgs.
type RectificationRemindersWorker struct {
	river.WorkerDefaults[RectificationRemindersArgs]
	DB  *store.DB
	Log *slog.Logger
}

// Work sends the day's reminders; a second run the same day sends none.
func (w *RectificationRemindersWorker) Work(ctx context.Context, job *river.Job[RectificationRemindersArgs]) error {
	n, err := w.DB.RemindRectifications(ctx)
	if n > 0 {
		w.Log.Info("rectification reminders sent", "items", n)
	}
	return err
}

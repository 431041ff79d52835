package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// IntegrityWarningsArgs runs, once a day, the early-warning rules of the
// integrity records (廉政档案) over every officer of every court; a rule
// that fires on facts no earlier warning named proposes a 预警约谈 for the
// watchdogs of the officer's court to accept or dismiss.
type IntegrityWarningsArgs struct{ daily }

// Kind names the job type in the queue.
func (IntegrityWarningsArgs) Kind() string { return "integrity_warnings" }

// IntegrityWarningsWorker works IntegrityWarningsArgs.
type IntegrityWarningsWorker struct {
	river.WorkerDefaults[IntegrityWarningsArgs]
	DB  *store.DB
	Log *slog.Logger
}

// Work runs the rules; a second run the same day proposes nothing, since
// the same facts never propose twice.
func (w *IntegrityWarningsWorker) Work(ctx context.Context, job *river.Job[IntegrityWarningsArgs]) error {
	res, err := w.DB.EvaluateIntegrity(ctx, domain.SystemViewer("job"), "")
	if res.Proposed > 0 {
		w.Log.Info("early warnings proposed", "officers", res.Officers, "warnings", res.Proposed)
	}
	return err
}

package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

// DrawVisitsArgs draws, for every court with cases closed in the previous
// month and no batch yet, that month's daily-visit batch. It runs daily,
// so a court whose cases were imported late is drawn the day after; a
// batch already drawn is never drawn again. Cases of the last twelve
// months whose closing reached the system after their month was drawn are
// drawn in a supplement (补充抽取), by the same rule, once the month's last
// draw is SupplementQuiet old.
type DrawVisitsArgs struct {
	daily
	// Month overrides the previous month (YYYY-MM), for operators.
	Month string `json:"month,omitempty"`
}

// Kind names the job type in the queue.
func (DrawVisitsArgs) Kind() string { return "draw_visits" }

// DrawVisitsWorker works DrawVisitsArgs.
type DrawVisitsWorker struct {
	river.WorkerDefaults[DrawVisitsArgs]
	DB              *store.DB
	Rule            visit.DrawRule
	SupplementQuiet time.Duration
	Log             *slog.Logger
}

// PreviousMonth returns the month before today's, YYYY-MM.
func PreviousMonth(today domain.Date) string {
	first := domain.NewDate(today.Year(), today.Month(), 1)
	return first.AddMonths(-1).String()[:7]
}

// Work draws the missing batches.
func (w *DrawVisitsWorker) Work(ctx context.Context, job *river.Job[DrawVisitsArgs]) error {
	month := job.Args.Month
	if month == "" {
		month = PreviousMonth(w.DB.Today())
	}
	codes, err := w.DB.CourtsWithClosedCases(ctx, month)
	if err != nil {
		return err
	}
	var errs []error
	drawn := 0
	for _, code := range codes {
		b, created, err := w.DB.DrawBatch(ctx, domain.SystemViewer("job:draw_visits"), code, month, w.Rule)
		if err != nil {
			errs = append(errs, fmt.Errorf("drawing %s %s: %w", code, month, err))
			continue
		}
		if created {
			drawn++
			w.Log.Info("visit batch drawn", "court", code, "month", month, "batch", b.ID, "population", b.PopulationCount, "sample", b.SampleSize)
		}
	}
	if job.Args.Month == "" {
		errs = append(errs, w.supplements(ctx))
	}
	if drawn > 0 {
		// The draws wrote a month of visits for every court: the next
		// pages plan from them, not from what autovacuum last saw.
		errs = append(errs, w.DB.AnalyzeTables(ctx, "visits", "visit_reasons", "visit_batches"))
	}
	return errors.Join(errs...)
}

// supplements draws the supplementary batches of the last twelve months.
func (w *DrawVisitsWorker) supplements(ctx context.Context) error {
	var errs []error
	today := w.DB.Today()
	first := domain.NewDate(today.Year(), today.Month(), 1)
	for i := 1; i <= 12; i++ {
		month := first.AddMonths(-i).String()[:7]
		codes, err := w.DB.CourtsToSupplement(ctx, month, w.Rule, w.SupplementQuiet)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, code := range codes {
			b, err := w.DB.DrawSupplement(ctx, domain.SystemViewer("job:draw_visits"), code, month, w.Rule)
			if err != nil {
				errs = append(errs, fmt.Errorf("supplementing %s %s: %w", code, month, err))
				continue
			}
			w.Log.Info("visit supplement drawn", "court", code, "month", month, "batch", b.ID, "seq", b.Seq, "population", b.PopulationCount, "sample", b.SampleSize)
		}
	}
	return errors.Join(errs...)
}

// RecomputeDeadlinesArgs refreshes the due dates that depend on today.
type RecomputeDeadlinesArgs struct{ daily }

// Kind names the job type in the queue.
func (RecomputeDeadlinesArgs) Kind() string { return "recompute_deadlines" }

// RecomputeDeadlinesWorker works RecomputeDeadlinesArgs.
type RecomputeDeadlinesWorker struct {
	river.WorkerDefaults[RecomputeDeadlinesArgs]
	DB  *store.DB
	Log *slog.Logger
}

// Work recomputes the due dates of cases with a running or ending pause.
func (w *RecomputeDeadlinesWorker) Work(ctx context.Context, job *river.Job[RecomputeDeadlinesArgs]) error {
	n, err := w.DB.RecomputeDeadlines(ctx)
	if err != nil {
		return err
	}
	w.Log.Info("deadlines recomputed", "cases", n)
	return nil
}

// Timeout bounds a draw over every court.
func (w *DrawVisitsWorker) Timeout(*river.Job[DrawVisitsArgs]) time.Duration { return 30 * time.Minute }

// FocusedVisitsArgs starts focused visits (重点回访) for the cases that
// meet one of the seed's four criteria (see visit.FocusRule.Hits).
type FocusedVisitsArgs struct{ daily }

// Kind names the job type in the queue.
func (FocusedVisitsArgs) Kind() string { return "focused_visits" }

// FocusedVisitsWorker works FocusedVisitsArgs.
type FocusedVisitsWorker struct {
	river.WorkerDefaults[FocusedVisitsArgs]
	DB   *store.DB
	Rule visit.FocusRule
	Log  *slog.Logger
}

// Work scans the cases.
func (w *FocusedVisitsWorker) Work(ctx context.Context, job *river.Job[FocusedVisitsArgs]) error {
	rep, err := w.DB.ScanFocused(ctx, store.FocusScan{Rule: w.Rule})
	if err != nil {
		return err
	}
	w.Log.Info("focused visits started", "cases", rep.Found, "visits", rep.Created, "merged", rep.Merged)
	return nil
}

// ReplyWindowsArgs records 未回复 for visits whose reply window passed.
type ReplyWindowsArgs struct{}

// Kind names the job type in the queue.
func (ReplyWindowsArgs) Kind() string { return "reply_windows" }

// ReplyWindowsWorker works ReplyWindowsArgs.
type ReplyWindowsWorker struct {
	river.WorkerDefaults[ReplyWindowsArgs]
	DB     *store.DB
	Config visit.Config
	Log    *slog.Logger
}

// Work moves the visits on.
func (w *ReplyWindowsWorker) Work(ctx context.Context, job *river.Job[ReplyWindowsArgs]) error {
	n, err := w.DB.ExpireReplyWindows(ctx, w.Config)
	if n > 0 {
		w.Log.Info("reply windows expired", "visits", n)
	}
	return err
}

// StartVisitsArgs sends the first SMS of visits drawn or found.
type StartVisitsArgs struct{}

// Kind names the job type in the queue.
func (StartVisitsArgs) Kind() string { return "start_visits" }

// StartVisitsWorker works StartVisitsArgs.
type StartVisitsWorker struct {
	river.WorkerDefaults[StartVisitsArgs]
	DB     *store.DB
	Config visit.Config
	Log    *slog.Logger
}

// Work starts the new visits.
func (w *StartVisitsWorker) Work(ctx context.Context, job *river.Job[StartVisitsArgs]) error {
	n, err := w.DB.StartNewVisits(ctx, w.Config)
	if n > 0 {
		w.Log.Info("visits started", "visits", n)
	}
	return err
}

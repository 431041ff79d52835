// Package jobs runs zhilian's background work on River, a durable queue in
// the same database: a job is inserted in the transaction of the change
// that causes it, and periodic jobs are enqueued by the elected leader only,
// so that several processes on one PostgreSQL run each period once.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// Config sets the schedules of the periodic jobs.
type Config struct {
	SweepSessionsEvery time.Duration // default 1h
	VerifyAuditEvery   time.Duration // default 24h
	DrawVisitsEvery    time.Duration // default 24h
	// DrawRule is the monthly draw's rule: population, rate and rounding.
	DrawRule visit.DrawRule
	// SupplementQuiet is how long after a month's last draw the late
	// cases of that month are drawn in a supplement; default 7 days.
	SupplementQuiet time.Duration
	// Visits holds the return-visit deadlines.
	Visits visit.Config
	// FocusRule configures the daily focused scan; default
	// visit.DefaultFocusRule.
	FocusRule visit.FocusRule
	// Workers is how many jobs run at once in this process.
	Workers int
	// CaseTypes are the case type codes that imported case numbers may
	// carry.
	CaseTypes []string
	// PatrolRules is the 网上巡查 rule table of the daily patrol;
	// tracking.DefaultPatrolRules if nil.
	PatrolRules tracking.PatrolRules
	// NoPeriodic leaves out the periodic jobs: for tests that work only
	// the jobs they insert.
	NoPeriodic bool
	// TrimQuiet and TrimWork: memory is given back once the queue has
	// been quiet for TrimQuiet after jobs that ran TrimWork in all
	// (trim.go); DefaultTrimQuiet and DefaultTrimWork if zero.
	TrimQuiet, TrimWork time.Duration
}

func (c *Config) defaults() {
	if c.SweepSessionsEvery <= 0 {
		c.SweepSessionsEvery = time.Hour
	}
	if c.VerifyAuditEvery <= 0 {
		c.VerifyAuditEvery = 24 * time.Hour
	}
	if c.DrawVisitsEvery <= 0 {
		c.DrawVisitsEvery = 24 * time.Hour
	}
	if c.DrawRule.IsZero() {
		c.DrawRule = visit.DefaultDrawRule()
	}
	if c.Visits == (visit.Config{}) {
		c.Visits = visit.DefaultConfig()
	}
	if c.SupplementQuiet <= 0 {
		c.SupplementQuiet = 7 * 24 * time.Hour
	}
	if c.FocusRule == (visit.FocusRule{}) {
		c.FocusRule = visit.DefaultFocusRule()
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.PatrolRules == nil {
		c.PatrolRules = tracking.DefaultPatrolRules()
	}
	if c.TrimQuiet <= 0 {
		c.TrimQuiet = DefaultTrimQuiet
	}
	if c.TrimWork <= 0 {
		c.TrimWork = DefaultTrimWork
	}
}

// DailyQueue is the queue of the scans over every court's cases (the
// patrol and its courts, the focused scan, the tracking candidates, the
// warnings, the time limits, the draw, the audit check, the reminders).
// Each process works it one job at a time: on a server's first start over
// a million cases these jobs, run together by the default queue's
// workers, each with a reader's cache and its own heap, took the process
// to 238 MB RSS against issue 19's 200 MB. Pages, sending and imports do
// not wait for them (their own queues); several servers on one PostgreSQL
// share the daily jobs, one each at a time.
const DailyQueue = "daily"

// daily puts a job's arguments on DailyQueue wherever they are inserted
// (River reads InsertOpts from the arguments when the inserter names no
// queue); it adds nothing to the arguments' JSON.
type daily struct{}

// InsertOpts implements river.JobArgsWithInsertOpts.
func (daily) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: DailyQueue} }

// Queue is the job queue of one process.
type Queue struct {
	Client *river.Client[*sql.Tx]
	// ImportQueue is this server's import queue (see importQueue).
	ImportQueue string
	db          *store.DB
	driver      riverdriver.Driver[*sql.Tx]
	log         *slog.Logger
	// Status is what the periodic audit check found last.
	Status *Status
	trim   *trimmer
	// endTrim stops the trimmer (Start).
	endTrim func()
}

// Deps are what the job workers need.
type Deps struct {
	DB     *store.DB
	Policy auth.Policy
	Log    *slog.Logger
	// UploadDir is where this server keeps uploaded case files; it names
	// the server's import queue.
	UploadDir string
}

func driverFor(db *store.DB) riverdriver.Driver[*sql.Tx] {
	if db.Engine == store.Postgres {
		// database/sql for transactions shared with the store, and the pgx
		// pool underneath for LISTEN/NOTIFY.
		return riverdatabasesql.NewWithPgxListener(db.WriteDB(), db.Pool())
	}
	// SQLite: the store's single-connection write pool, as the driver's
	// documentation recommends, so queue and store never fight for the
	// write lock.
	return riversqlite.New(db.WriteDB())
}

// Migrate brings the queue's tables up to date.
func Migrate(ctx context.Context, db *store.DB, log *slog.Logger) error {
	m, err := rivermigrate.New(driverFor(db), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("preparing queue migrations: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("migrating queue: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("queue migration applied", "version", v.Version, "name", v.Name)
	}
	return nil
}

// MigrateAll applies the schema, the queue's tables and the built-in court
// directory, under the store's migration lock: what every program and
// test database needs before use.
func MigrateAll(ctx context.Context, db *store.DB, log *slog.Logger) error {
	return db.Migrate(ctx, log, func(ctx context.Context) error { return Migrate(ctx, db, log) }, db.LoadCourtDirectory)
}

// New builds the queue with every job type and periodic schedule. It does
// not start working until Start.
func New(d Deps, cfg Config) (*Queue, error) {
	cfg.defaults()
	iq, err := importQueue(d.UploadDir)
	if err != nil {
		return nil, err
	}
	q := &Queue{driver: driverFor(d.DB), log: d.Log, Status: &Status{}, db: d.DB, ImportQueue: iq, endTrim: func() {}}
	q.trim = &trimmer{q: q, quiet: cfg.TrimQuiet, work: cfg.TrimWork}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &SweepSessionsWorker{DB: d.DB, Policy: d.Policy, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &VerifyAuditWorker{DB: d.DB, Log: d.Log, Status: q.Status}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &DrawVisitsWorker{DB: d.DB, Rule: cfg.DrawRule, SupplementQuiet: cfg.SupplementQuiet, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &RecomputeDeadlinesWorker{DB: d.DB, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &FocusedVisitsWorker{DB: d.DB, Rule: cfg.FocusRule, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &ReplyWindowsWorker{DB: d.DB, Config: cfg.Visits, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &StartVisitsWorker{DB: d.DB, Config: cfg.Visits, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &TripRemindersWorker{DB: d.DB, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &RectificationRemindersWorker{DB: d.DB, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &TrackingCandidatesWorker{DB: d.DB, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &InspectionSchedulesWorker{DB: d.DB, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &IntegrityWarningsWorker{DB: d.DB, Log: d.Log}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &CaseImportWorker{DB: d.DB, Log: d.Log, CaseTypes: cfg.CaseTypes}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &ResumeImportsWorker{DB: d.DB, Log: d.Log, Client: func() *river.Client[*sql.Tx] { return q.Client }}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &PatrolWorker{DB: d.DB, Log: d.Log, Client: func() *river.Client[*sql.Tx] { return q.Client }}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &PatrolCourtWorker{DB: d.DB, Rules: cfg.PatrolRules, Log: d.Log}); err != nil {
		return nil, err
	}
	// Each periodic job runs once per period, not once per election: a new
	// leader's run-on-start (after a restart, a PostgreSQL blip, a second
	// server) inserts nothing when the period's job is already there or
	// done. The jobs are idempotent besides (focused visits, the draw).
	once := func(period time.Duration) *river.InsertOpts {
		return &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: period}}
	}
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return TripRemindersArgs{}, once(24 * time.Hour) },
			&river.PeriodicJobOpts{ID: "trip_reminders", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return RectificationRemindersArgs{}, once(24 * time.Hour) },
			&river.PeriodicJobOpts{ID: "rectification_reminders", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PatrolArgs{}, once(24 * time.Hour) },
			&river.PeriodicJobOpts{ID: "patrol", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return TrackingCandidatesArgs{}, once(24 * time.Hour) },
			&river.PeriodicJobOpts{ID: "tracking_candidates", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return InspectionSchedulesArgs{}, once(24 * time.Hour) },
			&river.PeriodicJobOpts{ID: "inspection_schedules", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return IntegrityWarningsArgs{}, once(24 * time.Hour) },
			&river.PeriodicJobOpts{ID: "integrity_warnings", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(cfg.SweepSessionsEvery),
			func() (river.JobArgs, *river.InsertOpts) { return SweepSessionsArgs{}, once(cfg.SweepSessionsEvery) },
			&river.PeriodicJobOpts{ID: "sweep_sessions"}),
		river.NewPeriodicJob(river.PeriodicInterval(cfg.VerifyAuditEvery),
			func() (river.JobArgs, *river.InsertOpts) { return VerifyAuditArgs{}, once(cfg.VerifyAuditEvery) },
			&river.PeriodicJobOpts{ID: "verify_audit", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(cfg.DrawVisitsEvery),
			func() (river.JobArgs, *river.InsertOpts) { return DrawVisitsArgs{}, once(cfg.DrawVisitsEvery) },
			&river.PeriodicJobOpts{ID: "draw_visits", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return RecomputeDeadlinesArgs{}, once(24 * time.Hour) },
			&river.PeriodicJobOpts{ID: "recompute_deadlines", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return FocusedVisitsArgs{}, once(24 * time.Hour) },
			&river.PeriodicJobOpts{ID: "focused_visits", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(15*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return ReplyWindowsArgs{}, once(15 * time.Minute) },
			&river.PeriodicJobOpts{ID: "reply_windows", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return StartVisitsArgs{}, once(10 * time.Minute) },
			&river.PeriodicJobOpts{ID: "start_visits", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return ResumeImportsArgs{}, once(time.Minute) },
			&river.PeriodicJobOpts{ID: "resume_imports", RunOnStart: true}),
	}
	if cfg.NoPeriodic {
		periodic = nil
	}
	client, err := river.NewClient(q.driver, &river.Config{
		Logger: d.Log.With("component", "queue"),
		// This server's imports run one at a time on its own queue, and
		// so do the daily scans on theirs.
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: cfg.Workers},
			DailyQueue:         {MaxWorkers: 1},
			q.ImportQueue:      {MaxWorkers: 1},
		},
		Workers:      workers,
		PeriodicJobs: periodic,
		JobTimeout:   10 * time.Minute,
		// Longer than any job may run (imports: ImportTimeout). A job of a
		// dead process is not waited for this long: its work is enqueued
		// again from its heartbeat (imports) or by the next period.
		RescueStuckJobsAfter: ImportTimeout + time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("creating queue client: %w", err)
	}
	q.Client = client
	return q, nil
}

// Start begins working jobs and, if elected leader, enqueuing periodic ones.
// It gives memory back after jobs (trim.go) until stopped.
func (q *Queue) Start(ctx context.Context) error {
	events, unsubscribe := q.Client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled, river.EventKindJobSnoozed)
	if err := q.Client.Start(ctx); err != nil {
		unsubscribe()
		return fmt.Errorf("starting queue: %w", err)
	}
	tctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		q.trim.run(tctx, events)
	}()
	var once sync.Once
	q.endTrim = func() {
		once.Do(func() {
			cancel()
			<-done
			unsubscribe()
		})
	}
	return nil
}

// Stop lets running jobs finish, up to ctx's deadline.
func (q *Queue) Stop(ctx context.Context) error {
	defer q.endTrim()
	return q.Client.Stop(ctx)
}

// StopAndCancel cancels running jobs and waits for them to return.
func (q *Queue) StopAndCancel(ctx context.Context) error {
	defer q.endTrim()
	return q.Client.StopAndCancel(ctx)
}

// Enqueue inserts a job in tx: it runs only if tx commits.
func (q *Queue) Enqueue(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.Client.InsertTx(ctx, tx.SQL(), args, opts); err != nil {
		return fmt.Errorf("enqueuing %s: %w", args.Kind(), err)
	}
	return nil
}

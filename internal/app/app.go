// Package app wires zhilian together: one validated Config, the database,
// the sign-in service, the job queue and the HTTP server, with Run and
// Close, so that tests boot the whole program on port 0.
package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/api"
	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/metrics"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/web"
)

// App is one running zhilian.
type App struct {
	Config  Config
	Log     *slog.Logger
	DB      *store.DB
	Auth    *auth.Service
	Queue   *jobs.Queue
	Metrics *metrics.Registry
	Web     *web.Server
	API     *api.API
	// SMS is the gateway in use; Sender works the outbox through it.
	SMS    sms.Gateway
	Sender *sms.Sender
	// outbox is the store as the sender and the gateway's inbound side
	// use it.
	outbox *store.SMSOutbox

	ln  net.Listener
	srv *http.Server
}

// The migrations after which the audit trail is keyed (00016) and its head
// sealed (00018).
const (
	migrationKeyedAudit = 16
	migrationSealedHead = 18
)

// OpenDB opens and migrates the database of cfg, with its master key: for
// the commands that need only the store. Every command needs the key,
// since every change is written to the keyed audit trail.
func OpenDB(ctx context.Context, cfg Config, log *slog.Logger) (*store.DB, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return openDB(ctx, cfg, log)
}

// OpenStore opens the database of cfg with its key but neither migrates
// nor writes: for audit verify, which must change nothing.
func OpenStore(ctx context.Context, cfg Config, log *slog.Logger) (*store.DB, error) {
	db, _, err := openStore(ctx, cfg, log)
	return db, err
}

func openStore(ctx context.Context, cfg Config, log *slog.Logger) (*store.DB, store.KeyState, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, store.KeyState{}, err
	}
	keys, state, err := loadKeys(ctx, &cfg, db, log)
	if err != nil {
		db.Close()
		return nil, state, err
	}
	db.UseKeys(keys)
	return db, state, nil
}

func openDB(ctx context.Context, cfg Config, log *slog.Logger) (*store.DB, error) {
	db, state, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	db.AuditAlg = cfg.AuditAlg
	db.StrongRule, db.Measures = cfg.Strong, cfg.Measures
	db.IntegrityRules, db.TripRules = cfg.IntegrityRules, cfg.Trips
	before, err := db.SchemaVersion(ctx)
	if err != nil {
		before = 0 // a new database has no version table yet
	}
	if err := Migrate(ctx, db, log); err != nil {
		db.Close()
		return nil, err
	}
	if state.Check == "" {
		if err := db.SetKeyCheck(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	// A trail written before the chain was keyed is sealed under the key
	// by the process whose migration brings the key in, and only then:
	// later, an unkeyed record is tampering, not history. A broken trail is
	// left for the verifier to report.
	if before < migrationKeyedAudit {
		switch n, err := db.KeyAuditChain(ctx); {
		case err != nil:
			log.Error("the audit trail could not be keyed; 'zhilian audit verify' reports where it breaks", "err", err)
		case n > 0:
			log.Info("audit trail keyed", "records", n)
		}
	}
	if before < migrationSealedHead {
		if err := db.SealAuditHead(ctx); err != nil {
			log.Error("the audit trail's head could not be sealed; 'zhilian audit verify' reports where it breaks", "err", err)
		}
	}
	if cfg.RulesFile != "" {
		f, err := os.Open(cfg.RulesFile)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("time-limit rules: %w", err)
		}
		rules, err := deadline.ParseRules(f)
		f.Close()
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("time-limit rules %s: %w", cfg.RulesFile, err)
		}
		limits := deadline.DefaultLimits()
		limits.Rules = rules
		db.Limits = limits
	}
	db.TrackingConfig.EvaluateWithin = cfg.TrackingEvaluateWithin
	if cfg.TrackingFactorsFile != "" {
		f, err := os.Open(cfg.TrackingFactorsFile)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("tracking factors: %w", err)
		}
		db.TrackingConfig.Factors, err = tracking.ParseFactors(f)
		f.Close()
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("tracking factors %s: %w", cfg.TrackingFactorsFile, err)
		}
	}
	db.TrackingConfig = db.TrackingConfig.OrDefault()
	if err := db.LoadCalendar(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Migrate applies the schema, the queue's tables and the built-in court
// directory (adding missing courts only, so that an administrator's
// corrections stay).
func Migrate(ctx context.Context, db *store.DB, log *slog.Logger) error {
	return jobs.MigrateAll(ctx, db, log)
}

// Open builds the whole program on cfg: database (migrated), services,
// queue and HTTP handler. It does not listen yet.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if cfg.DBReplica != "" {
		if err := db.OpenReplica(ctx, cfg.DBReplica, store.ReplicaOptions{MaxLag: cfg.DBReplicaMaxLag, Log: log.With("component", "replica")}); err != nil {
			db.Close()
			return nil, err
		}
	}
	a := &App{Config: cfg, Log: log, DB: db, Metrics: metrics.New()}
	a.Auth = auth.NewService(db, cfg.Policy, cfg.Params)
	gw, err := newGateway(cfg, db, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.SMS = gw
	a.outbox = &store.SMSOutbox{DB: db, Visits: cfg.Visits}
	a.Sender = &sms.Sender{Outbox: a.outbox, Gateway: gw, Config: cfg.Sender, Log: log.With("component", "sms")}
	jcfg := cfg.Jobs
	jcfg.CaseTypes = cfg.CaseTypes
	if jcfg.PatrolRules, err = PatrolRules(cfg.PatrolRulesFile); err != nil {
		db.Close()
		return nil, err
	}
	db.PatrolRules = jcfg.PatrolRules
	targets, err := OverviewTargets(cfg.OverviewTargetsFile)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Queue, err = jobs.New(jobs.Deps{DB: db, Policy: cfg.Policy, Log: log, UploadDir: cfg.UploadDir}, jcfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Metrics.Gauge(a.auditGauge)
	a.Metrics.Gauge(func(w io.Writer) {
		if free, ok := db.FreeBytes(); ok {
			fmt.Fprintf(w, "# HELP zhilian_storage_free_bytes Free disk space beside the SQLite database.\n# TYPE zhilian_storage_free_bytes gauge\nzhilian_storage_free_bytes %d\n", free)
		}
	})
	a.Metrics.Gauge(func(w io.Writer) {
		open, usable, served, fellBack := db.ReplicaStats()
		if !open {
			return
		}
		up := 0
		if usable {
			up = 1
		}
		fmt.Fprintf(w, "# HELP zhilian_db_replica_usable Whether the read replica (--db-replica) serves reads now.\n# TYPE zhilian_db_replica_usable gauge\nzhilian_db_replica_usable %d\n", up)
		fmt.Fprintf(w, "# HELP zhilian_db_replica_reads_total Reads marked for the replica, by where they went.\n# TYPE zhilian_db_replica_reads_total counter\n")
		fmt.Fprintf(w, "zhilian_db_replica_reads_total{to=\"replica\"} %d\nzhilian_db_replica_reads_total{to=\"primary\"} %d\n", served, fellBack)
	})
	w := &web.Server{DB: db, Auth: a.Auth, Log: log, Metrics: a.Metrics, AuditStatus: a.Queue.Status, TLS: cfg.TLSCert != "", TrustProxy: cfg.TrustProxy,
		TrustedProxies: cfg.TrustedProxies, CaseTypes: cfg.CaseTypes, VisitConfig: cfg.Visits, DrawRule: cfg.Jobs.DrawRule, TripRules: cfg.Trips, MetricsToken: cfg.MetricsToken,
		InspectionAnswerWithin: cfg.InspectionAnswerWithin, OverviewTargets: targets, RunReportDue: cfg.Reports, RunReportTargets: targets}
	if cfg.Demo {
		w.Banner = DemoBanner
		w.Demo = true
	}
	if err := os.MkdirAll(cfg.UploadDir, 0o700); err != nil {
		db.Close()
		return nil, fmt.Errorf("upload directory: %w", err)
	}
	w.UploadDir = cfg.UploadDir
	w.Imports = a.Queue
	w.SMSHealth = a.Sender.Health
	if h, ok := gw.(*sms.HTTP); ok {
		w.SMSInbound = h.Inbound(a.outbox, a.outbox)
	}
	if t, ok := gw.(*sms.Tencent); ok {
		w.SMSTencentStatus, w.SMSTencentReply = t.StatusCallback(a.outbox, w.RemoteAddr), t.ReplyCallback(a.outbox, w.RemoteAddr)
	}
	a.API = &api.API{DB: db, Auth: a.Auth, Log: log, RemoteAddr: w.RemoteAddr, CaseTypes: cfg.CaseTypes, OverviewTargets: targets}
	w.API = a.API.Handler()
	if a.Web, err = web.New(w); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) auditGauge(w io.Writer) {
	res, at := a.Queue.Status.Last()
	if at.IsZero() {
		return
	}
	ok := 0
	if res.OK {
		ok = 1
	}
	fmt.Fprintf(w, "# HELP zhilian_audit_chain_intact 1 if the last periodic check found the audit chain intact.\n# TYPE zhilian_audit_chain_intact gauge\nzhilian_audit_chain_intact %d\n", ok)
	fmt.Fprintf(w, "# HELP zhilian_audit_records_checked Records checked by the last periodic audit check.\n# TYPE zhilian_audit_records_checked gauge\nzhilian_audit_records_checked %d\n", res.Checked)
}

// Listen binds the HTTP address.
func (a *App) Listen() error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", a.Config.Addr, err)
	}
	a.ln = ln
	return nil
}

// URL is the address the server answers on.
func (a *App) URL() string {
	scheme := "http"
	if a.Config.TLSCert != "" {
		scheme = "https"
	}
	return scheme + "://" + a.ln.Addr().String()
}

// ShutdownGrace is by default how long running requests, jobs and case imports get
// to finish after SIGTERM.
const ShutdownGrace = 20 * time.Second

// Run starts the queue and serves until ctx ends, then shuts down
// gracefully: no new requests; running requests, jobs and case imports
// get Config.ShutdownGrace to finish, and only then are cancelled.
func (a *App) Run(ctx context.Context) error {
	if a.ln == nil {
		if err := a.Listen(); err != nil {
			return err
		}
	}
	// The queue outlives the signal: jobs running at SIGTERM finish (a
	// job cancelled mid-way is retried beside the next leader's run).
	if err := a.Queue.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	// If start-up or serving fails from here on, the queue stops with it:
	// no job runs on while the caller closes the database.
	queueStopped := false
	defer func() {
		if !queueStopped {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := a.Queue.StopAndCancel(sctx); err != nil {
				a.Log.Warn("stopping the queue after a failed start", "err", err)
			}
		}
	}()
	// Command-line imports left running by a process that stopped will
	// never finish (the page's are resumed by the queue). Not cut short by
	// a signal that came during start-up.
	if err := a.DB.FailStaleImports(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	// Uploads a stopped process left behind, but for those of imports the
	// queue is still to run.
	live, err := a.DB.LiveUploads(context.WithoutCancel(ctx))
	if err != nil {
		return err
	}
	for p := range live {
		live[filepath.Clean(p)] = true
	}
	if n := sweepUploads(a.Web.UploadDir, 10*time.Minute, live); n > 0 {
		a.Log.Info("removed uploads left by a stopped process", "files", n, "dir", a.Web.UploadDir)
	}
	// The SMS sender stops at once at a signal (its messages wait in the
	// outbox).
	smsCtx, stopSMS := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSMS()
	// Every process takes replies and receipts; the one holding the lease
	// sends.
	if err := a.SMS.Start(smsCtx, a.outbox); err != nil {
		return fmt.Errorf("starting SMS provider: %w", err)
	}
	senderDone := make(chan struct{})
	go func() {
		defer close(senderDone)
		a.Sender.Run(smsCtx)
	}()
	a.srv = &http.Server{
		Handler:           a.Web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of case files
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 2)
	var metricsSrv *http.Server
	if a.Config.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.Config.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listening on the metrics address %s: %w", a.Config.MetricsAddr, err)
		}
		metricsSrv = &http.Server{Handler: a.Web.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := metricsSrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("metrics: %w", err)
			}
		}()
		a.Log.Info("metrics", "url", "http://"+mln.Addr().String()+"/metrics")
	}
	go func() {
		var err error
		if a.Config.TLSCert != "" {
			a.srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			err = a.srv.ServeTLS(a.ln, a.Config.TLSCert, a.Config.TLSKey)
		} else {
			err = a.srv.Serve(a.ln)
		}
		errc <- err
	}()
	a.Log.Info("serving", "url", a.URL(), "db", a.DB.Engine)
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	grace := a.Config.ShutdownGrace
	a.Log.Info("shutting down", "grace", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	stopSMS()
	err = a.srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// A request longer than the grace (a large upload) is cut, not
		// reported as the process's failure.
		a.Log.Warn("requests still running at the end of the grace are cut")
		err = a.srv.Close()
	}
	if metricsSrv != nil {
		err = errors.Join(err, metricsSrv.Shutdown(sctx))
	}
	<-senderDone
	// Let an SMPP bind say unbind rather than drop.
	if sp, ok := a.SMS.(interface{ Stopped() <-chan struct{} }); ok {
		select {
		case <-sp.Stopped():
		case <-time.After(5 * time.Second):
		}
	}
	// Running jobs (case imports among them) finish within the grace; past
	// it they are cancelled: a periodic job is retried beside the next
	// leader's run, an import is given back to this server's import queue.
	queueStopped = true
	if qerr := a.Queue.Stop(sctx); qerr != nil {
		a.Log.Warn("jobs still running at the end of the grace are cancelled", "err", qerr)
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = errors.Join(err, a.Queue.StopAndCancel(cctx))
		ccancel()
	}
	return err
}

// sweepUploads removes uploads (upload-*) in dir older than age that no
// live import holds: uploads whose request was cut short, or whose import
// ended without its worker removing the file. Nothing else in dir is
// touched. It returns how many.
func sweepUploads(dir string, age time.Duration, live map[string]bool) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		path := filepath.Join(dir, e.Name())
		if err != nil || !strings.HasPrefix(e.Name(), "upload-") || !info.Mode().IsRegular() || time.Since(info.ModTime()) < age || live[path] {
			continue
		}
		if os.Remove(path) == nil {
			n++
		}
	}
	return n
}

// Close releases the database.
func (a *App) Close() error {
	return a.DB.Close()
}

// newGateway builds the SMS provider cfg names.
func newGateway(cfg Config, db *store.DB, log *slog.Logger) (sms.Gateway, error) {
	switch cfg.SMS {
	case "", "log":
		return &sms.Log{Log: log}, nil
	case "simulator":
		return sms.NewSimulator(db.Now), nil
	case "smpp":
		return sms.NewSMPP(cfg.SMPP, log.With("component", "smpp"))
	case "http":
		return sms.NewHTTP(cfg.HTTP, nil)
	case "tencent":
		return sms.NewTencent(cfg.Tencent)
	}
	return nil, fmt.Errorf("unknown SMS provider %q (log, smpp, http, tencent, simulator)", cfg.SMS)
}

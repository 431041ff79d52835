package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// env holds what every command gets: its arguments' streams and the logger.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
}

type command struct {
	name, usage, summary string
	run                  func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--db DB] [--addr HOST:PORT] [--tls-cert FILE --tls-key FILE]", "run the web server and background jobs", cmdServe},
		{"demo", "demo [--addr HOST:PORT] [--data DIR] [--password PW]", "run on DIR/zhilian.db with a demo province", cmdDemo},
		{"migrate", "migrate [--db DB]", "apply database migrations and load the court directory", cmdMigrate},
		{"users", "users add|list|disable …", "manage accounts (zhilian users help)", cmdUsers},
		{"tokens", "tokens create|list|revoke --db DB …", "API tokens: issue (prints only the token), list, revoke", cmdTokens},
		{"audit", "audit verify [--db DB] [--anchor FILE] | anchor", "check the keyed audit chain (exit 0 only if intact); print its head", cmdAudit},
		{"import", "import cases [--db DB] [--mapping FILE] [--report FILE] FILE", "import cases from CSV (UTF-8/GBK) or XLSX; idempotent", cmdImport},
		{"import", "import acts [--db DB] FILE", "import enforcement acts (案号,行为,日期,金额,备注); each named case's acts replaced", nil},
		{"visits", "visits draw --court CODE --month YYYY-MM [--json] | verify BATCH", "draw a month's return-visit batch (once per court and month); recompute one", cmdVisits},
		{"patrol", "patrol --court CODE [--date YYYY-MM-DD] [--json] [--patrol-rules FILE]", "run the 网上巡查 rules over a court's cases as the daily job does; store and print the findings", cmdPatrol},
		{"inspections", "inspections draw CAMPAIGN [--json] | verify CAMPAIGN", "draw a case review's cases per court by the return visits' rule; recompute them", cmdInspections},
		{"courts", "courts import [--db DB] FILE", "load a court directory (CSV: code,name,parent,level,divisions)", cmdCourts},
		{"calendar", "calendar import [--db DB] FILE", "load a holiday calendar (国务院办公厅 notice: 2026-10-01~2026-10-08,休,国庆节 / 2026-09-27,班,调休)", cmdCalendar},
		{"keygen", "keygen", "print a new master key for personal information (for --key-file / ZHILIAN_KEY)", cmdKeygen},
		{"backup", "backup [--db DB] [--out FILE] [--without-key]", "consistent copy of a live SQLite database and its key beside it; for PostgreSQL, print the pg_dump command", cmdBackup},
		{"restore", "restore --from BACKUP [--key-file K] --db DB", "put a SQLite backup and its key in place, check the key and the audit trail; for PostgreSQL, print pg_restore", cmdRestore},
		{"bench", "bench --db NEW [--cases N] [--conns C] [--duration D] [--json]", "build a synthetic province on a fresh database; time import, jobs and pages beside the raw engine", cmdBench},
		{"help", "help", "list the commands", nil},
	}
}

// exitError carries an exit code other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	e.log = newLogger(stderr, os.Getenv("ZHILIAN_LOG_LEVEL"), os.Getenv("ZHILIAN_LOG_FORMAT"))
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] && c.run != nil {
			err := c.run(ctx, e, args[1:])
			if err == nil {
				return 0
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintln(stderr, "zhilian "+c.name+": "+describe(err))
			var ee *exitError
			if errors.As(err, &ee) {
				return ee.code
			}
			return 1
		}
	}
	fmt.Fprintf(stderr, "zhilian: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// describe gives the user's message of a domain error (often Chinese, as
// users read it) next to its code, and internal errors as they are.
func describe(err error) string {
	var de *domain.Error
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve):
		var parts []string
		for k, v := range ve.Fields {
			parts = append(parts, k+": "+v)
		}
		return "invalid: " + strings.Join(parts, "; ")
	case errors.As(err, &de):
		return de.Error()
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "zhilian (执廉) — 执行廉政“四项机制”监督平台")
	fmt.Fprintln(w, "\nUsage: zhilian COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-64s %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(w, "\n--db takes a SQLite file path or a postgres:// URL; it defaults to $ZHILIAN_DB, then zhilian.db.")
	fmt.Fprintln(w, "Environment: ZHILIAN_DB, ZHILIAN_ADDR, ZHILIAN_TLS_CERT, ZHILIAN_TLS_KEY, ZHILIAN_AUDIT_HASH (sha256|sm3),")
	fmt.Fprintln(w, "             ZHILIAN_KEY or ZHILIAN_KEY_FILE, ZHILIAN_CASE_TYPES, ZHILIAN_RULES, ZHILIAN_PATROL_RULES,")
	fmt.Fprintln(w, "             ZHILIAN_LOG_LEVEL (debug|info|warn|error), ZHILIAN_LOG_FORMAT (text|json).")
	fmt.Fprintln(w, "Run 'zhilian COMMAND -h' for a command's flags.")
}

func newLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil || level == "" {
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// newFlags returns a flag set that prints its usage to the command's
// stderr and does not exit the process.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("zhilian "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// dbOpts are the database and its master key, as every command takes
// them.
type dbOpts struct {
	dsn, keyFile string
	// create lets the command make a new SQLite database (migrate, serve);
	// the others refuse a path where there is none, rather than make an
	// empty database at a mistyped path and report success.
	create bool
}

// existing refuses a SQLite path with no database, unless the command
// creates one.
func (o *dbOpts) existing() error {
	if o.create || store.IsPostgres(o.dsn) {
		return nil
	}
	path := strings.TrimPrefix(strings.TrimPrefix(o.dsn, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database at %s (check --db or ZHILIAN_DB; 'zhilian migrate --db %s' makes a new one)", path, path)
	}
	return nil
}

// dbFlag adds --db and --key-file with their defaults from the
// environment (ZHILIAN_DB, ZHILIAN_KEY_FILE; ZHILIAN_KEY holds a key
// itself).
func dbFlag(fs *flag.FlagSet) *dbOpts {
	o := &dbOpts{}
	fs.StringVar(&o.dsn, "db", getenv("ZHILIAN_DB", "zhilian.db"), "SQLite file path or postgres:// URL")
	fs.StringVar(&o.keyFile, "key-file", os.Getenv("ZHILIAN_KEY_FILE"), "file holding the master key (default on SQLite: DB.key; or set ZHILIAN_KEY)")
	return o
}

// config returns the database part of a command's configuration.
func (o *dbOpts) config(c *app.Config) *app.Config {
	if c == nil {
		c = &app.Config{}
	}
	// A key file named on the command line (or ZHILIAN_KEY_FILE) wins
	// over a key in ZHILIAN_KEY.
	c.DB, c.KeyFile = o.dsn, o.keyFile
	if o.keyFile == "" {
		c.Key = os.Getenv("ZHILIAN_KEY")
	}
	return c
}

// baseConfig reads the flags every server-like command shares.
func baseConfig(fs *flag.FlagSet) *app.Config {
	c := &app.Config{}
	fs.StringVar(&c.AuditAlg, "audit-hash", getenv("ZHILIAN_AUDIT_HASH", "sha256"), "hash of new audit records: sha256 or sm3")
	fs.Func("case-types", "comma-separated case type codes (default "+strings.Join(domain.DefaultCaseTypes, ",")+"; or ZHILIAN_CASE_TYPES)", func(s string) error {
		c.CaseTypes = splitList(s)
		return nil
	})
	if v := os.Getenv("ZHILIAN_CASE_TYPES"); v != "" {
		c.CaseTypes = splitList(v)
	}
	fs.StringVar(&c.RulesFile, "rules", os.Getenv("ZHILIAN_RULES"), "CSV table of time-limit rules replacing the defaults (code,name,amount,unit,from,basis)")
	fs.StringVar(&c.PatrolRulesFile, "patrol-rules", os.Getenv("ZHILIAN_PATROL_RULES"), "CSV table of 网上巡查 rules changing the defaults (code,title,parameters,basis,enabled)")
	fs.StringVar(&c.OverviewTargetsFile, "overview-targets", os.Getenv("ZHILIAN_OVERVIEW_TARGETS"), "CSV table of the cockpit's targets changing the defaults (key,target,amber), e.g. executed_in_limit,92,3")
	fs.StringVar(&c.TrackingFactorsFile, "tracking-factors", os.Getenv("ZHILIAN_TRACKING_FACTORS"), "CSV table of the factors of the key-case evaluation 综合评估 replacing the defaults (key,label,weight)")
	fs.DurationVar(&c.TrackingEvaluateWithin, "tracking-evaluate-within", envDuration("ZHILIAN_TRACKING_EVALUATE_WITHIN", 7*24*time.Hour), "how long the bureau has to evaluate a key-case candidate before it is overdue on its to-dos")
	fs.DurationVar(&c.InspectionAnswerWithin, "inspection-answer-within", envDuration("ZHILIAN_INSPECTION_ANSWER_WITHIN", 7*24*time.Hour), "the time to answer a finding of special inspections that the campaign form suggests (whole days)")
	if len(c.CaseTypes) == 0 {
		c.CaseTypes = domain.DefaultCaseTypes
	}
	return c
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '、' })
}

// openDB opens and migrates the database for a command, with its key.
func openDB(ctx context.Context, e *env, o *dbOpts, auditAlg string) (*store.DB, error) {
	if err := o.existing(); err != nil {
		return nil, err
	}
	return app.OpenDB(ctx, *o.config(&app.Config{AuditAlg: auditAlg}), e.log)
}

// openStore opens the database for a command that must not change it.
func openStore(ctx context.Context, e *env, o *dbOpts) (*store.DB, error) {
	if err := o.existing(); err != nil {
		return nil, err
	}
	return app.OpenStore(ctx, *o.config(nil), e.log)
}

// Package bench is `zhilian bench`: it builds a synthetic province on a
// fresh database through the normal import path, runs the province's jobs
// (the monthly draw, the focused scan, the patrol) and loads the busiest
// pages over HTTP as real signed-in clients, each beside its raw-engine
// baseline measured in the same run: a bulk insert (COPY on PostgreSQL) of
// the same rows for the import, and the page's own SQL — every reading
// statement one request of the page runs, traced and replayed directly on
// the engine under the same concurrency — for the pages.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// Config is what a run is told.
type Config struct {
	// DB is a SQLite path (no file there, or an empty one) or a
	// postgres:// URL of a database without tables.
	DB string
	// Key or KeyFile is the master key; on PostgreSQL without either a
	// random one is made for the run (the data is synthetic).
	Key, KeyFile string
	Cases        int           // 1,000,000 if zero
	Conns        int           // 32 if zero
	Duration     time.Duration // per page; 25 s if zero
	// Log receives progress lines; nil is silent.
	Log *slog.Logger
	// Params hash the bench users' passwords; auth.DefaultParams if zero.
	Params auth.Params
	// Profiles, if set, is a directory (made if missing) that receives a CPU
	// profile of the import, import.pprof, of each page's load, NAME.pprof, and of the replay of its
	// SQL, NAME.raw.pprof, and the statements one request of each of its
	// paths runs, NAME.sql.
	Profiles string
	// Pages, if set, names the pages to load (PageNames); the others are
	// left out. The import and the jobs run all the same.
	Pages []string
}

// PageNames are the pages a run loads, in order.
var PageNames = []string{"home-command", "home-bureau", "home-watchdog", "home-officer", "case-list",
	"search-number", "search-name", "case-detail", "stats", "api-cases"}

// Import is the import's figures.
type Import struct {
	Rows       int     `json:"rows"`
	Added      int     `json:"added"`
	Seconds    float64 `json:"seconds"`
	RawSeconds float64 `json:"raw_seconds"`
	Ratio      float64 `json:"ratio"`
	RowsPerSec float64 `json:"rows_per_s"`
	RSSMB      float64 `json:"rss_mb"`
}

// Step is one job run over the province.
type Step struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	Count   int     `json:"count"`
	What    string  `json:"what"`
}

// Page is one page under load.
type Page struct {
	Name       string  `json:"name"`
	Path       string  `json:"path"`
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	P50        float64 `json:"p50_ms"`
	P95        float64 `json:"p95_ms"`
	P99        float64 `json:"p99_ms"`
	RPS        float64 `json:"rps"`
	Statements int     `json:"statements"`
	RawMS      float64 `json:"raw_ms"`
	RawRPS     float64 `json:"raw_rps"`
	Ratio      float64 `json:"ratio"`
	RSSMB      float64 `json:"rss_mb"`
}

// Report is a run's result, printed as a table or JSON.
type Report struct {
	Engine    string  `json:"engine"`
	Cases     int     `json:"cases"`
	Conns     int     `json:"conns"`
	DurationS float64 `json:"duration_s"`
	Started   string  `json:"started"`
	Load      string  `json:"load"`
	Import    Import  `json:"import"`
	Steps     []Step  `json:"steps"`
	Pages     []Page  `json:"pages"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

func (c *Config) defaults() {
	if c.Cases <= 0 {
		c.Cases = 1_000_000
	}
	if c.Conns <= 0 {
		c.Conns = 32
	}
	if c.Duration <= 0 {
		c.Duration = 25 * time.Second
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Params == (auth.Params{}) {
		c.Params = auth.DefaultParams
	}
}

// ErrNotEmpty is returned for a database that already holds something:
// the bench makes its own province and never writes into real data.
var ErrNotEmpty = errors.New("the bench needs a fresh database: give a new SQLite path or an empty PostgreSQL database")

// checkFresh refuses a database that is not empty.
func checkFresh(ctx context.Context, dsn string) error {
	if store.IsPostgres(dsn) {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		var n int
		if err := db.BenchReadDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w (%d tables there)", ErrNotEmpty, n)
		}
		return nil
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		return fmt.Errorf("%w (%s holds %d bytes)", ErrNotEmpty, path, st.Size())
	}
	return nil
}

// Run builds the province and measures it.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg.defaults()
	for _, name := range cfg.Pages {
		if !slices.Contains(PageNames, name) {
			return nil, fmt.Errorf("no page %q: the pages are %s", name, strings.Join(PageNames, ", "))
		}
	}
	if err := checkFresh(ctx, cfg.DB); err != nil {
		return nil, err
	}
	rep := &Report{Cases: cfg.Cases, Conns: cfg.Conns, DurationS: cfg.Duration.Seconds(), Started: time.Now().UTC().Format(time.RFC3339), Load: loadAvg()}
	key := cfg.Key
	if store.IsPostgres(cfg.DB) && key == "" && cfg.KeyFile == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		key = hex.EncodeToString(b)
	}
	tmp, err := os.MkdirTemp("", "zhilian-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	a, err := app.Open(ctx, app.Config{DB: cfg.DB, Key: key, KeyFile: cfg.KeyFile, Addr: "127.0.0.1:0", CaseTypes: domain.DefaultCaseTypes,
		Params: cfg.Params, UploadDir: filepath.Join(tmp, "uploads")}, cfg.Log)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	db := a.DB
	rep.Engine = string(db.Engine)

	p := &province{db: db, log: cfg.Log, dir: tmp, profiles: cfg.Profiles}
	if err := p.build(ctx, cfg.Cases, &rep.Import); err != nil {
		return nil, err
	}
	if rep.Steps, err = p.jobs(ctx); err != nil {
		return nil, err
	}

	// Serve as a server started on the province would: the import's
	// garbage and the writer's import-sized cache given back first.
	if db.Engine == store.SQLite {
		_, _ = db.WriteDB().ExecContext(ctx, "PRAGMA shrink_memory")
	}
	debug.FreeOSMemory()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: a.Web.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	l := &loader{db: db, base: base, conns: cfg.Conns, log: cfg.Log, profiles: cfg.Profiles}
	pages, err := p.pages(ctx, a.Auth, l)
	if err != nil {
		return nil, err
	}
	for _, pg := range pages {
		if len(cfg.Pages) > 0 && !slices.Contains(cfg.Pages, pg.name) {
			continue
		}
		res, err := l.measure(ctx, pg, cfg.Duration)
		if err != nil {
			return nil, err
		}
		rep.Pages = append(rep.Pages, res)
	}
	rep.PeakRSSMB = peakRSSEver()
	rep.Load += " → " + loadAvg()
	return rep, nil
}

// loadAvg is the machine's load average (1, 5, 15 min), as uptime says.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

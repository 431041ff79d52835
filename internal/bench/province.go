package bench

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// province is the synthetic province of one run.
type province struct {
	db  *store.DB
	log *slog.Logger
	dir string
	csv string
	// profiles, if set, is the directory that receives import.pprof, a
	// CPU profile of the import (Config.Profiles).
	profiles string
}

// officerNames are the synthetic 承办人 of every court (their names only:
// cases name their officer, no account is needed).
var officerNames = []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"}

// build writes the province's case file and imports it through the
// normal import path, then bulk-loads the same rows straight into the
// engine for the baseline.
func (p *province) build(ctx context.Context, n int, out *Import) error {
	sys := domain.SystemViewer("bench")
	courts, err := p.db.Courts(ctx, sys)
	if err != nil {
		return err
	}
	var sc []synth.Court
	for _, c := range courts {
		if c.Level == domain.LevelHigh {
			continue
		}
		var officers []synth.Officer
		for i, name := range officerNames {
			officers = append(officers, synth.Officer{Name: name, Department: []string{"执行一庭", "执行二庭"}[i%2]})
		}
		sc = append(sc, synth.Court{Code: c.Code, Officers: officers})
	}
	p.csv = filepath.Join(p.dir, "cases.csv")
	f, err := os.Create(p.csv)
	if err != nil {
		return err
	}
	g := synth.New(synth.Config{Seed: 19, Today: p.db.Today(), Cases: n, Months: 120}, sc)
	if err := g.WriteCSV(f, n); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	p.log.Info("bench: case file written", "cases", n, "courts", len(sc))

	in, err := os.Open(p.csv)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	// The import's peak is its own, as `zhilian import` alone would
	// have it: the garbage of writing the case file collected and given
	// back to the operating system first, not counted in its RSS.
	debug.FreeOSMemory()
	resetPeak()
	stopProfile, err := startProfile(p.profiles, "import")
	if err != nil {
		return err
	}
	started := time.Now()
	res, err := caseimport.Load(ctx, p.db, domain.SystemViewer("bench:import"), in, st.Size(), importer.Options{CaseTypes: domain.DefaultCaseTypes}, nil, 0)
	if perr := stopProfile(); err == nil {
		err = perr
	}
	if err != nil {
		return fmt.Errorf("importing: %w", err)
	}
	out.Seconds = time.Since(started).Seconds()
	out.RSSMB = peakRSS()
	out.Rows, out.Added = n, res.Counts.Added
	out.RowsPerSec = float64(n) / out.Seconds
	if res.Counts.Added+res.Counts.Rejected != n || res.Counts.Added < n*99/100 {
		return fmt.Errorf("imported %+v of %d rows (%d row errors)", res.Counts, n, res.ErrorCount)
	}
	p.log.Info("bench: imported", "seconds", out.Seconds, "rss_mb", out.RSSMB)
	if out.RawSeconds, err = p.rawImport(ctx); err != nil {
		return fmt.Errorf("raw import: %w", err)
	}
	out.Ratio = out.Seconds / out.RawSeconds
	p.log.Info("bench: raw import", "seconds", out.RawSeconds)
	return nil
}

// rawImport loads the same file into a bare table of its columns with
// three indexes (case number, court and officer, as a case table has at
// least): COPY on PostgreSQL, one transaction of a prepared INSERT on
// SQLite (what the sqlite3 shell's .import does). The table is dropped
// after.
func (p *province) rawImport(ctx context.Context) (float64, error) {
	f, err := os.Open(p.csv)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return 0, err
	}
	cols := make([]string, len(head))
	defs := make([]string, len(head))
	for i := range head {
		cols[i] = "c" + strconv.Itoa(i)
		defs[i] = cols[i] + " TEXT"
	}
	w := p.db.WriteDB()
	ddl := []string{
		"DROP TABLE IF EXISTS bench_raw",
		"CREATE TABLE bench_raw (" + strings.Join(defs, ", ") + ")",
		"CREATE UNIQUE INDEX bench_raw_number ON bench_raw (c0)",
		"CREATE INDEX bench_raw_officer ON bench_raw (c2)",
		"CREATE INDEX bench_raw_party ON bench_raw (c10)",
	}
	for _, q := range ddl {
		if _, err := w.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	defer w.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS bench_raw") //nolint:errcheck // best effort
	started := time.Now()
	if p.db.Engine == store.Postgres {
		conn, err := p.db.Pool().Acquire(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Release()
		_, err = conn.Conn().CopyFrom(ctx, pgx.Identifier{"bench_raw"}, cols, &csvSource{r: r})
		if err != nil {
			return 0, err
		}
		return time.Since(started).Seconds(), nil
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	marks := strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",")
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO bench_raw VALUES ("+marks+")") //nolint:gosec // placeholders only
	if err != nil {
		return 0, err
	}
	defer func() { _ = stmt.Close() }()
	args := make([]any, len(cols))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
		for i := range args {
			args[i] = rec[i]
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return time.Since(started).Seconds(), nil
}

// csvSource feeds CSV records to CopyFrom.
type csvSource struct {
	r   *csv.Reader
	row []any
	err error
}

func (s *csvSource) Next() bool {
	rec, err := s.r.Read()
	if err != nil {
		if err != io.EOF {
			s.err = err
		}
		return false
	}
	if s.row == nil {
		s.row = make([]any, len(rec))
	}
	for i := range rec {
		s.row[i] = rec[i]
	}
	return true
}

func (s *csvSource) Values() ([]any, error) { return s.row, nil }
func (s *csvSource) Err() error             { return s.err }

// jobs runs the province's jobs once, as their daily and monthly runs do:
// the monthly return-visit draw for every court, the focused scan, and
// the patrol of every court; then refreshes the planner's statistics.
func (p *province) jobs(ctx context.Context) ([]Step, error) {
	var steps []Step
	today := p.db.Today()
	month := jobs.PreviousMonth(today)
	started := time.Now()
	codes, err := p.db.CourtsWithClosedCases(ctx, month)
	if err != nil {
		return nil, err
	}
	drawn := 0
	for _, code := range codes {
		b, _, err := p.db.DrawBatch(ctx, domain.SystemViewer("bench:draw_visits"), code, month, visit.DefaultDrawRule())
		if err != nil {
			return nil, fmt.Errorf("drawing %s %s: %w", code, month, err)
		}
		drawn += b.SampleSize
	}
	steps = append(steps, Step{Name: "draw", Seconds: time.Since(started).Seconds(), Count: drawn, What: fmt.Sprintf("monthly draw %s, %d courts: visits drawn", month, len(codes))})
	p.log.Info("bench: drawn", "seconds", steps[len(steps)-1].Seconds)

	started = time.Now()
	fr, err := p.db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()})
	if err != nil {
		return nil, err
	}
	steps = append(steps, Step{Name: "focused-scan", Seconds: time.Since(started).Seconds(), Count: fr.Created, What: fmt.Sprintf("focused scan: %d cases meet a criterion; visits started", fr.Found)})
	p.log.Info("bench: focused scan", "seconds", steps[len(steps)-1].Seconds)

	courts, err := p.db.Courts(ctx, domain.SystemViewer("bench"))
	if err != nil {
		return nil, err
	}
	started = time.Now()
	findings := 0
	rules := tracking.DefaultPatrolRules()
	for _, c := range courts {
		run, err := p.db.RunPatrol(ctx, domain.SystemViewer("bench:patrol"), c.Code, today, rules)
		if err != nil {
			return nil, fmt.Errorf("patrol %s: %w", c.Code, err)
		}
		findings += len(run.Findings)
	}
	steps = append(steps, Step{Name: "patrol", Seconds: time.Since(started).Seconds(), Count: findings, What: fmt.Sprintf("zhilian patrol over %d courts: findings", len(courts))})
	p.log.Info("bench: patrol", "seconds", steps[len(steps)-1].Seconds)

	started = time.Now()
	if err := p.db.Analyze(ctx); err != nil {
		return nil, err
	}
	steps = append(steps, Step{Name: "analyze", Seconds: time.Since(started).Seconds(), What: "planner statistics refreshed before the pages"})
	return steps, nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
)

const importUsage = "usage: zhilian import cases [--db DB] [--mapping FILE] [--report FILE] FILE\n       zhilian import acts [--db DB] FILE"

func cmdImport(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "acts" {
		return importActs(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "cases" {
		return &exitError{2, errors.New(importUsage)}
	}
	fs := newFlags(e, "import cases")
	db := dbFlag(fs)
	cfg := baseConfig(fs)
	mapping := fs.String("mapping", "", "CSV file mapping other column names to standard ones: 来源列名,标准列名")
	report := fs.String("report", "", "write the row-error report (CSV) here")
	yield := fs.Bool("yield", true, "on SQLite, pause after each batch as long as it held the writer, so that a live server's requests get in")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{2, errors.New(importUsage)}
	}
	if err := db.existing(); err != nil {
		return err
	}
	opts := importer.Options{CaseTypes: cfg.CaseTypes}
	if *mapping != "" {
		f, err := os.Open(*mapping)
		if err != nil {
			return err
		}
		opts.Mapping, err = importer.ParseMapping(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	d, err := app.OpenDB(ctx, *db.config(cfg), e.log)
	if err != nil {
		return err
	}
	defer d.Close()
	// Recorded like an import from the page: an imports row with its
	// progress and report, and a file-level audit record.
	op := operator("import cases")
	id, err := d.StartImport(ctx, op, filepath.Base(fs.Arg(0)), st.Size())
	if err != nil {
		return err
	}
	stopBeat := d.BeatImport(ctx, id, func(err error) { e.log.Warn("import heartbeat", "err", err) })
	bar := newProgressBar(e.stderr)
	update := bar.update
	if *yield && d.Engine == store.SQLite {
		// A SQLite database has one writer at a time, across processes:
		// a batch that commits and at once begins the next starves a live
		// server's writes for seconds (issue 11 measured a p95 of 6.7 s).
		// The import writes 200 cases per transaction, and after each
		// leaves the writer free as long as the batch held it, up to half
		// a second: a request waits at most about one small batch.
		opts.Batch = 200
		last := time.Now()
		update = func(phase string, done, total int64, r *caseimport.Result) {
			bar.update(phase, done, total, r)
			if phase == store.ImportImporting {
				time.Sleep(min(time.Since(last), 500*time.Millisecond))
				last = time.Now()
			}
		}
	}
	started := time.Now()
	res, err := caseimport.Load(ctx, d, op, f, st.Size(), opts, update, id)
	bar.done()
	stopBeat()
	status, msg, rep := store.ImportDone, "", ""
	if res != nil {
		rep = res.Report()
	}
	if err != nil {
		status, msg = store.ImportFailed, "命令行导入失败："+domain.UserMessage(err)
	}
	if ferr := d.FinishImport(context.WithoutCancel(ctx), op, id, status, msg, rep); ferr != nil {
		return errors.Join(err, ferr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d rows in %s (%s): %d new, %d updated, %d unchanged, %d rejected; %d row errors\n",
		fs.Arg(0), res.Rows, time.Since(started).Round(time.Millisecond), res.Format, res.Counts.Added, res.Counts.Updated, res.Counts.Unchanged, res.Counts.Rejected, res.ErrorCount)
	if res.ErrorCount == 0 {
		return nil
	}
	if *report != "" {
		if err := os.WriteFile(*report, []byte(res.Report()), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "row-error report written to %s\n", *report)
		return nil
	}
	for i, re := range res.Errors {
		if i == 10 {
			fmt.Fprintf(e.stdout, "… (%d more; --report FILE writes them all)\n", res.ErrorCount-10)
			break
		}
		fmt.Fprintf(e.stdout, "row %d, %s: %s (%q)\n", re.Row, re.Column, re.Message, re.Value)
	}
	return nil
}

// progressBar draws import progress on a terminal, or a line per tenth
// elsewhere.
type progressBar struct {
	w        io.Writer
	tty      bool
	lastTick int
	phase    string
}

func newProgressBar(w io.Writer) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressBar{w: w, tty: tty, lastTick: -1}
}

func (p *progressBar) update(phase string, done, total int64, r *caseimport.Result) {
	pct := 0
	if total > 0 {
		pct = int(done * 100 / total)
	}
	label := map[string]string{store.ImportChecking: "checking", store.ImportImporting: "importing"}[phase]
	if p.tty {
		const width = 30
		filled := pct * width / 100
		fmt.Fprintf(p.w, "\r%-9s [%s%s] %3d%%  %d rows, %d new, %d updated, %d unchanged, %d rejected ",
			label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, r.Rows, r.Counts.Added, r.Counts.Updated, r.Counts.Unchanged, r.Counts.Rejected)
		return
	}
	if tick := pct / 10; tick != p.lastTick || phase != p.phase {
		p.lastTick, p.phase = tick, phase
		fmt.Fprintf(p.w, "%s %d%% (%d rows)\n", label, pct, r.Rows)
	}
}

func (p *progressBar) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

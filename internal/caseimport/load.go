// Package caseimport loads case files into the store: it checks a whole
// file before writing anything, then imports it in audited batches, and
// keeps the columns a file does not have.
package caseimport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
)

// BatchSize is how many cases go into one transaction on SQLite: large
// enough that a million rows take two hundred commits (each commit writes
// the index pages the batch touched to the WAL, and flushes the full-text
// index of parties' names), small enough that other writers (a login, a
// page) wait well under a second on SQLite's single writer. At 100,000
// rows the import took 17.0 CPU-seconds with 1,000, 15.0 with 2,000,
// 12.4 with 5,000 and 13.6 with 10,000 (BenchmarkLoad100k).
const BatchSize = 5000

// BulkBatchSize is how many cases go into one transaction on PostgreSQL,
// whose writers do not wait on each other's batches: fewer, larger
// commits, each a COPY, and at most a few seconds of work lost to a kill.
const BulkBatchSize = 5000

// MaxKeptErrors bounds the row errors kept in memory for the report; the
// count stays exact.
const MaxKeptErrors = 20000

// Result is what a load did.
type Result struct {
	Format     string
	Rows       int
	Counts     store.Counts
	ErrorCount int
	Errors     []importer.RowError // the first MaxKeptErrors
}

// Report returns the row-error report as CSV (UTF-8 with BOM).
func (r *Result) Report() string {
	var b bytes.Buffer
	_ = importer.WriteErrorReport(&b, r.Errors) // a bytes.Buffer does not fail
	if r.ErrorCount > len(r.Errors) {
		fmt.Fprintf(&b, "\"\",\"\",\"\",\"另有%d条错误未列出\"\r\n", r.ErrorCount-len(r.Errors))
	}
	return b.String()
}

func (r *Result) addError(e importer.RowError) {
	r.ErrorCount++
	if len(r.Errors) < MaxKeptErrors {
		r.Errors = append(r.Errors, e)
	}
}

// Progress is told how far a load has come: phase "checking" reads the
// whole file once without writing, phase "importing" writes it.
type Progress func(phase string, done, total int64, r *Result)

// Load imports a case file into db as viewer v. It reads the file twice:
// first to the end without writing anything (splitting rows into cells
// only, the cheap part), so that a file that is not a table, too large, a
// zip bomb or cut off half-way fails with a clear message and leaves the
// database as it was; then it stores the rows in batches of BatchSize,
// each batch with its own audit record. On the second reading the rows
// are turned into cases on every core (see pipeline) while the batches
// are written in file order. Bad rows are reported with their row, column
// and reason, in file order, and the good ones imported. Columns the file
// does not have keep their stored values.
func Load(ctx context.Context, db *store.DB, v domain.Viewer, r io.ReaderAt, size int64, opts importer.Options, progress Progress, importID int64) (_ *Result, err error) {
	if progress == nil {
		progress = func(string, int64, int64, *Result) {}
	}
	res := &Result{}
	s, err := importer.Open(r, size, opts)
	if err != nil {
		return nil, err
	}
	res.Format = s.Format()
	var rowsInFile int
	for i := 0; ; i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				s.Close()
				return nil, err
			}
		}
		_, err := s.NextRaw()
		if errors.Is(err, io.EOF) {
			rowsInFile = i
			break
		}
		if err != nil {
			s.Close()
			return nil, err
		}
		if i%10000 == 0 {
			done, total := s.Progress()
			progress(store.ImportChecking, done, total, res)
		}
	}
	s.Close()

	s, err = importer.Open(r, size, opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	restore := func(context.Context) error { return nil }
	overlapped := false
	if rowsInFile >= DeferIndexesFrom {
		deferred, err := db.DeferIndexes(ctx)
		if err != nil {
			return nil, err
		}
		if deferred {
			// Built after the last batch (below), or here when the load
			// fails. A load stopped by its context (the server shutting
			// down, a job's time running out) leaves them deferred: the
			// build can outlast a shutdown's grace, and the next start
			// builds them (store.Migrate), or the load's next attempt
			// takes them over (DeferIndexes) and builds them at its end.
			defer func() {
				if err == nil || ctx.Err() != nil {
					return // built below, or left as said
				}
				_ = db.RestoreIndexes(ctx) // the load's own error is the one to report
			}()
			restore = db.RestoreIndexes
			// Nothing that two batches' rows share is live now (see
			// writer): on PostgreSQL, each batch on its own connection,
			// a batch is written beside the one before it.
			overlapped = db.Engine == store.Postgres
		}
	}
	release, err := db.PrepareBulk(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	merge := mergeAbsent(s.Columns())
	per := BatchSize
	if db.Engine == store.Postgres {
		per = BulkBatchSize
	}
	if opts.Batch > 0 {
		per = opts.Batch
	}
	pctx, stop := context.WithCancel(ctx)
	ahead := 0
	if db.Engine == store.Postgres {
		// The server writes a batch while this process's cores turn the
		// next one into cases: the pipeline may hold a whole batch ready,
		// instead of stalling a few chunks in and leaving the server
		// idle while it makes the rest after the commit.
		ahead = (per + chunkRows - 1) / chunkRows
	}
	chunks := pipeline(pctx, db, s, min(per, chunkRows), ahead)
	defer stop()
	defer func() {
		stop()
		for range chunks { // let the reader end before the file closes
		}
	}()
	w := &writer{ctx: ctx, db: db, v: v, merge: merge, importID: importID, res: res, progress: progress, overlap: overlapped}
	defer func() { _ = w.wait() }() // an error's batch ends before the file closes and the indexes are built
	b := &batch{}
	for ch := range chunks {
		<-ch.built
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if ch.err != nil {
			return res, ch.err
		}
		for i, c := range ch.cases {
			b.read++
			b.errs = append(b.errs, ch.errs[i]...)
			b.done, b.total = ch.done, ch.total
			if c == nil {
				b.rejected++
				continue
			}
			b.cases, b.preps, b.rows = append(b.cases, c), append(b.preps, ch.preps[i]), append(b.rows, ch.rows[i].Row)
			if w.overlap {
				if b.numbers == nil {
					b.numbers = make(map[string]struct{}, per)
				}
				b.numbers[c.No.String()] = struct{}{}
			}
			if len(b.cases) == per {
				if err := w.write(b); err != nil {
					return res, err
				}
				b = &batch{}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if err := w.write(b); err != nil {
		return res, err
	}
	if err := w.wait(); err != nil {
		return res, err
	}
	if err := restore(ctx); err != nil { // and analyzes
		return res, err
	}
	// A large import changes the tables enough that the planner's
	// statistics are stale.
	if res.Counts.Added >= AnalyzeAfter && rowsInFile < DeferIndexesFrom {
		if err := db.Analyze(ctx); err != nil {
			return res, err
		}
	}
	return res, nil
}

// DeferIndexesFrom is how many rows a file needs for its import into a
// database without cases to build the reading indexes after the rows
// (store.DeferIndexes). At 100,000 rows on SQLite that took the import
// from 17.5 to 12.8 s of CPU (BenchmarkLoad100k against
// BenchmarkLoad100kIndexesKept). A variable for tests.
var DeferIndexesFrom = 10000

// chunkRows bounds the rows of a chunk, whatever the batch size: the
// pipeline holds at most a few chunks per worker.
const chunkRows = 500

// chunk is a run of rows on their way through the pipeline.
type chunk struct {
	rows        []importer.RawRow
	cases       []*domain.Case    // nil for a rejected row
	preps       []*store.CasePrep // each case fingerprinted and its phones sealed
	errs        [][]importer.RowError
	done, total int64 // the file's progress once the chunk was read
	err         error // a file-level failure met after the rows
	built       chan struct{}
}

// pipeline reads s on one goroutine in chunks of per rows and turns each
// chunk into cases on a pool of one worker per core (parsing and
// normalising every cell, fingerprinting each case and sealing its
// phones: db.PrepareCase), so that the batches' transactions only
// resolve and write. The chunks come
// out of the returned channel in file order, each to be used once its
// built channel closes; at most a few chunks per worker are in flight, so
// memory stays bounded whatever the file's size (ahead more chunks may
// wait, built, for the consumer). A file-level failure
// comes as the last chunk's err. Cancelling ctx ends it; the channel is
// closed when the reader has stopped using s.
func pipeline(ctx context.Context, db *store.DB, s *importer.Stream, per, ahead int) <-chan *chunk {
	workers := max(1, runtime.GOMAXPROCS(0))
	out := make(chan *chunk, 2*workers+ahead)
	work := make(chan *chunk, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range work {
				ch.cases = make([]*domain.Case, len(ch.rows))
				ch.preps = make([]*store.CasePrep, len(ch.rows))
				ch.errs = make([][]importer.RowError, len(ch.rows))
				for i, r := range ch.rows {
					ch.cases[i], ch.errs[i] = s.Build(r)
					if ch.cases[i] != nil {
						// A failure to seal leaves the case unprepared:
						// the batch seals it, and fails as it would have.
						ch.preps[i], _ = db.PrepareCase(ch.cases[i])
					}
				}
				close(ch.built)
			}
		}()
	}
	go func() {
		defer close(out)
		defer func() { close(work); wg.Wait() }()
		for {
			ch := &chunk{rows: make([]importer.RawRow, 0, per), built: make(chan struct{})}
			for len(ch.rows) < per {
				r, err := s.NextRaw()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						ch.err = err
					}
					break
				}
				ch.rows = append(ch.rows, r)
			}
			ch.done, ch.total = s.Progress()
			last := ch.err != nil || len(ch.rows) < per
			select {
			case work <- ch:
			case <-ctx.Done():
				return
			}
			select {
			case out <- ch:
			case <-ctx.Done():
				return
			}
			if last {
				return
			}
		}
	}()
	return out
}

// AnalyzeAfter is how many new cases make an import refresh the planner's
// statistics.
const AnalyzeAfter = 50_000

// columnOf names the file column a store rejection concerns.
func columnOf(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		switch de.Field {
		case "filed_on":
			return colFiledOn
		case "closed_on":
			return colClosedOn
		case "supervised_by":
			return colSupervisedBy
		case "amount":
			return colAmount
		}
	}
	return colCaseNo
}

// The importer's standard column names.
const (
	colCaseNo          = "案号"
	colFiledOn         = "立案日期"
	colOfficer         = "承办人"
	colDepartment      = "承办部门"
	colAmount          = "执行标的金额"
	colHasProperty     = "有无财产可供执行"
	colNonLitigation   = "是否非诉"
	colClosedOn        = "结案日期"
	colClosingMode     = "结案方式"
	colApplicant       = "申请执行人"
	colApplicantPhone  = "申请执行人电话"
	colRespondent      = "被执行人"
	colRespondentPhone = "被执行人电话"
	colPetition        = "是否信访"
	colSupervisedBy    = "督办法院"
	colSupervisedSince = "督办日期"
	colPublicOpinion   = "可能引发舆情"
	colSocialImpact    = "较大社会影响"
)

// mergeAbsent returns the Merge that keeps, for a case already stored, the
// values of every column the file does not have.
func mergeAbsent(present []string) store.Merge {
	has := func(col string) bool { return slices.Contains(present, col) }
	columns := map[domain.CaseField]string{
		domain.FieldFiledOn: colFiledOn, domain.FieldOfficer: colOfficer, domain.FieldDepartment: colDepartment,
		domain.FieldAmount: colAmount, domain.FieldHasProperty: colHasProperty, domain.FieldNonLitigation: colNonLitigation,
		domain.FieldClosedOn: colClosedOn, domain.FieldClosingMode: colClosingMode, domain.FieldPetition: colPetition,
		domain.FieldSupervisedBy: colSupervisedBy, domain.FieldSupervisedSince: colSupervisedSince,
		domain.FieldPublicOpinion: colPublicOpinion, domain.FieldSocialImpact: colSocialImpact,
	}
	return func(old, c *domain.Case) {
		domain.KeepAbsent(old, c, func(f domain.CaseField) bool { return has(columns[f]) })
		// Parties: keep each role the file does not name.
		keepRole := func(role domain.PartyRole, nameCol string) bool { return !has(nameCol) && role != domain.Outsider }
		var parties []domain.Party
		for _, p := range c.Parties {
			if (p.Role == domain.Applicant && has(colApplicant)) || (p.Role == domain.Respondent && has(colRespondent)) {
				// A file with names but no phone column keeps the phones.
				if (p.Role == domain.Applicant && !has(colApplicantPhone)) || (p.Role == domain.Respondent && !has(colRespondentPhone)) {
					for _, o := range old.Parties {
						if o.Role == p.Role && o.Name == p.Name {
							p.Phone = o.Phone
							break
						}
					}
				}
				parties = append(parties, p)
			}
		}
		for _, p := range old.Parties {
			switch {
			case p.Role == domain.Applicant && keepRole(p.Role, colApplicant),
				p.Role == domain.Respondent && keepRole(p.Role, colRespondent),
				p.Role == domain.Outsider:
				parties = append(parties, p)
			}
		}
		slices.SortStableFunc(parties, func(a, b domain.Party) int { return roleOrder(a.Role) - roleOrder(b.Role) })
		c.Parties = parties
		// Files carry no process nodes: those come from the API.
		c.Nodes = old.Nodes
	}
}

func roleOrder(r domain.PartyRole) int {
	switch r {
	case domain.Applicant:
		return 0
	case domain.Respondent:
		return 1
	}
	return 2
}

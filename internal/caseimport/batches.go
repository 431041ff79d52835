package caseimport

import (
	"context"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
)

// batch is the cases of one transaction, with what the rows read up to
// its last one (itself included) add to the load's result: that is
// counted once the batch is written, in the file's order.
type batch struct {
	cases []*domain.Case
	preps []*store.CasePrep
	rows  []int // the file row of each case
	// numbers are the cases' numbers, when batches overlap (writer.overlap).
	numbers map[string]struct{}
	// read, rejected and errs: the rows read, the rows refused before the
	// store and their errors, since the batch before.
	read, rejected int
	errs           []importer.RowError
	done, total    int64 // the file's progress at its last row
}

func (b *batch) empty() bool { return len(b.cases) == 0 && b.read == 0 }

// writer writes a load's batches in the file's order, each in a
// transaction of its own. With overlap, a batch is written on a
// connection of its own while the one before it is still being written,
// the next batch's look-ups and COPYs beside the other's (store.OrderAfter
// keeps their audit records and commits in order): at 300,000 rows on
// PostgreSQL a batch's server work was a little over half of its
// transaction's wall time, the rest this process resolving its cases and
// the round trips between its statements, which the other batch's
// statements now fill.
type writer struct {
	ctx      context.Context
	db       *store.DB
	v        domain.Viewer
	merge    store.Merge
	importID int64
	res      *Result
	progress Progress
	overlap  bool
	last     *written // the batch being written, nil if none
}

// written is a batch on its way: done closes once it has ended, err
// then tells how.
type written struct {
	before  *written // the batch it waits for, until that one ends
	numbers map[string]struct{}
	done    chan struct{}
	err     error
}

// wait waits for the batch being written and returns its error.
func (w *writer) wait() error {
	if w.last == nil {
		return nil
	}
	<-w.last.done
	err := w.last.err
	w.last = nil
	return err
}

// write writes b: at once, or beside the batch before it when the
// writer overlaps and the two share no case number (a number in both is
// new to neither batch's look-up while the first is uncommitted, and the
// second would fail on the unique number; the later row must update the
// case as a later file would). It returns the error of a batch that has
// ended; a batch still being written reports its own through wait.
func (w *writer) write(b *batch) error {
	if b.empty() {
		return nil
	}
	if w.last != nil && (!w.overlap || w.last.shares(b.numbers) || len(b.cases) == 0) {
		if err := w.wait(); err != nil {
			return err
		}
	}
	if len(b.cases) == 0 {
		// The rows since the last batch were all refused: counted, in
		// order, with nothing to write.
		w.count(b, nil)
		w.progress(store.ImportImporting, b.done, b.total, w.res)
		return nil
	}
	prev := w.last
	if prev != nil && prev.before != nil {
		// Two batches at most: the one before waits for its own, which
		// may not have committed yet.
		<-prev.before.done
		prev.before = nil
	}
	cur := &written{before: prev, numbers: b.numbers, done: make(chan struct{})}
	w.last = cur
	run := func() {
		defer close(cur.done)
		cur.err = w.db.UpdateBulk(w.ctx, w.v, func(tx *store.Tx) error {
			if prev != nil {
				tx.OrderAfter(func() error { <-prev.done; return prev.err })
			}
			out, err := tx.UpsertPrepared(w.ctx, b.cases, b.preps, w.merge)
			if err != nil {
				return err
			}
			// The batch before has committed: its counts are in.
			if err := tx.Ordered(); err != nil {
				return err
			}
			w.count(b, out)
			if w.importID != 0 {
				r := w.res
				return tx.ImportProgress(w.ctx, w.importID, store.ImportImporting, r.Format, b.done, r.Rows, r.Counts, r.ErrorCount)
			}
			return nil
		})
		if cur.err == nil {
			w.progress(store.ImportImporting, b.done, b.total, w.res)
		}
	}
	if !w.overlap {
		run()
		return w.wait()
	}
	go run()
	return nil
}

// shares tells whether a batch being written has any of numbers.
func (x *written) shares(numbers map[string]struct{}) bool {
	for n := range numbers {
		if _, ok := x.numbers[n]; ok {
			return true
		}
	}
	return false
}

// count adds to the result what b's rows did: those refused before the
// store first, then the store's outcome of each case (out, nil for none).
func (w *writer) count(b *batch, out []store.CaseResult) {
	r := w.res
	r.Rows += b.read
	r.Counts.Rejected += b.rejected
	for _, e := range b.errs {
		r.addError(e)
	}
	r.Counts.Add(out)
	for i, o := range out {
		if o.Err != nil {
			r.addError(importer.RowError{Row: b.rows[i], Column: columnOf(o.Err), Value: b.cases[i].Number, Message: domain.UserMessage(o.Err), Fatal: true})
		}
	}
}

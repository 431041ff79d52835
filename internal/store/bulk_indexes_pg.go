package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/zhilian/zhilian/internal/domain"
)

// restoreInLanes builds the deferred indexes on PostgreSQL on two
// connections at once (at a million cases, on a machine busy with other
// work, read off pg_stat_activity each second: the party names' chain
// 9 s — filling 369,002 names 2 s, their trigram index 6 s, where the
// one over every party had taken 17 s —, the parties' B-tree over
// names 10 s, the cases' thirteen about 30 s together), then the foreign keys, whose
// checks lock both tables against an index build. Each in a transaction
// of its own with forgetting it, so that a process killed meanwhile
// leaves the rest to its next start (Migrate). The party tables are
// vacuumed and analyzed in their lanes once their indexes are built,
// beside the cases' builds, rather than after everything on one
// connection (VACUUM works on one core). It tells whether there was
// anything to build, and which tables it vacuumed.
func (db *DB) restoreInLanes(ctx context.Context) (bool, []string, error) {
	sys := domain.SystemViewer("bulk-load")
	var defs []indexDef
	err := db.Update(ctx, sys, func(tx *Tx) error {
		var err error
		defs, err = collect(ctx, tx, func(row scanner) (indexDef, error) {
			var d indexDef
			err := row.Scan(&d.name, &d.kind, &d.sql)
			return d, err
		}, "SELECT name, kind, definition FROM deferred_indexes ORDER BY name")
		return err
	})
	if err != nil {
		return false, nil, fmt.Errorf("reading deferred indexes: %w", err)
	}
	if len(defs) == 0 {
		return false, nil, nil
	}
	// The indexes in a queue for two connections to take from, each
	// entry a chain built in order on one of them: first the parties'
	// B-tree over 2.6 million names at a million cases, then the party
	// names' (the trigger, which fills party_names, then the table's
	// indexes over the filled rows), then the cases'; the foreign keys
	// after them all.
	var names, parties, indexes, keys []indexDef
	for _, d := range defs {
		switch {
		case d.kind == "constraint":
			keys = append(keys, d)
		case d.kind == "trigger" || strings.HasPrefix(d.name, "party_names_"):
			names = append(names, d)
		case strings.HasPrefix(d.name, "parties_"):
			parties = append(parties, d)
		default:
			indexes = append(indexes, d)
		}
	}
	// The trigger first, the trigram index (the longest) next.
	slices.SortStableFunc(names, func(a, b indexDef) int {
		rank := func(d indexDef) int {
			switch {
			case d.kind == "trigger":
				return 0
			case strings.HasSuffix(d.name, "_trgm"):
				return 1
			}
			return 2
		}
		return rank(a) - rank(b)
	})
	// Each party table vacuumed at the end of its part of the chain:
	// "vacuum" is no deferred index but a step of the lane, outside any
	// transaction. The names follow the parties on one lane: the trigger's
	// transaction fills party_names from parties_name just built, the
	// parties vacuumed, in the index's order (fillPartyNames), instead of
	// hashing every party's name from the table; and it, which locks
	// parties, no longer waits for parties_name's build or VACUUM on the
	// other lane, nor they for it. At 300,000 cases (the build alone,
	// `zhilian migrate` on copies of one loaded database, ten pairs,
	// load 3–10): the fill 0.91–1.30 → 0.43–0.61 CPU-seconds of the
	// server, the build's server CPU 9.1–12.0 → 8.0–10.6 s.
	// The cases are vacuumed first, on the lane beside the parties,
	// before any of their indexes is built (a build and VACUUM lock each
	// other out of a table), and two of their indexes follow on that
	// lane; the cases, the largest table, are no longer vacuumed after
	// everything on one connection (analyzeExcept).
	vacuumed := []string{"party_names", "parties", "cases"}
	parties = append(parties, indexDef{name: "parties", kind: "vacuum"})
	names = append(names, indexDef{name: "party_names", kind: "vacuum"})
	head := min(2, len(indexes))
	cases := append([]indexDef{{name: "cases", kind: "vacuum"}}, indexes[:head]...)
	build := func(d indexDef) error {
		return db.Update(ctx, sys, func(tx *Tx) error {
			// The trigram index sorts its entries in memory up to this
			// much before it writes them out in runs (64 MB by default);
			// the B-tree builds share it among their parallel workers.
			if _, err := tx.exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
				return fmt.Errorf("building %s %s: %w", d.kind, d.name, err)
			}
			if _, err := tx.exec(ctx, d.sql); err != nil {
				return fmt.Errorf("building %s %s: %w", d.kind, d.name, err)
			}
			if d.kind == "trigger" && d.name == "parties_names" {
				if err := tx.fillPartyNames(ctx); err != nil {
					return err
				}
			}
			if _, err := tx.exec(ctx, "DELETE FROM deferred_indexes WHERE name = ?", d.name); err != nil {
				return fmt.Errorf("forgetting deferred index %s: %w", d.name, err)
			}
			return nil
		})
	}
	lane := func(ds []indexDef) error {
		for _, d := range ds {
			if d.kind == "vacuum" {
				// See Analyze.
				if _, err := db.write.ExecContext(ctx, "VACUUM (ANALYZE) "+d.name); err != nil {
					return fmt.Errorf("analyzing %s: %w", d.name, err)
				}
				continue
			}
			if err := build(d); err != nil {
				return err
			}
		}
		return nil
	}
	queue := make(chan []indexDef, len(indexes)+2)
	queue <- append(parties, names...)
	queue <- cases
	for _, d := range indexes[head:] {
		queue <- []indexDef{d}
	}
	close(queue)
	errs := make([]error, 2)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chain := range queue {
				if failed.Load() {
					continue // the rest wait for the next attempt
				}
				if errs[i] = lane(chain); errs[i] != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return false, nil, err
	}
	if err := lane(keys); err != nil {
		return false, nil, err
	}
	return true, vacuumed, nil
}

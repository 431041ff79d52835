package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/zhilian/zhilian/internal/domain"
)

// restoreInLanes builds the deferred indexes on PostgreSQL on two
// connections at once: the parties' (the trigram index alone took about
// as long as the cases' thirteen) beside the cases', then the foreign
// keys, whose checks lock both tables against an index build. Each in a
// transaction of its own with forgetting it, so that a process killed
// meanwhile leaves the rest to its next start (Migrate). It tells whether
// there was anything to build.
func (db *DB) restoreInLanes(ctx context.Context) (bool, error) {
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
		return false, fmt.Errorf("reading deferred indexes: %w", err)
	}
	var parties, cases, keys []indexDef
	for _, d := range defs {
		switch {
		case d.kind == "constraint":
			keys = append(keys, d)
		case strings.HasPrefix(d.name, "parties_"):
			parties = append(parties, d)
		default:
			cases = append(cases, d)
		}
	}
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
			if _, err := tx.exec(ctx, "DELETE FROM deferred_indexes WHERE name = ?", d.name); err != nil {
				return fmt.Errorf("forgetting deferred index %s: %w", d.name, err)
			}
			return nil
		})
	}
	lane := func(ds []indexDef) error {
		for _, d := range ds {
			if err := build(d); err != nil {
				return err
			}
		}
		return nil
	}
	var wg sync.WaitGroup
	var perr error
	wg.Add(1)
	go func() { defer wg.Done(); perr = lane(parties) }()
	cerr := lane(cases)
	wg.Wait()
	if err := errors.Join(perr, cerr); err != nil {
		return false, err
	}
	if err := lane(keys); err != nil {
		return false, err
	}
	return len(defs) > 0, nil
}

package store

import (
	"context"
	"fmt"
)

// Analyze refreshes the planner's statistics, after a bulk import has
// changed the shape of the tables: without it the first queries after a
// million-row import may plan as if the tables were empty.
func (db *DB) Analyze(ctx context.Context) error {
	// On PostgreSQL VACUUM also marks the pages all-visible, without which
	// the statistics' index-only scans visit the table for every row.
	q := "VACUUM (ANALYZE)"
	if db.Engine == SQLite {
		q = "PRAGMA optimize=0x10002" // analyze every table that needs it
	}
	if _, err := db.write.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("analyzing: %w", err)
	}
	if db.Engine == SQLite {
		if err := db.dropSamples(ctx); err != nil {
			return err
		}
	}
	return db.refreshTrigramStats(ctx)
}

// analyzeExcept is Analyze on PostgreSQL, without the tables in done
// (vacuumed and analyzed already), over the schema's tables.
func (db *DB) analyzeExcept(ctx context.Context, done []string) error {
	var tables string
	err := db.queryRow(ctx, "SELECT COALESCE(string_agg(quote_ident(tablename), ', '), '') FROM pg_tables WHERE schemaname = current_schema() AND NOT tablename = ANY(?)", done).Scan(&tables)
	if err != nil {
		return fmt.Errorf("analyzing: %w", translate(err))
	}
	if tables != "" {
		if _, err := db.write.ExecContext(ctx, "VACUUM (ANALYZE) "+tables); err != nil {
			return fmt.Errorf("analyzing: %w", err)
		}
	}
	return db.refreshTrigramStats(ctx)
}

// AnalyzeTables refreshes the planner's statistics of tables after a job
// wrote many of their rows (the focused scan, a draw), so that the next
// pages plan from what is there, not from what autovacuum last saw or
// from whatever an operator's sqlite3 last recorded. SQLite samples (an
// analysis limit, as PRAGMA optimize does) so that it stays quick on a
// million rows; with a limit it writes no STAT4 samples either (see
// dropSamples).
func (db *DB) AnalyzeTables(ctx context.Context, tables ...string) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("analyzing: %w", err)
	}
	defer conn.Close()
	if db.Engine == SQLite {
		if _, err := conn.ExecContext(ctx, "PRAGMA analysis_limit=1000"); err != nil {
			return fmt.Errorf("analyzing: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA analysis_limit=0") //nolint:errcheck // restoring the default; the connection is still good without it
	}
	for _, t := range tables {
		if _, err := conn.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return fmt.Errorf("analyzing %s: %w", t, err)
		}
	}
	return nil
}

// dropSamples deletes the STAT4 samples ANALYZE has just written on
// SQLite, keeping sqlite_stat1's averages. modernc's SQLite is built with
// SQLITE_ENABLE_STAT4, and with samples the planner reads the value bound
// to a parameter compared with a sampled column, then marks the statement
// expired whenever that parameter is bound again: statements the reader
// pool keeps prepared (stmtCache) were planned again at every run, 80–210
// µs of CPU per request of the home pages, the name search and the
// statistics at 100,000 cases (pprof: _sqlite3Reprepare, 5–19 % of their
// CPU). Without samples the planner estimates from the averages, as for
// any parameter: of the statements the bench traces on its pages two
// planned differently, neither slower (issue 19). Dropping the table, not
// deleting its rows, changes the schema, so that every reader reloads its
// statistics before its next statement (ANALYZE alone leaves the readers
// with what they had loaded); ANALYZE sqlite_schema reloads them on this
// connection, creating the table again, empty.
func (db *DB) dropSamples(ctx context.Context) error {
	var samples bool
	err := db.write.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4')").Scan(&samples)
	if err == nil && samples {
		err = db.write.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sqlite_stat4)").Scan(&samples)
	}
	if err != nil {
		return fmt.Errorf("reading the planner's samples: %w", err)
	}
	if !samples {
		return nil
	}
	for _, q := range []string{"DROP TABLE sqlite_stat4", "ANALYZE sqlite_schema"} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("dropping the planner's samples: %w", err)
		}
	}
	return nil
}

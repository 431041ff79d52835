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
// million rows.
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

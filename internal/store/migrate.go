package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migrationLockKey is the PostgreSQL advisory lock that serialises
// migrations when several processes start at once.
const migrationLockKey = 7236001

// Migrate applies the schema migrations of the database's engine, then
// runs each of extra (the queue's own migrations, loading the court
// directory …) under the same lock, so that two processes starting together
// on one PostgreSQL never migrate at the same time.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger, extra ...func(context.Context) error) error {
	if db.Engine == Postgres {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migrating: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("taking migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey) //nolint:errcheck
	}
	if err := db.restoreLeftIndexes(ctx, log); err != nil {
		return err
	}
	p, err := db.migrations()
	if err != nil {
		return err
	}
	results, err := db.migrateUp(ctx, p)
	if err != nil {
		return fmt.Errorf("applying migrations: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "engine", db.Engine, "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	for _, fn := range extra {
		if err := fn(ctx); err != nil {
			return err
		}
	}
	if db.Engine == SQLite {
		// A database analyzed by an older build keeps its samples.
		if err := db.dropSamples(ctx); err != nil {
			return err
		}
	}
	return db.loadTrigramStats(ctx)
}

// migrateUp applies the migrations not yet applied. On SQLite a
// migration that builds an index or a trigram index over a large table
// sorts in temporary files, not in memory, as RestoreIndexes does: the
// writer keeps its temporary data in memory otherwise, and migration
// 00066 over 2,619,594 parties (a B-tree and an FTS5 rebuild) peaked at
// 447 MB RSS.
func (db *DB) migrateUp(ctx context.Context, p *goose.Provider) ([]*goose.MigrationResult, error) {
	if db.Engine != SQLite {
		return p.Up(ctx)
	}
	if pending, err := p.HasPending(ctx); err != nil || !pending {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, "PRAGMA temp_store = FILE"); err != nil {
		return nil, err
	}
	defer db.write.ExecContext(context.WithoutCancel(ctx), "PRAGMA temp_store = MEMORY") //nolint:errcheck // only slower if it stays
	return p.Up(ctx)
}

// migrations are the database's engine's migrations, ready to apply.
func (db *DB) migrations() (*goose.Provider, error) {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if db.Engine == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	sub, err := fs.Sub(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("migrating: %w", err)
	}
	p, err := goose.NewProvider(dialect, db.write, sub)
	if err != nil {
		return nil, fmt.Errorf("preparing migrations: %w", err)
	}
	return p, nil
}

// SchemaVersion returns the highest applied migration version.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.queryRow(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&v)
	return v, translate(err)
}

// restoreLeftIndexes builds the reading indexes a bulk load dropped and
// did not live to build (DeferIndexes), before the migrations, which may
// change them, and before anything reads.
func (db *DB) restoreLeftIndexes(ctx context.Context, log *slog.Logger) error {
	var n int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM deferred_indexes").Scan(&n); err != nil || n == 0 {
		return nil // not migrated that far yet, or nothing left
	}
	log.Warn("a bulk import ended before building its indexes; building them now", "indexes", n)
	if err := db.RestoreIndexes(ctx); err != nil {
		return err
	}
	return nil
}

package caseimport_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zhilian/zhilian/internal/store"
)

// rawTables are the tables a case import fills, the raw baseline's rows.
var rawTables = []string{"cases", "parties", "case_officers"}

// rawSQLiteTables are rawTables on SQLite, with the distinct party names
// that the parties' triggers look up and the trigram index is over
// (migration 00066), filled before the parties.
var rawSQLiteTables = []string{"cases", "party_names", "parties", "case_officers"}

// rawLoad measures the engine's own bulk path on the rows the import
// stored: on PostgreSQL COPY of the same rows into tables with the same
// indexes (CREATE TABLE … LIKE … INCLUDING ALL); on SQLite one prepared
// transaction of inserts into a fresh file with the same tables and
// indexes. Rows stream from the imported database, so memory stays flat.
func rawLoad(b *testing.B, db *store.DB) time.Duration {
	ctx := b.Context()
	if db.Engine == store.Postgres {
		return rawPostgres(ctx, b, db.DSN)
	}
	return rawSQLite(ctx, b, db.Path)
}

func rawPostgres(ctx context.Context, b *testing.B, dsn string) time.Duration {
	src, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close(ctx)
	dst, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close(ctx)
	var total time.Duration
	for _, t := range rawTables {
		if _, err := dst.Exec(ctx, fmt.Sprintf("CREATE TABLE raw_%s (LIKE %s INCLUDING ALL)", t, t)); err != nil {
			b.Fatal(err)
		}
		pr, pw := io.Pipe()
		go func() {
			_, err := src.PgConn().CopyTo(ctx, pw, "COPY "+t+" TO STDOUT")
			pw.CloseWithError(err)
		}()
		started := time.Now()
		if _, err := dst.PgConn().CopyFrom(ctx, pr, "COPY raw_"+t+" FROM STDIN"); err != nil {
			b.Fatal(err)
		}
		total += time.Since(started)
	}
	return total
}

func rawSQLite(ctx context.Context, b *testing.B, path string) time.Duration {
	src, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(ON)")
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dstPath := filepath.Join(b.TempDir(), "raw.db")
	dst, err := sql.Open("sqlite", "file:"+dstPath+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-131072)&_pragma=temp_store(MEMORY)")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { dst.Close(); os.Remove(dstPath) }()
	dst.SetMaxOpenConns(1)
	var total time.Duration
	for _, t := range rawSQLiteTables {
		// The table, its full-text index (party_names_fts, kept by triggers) and
		// its indexes and triggers as the schema has them, without foreign
		// keys' targets (the raw file has no other tables).
		rows, err := src.QueryContext(ctx, `SELECT sql FROM sqlite_master WHERE (tbl_name = ?1 OR name = ?1 || '_fts') AND sql IS NOT NULL
			ORDER BY type IN ('index', 'trigger'), name = ?1 || '_fts'`, t)
		if err != nil {
			b.Fatal(err)
		}
		var ddl []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				b.Fatal(err)
			}
			ddl = append(ddl, s)
		}
		rows.Close()
		for _, s := range ddl {
			if _, err := dst.ExecContext(ctx, s); err != nil {
				b.Fatalf("%s: %v", s, err)
			}
		}
		var cols []string
		crow, err := src.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", t)
		if err != nil {
			b.Fatal(err)
		}
		for crow.Next() {
			var c string
			if err := crow.Scan(&c); err != nil {
				b.Fatal(err)
			}
			cols = append(cols, c)
		}
		crow.Close()
		started := time.Now()
		tx, err := dst.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		ins, err := tx.PrepareContext(ctx, "INSERT INTO "+t+" ("+strings.Join(cols, ",")+") VALUES ("+strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",")+")")
		if err != nil {
			b.Fatal(err)
		}
		in, err := src.QueryContext(ctx, "SELECT "+strings.Join(cols, ",")+" FROM "+t)
		if err != nil {
			b.Fatal(err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for in.Next() {
			if err := in.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			if _, err := ins.ExecContext(ctx, vals...); err != nil {
				b.Fatal(err)
			}
		}
		if err := in.Err(); err != nil {
			b.Fatal(err)
		}
		in.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		total += time.Since(started)
	}
	return total
}

// peakRSS returns the process's peak resident set (VmHWM) in MiB, and
// resetPeakRSS starts it afresh (Linux).
func peakRSS() float64 {
	s, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(s), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}

func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

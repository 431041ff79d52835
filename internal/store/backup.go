package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// Backup writes a consistent copy of a live SQLite database to path with
// VACUUM INTO, which reads one snapshot while writers go on. It refuses to
// overwrite a file.
func (db *DB) Backup(ctx context.Context, path string) (int64, error) {
	if db.Engine != SQLite {
		return 0, errors.New("backup: use pg_dump for PostgreSQL")
	}
	// The copy holds everything the database does: readable by the owner
	// only. VACUUM INTO writes into an empty file made here, atomically
	// refusing one that exists.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return 0, fmt.Errorf("backup: %s already exists", path)
	}
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if _, err := db.write.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return 0, fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	return st.Size(), nil
}

// RedactURL hides the password of a database URL, for printing.
func RedactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Summary counts what a database holds, for the operator after a restore.
type Summary struct {
	Courts, Users, Cases, Visits, Trips int
	LastAudit                           time.Time
}

// Summary counts the database's main records.
func (db *DB) Summary(ctx context.Context) (Summary, error) {
	var s Summary
	for _, c := range []struct {
		q string
		n *int
	}{
		{"SELECT COUNT(*) FROM courts", &s.Courts}, {"SELECT COUNT(*) FROM users", &s.Users}, {"SELECT COUNT(*) FROM cases", &s.Cases},
		{"SELECT COUNT(*) FROM visits", &s.Visits}, {"SELECT COUNT(*) FROM trips", &s.Trips},
	} {
		if err := db.queryRow(ctx, c.q).Scan(c.n); err != nil {
			return s, fmt.Errorf("summarising: %w", translate(err))
		}
	}
	var last sql.NullTime
	err := db.queryRow(ctx, "SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("summarising: %w", translate(err))
	}
	s.LastAudit = timeOf(last).In(domain.Beijing)
	return s, nil
}

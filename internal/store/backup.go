package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
)

// Backup writes a consistent copy of a live SQLite database to path with
// VACUUM INTO, which reads one snapshot while writers go on. It refuses to
// overwrite a file.
func (db *DB) Backup(ctx context.Context, path string) (int64, error) {
	if db.Engine != SQLite {
		return 0, errors.New("backup: use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return 0, fmt.Errorf("backup: %s already exists", path)
	}
	if _, err := db.write.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
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

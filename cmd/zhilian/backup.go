package main

import (
	"context"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/store"
)

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup")
	db := dbFlag(fs)
	out := fs.String("out", "", "file to write (default zhilian-backup-YYYYMMDD-HHMMSS.db, or .dump for PostgreSQL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stamp := time.Now().Format("20060102-150405")
	if store.IsPostgres(*db) {
		if *out == "" {
			*out = "zhilian-backup-" + stamp + ".dump"
		}
		// pg_dump takes a consistent snapshot of a live database on its own;
		// the operator runs it where the PostgreSQL client tools are.
		fmt.Fprintf(e.stdout, "pg_dump --format=custom --no-owner --file=%s '%s'\n", shellQuote(*out), store.RedactURL(*db))
		fmt.Fprintln(e.stderr, "run the command above to back up PostgreSQL (put the password in ~/.pgpass or PGPASSWORD); restore with pg_restore --clean --dbname=URL FILE")
		return nil
	}
	if *out == "" {
		*out = "zhilian-backup-" + stamp + ".db"
	}
	d, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := d.Backup(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s (%d bytes)\n", *out, n)
	return nil
}

func shellQuote(s string) string {
	for _, r := range s {
		if !(r == '-' || r == '_' || r == '.' || r == '/' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return "'" + s + "'"
		}
	}
	return s
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/store"
)

const restoreUsage = "usage: zhilian restore --from BACKUP [--key-file BACKUP.key] --db DB   (SQLite; for PostgreSQL it prints the pg_restore command)"

// cmdRestore puts a backup back: the copy and its key side by side, the
// key checked against the copy and the audit trail verified, before it
// says what it restored. It never overwrites a database.
func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore")
	db := dbFlag(fs)
	from := fs.String("from", "", "the backup: a file written by 'zhilian backup'")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return &exitError{2, errors.New(restoreUsage)}
	}
	if store.IsPostgres(db.dsn) {
		fmt.Fprintf(e.stdout, "pg_restore --clean --if-exists --no-owner --dbname='%s' %s\n", store.RedactURL(db.dsn), shellQuote(*from))
		fmt.Fprintln(e.stderr, "run the command above where the PostgreSQL client tools are; then start zhilian with the key that belongs to the dump (--key-file or ZHILIAN_KEY): it refuses another")
		return nil
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	target := db.dsn
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists: restore into a new path (and move it into place with the server stopped)", target)
	}
	keyFrom := db.keyFile
	if keyFrom == "" {
		keyFrom = *from + ".key"
	}
	if _, err := os.Stat(keyFrom); err != nil {
		return fmt.Errorf("the backup's key %s: %w (a backup made with --without-key needs --key-file)", keyFrom, err)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return err
	}
	if err := copyFile(*from, target); err != nil {
		return err
	}
	if err := copyFile(keyFrom, target+".key"); err != nil {
		os.Remove(target)
		return err
	}
	undo := func(err error) error {
		for _, f := range []string{target, target + ".key", target + "-wal", target + "-shm"} {
			os.Remove(f)
		}
		return err
	}
	// Open as the server will: the key beside the database, checked.
	d, err := app.OpenStore(ctx, app.Config{DB: target}, e.log)
	if err != nil {
		return undo(err)
	}
	defer d.Close()
	res, err := d.VerifyAudit(ctx)
	if err != nil {
		return undo(err)
	}
	if !res.OK {
		return undo(&exitError{3, fmt.Errorf("the backup's audit trail is BROKEN at record %d: %s; nothing restored", res.BadSeq, res.Reason)})
	}
	sum, err := d.Summary(ctx)
	if err != nil {
		return undo(err)
	}
	fmt.Fprintf(e.stdout, "restored %s to %s, its key to %s (mode 0600)\n", *from, target, target+".key")
	fmt.Fprintf(e.stdout, "the key matches the database; audit trail intact: %d records, the last of %s\n", res.Checked, sum.LastAudit.Format("2006-01-02 15:04:05 MST"))
	fmt.Fprintf(e.stdout, "%d courts, %d users, %d cases, %d return visits, %d trips\n", sum.Courts, sum.Users, sum.Cases, sum.Visits, sum.Trips)
	return nil
}

// copyFile copies src to a new file dst, readable by the owner only.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

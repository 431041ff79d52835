package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/store"
)

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup")
	db := dbFlag(fs)
	out := fs.String("out", "", "file to write (default zhilian-backup-YYYYMMDD-HHMMSS.db, or .dump for PostgreSQL)")
	withoutKey := fs.Bool("without-key", false, "do not write the master key beside the copy (keep it apart yourself)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stamp := time.Now().Format("20060102-150405")
	if store.IsPostgres(db.dsn) {
		if *out == "" {
			*out = "zhilian-backup-" + stamp + ".dump"
		}
		// pg_dump takes a consistent snapshot of a live database on its own;
		// the operator runs it where the PostgreSQL client tools are.
		fmt.Fprintf(e.stdout, "pg_dump --format=custom --no-owner --file=%s '%s'\n", shellQuote(*out), store.RedactURL(db.dsn))
		fmt.Fprintln(e.stderr, "run the command above to back up PostgreSQL (put the password in ~/.pgpass or PGPASSWORD); restore with pg_restore --clean --dbname=URL FILE")
		return nil
	}
	if *out == "" {
		*out = "zhilian-backup-" + stamp + ".db"
	}
	cfg := db.config(nil)
	d, err := openStore(ctx, e, db)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := d.Backup(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s (%d bytes)\n", *out, n)
	if *withoutKey {
		fmt.Fprintln(e.stdout, "master key NOT written (--without-key): without it the copy's phone numbers cannot be read nor its audit trail verified")
		return nil
	}
	// The copy is useless without its key: numbers stay sealed and the
	// audit chain cannot be verified. The key goes beside it, as the
	// server looks for it (FILE.key), readable by the owner only.
	master, err := app.MasterKey(*cfg, e.log)
	if err != nil {
		return err
	}
	keyFile := *out + ".key"
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(master)+"\n"), 0o600); err != nil {
		return fmt.Errorf("writing the key beside the backup: %w", err)
	}
	fmt.Fprintf(e.stdout, "master key written to %s (mode 0600); keep the two apart when the backup leaves this machine\n", keyFile)
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

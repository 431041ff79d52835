package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/zhilian/zhilian/internal/audit"
)

// KeyState is what a database says of the master key it was sealed with.
type KeyState struct {
	// Check is the stored check value; empty if none was stored yet.
	Check string
	// Sealed says the database holds something sealed or keyed: phone
	// numbers, second-factor secrets, keyed audit records. A database
	// with none may be given a new key.
	Sealed bool
}

// hasTable reports whether the schema has a table (a new database has
// none before its migrations).
func (db *DB) hasTable(ctx context.Context, name string) (bool, error) {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if db.Engine == Postgres {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	var n int
	if err := db.queryRow(ctx, q, name).Scan(&n); err != nil {
		return false, fmt.Errorf("reading the schema: %w", translate(err))
	}
	return n > 0, nil
}

// KeyState reads the key check value and whether anything is sealed, on a
// database migrated or not.
func (db *DB) KeyState(ctx context.Context) (KeyState, error) {
	var s KeyState
	probes := []struct{ table, q string }{
		{"key_check", "SELECT value FROM key_check WHERE id = 1"},
		{"parties", "SELECT 'x' FROM parties WHERE phone_sealed <> '' LIMIT 1"},
		{"users", "SELECT 'x' FROM users WHERE phone_sealed <> '' LIMIT 1"},
		{"audit_log", "SELECT 'x' FROM audit_log WHERE alg LIKE 'hmac-%' LIMIT 1"},
	}
	for i, p := range probes {
		ok, err := db.hasTable(ctx, p.table)
		if err != nil || !ok {
			if err != nil {
				return s, err
			}
			continue
		}
		var v string
		err = db.queryRow(ctx, p.q).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return s, fmt.Errorf("reading the key state: %w", translate(err))
		}
		if i == 0 {
			s.Check = v
		} else {
			s.Sealed = true
		}
	}
	return s, nil
}

// ProbeKey checks keys against what the database holds, for a database
// sealed before it kept a check value: one sealed phone must open and the
// newest keyed audit record must carry its HMAC under the key.
func (db *DB) ProbeKey(ctx context.Context, sealer Sealer, auditKey []byte) error {
	var sealed string
	err := db.queryRow(ctx, "SELECT phone_sealed FROM parties WHERE phone_sealed <> '' LIMIT 1").Scan(&sealed)
	switch {
	case err == nil:
		if _, err := sealer.Open(sealed); err != nil {
			return errors.New("the master key does not open this database's phone numbers")
		}
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("probing the key: %w", translate(err))
	}
	recs, err := collect(ctx, db, scanAudit, "SELECT "+auditColumns+" FROM audit_log WHERE alg LIKE 'hmac-%' ORDER BY seq DESC LIMIT 1")
	if err != nil {
		return fmt.Errorf("probing the key: %w", err)
	}
	for _, r := range recs {
		if h, err := audit.ComputeHash(r, auditKey); err != nil || h != r.Hash {
			return errors.New("the master key does not seal this database's audit trail")
		}
	}
	return nil
}

// SetKeyCheck stores the check value of the key in use (UseKeys) if none
// is stored.
func (db *DB) SetKeyCheck(ctx context.Context) error {
	if db.keyCheck == "" {
		return errors.New("storing the key check value: no key in use")
	}
	_, err := db.write.ExecContext(ctx, db.rebind("INSERT INTO key_check (id, value) VALUES (1, ?) ON CONFLICT (id) DO NOTHING"), db.keyCheck)
	if err != nil {
		return fmt.Errorf("storing the key check value: %w", translate(err))
	}
	return nil
}

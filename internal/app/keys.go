package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"github.com/zhilian/zhilian/internal/crypto"
	"github.com/zhilian/zhilian/internal/store"
)

// loadKeys finds the master key that encrypts personal information and
// keys the audit chain: cfg.Key, else the file cfg.KeyFile, else (SQLite
// only) the file beside the database, DB.key. The key never goes into the
// database, so a copy of the database alone reveals no phone number; the
// database keeps only a check value of it.
//
// A key is made only for a database that has nothing sealed yet. A key
// that does not match the database's check value — or, for a database
// sealed before it kept one, does not open what it holds — is refused:
// new values sealed under it would open with neither key.
func loadKeys(ctx context.Context, cfg *Config, db *store.DB, log *slog.Logger) (*crypto.Keys, store.KeyState, error) {
	state, err := db.KeyState(ctx)
	if err != nil {
		return nil, state, err
	}
	master, err := masterKey(*cfg, log, state.Check == "" && !state.Sealed)
	if err != nil {
		return nil, state, err
	}
	keys, err := crypto.NewKeys(master)
	if err != nil {
		return nil, state, err
	}
	switch {
	case state.Check != "" && state.Check != keys.CheckValue():
		return nil, state, fmt.Errorf("the master key (%s) is not this database's: its check value differs; give the key that belongs to it (--key-file, ZHILIAN_KEY_FILE or ZHILIAN_KEY, or DB.key beside the database)", keySource(*cfg))
	case state.Check == "" && state.Sealed:
		if err := db.ProbeKey(ctx, keys, keys.AuditKey()); err != nil {
			return nil, state, fmt.Errorf("%w (key from %s); give the key that belongs to this database", err, keySource(*cfg))
		}
	}
	return keys, state, nil
}

// keySource says where cfg's key comes from, for messages (never the key).
func keySource(cfg Config) string {
	switch {
	case strings.TrimSpace(cfg.Key) != "":
		return "ZHILIAN_KEY"
	case cfg.KeyFile != "":
		return cfg.KeyFile
	}
	return strings.TrimPrefix(cfg.DB, "file:") + ".key"
}

// MasterKey returns the master key of cfg, found as loadKeys finds it but
// never made: for the backup, which writes it beside the copy.
func MasterKey(cfg Config, log *slog.Logger) ([]byte, error) { return masterKey(cfg, log, false) }

func masterKey(cfg Config, log *slog.Logger, mayMake bool) ([]byte, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	raw := strings.TrimSpace(cfg.Key)
	if raw == "" {
		path := cfg.KeyFile
		if path == "" && !store.IsPostgres(cfg.DB) {
			path = strings.TrimPrefix(cfg.DB, "file:") + ".key"
		}
		if path == "" {
			return nil, errors.New("PostgreSQL needs the master key (personal information, audit trail): give --key-file FILE or ZHILIAN_KEY (make one with 'zhilian keygen')")
		}
		b, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && cfg.KeyFile == "" && !mayMake:
			return nil, fmt.Errorf("this database holds sealed data, but its key file %s is missing: put back the key that belongs to it (a backup has it beside the copy as FILE.key), or give --key-file/ZHILIAN_KEY; no new key is made for a database that has one", path)
		case errors.Is(err, fs.ErrNotExist) && cfg.KeyFile == "":
			raw = crypto.GenerateKey()
			if err := os.WriteFile(path, []byte(raw+"\n"), 0o600); err != nil {
				return nil, fmt.Errorf("writing new key file: %w", err)
			}
			log.Warn("generated a new encryption key for personal information; back it up apart from the database", "file", path)
		case err != nil:
			return nil, fmt.Errorf("reading key file: %w", err)
		default:
			raw = strings.TrimSpace(string(b))
		}
	}
	master, err := crypto.ParseKey(raw)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	return master, nil
}

package app

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"github.com/zhilian/zhilian/internal/crypto"
	"github.com/zhilian/zhilian/internal/store"
)

// loadKeys finds the master key that encrypts personal information:
// cfg.Key, else the file cfg.KeyFile, else (SQLite only) the file beside
// the database, DB.key, made on first use. The key never goes into the
// database, so a copy of the database alone reveals no phone number.
func loadKeys(cfg *Config, log *slog.Logger) (*crypto.Keys, error) {
	master, err := MasterKey(*cfg, log)
	if err != nil {
		return nil, err
	}
	return crypto.NewKeys(master)
}

// MasterKey returns the master key of cfg, found as loadKeys finds it: for
// the backup, which writes it beside the copy.
func MasterKey(cfg Config, log *slog.Logger) ([]byte, error) {
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

package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// Session is a signed-in browser. The cookie holds a random token; the
// database holds only its hash, so a copy of the database signs nobody in.
type Session struct {
	IDHash     string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// NewToken returns a random 256-bit token, URL-safe, and its hash.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a session or API token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession starts a session for the user with a fresh id (a new id at
// every login, so a session id planted before login is worthless).
func (tx *Tx) CreateSession(ctx context.Context, userID int64, remoteAddr, userAgent string) (token string, err error) {
	token, hash := NewToken()
	now := tx.db.now()
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	_, err = tx.exec(ctx, "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, remote_addr, user_agent) VALUES (?, ?, ?, ?, ?, ?)",
		hash, userID, now, now, remoteAddr, userAgent)
	if err != nil {
		return "", fmt.Errorf("creating session: %w", err)
	}
	return token, nil
}

// SessionUser returns the user of a live session and touches it. A session
// ends after idle without a request or absolute after it began, whichever is
// first, and at once when its user is disabled.
func (db *DB) SessionUser(ctx context.Context, token string, idle, absolute time.Duration) (*domain.User, *Session, error) {
	hash := HashToken(token)
	var s Session
	err := db.queryRow(ctx, "SELECT id_hash, user_id, created_at, last_seen_at FROM sessions WHERE id_hash = ?", hash).Scan(&s.IDHash, &s.UserID, &s.CreatedAt, &s.LastSeenAt)
	if err != nil {
		return nil, nil, fmt.Errorf("loading session: %w", translate(err))
	}
	now := db.now()
	if now.Sub(s.LastSeenAt) >= idle || now.Sub(s.CreatedAt) >= absolute {
		_ = db.Update(ctx, domain.SystemViewer("session"), func(tx *Tx) error {
			_, err := tx.exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", hash)
			return err
		})
		return nil, nil, fmt.Errorf("session expired: %w", domain.ErrUnauthorized)
	}
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", s.UserID))
	if err != nil {
		return nil, nil, fmt.Errorf("loading session user: %w", err)
	}
	if u.Disabled {
		return nil, nil, fmt.Errorf("user disabled: %w", domain.ErrUnauthorized)
	}
	if err := loadRoles(ctx, db.query, u); err != nil {
		return nil, nil, err
	}
	// Touch at most once a minute: a write per request would serialise
	// every page view on SQLite's single writer.
	if now.Sub(s.LastSeenAt) >= time.Minute {
		err := db.Update(ctx, domain.SystemViewer("session"), func(tx *Tx) error {
			_, err := tx.exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", now, hash)
			return err
		})
		if err != nil {
			return nil, nil, fmt.Errorf("touching session: %w", err)
		}
		s.LastSeenAt = now
	}
	return u, &s, nil
}

// EndSession deletes a session (logout).
func (tx *Tx) EndSession(ctx context.Context, idHash string) error {
	_, err := tx.exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", idHash)
	if err != nil {
		return fmt.Errorf("ending session: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "logout", ObjectType: "user", ObjectID: tx.v.Username, Success: true})
}

// SweepSessions deletes sessions that can no longer be used; it returns how
// many.
func (db *DB) SweepSessions(ctx context.Context, idle, absolute time.Duration) (int64, error) {
	now := db.now()
	var n int64
	err := db.Update(ctx, domain.SystemViewer("job"), func(tx *Tx) error {
		r, err := tx.exec(ctx, "DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?", now.Add(-idle), now.Add(-absolute))
		if err != nil {
			return fmt.Errorf("sweeping sessions: %w", err)
		}
		n, err = r.RowsAffected()
		return err
	})
	return n, err
}

// CountSessions returns the number of stored sessions of a user.
func (db *DB) CountSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", userID).Scan(&n)
	return n, translate(err)
}

// CreateAPIToken issues a bearer token for a user; only its hash is kept.
func (tx *Tx) CreateAPIToken(ctx context.Context, username, name string) (string, error) {
	if !tx.v.CanAdminister() {
		return "", domain.Errorf(domain.ErrForbidden, "只有系统管理员可以签发接口令牌。")
	}
	u, _, err := tx.db.UserForLogin(ctx, username)
	if errors.Is(err, domain.ErrNotFound) {
		return "", domain.Invalid("user", "用户不存在："+username)
	}
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", domain.Invalid("user", "用户已停用："+username)
	}
	token, hash := NewToken()
	token = "zl_" + token
	hash = HashToken(token)
	if _, err := tx.exec(ctx, "INSERT INTO api_tokens (user_id, token_hash, name, created_at) VALUES (?, ?, ?, ?)", u.ID, hash, name, tx.db.now()); err != nil {
		return "", fmt.Errorf("creating token: %w", err)
	}
	return token, tx.Audit(ctx, Entry{Action: "token.create", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true, Detail: name})
}

// TokenUser returns the user of a live API token.
func (db *DB) TokenUser(ctx context.Context, token string) (*domain.User, error) {
	var userID int64
	var revoked any
	err := db.queryRow(ctx, "SELECT user_id, revoked_at FROM api_tokens WHERE token_hash = ?", HashToken(token)).Scan(&userID, &revoked)
	if err != nil {
		return nil, fmt.Errorf("loading token: %w", domain.ErrUnauthorized)
	}
	if revoked != nil {
		return nil, fmt.Errorf("token revoked: %w", domain.ErrUnauthorized)
	}
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", userID))
	if err != nil {
		return nil, fmt.Errorf("loading token user: %w", err)
	}
	if u.Disabled {
		return nil, fmt.Errorf("user disabled: %w", domain.ErrUnauthorized)
	}
	return u, loadRoles(ctx, db.query, u)
}

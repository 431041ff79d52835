package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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
	// Stage is StageMFA between the password and the second factor, when
	// the session reaches only the code and enrolment pages, else
	// StageFull.
	Stage string
	// TOTPPending is the sealed secret shown for enrolment, until a code
	// confirms it.
	TOTPPending string
	// Unread is how many of the user's messages waited to be read when
	// SessionUser found the session: the header's badge on the page it
	// serves (a page marks nothing read; the POST that does redirects).
	Unread int
}

// Session stages.
const (
	StageMFA  = "mfa"
	StageFull = "full"
)

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
func (tx *Tx) CreateSession(ctx context.Context, userID int64, remoteAddr, userAgent, stage string) (token string, err error) {
	token, hash := NewToken()
	now := tx.db.now()
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	_, err = tx.exec(ctx, "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, remote_addr, user_agent, stage) VALUES (?, ?, ?, ?, ?, ?, ?)",
		hash, userID, now, now, remoteAddr, userAgent, stage)
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
	// The session, its user, the user's roles and the unread messages'
	// count in one statement: every page asks this before its own, and
	// each statement is a round of database/sql and the driver (a
	// separate session read was a tenth of a small page; on PostgreSQL at
	// a million cases each statement of a home page cost the server about
	// 0.08 ms and zhilian about 0.07 ms beyond its own work).
	var roles, pending string
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+roleCols+", s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.stage, s.totp_pending,"+
		" (SELECT COUNT(*) FROM messages m WHERE m.user_id = u.id AND m.read_at IS NULL)"+
		userFrom+" JOIN sessions s ON s.user_id = u.id WHERE s.id_hash = ?", hash),
		&roles, &pending, &s.IDHash, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.Stage, &s.TOTPPending, &s.Unread)
	if err != nil {
		return nil, nil, fmt.Errorf("loading session: %w", err)
	}
	now := db.now()
	if now.Sub(s.LastSeenAt) >= idle || now.Sub(s.CreatedAt) >= absolute {
		_ = db.Update(ctx, domain.SystemViewer("session"), func(tx *Tx) error {
			_, err := tx.exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", hash)
			return err
		})
		return nil, nil, fmt.Errorf("session expired: %w", domain.ErrUnauthorized)
	}
	if u.Disabled {
		return nil, nil, fmt.Errorf("user disabled: %w", domain.ErrUnauthorized)
	}
	setRoles(u, roles, pending)
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

// PassSecondFactor makes a session whole once its second factor passed.
func (tx *Tx) PassSecondFactor(ctx context.Context, idHash string) error {
	if _, err := tx.exec(ctx, "UPDATE sessions SET stage = 'full', totp_pending = '' WHERE id_hash = ?", idHash); err != nil {
		return fmt.Errorf("completing sign-in: %w", err)
	}
	return nil
}

// SetPendingTOTP keeps the sealed secret an enrolment page showed.
func (tx *Tx) SetPendingTOTP(ctx context.Context, idHash, sealed string) error {
	if _, err := tx.exec(ctx, "UPDATE sessions SET totp_pending = ? WHERE id_hash = ?", sealed, idHash); err != nil {
		return fmt.Errorf("keeping enrolment secret: %w", err)
	}
	return nil
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

// APIToken is a bearer token of the API, as administrators see it: never
// the token itself, which is shown once when it is made.
type APIToken struct {
	ID         int64
	UserID     int64
	Username   string
	UserName   string
	CourtName  string
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
	// SecondFactor marks a token its user issued after a fresh code of
	// the authenticator (CreateOwnAPIToken): the only kind an account
	// that needs a second factor may use.
	SecondFactor bool
}

// Active reports whether the token still works at now.
func (t *APIToken) Active(now time.Time) bool { return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt) }

// DefaultTokenTTL is how long an API token works unless told otherwise.
const DefaultTokenTTL = 90 * 24 * time.Hour

// CreateAPIToken issues a bearer token for a user, valid for ttl (90 days
// if zero); only its hash is kept. Only the operator's CLI issues tokens:
// a token reads what its user reads, so whoever issues one on a page could
// read as that user. No token is issued here for an account whose roles
// need a second factor: such a user issues its own (CreateOwnAPIToken).
func (tx *Tx) CreateAPIToken(ctx context.Context, username, name string, ttl time.Duration) (string, error) {
	if !tx.v.System {
		return "", domain.Errorf(domain.ErrForbidden, "接口令牌由运维人员在服务器上签发（zhilian tokens create）。")
	}
	u, _, err := tx.db.UserForLogin(ctx, username)
	if errors.Is(err, domain.ErrNotFound) {
		return "", domain.Invalid("user", "用户不存在："+username)
	}
	if err != nil {
		return "", err
	}
	if u.NeedsSecondFactor() {
		return "", domain.Invalid("user", "该账户的角色须使用动态口令，接口令牌不问动态口令，不予签发："+username)
	}
	if u.Disabled {
		return "", domain.Invalid("user", "用户已停用："+username)
	}
	if ttl <= 0 {
		ttl = DefaultTokenTTL
	}
	if ttl > 366*24*time.Hour {
		return "", domain.Invalid("ttl", "令牌有效期不超过一年")
	}
	return tx.insertToken(ctx, u, name, ttl, false)
}

// OwnTokenTTL is the longest life of a token a user issues itself after a
// code of its authenticator: one working day, so that a token copied off
// a desk is worth little, while a script can read for a day's work.
const OwnTokenTTL = 8 * time.Hour

// CreateOwnAPIToken issues a bearer token for the viewer's own account,
// marked as issued under the second factor, valid for ttl (OwnTokenTTL at
// most and if zero). The caller must have checked a fresh code of the
// viewer's authenticator in the same transaction (auth.Service.IssueOwnToken):
// that code is what lets a watchdog's token pass TokenUser. Administrative
// accounts get none: the API serves case work, which they may not read.
func (tx *Tx) CreateOwnAPIToken(ctx context.Context, name string, ttl time.Duration) (string, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", tx.v.UserID))
	if err != nil {
		return "", fmt.Errorf("loading own account: %w", err)
	}
	if err := loadRoles(ctx, tx, u); err != nil {
		return "", err
	}
	switch {
	case u.Disabled:
		return "", domain.Errorf(domain.ErrForbidden, "账户已停用。")
	case !u.SecondFactor:
		return "", domain.Invalid("code", "请先绑定动态口令，再签发接口令牌。")
	case slices.ContainsFunc(u.Roles, domain.Role.IsAdministrative):
		return "", domain.Errorf(domain.ErrForbidden, "管理员账户不使用业务接口，不签发接口令牌。")
	}
	if err := CheckOwnToken(name, ttl); err != nil {
		return "", err
	}
	if ttl == 0 {
		ttl = OwnTokenTTL
	}
	return tx.insertToken(ctx, u, name, ttl, true)
}

// CheckOwnToken checks the form of a token a user issues itself, so that a
// wrong form is refused before the code of the authenticator is spent.
func CheckOwnToken(name string, ttl time.Duration) error {
	fe := domain.FieldErrors{}
	if len([]rune(strings.TrimSpace(name))) > 100 {
		fe.Add("name", "令牌用途不超过100字")
	}
	if ttl < 0 || ttl > OwnTokenTTL {
		fe.Add("hours", "自签令牌有效期为1至8小时")
	}
	return fe.Err()
}

// insertToken stores a new token of u and audits it; only its hash is kept.
func (tx *Tx) insertToken(ctx context.Context, u *domain.User, name string, ttl time.Duration, secondFactor bool) (string, error) {
	name = strings.TrimSpace(name)
	if len([]rune(name)) > 100 {
		return "", domain.Invalid("name", "令牌用途不超过100字")
	}
	token, _ := NewToken()
	token = "zl_" + token
	now := tx.db.now()
	if _, err := tx.exec(ctx, "INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at, second_factor) VALUES (?, ?, ?, ?, ?, ?)",
		u.ID, HashToken(token), name, now, now.Add(ttl), secondFactor); err != nil {
		return "", fmt.Errorf("creating token: %w", err)
	}
	detail := name + "，有效期至" + now.Add(ttl).In(domain.Beijing).Format("2006-01-02 15:04")
	if secondFactor {
		detail += "，本人凭动态口令签发"
	}
	return token, tx.Audit(ctx, Entry{Action: "token.create", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true, Detail: detail})
}

// revokeTokens ends every live token of a user.
func (tx *Tx) revokeTokens(ctx context.Context, userID int64, why string) error {
	res, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", tx.db.now(), userID)
	if err != nil {
		return fmt.Errorf("revoking tokens: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return tx.Audit(ctx, Entry{Action: "token.revoke", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), Success: true,
			Detail: fmt.Sprintf("%s：%d个接口令牌失效", why, n)})
	}
	return nil
}

// RevokeAPIToken ends one token, as a system or security administrator of
// its user's court or above.
func (tx *Tx) RevokeAPIToken(ctx context.Context, id int64) error {
	t, err := tx.db.apiToken(ctx, tx.v, id, false)
	if err != nil {
		return err
	}
	return tx.revokeToken(ctx, t)
}

// RevokeOwnAPIToken ends one of the viewer's own tokens.
func (tx *Tx) RevokeOwnAPIToken(ctx context.Context, id int64) error {
	t, err := tx.db.apiToken(ctx, tx.v, id, true)
	if err != nil {
		return err
	}
	return tx.revokeToken(ctx, t)
}

func (tx *Tx) revokeToken(ctx context.Context, t *APIToken) error {
	res, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", tx.db.now(), t.ID)
	if err != nil {
		return fmt.Errorf("revoking token: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.ErrConflict, "该令牌已撤销。")
	}
	return tx.Audit(ctx, Entry{Action: "token.revoke", ObjectType: "user", ObjectID: t.Username, Success: true,
		Detail: fmt.Sprintf("令牌%d（%s）", t.ID, t.Name)})
}

const tokenColumns = `t.id, t.user_id, u.username, u.name, c.name, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, t.second_factor`

const tokenFrom = ` FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN courts c ON c.id = u.court_id`

func scanToken(sc interface{ Scan(...any) error }) (*APIToken, error) {
	var t APIToken
	var expires, used, revoked sql.NullTime
	if err := sc.Scan(&t.ID, &t.UserID, &t.Username, &t.UserName, &t.CourtName, &t.Name, &t.CreatedAt, &expires, &used, &revoked, &t.SecondFactor); err != nil {
		return nil, translate(err)
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = t.CreatedAt.UTC(), timeOf(expires), timeOf(used), timeOf(revoked)
	return &t, nil
}

// apiToken loads a token the viewer may end: its own, or (not own) one of
// an account the viewer manages.
func (db *DB) apiToken(ctx context.Context, v domain.Viewer, id int64, own bool) (*APIToken, error) {
	q, args := "SELECT "+tokenColumns+tokenFrom+" WHERE t.id = ? AND t.user_id = ?", []any{id, v.UserID}
	if !own {
		if !v.ManagesAccounts() {
			return nil, domain.Errorf(domain.ErrForbidden, "只有系统管理员、安全管理员可以管理接口令牌。")
		}
		q, args = "SELECT "+tokenColumns+tokenFrom+" WHERE t.id = ? AND c.path LIKE CAST(? AS TEXT) ESCAPE '\\'", []any{id, likePrefix(v.AdminScope())}
	}
	t, err := scanToken(db.queryRow(ctx, q, args...))
	if err != nil {
		return nil, fmt.Errorf("loading token %d: %w", id, err)
	}
	return t, nil
}

// APITokens lists every token of the accounts a system or security
// administrator manages (of one user if username is given), newest first:
// the command line's list, which has no pages. The page reads
// APITokenPage.
func (db *DB) APITokens(ctx context.Context, v domain.Viewer, username string) ([]*APIToken, error) {
	out, _, err := db.APITokenPage(ctx, v, username, PageReq{All: true})
	return out, err
}

// TokenUser returns the user of a live API token: not revoked, not
// expired, its user not disabled.
func (db *DB) TokenUser(ctx context.Context, token string) (*domain.User, error) {
	var id int64
	var revoked, used, expires sql.NullTime
	var secondFactor bool
	var roles, pending string
	// The token, its user and the user's roles in one statement, as for
	// a session: every call of the API asks this first.
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+roleCols+", t.id, t.revoked_at, t.last_used_at, t.expires_at, t.second_factor"+
		userFrom+" JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ?", HashToken(token)),
		&roles, &pending, &id, &revoked, &used, &expires, &secondFactor)
	if err != nil {
		return nil, fmt.Errorf("loading token: %w", domain.ErrUnauthorized)
	}
	now := db.now()
	if revoked.Valid {
		return nil, fmt.Errorf("token revoked: %w", domain.ErrUnauthorized)
	}
	if !expires.Valid || !now.Before(expires.Time) {
		return nil, fmt.Errorf("token expired: %w", domain.ErrUnauthorized)
	}
	if u.Disabled {
		return nil, fmt.Errorf("user disabled: %w", domain.ErrUnauthorized)
	}
	setRoles(u, roles, pending)
	if u.NeedsSecondFactor() && !secondFactor {
		return nil, fmt.Errorf("token of an account that needs a second factor, not issued under it: %w", domain.ErrUnauthorized)
	}
	// Stamp the use at most once a minute, as sessions are touched.
	if !used.Valid || now.Sub(used.Time) >= time.Minute {
		err := db.Update(ctx, domain.SystemViewer("token"), func(tx *Tx) error {
			_, err := tx.exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, id)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("stamping token use: %w", err)
		}
	}
	return u, nil
}

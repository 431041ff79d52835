package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// Policy holds the sign-in rules.
type Policy struct {
	MaxFailures int           // wrong passwords before the lock
	LockFor     time.Duration // how long the lock lasts
	Idle        time.Duration // session ends after this long without a request
	Absolute    time.Duration // session ends this long after login, whatever
}

// DefaultPolicy is the policy of the platform issue: five wrong passwords
// lock for fifteen minutes; sessions end after 30 idle minutes or 12 hours.
var DefaultPolicy = Policy{MaxFailures: 5, LockFor: 15 * time.Minute, Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// Service signs users in and out.
type Service struct {
	DB     *store.DB
	Policy Policy
	Params Params
	// dummy is a hash to check against when the user does not exist, so
	// that the answer takes as long as for a real user.
	dummy string
}

// NewService returns a sign-in service over db.
func NewService(db *store.DB, policy Policy, params Params) *Service {
	return &Service{DB: db, Policy: policy, Params: params, dummy: HashPassword("zhilian-dummy-password", params)}
}

// Messages shown at the login page. The same words whether or not the user
// exists.
const (
	MsgBadCredentials = "用户名或密码错误。"
	MsgLocked         = "连续登录失败次数过多，账户已锁定15分钟，请稍后再试。"
)

// Login checks a username and password and starts a session, returning its
// token. Every attempt is audited.
func (s *Service) Login(ctx context.Context, username, password, remoteAddr, userAgent string) (*domain.User, string, error) {
	anon := domain.Viewer{Username: username, Name: username, RemoteAddr: remoteAddr}
	until, err := s.DB.LoginLock(ctx, username)
	if err != nil {
		return nil, "", err
	}
	if s.DB.Now().Before(until) {
		if _, err := s.DB.RecordLoginFailure(ctx, anon, username, 0, "", "锁定期间尝试登录", s.Policy.MaxFailures, s.Policy.LockFor); err != nil {
			return nil, "", err
		}
		return nil, "", &domain.Error{Code: domain.ErrLocked, Message: MsgLocked}
	}
	u, hash, err := s.DB.UserForLogin(ctx, username)
	reason := "密码错误"
	switch {
	case errors.Is(err, domain.ErrNotFound):
		_, _ = CheckPassword(s.dummy, password)
		u, reason = nil, "用户不存在"
	case err != nil:
		return nil, "", err
	default:
		ok, err := CheckPassword(hash, password)
		if err != nil {
			return nil, "", fmt.Errorf("checking password of %s: %w", username, err)
		}
		if ok && u.Disabled {
			ok, reason = false, "账户已停用"
		}
		if ok {
			return s.startSession(ctx, u, remoteAddr, userAgent)
		}
	}
	var uid int64
	var court string
	if u != nil {
		uid, court = u.ID, u.CourtPath
	}
	locked, err := s.DB.RecordLoginFailure(ctx, anon, username, uid, court, reason, s.Policy.MaxFailures, s.Policy.LockFor)
	if err != nil {
		return nil, "", err
	}
	if locked {
		return nil, "", &domain.Error{Code: domain.ErrLocked, Message: MsgLocked}
	}
	return nil, "", &domain.Error{Code: domain.ErrUnauthorized, Message: MsgBadCredentials}
}

func (s *Service) startSession(ctx context.Context, u *domain.User, remoteAddr, userAgent string) (*domain.User, string, error) {
	var token string
	err := s.DB.Update(ctx, domain.ViewerFor(u, remoteAddr), func(tx *store.Tx) error {
		if err := tx.RecordLogin(ctx, u); err != nil {
			return err
		}
		var err error
		token, err = tx.CreateSession(ctx, u.ID, remoteAddr, userAgent)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

// Session returns the user of a session token, or ErrUnauthorized.
func (s *Service) Session(ctx context.Context, token string) (*domain.User, *store.Session, error) {
	if token == "" {
		return nil, nil, domain.ErrUnauthorized
	}
	u, sess, err := s.DB.SessionUser(ctx, token, s.Policy.Idle, s.Policy.Absolute)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil, fmt.Errorf("no such session: %w", domain.ErrUnauthorized)
	}
	return u, sess, err
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, v domain.Viewer, sess *store.Session) error {
	return s.DB.Update(ctx, v, func(tx *store.Tx) error { return tx.EndSession(ctx, sess.IDHash) })
}

// CreateUser validates the password policy, hashes the password and adds
// the user, as viewer v.
func (s *Service) CreateUser(ctx context.Context, v domain.Viewer, u *domain.User, password string) error {
	fe := domain.FieldErrors{}
	if err := domain.ValidateUser(u); err != nil {
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		fe = ve.Fields
	}
	if err := domain.CheckPassword(u.Username, password); err != nil {
		fe.Add("password", domain.UserMessage(err))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	hash := HashPassword(password, s.Params)
	return s.DB.Update(ctx, v, func(tx *store.Tx) error { return tx.CreateUser(ctx, u, hash) })
}

// ResetPassword sets another user's password (administrators).
func (s *Service) ResetPassword(ctx context.Context, v domain.Viewer, userID int64, password string) error {
	u, err := s.DB.UserByID(ctx, v, userID)
	if err != nil {
		return err
	}
	if err := domain.CheckPassword(u.Username, password); err != nil {
		return err
	}
	hash := HashPassword(password, s.Params)
	return s.DB.Update(ctx, v, func(tx *store.Tx) error { return tx.SetPassword(ctx, userID, hash, "") })
}

// ChangePassword lets a user change their own password after giving the
// current one; the user's other sessions end.
func (s *Service) ChangePassword(ctx context.Context, v domain.Viewer, sess *store.Session, current, password string) error {
	_, hash, err := s.DB.UserForLogin(ctx, v.Username)
	if err != nil {
		return err
	}
	ok, err := CheckPassword(hash, current)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Invalid("current", "当前密码不正确")
	}
	if err := domain.CheckPassword(v.Username, password); err != nil {
		return err
	}
	if current == password {
		return domain.Invalid("password", "新密码不能与当前密码相同")
	}
	newHash := HashPassword(password, s.Params)
	keep := ""
	if sess != nil {
		keep = sess.IDHash
	}
	return s.DB.Update(ctx, v, func(tx *store.Tx) error { return tx.SetPassword(ctx, v.UserID, newHash, keep) })
}

// APIUser returns the user of a bearer token.
func (s *Service) APIUser(ctx context.Context, token string) (*domain.User, error) {
	if token == "" {
		return nil, domain.ErrUnauthorized
	}
	return s.DB.TokenUser(ctx, token)
}

// ConfirmPassword checks the password of the signed-in user v, as a
// signature requires: a wrong one counts towards the lock-out like a
// failed login, so a signing form cannot be used to guess passwords.
func (s *Service) ConfirmPassword(ctx context.Context, v domain.Viewer, password string) error {
	if until, err := s.DB.LoginLock(ctx, v.Username); err != nil {
		return err
	} else if !until.IsZero() {
		return domain.Errorf(domain.ErrLocked, "密码错误次数过多，账户已被临时锁定，请稍后再试。")
	}
	_, hash, err := s.DB.UserForLogin(ctx, v.Username)
	if err != nil {
		return err
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return err
	}
	if !ok {
		if _, err := s.DB.RecordLoginFailure(ctx, v, v.Username, v.UserID, v.CourtPath, "签名密码错误", s.Policy.MaxFailures, s.Policy.LockFor); err != nil {
			return err
		}
		return domain.Invalid("password", "签名密码不正确")
	}
	return nil
}

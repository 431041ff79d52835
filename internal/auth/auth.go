package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pquerna/otp"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// Policy holds the sign-in rules.
type Policy struct {
	MaxFailures int           // failed attempts before the lock
	LockFor     time.Duration // how long the lock lasts
	Idle        time.Duration // session ends after this long without a request
	Absolute    time.Duration // session ends this long after login, whatever
	// NoSecondFactor turns off the requirement of a second factor for the
	// privileged roles (the demo only); users who enrolled still use it.
	NoSecondFactor bool
	// PasswordMaxAge, if set, makes holders of privileged roles change a
	// password older than this at their next request.
	PasswordMaxAge time.Duration
}

// DefaultPolicy is the policy of the platform issue: five failed attempts
// lock for fifteen minutes; sessions end after 30 idle minutes or 12 hours.
var DefaultPolicy = Policy{MaxFailures: 5, LockFor: 15 * time.Minute, Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// Service signs users in and out.
type Service struct {
	DB     *store.DB
	Policy Policy
	Params Params
	// Issuer names the system in authenticator apps.
	Issuer string
	// dummy is a hash to check against when the user does not exist, so
	// that the answer takes as long as for a real user.
	dummy string
}

// NewService returns a sign-in service over db.
func NewService(db *store.DB, policy Policy, params Params) *Service {
	return &Service{DB: db, Policy: policy, Params: params, Issuer: "执廉", dummy: HashPassword("zhilian-dummy-password", params)}
}

// Messages shown at the login page. The same words whether or not the user
// exists.
const (
	MsgBadCredentials = "用户名或密码错误。"
	MsgLocked         = "连续登录失败次数过多，账户已锁定15分钟，请稍后再试。"
)

func errLocked() error { return &domain.Error{Code: domain.ErrLocked, Message: MsgLocked} }

// begin counts an attempt as username; a refused one (the name is locked)
// is audited and returned as ErrLocked.
func (s *Service) begin(ctx context.Context, v domain.Viewer, username string, userID int64, courtPath string) (store.Attempt, error) {
	a, err := s.DB.BeginAttempt(ctx, username, s.Policy.MaxFailures, s.Policy.LockFor)
	if err != nil {
		return a, err
	}
	if !a.Allowed {
		if err := s.DB.AuditFailedAttempt(ctx, v, username, userID, courtPath, "锁定期间尝试登录", a); err != nil {
			return a, err
		}
		return a, errLocked()
	}
	return a, nil
}

// failed audits a failed attempt and returns ErrLocked if it began the
// lock, else fallback.
func (s *Service) failed(ctx context.Context, v domain.Viewer, username string, userID int64, courtPath, reason string, a store.Attempt, fallback error) error {
	if err := s.DB.AuditFailedAttempt(ctx, v, username, userID, courtPath, reason, a); err != nil {
		return err
	}
	if a.Locks() {
		return errLocked()
	}
	return fallback
}

// NeedsSecondFactor reports whether u must pass a code after the password:
// everyone who enrolled, and the holders of privileged roles unless the
// policy turns that off.
func (s *Service) NeedsSecondFactor(u *domain.User) bool {
	return u.SecondFactor || (!s.Policy.NoSecondFactor && u.NeedsSecondFactor())
}

// MustChangePassword reports whether u may use nothing but the
// change-password page, and why: after an administrator's reset, or when
// a privileged account's password is older than the policy allows.
func (s *Service) MustChangePassword(u *domain.User) (bool, string) {
	if u.MustChangePassword {
		return true, "您的密码已由管理员重置，请先设置新密码。"
	}
	if s.Policy.PasswordMaxAge > 0 && u.NeedsSecondFactor() && s.DB.Now().Sub(u.PasswordChangedAt) > s.Policy.PasswordMaxAge {
		return true, fmt.Sprintf("您的密码已使用超过%d天，请先设置新密码。", int(s.Policy.PasswordMaxAge.Hours()/24))
	}
	return false, ""
}

// Login checks a username and password and starts a session, returning its
// token. The attempt is counted before the password is checked, so that
// parallel guesses cannot outrun the lock-out; every attempt is audited.
// A user who needs a second factor gets a session that reaches only the
// code and enrolment pages (store.StageMFA), and the count of attempts
// goes on until the code is passed.
func (s *Service) Login(ctx context.Context, username, password, remoteAddr, userAgent string) (*domain.User, string, error) {
	// A name no account can have is refused before anything is counted or
	// stored (a 16 KB name would otherwise become a lock-out key).
	if len(username) > 64 || len(password) > 1024 {
		_, _ = CheckPassword(s.dummy, "")
		return nil, "", &domain.Error{Code: domain.ErrUnauthorized, Message: MsgBadCredentials}
	}
	anon := domain.Viewer{Username: username, Name: username, RemoteAddr: remoteAddr}
	a, err := s.begin(ctx, anon, username, 0, "")
	if err != nil {
		return nil, "", err
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
	return nil, "", s.failed(ctx, anon, username, uid, court, reason, a, &domain.Error{Code: domain.ErrUnauthorized, Message: MsgBadCredentials})
}

func (s *Service) startSession(ctx context.Context, u *domain.User, remoteAddr, userAgent string) (*domain.User, string, error) {
	var token string
	stage := store.StageFull
	if s.NeedsSecondFactor(u) {
		stage = store.StageMFA
	}
	err := s.DB.Update(ctx, domain.ViewerFor(u, remoteAddr), func(tx *store.Tx) error {
		if stage == store.StageFull {
			if err := tx.RecordLogin(ctx, u, ""); err != nil {
				return err
			}
		}
		var err error
		token, err = tx.CreateSession(ctx, u.ID, remoteAddr, userAgent, stage)
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
	if err := domain.CheckPassword(u.Username, u.Name, password); err != nil {
		fe.Add("password", domain.UserMessage(err))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	hash := HashPassword(password, s.Params)
	return s.DB.Update(ctx, v, func(tx *store.Tx) error { return tx.CreateUser(ctx, u, hash) })
}

// ResetPassword sets another user's password as the administrator who
// manages the account; the user must change it at the next login.
func (s *Service) ResetPassword(ctx context.Context, v domain.Viewer, userID int64, password string) error {
	u, err := s.DB.UserByID(ctx, v, userID)
	if err != nil {
		return err
	}
	if err := domain.CheckPassword(u.Username, u.Name, password); err != nil {
		return err
	}
	hash := HashPassword(password, s.Params)
	return s.DB.Update(ctx, v, func(tx *store.Tx) error { return tx.ResetPassword(ctx, userID, hash) })
}

// ChangePassword lets a user change their own password after giving the
// current one; the user's other sessions and API tokens end. A wrong
// current password counts towards the lock-out and is audited.
func (s *Service) ChangePassword(ctx context.Context, v domain.Viewer, sess *store.Session, current, password string) error {
	if err := s.checkOwnPassword(ctx, v, current, "修改密码时当前密码错误", domain.Invalid("current", "当前密码不正确")); err != nil {
		return err
	}
	if err := domain.CheckPassword(v.Username, v.Name, password); err != nil {
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
	return s.DB.Update(ctx, v, func(tx *store.Tx) error {
		if err := tx.ClearAttempts(ctx, v.Username); err != nil {
			return err
		}
		return tx.SetPassword(ctx, newHash, keep)
	})
}

// checkOwnPassword checks the signed-in user's password, counted like a
// login attempt: a wrong one is audited with reason and returns wrong (or
// ErrLocked once the name locks).
func (s *Service) checkOwnPassword(ctx context.Context, v domain.Viewer, password, reason string, wrong error) error {
	a, err := s.begin(ctx, v, v.Username, v.UserID, v.CourtPath)
	if err != nil {
		return err
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
		return s.failed(ctx, v, v.Username, v.UserID, v.CourtPath, reason, a, wrong)
	}
	return nil
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
	err := s.checkOwnPassword(ctx, v, password, "签名密码错误", domain.Invalid("password", "签名密码不正确"))
	if errors.Is(err, domain.ErrLocked) {
		return domain.Errorf(domain.ErrLocked, "密码错误次数过多，账户已被临时锁定，请稍后再试。")
	}
	if err != nil {
		return err
	}
	return s.DB.Update(ctx, v, func(tx *store.Tx) error { return tx.ClearAttempts(ctx, v.Username) })
}

// PassSecondFactor checks the code typed on the code page — a TOTP code
// or a recovery code — for a session between password and second factor.
// It counts towards the lock-out; a lock ends the session.
func (s *Service) PassSecondFactor(ctx context.Context, v domain.Viewer, sess *store.Session, code string) error {
	err := s.useCode(ctx, v, code, true, func(tx *store.Tx, method string) error {
		return s.completeSignIn(ctx, tx, v, sess, method)
	})
	if errors.Is(err, domain.ErrLocked) {
		return errors.Join(err, s.Logout(ctx, v, sess))
	}
	return err
}

// useCode checks a code of v's authenticator (or, with recovery, a
// recovery code) as one counted attempt, spends it so that it works once,
// and runs then in the same transaction. A wrong or used code is audited
// and answered ErrInvalid, or ErrLocked once the name locks.
func (s *Service) useCode(ctx context.Context, v domain.Viewer, code string, recovery bool, then func(tx *store.Tx, method string) error) error {
	a, err := s.begin(ctx, v, v.Username, v.UserID, v.CourtPath)
	if err != nil {
		return err
	}
	f, err := s.DB.SecondFactorOf(ctx, v.UserID)
	if err != nil {
		return err
	}
	secret, err := s.openSecret(f.Sealed)
	if err != nil {
		return err
	}
	now := s.DB.Now()
	method := "动态口令"
	ok := false
	err = s.DB.Update(ctx, v, func(tx *store.Tx) error {
		var err error
		if recovery && isRecoveryCode(code) {
			method = "恢复码"
			ok, err = tx.UseRecoveryCode(ctx, v.UserID, s.recoveryHash(v.UserID, code))
		} else if step, match := matchCode(secret, code, now); match {
			ok, err = tx.UseTOTPStep(ctx, v.UserID, step)
		}
		if err != nil || !ok {
			return err
		}
		if err := tx.ClearAttempts(ctx, v.Username); err != nil {
			return err
		}
		return then(tx, method)
	})
	if err != nil || ok {
		return err
	}
	return s.failed(ctx, v, v.Username, v.UserID, v.CourtPath, method+"错误或已使用", a, domain.Invalid("code", "验证码不正确或已使用"))
}

// completeSignIn clears the count, makes the session whole and audits the
// login.
func (s *Service) completeSignIn(ctx context.Context, tx *store.Tx, v domain.Viewer, sess *store.Session, method string) error {
	if sess.Stage != store.StageMFA {
		return nil
	}
	if err := tx.PassSecondFactor(ctx, sess.IDHash); err != nil {
		return err
	}
	u := &domain.User{ID: v.UserID, Username: v.Username, CourtPath: v.CourtPath}
	return tx.RecordLogin(ctx, u, method)
}

// recoveryHash is what the store keeps of a recovery code: a keyed HMAC
// (the blind index under the master key) of the user and the code, so that
// a copy of the database gives no way to try codes offline.
func (s *Service) recoveryHash(userID int64, code string) string {
	return s.DB.Sealer.BlindIndex(fmt.Sprintf("zhilian recovery code %d %s", userID, normalRecoveryCode(code)))
}

func (s *Service) recoveryHashes(userID int64, codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = s.recoveryHash(userID, c)
	}
	return out
}

func (s *Service) openSecret(sealed string) (string, error) {
	if sealed == "" {
		return "", domain.Errorf(domain.ErrInvalid, "该账户尚未绑定动态口令。")
	}
	if s.DB.Sealer == nil {
		return "", errors.New("no key to open the second factor")
	}
	return s.DB.Sealer.Open(sealed)
}

// BeginEnrolment makes a new secret for the signed-in user, keeps it
// sealed in the session until a code confirms it, and returns what the
// enrolment page shows. A page shown again shows the same secret.
func (s *Service) BeginEnrolment(ctx context.Context, v domain.Viewer, sess *store.Session) (*Enrolment, error) {
	if s.DB.Sealer == nil {
		return nil, errors.New("no key to seal the second factor")
	}
	if sess.TOTPPending != "" {
		if url, err := s.DB.Sealer.Open(sess.TOTPPending); err == nil {
			if key, err := otp.NewKeyFromURL(url); err == nil {
				return enrolmentOf(key)
			}
		}
	}
	e, err := newEnrolment(s.Issuer, v.Username)
	if err != nil {
		return nil, err
	}
	sealed, err := s.DB.Sealer.Seal(e.URL)
	if err != nil {
		return nil, err
	}
	err = s.DB.Update(ctx, v, func(tx *store.Tx) error { return tx.SetPendingTOTP(ctx, sess.IDHash, sealed) })
	return e, err
}

// ConfirmEnrolment checks the first code of the secret the enrolment page
// showed, binds it to the user and returns the recovery codes, which are
// shown once. A session between password and second factor becomes whole.
// Wrong codes count towards the lock-out.
func (s *Service) ConfirmEnrolment(ctx context.Context, v domain.Viewer, sess *store.Session, code string) ([]string, error) {
	if sess.TOTPPending == "" {
		return nil, domain.Invalid("code", "绑定页面已过期，请刷新后重新扫码")
	}
	a, err := s.begin(ctx, v, v.Username, v.UserID, v.CourtPath)
	if err != nil {
		return nil, err
	}
	url, err := s.DB.Sealer.Open(sess.TOTPPending)
	if err != nil {
		return nil, err
	}
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, fmt.Errorf("reading pending secret: %w", err)
	}
	step, ok := matchCode(key.Secret(), code, s.DB.Now())
	if !ok {
		return nil, s.failed(ctx, v, v.Username, v.UserID, v.CourtPath, "绑定动态口令时验证码错误", a, domain.Invalid("code", "验证码不正确，请核对手机时间后重试"))
	}
	sealed, err := s.DB.Sealer.Seal(key.Secret())
	if err != nil {
		return nil, err
	}
	codes := newRecoveryCodes()
	err = s.DB.Update(ctx, v, func(tx *store.Tx) error {
		if err := tx.EnrolSecondFactor(ctx, sealed, step, s.recoveryHashes(v.UserID, codes)); err != nil {
			return err
		}
		if err := tx.ClearAttempts(ctx, v.Username); err != nil {
			return err
		}
		if err := tx.SetPendingTOTP(ctx, sess.IDHash, ""); err != nil {
			return err
		}
		return s.completeSignIn(ctx, tx, v, sess, "绑定动态口令")
	})
	return codes, err
}

// NewRecoveryCodes replaces the signed-in user's recovery codes after a
// current code, and returns the new ones.
func (s *Service) NewRecoveryCodes(ctx context.Context, v domain.Viewer, code string) ([]string, error) {
	codes := newRecoveryCodes()
	err := s.useCode(ctx, v, code, false, func(tx *store.Tx, _ string) error {
		if err := tx.ReplaceRecoveryCodes(ctx, s.recoveryHashes(v.UserID, codes)); err != nil {
			return err
		}
		return tx.Audit(ctx, store.Entry{Action: "mfa.recovery_codes", ObjectType: "user", ObjectID: v.Username, Success: true, Detail: "重新生成恢复码，原恢复码作废"})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// RemoveOwnSecondFactor lets a user whose roles do not require it give up
// the second factor, after a current code.
func (s *Service) RemoveOwnSecondFactor(ctx context.Context, v domain.Viewer, sess *store.Session, code string) error {
	return s.useCode(ctx, v, code, false, func(tx *store.Tx, _ string) error { return tx.RemoveSecondFactor(ctx, v.UserID, sess.IDHash) })
}

// IssueOwnToken issues an API token for the signed-in user v after a
// current code of its authenticator (not a recovery code: a token is not a
// way back in), spending the code in the same transaction. It is how an
// account that needs a second factor reads through the API: the code is
// asked once at issue, and the token lasts a working day at most.
func (s *Service) IssueOwnToken(ctx context.Context, v domain.Viewer, code, name string, ttl time.Duration) (string, error) {
	if err := store.CheckOwnToken(name, ttl); err != nil {
		return "", err
	}
	var token string
	err := s.useCode(ctx, v, code, false, func(tx *store.Tx, _ string) error {
		var err error
		token, err = tx.CreateOwnAPIToken(ctx, name, ttl)
		return err
	})
	return token, err
}

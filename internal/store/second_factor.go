package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// SecondFactor is what the store keeps of a user's TOTP authenticator: the
// secret sealed under the master key and the last time step accepted.
type SecondFactor struct {
	Sealed   string
	LastStep int64
	// CodesLeft is how many recovery codes are still unused.
	CodesLeft int
}

// SecondFactorOf returns the user's authenticator; Sealed is empty when
// the user has not enrolled.
func (db *DB) SecondFactorOf(ctx context.Context, userID int64) (SecondFactor, error) {
	var f SecondFactor
	err := db.queryRow(ctx, `SELECT u.totp_sealed, u.totp_last_step,
		(SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) FROM users u WHERE u.id = ?`, userID).
		Scan(&f.Sealed, &f.LastStep, &f.CodesLeft)
	if err != nil {
		return f, fmt.Errorf("loading second factor: %w", translate(err))
	}
	return f, nil
}

// EnrolSecondFactor stores a confirmed authenticator for the transaction's
// own user, with step the time step of the confirming code, and replaces
// the recovery codes.
func (tx *Tx) EnrolSecondFactor(ctx context.Context, sealed string, step int64, codeHashes []string) error {
	now := tx.db.now()
	res, err := tx.exec(ctx, "UPDATE users SET totp_sealed = ?, totp_enabled_at = ?, totp_last_step = ?, updated_at = ? WHERE id = ? AND totp_sealed = ''",
		sealed, now, step, now, tx.v.UserID)
	if err != nil {
		return fmt.Errorf("enrolling second factor: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.ErrConflict, "该账户已绑定动态口令。")
	}
	if err := tx.ReplaceRecoveryCodes(ctx, codeHashes); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "mfa.enrol", ObjectType: "user", ObjectID: tx.v.Username, Success: true, Detail: "绑定动态口令（TOTP），生成恢复码10个"})
}

// ReplaceRecoveryCodes gives the transaction's own user a new set of
// recovery codes (their hashes), the old ones void.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, codeHashes []string) error {
	if _, err := tx.exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", tx.v.UserID); err != nil {
		return fmt.Errorf("replacing recovery codes: %w", err)
	}
	now := tx.db.now()
	for _, h := range codeHashes {
		if _, err := tx.exec(ctx, "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)", tx.v.UserID, h, now); err != nil {
			return fmt.Errorf("storing recovery code: %w", err)
		}
	}
	return nil
}

// UseTOTPStep accepts a code of time step step for a user once: it
// reports false if that step or a later one was already used (a replayed
// code), in one atomic statement.
func (tx *Tx) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := tx.exec(ctx, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ? AND totp_sealed <> ''", step, userID, step)
	if err != nil {
		return false, fmt.Errorf("using code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode spends a recovery code (by its hash) once.
func (tx *Tx) UseRecoveryCode(ctx context.Context, userID int64, codeHash string) (bool, error) {
	res, err := tx.exec(ctx, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL", tx.db.now(), userID, codeHash)
	if err != nil {
		return false, fmt.Errorf("using recovery code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RemoveSecondFactor takes a user's authenticator away: the user's own
// choice when no role requires one, or a security administrator's reset
// of a lost one. A sensitive account's factor is reset only through a
// request a second security administrator approves (RequestReset). The
// user's sessions end, but the current one of the user's own choice.
func (tx *Tx) RemoveSecondFactor(ctx context.Context, userID int64, keepSessionHash string) error {
	u, err := tx.loadUser(ctx, userID)
	if err != nil {
		return err
	}
	if userID == tx.v.UserID {
		if u.NeedsSecondFactor() {
			return domain.Errorf(domain.ErrForbidden, "您的角色要求使用动态口令，不能解除；如遗失请联系安全管理员重置。")
		}
		return tx.removeSecondFactor(ctx, u, "mfa.remove", "本人解除动态口令", keepSessionHash)
	}
	if !tx.v.CanGrantRoles() || !strings.HasPrefix(u.CourtPath, tx.v.AdminScope()) {
		return fmt.Errorf("loading user %d: %w", userID, domain.ErrNotFound)
	}
	if !tx.v.CanGrantRolesTo(u) {
		return domain.Errorf(domain.ErrForbidden, "只有其他安全管理员可以重置该账户的动态口令。")
	}
	if u.Sensitive() && !tx.v.System {
		return domain.Errorf(domain.ErrForbidden, "该账户持有或正在申请敏感角色：重置动态口令须由另一名安全管理员审批，请提交重置申请。")
	}
	return tx.removeSecondFactor(ctx, u, "mfa.reset", "安全管理员重置动态口令，下次登录须重新绑定", "")
}

func (tx *Tx) removeSecondFactor(ctx context.Context, u *domain.User, action, detail, keepSessionHash string) error {
	if _, err := tx.exec(ctx, "UPDATE users SET totp_sealed = '', totp_enabled_at = NULL, updated_at = ? WHERE id = ?", tx.db.now(), u.ID); err != nil {
		return fmt.Errorf("removing second factor: %w", err)
	}
	if _, err := tx.exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", u.ID); err != nil {
		return fmt.Errorf("removing recovery codes: %w", err)
	}
	if err := tx.endSessions(ctx, u.ID, keepSessionHash); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: action, ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true, Detail: detail})
}

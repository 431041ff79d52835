package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// AccountRequest is a reset waiting for, or decided by, a second security
// administrator.
type AccountRequest struct {
	ID          int64
	UserID      int64
	Username    string
	Name        string
	CourtName   string
	Kind        string
	Status      string
	Reason      string
	RequestedBy int64
	Requester   string
	RequestedAt time.Time
	Decider     string
	DecidedAt   time.Time
	Note        string
}

// RequestReset asks for a reset of a sensitive account's password or
// second factor, for a second security administrator to approve: one
// person alone cannot reset such an account and sign in as it. Accounts
// that are not sensitive are reset at once (ResetPassword,
// RemoveSecondFactor) by whoever manages them.
func (tx *Tx) RequestReset(ctx context.Context, userID int64, kind, reason string) error {
	u, err := tx.grantee(ctx, userID)
	if err != nil {
		return err
	}
	if kind != domain.ResetPassword && kind != domain.ResetMFA {
		return domain.Invalid("kind", "未知的申请事项")
	}
	if reason, err = checkReason(reason); err != nil {
		return err
	}
	if !u.Sensitive() {
		return domain.Invalid("kind", "该账户不持有敏感角色，可直接重置，无需审批")
	}
	if kind == domain.ResetMFA && !u.SecondFactor {
		return domain.Invalid("kind", "该账户尚未绑定动态口令")
	}
	_, err = tx.exec(ctx, `INSERT INTO account_requests (user_id, kind, status, reason, requested_by, requester, requested_at) VALUES (?, ?, 'pending', ?, ?, ?, ?)`,
		u.ID, kind, reason, nullID(tx.v.UserID), actorName(tx.v), tx.db.now())
	if err := translate(err); errors.Is(err, domain.ErrConflict) {
		return domain.Invalid("kind", "已有待审批的同类申请")
	} else if err != nil {
		return fmt.Errorf("recording reset request: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "account.request", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true,
		Detail: domain.ResetKindLabels[kind] + "（待另一名安全管理员审批）；依据：" + reason})
}

// DecideReset approves or rejects a pending reset, as a security
// administrator who neither asked for it nor is its subject. Approving a
// password reset stores newHash, a password the approver's page shows
// once and the user must change at the next login.
func (tx *Tx) DecideReset(ctx context.Context, id int64, approve bool, note, newHash string) (*AccountRequest, error) {
	r, err := tx.db.accountRequest(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	u, err := tx.grantee(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	if r.Status != domain.GrantPending {
		return nil, domain.Errorf(domain.ErrConflict, "该申请已处理。")
	}
	if r.RequestedBy == tx.v.UserID && !tx.v.System {
		return nil, domain.Errorf(domain.ErrForbidden, "不能审批自己提出的申请，须由另一名安全管理员审批。")
	}
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return nil, domain.Invalid("note", "驳回时请填写理由")
	}
	status, action := domain.GrantRejected, "account.reject"
	if approve {
		status, action = domain.GrantApproved, "account.approve"
	}
	res, err := tx.exec(ctx, "UPDATE account_requests SET status = ?, decided_by = ?, decider = ?, decided_at = ?, note = ? WHERE id = ? AND status = 'pending'",
		status, nullID(tx.v.UserID), actorName(tx.v), tx.db.now(), note, r.ID)
	if err != nil {
		return nil, fmt.Errorf("deciding reset request: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, domain.Errorf(domain.ErrConflict, "该申请已处理。")
	}
	if approve {
		switch r.Kind {
		case domain.ResetPassword:
			if newHash == "" {
				return nil, fmt.Errorf("approving a password reset without a password")
			}
			if err := tx.resetPassword(ctx, u, newHash); err != nil {
				return nil, err
			}
		case domain.ResetMFA:
			if err := tx.removeSecondFactor(ctx, u, "mfa.reset", "经两名安全管理员（申请人"+r.Requester+"）同意重置动态口令，下次登录须重新绑定", ""); err != nil {
				return nil, err
			}
		}
	}
	return r, tx.Audit(ctx, Entry{Action: action, ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true,
		Detail: fmt.Sprintf("%s（申请编号%d，申请人%s）%s", domain.ResetKindLabels[r.Kind], r.ID, r.Requester, note)})
}

// CancelReset withdraws a pending reset; only its requester may.
func (tx *Tx) CancelReset(ctx context.Context, id int64) error {
	r, err := tx.db.accountRequest(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := tx.cancelPending(ctx, "account_requests", r.ID, r.UserID, r.RequestedBy, "只有申请人可以撤回申请。"); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "account.cancel", ObjectType: "user", ObjectID: r.Username, Success: true,
		Detail: fmt.Sprintf("%s（申请编号%d）", domain.ResetKindLabels[r.Kind], r.ID)})
}

// cancelPending withdraws pending request id of table (role_grants or
// account_requests) about user userID: only its requester may, and only
// while nobody has decided it.
func (tx *Tx) cancelPending(ctx context.Context, table string, id, userID, requestedBy int64, notRequester string) error {
	if _, err := tx.grantee(ctx, userID); err != nil {
		return err
	}
	if requestedBy != tx.v.UserID {
		return domain.Errorf(domain.ErrForbidden, "%s", notRequester)
	}
	res, err := tx.exec(ctx, "UPDATE "+table+" SET status = 'cancelled', decided_by = ?, decider = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
		nullID(tx.v.UserID), actorName(tx.v), tx.db.now(), id)
	if err != nil {
		return fmt.Errorf("cancelling request %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.ErrConflict, "该申请已处理。")
	}
	return nil
}

const requestColumns = `a.id, a.user_id, u.username, u.name, c.name, a.kind, a.status, a.reason, COALESCE(a.requested_by, 0), a.requester,
	a.requested_at, a.decider, a.decided_at, a.note`

const requestFrom = " FROM account_requests a JOIN users u ON u.id = a.user_id JOIN courts c ON c.id = u.court_id"

func scanRequest(sc interface{ Scan(...any) error }) (*AccountRequest, error) {
	var r AccountRequest
	var decided sql.NullTime
	if err := sc.Scan(&r.ID, &r.UserID, &r.Username, &r.Name, &r.CourtName, &r.Kind, &r.Status, &r.Reason, &r.RequestedBy, &r.Requester,
		&r.RequestedAt, &r.Decider, &decided, &r.Note); err != nil {
		return nil, translate(err)
	}
	r.RequestedAt, r.DecidedAt = r.RequestedAt.UTC(), timeOf(decided)
	return &r, nil
}

func (db *DB) accountRequest(ctx context.Context, q querier, id int64) (*AccountRequest, error) {
	r, err := scanRequest(q.queryRow(ctx, "SELECT "+requestColumns+requestFrom+" WHERE a.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("reset request %d: %w", id, err)
	}
	return r, nil
}

// AccountRequests lists every reset request of the accounts a system or
// security administrator manages (pending ones only, or of one user),
// newest first: for the to-dos and a user's page, which show them all.
// Pending requests are few by construction (one per account and kind, a
// unique index); the approval page reads AccountRequestPage.
func (db *DB) AccountRequests(ctx context.Context, v domain.Viewer, pending bool, userID int64) ([]*AccountRequest, error) {
	out, _, err := db.AccountRequestPage(ctx, v, pending, userID, PageReq{All: true})
	return out, err
}

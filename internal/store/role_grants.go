package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// RoleGrant is a grant or a withdrawal of a role by a security
// administrator, and its approval where the role needs one.
type RoleGrant struct {
	ID          int64
	UserID      int64
	Username    string
	Name        string
	CourtName   string
	CourtPath   string
	Role        domain.Role
	Action      string // grant or revoke
	Status      string // pending, approved, rejected or cancelled
	Reason      string
	RequestedBy int64
	Requester   string
	RequestedAt time.Time
	Decider     string
	DecidedAt   time.Time
	Note        string
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 200 {
		return "", domain.Invalid("reason", "请填写依据（如任免文件、工作安排），不超过200字")
	}
	return reason, nil
}

// grantee loads the account whose roles the transaction's viewer changes,
// locking its row first, so that two grants or approvals for one account
// at once (PostgreSQL) are checked one after the other.
func (tx *Tx) grantee(ctx context.Context, userID int64) (*domain.User, error) {
	if _, err := tx.exec(ctx, "UPDATE users SET updated_at = updated_at WHERE id = ?", userID); err != nil {
		return nil, fmt.Errorf("locking user %d: %w", userID, err)
	}
	u, err := tx.loadUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !tx.v.CanGrantRoles() || !strings.HasPrefix(u.CourtPath, tx.v.AdminScope()) {
		return nil, fmt.Errorf("loading user %d: %w", userID, domain.ErrNotFound)
	}
	if !tx.v.CanGrantRolesTo(u) {
		return nil, domain.Errorf(domain.ErrForbidden, "不能变更自己的角色（三员分立）；请由其他安全管理员办理。")
	}
	return u, nil
}

// GrantRole grants role to a user, or, for a role that needs it
// (domain.Role.NeedsApproval), requests the grant for a second security
// administrator to approve. It returns the grant's status.
func (tx *Tx) GrantRole(ctx context.Context, userID int64, role domain.Role, reason string) (string, error) {
	u, err := tx.grantee(ctx, userID)
	if err != nil {
		return "", err
	}
	if !role.Valid() {
		return "", domain.Invalid("role", "未知角色："+string(role))
	}
	if reason, err = checkReason(reason); err != nil {
		return "", err
	}
	if u.HasRole(role) {
		return "", domain.Invalid("role", "该用户已持有"+role.Label()+"角色")
	}
	if slices.Contains(u.PendingRoles, role) {
		return "", domain.Invalid("role", "该角色已有待审批的授予申请")
	}
	if err := domain.CheckRoleSet(append(slices.Concat(u.Roles, u.PendingRoles), role)); err != nil {
		return "", err
	}
	status := domain.GrantApproved
	if role.NeedsApproval() && !tx.v.System {
		status = domain.GrantPending
	}
	now := tx.db.now()
	var decidedBy, decidedAt any
	decider := ""
	if status == domain.GrantApproved {
		decidedBy, decidedAt, decider = nullID(tx.v.UserID), now, actorName(tx.v)
	}
	var id int64
	err = tx.queryRow(ctx, `INSERT INTO role_grants (user_id, role, action, status, reason, requested_by, requester, requested_at, decided_by, decider, decided_at)
		VALUES (?, ?, 'grant', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.ID, role, status, reason, nullID(tx.v.UserID), actorName(tx.v), now, decidedBy, decider, decidedAt).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("recording role grant: %w", translate(err))
	}
	action, detail := "role.request", role.Label()+"（待另一名安全管理员审批）；依据："+reason
	if status == domain.GrantApproved {
		if err := tx.addRole(ctx, u.ID, role); err != nil {
			return "", err
		}
		action, detail = "role.grant", role.Label()+"；依据："+reason
	}
	return status, tx.Audit(ctx, Entry{Action: action, ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true,
		Detail: detail + "（申请编号" + strconv.FormatInt(id, 10) + "）"})
}

// addRole gives a role and ends the user's sessions, so that the next
// request is decided with it.
func (tx *Tx) addRole(ctx context.Context, userID int64, role domain.Role) error {
	if _, err := tx.exec(ctx, "INSERT INTO user_roles (user_id, role) VALUES (?, ?) ON CONFLICT DO NOTHING", userID, role); err != nil {
		return fmt.Errorf("granting role: %w", err)
	}
	return tx.endSessions(ctx, userID, "")
}

// DecideGrant approves or rejects a pending grant. The decider is a
// security administrator of the user's court or above who neither asked
// for it nor is its subject.
func (tx *Tx) DecideGrant(ctx context.Context, grantID int64, approve bool, note string) error {
	g, err := tx.db.grantByID(ctx, tx, grantID)
	if err != nil {
		return err
	}
	u, err := tx.grantee(ctx, g.UserID)
	if err != nil {
		return err
	}
	if g.Status != domain.GrantPending {
		return domain.Errorf(domain.ErrConflict, "该申请已处理。")
	}
	if g.RequestedBy == tx.v.UserID && !tx.v.System {
		return domain.Errorf(domain.ErrForbidden, "不能审批自己提出的授予申请，须由另一名安全管理员审批。")
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 200 {
		return domain.Invalid("note", "审批意见不超过200字")
	}
	if !approve && note == "" {
		return domain.Invalid("note", "驳回时请填写理由")
	}
	if approve {
		if err := domain.CheckRoleSet(append(slices.Clone(u.Roles), g.Role)); err != nil {
			return err
		}
		// Whoever set the account's first password (or last reset it) must
		// not receive a sensitive role through it: the user signs in and
		// sets his own password first.
		if u.MustChangePassword {
			return domain.Errorf(domain.ErrConflict, "该账户尚未由本人登录并设置自己的密码，暂不能批准敏感角色。")
		}
	}
	status, action := domain.GrantRejected, "role.reject"
	if approve {
		status, action = domain.GrantApproved, "role.approve"
	}
	res, err := tx.exec(ctx, "UPDATE role_grants SET status = ?, decided_by = ?, decider = ?, decided_at = ?, note = ? WHERE id = ? AND status = 'pending'",
		status, nullID(tx.v.UserID), actorName(tx.v), tx.db.now(), note, g.ID)
	if err != nil {
		return fmt.Errorf("deciding role grant: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.ErrConflict, "该申请已处理。")
	}
	if approve {
		if err := tx.addRole(ctx, u.ID, g.Role); err != nil {
			return err
		}
	}
	detail := fmt.Sprintf("%s（申请编号%d，申请人%s）", g.Role.Label(), g.ID, g.Requester)
	if note != "" {
		detail += "；意见：" + note
	}
	return tx.Audit(ctx, Entry{Action: action, ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true, Detail: detail})
}

// CancelGrant withdraws a pending grant; only its requester may.
func (tx *Tx) CancelGrant(ctx context.Context, grantID int64) error {
	g, err := tx.db.grantByID(ctx, tx, grantID)
	if err != nil {
		return err
	}
	if err := tx.cancelPending(ctx, "role_grants", g.ID, g.UserID, g.RequestedBy, "只有申请人可以撤回授予申请。"); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "role.cancel", ObjectType: "user", ObjectID: g.Username, CourtPath: g.CourtPath, Success: true,
		Detail: fmt.Sprintf("%s（申请编号%d）", g.Role.Label(), g.ID)})
}

// RevokeRole withdraws a role at once: taking a power away needs no second
// approval. The user's sessions end.
func (tx *Tx) RevokeRole(ctx context.Context, userID int64, role domain.Role, reason string) error {
	u, err := tx.grantee(ctx, userID)
	if err != nil {
		return err
	}
	if reason, err = checkReason(reason); err != nil {
		return err
	}
	if !u.HasRole(role) {
		return domain.Invalid("role", "该用户未持有"+role.Label()+"角色")
	}
	if _, err := tx.exec(ctx, "DELETE FROM user_roles WHERE user_id = ? AND role = ?", u.ID, role); err != nil {
		return fmt.Errorf("withdrawing role: %w", err)
	}
	now := tx.db.now()
	if _, err := tx.exec(ctx, `INSERT INTO role_grants (user_id, role, action, status, reason, requested_by, requester, requested_at, decided_by, decider, decided_at)
		VALUES (?, ?, 'revoke', 'approved', ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, role, reason, nullID(tx.v.UserID), actorName(tx.v), now, nullID(tx.v.UserID), actorName(tx.v), now); err != nil {
		return fmt.Errorf("recording role withdrawal: %w", translate(err))
	}
	if err := tx.endSessions(ctx, u.ID, ""); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "role.revoke", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true,
		Detail: role.Label() + "；依据：" + reason})
}

const grantColumns = `g.id, g.user_id, u.username, u.name, c.name, c.path, g.role, g.action, g.status, g.reason, COALESCE(g.requested_by, 0),
	g.requester, g.requested_at, g.decider, g.decided_at, g.note`

const grantFrom = " FROM role_grants g JOIN users u ON u.id = g.user_id JOIN courts c ON c.id = u.court_id"

func scanGrant(sc interface{ Scan(...any) error }) (*RoleGrant, error) {
	var g RoleGrant
	var decided sql.NullTime
	if err := sc.Scan(&g.ID, &g.UserID, &g.Username, &g.Name, &g.CourtName, &g.CourtPath, &g.Role, &g.Action, &g.Status, &g.Reason,
		&g.RequestedBy, &g.Requester, &g.RequestedAt, &g.Decider, &decided, &g.Note); err != nil {
		return nil, translate(err)
	}
	g.RequestedAt, g.DecidedAt = g.RequestedAt.UTC(), timeOf(decided)
	return &g, nil
}

func (db *DB) grantByID(ctx context.Context, q querier, id int64) (*RoleGrant, error) {
	g, err := scanGrant(q.queryRow(ctx, "SELECT "+grantColumns+grantFrom+" WHERE g.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("role grant %d: %w", id, err)
	}
	return g, nil
}

// GrantFilter narrows a listing of grants.
type GrantFilter struct {
	UserID  int64 // one user's history
	Pending bool  // only those awaiting approval
	Limit   int
}

// RoleGrants lists grants and withdrawals of the accounts a system or
// security administrator manages, newest first.
func (db *DB) RoleGrants(ctx context.Context, v domain.Viewer, f GrantFilter) ([]*RoleGrant, error) {
	if !v.ManagesAccounts() {
		return nil, domain.Errorf(domain.ErrForbidden, "只有系统管理员、安全管理员可以查看角色授予记录。")
	}
	q := "SELECT " + grantColumns + grantFrom + " WHERE c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"
	args := []any{likePrefix(v.AdminScope())}
	if f.UserID != 0 {
		q += " AND g.user_id = ?"
		args = append(args, f.UserID)
	}
	if f.Pending {
		q += " AND g.status = 'pending'"
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q += " ORDER BY g.id DESC LIMIT ?"
	out, err := collect(ctx, db, scanGrant, q, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("listing role grants: %w", err)
	}
	return out, nil
}

// PendingGrantsFor returns the grants v can decide now: pending, in v's
// scope, neither asked for by v nor about v.
func (db *DB) PendingGrantsFor(ctx context.Context, v domain.Viewer) ([]*RoleGrant, error) {
	if !v.CanGrantRoles() {
		return nil, nil
	}
	all, err := db.RoleGrants(ctx, v, GrantFilter{Pending: true})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, g := range all {
		if g.RequestedBy != v.UserID && g.UserID != v.UserID {
			out = append(out, g)
		}
	}
	return out, nil
}

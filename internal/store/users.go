package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

const userColumns = `u.id, u.username, u.name, u.court_id, c.code, c.name, c.path, u.department_id, d.name,
	u.liaison, u.disabled, u.last_login_at, u.created_at, lf.locked_until, u.must_change_password, u.password_changed_at,
	u.totp_enabled_at IS NOT NULL`

const userFrom = ` FROM users u JOIN courts c ON c.id = u.court_id JOIN departments d ON d.id = u.department_id
	LEFT JOIN login_failures lf ON lf.username_key = lower(u.username)`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*domain.User, error) {
	var u domain.User
	var last, locked sql.NullTime
	if err := sc.Scan(append([]any{&u.ID, &u.Username, &u.Name, &u.CourtID, &u.CourtCode, &u.CourtName, &u.CourtPath,
		&u.DepartmentID, &u.Department, &u.Liaison, &u.Disabled, &last, &u.CreatedAt, &locked, &u.MustChangePassword,
		&u.PasswordChangedAt, &u.SecondFactor}, extra...)...); err != nil {
		return nil, translate(err)
	}
	u.LastLoginAt, u.LockedUntil, u.CreatedAt, u.PasswordChangedAt = timeOf(last), timeOf(locked), u.CreatedAt.UTC(), u.PasswordChangedAt.UTC()
	return &u, nil
}

// loadRoles fills in the roles of users.
func loadRoles(ctx context.Context, q querier, users ...*domain.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[int64]*domain.User, len(users))
	ids := make([]string, 0, len(users))
	args := make([]any, 0, len(users))
	for _, u := range users {
		byID[u.ID] = u
		u.Roles = nil
		ids = append(ids, "?")
		args = append(args, u.ID)
	}
	err := each(ctx, q, func(row scanner) error {
		var id int64
		var r domain.Role
		var pending bool
		if err := row.Scan(&id, &r, &pending); err != nil {
			return err
		}
		if pending {
			byID[id].PendingRoles = append(byID[id].PendingRoles, r)
		} else {
			byID[id].Roles = append(byID[id].Roles, r)
		}
		return nil
	}, `SELECT user_id, role, FALSE FROM user_roles WHERE user_id IN (`+strings.Join(ids, ",")+`)
		UNION ALL SELECT user_id, role, TRUE FROM role_grants WHERE status = 'pending' AND action = 'grant' AND user_id IN (`+strings.Join(ids, ",")+`)`,
		append(args, args...)...)
	if err != nil {
		return fmt.Errorf("loading roles: %w", err)
	}
	for _, u := range users {
		u.Roles, u.PendingRoles = domain.SortRoles(u.Roles), domain.SortRoles(u.PendingRoles)
	}
	return nil
}

// roleCols are two more columns over users u for a single user's look-up
// on every request (SessionUser, TokenUser): its roles and those granted
// it pending approval, each a comma-separated list for setRoles, so that
// the user and its roles are one statement instead of two (loadRoles).
// string_agg is SQLite's too since 3.44 (modernc's is 3.54).
const roleCols = ", COALESCE((SELECT string_agg(role, ',') FROM user_roles WHERE user_id = u.id), '')," +
	" COALESCE((SELECT string_agg(role, ',') FROM role_grants WHERE status = 'pending' AND action = 'grant' AND user_id = u.id), '')"

// setRoles gives u the roles read by roleCols, as loadRoles would.
func setRoles(u *domain.User, roles, pending string) {
	split := func(list string) []domain.Role {
		var rs []domain.Role
		for r := range strings.SplitSeq(list, ",") {
			if r != "" {
				rs = append(rs, domain.Role(r))
			}
		}
		return domain.SortRoles(rs)
	}
	u.Roles, u.PendingRoles = split(roles), split(pending)
}

// UserByID returns a user whose account the viewer manages (the system or
// security administrator of a court above it), or the viewer itself.
func (db *DB) UserByID(ctx context.Context, v domain.Viewer, id int64) (*domain.User, error) {
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("loading user %d: %w", id, err)
	}
	if u.ID != v.UserID && !(v.ManagesAccounts() && strings.HasPrefix(u.CourtPath, v.AdminScope())) {
		return nil, fmt.Errorf("loading user %d: %w", id, domain.ErrNotFound)
	}
	if err := loadRoles(ctx, db, u); err != nil {
		return nil, err
	}
	return u, nil
}

// UserForLogin returns the user with the given name and its password hash.
// It is the one read that needs no viewer: the login itself.
func (db *DB) UserForLogin(ctx context.Context, username string) (*domain.User, string, error) {
	var hash string
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+", u.password_hash"+userFrom+" WHERE lower(u.username) = lower(?)", strings.TrimSpace(username)), &hash)
	if err != nil {
		return nil, "", fmt.Errorf("loading user for login: %w", err)
	}
	if err := loadRoles(ctx, db, u); err != nil {
		return nil, "", err
	}
	return u, hash, nil
}

// UserFilter narrows a user listing.
type UserFilter struct {
	Query string // matches username, name, department or court name
	Page  PageReq
}

// UserSorts are the orders of the user list, by court and department by
// default.
var UserSorts = Sorts{Keys: map[string][]string{
	"court":    {"c.path", "d.id"},
	"username": {"lower(u.username)"},
	"name":     {"u.name"},
	"login":    {"CASE WHEN u.last_login_at IS NULL THEN 0 ELSE 1 END", "u.last_login_at"},
}, Default: "court", Tie: "u.id"}

// Users lists a page of the accounts of the courts a system or security
// administrator manages, and how many there are.
func (db *DB) Users(ctx context.Context, v domain.Viewer, f UserFilter) ([]*domain.User, PageInfo, error) {
	if !v.ManagesAccounts() {
		return nil, PageInfo{}, domain.Errorf(domain.ErrForbidden, "只有系统管理员、安全管理员可以管理用户。")
	}
	cond := "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"
	args := []any{likePrefix(v.AdminScope())}
	if s := strings.TrimSpace(f.Query); s != "" {
		cond += " AND (lower(u.username) LIKE CAST(? AS TEXT) ESCAPE '\\' OR u.name LIKE CAST(? AS TEXT) ESCAPE '\\' OR d.name LIKE CAST(? AS TEXT) ESCAPE '\\' OR c.name LIKE CAST(? AS TEXT) ESCAPE '\\' OR c.code = ?)"
		p := "%" + likeEscape(strings.ToLower(s)) + "%"
		args = append(args, p, p, p, p, s)
	}
	out, info, err := listPage(ctx, db, func(row scanner) (*domain.User, error) { return scanUser(row) }, userColumns, userFrom, cond, args, f.Page, UserSorts, "users")
	if err != nil {
		return nil, info, err
	}
	return out, info, loadRoles(ctx, db, out...)
}

// CountUsersByCourt returns the number of users per court id.
func (db *DB) CountUsersByCourt(ctx context.Context) (map[int64]int, error) {
	out := map[int64]int{}
	err := each(ctx, db, func(row scanner) error {
		var id int64
		var n int
		if err := row.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
		return nil
	}, "SELECT court_id, COUNT(*) FROM users GROUP BY court_id")
	if err != nil {
		return nil, fmt.Errorf("counting users: %w", err)
	}
	return out, nil
}

// resolveUserPlace checks the court and department of u against the
// viewer's scope and fills in their ids, adding the department if needed.
func (tx *Tx) resolveUserPlace(ctx context.Context, u *domain.User) (*domain.Court, error) {
	court, err := scanCourt(tx.queryRow(ctx, "SELECT "+courtColumns+" FROM courts c LEFT JOIN courts p ON p.id = c.parent_id WHERE c.code = ? OR c.id = ?", u.CourtCode, u.CourtID))
	if errors.Is(err, domain.ErrNotFound) {
		return nil, domain.Invalid("court", "法院不存在："+u.CourtCode)
	}
	if err != nil {
		return nil, fmt.Errorf("loading court: %w", err)
	}
	if !strings.HasPrefix(court.Path, tx.v.AdminScope()) {
		return nil, domain.Invalid("court", "您只能管理本院及下级法院的用户")
	}
	u.CourtID, u.CourtCode, u.CourtPath, u.CourtName = court.ID, court.Code, court.Path, court.Name
	if u.Department != "" {
		id, _, err := tx.EnsureDepartment(ctx, court, u.Department, departmentKindFor(u.Roles))
		if err != nil {
			return nil, err
		}
		u.DepartmentID = id
	} else if err := tx.queryRow(ctx, "SELECT name FROM departments WHERE id = ? AND court_id = ?", u.DepartmentID, court.ID).Scan(&u.Department); err != nil {
		return nil, domain.Invalid("department", "部门不属于所选法院")
	}
	return court, nil
}

// departmentKindFor guesses the kind of a department created on the fly for
// a user with these roles; an administrator can change it later.
func departmentKindFor(roles []domain.Role) domain.DepartmentKind {
	for _, r := range roles {
		switch r {
		case domain.RoleDisciplineGroup:
			return domain.DeptDisciplineGroup
		case domain.RoleSupervisionOffice:
			return domain.DeptSupervisionOffice
		case domain.RoleCommandCenter:
			return domain.DeptCommandCenter
		case domain.RoleOfficer, domain.RoleDeptHead:
			return domain.DeptEnforcement
		case domain.RoleBureau:
			return domain.DeptBureauOffice
		}
	}
	return domain.DeptOther
}

// CreateUser adds an account with an already hashed password. The system
// administrator creates accounts without roles: roles are granted by the
// security administrators. Only the operator's CLI (the system viewer)
// creates an account with roles, and the audit record says so.
func (tx *Tx) CreateUser(ctx context.Context, u *domain.User, passwordHash string) error {
	if !tx.v.CanAdminister() {
		return domain.Errorf(domain.ErrForbidden, "只有系统管理员可以新建用户。")
	}
	if err := domain.ValidateUser(u); err != nil {
		return err
	}
	if len(u.Roles) > 0 && !tx.v.System {
		return domain.Invalid("role", "角色由安全管理员授予，新建账户时不能指定")
	}
	if _, err := tx.resolveUserPlace(ctx, u); err != nil {
		return err
	}
	now := tx.db.now()
	// The administrator chose the first password: the user replaces it at
	// the first login. (The operator's CLI sets a password the user gives.)
	u.MustChangePassword = !tx.v.System
	err := tx.queryRow(ctx, `INSERT INTO users (username, name, court_id, department_id, password_hash, liaison, disabled, must_change_password, password_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?) RETURNING id`,
		u.Username, u.Name, u.CourtID, u.DepartmentID, passwordHash, u.Liaison, u.MustChangePassword, now, now, now).Scan(&u.ID)
	if err := translate(err); errors.Is(err, domain.ErrConflict) {
		return &domain.ValidationError{Fields: domain.FieldErrors{"username": "用户名已被使用"}}
	} else if err != nil {
		return fmt.Errorf("adding user: %w", err)
	}
	u.CreatedAt = now
	if err := tx.setRoles(ctx, u.ID, u.Roles); err != nil {
		return err
	}
	if err := tx.setMobile(ctx, u); err != nil {
		return err
	}
	detail := describeUser(u)
	if tx.v.System && len(u.Roles) > 0 {
		detail += "；由运维人员在服务器上通过命令行创建并直接授予角色，未经安全管理员审批（" + tx.v.RemoteAddr + "）"
	}
	if err := tx.Audit(ctx, Entry{Action: "user.create", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true,
		Detail: detail}); err != nil {
		return err
	}
	// The cases that name the new account's officer follow it at once.
	return tx.linkUserCases(ctx, nil, u)
}

func describeUser(u *domain.User) string {
	roles := strings.Join(u.RoleLabels(), "、")
	if roles == "" {
		roles = "无"
	}
	s := fmt.Sprintf("%s，%s %s，角色：%s", u.Name, u.CourtCode, u.Department, roles)
	if u.Liaison {
		s += "，联络员"
	}
	return s
}

func (tx *Tx) setRoles(ctx context.Context, userID int64, roles []domain.Role) error {
	if _, err := tx.exec(ctx, "DELETE FROM user_roles WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("setting roles: %w", err)
	}
	for _, r := range roles {
		if _, err := tx.exec(ctx, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", userID, r); err != nil {
			return fmt.Errorf("setting roles: %w", err)
		}
	}
	return nil
}

// managedUser loads, for a change, an account the transaction's viewer
// manages (domain.Viewer.CanManageAccount): accounts out of scope are not
// found; a sensitive account, or one's own, is forbidden.
func (tx *Tx) managedUser(ctx context.Context, id int64) (*domain.User, error) {
	u, err := tx.loadUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tx.v.ManagesAccounts() || !strings.HasPrefix(u.CourtPath, tx.v.AdminScope()) {
		return nil, fmt.Errorf("loading user %d: %w", id, domain.ErrNotFound)
	}
	if !tx.v.CanManageAccount(u) {
		return nil, accountRefusal(tx.v, u)
	}
	return u, nil
}

// accountRefusal says why v may not change u.
func accountRefusal(v domain.Viewer, u *domain.User) error {
	if u.ID == v.UserID {
		return domain.Errorf(domain.ErrForbidden, "不能在此修改自己的账户（三员分立）；请由其他管理员办理。")
	}
	return domain.Errorf(domain.ErrForbidden, "该账户持有或正在申请敏感角色，由安全管理员管理。")
}

func (tx *Tx) loadUser(ctx context.Context, id int64) (*domain.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("loading user %d: %w", id, err)
	}
	return u, loadRoles(ctx, tx, u)
}

// UpdateUser changes a user's name, court, department, liaison flag and
// mobile. Roles are not changed here: they are granted and withdrawn by
// the security administrators (RequestRole, RevokeRole).
func (tx *Tx) UpdateUser(ctx context.Context, u *domain.User) error {
	old, err := tx.managedUser(ctx, u.ID)
	if err != nil {
		return err
	}
	if len(u.Roles) > 0 && !slices.Equal(domain.SortRoles(u.Roles), old.Roles) {
		return domain.Invalid("role", "角色由安全管理员授予，不能在此修改")
	}
	u.Username, u.Roles = old.Username, old.Roles
	if err := domain.ValidateUser(u); err != nil {
		return err
	}
	// A sensitive role's reach is its court's subtree: moving the account
	// would change what it reads without a second approval.
	if old.Sensitive() && !tx.v.System && ((u.CourtCode != "" && u.CourtCode != old.CourtCode) || (u.CourtCode == "" && u.CourtID != old.CourtID)) {
		return domain.Invalid("court", "持有或正在申请敏感角色的账户不能调动法院：请先撤销其敏感角色，调动后再申请授予")
	}
	if _, err := tx.resolveUserPlace(ctx, u); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE users SET name = ?, court_id = ?, department_id = ?, liaison = ?, updated_at = ? WHERE id = ?",
		u.Name, u.CourtID, u.DepartmentID, u.Liaison, tx.db.now(), u.ID); err != nil {
		return fmt.Errorf("updating user: %w", err)
	}
	if err := tx.setMobile(ctx, u); err != nil {
		return err
	}
	// A change of court changes what the user may see: end the user's
	// sessions so that the next request is decided afresh.
	if old.CourtID != u.CourtID || old.DepartmentID != u.DepartmentID {
		if err := tx.endSessions(ctx, u.ID, ""); err != nil {
			return err
		}
	}
	if err := tx.Audit(ctx, Entry{Action: "user.update", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true,
		Detail: "原：" + describeUser(old) + "；新：" + describeUser(u)}); err != nil {
		return err
	}
	return tx.linkUserCases(ctx, old, u)
}

// SetUserDisabled disables or enables an account. Disabling ends its
// sessions and revokes its API tokens at once.
func (tx *Tx) SetUserDisabled(ctx context.Context, id int64, disabled bool) (*domain.User, error) {
	u, err := tx.managedUser(ctx, id)
	if err != nil {
		return nil, err
	}
	now := tx.db.now()
	if _, err := tx.exec(ctx, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", disabled, now, id); err != nil {
		return nil, fmt.Errorf("updating user: %w", err)
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
		if err := tx.endSessions(ctx, id, ""); err != nil {
			return nil, err
		}
		if err := tx.revokeTokens(ctx, id, "账户停用"); err != nil {
			return nil, err
		}
	}
	u.Disabled = disabled
	if err := tx.Audit(ctx, Entry{Action: action, ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true}); err != nil {
		return nil, err
	}
	// A disabled account takes no cases; enabled again, it takes them back.
	return u, tx.linkUserCases(ctx, nil, u)
}

// SetPassword stores a new password hash for the transaction's own user
// (after the caller checked the old password), ending the user's other
// sessions and every API token.
func (tx *Tx) SetPassword(ctx context.Context, hash string, keepSessionHash string) error {
	u, err := tx.loadUser(ctx, tx.v.UserID)
	if err != nil {
		return err
	}
	if err := tx.storePassword(ctx, u.ID, hash, false, keepSessionHash, "修改密码"); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "user.password_change", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true})
}

// ResetPassword sets another user's password as the administrator who
// manages the account. A sensitive account's password is reset only
// through a request a second security administrator approves
// (RequestReset, DecideReset). The user must change it at the next
// login; the reset is audited and, where the user has a mobile on record,
// texted to the user.
func (tx *Tx) ResetPassword(ctx context.Context, id int64, hash string) error {
	u, err := tx.managedUser(ctx, id)
	if err != nil {
		return err
	}
	if u.Sensitive() && !tx.v.System {
		return domain.Errorf(domain.ErrForbidden, "该账户持有或正在申请敏感角色：重置密码须由另一名安全管理员审批，请提交重置申请。")
	}
	return tx.resetPassword(ctx, u, hash)
}

func (tx *Tx) resetPassword(ctx context.Context, u *domain.User, hash string) error {
	if err := tx.storePassword(ctx, u.ID, hash, true, "", "管理员重置密码"); err != nil {
		return err
	}
	texted, err := tx.notifyUser(ctx, u.ID, fmt.Sprintf("reset:%d:%d", u.ID, tx.db.now().UnixNano()),
		domain.SMSPasswordReset, map[string]string{"时间": domain.PasswordResetTime(tx.db.now())})
	if err != nil {
		return err
	}
	detail := "下次登录须修改密码"
	if texted {
		detail += "；已短信通知本人"
	}
	return tx.Audit(ctx, Entry{Action: "user.password_reset", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true, Detail: detail})
}

func (tx *Tx) storePassword(ctx context.Context, id int64, hash string, mustChange bool, keepSessionHash, why string) error {
	now := tx.db.now()
	if _, err := tx.exec(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = ?, updated_at = ? WHERE id = ?",
		hash, now, mustChange, now, id); err != nil {
		return fmt.Errorf("setting password: %w", err)
	}
	if err := tx.endSessions(ctx, id, keepSessionHash); err != nil {
		return err
	}
	return tx.revokeTokens(ctx, id, why)
}

// endSessions ends a user's sessions but the one kept.
func (tx *Tx) endSessions(ctx context.Context, userID int64, keepHash string) error {
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", userID, keepHash); err != nil {
		return fmt.Errorf("ending sessions: %w", err)
	}
	return nil
}

// notifyUser texts a staff member with a mobile on record; it reports
// whether a message was queued.
func (tx *Tx) notifyUser(ctx context.Context, userID int64, key, template string, vals map[string]string) (bool, error) {
	var sealed, index string
	var court int64
	if err := tx.queryRow(ctx, "SELECT phone_sealed, phone_index, court_id FROM users WHERE id = ?", userID).Scan(&sealed, &index, &court); err != nil {
		return false, fmt.Errorf("loading mobile: %w", translate(err))
	}
	if sealed == "" {
		return false, nil
	}
	msg, err := tx.renderSMS(ctx, court, template, vals)
	if err != nil {
		return false, err
	}
	return tx.queueNotice(ctx, sealed, index, msg, key)
}

// Unlock clears the failed-login count of a user.
func (tx *Tx) Unlock(ctx context.Context, id int64) error {
	u, err := tx.managedUser(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM login_failures WHERE username_key = ?", strings.ToLower(u.Username)); err != nil {
		return fmt.Errorf("unlocking: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "user.unlock", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true})
}

// Attempt is a sign-in attempt counted before its secret (password or
// code) is checked, so that parallel guesses cannot outrun the count.
type Attempt struct {
	// Allowed says the secret may be checked; otherwise the name is locked.
	Allowed bool
	// N is the attempt's number since the last success or lock.
	N int
	// LockedUntil is when the lock ends; zero while the name is not locked.
	LockedUntil time.Time
}

// Locks reports whether a failure of this attempt locks the name.
func (a Attempt) Locks() bool { return !a.LockedUntil.IsZero() }

// BeginAttempt counts an attempt to sign in as username, in one atomic
// statement. The attempt that reaches max sets the lock, to end lockFor
// later, and may still be checked; attempts during a lock are counted but
// refused and neither extend nor renew it; an expired lock starts the
// count afresh. A success clears the count (ClearAttempts).
func (db *DB) BeginAttempt(ctx context.Context, username string, max int, lockFor time.Duration) (Attempt, error) {
	key := strings.ToLower(strings.TrimSpace(username))
	now := db.now()
	lock := now.Add(lockFor)
	var first any
	if max <= 1 {
		first = lock
	}
	var n int
	var until sql.NullTime
	err := db.Update(ctx, domain.SystemViewer("login"), func(tx *Tx) error {
		return tx.queryRow(ctx, `INSERT INTO login_failures (username_key, failures, locked_until, updated_at) VALUES (?, 1, ?, ?)
			ON CONFLICT (username_key) DO UPDATE SET
				failures = CASE WHEN login_failures.locked_until IS NOT NULL AND login_failures.locked_until <= ? THEN 1 ELSE login_failures.failures + 1 END,
				locked_until = CASE
					WHEN login_failures.locked_until IS NOT NULL AND login_failures.locked_until > ? THEN login_failures.locked_until
					WHEN login_failures.locked_until IS NULL AND login_failures.failures + 1 >= ? THEN ?
					ELSE NULL END,
				updated_at = ?
			RETURNING failures, locked_until`, key, first, now, now, now, max, lock, now).Scan(&n, &until)
	})
	if err != nil {
		return Attempt{}, fmt.Errorf("counting sign-in attempt: %w", translate(err))
	}
	return Attempt{Allowed: n <= max, N: n, LockedUntil: timeOf(until)}, nil
}

// ClearAttempts forgets the count of a name after a success.
func (tx *Tx) ClearAttempts(ctx context.Context, username string) error {
	if _, err := tx.exec(ctx, "DELETE FROM login_failures WHERE username_key = ?", strings.ToLower(strings.TrimSpace(username))); err != nil {
		return fmt.Errorf("clearing sign-in attempts: %w", err)
	}
	return nil
}

// AuditFailedAttempt records a refused or failed attempt: the name typed,
// the user if there is one, and why, with the lock if it began.
func (db *DB) AuditFailedAttempt(ctx context.Context, v domain.Viewer, username string, userID int64, courtPath, reason string, a Attempt) error {
	v.UserID = userID
	detail := reason
	if a.Allowed && a.Locks() {
		detail += fmt.Sprintf("；连续失败%d次，锁定至%s", a.N, a.LockedUntil.In(domain.Beijing).Format("2006-01-02 15:04"))
	}
	return db.AuditAlone(context.WithoutCancel(ctx), v, Entry{Action: "login", ObjectType: "user", ObjectID: username, CourtPath: courtPath, Success: false, Detail: detail})
}

// RecordLogin clears the failure count, stamps the login and audits it;
// method names a second factor passed, if any.
func (tx *Tx) RecordLogin(ctx context.Context, u *domain.User, method string) error {
	now := tx.db.now()
	if err := tx.ClearAttempts(ctx, u.Username); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE users SET last_login_at = ? WHERE id = ?", now, u.ID); err != nil {
		return fmt.Errorf("stamping login: %w", err)
	}
	detail := ""
	if method != "" {
		detail = "第二因素：" + method
	}
	return tx.Audit(ctx, Entry{Action: "login", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true, Detail: detail})
}

// SetDemoPasswords gives the named accounts one password hash: the demo's
// --password applied to a database that already has the demo province.
func (tx *Tx) SetDemoPasswords(ctx context.Context, usernames []string, hash string) error {
	if !tx.v.System {
		return domain.ErrForbidden
	}
	now := tx.db.now()
	for _, u := range usernames {
		if _, err := tx.exec(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE lower(username) = lower(?)", hash, now, now, u); err != nil {
			return fmt.Errorf("setting demo password: %w", err)
		}
	}
	if _, err := tx.exec(ctx, "DELETE FROM sessions"); err != nil {
		return fmt.Errorf("ending sessions: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "demo.password", ObjectType: "user", Success: true, Detail: fmt.Sprintf("演示账户密码已更新（%d个）", len(usernames))})
}

// setMobile seals and stores u's mobile if the form gave one, or clears
// it.
func (tx *Tx) setMobile(ctx context.Context, u *domain.User) error {
	if u.ClearMobile {
		_, err := tx.exec(ctx, "UPDATE users SET phone_sealed = '', phone_index = '' WHERE id = ?", u.ID)
		return err
	}
	if strings.TrimSpace(u.Mobile) == "" {
		return nil
	}
	phone, err := domain.NormalizeMobile(u.Mobile)
	if err != nil {
		return &domain.ValidationError{Fields: domain.FieldErrors{"mobile": "手机号码应为11位中国大陆手机号码"}}
	}
	sealed, err := tx.db.Sealer.Seal(phone)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, "UPDATE users SET phone_sealed = ?, phone_index = ? WHERE id = ?", sealed, tx.db.Sealer.BlindIndex(phone), u.ID)
	return err
}

// UserMobileMasked returns a user's mobile, masked (138****5678), or "",
// for the administrator's form.
func (db *DB) UserMobileMasked(ctx context.Context, v domain.Viewer, id int64) (string, error) {
	if !v.ManagesAccounts() {
		return "", domain.ErrForbidden
	}
	var sealed string
	if err := db.queryRow(ctx, "SELECT phone_sealed FROM users WHERE id = ?", id).Scan(&sealed); err != nil || sealed == "" {
		return "", translate(err)
	}
	phone, err := db.Sealer.Open(sealed)
	if err != nil {
		return "", err
	}
	return domain.MaskMobile(phone), nil
}

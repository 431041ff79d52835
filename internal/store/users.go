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

const userColumns = `u.id, u.username, u.name, u.court_id, c.code, c.name, c.path, u.department_id, d.name,
	u.liaison, u.disabled, u.last_login_at, u.created_at, lf.locked_until`

const userFrom = ` FROM users u JOIN courts c ON c.id = u.court_id JOIN departments d ON d.id = u.department_id
	LEFT JOIN login_failures lf ON lf.username_key = lower(u.username)`

func scanUser(sc interface{ Scan(...any) error }) (*domain.User, error) {
	var u domain.User
	var last, locked sql.NullTime
	if err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.CourtID, &u.CourtCode, &u.CourtName, &u.CourtPath,
		&u.DepartmentID, &u.Department, &u.Liaison, &u.Disabled, &last, &u.CreatedAt, &locked); err != nil {
		return nil, translate(err)
	}
	u.LastLoginAt, u.LockedUntil, u.CreatedAt = timeOf(last), timeOf(locked), u.CreatedAt.UTC()
	return &u, nil
}

// loadRoles fills in the roles of users.
func loadRoles(ctx context.Context, q func(context.Context, string, ...any) (*sql.Rows, error), users ...*domain.User) error {
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
	rows, err := q(ctx, "SELECT user_id, role FROM user_roles WHERE user_id IN ("+strings.Join(ids, ",")+")", args...)
	if err != nil {
		return fmt.Errorf("loading roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r domain.Role
		if err := rows.Scan(&id, &r); err != nil {
			return fmt.Errorf("loading roles: %w", err)
		}
		byID[id].Roles = append(byID[id].Roles, r)
	}
	for _, u := range users {
		u.Roles = domain.SortRoles(u.Roles)
	}
	return translate(rows.Err())
}

// UserByID returns a user the viewer may administer, or the viewer itself.
func (db *DB) UserByID(ctx context.Context, v domain.Viewer, id int64) (*domain.User, error) {
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("loading user %d: %w", id, err)
	}
	if u.ID != v.UserID && !(v.CanAdminister() && strings.HasPrefix(u.CourtPath, v.AdminScope())) {
		return nil, fmt.Errorf("loading user %d: %w", id, domain.ErrNotFound)
	}
	if err := loadRoles(ctx, db.query, u); err != nil {
		return nil, err
	}
	return u, nil
}

// UserForLogin returns the user with the given name and its password hash.
// It is the one read that needs no viewer: the login itself.
func (db *DB) UserForLogin(ctx context.Context, username string) (*domain.User, string, error) {
	row := db.queryRow(ctx, "SELECT "+userColumns+", u.password_hash"+userFrom+" WHERE lower(u.username) = lower(?)", strings.TrimSpace(username))
	var u domain.User
	var last, locked sql.NullTime
	var hash string
	if err := row.Scan(&u.ID, &u.Username, &u.Name, &u.CourtID, &u.CourtCode, &u.CourtName, &u.CourtPath,
		&u.DepartmentID, &u.Department, &u.Liaison, &u.Disabled, &last, &u.CreatedAt, &locked, &hash); err != nil {
		return nil, "", fmt.Errorf("loading user for login: %w", translate(err))
	}
	u.LastLoginAt, u.LockedUntil = timeOf(last), timeOf(locked)
	if err := loadRoles(ctx, db.query, &u); err != nil {
		return nil, "", err
	}
	return &u, hash, nil
}

// UserFilter narrows a user listing.
type UserFilter struct {
	Query string // matches username, name, department or court name
	Limit int
}

// Users lists the users a viewer administers.
func (db *DB) Users(ctx context.Context, v domain.Viewer, f UserFilter) ([]*domain.User, error) {
	if !v.CanAdminister() {
		return nil, domain.Errorf(domain.ErrForbidden, "只有系统管理员可以管理用户。")
	}
	q := "SELECT " + userColumns + userFrom + " WHERE c.path LIKE ? ESCAPE '\\'"
	args := []any{likePrefix(v.AdminScope())}
	if s := strings.TrimSpace(f.Query); s != "" {
		q += " AND (lower(u.username) LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\' OR d.name LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' OR c.code = ?)"
		p := "%" + likeEscape(strings.ToLower(s)) + "%"
		args = append(args, p, p, p, p, s)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	q += " ORDER BY c.path, d.id, u.id LIMIT ?"
	args = append(args, f.Limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}
	defer rows.Close()
	var out []*domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("listing users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return out, loadRoles(ctx, db.query, out...)
}

// CountUsersByCourt returns the number of users per court id.
func (db *DB) CountUsersByCourt(ctx context.Context) (map[int64]int, error) {
	rows, err := db.query(ctx, "SELECT court_id, COUNT(*) FROM users GROUP BY court_id")
	if err != nil {
		return nil, fmt.Errorf("counting users: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, translate(rows.Err())
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

// CreateUser adds an account with an already hashed password.
func (tx *Tx) CreateUser(ctx context.Context, u *domain.User, passwordHash string) error {
	if !tx.v.CanAdminister() {
		return domain.Errorf(domain.ErrForbidden, "只有系统管理员可以新建用户。")
	}
	if err := domain.ValidateUser(u); err != nil {
		return err
	}
	if _, err := tx.resolveUserPlace(ctx, u); err != nil {
		return err
	}
	now := tx.db.now()
	err := tx.queryRow(ctx, `INSERT INTO users (username, name, court_id, department_id, password_hash, liaison, disabled, password_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?) RETURNING id`,
		u.Username, u.Name, u.CourtID, u.DepartmentID, passwordHash, u.Liaison, now, now, now).Scan(&u.ID)
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
	return tx.Audit(ctx, Entry{Action: "user.create", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true,
		Detail: describeUser(u)})
}

func describeUser(u *domain.User) string {
	s := fmt.Sprintf("%s，%s %s，角色：%s", u.Name, u.CourtCode, u.Department, strings.Join(u.RoleLabels(), "、"))
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

// adminUser loads a user the transaction's viewer administers, for a change.
func (tx *Tx) adminUser(ctx context.Context, id int64) (*domain.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("loading user %d: %w", id, err)
	}
	if !tx.v.CanAdminister() || !strings.HasPrefix(u.CourtPath, tx.v.AdminScope()) {
		return nil, fmt.Errorf("loading user %d: %w", id, domain.ErrNotFound)
	}
	if err := loadRoles(ctx, tx.query, u); err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateUser changes a user's name, court, department, roles and liaison
// flag. An administrator cannot take the administrator role from itself,
// so that a court is never left without one by accident.
func (tx *Tx) UpdateUser(ctx context.Context, u *domain.User) error {
	old, err := tx.adminUser(ctx, u.ID)
	if err != nil {
		return err
	}
	u.Username = old.Username
	if err := domain.ValidateUser(u); err != nil {
		return err
	}
	if u.ID == tx.v.UserID && !u.HasRole(domain.RoleAdmin) {
		return &domain.ValidationError{Fields: domain.FieldErrors{"role": "不能取消自己的系统管理员角色"}}
	}
	if _, err := tx.resolveUserPlace(ctx, u); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE users SET name = ?, court_id = ?, department_id = ?, liaison = ?, updated_at = ? WHERE id = ?",
		u.Name, u.CourtID, u.DepartmentID, u.Liaison, tx.db.now(), u.ID); err != nil {
		return fmt.Errorf("updating user: %w", err)
	}
	if err := tx.setRoles(ctx, u.ID, u.Roles); err != nil {
		return err
	}
	if err := tx.setMobile(ctx, u); err != nil {
		return err
	}
	// A change of roles or court changes what the user may see: end the
	// user's sessions so that the next request is decided afresh.
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
		return fmt.Errorf("ending sessions: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "user.update", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true,
		Detail: "原：" + describeUser(old) + "；新：" + describeUser(u)})
}

// SetUserDisabled disables or enables an account. Disabling ends its
// sessions and revokes its API tokens at once.
func (tx *Tx) SetUserDisabled(ctx context.Context, id int64, disabled bool) (*domain.User, error) {
	u, err := tx.adminUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if disabled && u.ID == tx.v.UserID {
		return nil, domain.Errorf(domain.ErrInvalid, "不能停用自己的账户。")
	}
	now := tx.db.now()
	if _, err := tx.exec(ctx, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", disabled, now, id); err != nil {
		return nil, fmt.Errorf("updating user: %w", err)
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
			return nil, fmt.Errorf("ending sessions: %w", err)
		}
		if _, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now, id); err != nil {
			return nil, fmt.Errorf("revoking tokens: %w", err)
		}
	}
	u.Disabled = disabled
	return u, tx.Audit(ctx, Entry{Action: action, ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true})
}

// SetPassword stores a new password hash for a user: the user itself (after
// the caller checked the old password) or an administrator resetting it.
// Other sessions of the user end.
func (tx *Tx) SetPassword(ctx context.Context, id int64, hash string, keepSessionHash string) error {
	var u *domain.User
	var err error
	if id == tx.v.UserID {
		u, err = scanUser(tx.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", id))
	} else {
		u, err = tx.adminUser(ctx, id)
	}
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?", hash, tx.db.now(), tx.db.now(), id); err != nil {
		return fmt.Errorf("setting password: %w", err)
	}
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", id, keepSessionHash); err != nil {
		return fmt.Errorf("ending sessions: %w", err)
	}
	action := "user.password_reset"
	if id == tx.v.UserID {
		action = "user.password_change"
	}
	return tx.Audit(ctx, Entry{Action: action, ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true})
}

// Unlock clears the failed-login count of a user.
func (tx *Tx) Unlock(ctx context.Context, id int64) error {
	u, err := tx.adminUser(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM login_failures WHERE username_key = ?", strings.ToLower(u.Username)); err != nil {
		return fmt.Errorf("unlocking: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "user.unlock", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true})
}

// LoginLock returns until when logins with this name are locked.
func (db *DB) LoginLock(ctx context.Context, username string) (time.Time, error) {
	var until sql.NullTime
	err := db.queryRow(ctx, "SELECT locked_until FROM login_failures WHERE username_key = ?", strings.ToLower(strings.TrimSpace(username))).Scan(&until)
	if err := translate(err); err != nil && !errors.Is(err, domain.ErrNotFound) {
		return time.Time{}, fmt.Errorf("reading login lock: %w", err)
	}
	return timeOf(until), nil
}

// RecordLoginFailure counts a failed login for the name typed, locks it for
// lockFor after maxFailures, and audits the attempt, all in one
// transaction. It returns whether the name is now locked.
func (db *DB) RecordLoginFailure(ctx context.Context, v domain.Viewer, username string, userID int64, courtPath, reason string, maxFailures int, lockFor time.Duration) (bool, error) {
	key := strings.ToLower(strings.TrimSpace(username))
	var locked bool
	err := db.Update(ctx, v, func(tx *Tx) error {
		now := tx.db.now()
		var failures int
		var until sql.NullTime
		err := tx.queryRow(ctx, "SELECT failures, locked_until FROM login_failures WHERE username_key = ?", key).Scan(&failures, &until)
		switch err := translate(err); {
		case errors.Is(err, domain.ErrNotFound):
		case err != nil:
			return fmt.Errorf("reading login failures: %w", err)
		}
		if until.Valid && !now.Before(until.Time) {
			failures = 0 // the lock has run out: count afresh
		}
		failures++
		var lockedUntil any
		if failures >= maxFailures {
			lockedUntil, locked = now.Add(lockFor), true
		}
		_, err = tx.exec(ctx, `INSERT INTO login_failures (username_key, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (username_key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
			key, failures, lockedUntil, now)
		if err != nil {
			return fmt.Errorf("counting login failure: %w", err)
		}
		tx.v.UserID = userID
		detail := reason
		if locked {
			detail += fmt.Sprintf("；连续失败%d次，锁定至%s", failures, now.Add(lockFor).In(domain.Beijing).Format("2006-01-02 15:04"))
		}
		return tx.Audit(ctx, Entry{Action: "login", ObjectType: "user", ObjectID: username, CourtPath: courtPath, Success: false, Detail: detail})
	})
	return locked, err
}

// RecordLogin clears the failure count, stamps the login and audits it.
func (tx *Tx) RecordLogin(ctx context.Context, u *domain.User) error {
	now := tx.db.now()
	if _, err := tx.exec(ctx, "DELETE FROM login_failures WHERE username_key = ?", strings.ToLower(u.Username)); err != nil {
		return fmt.Errorf("clearing login failures: %w", err)
	}
	if _, err := tx.exec(ctx, "UPDATE users SET last_login_at = ? WHERE id = ?", now, u.ID); err != nil {
		return fmt.Errorf("stamping login: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "login", ObjectType: "user", ObjectID: u.Username, CourtPath: u.CourtPath, Success: true})
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
	if !v.CanAdminister() {
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

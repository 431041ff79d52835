package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// Cases follow their staff (issue 17): a case's officer_id is the account
// domain.MatchOfficer picks for the 承办人 named by the case data. It is
// decided again, in the same transaction, whenever what it depends on
// changes: an account created, renamed, moved, disabled or enabled; a
// case imported; an administrator's mapping made or removed. Every
// account a case is linked to is also kept in case_officers, so the
// watchdogs' records stay sealed from it from then on.

// officerMatch is what decides the officer of the cases of one name in
// one court: the enabled accounts of that name and the administrator's
// mappings by the case's department text.
type officerMatch struct {
	accounts []domain.OfficerAccount
	mapped   map[string]int64
}

func (m officerMatch) pick(dept string) int64 {
	return domain.MatchOfficer(m.accounts, dept, m.mapped[dept])
}

func (tx *Tx) officerMatch(ctx context.Context, courtID int64, name string) (officerMatch, error) {
	m := officerMatch{mapped: map[string]int64{}}
	// Prepared once a transaction: an import's batch matches over a
	// thousand names.
	err := each(ctx, tx.prepared(), func(row scanner) error {
		var a domain.OfficerAccount
		if err := row.Scan(&a.UserID, &a.Department); err != nil {
			return err
		}
		m.accounts = append(m.accounts, a)
		return nil
	}, `SELECT u.id, d.name FROM users u JOIN departments d ON d.id = u.department_id
		WHERE u.court_id = ? AND u.name = ? AND NOT u.disabled ORDER BY u.id`, courtID, name)
	if err != nil {
		return m, fmt.Errorf("matching officer: %w", err)
	}
	err = each(ctx, tx.prepared(), func(row scanner) error {
		var dept string
		var id int64
		if err := row.Scan(&dept, &id); err != nil {
			return err
		}
		m.mapped[dept] = id
		return nil
	}, `SELECT l.department, l.user_id FROM officer_links l JOIN users u ON u.id = l.user_id
		WHERE l.court_id = ? AND l.officer = ? AND NOT u.disabled`, courtID, name)
	if err != nil {
		return m, fmt.Errorf("matching officer: %w", err)
	}
	return m, nil
}

// linkOfficers decides again the officer of every case of court courtID
// whose 承办人 is one of names, and records in the audit trail the cases
// it moved. It returns how many it moved.
func (tx *Tx) linkOfficers(ctx context.Context, courtID int64, names ...string) (int, error) {
	moved := 0
	var detail []string
	for _, name := range names {
		if name == "" {
			continue
		}
		m, err := tx.officerMatch(ctx, courtID, name)
		if err != nil {
			return 0, err
		}
		type group struct {
			dept  string
			owner int64
		}
		groups, err := collect(ctx, tx, func(row scanner) (g group, err error) {
			err = row.Scan(&g.dept, &g.owner)
			return g, err
		}, `SELECT DISTINCT department, COALESCE(officer_id, 0) FROM cases WHERE court_id = ? AND officer = ?`, courtID, name)
		if err != nil {
			return 0, fmt.Errorf("linking officer: %w", err)
		}
		n := 0
		for _, g := range groups {
			to := m.pick(g.dept)
			if to == g.owner {
				continue
			}
			res, err := tx.exec(ctx, `UPDATE cases SET officer_id = ? WHERE court_id = ? AND officer = ? AND department = ?
				AND COALESCE(officer_id, 0) = ?`, nullID(to), courtID, name, g.dept, g.owner)
			if err != nil {
				return 0, fmt.Errorf("linking officer: %w", err)
			}
			k, err := res.RowsAffected()
			if err != nil {
				return 0, fmt.Errorf("linking officer: %w", err)
			}
			n += int(k)
		}
		if n == 0 {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO case_officers (case_id, user_id) SELECT id, officer_id FROM cases
			WHERE court_id = ? AND officer = ? AND officer_id IS NOT NULL ON CONFLICT DO NOTHING`, courtID, name); err != nil {
			return 0, fmt.Errorf("recording case officers: %w", err)
		}
		moved += n
		detail = append(detail, fmt.Sprintf("%s %d件", name, n))
	}
	if moved == 0 {
		return 0, nil
	}
	var code, path string
	if err := tx.queryRow(ctx, "SELECT code, path FROM courts WHERE id = ?", courtID).Scan(&code, &path); err != nil {
		return 0, fmt.Errorf("linking officer: %w", translate(err))
	}
	return moved, tx.Audit(ctx, Entry{Action: "case.officer_link", ObjectType: "court", ObjectID: code, CourtPath: path, Success: true,
		Detail: "案件的承办人按姓名重新关联账户：" + strings.Join(detail, "，")})
}

// linkUserCases decides again the cases that name the account's old and
// new name in its old and new court.
func (tx *Tx) linkUserCases(ctx context.Context, old, u *domain.User) error {
	if old != nil && (old.CourtID != u.CourtID || old.Name != u.Name) {
		if _, err := tx.linkOfficers(ctx, old.CourtID, old.Name); err != nil {
			return err
		}
	}
	_, err := tx.linkOfficers(ctx, u.CourtID, u.Name)
	return err
}

// UnmatchedOfficer is an officer name in the case data that no account
// takes, with the number of its cases.
type UnmatchedOfficer struct {
	CourtID    int64
	CourtCode  string
	CourtName  string
	Officer    string
	Department string
	Cases      int
}

// OfficerLink is an administrator's mapping of an officer name to an
// account.
type OfficerLink struct {
	CourtID    int64
	CourtCode  string
	CourtName  string
	Officer    string
	Department string
	UserID     int64
	UserName   string
	Username   string
	CreatedBy  string
}

// UnmatchedOfficers lists, for the system administrator, every officer
// name in the case data of the courts he manages that no account takes,
// and the mappings already made. It shows names and counts, no case. The
// page reads UnmatchedOfficerPage.
func (db *DB) UnmatchedOfficers(ctx context.Context, v domain.Viewer) ([]UnmatchedOfficer, []OfficerLink, error) {
	names, _, links, err := db.UnmatchedOfficerPage(ctx, v, PageReq{All: true})
	return names, links, err
}

// unmatchedFrom groups the cases of the courts under a path (the one
// argument) by the officer names no account takes.
const unmatchedFrom = ` FROM cases k JOIN courts c ON c.id = k.court_id
		WHERE k.officer_id IS NULL AND k.officer <> '' AND c.path LIKE CAST(? AS TEXT) ESCAPE '\'
		GROUP BY c.id, c.code, c.name, c.path, k.officer, k.department`

// UnmatchedOfficerPage is UnmatchedOfficers with the names paged (by
// court, most cases first): a province's first import may leave
// thousands. The mappings made are all read: one per name mapped by hand.
func (db *DB) UnmatchedOfficerPage(ctx context.Context, v domain.Viewer, r PageReq) ([]UnmatchedOfficer, PageInfo, []OfficerLink, error) {
	if !v.CanAdminister() {
		return nil, PageInfo{}, nil, domain.Errorf(domain.ErrForbidden, "只有系统管理员可以关联承办人账户。")
	}
	scope := likePrefix(v.AdminScope())
	var total int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1"+unmatchedFrom+") t", scope).Scan(&total); err != nil {
		return nil, PageInfo{}, nil, fmt.Errorf("counting unmatched officers: %w", translate(err))
	}
	info := r.Clamp(total)
	names, err := collect(ctx, db, func(row scanner) (u UnmatchedOfficer, err error) {
		err = row.Scan(&u.CourtID, &u.CourtCode, &u.CourtName, &u.Officer, &u.Department, &u.Cases)
		return u, err
	}, `SELECT c.id, c.code, c.name, k.officer, k.department, COUNT(*)`+unmatchedFrom+` ORDER BY c.path, COUNT(*) DESC, k.officer, k.department`+
		fmt.Sprintf(" LIMIT %d OFFSET %d", info.Size, (info.Page-1)*info.Size), scope)
	if err != nil {
		return nil, PageInfo{}, nil, fmt.Errorf("listing unmatched officers: %w", err)
	}
	links, err := collect(ctx, db, func(row scanner) (l OfficerLink, err error) {
		err = row.Scan(&l.CourtID, &l.CourtCode, &l.CourtName, &l.Officer, &l.Department, &l.UserID, &l.UserName, &l.Username, &l.CreatedBy)
		return l, err
	}, `SELECT c.id, c.code, c.name, l.officer, l.department, u.id, u.name, u.username, COALESCE(b.name, '')
		FROM officer_links l JOIN courts c ON c.id = l.court_id JOIN users u ON u.id = l.user_id LEFT JOIN users b ON b.id = l.created_by
		WHERE c.path LIKE CAST(? AS TEXT) ESCAPE '\' ORDER BY c.path, l.officer, l.department`, scope)
	if err != nil {
		return nil, PageInfo{}, nil, fmt.Errorf("listing officer links: %w", err)
	}
	return names, info, links, nil
}

// CourtAccount is an account offered for a mapping.
type CourtAccount struct {
	ID                         int64
	Name, Username, Department string
}

// CourtAccounts lists the enabled accounts of the courts the system
// administrator manages, by court id, for the mapping form.
func (db *DB) CourtAccounts(ctx context.Context, v domain.Viewer, courtIDs []int64) (map[int64][]CourtAccount, error) {
	if !v.CanAdminister() {
		return nil, domain.Errorf(domain.ErrForbidden, "只有系统管理员可以关联承办人账户。")
	}
	out := map[int64][]CourtAccount{}
	if len(courtIDs) == 0 {
		return out, nil
	}
	args := []any{likePrefix(v.AdminScope())}
	for _, id := range courtIDs {
		args = append(args, id)
	}
	err := each(ctx, db, func(row scanner) error {
		var court int64
		var a CourtAccount
		if err := row.Scan(&court, &a.ID, &a.Name, &a.Username, &a.Department); err != nil {
			return err
		}
		out[court] = append(out[court], a)
		return nil
	}, `SELECT u.court_id, u.id, u.name, u.username, d.name FROM users u JOIN courts c ON c.id = u.court_id JOIN departments d ON d.id = u.department_id
		WHERE NOT u.disabled AND c.path LIKE CAST(? AS TEXT) ESCAPE '\' AND u.court_id IN (`+placeholders(len(courtIDs))+`) ORDER BY d.id, u.name, u.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing court accounts: %w", err)
	}
	return out, nil
}

// MapOfficer records in a transaction of its own that the officer name
// of the court's cases (of that department text) is account userID.
func (db *DB) MapOfficer(ctx context.Context, v domain.Viewer, courtID int64, officer, department string, userID int64) (int, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int, error) { return tx.MapOfficer(ctx, courtID, officer, department, userID) })
}

// MapOfficer records the system administrator's mapping, replacing an
// earlier one for the same name, links the cases at once and returns how
// many moved. The account must be an enabled account of the cases' court.
func (tx *Tx) MapOfficer(ctx context.Context, courtID int64, officer, department string, userID int64) (int, error) {
	if !tx.v.CanAdminister() {
		return 0, domain.Errorf(domain.ErrForbidden, "只有系统管理员可以关联承办人账户。")
	}
	officer = strings.TrimSpace(officer)
	if officer == "" {
		return 0, domain.Invalid("officer", "请指明承办人姓名")
	}
	if userID == 0 {
		return 0, domain.Invalid("user", "请选择账户")
	}
	var path, code string
	if err := tx.queryRow(ctx, "SELECT path, code FROM courts WHERE id = ?", courtID).Scan(&path, &code); err != nil {
		return 0, fmt.Errorf("mapping officer: %w", translate(err))
	}
	if !strings.HasPrefix(path, tx.v.AdminScope()) {
		return 0, fmt.Errorf("mapping officer: %w", domain.ErrNotFound)
	}
	u, err := tx.loadUser(ctx, userID)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && (u.CourtID != courtID || u.Disabled)) {
		return 0, domain.Invalid("user", "只能关联到该法院在用的账户")
	} else if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, "DELETE FROM officer_links WHERE court_id = ? AND officer = ? AND department = ?", courtID, officer, department); err != nil {
		return 0, fmt.Errorf("mapping officer: %w", err)
	}
	if _, err := tx.exec(ctx, "INSERT INTO officer_links (court_id, officer, department, user_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		courtID, officer, department, userID, nullID(tx.v.UserID), tx.db.now()); err != nil {
		return 0, fmt.Errorf("mapping officer: %w", err)
	}
	if err := tx.Audit(ctx, Entry{Action: "officer.map", ObjectType: "court", ObjectID: code, CourtPath: path, Success: true,
		Detail: fmt.Sprintf("案件数据中的承办人“%s”（%s）关联至账户 %s（%s）", officer, deptOrNone(department), u.Name, u.Username)}); err != nil {
		return 0, err
	}
	return tx.linkOfficers(ctx, courtID, officer)
}

// UnmapOfficer removes a mapping in a transaction of its own; the cases
// go back to matching by name.
func (db *DB) UnmapOfficer(ctx context.Context, v domain.Viewer, courtID int64, officer, department string) error {
	return db.Update(ctx, v, func(tx *Tx) error {
		if !tx.v.CanAdminister() {
			return domain.Errorf(domain.ErrForbidden, "只有系统管理员可以关联承办人账户。")
		}
		var path, code string
		if err := tx.queryRow(ctx, "SELECT path, code FROM courts WHERE id = ?", courtID).Scan(&path, &code); err != nil {
			return fmt.Errorf("unmapping officer: %w", translate(err))
		}
		if !strings.HasPrefix(path, tx.v.AdminScope()) {
			return fmt.Errorf("unmapping officer: %w", domain.ErrNotFound)
		}
		res, err := tx.exec(ctx, "DELETE FROM officer_links WHERE court_id = ? AND officer = ? AND department = ?", courtID, officer, department)
		if err != nil {
			return fmt.Errorf("unmapping officer: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("unmapping officer: %w", domain.ErrNotFound)
		}
		if err := tx.Audit(ctx, Entry{Action: "officer.unmap", ObjectType: "court", ObjectID: code, CourtPath: path, Success: true,
			Detail: fmt.Sprintf("取消案件数据中的承办人“%s”（%s）的人工关联", officer, deptOrNone(department))}); err != nil {
			return err
		}
		_, err = tx.linkOfficers(ctx, courtID, officer)
		return err
	})
}

func deptOrNone(d string) string {
	if d == "" {
		return "未写部门"
	}
	return d
}

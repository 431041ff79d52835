package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/courts"
	"github.com/zhilian/zhilian/internal/domain"
)

const courtColumns = "c.id, c.code, c.name, COALESCE(p.code, ''), c.level, c.path, c.divisions"

func scanCourt(sc interface{ Scan(...any) error }) (*domain.Court, error) {
	var c domain.Court
	var div string
	if err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.ParentCode, &c.Level, &c.Path, &div); err != nil {
		return nil, translate(err)
	}
	c.Divisions = domain.ParseDivisions(div)
	return &c, nil
}

// CourtByCode returns the court with the given code. Courts are public
// directory data: any signed-in viewer may look one up.
func (db *DB) CourtByCode(ctx context.Context, code string) (*domain.Court, error) {
	return courtByCode(ctx, db, code)
}

// courtByCode is CourtByCode read through q.
func courtByCode(ctx context.Context, q querier, code string) (*domain.Court, error) {
	c, err := scanCourt(q.queryRow(ctx, "SELECT "+courtColumns+" FROM courts c LEFT JOIN courts p ON p.id = c.parent_id WHERE c.code = ?", code))
	if err != nil {
		return nil, fmt.Errorf("loading court %s: %w", code, err)
	}
	return c, nil
}

// Courts returns the courts in the viewer's administrative scope (all of
// them for the system), in tree order.
func (db *DB) Courts(ctx context.Context, v domain.Viewer) ([]*domain.Court, error) {
	return db.CourtsUnder(ctx, v.AdminScope())
}

// CourtsUnder returns the courts whose path starts with prefix ("/鲁/鲁01/"
// gives 鲁01 and its basic courts), in tree order. The directory is public
// within the system; callers choose the prefix from the viewer's scope.
func (db *DB) CourtsUnder(ctx context.Context, prefix string) ([]*domain.Court, error) {
	return db.courtCache.under(ctx, db, prefix)
}

// allCourts reads the whole directory, in tree order.
func (db *DB) allCourts(ctx context.Context) ([]*domain.Court, error) {
	out, err := collect(ctx, db, scanCourt, "SELECT "+courtColumns+" FROM courts c LEFT JOIN courts p ON p.id = c.parent_id ORDER BY c.path")
	if err != nil {
		return nil, fmt.Errorf("listing courts: %w", err)
	}
	return out, nil
}

// CourtCount returns how many courts the directory holds.
func (db *DB) CourtCount(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM courts").Scan(&n)
	return n, translate(err)
}

// ImportResult counts what an import did.
type ImportResult struct{ Added, Updated, Unchanged int }

// LoadCourtDirectory adds the built-in Shandong court directory's courts
// that are missing (an administrator's corrections of existing ones stay).
func (db *DB) LoadCourtDirectory(ctx context.Context) error {
	list, err := courts.Shandong()
	if err != nil {
		return err
	}
	err = db.Update(ctx, domain.SystemViewer("migrate"), func(tx *Tx) error {
		_, err := tx.UpsertCourts(ctx, list, false)
		return err
	})
	if err != nil {
		return fmt.Errorf("loading court directory: %w", err)
	}
	return nil
}

// UpsertCourts loads a directory: courts are added parents first (the input
// may be in any order); with overwrite, existing courts take the new name,
// parent and divisions, otherwise they are left as an administrator may
// have corrected them. An administrator may name only his court and the
// courts below it, as in UpdateCourt: a file with any other row is refused
// whole. All or nothing.
func (tx *Tx) UpsertCourts(ctx context.Context, courts []domain.Court, overwrite bool) (ImportResult, error) {
	var res ImportResult
	if !tx.v.CanAdminister() {
		return res, domain.Errorf(domain.ErrForbidden, "只有系统管理员可以导入法院目录。")
	}
	byCode := make(map[string]*domain.Court, len(courts))
	for i := range courts {
		c := &courts[i]
		if err := domain.ValidateCourt(c); err != nil {
			return res, fmt.Errorf("court %s: %w", c.Code, err)
		}
		if _, dup := byCode[c.Code]; dup {
			return res, domain.Invalid("code", "法院代码重复："+c.Code)
		}
		byCode[c.Code] = c
	}
	done := map[string]bool{}
	var visit func(c *domain.Court, depth int) error
	visit = func(c *domain.Court, depth int) error {
		if done[c.Code] {
			return nil
		}
		if depth > 8 {
			return domain.Invalid("parent", "法院上下级关系存在循环："+c.Code)
		}
		if p, ok := byCode[c.ParentCode]; ok {
			if err := visit(p, depth+1); err != nil {
				return err
			}
		}
		done[c.Code] = true
		r, err := tx.upsertCourt(ctx, c, overwrite)
		switch r {
		case 'a':
			res.Added++
		case 'u':
			res.Updated++
		case '=':
			res.Unchanged++
		}
		return err
	}
	for i := range courts {
		if err := visit(&courts[i], 0); err != nil {
			return res, err
		}
	}
	if res.Added+res.Updated > 0 {
		err := tx.Audit(ctx, Entry{Action: "court.import", ObjectType: "court", Success: true,
			Detail: fmt.Sprintf("新增%d，更新%d，未变%d", res.Added, res.Updated, res.Unchanged)})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func (tx *Tx) upsertCourt(ctx context.Context, c *domain.Court, overwrite bool) (byte, error) {
	var parentID sql.NullInt64
	parentPath := "/"
	if c.ParentCode != "" {
		var pid int64
		if err := tx.queryRow(ctx, "SELECT id, path FROM courts WHERE code = ?", c.ParentCode).Scan(&pid, &parentPath); err != nil {
			if errors.Is(translate(err), domain.ErrNotFound) {
				return 0, domain.Invalid("parent", fmt.Sprintf("法院%s的上级法院%s不存在", c.Code, c.ParentCode))
			}
			return 0, fmt.Errorf("loading parent court: %w", translate(err))
		}
		parentID = sql.NullInt64{Int64: pid, Valid: true}
	}
	path := parentPath + c.Code + "/"
	divs := strings.Join(c.Divisions, ";")
	old, err := scanCourt(tx.queryRow(ctx, "SELECT "+courtColumns+" FROM courts c LEFT JOIN courts p ON p.id = c.parent_id WHERE c.code = ?", c.Code))
	// Scope, row by row: where the court is now and where the file would
	// put it must both be the administrator's court or below.
	scope := tx.v.AdminScope()
	if !strings.HasPrefix(path, scope) || (err == nil && !strings.HasPrefix(old.Path, scope)) {
		return 0, domain.Errorf(domain.ErrForbidden, "文件中的法院%s不在您管理的范围内（本院及下级法院），整个文件未导入。", c.Code)
	}
	now := tx.db.now()
	switch {
	case errors.Is(err, domain.ErrNotFound):
		tx.courtsChanged()
		_, err := tx.exec(ctx, "INSERT INTO courts (code, name, parent_id, level, path, divisions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			c.Code, c.Name, parentID, c.Level, path, divs, now, now)
		if err != nil {
			return 0, fmt.Errorf("adding court %s: %w", c.Code, err)
		}
		return 'a', nil
	case err != nil:
		return 0, fmt.Errorf("loading court %s: %w", c.Code, err)
	}
	if !overwrite || (old.Name == c.Name && old.ParentCode == c.ParentCode && old.Level == c.Level && strings.Join(old.Divisions, ";") == divs) {
		return '=', nil
	}
	if old.Path != path {
		return 0, domain.Invalid("parent", "不能通过导入改变已有法院的上级法院："+c.Code)
	}
	tx.courtsChanged()
	if _, err := tx.exec(ctx, "UPDATE courts SET name = ?, level = ?, divisions = ?, updated_at = ? WHERE id = ?", c.Name, c.Level, divs, now, old.ID); err != nil {
		return 0, fmt.Errorf("updating court %s: %w", c.Code, err)
	}
	return 'u', nil
}

// UpdateCourt lets an administrator correct a court's name and
// jurisdiction.
func (tx *Tx) UpdateCourt(ctx context.Context, code, name string, divisions []string) error {
	c, err := scanCourt(tx.queryRow(ctx, "SELECT "+courtColumns+" FROM courts c LEFT JOIN courts p ON p.id = c.parent_id WHERE c.code = ?", code))
	if err != nil {
		return fmt.Errorf("loading court %s: %w", code, err)
	}
	if !tx.v.CanAdminister() || !strings.HasPrefix(c.Path, tx.v.AdminScope()) {
		return domain.Errorf(domain.ErrForbidden, "您无权修改该法院。")
	}
	before := c.Name + " " + strings.Join(c.Divisions, ";")
	c.Name, c.Divisions = name, divisions
	if err := domain.ValidateCourt(c); err != nil {
		return err
	}
	tx.courtsChanged()
	if _, err := tx.exec(ctx, "UPDATE courts SET name = ?, divisions = ?, updated_at = ? WHERE id = ?", c.Name, strings.Join(c.Divisions, ";"), tx.db.now(), c.ID); err != nil {
		return fmt.Errorf("updating court %s: %w", code, err)
	}
	return tx.Audit(ctx, Entry{Action: "court.update", ObjectType: "court", ObjectID: code, CourtPath: c.Path, Success: true,
		Detail: "原：" + before + "；新：" + c.Name + " " + strings.Join(c.Divisions, ";")})
}

// Departments returns the departments of a court.
func (db *DB) Departments(ctx context.Context, courtID int64) ([]*domain.Department, error) {
	out, err := collect(ctx, db, func(row scanner) (*domain.Department, error) {
		var d domain.Department
		err := row.Scan(&d.ID, &d.CourtID, &d.CourtCode, &d.Name, &d.Kind)
		return &d, err
	}, "SELECT d.id, d.court_id, c.code, d.name, d.kind FROM departments d JOIN courts c ON c.id = d.court_id WHERE d.court_id = ? ORDER BY d.id", courtID)
	if err != nil {
		return nil, fmt.Errorf("listing departments: %w", err)
	}
	return out, nil
}

// EnsureDepartment returns the id of the named department of the court,
// adding it with kind if it does not exist yet.
func (tx *Tx) EnsureDepartment(ctx context.Context, court *domain.Court, name string, kind domain.DepartmentKind) (int64, bool, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 64 {
		return 0, false, domain.Invalid("department", "部门名称不能为空，且不超过64个字")
	}
	if !kind.Valid() {
		return 0, false, domain.Invalid("kind", "部门类别无效")
	}
	if !tx.v.ManagesAccounts() || !strings.HasPrefix(court.Path, tx.v.AdminScope()) {
		return 0, false, domain.Errorf(domain.ErrForbidden, "您无权管理该法院的部门。")
	}
	var id int64
	err := tx.queryRow(ctx, "SELECT id FROM departments WHERE court_id = ? AND name = ?", court.ID, name).Scan(&id)
	if err == nil {
		return id, false, nil
	}
	// Departments are the system administrator's to add; the security
	// administrator only names an existing one on an account.
	if !tx.v.CanAdminister() {
		return 0, false, domain.Invalid("department", "部门不存在："+name+"（新增部门由系统管理员在法院管理中办理）")
	}
	if !errors.Is(translate(err), domain.ErrNotFound) {
		return 0, false, fmt.Errorf("loading department: %w", translate(err))
	}
	if err := tx.queryRow(ctx, "INSERT INTO departments (court_id, name, kind) VALUES (?, ?, ?) RETURNING id", court.ID, name, kind).Scan(&id); err != nil {
		return 0, false, fmt.Errorf("adding department: %w", translate(err))
	}
	err = tx.Audit(ctx, Entry{Action: "department.add", ObjectType: "department", ObjectID: fmt.Sprint(id), CourtPath: court.Path, Success: true, Detail: name + "（" + kind.Label() + "）"})
	return id, true, err
}

// courtNamed reads the court a form names by its code, tx's viewer's own
// when the code is empty; an unknown code is refused beside the court
// field.
func (tx *Tx) courtNamed(ctx context.Context, code string) (*domain.Court, error) {
	if code == "" {
		code = tx.v.CourtCode
	}
	c, err := courtByCode(ctx, tx, code)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, domain.Invalid("court", "法院不存在")
	}
	return c, err
}

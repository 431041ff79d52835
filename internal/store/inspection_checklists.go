package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
)

// ChecklistVersion is one stored version of a checklist template.
type ChecklistVersion struct {
	ID      int64
	Key     string
	Version int
	inspection.Checklist
	By string
}

// ensureChecklists stores the shipped checklists as version 1 of their
// templates the first time any is needed.
func (tx *Tx) ensureChecklists(ctx context.Context) error {
	var n int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM inspection_checklists").Scan(&n); err != nil {
		return translate(err)
	}
	if n > 0 {
		return nil
	}
	for _, c := range inspection.Defaults() {
		if _, err := tx.insertChecklist(ctx, "default-"+string(c.Theme), 1, nil, "系统", c); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) insertChecklist(ctx context.Context, key string, version int, court any, by string, c inspection.Checklist) (int64, error) {
	var id int64
	if err := tx.queryRow(ctx, `INSERT INTO inspection_checklists (template_key, version, theme, name, court_id, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, key, version, c.Theme, c.Name, court, by, tx.db.now()).Scan(&id); err != nil {
		return 0, fmt.Errorf("storing a checklist: %w", translate(err))
	}
	for i, it := range c.Items {
		if _, err := tx.exec(ctx, "INSERT INTO inspection_checklist_items (checklist_id, seq, title, points, deduction, basis) VALUES (?, ?, ?, ?, ?, ?)",
			id, i+1, it.Title, it.Points, it.Deduction, it.Basis); err != nil {
			return 0, fmt.Errorf("storing a checklist item: %w", err)
		}
	}
	return id, nil
}

// currentChecklist returns the id of the latest version of the latest
// template of theme (0 for a theme without one, such as 其他 before the
// group writes it).
func (tx *Tx) currentChecklist(ctx context.Context, theme inspection.Theme) (int64, error) {
	if err := tx.ensureChecklists(ctx); err != nil {
		return 0, err
	}
	var id int64
	err := tx.queryRow(ctx, "SELECT id FROM inspection_checklists WHERE theme = ? ORDER BY created_at DESC, id DESC LIMIT 1", theme).Scan(&id)
	if errors.Is(translate(err), domain.ErrNotFound) {
		return 0, nil
	}
	return id, translate(err)
}

func checklistByID(ctx context.Context, q querier, id int64) (*ChecklistVersion, error) {
	var c ChecklistVersion
	if err := q.queryRow(ctx, "SELECT id, template_key, version, theme, name, created_by FROM inspection_checklists WHERE id = ?", id).
		Scan(&c.ID, &c.Key, &c.Version, &c.Theme, &c.Name, &c.By); err != nil {
		return nil, fmt.Errorf("loading checklist %d: %w", id, translate(err))
	}
	var err error
	c.Items, err = collect(ctx, q, func(row scanner) (it inspection.Item, err error) {
		err = row.Scan(&it.Title, &it.Points, &it.Deduction, &it.Basis)
		return it, err
	}, "SELECT title, points, deduction, basis FROM inspection_checklist_items WHERE checklist_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, fmt.Errorf("loading checklist items: %w", err)
	}
	return &c, nil
}

// InspectionChecklist returns the checklist version campaign id froze.
func (db *DB) InspectionChecklist(ctx context.Context, v domain.Viewer, id int64) (*ChecklistVersion, error) {
	in, err := inspectionRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	if in.ChecklistID == 0 {
		return nil, fmt.Errorf("inspection %d has no checklist: %w", id, domain.ErrNotFound)
	}
	return checklistByID(ctx, db, in.ChecklistID)
}

// Checklists lists the latest version of every template, for the group to
// choose and edit; v must be of one of the three bodies.
func (db *DB) Checklists(ctx context.Context, v domain.Viewer) ([]*ChecklistVersion, error) {
	if !v.System && !inspection.CanCreate(v) {
		return nil, domain.Errorf(domain.ErrForbidden, "只有执行局、纪检监察组、监察室可以查看评查表。")
	}
	if err := db.Update(ctx, domain.SystemViewer("checklists"), func(tx *Tx) error { return tx.ensureChecklists(ctx) }); err != nil {
		return nil, err
	}
	ids, err := collect(ctx, db, scanID, `SELECT k.id FROM inspection_checklists k WHERE k.version = (SELECT MAX(version) FROM inspection_checklists o
		WHERE o.template_key = k.template_key) ORDER BY k.theme, k.id`)
	if err != nil {
		return nil, fmt.Errorf("listing checklists: %w", err)
	}
	out := make([]*ChecklistVersion, 0, len(ids))
	for _, id := range ids {
		c, err := checklistByID(ctx, db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// EditChecklist stores an edit of campaign id's checklist in a transaction
// of its own.
func (db *DB) EditChecklist(ctx context.Context, v domain.Viewer, id int64, c inspection.Checklist) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.EditChecklist(ctx, id, c) })
}

// EditChecklist has a member of campaign id's group, in 筹备
// (inspection.CanEdit), store c as the next version of the template the
// campaign uses and freeze that version for the campaign; campaigns that
// froze an earlier version keep it. Audited.
func (tx *Tx) EditChecklist(ctx context.Context, id int64, c inspection.Checklist) (int64, error) {
	in, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return 0, err
	}
	if !inspection.CanEdit(tx.v, in.Access()) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有工作组成员可以在筹备阶段修改评查表。")
	}
	c.Theme = in.Theme
	if err := c.Validate(); err != nil {
		return 0, err
	}
	key, version := fmt.Sprintf("campaign-%d", id), 1
	if in.ChecklistID != 0 {
		cur, err := checklistByID(ctx, tx, in.ChecklistID)
		if err != nil {
			return 0, err
		}
		key = cur.Key
		if err := tx.queryRow(ctx, "SELECT MAX(version) + 1 FROM inspection_checklists WHERE template_key = ?", key).Scan(&version); err != nil {
			return 0, translate(err)
		}
	}
	cid, err := tx.insertChecklist(ctx, key, version, in.CourtID, actorName(tx.v), c)
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, "UPDATE inspection_campaigns SET checklist_id = ?, updated_at = ? WHERE id = ?", cid, tx.db.now(), id); err != nil {
		return 0, fmt.Errorf("freezing a checklist: %w", err)
	}
	return cid, tx.Audit(ctx, Entry{Action: "inspection.checklist", ObjectType: "inspection", ObjectID: fmt.Sprint(id), CourtPath: in.OrganiserPath, Success: true,
		Detail: fmt.Sprintf("评查表“%s”第%d版，%d项，共%d分", c.Name, version, len(c.Items), c.Total())})
}

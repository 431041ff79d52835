package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

// rectItemCond is the condition that item rx (of rectification r) is
// open (not accepted, not overdue) or overdue on today, as the cockpit's
// 督察整改未完成 and 督察整改逾期 count items; for a rectification with no
// items yet, the rectification itself by its deadline, as one item.
func rectItemCond(state tracking.RecState, today domain.Date) (item, bare string, args, bareArgs []any) {
	t := today.String()
	const itemOverdue = "rx.state <> 'closed' AND rx.deadline <> '' AND rx.deadline < ?"
	const bareOverdue = "r.deadline <> '' AND r.deadline < ?"
	if state == tracking.RecOverdue {
		return itemOverdue, bareOverdue, []any{t}, []any{t}
	}
	return "rx.state <> 'closed' AND NOT (" + itemOverdue + ")", "NOT (" + bareOverdue + ")", []any{t}, []any{t}
}

// rectItemsWhere is the condition that rectification r has an item (or,
// with none, is itself) in state on today.
func rectItemsWhere(state tracking.RecState, today domain.Date) (string, []any) {
	item, bare, args, bargs := rectItemCond(state, today)
	const items = "SELECT 1 FROM rectification_items rx WHERE rx.rectification_id = r.id"
	return "(EXISTS (" + items + " AND " + item + ") OR (NOT EXISTS (" + items + ") AND " + bare + "))", append(args, bargs...)
}

// RectItemCount counts the items in f.Items of the rectifications v may
// see that f finds, a rectification with no items counting as one: the
// cockpit's 督察整改未完成 and 督察整改逾期, as the list shows them.
func (db *DB) RectItemCount(ctx context.Context, v domain.Viewer, f RectFilter) (int, error) {
	where, args, err := db.rectWhere(ctx, v, f)
	if err != nil {
		return 0, err
	}
	item, bare, iargs, bargs := rectItemCond(f.Items, db.today())
	var n, m int
	cond := strings.Join(where, " AND ")
	err = db.queryRow(ctx, "SELECT COUNT(DISTINCT rx.id)"+rectFrom+" JOIN rectification_items rx ON rx.rectification_id = r.id WHERE "+cond+" AND "+item,
		append(append([]any{}, args...), iargs...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting rectification items: %w", translate(err))
	}
	err = db.queryRow(ctx, "SELECT COUNT(DISTINCT r.id)"+rectFrom+" WHERE "+cond+" AND NOT EXISTS (SELECT 1 FROM rectification_items rx WHERE rx.rectification_id = r.id) AND "+bare,
		append(append([]any{}, args...), bargs...)...).Scan(&m)
	if err != nil {
		return 0, fmt.Errorf("counting rectifications without items: %w", translate(err))
	}
	return n + m, nil
}

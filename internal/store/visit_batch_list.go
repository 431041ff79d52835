package store

import (
	"context"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// BatchSorts are the orders of the list of draws.
var BatchSorts = Sorts{Keys: map[string][]string{
	"month": {"b.month", "-c.path", "-b.seq"},
	"court": {"c.path", "b.month", "b.seq"},
	"drawn": {"b.drawn_at"},
}, Default: "month", DefaultDesc: true, Tie: "b.id"}

// BatchFilter narrows the list of draws.
type BatchFilter struct {
	// Month is "2026-10" or "" for every month.
	Month string
	// CourtPath narrows the list to a court and the courts below it; From
	// and To ("2026-04", either may be "") to the months from and to;
	// Kind to visit.BatchDaily or visit.BatchSupplement. The cockpit's
	// 按时抽取率 drills down with all three (the daily draws it counts).
	CourtPath, From, To, Kind string
	Page                      PageReq
}

// BatchList is one page of the draws of the courts the viewer may see,
// newest month first.
func (db *DB) BatchList(ctx context.Context, v domain.Viewer, f BatchFilter) ([]*Batch, PageInfo, error) {
	if !visit.CanSee(v) {
		return nil, PageInfo{}, domain.Errorf(domain.ErrForbidden, "您的角色无权查看回访抽取记录。")
	}
	prefix, exact := v.ScopePrefix()
	cond, args := "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'", []any{likePrefix(prefix)}
	if exact {
		cond, args = "c.path = ?", []any{prefix}
	}
	if f.Month != "" {
		cond += " AND b.month = ?"
		args = append(args, f.Month)
	}
	if f.CourtPath != "" {
		cond += " AND c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"
		args = append(args, likePrefix(f.CourtPath))
	}
	if f.From != "" {
		cond += " AND b.month >= ?"
		args = append(args, f.From)
	}
	if f.To != "" {
		cond += " AND b.month <= ?"
		args = append(args, f.To)
	}
	if f.Kind != "" {
		cond += " AND b.kind = ?"
		args = append(args, f.Kind)
	}
	return listPage(ctx, db, scanBatch, batchColumns, " FROM visit_batches b JOIN courts c ON c.id = b.court_id", cond, args, f.Page, BatchSorts, "batches")
}

package store

import (
	"context"

	"github.com/zhilian/zhilian/internal/domain"
)

// AccountRequestSorts are the orders of a list of reset requests.
var AccountRequestSorts = Sorts{Keys: map[string][]string{
	"requested": {"a.requested_at"},
	"user":      {"u.username"},
}, Default: "requested", DefaultDesc: true, Tie: "a.id"}

// AccountRequestPage is one page of the reset requests of the accounts a
// system or security administrator manages: the pending ones only, or all
// (of one user if userID is not 0), newest first.
func (db *DB) AccountRequestPage(ctx context.Context, v domain.Viewer, pending bool, userID int64, r PageReq) ([]*AccountRequest, PageInfo, error) {
	if !v.ManagesAccounts() {
		return nil, PageInfo{}, domain.Errorf(domain.ErrForbidden, "只有系统管理员、安全管理员可以查看重置申请。")
	}
	cond, args := "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'", []any{likePrefix(v.AdminScope())}
	if pending {
		cond += " AND a.status = 'pending'"
	}
	if userID != 0 {
		cond += " AND a.user_id = ?"
		args = append(args, userID)
	}
	return listPage(ctx, db, scanRequest, requestColumns, requestFrom, cond, args, r, AccountRequestSorts, "reset requests")
}

package store

import (
	"context"

	"github.com/zhilian/zhilian/internal/domain"
)

// TokenSorts are the orders of the administrators' token list.
var TokenSorts = Sorts{Keys: map[string][]string{
	"created": {"t.created_at"},
	"user":    {"u.username"},
	"used":    {"COALESCE(t.last_used_at, t.created_at)"},
}, Default: "created", DefaultDesc: true, Tie: "t.id"}

// APITokenPage is one page of the tokens of the accounts a system or
// security administrator manages (of one user if username is given).
func (db *DB) APITokenPage(ctx context.Context, v domain.Viewer, username string, r PageReq) ([]*APIToken, PageInfo, error) {
	if !v.ManagesAccounts() {
		return nil, PageInfo{}, domain.Errorf(domain.ErrForbidden, "只有系统管理员、安全管理员可以管理接口令牌。")
	}
	cond, args := "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'", []any{likePrefix(v.AdminScope())}
	if username != "" {
		cond += " AND lower(u.username) = lower(?)"
		args = append(args, username)
	}
	return listPage(ctx, db, scanToken, tokenColumns, tokenFrom, cond, args, r, TokenSorts, "tokens")
}

// OwnAPITokens is one page of the viewer's own tokens, newest first: a
// watchdog signs a token of a few hours whenever one is needed, so the
// expired ones pile up.
func (db *DB) OwnAPITokens(ctx context.Context, v domain.Viewer, r PageReq) ([]*APIToken, PageInfo, error) {
	return listPage(ctx, db, scanToken, tokenColumns, tokenFrom, "t.user_id = ?", []any{v.UserID}, r, TokenSorts, "own tokens")
}

package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// The oversight registers — complaints, clues, dispositions,
// rectifications — are read alike: a viewer reaches the rows of some
// courts (his subtree, his own court) or some rows of his own, less the
// rows that concern him; the system sees all. registerScope builds that
// condition once; registerRow reads one row through it, listPage (paging.go)
// a page.

// reach is one way a viewer reaches rows: a condition and its arguments.
type reach struct {
	cond string
	args []any
}

// inSubtree reaches the rows whose court (the column col, a court id) is
// the court at v's path or one below it.
func inSubtree(col string, v domain.Viewer) reach {
	return reach{col + ` IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\')`, []any{likePrefix(v.CourtPath)}}
}

// registerScope is the condition that limits a register's rows to those v
// may see: all for the system; none — refused with refusal — unless sees
// and some reach is given; else the rows any reach reaches, less those
// each of hide finds, a condition whose every ? is v's user id.
func registerScope(v domain.Viewer, sees bool, refusal string, reaches []reach, hide ...string) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	if !sees || len(reaches) == 0 {
		return "", nil, domain.Errorf(domain.ErrForbidden, "%s", refusal)
	}
	var conds []string
	var args []any
	for _, r := range reaches {
		conds, args = append(conds, r.cond), append(args, r.args...)
	}
	cond := "(" + strings.Join(conds, " OR ") + ")"
	for _, h := range hide {
		cond += "\n\t\tAND " + h
		for range strings.Count(h, "?") {
			args = append(args, v.UserID)
		}
	}
	return cond, args, nil
}

// registerRow reads the one row that sel (SELECT … FROM … of a register)
// finds by idCol = id within scope; what names it in errors.
func registerRow[T any](ctx context.Context, q querier, scan func(scanner) (T, error), sel, idCol string, id int64, scope string, args []any, what string) (T, error) {
	t, err := scan(q.queryRow(ctx, sel+" WHERE "+idCol+" = ? AND "+scope, append([]any{id}, args...)...))
	if err != nil {
		return t, fmt.Errorf("loading %s %d: %w", what, id, err)
	}
	return t, nil
}

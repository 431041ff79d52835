package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Every list in the system is read the same way: count the rows the
// viewer's scope and the filters find, clamp the page asked for to the
// pages there are, and read that page in a whitelisted order that ends in a
// unique column, so that no row is shown twice or never while paging. A
// list is never cut short without its count saying so.

// PageReq asks for one page of a list.
type PageReq struct {
	// Page counts from 1; a page past the last is the last.
	Page int
	// Size is rows per page: DefaultPageSize if 0 or less, at most
	// MaxPageSize.
	Size int
	// Sort is a key of the list's Sorts; another key, or "", is its default.
	Sort string
	// Desc reverses the key's order.
	Desc bool
	// All reads every row as one page: for the program's own reads (the
	// demo, an export of what a list's filters find), never a page shown.
	All bool
}

// PageInfo says what a page holds: the rows found in all, the page served
// (clamped) and the order it was served in.
type PageInfo struct {
	Total, Page, Size, Pages int
	Sort                     string
	Desc                     bool
	// Capped says Total stopped at a bound (the case list's CountCap):
	// there are more rows than Total, and the pages end at the bound.
	Capped bool
}

const (
	// DefaultPageSize is the rows of a page when none is asked for.
	DefaultPageSize = 50
	// MaxPageSize bounds any page, so that no request reads a whole table.
	MaxPageSize = 1000
)

// Sorts is the whitelist of the orders of one list.
type Sorts struct {
	// Keys maps a sort key to the SQL terms it orders by, ascending; a
	// term written "-expr" runs against the key's direction.
	Keys map[string][]string
	// Default is the key used when none (or an unknown one) is asked for,
	// descending if DefaultDesc.
	Default     string
	DefaultDesc bool
	// Tie is the unique column that ends every order, in the key's
	// direction.
	Tie string
}

// Has reports whether key is one of the list's sort keys.
func (s Sorts) Has(key string) bool {
	_, ok := s.Keys[key]
	return ok
}

// order is the ORDER BY text for r, and the key and direction used.
func (s Sorts) order(r PageReq) (string, string, bool) {
	key, desc := r.Sort, r.Desc
	if !s.Has(key) {
		key, desc = s.Default, s.DefaultDesc
	}
	terms := append([]string(nil), s.Keys[key]...)
	if s.Tie != "" {
		terms = append(terms, s.Tie)
	}
	for i, t := range terms {
		d := desc
		if rest, ok := strings.CutPrefix(t, "-"); ok {
			t, d = rest, !d
		}
		if d {
			terms[i] = t + " DESC"
		} else {
			terms[i] = t + " ASC"
		}
	}
	return strings.Join(terms, ", "), key, desc
}

// Clamp bounds r's size and its page for a list of total rows.
func (r PageReq) Clamp(total int) PageInfo {
	size := r.Size
	if r.All {
		size = max(total, 1)
	} else if size <= 0 {
		size = DefaultPageSize
	}
	if !r.All {
		size = min(size, MaxPageSize)
	}
	pages := max(1, (total+size-1)/size)
	page := min(max(r.Page, 1), pages)
	return PageInfo{Total: total, Page: page, Size: size, Pages: pages, Sort: r.Sort, Desc: r.Desc}
}

// listPage counts the rows of from that cond finds and reads the page r
// asks for, in an order from sorts; what names the rows in errors. cond
// holds the viewer's scope: the count and the page see the same rows.
func listPage[T any](ctx context.Context, q querier, scan func(scanner) (T, error), columns, from, cond string, args []any, r PageReq, sorts Sorts, what string) ([]T, PageInfo, error) {
	var total int
	if err := q.queryRow(ctx, "SELECT COUNT(*)"+from+" WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, PageInfo{}, fmt.Errorf("counting %s: %w", what, translate(err))
	}
	info := r.Clamp(total)
	order, key, desc := sorts.order(r)
	info.Sort, info.Desc = key, desc
	if total == 0 {
		return nil, info, nil
	}
	out, err := collect(ctx, q, scan, "SELECT "+columns+from+" WHERE "+cond+" ORDER BY "+order+
		" LIMIT "+strconv.Itoa(info.Size)+" OFFSET "+strconv.Itoa((info.Page-1)*info.Size), args...)
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("listing %s: %w", what, err)
	}
	return out, info, nil
}

package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/zhilian/zhilian/internal/store"
)

// A list page is read from its query string the same way everywhere:
// page, size, sort and order beside the page's own filters. listing holds
// both, asks the store for that page (Req) and, once told what it holds
// (Done), draws the pager and the sort headers (_pager.html) with links
// that keep every filter.

// pageSizes are the sizes a list offers; another size is the nearest bound.
var pageSizes = []int{20, 50, 100, 200}

// listing is one list page's request and, after Done, its result.
type listing struct {
	path  string
	query url.Values
	sorts store.Sorts
	// prefix begins the names of page, size, sort and order: a page with
	// two lists gives the second its own (newListingAs).
	prefix string
	Req    store.PageReq
	Info   store.PageInfo
}

// newListing reads page, size, sort and order from r; a sort key outside
// sorts is dropped, a size is bounded to pageSizes' range.
func newListing(r *http.Request, sorts store.Sorts) *listing {
	return newListingAs(r, sorts, "")
}

// newListingAs is newListing for a list whose page, size, sort and order
// are named with prefix ("cpage", "csort" …), so that a second list on a
// page pages apart from the first; the filters stay shared.
func newListingAs(r *http.Request, sorts store.Sorts, prefix string) *listing {
	q := r.URL.Query()
	l := &listing{path: r.URL.Path, query: q, sorts: sorts, prefix: prefix}
	l.Req.Page, _ = strconv.Atoi(q.Get(prefix + "page"))
	if n, err := strconv.Atoi(q.Get(prefix + "size")); err == nil && n > 0 {
		l.Req.Size = min(max(n, pageSizes[0]), pageSizes[len(pageSizes)-1])
	}
	if k := q.Get(prefix + "sort"); sorts.Has(k) {
		l.Req.Sort, l.Req.Desc = k, q.Get(prefix+"order") == "desc"
	} else {
		// Links carry only what was taken.
		q.Del(prefix + "sort")
		q.Del(prefix + "order")
	}
	if l.Req.Size != 0 {
		q.Set(prefix+"size", strconv.Itoa(l.Req.Size))
	} else {
		q.Del(prefix + "size")
	}
	return l
}

// own names one of this list's own parameters (page, size, sort, order).
func (l *listing) own(key string) string { return l.prefix + key }

// Done records what the store served.
func (l *listing) Done(info store.PageInfo) { l.Info = info }

// done records what the store served and returns l, for a page's data.
func (l *listing) done(info store.PageInfo) *listing {
	l.Info = info
	return l
}

// link is this list's address with some parameters changed ("" removes
// one); every other filter stays.
func (l *listing) link(kv ...string) string {
	q := url.Values{}
	for k, v := range l.query {
		q[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return l.path
	}
	return l.path + "?" + q.Encode()
}

// Filter is the address of this list with one filter set (value "" for
// none), back at its first page.
func (l *listing) Filter(key, value string) string { return l.link(key, value, l.own("page"), "") }

// Active reports whether the filter key is value now.
func (l *listing) Active(key, value string) bool { return l.query.Get(key) == value }

// pageLink is one link of the pager.
type pageLink struct {
	Label, Href, Rel string
	Current, Gap     bool
}

// Pages are the pager's links: first, previous, a window of numbers
// around the current page, next, last.
func (l *listing) Pages() []pageLink {
	p, n := l.Info.Page, l.Info.Pages
	at := func(i int) string { return l.link(l.own("page"), strconv.Itoa(i)) }
	var out []pageLink
	if p > 1 {
		out = append(out, pageLink{Label: "« 首页", Href: at(1)}, pageLink{Label: "‹ 上一页", Href: at(p - 1), Rel: "prev"})
	}
	lo, hi := max(1, p-3), min(n, p+3)
	if lo > 1 {
		out = append(out, pageLink{Label: "1", Href: at(1)})
		if lo > 2 {
			out = append(out, pageLink{Label: "…", Gap: true})
		}
	}
	for i := lo; i <= hi; i++ {
		out = append(out, pageLink{Label: strconv.Itoa(i), Href: at(i), Current: i == p})
	}
	if hi < n {
		if hi < n-1 {
			out = append(out, pageLink{Label: "…", Gap: true})
		}
		out = append(out, pageLink{Label: strconv.Itoa(n), Href: at(n)})
	}
	if p < n {
		out = append(out, pageLink{Label: "下一页 ›", Href: at(p + 1), Rel: "next"}, pageLink{Label: "末页 »", Href: at(n)})
	}
	return out
}

// sizeLink is one choice of page size.
type sizeLink struct {
	Size    int
	Href    string
	Current bool
}

// Sizes are the page sizes offered, the current one marked.
func (l *listing) Sizes() []sizeLink {
	out := make([]sizeLink, len(pageSizes))
	for i, n := range pageSizes {
		out[i] = sizeLink{Size: n, Href: l.link(l.own("size"), strconv.Itoa(n), l.own("page"), ""), Current: n == l.Info.Size}
	}
	return out
}

// First and Last are the rows' numbers on this page, counting from 1.
func (l *listing) First() int {
	if l.Info.Total == 0 {
		return 0
	}
	return (l.Info.Page-1)*l.Info.Size + 1
}

// Last is the number of the page's last row.
func (l *listing) Last() int { return min(l.Info.Page*l.Info.Size, l.Info.Total) }

// sortHead is a sortable column heading.
type sortHead struct {
	Label, Href string
	// Order is the column's aria-sort: ascending, descending or none.
	Order string
}

// Col is the heading of the column sorted by key: a link that sorts by
// it, or reverses it if it is the order now.
func (l *listing) Col(key, label string) sortHead {
	h := sortHead{Label: label, Order: "none"}
	desc := false
	if l.Info.Sort == key {
		h.Order = "ascending"
		if l.Info.Desc {
			h.Order = "descending"
		}
		desc = !l.Info.Desc
	}
	order := ""
	if desc {
		order = "desc"
	}
	h.Href = l.link(l.own("sort"), key, l.own("order"), order, l.own("page"), "")
	return h
}

// chip is one filter link, marked when it is the filter now.
type chip struct {
	Label, Href string
	Current     bool
}

// Chip is the link that sets filter key to value ("" for all), marked
// aria-current when it is the filter in force.
func (l *listing) Chip(key, value, label string) chip {
	return chip{Label: label, Href: l.Filter(key, value), Current: l.Active(key, value)}
}

// manyCourts reports whether the rows are of more than one court: a 法院
// column that would repeat one court on every row is left out.
func manyCourts[T any](rows []T, court func(T) string) bool {
	for _, r := range rows {
		if court(r) != court(rows[0]) {
			return true
		}
	}
	return false
}

package store_test

import (
	"slices"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func TestPageReqClamp(t *testing.T) {
	for _, c := range []struct {
		name              string
		req               store.PageReq
		total             int
		page, size, pages int
	}{
		{"defaults", store.PageReq{}, 120, 1, store.DefaultPageSize, 3},
		{"empty list has one page", store.PageReq{Page: 4}, 0, 1, store.DefaultPageSize, 1},
		{"past the end is the last page", store.PageReq{Page: 99, Size: 20}, 41, 3, 20, 3},
		{"below the first is the first", store.PageReq{Page: -3, Size: 20}, 41, 1, 20, 3},
		{"size bounded", store.PageReq{Size: 1 << 30}, 5000, 1, store.MaxPageSize, 5},
		{"exact multiple", store.PageReq{Page: 2, Size: 20}, 40, 2, 20, 2},
		{"all in one page", store.PageReq{All: true, Page: 3}, 5000, 1, 5000, 1},
	} {
		got := c.req.Clamp(c.total)
		if got.Page != c.page || got.Size != c.size || got.Pages != c.pages || got.Total != c.total {
			t.Errorf("%s: %+v, want page %d size %d pages %d", c.name, got, c.page, c.size, c.pages)
		}
	}
}

// TestListPage reads the user list, the first list on listPage, page by
// page in each order: every row once, in order, the count right, a page
// past the end clamped to the last, an unknown key the default order.
func TestListPage(t *testing.T) {
	db := testdb.Open(t)
	names := []string{"pg.c", "pg.a", "pg.e", "pg.b", "pg.g", "pg.d", "pg.f"}
	for _, n := range names {
		testdb.AddUser(t, db, n, "鲁0102", "执行一庭", domain.RoleOfficer)
	}
	sys := domain.SystemViewer("test")
	read := func(req store.PageReq) ([]string, store.PageInfo) {
		t.Helper()
		us, info, err := db.Users(ctx, sys, store.UserFilter{Query: "pg.", Page: req})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out, info
	}
	sorted := slices.Sorted(slices.Values(names))
	for _, desc := range []bool{false, true} {
		want := slices.Clone(sorted)
		if desc {
			slices.Reverse(want)
		}
		var got []string
		for p := 1; p <= 3; p++ {
			rows, info := read(store.PageReq{Page: p, Size: 3, Sort: "username", Desc: desc})
			if info.Total != 7 || info.Pages != 3 || info.Page != p || info.Sort != "username" || info.Desc != desc {
				t.Fatalf("page %d: %+v", p, info)
			}
			got = append(got, rows...)
		}
		if !slices.Equal(got, want) {
			t.Errorf("desc=%v: paged %v, want %v", desc, got, want)
		}
	}
	rows, info := read(store.PageReq{Page: 40, Size: 3, Sort: "username"})
	if info.Page != 3 || !slices.Equal(rows, []string{"pg.g"}) {
		t.Errorf("page past the end: %v %+v", rows, info)
	}
	// The default order (court, department) ties on every row: the unique
	// key keeps the pages disjoint and in creation order.
	var got []string
	for p := 1; p <= 4; p++ {
		rows, info := read(store.PageReq{Page: p, Size: 2, Sort: "no such key; DROP TABLE users"})
		if info.Sort != "court" || info.Pages != 4 {
			t.Fatalf("unknown key: %+v", info)
		}
		got = append(got, rows...)
	}
	if !slices.Equal(got, names) {
		t.Errorf("default order paged %v, want %v", got, names)
	}
	// Sorting by name (all alike here) stays stable across pages too.
	got = nil
	for p := 1; p <= 2; p++ {
		rows, _ := read(store.PageReq{Page: p, Size: 4, Sort: "name", Desc: true})
		got = append(got, rows...)
	}
	if len(got) != 7 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 7 {
		t.Errorf("tied sort paged %v", got)
	}
	if rows, info := read(store.PageReq{All: true}); len(rows) != 7 || info.Pages != 1 {
		t.Errorf("all: %d rows %+v", len(rows), info)
	}
}

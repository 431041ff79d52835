package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestCourtCacheFollowsEdits: the court directory is kept in memory, but
// an edit shows on the next read once committed, one rolled back never
// does, and a caller changing what it got does not change the directory.
func TestCourtCacheFollowsEdits(t *testing.T) {
	db := testdb.Open(t)
	name := func() string {
		cs, err := db.CourtsUnder(ctx, "/鲁/鲁01/")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Code == "鲁0102" {
				return c.Name
			}
		}
		t.Fatal("鲁0102 not under 鲁01")
		return ""
	}
	if got := name(); got != "济南市历下区人民法院" {
		t.Fatalf("before: %s", got)
	}
	cs, _ := db.CourtsUnder(ctx, "/鲁/")
	cs[0].Name = "changed by a caller"
	if again, _ := db.CourtsUnder(ctx, "/鲁/"); again[0].Name == "changed by a caller" || len(again) != len(cs) {
		t.Fatalf("a caller's change reached the cache: %+v", again[0])
	}
	// The court filter is kept with the directory: asked twice, built
	// once; after the edit below, built again.
	builds := 0
	build := func(names []store.CourtName) string {
		builds++
		var b strings.Builder
		for _, n := range names {
			b.WriteString(n.Code + " " + n.Name + "\n")
		}
		return b.String()
	}
	before, err := db.CourtFilter(ctx, "/鲁/鲁01/", build)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := db.CourtFilter(ctx, "/鲁/鲁01/", build); again != before || builds != 1 {
		t.Fatalf("the filter was not kept: built %d times", builds)
	}
	admin := domain.SystemViewer("admin")
	boom := errors.New("roll back")
	err = db.Update(ctx, admin, func(tx *store.Tx) error {
		if err := tx.UpdateCourt(ctx, "鲁0102", "历下区法院（未提交）", []string{"370102"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if got := name(); got != "济南市历下区人民法院" {
		t.Fatalf("after a rollback: %s", got)
	}
	if err := db.Update(ctx, admin, func(tx *store.Tx) error {
		return tx.UpdateCourt(ctx, "鲁0102", "济南市历下区人民法院（改）", []string{"370102"})
	}); err != nil {
		t.Fatal(err)
	}
	if got := name(); got != "济南市历下区人民法院（改）" {
		t.Fatalf("after an edit: %s", got)
	}
	// The filter comes from the same directory: the edit, every court
	// under the prefix, in the same order.
	filter, err := db.CourtFilter(ctx, "/鲁/鲁01/", build)
	if err != nil {
		t.Fatal(err)
	}
	if builds != 2 {
		t.Fatalf("the filter was built %d times, want again after the edit", builds)
	}
	full, _ := db.CourtsUnder(ctx, "/鲁/鲁01/")
	var want strings.Builder
	for _, c := range full {
		want.WriteString(c.Code + " " + c.Name + "\n")
	}
	if len(full) < 2 || filter != want.String() || !strings.Contains(filter, "鲁0102 济南市历下区人民法院（改）\n") {
		t.Fatalf("filter after an edit:\n%s\nwant:\n%s", filter, want.String())
	}

	// Another process's change (here written past the store, so that
	// nothing drops the cache) shows once the directory's TTL has passed,
	// in the filter as in the directory: the filter goes with the list it
	// was made of.
	testdb.Exec(t, db, "UPDATE courts SET name = '济南市历下区人民法院（他处改）' WHERE code = '鲁0102'")
	if again, _ := db.CourtFilter(ctx, "/鲁/鲁01/", build); again != filter || builds != 2 {
		t.Fatalf("the filter changed within the TTL: built %d times", builds)
	}
	ttl := store.CourtCacheTTL
	store.CourtCacheTTL = 0
	defer func() { store.CourtCacheTTL = ttl }()
	if again, _ := db.CourtFilter(ctx, "/鲁/鲁01/", build); !strings.Contains(again, "鲁0102 济南市历下区人民法院（他处改）\n") || builds != 3 {
		t.Fatalf("after the TTL, built %d times:\n%s", builds, again)
	}
	if n, err := db.CourtCount(ctx); err != nil || n < 150 {
		t.Fatal(n, err)
	}
}

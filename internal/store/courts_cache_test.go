package store_test

import (
	"errors"
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
	// The filters' names are kept with the directory: asked twice, the
	// same answer; after the edit below, a new one.
	before, err := db.CourtNamesUnder(ctx, "/鲁/鲁01/")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := db.CourtNamesUnder(ctx, "/鲁/鲁01/"); len(again) == 0 || &again[0] != &before[0] {
		t.Fatal("the names were not kept")
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
	// The filters' names come from the same directory: the edit, every
	// court under the prefix, in the same order.
	names, err := db.CourtNamesUnder(ctx, "/鲁/鲁01/")
	if err != nil {
		t.Fatal(err)
	}
	full, _ := db.CourtsUnder(ctx, "/鲁/鲁01/")
	if len(names) != len(full) || len(names) < 2 {
		t.Fatalf("%d names, %d courts", len(names), len(full))
	}
	for i, n := range names {
		if n.Code != full[i].Code || n.Name != full[i].Name {
			t.Fatalf("name %d: %+v, court %s %s", i, n, full[i].Code, full[i].Name)
		}
		if n.Code == "鲁0102" && n.Name != "济南市历下区人民法院（改）" {
			t.Fatalf("names after an edit: %s", n.Name)
		}
	}
	if n, err := db.CourtCount(ctx); err != nil || n < 150 {
		t.Fatal(n, err)
	}
}

package store_test

import (
	"path/filepath"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
)

// All the process's SQLite connections cache their pages in one slab
// (issue 19): reading 60 MB through a connection allowed a 100 MB cache
// fills the slab and then recycles its pages, taking next to none from
// the heap. (Whatever engine the suite runs on: the slab is SQLite's.)
func TestPageSlabBoundsTheCaches(t *testing.T) {
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "slab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := db.WriteDB()
	for _, q := range []string{
		"PRAGMA cache_size = -102400",
		"CREATE TABLE t (b BLOB)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 15000) INSERT INTO t SELECT randomblob(4000) FROM n",
	} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	for range 2 {
		var n int64
		if err := w.QueryRowContext(ctx, "SELECT sum(length(b)) FROM t").Scan(&n); err != nil || n != 60_000_000 {
			t.Fatal(n, err)
		}
	}
	used, maxUsed, overflow, _ := store.PageSlab()
	t.Logf("slab: %d of %d pages in use (at most %d), %d bytes of pages outside it", used, store.SlabPages, maxUsed, overflow)
	if used < store.SlabPages/2 || maxUsed > store.SlabPages || overflow > 1<<20 {
		t.Fatalf("slab: %d of %d pages in use (at most %d), %d bytes of pages outside it", used, store.SlabPages, maxUsed, overflow)
	}
}

package store_test

import (
	"testing"

	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestSQLiteWriterCacheOnlyForImports: the SQLite writer keeps an
// import's 48 MiB page cache only while a load holds PrepareBulk; before
// and after it keeps 16 MiB, so that a server's daily jobs cannot grow it
// to an import's size (issue 19: RSS ≤ 200 MB serving). Both are shares of
// the process's page slab (TestPageSlabBoundsTheCaches).
func TestSQLiteWriterCacheOnlyForImports(t *testing.T) {
	db := testdb.Open(t)
	if db.Engine != store.SQLite {
		// Nothing to set on PostgreSQL; the calls still succeed.
		release, err := db.PrepareBulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		release()
		if err := db.ReleaseMemory(ctx); err != nil {
			t.Fatal(err)
		}
		return
	}
	pragmas := func(when string, cache int64) {
		t.Helper()
		var c int64
		if err := db.WriteDB().QueryRowContext(ctx, "PRAGMA cache_size").Scan(&c); err != nil {
			t.Fatal(err)
		}
		if c != cache {
			t.Errorf("%s: cache_size %d; want %d", when, c, cache)
		}
	}
	pragmas("opened", -16384)
	release, err := db.PrepareBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pragmas("during a load", -49152)
	release()
	pragmas("after the load", -16384)
	if err := db.ReleaseMemory(ctx); err != nil {
		t.Fatal(err)
	}
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestStmtCache: statements are prepared once and reused, the cache stays
// within its bound, and a statement evicted while in use is closed only
// when its last user is done.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	pool, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	pool.SetMaxOpenConns(4)
	var c stmtCache
	defer c.close()

	run := func(q string, arg int) int {
		t.Helper()
		cs, err := c.get(ctx, pool, q)
		if err != nil {
			t.Fatal(err)
		}
		defer c.release(cs)
		var n int
		if err := cs.st.QueryRowContext(ctx, arg).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	first, _ := c.get(ctx, pool, "SELECT ? + 0")
	if again, _ := c.get(ctx, pool, "SELECT ? + 0"); again != first {
		t.Error("the same statement was prepared twice")
	}
	c.release(first)
	// first is still in use once; push it out of the cache.
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= stmtCacheSize+50; i++ {
				if got := run(fmt.Sprintf("SELECT ? + %d", i), g); got != g+i {
					t.Errorf("SELECT %d + %d = %d", g, i, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if c.lru.Len() != stmtCacheSize || len(c.m) != stmtCacheSize {
		t.Errorf("cache holds %d (%d keys), want %d", c.lru.Len(), len(c.m), stmtCacheSize)
	}
	if !first.evicted {
		t.Fatal("the oldest statement was not evicted")
	}
	var n int
	if err := first.st.QueryRowContext(ctx, 7).Scan(&n); err != nil || n != 7 {
		t.Errorf("an evicted statement still in use: %d, %v", n, err)
	}
	c.release(first)
	if err := first.st.QueryRowContext(ctx, 7).Scan(&n); err == nil {
		t.Error("an evicted statement is still open after its last use")
	}
}

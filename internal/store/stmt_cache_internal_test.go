package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestStmtCache: the SQLite read pool's statements are prepared once and
// then reused, see rows written after they were prepared, stay within
// stmtCacheSize however many texts are asked, and answer rightly after
// being pushed out.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.write.ExecContext(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.queryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const q = "SELECT COUNT(*) FROM t WHERE v = ?"
	if n := count(q, "a"); n != 0 {
		t.Fatalf("empty table: %d", n)
	}
	first := db.stmts.m[q]
	if first == nil {
		t.Fatal("the statement was not kept prepared")
	}
	if _, err := db.write.ExecContext(ctx, "INSERT INTO t (v) VALUES ('a'), ('a'), ('b')"); err != nil {
		t.Fatal(err)
	}
	if n := count(q, "a"); n != 2 {
		t.Fatalf("after the insert: %d rows of a, want 2", n)
	}
	if db.stmts.m[q] != first {
		t.Fatal("the statement was prepared again")
	}
	for i := range stmtCacheSize + 50 {
		rows, err := db.query(ctx, fmt.Sprintf("SELECT id FROM t WHERE v = ? AND id > %d", i), "a")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if want := max(0, 2-i); n != want {
			t.Fatalf("query %d: %d rows, want %d", i, n, want)
		}
	}
	if len(db.stmts.m) > stmtCacheSize {
		t.Fatalf("%d statements kept, more than %d", len(db.stmts.m), stmtCacheSize)
	}
	if n := count(q, "b"); n != 1 {
		t.Fatalf("after the cache turned over: %d rows of b, want 1", n)
	}
	if _, err := db.query(ctx, "SELECT nothing FROM nowhere"); err == nil {
		t.Fatal("a wrong statement ran")
	}
	if db.stmts.m["SELECT nothing FROM nowhere"] != nil {
		t.Fatal("a wrong statement was kept")
	}
}

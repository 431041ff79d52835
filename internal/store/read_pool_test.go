package store_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
)

// TestSQLiteReadersStayOpen: the four SQLite readers a busy server uses at
// once are all kept when they are given back, not closed past two and
// opened again for the next request (each opening parsed the schema and
// prepared the statements anew). Both passes run it on a SQLite file.
func TestSQLiteReadersStayOpen(t *testing.T) {
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "readers.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pool := db.BenchReadDB()
	var conns []*sql.Conn
	for range 4 {
		c, err := pool.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Close()
	}
	if st := pool.Stats(); st.Idle != 4 || st.MaxIdleClosed != 0 {
		t.Errorf("after four readers: %d idle, %d closed past the idle limit", st.Idle, st.MaxIdleClosed)
	}
}

// TestNoBareLikeParameter: no court-path condition says "LIKE ?" with a
// bare parameter, which makes SQLite plan a cached statement again at
// every binding; they say LIKE CAST(? AS TEXT).
func TestNoBareLikeParameter(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// And no "+?": PostgreSQL reads it as a double precision and scans
	// the table.
	bare := regexp.MustCompile(`path (NOT )?LIKE \? |= \+\?`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if bare.MatchString(line) {
				t.Errorf("%s:%d: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

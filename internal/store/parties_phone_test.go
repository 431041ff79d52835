package store_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestPartiesPhoneIndexGone (issue 19): migration 00068 drops the index
// of parties' blind phone indexes, which no query reads, also when a
// first import killed with -9 left it among its deferred indexes: the
// next start builds what is left (restoreLeftIndexes), the migration
// drops it, and nothing is left to build.
func TestPartiesPhoneIndexGone(t *testing.T) {
	db := testdb.Open(t)
	has := func() bool {
		t.Helper()
		q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'parties_phone'"
		if db.Engine == store.Postgres {
			q = "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'parties_phone'"
		}
		var n int
		if err := db.WriteDB().QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	if has() {
		t.Fatal("a migrated database has parties_phone")
	}
	if err := db.MigrateDownTo(ctx, 67); err != nil {
		t.Fatal(err)
	}
	if !has() {
		t.Fatal("undoing migration 00068 did not make parties_phone again")
	}
	// What a load killed before building its indexes leaves.
	for _, q := range []string{
		"DROP INDEX parties_phone",
		"INSERT INTO deferred_indexes (name, kind, definition) VALUES ('parties_phone', 'index', 'CREATE INDEX parties_phone ON parties (phone_index)')",
	} {
		if _, err := db.WriteDB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM deferred_indexes").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if has() || left != 0 {
		t.Errorf("after the next start parties_phone is there: %v, %d deferred indexes left; want gone, none", has(), left)
	}
}

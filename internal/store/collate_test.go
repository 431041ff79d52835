package store_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestCaseIndexesCompareBytes (issue 19, migration 00069): every index
// over a text column of the case tables compares bytes, on PostgreSQL
// COLLATE "C" whatever the cluster's locale (under C.UTF-8 each
// comparison of a first import's index builds was a strcoll), on SQLite
// BINARY — so that both engines, and clusters made with any locale,
// sort the pages alike. Undoing the migration gives the columns the
// database's collation again, and redoing it bytes.
func TestCaseIndexesCompareBytes(t *testing.T) {
	db := testdb.Open(t)
	// Each index column over text on the three tables, with its collation.
	q := `SELECT i.indexrelid::regclass::text || '.' || a.attname, COALESCE(co.collname, '')
		FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
		CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indcollation::oid[]) AS k(attnum, coll)
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		LEFT JOIN pg_collation co ON co.oid = k.coll
		WHERE t.relnamespace = current_schema()::regnamespace AND t.relname IN ('cases', 'parties', 'party_names')
			AND a.atttypid = 'text'::regtype ORDER BY 1`
	if db.Engine == store.SQLite {
		q = `SELECT il.name || '.' || x.name, x.coll FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_xinfo(il.name) x
			WHERE m.type = 'table' AND m.name IN ('cases', 'parties', 'party_names') AND x.key AND x.cid >= 0
				AND (SELECT type FROM pragma_table_info(m.name) c WHERE c.cid = x.cid) = 'TEXT' ORDER BY 1`
	}
	want := map[store.Engine]string{store.Postgres: "C", store.SQLite: "BINARY"}[db.Engine]
	collations := func() map[string]string {
		t.Helper()
		rows, err := db.WriteDB().QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string]string{}
		for rows.Next() {
			var col, coll string
			if err := rows.Scan(&col, &coll); err != nil {
				t.Fatal(err)
			}
			got[col] = coll
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := collations()
	// Some of the indexes a first import builds last.
	for _, col := range []string{"parties_name.name", "cases_officer_name.officer", "cases_filed.filed_on", "cases_closed.closed_on"} {
		if _, ok := got[col]; !ok {
			t.Errorf("no index column %s among %v", col, got)
		}
	}
	for col, coll := range got {
		if coll != want {
			t.Errorf("index column %s collates by %q, want %q", col, coll, want)
		}
	}
	if db.Engine != store.Postgres {
		return
	}
	if err := db.MigrateDownTo(ctx, 68); err != nil {
		t.Fatal(err)
	}
	if coll := collations()["parties_name.name"]; coll != "default" {
		t.Errorf("after undoing 00069 parties_name.name collates by %q, want the database's (default)", coll)
	}
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if coll := collations()["parties_name.name"]; coll != "C" {
		t.Errorf("after migrating again parties_name.name collates by %q, want C", coll)
	}
}

// TestTextColumnsCompareBytes (migration 00070): on PostgreSQL every text
// column of the schema but the queue's and goose's compares bytes
// (COLLATE "C"), so that a cluster made with a Chinese locale sorts and
// compares them as SQLite does rather than by pinyin. A migration that
// adds a text column writes `TEXT COLLATE "C"` (TestMigrationTreesAgree
// reads it as SQLite's TEXT). SQLite's columns are BINARY unless they say
// otherwise, and none does.
func TestTextColumnsCompareBytes(t *testing.T) {
	db := testdb.Open(t)
	if db.Engine != store.Postgres {
		var n int
		err := db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema WHERE sql LIKE '%COLLATE%'").Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d SQLite tables or indexes name a collation, want none", n)
		}
		return
	}
	cols := testdb.Strings(t, db, `SELECT c.relname || '.' || a.attname || ' ' || co.collname
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_collation co ON co.oid = a.attcollation
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
			AND c.relname NOT LIKE 'river\_%' AND c.relname <> 'goose_db_version'
			AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'text'::regtype ORDER BY 1`)
	if len(cols) < 100 {
		t.Fatalf("only %d text columns: %v", len(cols), cols)
	}
	for _, c := range cols {
		if !strings.HasSuffix(c, " C") {
			t.Errorf("text column %s, want C", c)
		}
	}
	// Undone, the columns 00070 changed take the database's collation
	// again and 00069's keep theirs; migrated again, bytes.
	coll := func(table, column string) string {
		t.Helper()
		got := testdb.Strings(t, db, `SELECT co.collname FROM pg_attribute a JOIN pg_collation co ON co.oid = a.attcollation
			WHERE a.attrelid = CAST(? AS TEXT)::regclass AND a.attname = ?`, table, column)
		if len(got) != 1 {
			t.Fatalf("%s.%s: %v", table, column, got)
		}
		return got[0]
	}
	if err := db.MigrateDownTo(ctx, 69); err != nil {
		t.Fatal(err)
	}
	if got := coll("departments", "name"); got != "default" {
		t.Errorf("after undoing 00070 departments.name collates by %q, want default", got)
	}
	if got := coll("parties", "name"); got != "C" {
		t.Errorf("after undoing 00070 parties.name collates by %q, want 00069's C", got)
	}
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if got := coll("departments", "name"); got != "C" {
		t.Errorf("after migrating again departments.name collates by %q, want C", got)
	}
}

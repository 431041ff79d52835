package store_test

import (
	"io"
	"log/slog"
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

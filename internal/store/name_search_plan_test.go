package store_test

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestNameSearchUsesTrigramIndex (issues 17 and 19): a party searched by
// a part of its name, in the case list (its count and its page) and in
// the global search, is read through the engine's trigram index
// (on SQLite party_names_fts over the distinct names, migration 00066;
// on PostgreSQL party_names_trgm over them, migration 00065; then their
// parties from parties_name), not by testing LIKE on every party. The statements are those
// the store runs, caught as it runs them, and explained with their
// arguments; on PostgreSQL the planner is kept from the sequential and
// plain index scans a table this small would invite, so that what it
// has left to serve LIKE '%…%' is the trigram index or nothing.
func TestNameSearchUsesTrigramIndex(t *testing.T) {
	db := testdb.Open(t)
	nameSearchUsesTrigramIndex(t, db)
	if db.Engine == store.Postgres {
		// The names holding the text as a set (IN), as for a text in
		// more than DefaultManyNames names, rather than as an array.
		db.ManyNames = 1
		nameSearchUsesTrigramIndex(t, db)
	}
}

func nameSearchUsesTrigramIndex(t *testing.T, db *store.DB) {
	t.Helper()
	sys := domain.SystemViewer("test")
	var ks []*domain.Case
	for i, name := range []string{"王小明", "小明商贸有限公司", "济南小明商贸有限公司", "大华商行"} {
		k := testCase(t, fmt.Sprintf("（2026）鲁0102执%d号", i+1), "2026-01-05")
		k.Parties[0].Name = name
		ks = append(ks, k)
	}
	upsert(t, db, sys, ks...)

	const q = "明商贸"
	var mu sync.Mutex
	type stmt struct {
		q    string
		args []any
	}
	var seen []stmt
	db.BenchTrace(func(s string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		for _, a := range args {
			if a == "%"+q+"%" && strings.Contains(s, "parties") {
				seen = append(seen, stmt{s, args})
				return
			}
		}
	})
	p, err := db.Cases(ctx, sys, store.CaseFilter{Query: q, Page: 1, Limit: 20})
	if err != nil || p.Total != 2 {
		t.Fatalf("case list: %+v, %v", p, err)
	}
	res, err := db.Search(ctx, sys, q, nil)
	db.BenchTrace(nil)
	if err != nil || len(res.Parties) != 2 {
		t.Fatalf("global search: %+v, %v", res, err)
	}
	// The case list's look-up of its cases' ids (count and page read
	// them by id), the search's own through the case list, and its
	// parties inside names.
	if len(seen) < 3 {
		t.Fatalf("%d statements looked for a name part: %v", len(seen), seen)
	}
	if db.Engine == store.Postgres {
		form := "ANY(ARRAY(SELECT name FROM party_names"
		if db.ManyNames == 1 {
			form = "IN (SELECT name FROM party_names"
		}
		for _, s := range seen {
			if !strings.Contains(s.q, form) {
				t.Errorf("the names not read as %s…: %s", form, s.q)
			}
		}
	}

	conn, err := db.WriteDB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	explain, indexes := "EXPLAIN QUERY PLAN ", []string{"party_names_fts", "INDEX parties_name ("}
	if db.Engine == store.Postgres {
		explain, indexes = "EXPLAIN ", []string{"party_names_trgm"}
		for _, set := range []string{"SET enable_seqscan = off", "SET enable_indexscan = off"} {
			if _, err := conn.ExecContext(ctx, set); err != nil {
				t.Fatal(err)
			}
		}
		defer conn.ExecContext(ctx, "RESET ALL") //nolint:errcheck // the connection is closed next
	}
	for _, s := range seen {
		text := explainPlan(t, conn, explain+s.q, s.args)
		for _, index := range indexes {
			if !strings.Contains(text, index) {
				t.Errorf("not through %s:\n%s\n%s", index, s.q, text)
			}
		}
	}
}

// explainPlan returns the plan the engine prints for q, a line a row.
func explainPlan(t *testing.T, conn *sql.Conn, q string, args []any) string {
	t.Helper()
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		t.Fatalf("explaining %s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var plan []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
	}
	return strings.Join(plan, "\n")
}

// TestCasePageReadsByIndex: every statement the case page runs for its
// case, parties, ledger, acts and patrol findings reads parties, findings
// and cases by index on both engines — a parameter written "+?" for
// SQLite's sake made PostgreSQL compare case_id as a double precision and
// read every party and finding (the case page at 1,000,000 cases: 4.2 s).
func TestCasePageReadsByIndex(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	upsert(t, db, sys, testCase(t, "（2026）鲁0102执1号", "2026-01-05"))
	page, err := db.Cases(ctx, sys, store.CaseFilter{Page: 1, Limit: 1})
	if err != nil || len(page.Cases) != 1 {
		t.Fatalf("cases: %+v %v", page, err)
	}
	type stmt struct {
		q    string
		args []any
	}
	var mu sync.Mutex
	var seen []stmt
	db.BenchTrace(func(q string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, stmt{q, args})
	})
	k, _, err := db.CaseWithLedger(ctx, sys, page.Cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ActsOfCase(ctx, k); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindingsOfCase(ctx, sys, k); err != nil {
		t.Fatal(err)
	}
	db.BenchTrace(nil)
	conn, err := db.WriteDB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	explain, scans := "EXPLAIN QUERY PLAN ", []string{"SCAN parties", "SCAN patrol_findings", "SCAN k", "SCAN cases"}
	if db.Engine == store.Postgres {
		explain, scans = "EXPLAIN ", []string{"Seq Scan on parties", "Seq Scan on patrol_findings", "Seq Scan on cases"}
		if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, "RESET ALL") //nolint:errcheck // the connection is closed next
	}
	var parties, findings bool
	for _, s := range seen {
		parties = parties || strings.Contains(s.q, "FROM parties")
		findings = findings || strings.Contains(s.q, "patrol_findings")
		text := explainPlan(t, conn, explain+s.q, s.args)
		for _, scan := range scans {
			if strings.Contains(text, scan) {
				t.Errorf("%s:\n%s\n%s", scan, s.q, text)
			}
		}
	}
	if !parties || !findings {
		t.Errorf("the parties (%v) or the findings (%v) were not read", parties, findings)
	}
}

package store_test

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestNameSearchLeavesCommonTrigramsOut: DB.Analyze counts the trigrams
// many names hold (DB.CommonTrigram), the name search then asks the FTS5
// index for the others only, and finds what it found before.
func TestNameSearchLeavesCommonTrigramsOut(t *testing.T) {
	db := testdb.Open(t)
	if db.Engine != store.SQLite {
		// PostgreSQL's pg_trgm index has no such statistics: the name
		// search's condition there is LIKE alone (TestCaseSearchNameParts).
		return
	}
	sys := domain.SystemViewer("test")
	var ks []*domain.Case
	for i, name := range []string{"济宁兴隆建材有限公司", "济宁兴盛建材有限公司", "东营金诺纺织有限公司", "山东润丰化工有限公司"} {
		k := testCase(t, fmt.Sprintf("（2026）鲁0102执%d号", i+1), "2026-01-05")
		k.Parties[0].Name = name
		ks = append(ks, k)
	}
	upsert(t, db, sys, ks...)

	asked := traceMatches(db)
	defer db.BenchTrace(nil)
	search := func() string {
		t.Helper()
		asked()
		p, err := db.Cases(ctx, sys, store.CaseFilter{Query: "济宁兴隆建材有限公司"})
		if err != nil || p.Total != 1 || len(p.Cases) != 1 || p.Cases[0].Number != ks[0].Number {
			t.Fatalf("search: %+v, %v", p, err)
		}
		return asked()
	}
	all := `"济宁兴" AND "隆建材" AND "有限公" AND "限公司"`
	if got := search(); got != all {
		t.Errorf("before any analysis the search asked %s, want %s", got, all)
	}
	db.CommonTrigram = 4 // in all four names
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	var stats []string
	rows, err := db.WriteDB().QueryContext(ctx, "SELECT term || ':' || docs FROM search_trigram_stats ORDER BY term")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		stats = append(stats, s)
	}
	rows.Close()
	if got := " " + strings.Join(stats, " ") + " "; !strings.Contains(got, " 有限公:4 ") || !strings.Contains(got, " 限公司:4 ") || strings.Contains(got, "济宁") {
		t.Errorf("common trigrams %s, want 有限公 and 限公司 (4 names each) and none of 济宁兴隆", got)
	}
	if got, want := search(), `"济宁兴" AND "隆建材"`; got != want {
		t.Errorf("after the analysis the search asked %s, want %s", got, want)
	}
	// A text of common trigrams only asks for them all.
	p, err := db.Cases(ctx, sys, store.CaseFilter{Query: "有限公司"})
	if err != nil || p.Total != 4 {
		t.Errorf("common trigrams alone: %+v, %v", p, err)
	}
	// Another process reads them when it opens the database.
	again, err := store.Open(ctx, db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	seen := traceMatches(again)
	defer again.BenchTrace(nil)
	if p, err := again.Cases(ctx, sys, store.CaseFilter{Query: "济宁兴隆建材有限公司"}); err != nil || p.Total != 1 {
		t.Fatalf("search in another process: %+v, %v", p, err)
	}
	if got, want := seen(), `"济宁兴" AND "隆建材"`; got != want {
		t.Errorf("another process asked %s, want %s", got, want)
	}
}

// traceMatches traces db's statements and returns a function that gives
// the FTS5 queries the name search asked since its last call, joined by
// " | ", and forgets them.
func traceMatches(db *store.DB) func() string {
	var mu sync.Mutex
	var asked []string
	db.BenchTrace(func(q string, args []any) {
		if strings.Contains(q, "party_names_fts MATCH") {
			mu.Lock()
			asked = append(asked, fmt.Sprint(args[0]))
			mu.Unlock()
		}
	})
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		s := strings.Join(asked, " | ")
		asked = nil
		return s
	}
}

package store_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// On SQLite the planner's statistics keep sqlite_stat1's averages and no
// STAT4 samples, after every way they are written or found: with samples,
// a statement the reader pool keeps prepared was planned again at each
// run whenever a sampled column was compared with a parameter (issue 19,
// DB.Analyze).
func TestAnalyzeKeepsNoSamples(t *testing.T) {
	db := testdb.Open(t)
	upsert(t, db, domain.SystemViewer("t"),
		testCase(t, "（2024）鲁0102执1号", "2024-01-01"),
		testCase(t, "（2024）鲁0102执2号", "2024-02-01"),
		testCase(t, "（2024）鲁0103执1号", "2024-03-01"))
	if db.Engine != store.SQLite {
		// PostgreSQL has no such samples; its analyses still succeed.
		if err := db.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.AnalyzeTables(ctx, "cases"); err != nil {
			t.Fatal(err)
		}
		return
	}
	count := func(table string) int {
		t.Helper()
		var exists bool
		if err := db.WriteDB().QueryRow("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = ?)", table).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if !exists {
			return 0
		}
		var n int
		if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	check := func(after string) {
		t.Helper()
		if n := count("sqlite_stat4"); n != 0 {
			t.Fatalf("%d STAT4 samples after %s", n, after)
		}
		if count("sqlite_stat1") == 0 {
			t.Fatalf("no averages after %s", after)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	check("Analyze")
	// With its analysis limit, SQLite writes no samples here.
	if err := db.AnalyzeTables(ctx, "cases", "parties"); err != nil {
		t.Fatal(err)
	}
	check("AnalyzeTables")
	// A database analyzed by an older build, or by hand: modernc's SQLite
	// samples (else this test could not fail), and Migrate drops them.
	if _, err := db.WriteDB().Exec("ANALYZE"); err != nil {
		t.Fatal(err)
	}
	if count("sqlite_stat4") == 0 {
		t.Fatal("ANALYZE wrote no samples")
	}
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	check("Migrate")
}

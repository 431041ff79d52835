package demo_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/zhilian/zhilian/internal/demo"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// demoProvince seeds the demo's staff, cases and patrol into a fresh
// database and returns it with the High Court's discipline group.
func demoProvince(tb testing.TB) (*store.DB, domain.Viewer) {
	tb.Helper()
	db := testdb.Open(tb)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := demo.Seed(ctx, db, log, demo.DefaultPassword); err != nil {
		tb.Fatal(err)
	}
	for _, seed := range []func(context.Context, *store.DB, *slog.Logger) error{demo.SeedCases, demo.SeedPatrol, demo.SeedOverview} {
		if err := seed(ctx, db, log); err != nil {
			tb.Fatal(err)
		}
	}
	u, _, err := db.UserForLogin(ctx, demo.Username("鲁", "discipline"))
	if err != nil {
		tb.Fatal(err)
	}
	return db, domain.ViewerFor(u, "")
}

// The demo province's cockpit shows red, amber and green intermediate
// courts this year, from their cases' outcomes; among 济南's basic courts
// the flagship is red and 历城 green.
func TestDemoCockpit(t *testing.T) {
	db, grp := demoProvince(t)
	year := overview.Year(db.Today().Year())
	kids, err := db.OverviewChildren(context.Background(), grp, "鲁", year)
	if err != nil {
		t.Fatal(err)
	}
	n := map[overview.Status]int{}
	for _, k := range kids {
		n[k.Status(overview.DefaultTargets())]++
	}
	if n[overview.StatusGreen] == 0 || n[overview.StatusAmber] == 0 || n[overview.StatusRed] == 0 {
		t.Errorf("the province's courts by status: %v", n)
	}
	kids, err = db.OverviewChildren(context.Background(), grp, "鲁01", year)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]overview.Status{}
	for _, k := range kids {
		got[k.Court.Code] = k.Status(overview.DefaultTargets())
	}
	if got["鲁0102"] != overview.StatusRed || got["鲁0103"] != overview.StatusGreen {
		t.Errorf("济南's basic courts: %v", got)
	}
}

// BenchmarkOverviewFiguresProvince counts the province's cockpit (the
// High Court with its subtree, this year) on the demo data set, as its
// discipline group sees it.
func BenchmarkOverviewFiguresProvince(b *testing.B) {
	db, grp := demoProvince(b)
	year := overview.Year(db.Today().Year())
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.OverviewFigures(ctx, grp, "鲁", true, year); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverviewPageProvince counts what the cockpit's page counts for
// the province: its figures, each intermediate court's, and the 12-month
// trend.
func BenchmarkOverviewPageProvince(b *testing.B) {
	db, grp := demoProvince(b)
	year := overview.Year(db.Today().Year())
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.OverviewFigures(ctx, grp, "鲁", true, year); err != nil {
			b.Fatal(err)
		}
		if _, err := db.OverviewChildren(ctx, grp, "鲁", year); err != nil {
			b.Fatal(err)
		}
		if _, err := db.OverviewTrend(ctx, grp, "鲁", true, year.TrendMonths(12)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverviewPageFile counts what BenchmarkOverviewPageProvince
// counts on a database file made by `zhilian bench` (ZHILIAN_BENCH_DB, a
// copy: opening it migrates it), as its High Court's discipline group
// (bench.watchdog) sees it: the cockpit at a province's scale; page is
// the three as the cockpit's page counts them, in one OverviewPage;
// figure-trend a figure's 12 months (/overview/trend, OverviewMonths).
func BenchmarkOverviewPageFile(b *testing.B) {
	path := os.Getenv("ZHILIAN_BENCH_DB")
	if path == "" {
		b.Skip("ZHILIAN_BENCH_DB names no database made by zhilian bench")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		b.Fatal(err)
	}
	u, _, err := db.UserForLogin(ctx, "bench.watchdog")
	if err != nil {
		b.Fatal(err)
	}
	grp := domain.ViewerFor(u, "")
	year := overview.Year(db.Today().Year())
	months := year.TrendMonths(12)
	for _, step := range []struct {
		name string
		run  func() error
	}{
		{"figures", func() error { _, err := db.OverviewFigures(ctx, grp, "鲁", true, year); return err }},
		{"children", func() error { _, err := db.OverviewChildren(ctx, grp, "鲁", year); return err }},
		{"trend", func() error { _, err := db.OverviewTrend(ctx, grp, "鲁", true, months); return err }},
		{"page", func() error { _, err := db.OverviewPage(ctx, grp, "鲁", true, year, months); return err }},
		{"figure-trend", func() error { _, err := db.OverviewMonths(ctx, grp, "鲁", true, months); return err }},
	} {
		b.Run(step.name, func(b *testing.B) {
			for b.Loop() {
				if err := step.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The demo's periodic reports (issue 18's "a submitted and a late
// report"): 济南's bureau finds, for the latest month due, 历下's report
// submitted and signed, 市中's draft and 槐荫's none both late.
func TestDemoRunReports(t *testing.T) {
	db, _ := demoProvince(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	rules := report.DefaultDueRules()
	if err := demo.SeedRunReports(ctx, db, log, rules); err != nil {
		t.Fatal(err)
	}
	u, _, err := db.UserForLogin(ctx, demo.Username("鲁01", "bureau"))
	if err != nil {
		t.Fatal(err)
	}
	p := rules.LatestDue(overview.PeriodMonth, db.Today())
	st, err := db.RunReportStatus(ctx, domain.ViewerFor(u, ""), p, rules)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]store.RunReportRow{}
	for _, r := range st.Rows {
		rows[r.CourtCode] = r
	}
	if r := rows["鲁0102"]; r.State != report.StateSubmitted || r.SubmittedAt.IsZero() || r.Late {
		t.Errorf("历下: %+v", r)
	}
	if r := rows["鲁0103"]; r.State != report.StateDraft || !r.Late {
		t.Errorf("市中: %+v", r)
	}
	if r := rows["鲁0104"]; r.ReportID != 0 || !r.Late {
		t.Errorf("槐荫: %+v", r)
	}
}

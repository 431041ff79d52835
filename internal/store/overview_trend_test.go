package store_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
)

// The cockpit's trend counts its twelve months in one scan per indicator;
// each month must come out as the month counted alone (OverviewFigures
// over that month), in the cockpit's trend (OverviewTrend) and in a
// figure's (OverviewMonths). Cases of 鲁01, 鲁0102 and 鲁0103 filed from 2022 to
// after today (15 March 2026), closed in limit, late, before they were
// filed, after today or never, petitions open across months and years,
// 终本 with and without a finding: trends ending in a past year, across
// the new year, and in a year that has not ended.
func TestOverviewTrendOnePass(t *testing.T) {
	db, grp, bureau := newTrendFixture(t)
	var seen overview.CoreCounts
	for _, q := range []overview.Period{overview.Year(2025), overview.Month(2026, 3), overview.Year(2026), overview.Quarter(2026, 1)} {
		months := q.TrendMonths(12)
		for _, c := range []struct {
			v       domain.Viewer
			code    string
			subtree bool
		}{{grp, "鲁01", true}, {grp, "鲁01", false}, {grp, "鲁0102", true}, {bureau, "鲁0102", true}} {
			trend, err := db.OverviewTrend(ctx, c.v, c.code, c.subtree, months)
			if err != nil {
				t.Fatal(err)
			}
			figs, err := db.OverviewMonths(ctx, c.v, c.code, c.subtree, months)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range months {
				alone, err := db.OverviewFigures(ctx, c.v, c.code, c.subtree, m)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(figs[i], alone) {
					t.Errorf("%s %s subtree %v, %s: OverviewMonths %+v, counted alone %+v", c.v.Username, c.code, c.subtree, m, figs[i], alone)
				}
				if trend[i] != alone.Core {
					t.Errorf("%s %s subtree %v, %s in the trend of %s: %+v, counted alone %+v", c.v.Username, c.code, c.subtree, m, q, trend[i], alone.Core)
				}
				add := func(a *overview.Ratio, b overview.Ratio) { a.Num, a.Den = a.Num+b.Num, a.Den+b.Den }
				add(&seen.ExecutedInLimit, trend[i].ExecutedInLimit)
				add(&seen.TerminationQualified, trend[i].TerminationQualified)
				add(&seen.PetitionConcluded, trend[i].PetitionConcluded)
				add(&seen.ThreeYearClosed, trend[i].ThreeYearClosed)
			}
			// Months after today count nothing.
			for i, m := range months {
				if m.From.After(db.Today()) && trend[i] != (overview.CoreCounts{}) {
					t.Errorf("%s after today: %+v", m, trend[i])
				}
			}
		}
	}
	// The fixture reaches every indicator, with cases in and out of each.
	for name, r := range map[string]overview.Ratio{"in limit": seen.ExecutedInLimit, "终本": seen.TerminationQualified,
		"petitions": seen.PetitionConcluded, "three years": seen.ThreeYearClosed} {
		if r.Num == 0 || r.Num == r.Den {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

// newTrendFixture makes the cases of TestOverviewTrendOnePass, with the
// discipline group of 鲁01 and the bureau of 鲁0102.
func newTrendFixture(t *testing.T) (*store.DB, domain.Viewer, domain.Viewer) {
	t.Helper()
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC) }
	grp := domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur0102", "鲁0102", "执行局", domain.RoleBureau), "")

	r := rand.New(rand.NewPCG(18, 19))
	start := domain.MustDate("2022-01-01")
	day := func(d domain.Date) any {
		if d.IsZero() {
			return nil
		}
		return d.String()
	}
	courts := []string{"鲁01", "鲁0102", "鲁0102", "鲁0103"}
	types := []string{"执", "执", "执恢", "执保"}
	const n = 400
	var ks []*domain.Case
	for i := range n {
		ks = append(ks, testCase(t, fmt.Sprintf("（2024）%s%s%d号", courts[i%len(courts)], types[i/len(courts)%len(types)], i+1), "2024-01-02"))
	}
	upsert(t, db, domain.SystemViewer("t"), ks...)
	for i, k := range ks {
		filed := start.AddDays(r.IntN(4*365 + 120)) // to mid-2026
		var closed, due domain.Date
		switch x := r.IntN(20); {
		case x < 6: // open
		case x < 7: // closed before it was filed (bad data, counted as it is)
			closed = filed.AddDays(-1 - r.IntN(40))
		default:
			closed = filed.AddDays(r.IntN(500))
		}
		if r.IntN(5) > 0 {
			due = filed.AddDays(30 + r.IntN(400))
		}
		mode := ""
		if !closed.IsZero() {
			mode = "执行完毕"
			if r.IntN(3) == 0 {
				mode = tracking.ClosingTermination
			}
		}
		testdb.Exec(t, db, `UPDATE cases SET filed_on = ?, closed_on = ?, closing_mode = ?, due_on = ?, clock_stopped = FALSE,
			has_property = ?, property_known = ?, petition = ? WHERE number = ?`,
			filed.String(), day(closed), mode, day(due), r.IntN(5) < 3, r.IntN(5) < 4, r.IntN(4) == 0, k.No.String())
		if mode == tracking.ClosingTermination && r.IntN(2) == 0 {
			testdb.Exec(t, db, `INSERT INTO patrol_findings (id, court_id, case_id, rule, subject, title, aspect, detail, state, first_found, last_found, updated_at)
				SELECT ?, court_id, id, 'termination_preconditions', 's', '终结本次执行程序不符合条件', 'acts', 'd', ?, ?, ?, ? FROM cases WHERE number = ?`,
				9001+i, []string{"open", "confirmed", "dismissed"}[r.IntN(3)], closed.String(), closed.String(), db.Now(), k.No.String())
		}
	}

	return db, grp, bureau
}

// The cockpit's page counts in one OverviewPage what OverviewFigures,
// OverviewChildren and OverviewTrend count on their own.
func TestOverviewPageAsItsParts(t *testing.T) {
	db, grp, _ := newTrendFixture(t)
	for _, q := range []overview.Period{overview.Year(2025), overview.Quarter(2026, 1), overview.Range(domain.MustDate("2025-02-10"), domain.MustDate("2026-02-20"))} {
		for _, subtree := range []bool{true, false} {
			months := q.TrendMonths(12)
			page, err := db.OverviewPage(ctx, grp, "鲁01", subtree, q, months)
			if err != nil {
				t.Fatal(err)
			}
			f, err := db.OverviewFigures(ctx, grp, "鲁01", subtree, q)
			if err != nil {
				t.Fatal(err)
			}
			kids, err := db.OverviewChildren(ctx, grp, "鲁01", q)
			if err != nil {
				t.Fatal(err)
			}
			trend, err := db.OverviewTrend(ctx, grp, "鲁01", subtree, months)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(page.Figures, f) || !reflect.DeepEqual(page.Children, kids) || !reflect.DeepEqual(page.Trend, trend) {
				t.Errorf("%s subtree %v: the page %+v %+v %+v, on their own %+v %+v %+v", q, subtree, page.Figures.Core, page.Children, page.Trend, f.Core, kids, trend)
			}
			if len(kids) == 0 || f.Core.ThreeYearClosed.Den == 0 {
				t.Errorf("%s: nothing to compare: %d courts below, %+v", q, len(kids), f.Core)
			}
		}
	}
}

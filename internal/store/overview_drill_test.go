package store_test

import (
	"slices"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// total adds up a breakdown.
func total(cs []overview.Count) int {
	n := 0
	for _, c := range cs {
		n += c.N
	}
	return n
}

// drillFigures is the cockpit's figures of code (with its subtree) over
// p, as the watchdogs of 鲁01 see them.
func (f *overviewFixture) drillFigures(t *testing.T, code string, p overview.Period) (*overview.Figures, *domain.Court) {
	t.Helper()
	fig, err := f.db.OverviewFigures(ctx, f.grp, code, true, p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.db.CourtByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	return fig, c
}

// 按时抽取率 drills down to the court's daily draws of the period's months:
// the list holds every month the figure counts as drawn (鲁0102's April,
// on time, and May, late), and its draws marked on time are the figure's
// numerator. A month owed and never drawn (鲁0103's April) has no draw:
// UndrawnMonths lists it, and the denominator is the draws and those.
func TestOverviewDrawsDrillDown(t *testing.T) {
	f := newOverviewFixture(t)
	q2 := overview.Quarter(2026, 2)
	months := q2.Months()
	for _, c := range []struct {
		code    string
		want    []int64
		missing int
	}{{"鲁01", []int64{9001, 9002}, 1}, {"鲁0102", []int64{9001, 9002}, 0}, {"鲁0103", nil, 1}} {
		fig, court := f.drillFigures(t, c.code, q2)
		bs, info, err := f.db.BatchList(ctx, f.grp, store.BatchFilter{CourtPath: court.Path, From: months[0], To: months[len(months)-1],
			Kind: visit.BatchDaily, Page: store.PageReq{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		onTime := 0
		for _, b := range bs {
			got = append(got, b.ID)
			if visit.DrawnOnTime(b.Month, b.DrawnAt) {
				onTime++
			}
		}
		slices.Sort(got)
		undrawn, err := f.db.UndrawnMonths(ctx, f.grp, c.code, months[0], months[len(months)-1])
		if err != nil {
			t.Fatal(err)
		}
		if len(undrawn) != c.missing || c.missing > 0 && (undrawn[0].CourtName != "济南市市中区人民法院" || undrawn[0].Month != "2026-04") {
			t.Errorf("%s: undrawn %+v, want %d (鲁0103's April)", c.code, undrawn, c.missing)
		}
		if !slices.Equal(got, c.want) || info.Total != len(c.want) || len(got)+len(undrawn) != fig.Visits.MonthsDue || onTime != fig.Visits.MonthsOnTime {
			t.Errorf("%s: listed %v (%d on time, total %d), the figure counts %d/%d, want %v and %d owed undrawn",
				c.code, got, onTime, info.Total, fig.Visits.MonthsOnTime, fig.Visits.MonthsDue, c.want, c.missing)
		}
	}
	// Unnarrowed, a supplement of June at 鲁0103 shows; narrowed to the
	// daily draws, not.
	testdb.Exec(t, f.db, `INSERT INTO visit_batches (id, court_id, month, kind, seq, rate, rounding, min_one, seed, seed_commitment, population_count, population_hash,
		excluded_count, sample_size, drawn_by, drawn_at) VALUES (9009, (SELECT id FROM courts WHERE code = '鲁0103'), '2026-06', 'supplement', 1, '0.05', 'ceil', TRUE,
		's', 'c', 1, 'h', 0, 1, 'system', ?)`, f.db.Now())
	court, _ := f.db.CourtByCode(ctx, "鲁0103")
	if bs, _, err := f.db.BatchList(ctx, f.grp, store.BatchFilter{CourtPath: court.Path, From: "2026-04", To: "2026-06", Page: store.PageReq{All: true}}); err != nil || len(bs) != 1 {
		t.Errorf("鲁0103's draws of Q2, any kind: %d %v", len(bs), err)
	}
	if bs, _, err := f.db.BatchList(ctx, f.grp, store.BatchFilter{CourtPath: court.Path, From: "2026-04", To: "2026-06", Kind: visit.BatchDaily, Page: store.PageReq{All: true}}); err != nil || len(bs) != 0 {
		t.Errorf("鲁0103's daily draws of Q2: %d %v", len(bs), err)
	}
}

// 督察评查活动 drills down to the campaigns the court and those below it
// organised whose period meets the cockpit's (鲁01's active one of Q2, not
// 鲁0102's of Q1); 评查等次 to the campaigns holding the review sheets of
// the court's cases graded in the period, counting those sheets.
func TestOverviewInspectionsDrillDown(t *testing.T) {
	f := newOverviewFixture(t)
	for _, c := range []struct {
		code   string
		p      overview.Period
		want   []int64
		sheets int
	}{
		{"鲁01", overview.Quarter(2026, 2), []int64{9001}, 2},
		{"鲁0102", overview.Quarter(2026, 2), nil, 1},
		{"鲁0103", overview.Quarter(2026, 2), nil, 1},
		{"鲁0102", overview.Quarter(2026, 1), []int64{9002}, 0},
		{"鲁01", overview.Month(2026, 6), []int64{9001}, 1},
	} {
		fig, court := f.drillFigures(t, c.code, c.p)
		ins, info, err := f.db.InspectionPageIn(ctx, f.grp, store.InspectionFilter{CourtPath: court.Path, Period: c.p, Page: store.PageReq{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, in := range ins {
			got = append(got, in.ID)
		}
		if !slices.Equal(got, c.want) || info.Total != total(fig.Inspections.Campaigns) {
			t.Errorf("%s %s: campaigns %v (total %d), the figure counts %d, want %v", c.code, c.p, got, info.Total, total(fig.Inspections.Campaigns), c.want)
		}
		gf := store.InspectionFilter{CourtPath: court.Path, Period: c.p, Graded: true, Page: store.PageReq{All: true}}
		ins, _, err = f.db.InspectionPageIn(ctx, f.grp, gf)
		if err != nil {
			t.Fatal(err)
		}
		listed := 0
		for _, in := range ins {
			listed += in.Sheets
		}
		n, err := f.db.InspectionSheets(ctx, f.grp, gf)
		if err != nil {
			t.Fatal(err)
		}
		if listed != c.sheets || n != c.sheets || total(fig.Inspections.Grades) != c.sheets {
			t.Errorf("%s %s: sheets listed %d, counted %d, the figure counts %d, want %d", c.code, c.p, listed, n, total(fig.Inspections.Grades), c.sheets)
		}
	}
}

// 候选待决定, 跟踪中 and 期间决定跟踪 drill down to the trackings of the
// steps the figures count (鲁0103's in consultation is waiting, not only
// the candidates), the last to those decided in the period (鲁0102's
// tracking decided in May, not the one decided in March).
func TestOverviewTrackingDrillDown(t *testing.T) {
	f := newOverviewFixture(t)
	q2 := overview.Quarter(2026, 2)
	list := func(tf store.TrackingFilter) []int64 {
		t.Helper()
		tf.Page = store.PageReq{All: true}
		ts, info, err := f.db.TrackingList(ctx, f.grp, tf)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, x := range ts {
			out = append(out, x.ID)
		}
		slices.Sort(out)
		if info.Total != len(out) {
			t.Errorf("total %d, listed %d", info.Total, len(out))
		}
		return out
	}
	for _, c := range []struct {
		code                   string
		p                      overview.Period
		waiting, under, deided []int64
	}{
		{"鲁01", q2, []int64{9001, 9004}, []int64{9002}, []int64{9002}},
		{"鲁0102", q2, []int64{9001}, []int64{9002}, []int64{9002}},
		{"鲁0103", q2, []int64{9004}, nil, nil},
		{"鲁0102", overview.Quarter(2026, 1), []int64{9001}, []int64{9002}, []int64{9003}},
	} {
		fig, _ := f.drillFigures(t, c.code, c.p)
		waiting := list(store.TrackingFilter{Court: c.code, Stage: tracking.StageWaiting})
		under := list(store.TrackingFilter{Court: c.code, Stage: tracking.StageUnder})
		decided := list(store.TrackingFilter{Court: c.code, Decided: c.p})
		if !slices.Equal(waiting, c.waiting) || len(waiting) != fig.Tracking.Waiting {
			t.Errorf("%s waiting: %v, the figure counts %d, want %v", c.code, waiting, fig.Tracking.Waiting, c.waiting)
		}
		if !slices.Equal(under, c.under) || len(under) != fig.Tracking.Under {
			t.Errorf("%s under: %v, the figure counts %d, want %v", c.code, under, fig.Tracking.Under, c.under)
		}
		if !slices.Equal(decided, c.deided) || len(decided) != fig.Tracking.Tracked {
			t.Errorf("%s %s decided: %v, the figure counts %d, want %v", c.code, c.p, decided, fig.Tracking.Tracked, c.deided)
		}
	}
}

// 改进意见建议 and its 已整改、整改中、逾期 drill down to the suggestions at
// the court issued in the period, by their state as a whole: 鲁0102's
// done one of May and overdue one of June (no items, past its deadline),
// 鲁0103's open one; March's is outside.
func TestOverviewSuggestionsDrillDown(t *testing.T) {
	f := newOverviewFixture(t)
	q2 := overview.Quarter(2026, 2)
	for _, code := range []string{"鲁01", "鲁0102", "鲁0103"} {
		fig, _ := f.drillFigures(t, code, q2)
		o := fig.Oversight
		for _, c := range []struct {
			rec  tracking.RecState
			want int
		}{{"", o.Suggestions}, {tracking.RecClosed, o.SuggestionsDone}, {tracking.RecOpen, o.SuggestionsOpen}, {tracking.RecOverdue, o.SuggestionsOverdue}} {
			rs, info, err := f.db.RectificationPage(ctx, f.grp, store.RectFilter{Court: code, Source: oversight.SourceSuggestion, Created: q2, Rec: c.rec}, store.PageReq{All: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != c.want || info.Total != c.want {
				t.Errorf("%s %q: %d listed, the figure counts %d", code, c.rec, len(rs), c.want)
			}
		}
	}
	fig, _ := f.drillFigures(t, "鲁01", q2)
	if o := fig.Oversight; o.Suggestions != 3 || o.SuggestionsDone != 1 || o.SuggestionsOpen != 1 || o.SuggestionsOverdue != 1 {
		t.Errorf("鲁01's suggestions: %+v", o)
	}
}

// 意见建议未办结 and 意见建议逾期 drill down to the rectifications the
// trackings' recommendations opened, by their state as a whole on today:
// 鲁0102's one past its deadline with no items is overdue.
func TestOverviewRecommendationsDrillDown(t *testing.T) {
	f := newOverviewFixture(t)
	q2 := overview.Quarter(2026, 2)
	for _, c := range []struct {
		code          string
		open, overdue int
	}{{"鲁01", 0, 1}, {"鲁0102", 0, 1}, {"鲁0103", 0, 0}} {
		fig, _ := f.drillFigures(t, c.code, q2)
		for _, x := range []struct {
			rec       tracking.RecState
			fig, want int
		}{{tracking.RecOpen, fig.Tracking.RecOpen, c.open}, {tracking.RecOverdue, fig.Tracking.RecOverdue, c.overdue}} {
			rs, _, err := f.db.RectificationPage(ctx, f.grp, store.RectFilter{Court: c.code, Source: oversight.SourceRecommendation, Rec: x.rec}, store.PageReq{All: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != x.want || x.fig != x.want {
				t.Errorf("%s %s: %d listed, the figure counts %d, want %d", c.code, x.rec, len(rs), x.fig, x.want)
			}
		}
	}
}

// 督察整改未完成 and 督察整改逾期 count items: they drill down to the
// rectifications the findings opened with such an item, and the items the
// list counts are the figure (鲁0102's: one overdue, one in progress, one
// accepted, which is neither).
func TestOverviewInspectionRectDrillDown(t *testing.T) {
	f := newOverviewFixture(t)
	q2 := overview.Quarter(2026, 2)
	for _, code := range []string{"鲁01", "鲁0102", "鲁0103"} {
		fig, _ := f.drillFigures(t, code, q2)
		for _, x := range []struct {
			items tracking.RecState
			fig   int
		}{{tracking.RecOpen, fig.Inspections.RectOpen}, {tracking.RecOverdue, fig.Inspections.RectOverdue}} {
			rf := store.RectFilter{Court: code, Source: oversight.SourceInspection, Items: x.items}
			rs, _, err := f.db.RectificationPage(ctx, f.grp, rf, store.PageReq{All: true})
			if err != nil {
				t.Fatal(err)
			}
			n, err := f.db.RectItemCount(ctx, f.grp, rf)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if code != "鲁0103" {
				want = 1
			}
			if n != x.fig || n != want || len(rs) != want {
				t.Errorf("%s %s: %d rectifications with %d items listed, the figure counts %d, want %d", code, x.items, len(rs), n, x.fig, want)
			}
		}
	}
	// A rectification with no items yet counts as one, by its deadline.
	testdb.Exec(t, f.db, `INSERT INTO rectifications (id, court_id, issuer_court, source_kind, source_id, title, deadline, issued_by, created_at)
		VALUES (9009, (SELECT id FROM courts WHERE code = '鲁0103'), (SELECT id FROM courts WHERE code = '鲁01'), 'inspection', 2, 't', '2026-07-01', 'x', ?)`, f.db.Now())
	fig, _ := f.drillFigures(t, "鲁0103", q2)
	n, err := f.db.RectItemCount(ctx, f.grp, store.RectFilter{Court: "鲁0103", Source: oversight.SourceInspection, Items: tracking.RecOverdue})
	if err != nil || n != 1 || fig.Inspections.RectOverdue != 1 {
		t.Errorf("鲁0103's bare overdue rectification: %d listed, the figure counts %d (%v)", n, fig.Inspections.RectOverdue, err)
	}
}

// 跟踪发现问题 drills down to the trackings with a finding confirmed in the
// period, and the findings the list counts are the figure's: 鲁0102's
// tracking with a node finding (2 May), a violation (1 June) and a patrol
// finding (5 April); its March violation falls in Q1.
func TestOverviewFindingsDrillDown(t *testing.T) {
	f := newOverviewFixture(t)
	for _, c := range []struct {
		code string
		p    overview.Period
		want []int64
		n    int
	}{
		{"鲁01", overview.Quarter(2026, 2), []int64{9002}, 3}, {"鲁0102", overview.Quarter(2026, 2), []int64{9002}, 3},
		{"鲁0103", overview.Quarter(2026, 2), nil, 0}, {"鲁0102", overview.Quarter(2026, 1), []int64{9002}, 1},
		{"鲁0102", overview.Month(2026, 5), []int64{9002}, 1},
	} {
		fig, _ := f.drillFigures(t, c.code, c.p)
		tf := store.TrackingFilter{Court: c.code, Findings: c.p, Page: store.PageReq{All: true}}
		ts, _, err := f.db.TrackingList(ctx, f.grp, tf)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, x := range ts {
			got = append(got, x.ID)
		}
		n, err := f.db.TrackingFindingCount(ctx, f.grp, tf)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) || n != c.n || n != total(fig.Tracking.Findings) {
			t.Errorf("%s %s: trackings %v with %d findings, the figure counts %d, want %v and %d", c.code, c.p, got, n, total(fig.Tracking.Findings), c.want, c.n)
		}
	}
}

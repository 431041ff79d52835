package overview

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestParsePeriod(t *testing.T) {
	today := domain.MustDate("2026-07-15")
	for _, c := range []struct {
		in, from, to, label, canon string
	}{
		{"", "2026-07-01", "2026-07-31", "2026年7月", "2026-07"},
		{"2026", "2026-01-01", "2026-12-31", "2026年", "2026"},
		{"2026-Q2", "2026-04-01", "2026-06-30", "2026年第二季度", "2026-Q2"},
		{"2025q4", "2025-10-01", "2025-12-31", "2025年第四季度", "2025-Q4"},
		{"2026-02", "2026-02-01", "2026-02-28", "2026年2月", "2026-02"},
		{"2026-01-10~2026-03-05", "2026-01-10", "2026-03-05", "2026年1月10日至2026年3月5日", "2026-01-10~2026-03-05"},
		{"2026-01-10至2026-03-05", "2026-01-10", "2026-03-05", "2026年1月10日至2026年3月5日", "2026-01-10~2026-03-05"},
	} {
		p, err := ParsePeriod(c.in, today)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if p.From.String() != c.from || p.To.String() != c.to || p.Label() != c.label || p.String() != c.canon {
			t.Errorf("%q: %s~%s %s %s", c.in, p.From, p.To, p.Label(), p)
		}
	}
	for _, bad := range []string{"26", "2026-13", "2026-Q5", "2026-03-05~2026-01-01", "2020-01-01~2026-01-01", "abc"} {
		if _, err := ParsePeriod(bad, today); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	q := Quarter(2026, 2)
	if got := strings.Join(q.Months(), ","); got != "2026-04,2026-05,2026-06" {
		t.Errorf("months %s", got)
	}
	trend := q.TrendMonths(12)
	if trend[0].String() != "2025-07" || trend[11].String() != "2026-06" {
		t.Errorf("trend %s … %s", trend[0], trend[11])
	}
	if q.Until(today) != q.To || Month(2026, 7).Until(today) != today {
		t.Error("until")
	}
}

func TestTargetStatus(t *testing.T) {
	tg := Target{Value: 90, Amber: 5}
	for _, c := range []struct {
		v    float64
		ok   bool
		want Status
	}{{95, true, StatusGreen}, {90, true, StatusGreen}, {87.5, true, StatusAmber}, {85, true, StatusAmber}, {84.9, true, StatusRed}, {0, false, StatusNone}} {
		if got := tg.Status(c.v, c.ok); got != c.want {
			t.Errorf("%v: %s, want %s", c.v, got, c.want)
		}
	}
	low := Target{Value: 0, Lower: true}
	if low.Status(0, true) != StatusGreen || low.Status(1, true) != StatusRed {
		t.Error("ceiling")
	}
	if (Target{Value: 2, Amber: 2, Lower: true}).Status(3, true) != StatusAmber {
		t.Error("ceiling band")
	}
}

func TestParseTargets(t *testing.T) {
	def := DefaultTargets()
	if def[KeyExecutedInLimit].Value != 90 || def[KeyThreeYearClosed].Value != 80 || !def["trips.missing"].Lower {
		t.Fatalf("defaults %+v", def)
	}
	got, err := ParseTargets(strings.NewReader("指标,目标值,黄色区间\n# 本院\nexecuted_in_limit,92,3\nvisits.reply_rate,60\ntrips.late,2,1\nvisits.drawn_on_time,无\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got[KeyExecutedInLimit] != (Target{Value: 92, Amber: 3}) || got["visits.reply_rate"] != (Target{Value: 60, Amber: 5}) ||
		got["trips.late"] != (Target{Value: 2, Amber: 1, Lower: true}) || got[KeyThreeYearClosed].Value != 80 {
		t.Errorf("parsed %+v", got)
	}
	if _, ok := got["visits.drawn_on_time"]; ok {
		t.Error("无 kept the target")
	}
	_, err = ParseTargets(strings.NewReader("nope,90\nexecuted_in_limit,120\ntrips.late,1.5\noversight.clues,3\nexecuted_in_limit,90,x\nthree_year_closed,80\nthree_year_closed,85\n"))
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("bad file: %v", err)
	}
	for _, want := range []string{"第1行", "第2行：“有财产可供执行案件法定期限内实际执结率”是百分比", "第3行", "第4行：“问题线索（按状态）”是分项统计", "第5行：黄色区间", "第7行：指标“three_year_closed”与第6行重复"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestFiguresReadAndRank(t *testing.T) {
	f := &Figures{Trips: &TripFigures{Trips: 4, RequiredBefore: 3, Travellers: 5, OnTime: 5}}
	f.Core = CoreCounts{ExecutedInLimit: Ratio{9, 10}, TerminationQualified: Ratio{17, 20}, PetitionConcluded: Ratio{1, 2}, ThreeYearClosed: Ratio{0, 0}}
	inds := f.Indicators(DefaultTargets())
	if len(inds) != 4 {
		t.Fatalf("indicators %d", len(inds))
	}
	for i, want := range []struct {
		text   string
		status Status
	}{{"90.0%", StatusGreen}, {"85.0%", StatusAmber}, {"50.0%", StatusRed}, {"—", StatusNone}} {
		if inds[i].Text() != want.text || inds[i].Status != want.status {
			t.Errorf("%s: %s %s", inds[i].Name, inds[i].Text(), inds[i].Status)
		}
	}
	// (1 + 85/90 + 50/90) / 3
	if a, ok := f.Attainment(DefaultTargets()); !ok || a < 0.833 || a > 0.834 {
		t.Errorf("attainment %v %v", a, ok)
	}
	trips := f.Section(SectionTrips, DefaultTargets())
	if trips[1].Key != "trips.required_before" || trips[1].Text() != "75.0%" || trips[1].Status != StatusRed || !strings.HasPrefix(trips[1].Help(), "分子：") {
		t.Errorf("requirement %+v", trips[1])
	}
	if f.Section(SectionOversight, DefaultTargets()) != nil {
		t.Error("an unseen section has figures")
	}
	for _, d := range Defs {
		if d.Name == "" || d.Help() == "。" || (d.Kind == KindRatio) != (d.ratio != nil) || (d.Kind == KindCount) != (d.count != nil) {
			t.Errorf("definition %s is incomplete", d.Key)
		}
	}
}

func TestCourtStatus(t *testing.T) {
	def := DefaultTargets()
	for _, c := range []struct {
		core CoreCounts
		want Status
	}{
		{CoreCounts{ExecutedInLimit: Ratio{9, 10}, ThreeYearClosed: Ratio{4, 5}}, StatusGreen},
		// (80/90 + 1 + 1 + 1)/4 = 0.972 ≥ (85/90·3 + 75/80)/4 = 0.943
		{CoreCounts{ExecutedInLimit: Ratio{8, 10}, TerminationQualified: Ratio{1, 1}, PetitionConcluded: Ratio{1, 1}, ThreeYearClosed: Ratio{4, 5}}, StatusAmber},
		// (50/90 + 1)/2 = 0.78 < (85/90 + 75/80)/2
		{CoreCounts{ExecutedInLimit: Ratio{5, 10}, ThreeYearClosed: Ratio{4, 5}}, StatusRed},
		{CoreCounts{}, StatusNone},
	} {
		if got := (&Figures{Core: c.core}).Status(def); got != c.want {
			t.Errorf("%+v: %s, want %s", c.core, got, c.want)
		}
	}
}

package api

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
)

// ratioOut is a rate: its value in percent (null when there is nothing to
// count), its counts, and its target and status when it has one.
type ratioOut struct {
	Value       *float64 `json:"value"`
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Target      *float64 `json:"target,omitempty"`
	Status      string   `json:"status,omitempty"`
}

// countOut is one count of a breakdown.
type countOut struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// indicatorOut is one of the four core indicators.
type indicatorOut struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Value       *float64 `json:"value"`
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Target      *float64 `json:"target"`
	Status      string   `json:"status"`
}

// overviewOut is the cockpit as JSON.
type overviewOut struct {
	Court       map[string]string `json:"court"`
	Subtree     bool              `json:"subtree"`
	Period      string            `json:"period"`
	PeriodLabel string            `json:"period_label"`
	AsOf        domain.Date       `json:"as_of"`
	Visits      map[string]any    `json:"visits"`
	Trips       map[string]any    `json:"trips"`
	Tracking    map[string]any    `json:"tracking"`
	Inspections map[string]any    `json:"inspections"`
	Oversight   map[string]any    `json:"oversight"`
	Indicators  []indicatorOut    `json:"indicators"`
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// figureOut is a figure as the API writes it: a count as a number, a
// rate as ratioOut, a breakdown as a list.
func figureOut(f overview.Figure) any {
	switch f.Kind {
	case overview.KindCount:
		return f.Count
	case overview.KindBreakdown:
		out := []countOut{}
		for _, c := range f.Breakdown {
			out = append(out, countOut{c.Key, c.Label, c.N})
		}
		return out
	}
	r := ratioOut{Numerator: f.Ratio.Num, Denominator: f.Ratio.Den}
	if v, ok := f.Value(); ok {
		v = round1(v)
		r.Value = &v
	}
	if f.Target != nil {
		tv := f.Target.Value
		r.Target, r.Status = &tv, string(f.Status)
	}
	return r
}

// getOverview answers the cockpit 四项机制运行总览 of a court (the token
// user's by default), with its subtree unless scope=self, over a year
// (year=YYYY, this year by default) or any period the page takes
// (period=…), for the same roles as the page: the 执行局, 纪检监察组 and
// 监察室 of the court and of the courts above it.
func (a *API) getOverview(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	q := r.URL.Query()
	code := strings.TrimSpace(q.Get("court"))
	if code == "" {
		code = v.CourtCode
	}
	today := a.DB.Today()
	period := strings.TrimSpace(q.Get("period"))
	if y := strings.TrimSpace(q.Get("year")); y != "" {
		if n, err := strconv.Atoi(y); err != nil || len(y) != 4 || n < 2000 || n > 2100 {
			a.error(w, r, domain.Invalid("year", "年份应为四位数字，如 2026"))
			return
		}
		period = y
	}
	if period == "" {
		period = strconv.Itoa(today.Year())
	}
	p, err := overview.ParsePeriod(period, today)
	if err != nil {
		a.error(w, r, err)
		return
	}
	f, err := a.DB.OverviewFigures(r.Context(), v, code, q.Get("scope") != "self", p)
	if err != nil {
		a.error(w, r, err)
		return
	}
	t := a.OverviewTargets
	if t == nil {
		t = overview.DefaultTargets()
	}
	out := overviewOut{Court: map[string]string{"code": f.Court.Code, "name": f.Court.Name}, Subtree: f.Subtree, Period: p.String(),
		PeriodLabel: p.Label(), AsOf: f.AsOf, Indicators: []indicatorOut{}}
	sections := map[string]*map[string]any{overview.SectionVisits: &out.Visits, overview.SectionTrips: &out.Trips, overview.SectionTracking: &out.Tracking,
		overview.SectionInspections: &out.Inspections, overview.SectionOversight: &out.Oversight}
	for _, sec := range overview.Sections {
		if !f.Seen(sec) {
			continue // null: the token's roles do not reach the register
		}
		m := map[string]any{}
		for _, fig := range f.Section(sec, t) {
			m[strings.TrimPrefix(fig.Key, sec+".")] = figureOut(fig)
		}
		*sections[sec] = m
	}
	for _, fig := range f.Indicators(t) {
		ind := indicatorOut{Key: fig.Key, Name: fig.Name, Numerator: fig.Ratio.Num, Denominator: fig.Ratio.Den, Status: string(fig.Status)}
		if v, ok := fig.Value(); ok {
			v = round1(v)
			ind.Value = &v
		}
		if fig.Target != nil {
			tv := fig.Target.Value
			ind.Target = &tv
		}
		out.Indicators = append(out.Indicators, ind)
	}
	writeJSON(w, http.StatusOK, out)
}

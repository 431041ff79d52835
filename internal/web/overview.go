package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// overviewQuery is what the cockpit is asked for: a court, the court alone
// or with its subtree, a period.
type overviewQuery struct {
	Court   string
	Subtree bool
	Period  overview.Period
}

// values writes q as the page's query.
func (q overviewQuery) values() url.Values {
	scope := "self"
	if q.Subtree {
		scope = "subtree"
	}
	return url.Values{"court": {q.Court}, "scope": {scope}, "period": {q.Period.String()}}
}

// overviewQueryOf reads the query: the viewer's court, with its subtree,
// this year by default. A period that cannot be read is an error for its
// field, never replaced in silence.
func (s *Server) overviewQueryOf(r *http.Request, rq *request) (overviewQuery, error) {
	q := r.URL.Query()
	oq := overviewQuery{Court: strings.TrimSpace(q.Get("court")), Subtree: q.Get("scope") != "self"}
	if oq.Court == "" {
		oq.Court = rq.viewer.CourtCode
	}
	today := s.today()
	period := strings.TrimSpace(q.Get("period"))
	if period == "" {
		period = strconv.Itoa(today.Year())
	}
	p, err := overview.ParsePeriod(period, today)
	oq.Period = p
	return oq, err
}

// overviewURL is the cockpit of another court over the same period.
func overviewURL(code string, subtree bool, p overview.Period) string {
	return "/overview?" + overviewQuery{Court: code, Subtree: subtree, Period: p}.values().Encode()
}

// overviewRecords is where figure key drills down to: the register's list
// with the filters it takes, for the court at code over p; "" when no
// list shows those records.
func overviewRecords(key, code string, p overview.Period) string {
	months := p.Months()
	visits := url.Values{"court": {code}, "from": {months[0]}, "to": {months[len(months)-1]}, "step": {"all"}}
	link := func(path string, kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	switch key {
	case "visits.drawn_on_time":
		return "/visit-batches?" + url.Values{"court": {code}, "from": {months[0]}, "to": {months[len(months)-1]}, "kind": {visit.BatchDaily}}.Encode()
	case "visits.sampled":
		v := url.Values{}
		for k, x := range visits {
			v[k] = x
		}
		v.Set("kind", "daily")
		return "/visits?" + v.Encode()
	case "visits.sms_sent", "visits.reply_rate", "visits.satisfaction_rate":
		return "/visit-stats?" + url.Values{"court": {code}, "from": {months[0]}, "to": {months[len(months)-1]}, "by": {"court"}}.Encode()
	case "visits.escalations_open", "visits.escalations_overdue":
		v := url.Values{}
		for k, x := range visits {
			v[k] = x
		}
		v.Set("step", "open")
		v.Set("sort", "due")
		return "/visits?" + v.Encode()
	case "trips.trips", "trips.required_before", "trips.on_time", "trips.late":
		return link("/trips", "court", code, "period", p.String())
	case "trips.missing":
		return link("/trips", "court", code, "period", p.String(), "status", "overdue")
	case "trips.alerts":
		return link("/trip-reviews", "court", code, "period", p.String(), "reason", "yes")
	case "trips.untruthful":
		return "/trip-reviews?" + url.Values{"court": {code}, "period": {p.String()}, "reason": {"contradicted", "unreported"}}.Encode()
	case "tracking.waiting":
		return link("/tracking", "court", code, "stage", string(tracking.StageWaiting))
	case "tracking.under":
		return link("/tracking", "court", code, "stage", string(tracking.StageUnder))
	case "tracking.tracked":
		return link("/tracking", "court", code, "period", p.String())
	case "tracking.findings":
		return link("/tracking", "court", code, "period", p.String(), "findings", "1")
	case "tracking.rec_open", "tracking.rec_overdue":
		// Each recommendation opened its rectification, at the tracking's
		// court with its deadline; their states are the same.
		return link("/rectifications", "court", code, "source", string(oversight.SourceRecommendation), "rec", suggestionRec[key])
	case "inspections.campaigns":
		return link("/inspections", "court", code, "period", p.String())
	case "inspections.grades":
		return link("/inspections", "court", code, "period", p.String(), "sheets", "graded")
	case "inspections.rect_open":
		return link("/rectifications", "court", code, "source", string(oversight.SourceInspection), "items", string(tracking.RecOpen))
	case "inspections.rect_overdue":
		return link("/rectifications", "court", code, "source", string(oversight.SourceInspection), "items", string(tracking.RecOverdue))
	case "oversight.complaints":
		return link("/complaints", "court", code, "kind", "complaint", "period", p.String())
	case "oversight.petitions":
		return link("/complaints", "court", code, "kind", "petition", "period", p.String())
	case "oversight.clues":
		return link("/clues", "court", code, "period", p.String())
	case "oversight.dispositions":
		return link("/dispositions", "court", code, "from", p.From.String(), "to", p.To.String())
	case "oversight.suggestions":
		return link("/rectifications", "court", code, "source", string(oversight.SourceSuggestion), "period", p.String())
	case "oversight.suggestions_done", "oversight.suggestions_open", "oversight.suggestions_overdue":
		return link("/rectifications", "court", code, "source", string(oversight.SourceSuggestion), "period", p.String(), "rec", suggestionRec[key])
	case overview.KeyExecutedInLimit:
		return link("/cases", "court", code, "overdue", "1")
	case overview.KeyTerminationQualified:
		return link("/patrol", "court", code, "rule", "termination_preconditions")
	case overview.KeyPetitionConcluded, overview.KeyThreeYearClosed:
		return link("/cases", "court", code)
	}
	return ""
}

// suggestionRec is the state as a whole of the suggestions (or the
// tracking's recommendations) each figure counts.
var suggestionRec = map[string]string{"oversight.suggestions_done": string(tracking.RecClosed),
	"oversight.suggestions_open": string(tracking.RecOpen), "oversight.suggestions_overdue": string(tracking.RecOverdue),
	"tracking.rec_open": string(tracking.RecOpen), "tracking.rec_overdue": string(tracking.RecOverdue)}

// overviewFigure is a figure as the page shows it.
type overviewFigure struct {
	overview.Figure
	Records string
	Trend   string // its 12-month trend
}

// overviewSection is a mechanism's figures on the page.
type overviewSection struct {
	Key, Name string
	Seen      bool
	Figures   []overviewFigure
}

// overviewChild is a court below, ranked by its attainment.
type overviewChild struct {
	F          *overview.Figures
	Rank       int
	Court      overview.Court
	Href       string
	Attainment string
	Status     overview.Status
	Figures    []overview.Figure // the columns of childColumns
}

// childColumns are the figures the drill-down table shows per court: the
// four indicators and the figures of each mechanism a leader looks at
// first. The export has all of them.
var childColumns = []string{overview.KeyExecutedInLimit, overview.KeyTerminationQualified, overview.KeyPetitionConcluded, overview.KeyThreeYearClosed,
	"visits.drawn_on_time", "visits.satisfaction_rate", "trips.on_time", "trips.missing", "trips.untruthful",
	"tracking.rec_overdue", "inspections.rect_overdue", "oversight.suggestions_overdue"}

// overviewData is everything the cockpit and its export show.
type overviewData struct {
	Query      overviewQuery
	Figures    *overview.Figures
	Status     overview.Status
	Indicators []overviewFigure
	Sections   []overviewSection
	Children   []overviewChild
	Columns    []overview.Def
	Trend      []overview.Period
	TrendCore  []overview.CoreCounts
	Targets    []overviewTarget
	Courts     []option
	Crumbs     []navItem
	Periods    []option
	Chart      template.JS
	Map        template.JS // the province's map of the courts below; "" for none
	ExportURL  string
	// Integrity is the court's list of integrity records, for the
	// watchdogs who may open it; empty for everyone else.
	Integrity string
}

type overviewTarget struct {
	Name, Text, Amber string
}

// overviewLoad counts everything for the query.
func (s *Server) overviewLoad(r *http.Request, rq *request, oq overviewQuery) (*overviewData, error) {
	ctx := r.Context()
	v := rq.viewer
	trend := oq.Period.TrendMonths(12)
	page, err := s.DB.OverviewPage(ctx, v, oq.Court, oq.Subtree, oq.Period, trend)
	if err != nil {
		return nil, err
	}
	f := page.Figures
	t := s.overviewTargets()
	d := &overviewData{Query: oq, Figures: f, Status: f.Status(t), ExportURL: "/overview.xlsx?" + oq.values().Encode()}
	for _, fig := range f.Indicators(t) {
		d.Indicators = append(d.Indicators, overviewFigure{fig, overviewRecords(fig.Key, oq.Court, oq.Period), overviewTrendURL(fig.Key, oq)})
	}
	for _, sec := range overview.Sections {
		os := overviewSection{Key: sec, Name: overview.SectionNames[sec], Seen: f.Seen(sec)}
		for _, fig := range f.Section(sec, t) {
			os.Figures = append(os.Figures, overviewFigure{fig, overviewRecords(fig.Key, oq.Court, oq.Period), overviewTrendURL(fig.Key, oq)})
		}
		d.Sections = append(d.Sections, os)
	}
	kids := page.Children
	for _, key := range childColumns {
		def, _ := overview.DefOf(key)
		d.Columns = append(d.Columns, def)
	}
	type ranked struct {
		f     *overview.Figures
		score float64
		ok    bool
	}
	var rs []ranked
	for _, k := range kids {
		a, ok := k.Attainment(t)
		rs = append(rs, ranked{k, a, ok})
	}
	// Courts with something to count first, by attainment; then the rest
	// in court order.
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if a.ok != b.ok {
			if a.ok {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.score, a.score)
	})
	for i, k := range rs {
		c := overviewChild{F: k.f, Rank: i + 1, Court: k.f.Court, Href: overviewURL(k.f.Court.Code, true, oq.Period), Attainment: "—", Status: k.f.Status(t)}
		if k.ok {
			c.Attainment = overview.FormatPercent(k.score * 100)
		} else {
			c.Rank = 0
		}
		for _, def := range d.Columns {
			c.Figures = append(c.Figures, k.f.Read(def, t))
		}
		d.Children = append(d.Children, c)
	}
	d.Trend, d.TrendCore = trend, page.Trend
	for _, key := range t.Keys() {
		def, _ := overview.DefOf(key)
		tg := t[key]
		amber := "—"
		if tg.Amber > 0 {
			amber = strconv.FormatFloat(tg.Amber, 'f', -1, 64)
			if def.Kind == overview.KindRatio {
				amber += "个百分点"
			}
		}
		d.Targets = append(d.Targets, overviewTarget{Name: def.Name, Text: tg.Text(def), Amber: amber})
	}
	return d, nil
}

// overviewTargets are the server's targets, the defaults if none were set.
func (s *Server) overviewTargets() overview.Targets {
	if s.OverviewTargets == nil {
		return overview.DefaultTargets()
	}
	return s.OverviewTargets
}

// overviewChart is the JSON the trend chart (static/overview.js) draws:
// the months and, per indicator, its rate each month (null where there
// was nothing to count) and its target.
func overviewChart(d *overviewData, t overview.Targets) (template.JS, error) {
	type series struct {
		Name   string     `json:"name"`
		Data   []*float64 `json:"data"`
		Target float64    `json:"target"`
	}
	var months []string
	for _, p := range d.Trend {
		months = append(months, p.String())
	}
	var out []series
	for _, def := range overview.Defs {
		if def.Section != overview.SectionIndicators {
			continue
		}
		sr := series{Name: def.Name, Target: t[def.Key].Value}
		for _, c := range d.TrendCore {
			fig := (&overview.Figures{Core: c}).Read(def, t)
			if v, ok := fig.Value(); ok {
				v = round1(v)
				sr.Data = append(sr.Data, &v)
			} else {
				sr.Data = append(sr.Data, nil)
			}
		}
		out = append(out, sr)
	}
	js, err := json.Marshal(map[string]any{"months": months, "series": out})
	return template.JS(js), err
}

// overviewPage shows the cockpit 四项机制运行总览.
func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request, rq *request) {
	oq, qerr := s.overviewQueryOf(r, rq)
	if qerr == nil {
		if c, err := s.DB.CourtByCode(r.Context(), oq.Court); err == nil && !overview.CanSee(rq.viewer, c.Path) {
			qerr = domain.Errorf(domain.ErrForbidden, "运行总览供本院及上级法院的执行局、纪检监察组和监察室查看。")
		}
	}
	if qerr != nil && fieldErrors(qerr) == nil {
		s.fail(w, r, qerr)
		return
	}
	if !rq.viewer.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "运行总览供执行局、纪检监察组和监察室查看。"))
		return
	}
	courts, err := s.DB.CourtsUnder(r.Context(), rq.viewer.CourtPath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var opts []option
	for _, c := range courts {
		opts = append(opts, option{Value: c.Code, Label: c.Name, Selected: c.Code == oq.Court})
	}
	if qerr != nil {
		// The form again with the period as typed and the message beside
		// it; nothing is counted over a period that does not exist.
		s.render(w, r, http.StatusUnprocessableEntity, "overview", &page{Title: "四项机制运行总览", Error: domain.UserMessage(qerr),
			Form: formState{Values: r.URL.Query(), Errors: fieldErrors(qerr)}, Data: &overviewData{Query: oq, Courts: opts, Chart: template.JS("{}")}})
		return
	}
	d, err := s.overviewLoad(r, rq, oq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Courts = opts
	if integrity.CanEvaluate(rq.viewer, d.Figures.Court.Path) {
		d.Integrity = integrity.ListPath(d.Figures.Court.Code)
	}
	// The way back up, from the viewer's court to this one.
	for _, c := range courts {
		if strings.HasPrefix(d.Figures.Court.Path, c.Path) && c.Path != d.Figures.Court.Path {
			d.Crumbs = append(d.Crumbs, navItem{Label: c.Name, Href: overviewURL(c.Code, true, oq.Period)})
		}
	}
	today := s.today()
	for _, p := range []overview.Period{overview.Year(today.Year()), overview.Quarter(today.Year(), (int(today.Month())+2)/3),
		overview.Month(today.Year(), today.Month()), overview.Year(today.Year() - 1)} {
		d.Periods = append(d.Periods, option{Value: overviewURL(oq.Court, oq.Subtree, p), Label: p.Label(), Selected: p == oq.Period})
	}
	if d.Chart, err = overviewChart(d, s.overviewTargets()); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Map, err = s.overviewMap(d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "overview", &page{Title: "四项机制运行总览", Data: d})
}

// overviewXLSX exports every table of the cockpit: the indicators, each
// mechanism's figures, the courts below (all figures), the trend and the
// targets.
func (s *Server) overviewXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	oq, err := s.overviewQueryOf(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.overviewLoad(r, rq, oq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := s.overviewTargets()
	f := d.Figures
	scope := "本院"
	if oq.Subtree {
		scope = "本院及辖区法院"
	}
	b := newWorkbook("核心指标")
	b.row("法院", f.Court.Name, "范围", scope, "统计期间", oq.Period.Label(), "统计日", f.AsOf.String())
	b.row()
	head := []any{"指标", "数值", "分子", "分母", "目标", "状态", "口径"}
	figRow := func(fig overview.Figure) []any {
		row := []any{fig.Name, fig.Text(), "", "", "", fig.Status.Label(), fig.Help()}
		switch fig.Kind {
		case overview.KindRatio:
			row[2], row[3] = fig.Ratio.Num, fig.Ratio.Den
		case overview.KindCount:
			row[1] = fig.Count
		}
		if fig.Target != nil {
			row[4] = fig.Target.Text(fig.Def)
		} else {
			row[5] = ""
		}
		return row
	}
	b.row(head...)
	for _, fig := range d.Indicators {
		b.row(figRow(fig.Figure)...)
	}
	for _, sec := range d.Sections {
		b.addSheet(sec.Name)
		if !sec.Seen {
			b.row("您的角色不查看本项。")
			continue
		}
		b.row(head...)
		for _, fig := range sec.Figures {
			b.row(figRow(fig.Figure)...)
			for _, c := range fig.Breakdown {
				b.row("　"+c.Label, c.N)
			}
		}
	}
	b.addSheet("下级法院")
	kids := []any{"排名", "法院", "达标程度", "状态"}
	var defs []overview.Def
	for _, def := range overview.Defs {
		if def.Kind != overview.KindBreakdown && (f.Seen(def.Section) && (!def.Sealed || f.Oversight.CluesSeen)) {
			defs = append(defs, def)
			kids = append(kids, def.Name)
		}
	}
	b.row(kids...)
	for _, c := range d.Children {
		row := []any{c.Rank, c.Court.Name, c.Attainment, c.Status.Label()}
		if c.Rank == 0 {
			row[0] = "—"
		}
		for _, def := range defs {
			fig := c.F.Read(def, t)
			if def.Kind == overview.KindRatio {
				row = append(row, fig.Text())
			} else {
				row = append(row, fig.Count)
			}
		}
		b.row(row...)
	}
	b.addSheet("趋势")
	trend := []any{"月份"}
	for _, fig := range d.Indicators {
		trend = append(trend, fig.Name)
	}
	b.row(trend...)
	for i, p := range d.Trend {
		row := []any{p.String()}
		for _, fig := range (&overview.Figures{Core: d.TrendCore[i]}).Indicators(t) {
			row = append(row, fig.Text())
		}
		b.row(row...)
	}
	b.addSheet("目标值")
	b.row("指标", "目标", "黄色区间")
	for _, tg := range d.Targets {
		b.row(tg.Name, tg.Text, tg.Amber)
	}
	s.sendWorkbook(w, r, b, fmt.Sprintf("四项机制运行总览-%s-%s.xlsx", f.Court.Name, oq.Period))
}

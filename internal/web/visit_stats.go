package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

var groupings = []struct{ Value, Label string }{{"court", "法院"}, {"department", "部门"}, {"officer", "承办人"}, {"month", "月份"}}

// statsFilter reads the statistics filter; the default is the twelve
// months up to this one, by court. A month that cannot be read or a range
// that ends before it starts is refused beside its field (statsMonths).
func (s *Server) statsFilter(r *http.Request) (store.StatsFilter, error) {
	q := r.URL.Query()
	f := store.StatsFilter{By: q.Get("by"), Court: q.Get("court"), Kind: q.Get("kind")}
	if f.By == "" {
		f.By = "court"
	}
	var err error
	f.From, f.To, err = statsMonths(q, s.today())
	return f, err
}

// monthsOf is every month from from to to (YYYY-MM), at most 120.
func monthsOf(from, to string) []string {
	d, _, err := domain.ParseMonth(from)
	if err != nil {
		return nil
	}
	var out []string
	for m := d.String()[:7]; m <= to && len(out) < 120; m = d.String()[:7] {
		out = append(out, m)
		d = d.AddMonths(1)
	}
	return out
}

// statsRow is a row of the statistics table, its fields at the top: the
// template finds a promoted field by a search through the embedded
// structs, on every cell of every row (10 % of the page's CPU, pprof).
type statsRow struct {
	Label                                                                     string
	Visits, SMSSent, Replied, Satisfied, Dissatisfied, Phone, Consult, Onsite int
	Closed                                                                    int
	ReplyRate, SatisfactionRate                                               string
	Drill                                                                     string
}

func newStatsRow(r store.StatsRow, drill string) statsRow {
	return statsRow{Label: r.Label, Visits: r.Visits, SMSSent: r.SMSSent, Replied: r.Replied, Satisfied: r.Satisfied, Dissatisfied: r.Dissatisfied,
		Phone: r.Phone, Consult: r.Consult, Onsite: r.Onsite, Closed: r.Closed,
		ReplyRate: percent(r.ReplyRate()), SatisfactionRate: percent(r.SatisfactionRate()), Drill: drill}
}

// percent is fmt.Sprintf("%.1f%%", f) without its reflection, twice for
// each of a province's 157 rows.
func percent(f float64) string {
	return string(strconv.AppendFloat(make([]byte, 0, 8), f, 'f', 1, 64)) + "%"
}

func (s *Server) visitStats(w http.ResponseWriter, r *http.Request, rq *request) {
	if !visit.CanSee(rq.viewer) {
		s.fail(w, r, domain.ErrForbidden)
		return
	}
	f, ferr := s.statsFilter(r)
	if ferr != nil {
		// The page again with the range as typed and the message beside
		// the field; nothing is counted over a range that does not exist.
		s.render(w, r, http.StatusUnprocessableEntity, "visit_stats", &page{Title: "回访统计", Error: domain.UserMessage(ferr),
			Form: formState{Values: r.URL.Query(), Errors: fieldErrors(ferr)}, Data: statsPage{Filter: f, By: byOptions(f.By), Chart: []byte("{}"), GroupLabel: groupLabel(f.By)}})
		return
	}
	counts, err := s.DB.VisitStatsPage(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, trend, cats, items := counts.Rows, counts.Trend, counts.Categories, counts.Items
	var total store.StatsRow
	view := make([]statsRow, len(rows))
	for i, row := range rows {
		view[i] = newStatsRow(row, s.drillURL(f, row.Key))
		total.Visits += row.Visits
		total.SMSSent += row.SMSSent
		total.Replied += row.Replied
		total.Closed += row.Closed
		total.Satisfied += row.Satisfied
		total.Dissatisfied += row.Dissatisfied
		total.Phone += row.Phone
		total.Consult += row.Consult
		total.Onsite += row.Onsite
	}
	// The chart's data travels as JSON in a non-executed script element,
	// which the CSP allows; static/stats.js draws it. Every month of the
	// range is on its axis, those without visits at zero.
	chart := statsChart{Months: []string{}, Visits: []int{}, Satisfaction: []float64{}, Reply: []float64{}, Categories: []string{}, CategoryCounts: []int{}}
	byMonth := map[string]store.StatsRow{}
	for _, t := range trend {
		byMonth[t.Key] = t
	}
	for _, m := range monthsOf(f.From, f.To) {
		t := byMonth[m]
		chart.Months = append(chart.Months, m)
		chart.Visits = append(chart.Visits, t.Visits)
		chart.Satisfaction = append(chart.Satisfaction, round1(t.SatisfactionRate()))
		chart.Reply = append(chart.Reply, round1(t.ReplyRate()))
	}
	for _, c := range cats {
		chart.Categories = append(chart.Categories, c.Text)
		chart.CategoryCounts = append(chart.CategoryCounts, c.Count)
	}
	chartJSON, err := json.Marshal(chart)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := url.Values{"from": {f.From}, "to": {f.To}, "by": {f.By}, "court": {f.Court}, "kind": {f.Kind}}
	s.render(w, r, http.StatusOK, "visit_stats", &page{Title: "回访统计", Data: statsPage{f, byOptions(f.By), view,
		newStatsRow(total, ""),
		cats, items, chartJSON, "/visit-stats.xlsx?" + q.Encode(), groupLabel(f.By)}})
}

// statsChart is the charts' data, its fields in the order of the keys
// of the map it was before.
type statsChart struct {
	Categories     []string  `json:"categories"`
	CategoryCounts []int     `json:"categoryCounts"`
	Months         []string  `json:"months"`
	Reply          []float64 `json:"reply"`
	Satisfaction   []float64 `json:"satisfaction"`
	Visits         []int     `json:"visits"`
}

// statsPage is what the statistics page shows.
type statsPage struct {
	Filter     store.StatsFilter
	By         []option
	Rows       []statsRow
	Total      statsRow
	Categories []store.ItemCount
	Items      []store.ItemCount
	Chart      []byte // statsChart as JSON
	ExportURL  string
	GroupLabel string
}

func byOptions(by string) []option {
	var out []option
	for _, g := range groupings {
		out = append(out, option{Value: g.Value, Label: g.Label, Selected: g.Value == by})
	}
	return out
}

func groupLabel(by string) string {
	for _, g := range groupings {
		if g.Value == by {
			return g.Label
		}
	}
	return ""
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// drillURL lists the visits behind a statistics row: the query
// url.Values.Encode would write (keys in order, values escaped), without
// its map and sort, which for the province's 157 rows were 7 % of the
// page's CPU (pprof at 1,000,000 cases on PostgreSQL).
func (s *Server) drillURL(f store.StatsFilter, key string) string {
	from, to := f.From, f.To
	if f.By == "month" {
		from, to = key, key
	}
	var b strings.Builder
	// Room for the whole link at once, not grown a few bytes at a time.
	b.Grow(64 + len(key) + len(from) + len(to) + len(f.Kind))
	b.WriteString("/visits?")
	add := func(k, v string) {
		if b.Len() > len("/visits?") {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	if f.By == "court" {
		add("court", key)
	}
	if f.By == "department" {
		add("department", key)
	}
	add("from", from)
	if f.Kind != "" {
		add("kind", f.Kind)
	}
	if f.By == "officer" {
		add("officer", key)
	}
	add("step", "all")
	add("to", to)
	return b.String()
}

// visitStatsXLSX exports the statistics table.
func (s *Server) visitStatsXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	if !visit.CanSee(rq.viewer) {
		s.fail(w, r, domain.ErrForbidden)
		return
	}
	f, err := s.statsFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.DB.VisitStats(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cats, items, err := s.DB.DissatisfactionCounts(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := newWorkbook("回访统计")
	b.row(fmt.Sprintf("当事人回访统计（%s 至 %s）", f.From, f.To))
	b.row(groupLabel(f.By), "回访", "短信发送", "回复", "回复率(%)", "满意", "不满意", "满意率(%)", "电话回访", "会商", "实地回访", "已结束")
	for _, row := range rows {
		b.row(row.Label, row.Visits, row.SMSSent, row.Replied, round1(row.ReplyRate()), row.Satisfied,
			row.Dissatisfied, round1(row.SatisfactionRate()), row.Phone, row.Consult, row.Onsite, row.Closed)
	}
	b.addSheet("不满意事项")
	b.row("类别", "事项", "次数")
	for _, c := range cats {
		b.row(c.Text, "（合计）", c.Count)
		for _, it := range items {
			if it.Category == c.Category {
				b.row(c.Text, it.Text, it.Count)
			}
		}
	}
	s.sendWorkbook(w, r, b, fmt.Sprintf("回访统计-%s至%s.xlsx", f.From, f.To))
}

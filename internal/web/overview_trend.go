package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
)

// overviewTrendURL is the 12-month trend of figure key for the cockpit
// of query q.
func overviewTrendURL(key string, q overviewQuery) string {
	v := q.values()
	v.Set("key", key)
	return "/overview/trend?" + v.Encode()
}

// overviewTrendMonth is one month of a figure's trend.
type overviewTrendMonth struct {
	Period overview.Period
	overview.Figure
}

// overviewTrendData is a figure's 12-month trend, as the page and its
// export show it.
type overviewTrendData struct {
	Query  overviewQuery
	Court  overview.Court
	Def    overview.Def
	Months []overviewTrendMonth
	Chart  template.JS
	Back   string
	Export string
}

// overviewTrendLoad counts figure key of the query's court month by month
// over the twelve months ending with the period's last: the figure's own
// definition each month, as the viewer may see the records (the store
// refuses a court he may not look at); a figure of a register his roles
// do not reach is refused.
func (s *Server) overviewTrendLoad(r *http.Request, rq *request) (*overviewTrendData, error) {
	oq, err := s.overviewQueryOf(r, rq)
	if err != nil {
		return nil, err
	}
	def, ok := overview.DefOf(r.URL.Query().Get("key"))
	if !ok {
		return nil, domain.Errorf(domain.ErrNotFound, "没有这项数据。")
	}
	t := s.overviewTargets()
	d := &overviewTrendData{Query: oq, Def: def, Back: overviewURL(oq.Court, oq.Subtree, oq.Period) + "#" + def.Section}
	v := url.Values{}
	for k, x := range r.URL.Query() {
		v[k] = x
	}
	d.Export = "/overview/trend.xlsx?" + v.Encode()
	months := oq.Period.TrendMonths(12)
	figs, err := s.DB.OverviewMonths(r.Context(), rq.viewer, oq.Court, oq.Subtree, months)
	if err != nil {
		return nil, err
	}
	for i, p := range months {
		f := figs[i]
		if !f.Seen(def.Section) || def.Sealed && !f.Oversight.CluesSeen {
			return nil, domain.Errorf(domain.ErrForbidden, "您的角色不查看这项数据。")
		}
		d.Court = f.Court
		d.Months = append(d.Months, overviewTrendMonth{p, f.Read(def, t)})
	}
	return d, nil
}

// overviewTrendChart is the JSON static/overview.js draws the trend from:
// the months, the figure's value each month (null where a rate has
// nothing to count) and its target if it has one; a breakdown draws one
// series per part.
func overviewTrendChart(d *overviewTrendData) (template.JS, error) {
	type series struct {
		Name string     `json:"name"`
		Data []*float64 `json:"data"`
	}
	out := map[string]any{"percent": d.Def.Kind == overview.KindRatio}
	var months []string
	for _, m := range d.Months {
		months = append(months, m.Period.String())
	}
	out["months"] = months
	var ss []series
	if d.Def.Kind == overview.KindBreakdown {
		idx := map[string]int{}
		for i, m := range d.Months {
			for _, c := range m.Breakdown {
				j, ok := idx[c.Label]
				if !ok {
					j = len(ss)
					idx[c.Label] = j
					ss = append(ss, series{Name: c.Label, Data: make([]*float64, len(d.Months))})
				}
				n := float64(c.N)
				ss[j].Data[i] = &n
			}
		}
	} else {
		s := series{Name: d.Def.Name}
		for _, m := range d.Months {
			if v, ok := m.Value(); ok {
				v = round1(v)
				s.Data = append(s.Data, &v)
			} else {
				s.Data = append(s.Data, nil)
			}
		}
		ss = append(ss, s)
		if len(d.Months) > 0 && d.Months[0].Target != nil {
			out["target"] = d.Months[0].Target.Value
		}
	}
	out["series"] = ss
	js, err := json.Marshal(out)
	return template.JS(js), err
}

// overviewTrend shows one figure of the cockpit month by month.
func (s *Server) overviewTrend(w http.ResponseWriter, r *http.Request, rq *request) {
	d, err := s.overviewTrendLoad(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Chart, err = overviewTrendChart(d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "overview_trend", &page{Title: d.Def.Name + "近12个月趋势", Data: d})
}

// overviewTrendXLSX exports the trend's table.
func (s *Server) overviewTrendXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	d, err := s.overviewTrendLoad(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scope := "本院"
	if d.Query.Subtree {
		scope = "本院及辖区法院"
	}
	b := newWorkbook("趋势")
	b.row("法院", d.Court.Name, "范围", scope, "项目", d.Def.Name, "口径", d.Def.Help())
	b.row()
	switch d.Def.Kind {
	case overview.KindRatio:
		b.row("月份", "数值", "分子", "分母", "目标", "状态")
	case overview.KindCount:
		b.row("月份", "数值", "目标", "状态")
	default:
		b.row("月份", "合计", "分项")
	}
	for _, m := range d.Months {
		switch d.Def.Kind {
		case overview.KindRatio:
			b.row(m.Period.String(), m.Text(), m.Ratio.Num, m.Ratio.Den, m.TargetText(), m.StatusText())
		case overview.KindCount:
			b.row(m.Period.String(), m.Count, m.TargetText(), m.StatusText())
		default:
			var parts []string
			for _, c := range m.Breakdown {
				parts = append(parts, fmt.Sprintf("%s %d", c.Label, c.N))
			}
			b.row(m.Period.String(), m.Text(), strings.Join(parts, "；"))
		}
	}
	s.sendWorkbook(w, r, b, fmt.Sprintf("%s-%s-近12个月.xlsx", d.Def.ShortName(), d.Court.Name))
}

// StatusText is the month's status in words, "" for a figure without a
// target.
func (m overviewTrendMonth) StatusText() string {
	if m.Target == nil {
		return ""
	}
	return m.Status.Label()
}

package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// trackStatsFor reads the statistics for the court the query names (the
// viewer's own by default) and the months it gives (the twelve up to this
// one by default), for the three bodies and the watchdogs above. A month
// that cannot be read or a backwards range is an error for its field.
func (s *Server) trackStatsFor(r *http.Request, rq *request) (*store.TrackingStats, store.TrackingStatsFilter, error) {
	if !tracking.SeesTracking(rq.viewer) {
		return nil, store.TrackingStatsFilter{}, domain.Errorf(domain.ErrForbidden, "重点案件跟踪统计供执行局、纪检监察组、监察室使用。")
	}
	q := r.URL.Query()
	f := store.TrackingStatsFilter{Court: strings.TrimSpace(q.Get("court"))}
	var err error
	if f.From, f.To, err = statsMonths(q, s.today()); err != nil {
		return nil, f, err
	}
	st, err := s.DB.TrackingStatistics(r.Context(), rq.viewer, f)
	if f.Court == "" {
		f.Court = rq.viewer.CourtCode
	}
	return st, f, err
}

// trackStats shows mechanism 1's statistics over a period: trackings by
// court and scope, days from candidate to decision, findings by rule and
// aspect, the recommendations open, closed and overdue, and month by
// month the candidates, decisions and closings, with charts drawn by
// static/tracking_stats.js from the JSON the page carries.
func (s *Server) trackStats(w http.ResponseWriter, r *http.Request, rq *request) {
	st, f, err := s.trackStatsFor(r, rq)
	if fe := fieldErrors(err); fe != nil {
		// The page again with the range as typed and the message beside
		// the field; nothing is counted over a range that does not exist.
		s.render(w, r, http.StatusUnprocessableEntity, "tracking_stats", &page{Title: "重点案件跟踪统计", Error: domain.UserMessage(err),
			Form: formState{Values: r.URL.Query(), Errors: fe}, Data: map[string]any{"S": &store.TrackingStats{}, "Filter": f,
				"Scopes": tracking.Scopes, "Chart": template.JS("{}")}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	chart := map[string]any{"courts": []string{}, "scopes": []string{}, "series": [][]int{}, "recs": []int{st.RecOpen, st.RecClosed, st.RecOverdue},
		"recLabels": []string{tracking.RecOpen.Label(), tracking.RecClosed.Label(), tracking.RecOverdue.Label()},
		"months":    []string{}, "candidates": []int{}, "decided": []int{}, "closed": []int{}}
	series := make([][]int, len(tracking.Scopes))
	for _, c := range st.Courts {
		chart["courts"] = append(chart["courts"].([]string), c.Name)
		for i, sc := range tracking.Scopes {
			series[i] = append(series[i], c.Scopes[sc])
		}
	}
	for _, sc := range tracking.Scopes {
		chart["scopes"] = append(chart["scopes"].([]string), sc.Label())
	}
	chart["series"] = series
	for _, m := range st.Months {
		chart["months"] = append(chart["months"].([]string), m.Month)
		chart["candidates"] = append(chart["candidates"].([]int), m.Candidates)
		chart["decided"] = append(chart["decided"].([]int), m.Decided)
		chart["closed"] = append(chart["closed"].([]int), m.Closed)
	}
	js, err := json.Marshal(chart)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tracking_stats", &page{Title: "重点案件跟踪统计", Data: map[string]any{
		"S": st, "Filter": f, "Scopes": tracking.Scopes, "Chart": template.JS(js),
		"ExportURL": "/tracking/stats.xlsx?" + url.Values{"court": {f.Court}, "from": {f.From}, "to": {f.To}}.Encode()}})
}

// trackStatsXLSX exports the statistics, one sheet per table.
func (s *Server) trackStatsXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	st, f, err := s.trackStatsFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := newWorkbook("按法院和范围")
	b.row(fmt.Sprintf("重点案件跟踪统计（%s 至 %s 列为候选的案件）", f.From, f.To))
	head := []any{"法院", "跟踪案件"}
	for _, sc := range tracking.Scopes {
		head = append(head, sc.Label())
	}
	b.row(append(head, "决定跟踪", "已结束")...)
	for _, c := range st.Courts {
		row := []any{c.Name, c.Total}
		for _, sc := range tracking.Scopes {
			row = append(row, c.Scopes[sc])
		}
		b.row(append(row, c.Tracked, c.Closed)...)
	}
	b.addSheet("评估决定用时")
	b.row("已决定", "中位数（天）", "平均（天）", "最长（天）")
	b.row(st.Decided, st.MedianDays, st.MeanDays, st.MaxDays)
	b.addSheet("发现的问题")
	b.row("规则", "数量")
	for _, f := range st.FindingsByRule {
		b.row(f.Label, f.Count)
	}
	b.row()
	b.row("监督内容", "数量")
	for _, f := range st.FindingsByAspect {
		b.row(f.Label, f.Count)
	}
	b.addSheet("意见建议")
	b.row(tracking.RecOpen.Label(), tracking.RecClosed.Label(), tracking.RecOverdue.Label())
	b.row(st.RecOpen, st.RecClosed, st.RecOverdue)
	b.addSheet("按月")
	b.row("月份", "列为候选", "决定跟踪", "已结束")
	for _, m := range st.Months {
		b.row(m.Month, m.Candidates, m.Decided, m.Closed)
	}
	s.sendWorkbook(w, r, b, fmt.Sprintf("重点案件跟踪统计-%s-%s至%s.xlsx", f.Court, f.From, f.To))
}

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
// viewer's own by default), for the three bodies and the watchdogs above.
func (s *Server) trackStatsFor(r *http.Request, rq *request) (*store.TrackingStats, string, error) {
	if !tracking.SeesTracking(rq.viewer) {
		return nil, "", domain.Errorf(domain.ErrForbidden, "重点案件跟踪统计供执行局、纪检监察组、监察室使用。")
	}
	code := strings.TrimSpace(r.URL.Query().Get("court"))
	st, err := s.DB.TrackingStatistics(r.Context(), rq.viewer, code)
	if code == "" {
		code = rq.viewer.CourtCode
	}
	return st, code, err
}

// trackStats shows mechanism 1's statistics: trackings by court and scope,
// days from candidate to decision, findings by rule and aspect, and the
// recommendations open, closed and overdue, with a chart drawn by
// static/tracking_stats.js from the JSON the page carries.
func (s *Server) trackStats(w http.ResponseWriter, r *http.Request, rq *request) {
	st, code, err := s.trackStatsFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	chart := map[string]any{"courts": []string{}, "scopes": []string{}, "series": [][]int{}, "recs": []int{st.RecOpen, st.RecClosed, st.RecOverdue},
		"recLabels": []string{tracking.RecOpen.Label(), tracking.RecClosed.Label(), tracking.RecOverdue.Label()}}
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
	js, err := json.Marshal(chart)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tracking_stats", &page{Title: "重点案件跟踪统计", Data: map[string]any{
		"S": st, "Court": code, "Scopes": tracking.Scopes, "Chart": template.JS(js),
		"ExportURL": "/tracking/stats.xlsx?" + url.Values{"court": {code}}.Encode()}})
}

// trackStatsXLSX exports the statistics, one sheet per table.
func (s *Server) trackStatsXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	st, code, err := s.trackStatsFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := newWorkbook("按法院和范围")
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
	s.sendWorkbook(w, r, b, fmt.Sprintf("重点案件跟踪统计-%s.xlsx", code))
}

package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

type todo struct {
	Title, Href, Due string
	Overdue          bool
}

type mechanism struct{ Name, Desc, Href string }

// mechanisms are the four of the seed document; Href stays empty until a
// mechanism's pages exist, so that nothing links to a page that is not there.
var mechanisms = []mechanism{
	{Name: "重点案件跟踪", Desc: "评估、会商、工作小组跟踪监督重点执行案件"},
	{Name: "当事人回访", Desc: "每月随机抽取5%执结案件短信回访，重点案件电话、实地回访"},
	{Name: "专项督察评查", Desc: "专项督察、司法巡查、案件评查及整改落实"},
	{Name: "外出执行情况报告", Desc: "出门讲纪律、回来述廉洁"},
}

// mechanismsFor links each mechanism whose pages exist and that the
// viewer may use.
func mechanismsFor(v domain.Viewer) []mechanism {
	out := make([]mechanism, len(mechanisms))
	copy(out, mechanisms)
	for i := range out {
		if out[i].Name == "重点案件跟踪" && tracking.SeesTracking(v) {
			out[i].Href = "/tracking"
		}
		if out[i].Name == "当事人回访" && visit.CanSee(v) {
			out[i].Href = "/visits"
		}
		if out[i].Name == "专项督察评查" && inspection.CanCreate(v) {
			out[i].Href = "/inspections"
		}
		if out[i].Name == "外出执行情况报告" && trip.CanSee(v) {
			out[i].Href = "/trips"
		}
	}
	return out
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, rq *request) {
	todos, err := s.todos(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", &page{Title: "首页", Data: struct {
		Todos      []todo
		Mechanisms []mechanism
	}{Todos: todos, Mechanisms: mechanismsFor(rq.viewer)}})
}

// todos gathers what waits on the user, overdue first.
func (s *Server) todos(r *http.Request, rq *request) ([]todo, error) {
	vt, err := s.DB.VisitTodos(r.Context(), rq.viewer, 50)
	if err != nil {
		return nil, err
	}
	now := s.DB.Now()
	out := make([]todo, 0, len(vt))
	for _, t := range vt {
		title := map[visit.Step]string{visit.StepNew: "开始回访", visit.StepPhonePending: "电话回访", visit.StepConsultation: "会商回访情况",
			visit.StepOnsitePending: "实地回访"}[t.Step]
		out = append(out, todo{Title: title + "：" + t.CaseNumber, Href: fmt.Sprintf("/visits/%d", t.VisitID), Due: formatTime(t.Due),
			Overdue: !t.Due.IsZero() && now.After(t.Due)})
	}
	tt, err := s.DB.TripTodos(r.Context(), rq.viewer, 50)
	if err != nil {
		return nil, err
	}
	for _, t := range tt {
		d := ""
		if !t.Due.IsZero() {
			d = formatTime(t.Due)
		}
		out = append(out, todo{Title: t.Title, Href: t.Href, Due: d, Overdue: t.Overdue})
	}
	rt, err := s.DB.RectToDos(r.Context(), rq.viewer)
	if err != nil {
		return nil, err
	}
	for _, t := range rt {
		title := t.Step + "：" + t.Court + " " + t.Title
		if t.Overdue {
			title += "（逾期）"
		}
		out = append(out, todo{Title: title, Href: fmt.Sprintf("/rectifications/%d", t.RectID), Due: t.Deadline.String(), Overdue: t.Overdue})
	}
	kt, err := s.DB.TrackingTodos(r.Context(), rq.viewer)
	if err != nil {
		return nil, err
	}
	for _, t := range kt {
		d := ""
		if !t.Due.IsZero() {
			d = t.Due.String()
		}
		out = append(out, todo{Title: t.Title, Href: fmt.Sprintf("/tracking/%d", t.TrackingID), Due: d, Overdue: t.Overdue})
	}
	wt, err := s.DB.TrackingWorkTodos(r.Context(), rq.viewer)
	if err != nil {
		return nil, err
	}
	for _, t := range wt {
		d := ""
		if !t.Due.IsZero() {
			d = t.Due.String()
		}
		out = append(out, todo{Title: t.Title, Href: fmt.Sprintf("/tracking/%d/work", t.TrackingID), Due: d, Overdue: t.Overdue})
	}
	it, err := s.DB.InspectionTodos(r.Context(), rq.viewer)
	if err != nil {
		return nil, err
	}
	for _, t := range it {
		out = append(out, todo{Title: t.Title, Href: t.Href, Due: dueText(t.Due), Overdue: !t.Due.IsZero() && t.Due.Before(s.today())})
	}
	ct, err := s.DB.ClueTodos(r.Context(), rq.viewer, 50)
	if err != nil {
		return nil, err
	}
	for _, t := range ct {
		title := map[oversight.ClueState]string{oversight.ClueOpen: "核查问题线索", oversight.ClueVerifying: "办结问题线索"}[t.State]
		d := ""
		if !t.DueOn.IsZero() {
			d = t.DueOn.String()
		}
		out = append(out, todo{Title: fmt.Sprintf("%s %d", title, t.ID), Href: fmt.Sprintf("/clues/%d", t.ID), Due: d, Overdue: t.Overdue})
	}
	if n, err := s.DB.OpenFindings(r.Context(), rq.viewer); err != nil {
		return nil, err
	} else if n > 0 {
		out = append(out, todo{Title: fmt.Sprintf("核实网上巡查发现的问题：%d项待核实", n), Href: "/patrol?state=open"})
	}
	grants, err := s.DB.PendingGrantsFor(r.Context(), rq.viewer)
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		out = append(out, todo{Title: "审批角色授予：" + g.Name + " " + g.Role.Label(), Href: "/admin/grants"})
	}
	if rq.viewer.CanGrantRoles() {
		reqs, err := s.DB.AccountRequests(r.Context(), rq.viewer, true, 0)
		if err != nil {
			return nil, err
		}
		for _, q := range reqs {
			if q.RequestedBy != rq.user.ID && q.UserID != rq.user.ID {
				out = append(out, todo{Title: "审批" + domain.ResetKindLabels[q.Kind] + "：" + q.Name, Href: "/admin/grants"})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Overdue && !out[j].Overdue })
	return out, nil
}

// nav builds the left navigation for the user's roles.
func (s *Server) nav(rq *request, path string) []navItem {
	items := []navItem{{Label: "首页", Href: "/", Active: path == "/"}}
	if rq.viewer.CanReadCases() {
		items = append(items, navItem{Label: "执行案件", Href: "/cases", Active: strings.HasPrefix(path, "/cases")})
		items = append(items, navItem{Label: "四项机制"})
		for _, m := range mechanismsFor(rq.viewer) {
			items = append(items, navItem{Label: m.Name, Href: m.Href, Disabled: m.Href == "", Active: m.Href != "" && strings.HasPrefix(path, m.Href)})
		}
	}
	if visit.Runs(rq.viewer) {
		items = append(items, navItem{Label: "回访短信", Href: "/sms", Active: strings.HasPrefix(path, "/sms")})
	}
	if tracking.SeesAnyFindings(rq.viewer) {
		items = append(items, navItem{Label: "网上巡查", Href: "/patrol", Active: strings.HasPrefix(path, "/patrol")})
	}
	if oversight.SeesComplaints(rq.viewer) {
		items = append(items, navItem{Label: "投诉举报、信访", Href: "/complaints", Active: strings.HasPrefix(path, "/complaints")})
	}
	if oversight.SeesRectifications(rq.viewer) {
		items = append(items, navItem{Label: "改进意见建议、整改", Href: "/rectifications", Active: strings.HasPrefix(path, "/rectifications")})
	}
	if oversight.SeesClues(rq.viewer) {
		items = append(items, navItem{Label: "问题线索", Href: "/clues", Active: strings.HasPrefix(path, "/clues")})
		items = append(items, navItem{Label: "四种形态处置", Href: "/dispositions", Active: strings.HasPrefix(path, "/dispositions")})
	}
	if rq.viewer.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) {
		items = append(items, navItem{Label: "领导与联络员", Href: "/court-posts", Active: strings.HasPrefix(path, "/court-posts")})
	}
	if rq.viewer.CanReadAudit() {
		items = append(items, navItem{Label: "监督"}, navItem{Label: "审计日志", Href: "/audit", Active: strings.HasPrefix(path, "/audit")})
	}
	if rq.viewer.ManagesAccounts() {
		items = append(items, navItem{Label: "系统管理"},
			navItem{Label: "用户管理", Href: "/admin/users", Active: strings.HasPrefix(path, "/admin/users")})
	}
	if rq.viewer.CanGrantRoles() {
		items = append(items, navItem{Label: "角色授予审批", Href: "/admin/grants", Active: strings.HasPrefix(path, "/admin/grants")})
	}
	if rq.viewer.ManagesAccounts() {
		items = append(items, navItem{Label: "接口令牌", Href: "/admin/tokens", Active: strings.HasPrefix(path, "/admin/tokens")})
	}
	if rq.viewer.CanAdminister() {
		items = append(items,
			navItem{Label: "法院管理", Href: "/admin/courts", Active: strings.HasPrefix(path, "/admin/courts")},
			navItem{Label: "承办人账户关联", Href: "/admin/unmatched-officers", Active: strings.HasPrefix(path, "/admin/unmatched-officers")},
			navItem{Label: "短信网关", Href: "/admin/sms", Active: strings.HasPrefix(path, "/admin/sms")},
			navItem{Label: "消息通知设置", Href: "/admin/notices", Active: strings.HasPrefix(path, "/admin/notices")})
	}
	items = append(items, navItem{Label: "帮助"}, navItem{Label: "使用帮助", Href: "/help", Active: strings.HasPrefix(path, "/help")})
	return items
}

// dueText is a deadline as a to-do shows it, "" for none.
func dueText(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

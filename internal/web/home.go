package web

import (
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

type mechanism struct{ Name, Desc, Href string }

// mechanisms are the four of the seed document; mechanismsFor links those
// the viewer takes part in.
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
	s.render(w, r, http.StatusOK, "home", &page{Title: "首页", Data: homeData{Todos: todos, Mechanisms: mechanismsFor(rq.viewer)}})
}

// homeData is what the home page shows (writeHome).
type homeData struct {
	Todos      todoList
	Mechanisms []mechanism
}

// nav builds the left navigation for the user's roles.
func (s *Server) nav(rq *request, path string) []navItem {
	items := []navItem{{Label: "首页", Href: "/", Active: path == "/"}}
	if rq.viewer.CanReadCases() {
		items = append(items, navItem{Label: "执行案件", Href: "/cases", Active: strings.HasPrefix(path, "/cases")})
		// Only the mechanisms the user takes part in: the others are
		// built, and not his to use.
		var ms []navItem
		for _, m := range mechanismsFor(rq.viewer) {
			if m.Href != "" {
				ms = append(ms, navItem{Label: m.Name, Href: m.Href, Active: strings.HasPrefix(path, m.Href)})
			}
		}
		if len(ms) > 0 {
			items = append(append(items, navItem{Label: "四项机制"}), ms...)
		}
	}
	if rq.viewer.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) {
		items = append(items, navItem{Label: "运行总览", Href: "/overview", Active: strings.HasPrefix(path, "/overview")})
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
	if integrity.Sees(rq.viewer) && !rq.viewer.System {
		items = append(items, navItem{Label: "廉政档案", Href: "/integrity", Active: strings.HasPrefix(path, "/integrity")})
	}
	if rq.viewer.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) {
		items = append(items, navItem{Label: "领导与联络员", Href: "/court-posts", Active: strings.HasPrefix(path, "/court-posts")})
	}
	if report.Reads(rq.viewer) {
		items = append(items, navItem{Label: "运行报告", Href: "/reports", Active: strings.HasPrefix(path, "/reports")})
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
			navItem{Label: "短信网关", Href: "/admin/sms", Active: path == "/admin/sms"},
			navItem{Label: "短信模板", Href: "/admin/sms/templates", Active: strings.HasPrefix(path, "/admin/sms/templates")},
			navItem{Label: "消息通知设置", Href: "/admin/notices", Active: strings.HasPrefix(path, "/admin/notices")})
	}
	items = append(items, navItem{Label: "帮助"}, navItem{Label: "使用帮助", Href: "/help", Active: strings.HasPrefix(path, "/help")})
	return items
}

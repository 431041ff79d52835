package web

import (
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// helpTopic is one mechanism's help page: the document's clause quoted
// (helpClauses), the steps the system takes it through, who does what,
// and where to work on it.
type helpTopic struct {
	Slug, Title string
	// Steps run left to right in the diagram; a step's Branch is what
	// happens beside the main line (a visit that ends on 满意).
	Steps []helpStep
	Who   []helpRole
	Pages []helpLink
}

type helpStep struct{ Name, Who, Branch string }

type helpRole struct{ Role, Does string }

type helpLink struct{ Label, Href string }

// helpTopics are the four mechanisms and the oversight of 组织保障, in the
// document's order.
var helpTopics = []helpTopic{
	{Slug: "tracking", Title: "重点案件跟踪",
		Steps: []helpStep{
			{Name: "列出候选案件", Who: "系统按五类范围提示；执行局综合评估", Branch: "投诉举报、信访、舆情、社会影响、上级督办的案件自动提示"},
			{Name: "三家会商", Who: "执行局、纪检监察组、监察室", Branch: "会商不跟踪的，写明理由"},
			{Name: "组成工作小组", Who: "三家分别派员"},
			{Name: "跟踪监督", Who: "工作小组", Branch: "了解流程、网上巡查执行行为、询问当事人"},
			{Name: "提出意见建议、结束跟踪", Who: "工作小组；执行局落实"},
		},
		Who: []helpRole{
			{"执行局", "评估案件，确定拟跟踪的重点案件，参加会商并派员，落实意见建议"},
			{"派驻纪检监察组", "参加会商并派员，跟踪中发现问题线索的依规依纪核查"},
			{"监察室", "参加会商并派员，内部监督"},
			{"执行人员", "承办被跟踪的案件；看不到跟踪记录"},
		},
		Pages: []helpLink{{"重点案件跟踪", "/tracking"}, {"网上巡查", "/patrol"}, {"统计", "/tracking/stats"}}},
	{Slug: "visits", Title: "当事人回访",
		Steps: []helpStep{
			{Name: "每月随机抽取5%执结案件", Who: "执行指挥中心（系统每日自动抽取上月）", Branch: "重点回访：超18个月未结等四类案件由指挥中心列入"},
			{Name: "短信回访", Who: "系统发送，当事人回复", Branch: "回复“满意”的，不再继续回访"},
			{Name: "电话回访", Who: "执行指挥中心", Branch: "回复“不满意”“不知道”的；电话回访后满意的结束"},
			{Name: "三家会商", Who: "执行局、纪检监察组、监察室"},
			{Name: "实地回访，提出工作措施和建议", Who: "三家分别安排专人"},
		},
		Who: []helpRole{
			{"执行指挥中心", "抽取、发送短信、电话回访、列入重点回访、统计分析"},
			{"执行局、派驻纪检监察组、监察室", "当事人仍不满意的会商，分别安排专人实地回访"},
			{"执行人员、部门负责人", "看不到当事人对本人的回访内容"},
		},
		Pages: []helpLink{{"回访", "/visits"}, {"每月抽取", "/visit-batches"}, {"回访统计", "/visit-stats"}, {"回访短信", "/sms"}}},
	{Slug: "inspections", Title: "专项督察评查",
		Steps: []helpStep{
			{Name: "成立工作组", Who: "执行局、纪检监察组、监察室"},
			{Name: "确定督察对象和事项", Who: "工作组", Branch: "专项执行行动、平安建设考评、纪律作风、执行案款管理"},
			{Name: "督察、巡查、评查", Who: "工作组"},
			{Name: "认定问题，提出整改措施", Who: "工作组"},
			{Name: "整改落实、销号", Who: "被督察单位整改；监督单位验收"},
		},
		Who: []helpRole{
			{"执行局、派驻纪检监察组、监察室", "成立工作组，联合开展专项督察评查，提出整改措施"},
			{"被督察的法院、部门", "按整改措施整改并报告"},
		},
		Pages: []helpLink{{"专项督察评查", "/inspections"}, {"改进意见建议、整改", "/rectifications"}}},
	{Slug: "trips", Title: "外出执行情况报告",
		Steps: []helpStep{
			{Name: "登记外出", Who: "执行人员（出发前）", Branch: "目的地在本院辖区内的，无需报告"},
			{Name: "提出纪律要求", Who: "所在部门负责人（出发前）"},
			{Name: "外出执行", Who: "执行人员及同行人员"},
			{Name: "填写报告单（附件1）", Who: "每位外出人员（返回后）"},
			{Name: "审阅；不如实报告的处置", Who: "部门负责人谈话提醒、要求补报", Branch: "违纪违法查证属实的，由纪检监察组、监察室处理"},
		},
		Who: []helpRole{
			{"执行人员", "出发前登记，返回后如实填写并签名提交报告单；执结后报告全程廉洁情况（附件2）"},
			{"部门负责人", "出发前提出办案注意事项和纪律作风要求，审阅报告单；纳入“一岗双责”"},
			{"派驻纪检监察组、监察室", "对不如实报告、发生违纪违法行为的依规依纪处理"},
		},
		Pages: []helpLink{{"外出执行情况报告", "/trips"}, {"报告审查", "/trip-reviews"}, {"一岗双责", "/trips/accountability"}}},
	{Slug: "oversight", Title: "组织保障与“四种形态”",
		Steps: []helpStep{
			{Name: "登记投诉举报、信访", Who: "执行指挥中心等"},
			{Name: "评估是否有明确线索", Who: "纪检监察组、监察室", Branch: "有明确线索的，列为重点案件跟踪候选"},
			{Name: "问题线索核查", Who: "纪检监察组、监察室"},
			{Name: "运用“四种形态”处置", Who: "纪检监察组、监察室", Branch: "谈话提醒、预警约谈等"},
			{Name: "改进意见建议、整改销号", Who: "监督单位提出；执行局落实"},
		},
		Who: []helpRole{
			{"执行局局长、派驻纪检监察组组长", "共同领导“四项监督机制”"},
			{"执行局、纪检监察组、监察室", "共同组织实施，各确定一名联络员"},
			{"纪检监察组、监察室", "向执行局提出改进意见建议，核查处理问题线索"},
		},
		Pages: []helpLink{{"投诉举报、信访", "/complaints"}, {"问题线索", "/clues"}, {"四种形态处置", "/dispositions"}, {"改进意见建议、整改", "/rectifications"}, {"领导与联络员", "/court-posts"},
			{"廉政档案", "/integrity"}}},
}

func helpTopicBySlug(slug string) (helpTopic, bool) {
	for _, t := range helpTopics {
		if t.Slug == slug {
			return t, true
		}
	}
	return helpTopic{}, false
}

// helpFor is the help topic of the mechanism a page belongs to, or "".
func helpFor(path string) string {
	for _, p := range []struct{ prefix, slug string }{
		{"/tracking", "tracking"}, {"/patrol", "tracking"},
		{"/visit", "visits"}, {"/sms", "visits"}, {"/forms/annex3", "visits"},
		{"/inspections", "inspections"},
		{"/trip", "trips"}, {"/annex2", "trips"},
		{"/complaints", "oversight"}, {"/clues", "oversight"}, {"/dispositions", "oversight"}, {"/rectifications", "oversight"}, {"/court-posts", "oversight"},
		{"/integrity", "oversight"},
	} {
		if strings.HasPrefix(path, p.prefix) {
			return p.slug
		}
	}
	return ""
}

// roleStart says where a role starts: shown once after the first
// sign-in, and at /help/start at any time.
type roleStart struct {
	Role  string
	Does  string
	Start []helpLink
}

var roleStarts = map[domain.Role]roleStart{
	domain.RoleOfficer: {Does: "出发前登记外出执行，返回后填写外出执行情况报告单；案件执结后报告全程廉洁情况。首页列出您需要完成的事项。",
		Start: []helpLink{{"登记外出执行", "/trips/new"}, {"我的外出记录", "/trips"}, {"外出执行情况报告说明", "/help/trips"}}},
	domain.RoleDeptHead: {Does: "对本部门人员的外出执行，出发前提出纪律要求，返回后审阅报告单；“一岗双责”情况在此汇总。",
		Start: []helpLink{{"外出执行情况报告", "/trips"}, {"一岗双责", "/trips/accountability"}, {"外出执行情况报告说明", "/help/trips"}}},
	domain.RoleCommandCenter: {Does: "每月抽取回访案件、处理短信回复、电话回访；导入执行案件；登记投诉举报。",
		Start: []helpLink{{"每月抽取", "/visit-batches"}, {"回访", "/visits"}, {"导入案件", "/cases/import"}, {"当事人回访说明", "/help/visits"}}},
	domain.RoleBureau: {Does: "评估案件、确定拟跟踪的重点案件并参加会商；参加回访会商；落实整改。",
		Start: []helpLink{{"重点案件跟踪", "/tracking"}, {"改进意见建议、整改", "/rectifications"}, {"重点案件跟踪说明", "/help/tracking"}}},
	domain.RoleDisciplineGroup: {Does: "专责监督：参加会商、实地回访，评估投诉举报，核查问题线索，运用“四种形态”处置。",
		Start: []helpLink{{"投诉举报、信访", "/complaints"}, {"问题线索", "/clues"}, {"重点案件跟踪", "/tracking"}, {"组织保障说明", "/help/oversight"}}},
	domain.RoleSupervisionOffice: {Does: "内部监督：参加会商、实地回访，开展专项督察评查，向执行局提出改进意见建议。",
		Start: []helpLink{{"专项督察评查", "/inspections"}, {"改进意见建议、整改", "/rectifications"}, {"专项督察评查说明", "/help/inspections"}}},
	domain.RoleAdmin: {Does: "维护法院、部门和用户账户，配置短信网关、短信模板与签名和消息通知。",
		Start: []helpLink{{"用户管理", "/admin/users"}, {"法院管理", "/admin/courts"}, {"短信网关", "/admin/sms"}, {"短信模板", "/admin/sms/templates"}}},
	domain.RoleSecurityAdmin: {Does: "审批角色授予，重置动态口令，管理账户安全。",
		Start: []helpLink{{"角色授予审批", "/admin/grants"}, {"用户管理", "/admin/users"}}},
	domain.RoleAuditor: {Does: "查阅审计日志，核对系统中每一次查看和改动。",
		Start: []helpLink{{"审计日志", "/audit"}}},
}

// startsFor is where the user's roles start, in the roles' order.
func startsFor(u *domain.User) []roleStart {
	var out []roleStart
	for _, r := range u.Roles {
		if st, ok := roleStarts[r]; ok {
			st.Role = r.Label()
			out = append(out, st)
		}
	}
	return out
}

func (s *Server) helpIndex(w http.ResponseWriter, r *http.Request, rq *request) {
	s.render(w, r, http.StatusOK, "help", &page{Title: "使用帮助", Data: struct {
		Topics []helpTopic
		Starts []roleStart
	}{helpTopics, startsFor(rq.user)}})
}

func (s *Server) helpTopicPage(w http.ResponseWriter, r *http.Request, rq *request) {
	slug := r.PathValue("topic")
	if slug == "start" {
		s.render(w, r, http.StatusOK, "help_start", &page{Title: "从这里开始", Data: startsFor(rq.user)})
		return
	}
	t, ok := helpTopicBySlug(slug)
	if !ok {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	s.render(w, r, http.StatusOK, "help_topic", &page{Title: t.Title + " · 说明", Data: struct {
		helpTopic
		Clause []string
	}{t, helpClauses[slug]}})
}

// firstLoginCookie marks a browser whose user has just signed in for the
// first time: the next page shows where the user's roles start, once.
const firstLoginCookie = "zl_first"

func (s *Server) markFirstLogin(w http.ResponseWriter, r *http.Request, u *domain.User) {
	if !u.LastLoginAt.IsZero() {
		return
	}
	s.cookie(w, r, firstLoginCookie, "1", 3600)
}

// takeFirstLogin reports, once, that the home page should greet a user
// signed in for the first time.
func (s *Server) takeFirstLogin(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/" || r.Method != http.MethodGet {
		return false
	}
	if _, err := r.Cookie(firstLoginCookie); err != nil {
		return false
	}
	s.clearCookie(w, r, firstLoginCookie)
	return true
}

package web

import (
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// actionLabels are the Chinese names of the audited actions written under
// a fixed name. TestEveryAuditActionLabelled finds every action the code
// writes and fails on one missing here or in actionKinds.
var actionLabels = map[string]string{
	"login": "登录", "logout": "退出", "user.create": "新建用户", "user.update": "修改用户",
	"user.disable": "停用用户", "user.enable": "启用用户", "user.unlock": "解除锁定",
	"user.password_reset": "重置密码", "user.password_change": "修改密码", "token.create": "签发接口令牌",
	"court.import": "导入法院目录", "court.update": "修改法院", "department.add": "新增部门",
	"token.revoke": "撤销接口令牌", "role.grant": "授予角色", "role.request": "申请授予角色", "role.approve": "批准授予角色",
	"role.reject": "驳回授予角色", "role.cancel": "撤回授予申请", "role.revoke": "撤销角色", "mfa.enrol": "绑定动态口令",
	"mfa.reset": "重置动态口令", "mfa.remove": "解除动态口令", "mfa.recovery_codes": "重新生成恢复码", "audit.rekey": "审计链启用密钥",
	"case.officer_link": "案件关联承办人账户", "officer.map": "指定承办人账户", "officer.unmap": "取消承办人账户指定",
	"account.request": "申请重置密码或动态口令", "account.cancel": "撤回账户申请", "account.approve": "批准账户申请", "account.reject": "驳回账户申请",
	"demo.password": "演示账户设置密码",

	"case.import": "导入执行案件", "case.import_file": "上传案件数据文件", "case.acts": "导入执行行为", "case.extend": "延长执行期限",
	"case.flags": "标记案件情形", "case.pause": "登记案件中止、暂缓", "case.supervise": "登记案件督办", "calendar.import": "导入节假日安排",
	"attachment.add": "上传附件", "phone.view": "查看当事人电话号码", "notice.sms": "发送通知短信",

	"sms.decide": "处理短信回复", "sms.reply_handled": "短信回复已处理", "sms.test": "测试短信网关", "sms.unreadable": "登记无法识别的短信回复",
	"sms.template": "修改短信模板", "sms.template_reset": "短信模板恢复默认", "sms.signature": "设置短信签名",
	"visit.draw": "抽取回访案件", "visit.focus_manual": "指定重点案件回访", "visit.focus_scan": "筛查重点案件回访", "visit.seed_commit": "确定抽样种子",
	"visit.link_answer": "当事人通过回访链接作答",

	"complaint.register": "登记投诉举报、信访", "complaint.assess": "研判投诉举报、信访",
	"clue.register": "登记问题线索", "clue.assign": "分办问题线索", "clue.step": "登记核查步骤", "clue.conclude": "办结问题线索",
	"disposition.record": "登记四种形态处置", "disposition.talk": "登记谈话提醒",
	"rectification.report": "填报整改情况", "rectification.decide": "验收整改事项", "rectification.item": "分解整改事项",
	"suggestion.issue": "发出改进意见建议", "court.post": "指定领导与联络员",
	"integrity.view": "查看廉政档案", "integrity.evaluate": "运行廉政预警规则", "integrity.propose": "提出廉政预警",
	"integrity.accept": "预警约谈（采纳预警）", "integrity.dismiss": "不予约谈（驳回预警）",

	"tracking.open": "列为重点案件候选", "tracking.add_reason": "增加重点案件情形", "tracking.refresh": "更新重点案件候选",
	"tracking.record": "登记跟踪监督记录", "tracking.recommend": "提出改进意见建议", "tracking.close": "结束跟踪",
	"patrol.run": "运行网上巡查", "patrol.finding.found": "网上巡查发现问题", "patrol.finding.gone": "网上巡查问题消除",

	"inspection.create": "新建专项督察评查", "inspection.update": "修改专项督察评查", "inspection.checklist": "设定评查表",
	"inspection.draw": "抽取评查对象", "inspection.pick": "指定评查对象", "inspection.units": "设定评查单位",
	"inspection.assign": "分配评查人", "inspection.declare": "评查人声明无利害关系", "inspection.sheet": "提交评查表",
	"inspection.recheck": "复核评查表", "inspection.finding": "记录评查发现的问题", "inspection.file": "上传评查证据",
	// Both the campaign's step and a finding's: one name for the two.
	"inspection.rectify": "专项督察评查转入整改或交办问题整改",
	"inspection.repeat":  "按计划生成下一期专项督察评查",

	"trip.create": "登记外出执行", "trip.cancel": "取消外出执行", "trip.not_taken": "登记未成行", "trip.report": "填报外出执行情况报告单",
	"trip.requirement": "提出纪律要求", "trip.annex2": "填报全程廉洁情况报告单",
	"trip.review_note": "处理外出报告", "trip.review_talk": "登记谈话提醒、批评教育", "trip.review_conclude": "审查外出报告",

	"report.create": "起草四项机制运行情况报告", "report.edit": "修改运行情况报告正文", "report.submit": "报送运行情况报告",
	"report.return": "退回运行情况报告", "report.remind": "催报运行情况报告",
}

// actionKinds name the actions a mechanism writes as a prefix and its
// event's kind, by the mechanism's own label of the kind ("" if it has
// none).
var actionKinds = []struct {
	prefix, name string
	label        func(kind string) string
}{
	{"visit.", "当事人回访", func(k string) string { return known(k, visit.EventKind(k).Label()) }},
	{"tracking.", "重点案件跟踪", func(k string) string { return known(k, tracking.EventKind(k).Label()) }},
	{"patrol.finding.", "网上巡查", func(k string) string { return known(k, tracking.FindingEventKind(k).Label()) }},
	{"inspection.", "专项督察评查", func(k string) string {
		if l := known(k, inspection.Event(k).Label()); l != "" {
			return l
		}
		return inspection.FindingAction(k).Label()
	}},
}

// known is a label, "" when it is the kind itself (no label).
func known(kind, label string) string {
	if label == kind {
		return ""
	}
	return label
}

// actionLabel is the Chinese name of an audited action; the action itself
// if it has none.
func actionLabel(action string) string {
	if l, ok := actionLabels[action]; ok {
		return l
	}
	for _, k := range actionKinds {
		if kind, ok := strings.CutPrefix(action, k.prefix); ok {
			if l := k.label(kind); l != "" {
				return k.name + "：" + l
			}
		}
	}
	return action
}

// actionCode is the action a filter names, by its Chinese name or its code.
func actionCode(s string) string {
	s = strings.TrimSpace(s)
	for code, l := range actionLabels {
		if l == s {
			return code
		}
	}
	return s
}

// actionNames are the Chinese names of the fixed actions, for the filter's
// suggestions.
func actionNames() []string {
	out := make([]string, 0, len(actionLabels))
	for _, l := range actionLabels {
		out = append(out, l)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

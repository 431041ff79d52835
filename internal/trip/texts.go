package trip

import "github.com/zhilian/zhilian/internal/domain"

// The texts the trip reports send and list: staff reminders by SMS and the
// titles of to-dos on the home page.

// The templates of the texts trip reports send staff, and their
// variables.
const (
	TemplateReview   = "trip.review"
	TemplateLate     = "trip.late_report"
	TemplateLateHead = "trip.late_report_head"

	VarReason = "事由"
	VarDest   = "目的地"
	VarDue    = "到期日"
)

// SMSTemplates are the texts trip reports send, with their default texts.
func SMSTemplates() []domain.SMSTemplate {
	reason := domain.SMSVar{Name: VarReason, Sample: ReviewReasons["yes"], Required: true}
	dest := domain.SMSVar{Name: VarDest, Sample: "北京市朝阳区", Required: true}
	due := domain.SMSVar{Name: VarDue, Sample: "2026-11-02", Required: true}
	return []domain.SMSTemplate{
		{Name: TemplateReview, Label: "外出报告需审查", To: "纪检监察组、监察室联络员",
			Vars:    []domain.SMSVar{domain.SMSCourtVar, reason},
			Default: "执廉提醒：有一份外出执行情况报告需要审查（{事由}），请登录执廉系统查看待办。"},
		{Name: TemplateLate, Label: "外出报告逾期未交（承办人）", To: "外出人员本人",
			Vars:    []domain.SMSVar{domain.SMSCourtVar, dest, due},
			Default: "执廉提醒：您赴{目的地}的外出执行情况报告单已于{到期日}到期未交，请尽快登录执廉系统填写。"},
		{Name: TemplateLateHead, Label: "外出报告逾期未交（部门负责人）", To: "部门负责人",
			Vars:    []domain.SMSVar{domain.SMSCourtVar, dest},
			Default: "执廉提醒：本部门有外出执行情况报告单逾期未交（赴{目的地}），请督促填写。"},
	}
}

// Todo is a kind of to-do the trip reports give someone.
type Todo int

// The to-dos, by who owes them.
const (
	TodoSupplement    Todo = iota // the officer: a supplement to a report found not truthful
	TodoReport                    // the officer: 附件1 of a trip
	TodoAnnex2                    // the officer: 附件2 of a closed case
	TodoRequirement               // the head: the discipline requirements before a trip
	TodoUrge                      // the head: urge a report past the second deadline
	TodoHandleReview              // the head: the review of a report of the department
	TodoExamineReview             // the watchdogs: the review of a report
)

// TodoTitle is the to-do's line on the home page. subject is the
// destination (TodoSupplement, TodoReport), the case number (TodoAnnex2) or
// the officer's name; detail is the destination (TodoRequirement, TodoUrge)
// or the review's reason (the reviews).
func TodoTitle(t Todo, subject, detail string) string {
	owed := TodoOwed(t, detail)
	if owed == "" {
		return subject
	}
	if t == TodoRequirement || t == TodoUrge {
		return owed + "：" + subject + " 赴" + detail
	}
	return owed + "：" + subject
}

// TodoOwed is what a to-do of kind t asks, without whom or which trip it
// is about; detail is the review's reason for the reviews.
func TodoOwed(t Todo, detail string) string {
	switch t {
	case TodoSupplement:
		return "如实补报外出执行情况报告单"
	case TodoReport:
		return "填写外出执行情况报告单"
	case TodoAnnex2:
		return "填写全程廉洁情况报告单"
	case TodoRequirement:
		return "提出纪律要求"
	case TodoUrge:
		return "督促提交外出报告"
	case TodoHandleReview:
		switch detail {
		case "contradicted":
			return "谈话提醒、批评教育（不如实报告）"
		case "unreported":
			return "谈话提醒、批评教育（外出未报告）"
		}
		return "处理外出报告（" + ReviewReasons[detail] + "）"
	case TodoExamineReview:
		return "审查外出报告（" + ReviewReasons[detail] + "）"
	}
	return ""
}

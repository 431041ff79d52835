package trip

// The texts the trip reports send and list: staff reminders by SMS and the
// titles of to-dos on the home page.

// ReviewNotice is the SMS to a watchdog's liaison that a report needs
// reviewing, for reason (a key of ReviewReasons).
func ReviewNotice(courtName, reason string) string {
	return "【" + courtName + "】执廉提醒：有一份外出执行情况报告需要审查（" + ReviewReasons[reason] + "），请登录执廉系统查看待办。"
}

// LateReportNotice is the SMS to an officer whose 附件1 for a trip to dest
// was due on due and has not come.
func LateReportNotice(courtName, dest, due string) string {
	return "【" + courtName + "】执廉提醒：您赴" + dest + "的外出执行情况报告单已于" + due + "到期未交，请尽快登录执廉系统填写。"
}

// LateReportHeadNotice is the SMS to the department head when an officer's
// 附件1 for a trip to dest is past the second deadline.
func LateReportHeadNotice(courtName, dest string) string {
	return "【" + courtName + "】执廉提醒：本部门有外出执行情况报告单逾期未交（赴" + dest + "），请督促填写。"
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

package visit

// Focused-visit criteria, from section 二（二） of the seed.
const (
	ReasonOpen18Months = "open_18_months" // 超过18个月未结
	ReasonOverdue      = "overdue"        // 有财产可供执行，法定期限内未执结
	ReasonPetition     = "petition"       // 当事人信访
	ReasonSupervised   = "supervised"     // 上级法院督办
	ReasonManual       = "manual"         // 执行指挥中心手动添加
)

// FocusReasons label the criteria.
var FocusReasons = map[string]string{
	ReasonOpen18Months: "超过18个月未结的执行案件",
	ReasonOverdue:      "有财产可供执行案件在法定期限内未实际执结的案件",
	ReasonPetition:     "当事人信访的执行案件",
	ReasonSupervised:   "上级法院督办的执行案件",
	ReasonManual:       "执行指挥中心决定重点回访",
}

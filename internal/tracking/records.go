package tracking

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// The working group's tracking (seed 一（三）跟踪监督方式) is a timeline of
// records, each tagged with the aspect it watches. Some records are made
// by their own forms: an interview of a party, the group's decision on a
// late or missing node, a recommendation, an order for a focused return
// visit. The rest are written as they are (RecordKinds).

// RecordKind is what a record of a tracking is. The names are stored.
type RecordKind string

// Record kinds.
const (
	RecordProcess        RecordKind = "process"        // 了解执行流程
	RecordActs           RecordKind = "acts"           // 了解执行实施行为（网上巡查）
	RecordInterview      RecordKind = "interview"      // 询问案件当事人
	RecordAnalysis       RecordKind = "analysis"       // 综合分析研究
	RecordFinding        RecordKind = "finding"        // 核实流程节点问题（确认或排除）
	RecordRecommendation RecordKind = "recommendation" // 提出意见建议
	RecordVisit          RecordKind = "visit"          // 安排重点回访
	RecordOther          RecordKind = "other"          // 其他情况
)

var recordLabels = map[RecordKind]string{
	RecordProcess:        "了解执行流程",
	RecordActs:           "了解执行实施行为",
	RecordInterview:      "询问案件当事人",
	RecordAnalysis:       "综合分析研究",
	RecordFinding:        "核实流程节点问题",
	RecordRecommendation: "提出意见建议",
	RecordVisit:          "安排重点回访",
	RecordOther:          "其他情况",
}

// Label returns the Chinese name of the kind.
func (k RecordKind) Label() string {
	if l, ok := recordLabels[k]; ok {
		return l
	}
	return string(k)
}

// RecordKinds are the kinds written on the record form as they are; the
// others come from their own forms.
var RecordKinds = []RecordKind{RecordProcess, RecordActs, RecordAnalysis, RecordOther}

// ParseAspect reads an aspect from a form.
func ParseAspect(s string) (Aspect, error) {
	a := Aspect(s)
	if !slices.Contains(Aspects, a) {
		return "", domain.Invalid("aspect", "请选择监督内容：流程管理、执行行为规范化、纪律作风或当事人和社会反响")
	}
	return a, nil
}

// MaxRecordText is the longest text of a record, in characters.
const MaxRecordText = 5000

// Record is a record as a member writes it: the day of what it records,
// the aspect, the kind, the content, and whether it points to a violation
// of discipline or law (then a watchdog member hands it on as a clue
// before the tracking closes).
type Record struct {
	On        domain.Date
	Aspect    Aspect
	Kind      RecordKind
	Content   string
	Violation bool
}

// Validate checks a record written on today for a tracking whose group
// started on started (zero when unknown).
func (r *Record) Validate(today, started domain.Date) error {
	r.Content = strings.TrimSpace(r.Content)
	fe := domain.FieldErrors{}
	checkOn(fe, "on", r.On, today, started)
	if !slices.Contains(Aspects, r.Aspect) {
		fe.Add("aspect", "请选择监督内容")
	}
	if !slices.Contains(RecordKinds, r.Kind) {
		fe.Add("kind", "请选择记录类别")
	}
	checkText(fe, "content", "记录内容", r.Content, MaxRecordText, true)
	return fe.Err()
}

func checkOn(fe domain.FieldErrors, field string, on, today, started domain.Date) {
	switch {
	case on.IsZero():
		fe.Add(field, "请填写日期")
	case on.After(today):
		fe.Add(field, "日期不能晚于今天")
	case !started.IsZero() && on.Before(started):
		fe.Add(field, "日期不能早于跟踪期间的起始日期"+started.String())
	}
}

func checkText(fe domain.FieldErrors, field, what, s string, max int, required bool) {
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		fe.Add(field, "请填写"+what)
	case n > max:
		fe.Add(field, fmt.Sprintf("%s不超过%d字", what, max))
	case !utf8.ValidString(s):
		fe.Add(field, what+"含有无效字符")
	}
}

// NodeFinding is a process node late or missing against the time-limit
// table (deadline.Limits.Timeline), as the group sees it on its page: a
// finding to confirm or dismiss.
type NodeFinding struct {
	Node    domain.NodeKind
	On      domain.Date // when reached; zero when missing
	Due     domain.Date
	Limit   string
	Missing bool
}

// Title says what is wrong with the node, in Chinese.
func (f NodeFinding) Title() string {
	if f.Missing {
		return fmt.Sprintf("“%s”尚未完成，期限已于%s届满", f.Node, f.Due)
	}
	return fmt.Sprintf("“%s”于%s完成，晚于期限%s", f.Node, f.On, f.Due)
}

// NodeFindings picks the late and missing nodes of a case's timeline.
func NodeFindings(timeline []deadline.NodeCheck) []NodeFinding {
	var out []NodeFinding
	for _, n := range timeline {
		if n.Late || n.Missing {
			out = append(out, NodeFinding{Node: n.Kind, On: n.On, Due: n.Due, Limit: n.Limit, Missing: n.Missing})
		}
	}
	return out
}

// Decision is the group's word on a node finding: confirmed, or dismissed
// with the reason (a pause the ledger lacks, a node the import missed).
type Decision string

// Decisions. The names are stored.
const (
	DecisionConfirm Decision = "confirm" // 确认
	DecisionDismiss Decision = "dismiss" // 排除
)

// Label returns the Chinese name of the decision.
func (d Decision) Label() string {
	switch d {
	case DecisionConfirm:
		return "确认"
	case DecisionDismiss:
		return "排除"
	}
	return string(d)
}

// FindingDecision is the group's decision on the finding of node Node.
type FindingDecision struct {
	Node     domain.NodeKind
	Decision Decision
	Reason   string
}

// Validate checks the decision against the findings open now: the node
// must be one of them; a dismissal needs its reason.
func (d *FindingDecision) Validate(open []NodeFinding) error {
	d.Reason = strings.TrimSpace(d.Reason)
	fe := domain.FieldErrors{}
	if !slices.ContainsFunc(open, func(f NodeFinding) bool { return f.Node == d.Node }) {
		fe.Add("node", "该流程节点没有待核实的问题")
	}
	switch d.Decision {
	case DecisionConfirm:
		checkText(fe, "reason", "说明", d.Reason, 2000, false)
	case DecisionDismiss:
		checkText(fe, "reason", "排除理由", d.Reason, 2000, true)
	default:
		fe.Add("decision", "请选择确认或排除")
	}
	return fe.Err()
}

// Content is the record's text for the decision.
func (d FindingDecision) Content(f NodeFinding) string {
	s := d.Decision.Label() + "：" + f.Title()
	if d.Reason != "" {
		s += "。理由：" + d.Reason
	}
	return s
}

// Work is something the working group does on its tracking page.
type Work string

// The group's work.
const (
	WorkRecord    Work = "record"    // write a record
	WorkFinding   Work = "finding"   // confirm or dismiss a node finding
	WorkInterview Work = "interview" // record an interview of a party
	WorkVisit     Work = "visit"     // order a focused return visit of a party
	WorkRecommend Work = "recommend" // address a recommendation
	WorkHandOff   Work = "handoff"   // hand a record on as a clue
	WorkClose     Work = "close"     // the closing report
)

// Membership is what the rules read of v in a tracking's working group.
type Membership struct {
	Member bool
	Leader bool
	Role   domain.Role // the body that sent v
}

// WorkActions is the one answer to "what may v do on this tracking's work
// page now". Everything needs a tracking v sees (CanSee: never one that
// concerns v) at 跟踪中, except handing a record on as a clue, which a
// watchdog member may still do after closing. Records, node decisions,
// interviews, visit orders and recommendations are the members' work: the
// seed has the three bodies 分别派员组成工作小组 to carry out the tracking,
// so what is recorded is the group's own account, signed by a member whose
// avoidance (回避) was checked when the group was formed; the bodies'
// leaders read everything and steer through the group. Handing on a clue
// is for a watchdog member (seed 五.2: 对发现的违法违纪问题线索，派驻纪检
// 监察组、监察室依规依纪进行核查处理). The closing report is the leader's.
func WorkActions(step Step, v domain.Viewer, s Subject, m Membership) []Work {
	if v.System || !CanSee(v, s) || !m.Member || v.CourtPath != s.CourtPath {
		return nil
	}
	var out []Work
	if step == StepTracking {
		out = append(out, WorkRecord, WorkFinding, WorkInterview, WorkVisit, WorkRecommend)
	}
	if (step == StepTracking || step == StepClosed) && v.IsWatchdog() && oversight.CanRegisterClue(v, s.CourtPath) {
		out = append(out, WorkHandOff)
	}
	if step == StepTracking && m.Leader {
		out = append(out, WorkClose)
	}
	return out
}

// CheckWork refuses work that WorkActions does not allow, saying why.
func CheckWork(step Step, v domain.Viewer, s Subject, m Membership, w Work) error {
	if slices.Contains(WorkActions(step, v, s, m), w) {
		return nil
	}
	switch {
	case !CanSee(v, s):
		return domain.Errorf(domain.ErrNotFound, "重点案件跟踪不存在")
	case !m.Member || v.CourtPath != s.CourtPath:
		return domain.Errorf(domain.ErrForbidden, "只有工作小组成员可以办理。")
	case w == WorkHandOff && !v.IsWatchdog():
		return domain.Errorf(domain.ErrForbidden, "问题线索由工作小组中纪检监察组、监察室的成员移交。")
	case w == WorkClose && step == StepTracking:
		return domain.Errorf(domain.ErrForbidden, "结束跟踪、出具跟踪监督报告由工作小组组长办理。")
	}
	return domain.Errorf(domain.ErrConflict, "重点案件跟踪处于“%s”阶段，不能办理。", step.Label())
}

// AllowsWork reports whether ws holds w.
func AllowsWork(ws []Work, w Work) bool { return slices.Contains(ws, w) }

package inspection

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// A target (a drawn or picked case, or a unit) is reviewed by one member
// of the group: the leader assigns it, the reviewer declares that he has
// no conflict, scores every item of the frozen checklist, records the
// findings, and submits the sheet; the leader re-checks the 瑕疵 and 不合格
// sheets, confirming them or sending them back.

// ConflictProblem says, in Chinese, why a reviewer of the court at
// reviewerPath and department reviewerDept may not review a target of the
// court at targetPath and department targetDept, or "" when he may. Under
// cross-court review (交叉评查, the default) nobody reviews his own court's
// work; otherwise nobody reviews his own department's.
func ConflictProblem(reviewerPath, reviewerDept, targetPath, targetDept string, crossCourt bool) string {
	switch {
	case reviewerPath == "":
		return "评查人不存在"
	case crossCourt && reviewerPath == targetPath:
		return "实行交叉评查，评查人不能评查本院的案件或单位"
	case reviewerPath == targetPath && targetDept != "" && reviewerDept == targetDept:
		return "评查人不能评查本部门的案件或单位"
	}
	return ""
}

// NoConflict is the declaration a reviewer makes before he scores.
const NoConflict = "本人与所评查的案件（单位）及其承办人员无利害关系，不存在应当回避的情形。"

// TargetState is where a review sheet stands.
type TargetState string

// Target states. The names are stored and never change.
const (
	TargetOpen      TargetState = "open"      // 待评查
	TargetSubmitted TargetState = "submitted" // 已提交
	TargetRechecked TargetState = "rechecked" // 已复核
)

// Label is the state's Chinese name.
func (s TargetState) Label() string {
	switch s {
	case TargetOpen:
		return "待评查"
	case TargetSubmitted:
		return "已提交"
	case TargetRechecked:
		return "已复核"
	}
	return string(s)
}

// Target is what the rules read of a target.
type Target struct {
	Reviewer int64
	Declared bool // the reviewer declared no conflict
	State    TargetState
	Grade    Grade
}

// TargetAction is a step on a target.
type TargetAction string

// Target actions.
const (
	ActAssign  TargetAction = "assign"  // the leader assigns a reviewer
	ActDeclare TargetAction = "declare" // the reviewer declares no conflict
	ActScore   TargetAction = "score"   // the reviewer scores and submits
	ActFinding TargetAction = "finding" // the reviewer records a finding
	ActFile    TargetAction = "file"    // the reviewer keeps evidence
	ActRecheck TargetAction = "recheck" // the leader confirms or sends back
)

// TargetActions is the one answer to "which steps may v take on target t
// of campaign a now".
func TargetActions(v domain.Viewer, a Access, t Target) []TargetAction {
	var out []TargetAction
	if CanAssign(v, a) && t.State == TargetOpen && !t.Declared {
		out = append(out, ActAssign)
	}
	if CanReview(v, a, t.Reviewer) {
		if !t.Declared {
			out = append(out, ActDeclare)
		} else {
			if t.State == TargetOpen {
				out = append(out, ActScore)
			}
			out = append(out, ActFinding, ActFile)
		}
	}
	if CanRecheck(v, a) && t.State == TargetSubmitted && t.Grade.NeedsRecheck() {
		out = append(out, ActRecheck)
	}
	return out
}

// Allows reports whether acts holds act.
func Allows[T comparable](acts []T, act T) bool { return slices.Contains(acts, act) }

// Severity is how grave a finding is.
type Severity string

// Severities, from the least grave.
const (
	SeverityMinor   Severity = "minor"   // 轻微
	SeverityGeneral Severity = "general" // 一般
	SeveritySerious Severity = "serious" // 严重
)

// Severities lists them in display order.
var Severities = []Severity{SeverityMinor, SeverityGeneral, SeveritySerious}

// Label is the severity's Chinese name.
func (s Severity) Label() string {
	switch s {
	case SeverityMinor:
		return "轻微"
	case SeverityGeneral:
		return "一般"
	case SeveritySerious:
		return "严重"
	}
	return string(s)
}

// Categories are the kinds of problem a finding names, in display order.
var Categories = []string{"执行案款管理", "终结本次执行程序", "执行行为规范", "纪律作风", "信访回访", "其他"}

// Finding is a problem recorded from a review.
type Finding struct {
	Category string
	Severity Severity
	Text     string
}

// MaxFinding is the longest finding, and answer or reason, in characters.
const MaxFinding = 2000

// Validate checks a finding as recorded (trimming its text).
func (f *Finding) Validate() error {
	f.Text = strings.TrimSpace(f.Text)
	fe := domain.FieldErrors{}
	if !slices.Contains(Categories, f.Category) {
		fe.Add("category", "请选择问题类别")
	}
	if !slices.Contains(Severities, f.Severity) {
		fe.Add("severity", "请选择严重程度")
	}
	if n := utf8.RuneCountInString(f.Text); n == 0 || n > MaxFinding {
		fe.Add("text", "请写明发现的问题（2000字以内）")
	}
	return fe.Err()
}

// FindingState is where a finding stands.
type FindingState string

// Finding states. The names are stored and never change.
const (
	FindingOpen      FindingState = "open"      // 待说明
	FindingAnswered  FindingState = "answered"  // 已说明、申辩
	FindingKept      FindingState = "kept"      // 维持
	FindingWithdrawn FindingState = "withdrawn" // 撤销
)

// Label is the state's Chinese name.
func (s FindingState) Label() string {
	switch s {
	case FindingOpen:
		return "待说明"
	case FindingAnswered:
		return "已说明、申辩"
	case FindingKept:
		return "维持"
	case FindingWithdrawn:
		return "撤销"
	}
	return string(s)
}

// FindingFacts is what the rules read of a finding.
type FindingFacts struct {
	State     FindingState
	Officer   int64 // the officer it is about; 0 for a court or department
	AnswerDue domain.Date
	Followed  bool // a rectification or a clue follows it
}

// FindingAction is a step on a finding.
type FindingAction string

// Finding actions.
const (
	ActAnswer   FindingAction = "answer"   // the officer explains (说明、申辩)
	ActKeep     FindingAction = "keep"     // the leader keeps it
	ActWithdraw FindingAction = "withdraw" // the leader withdraws it
	ActRectify  FindingAction = "rectify"  // the leader orders rectification
	ActClue     FindingAction = "clue"     // a watchdog of the group refers it
)

// Label is the action's Chinese name, for buttons.
func (a FindingAction) Label() string {
	return map[FindingAction]string{ActAnswer: "提交说明、申辩", ActKeep: "维持", ActWithdraw: "撤销", ActRectify: "交办整改", ActClue: "移送问题线索"}[a]
}

// Answerable reports whether a finding may still be answered on today:
// not yet answered nor decided, and within its time.
func (f FindingFacts) Answerable(today domain.Date) bool {
	return f.State == FindingOpen && f.Officer != 0 && !today.After(f.AnswerDue)
}

// FindingActions is the one answer to "which steps may v take on finding
// f of campaign a on today". The officer it names answers it while the
// campaign is carried out or summed up and his time runs; the leader keeps
// or withdraws it in 汇总 once it is answered or its time has run out (at
// once for a finding about a court or department); a kept one is followed
// by a rectification (the leader) or a clue (a watchdog of the group).
func FindingActions(v domain.Viewer, a Access, f FindingFacts, today domain.Date) []FindingAction {
	var out []FindingAction
	if !v.System && f.Officer == v.UserID && (a.State == StateActive || a.State == StateSummary) && f.Answerable(today) {
		out = append(out, ActAnswer)
	}
	if CanDecide(v, a) && (f.State == FindingAnswered || f.State == FindingOpen && !f.Answerable(today)) {
		out = append(out, ActKeep, ActWithdraw)
	}
	if a.State == StateSummary && f.State == FindingKept && !f.Followed {
		if IsLeader(v, a) {
			out = append(out, ActRectify)
		}
		if IsMember(a.Members, v.UserID) && v.IsWatchdog() {
			out = append(out, ActClue)
		}
	}
	return out
}

// SeesReferral reports whether v learns that a finding of campaign a went
// to the watchdogs as a clue: a watchdog who sees the whole campaign. The
// officer it concerns and the court in scope never do (clues are the
// watchdogs' alone).
func SeesReferral(v domain.Viewer, a Access) bool {
	return v.System || v.IsWatchdog() && SeesAll(v, a)
}

// SeesFinding reports whether v sees a finding about the court at path
// and officer of campaign a: whoever sees the whole campaign, the three
// bodies of that court, and the officer himself.
func SeesFinding(v domain.Viewer, a Access, path string, officer int64) bool {
	return SeesAll(v, a) || SeesCourt(v, path) || officer != 0 && officer == v.UserID
}

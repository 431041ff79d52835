package oversight

import (
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// Suggestion is a watchdog's improvement suggestion (改进意见建议) to the
// bureau of its court or a court below, about a general problem.
type Suggestion struct {
	Problem  string
	Evidence string
	Improve  string // what to improve
	Deadline domain.Date
}

// Limits of the rectification texts, in characters.
const (
	MaxSuggestionText = 5000
	MaxMeasures       = 5000
	MaxUnit           = 100
	MaxRuleTitle      = 200
)

// Normalize trims s's text.
func (s *Suggestion) Normalize() {
	s.Problem, s.Evidence, s.Improve = strings.TrimSpace(s.Problem), strings.TrimSpace(s.Evidence), strings.TrimSpace(s.Improve)
}

// Validate checks s (normalised) as issued on today.
func (s *Suggestion) Validate(today domain.Date) error {
	fe := domain.FieldErrors{}
	text := func(field, what, v string, required bool) {
		switch n := utf8.RuneCountInString(v); {
		case n == 0 && required:
			fe.Add(field, "请填写"+what)
		case n > MaxSuggestionText:
			fe.Add(field, what+"过长")
		}
	}
	text("problem", "存在的问题", s.Problem, true)
	text("evidence", "问题依据", s.Evidence, false)
	text("improve", "改进意见建议", s.Improve, true)
	checkDeadline(fe, s.Deadline, today)
	return fe.Err()
}

func checkDeadline(fe domain.FieldErrors, d, today domain.Date) {
	switch {
	case d.IsZero():
		fe.Add("deadline", "请填写整改期限")
	case d.Before(today):
		fe.Add("deadline", "整改期限不能早于今天")
	}
}

// SourceKind is what a rectification answers: a suggestion now, mechanism
// 1's recommendations and mechanism 3's findings later.
type SourceKind string

// The sources of a rectification.
const (
	SourceSuggestion     SourceKind = "suggestion"     // 改进意见建议
	SourceRecommendation SourceKind = "recommendation" // 重点案件跟踪工作小组的意见建议
	SourceInspection     SourceKind = "inspection"     // 专项督察评查发现的问题
)

// Label is the source's Chinese name.
func (k SourceKind) Label() string {
	switch k {
	case SourceSuggestion:
		return "改进意见建议"
	case SourceRecommendation:
		return "跟踪监督意见建议"
	case SourceInspection:
		return "专项督察评查发现的问题"
	}
	return string(k)
}

// ItemState is where a rectification item stands. 逾期 is not stored: an
// item is overdue when its deadline has passed and it is not accepted
// (ItemState.Overdue), so the state is right on the day without a job.
type ItemState string

// The stored states of an item.
const (
	StatePending   ItemState = "pending"   // 待整改
	StateProgress  ItemState = "progress"  // 整改中
	StateSubmitted ItemState = "submitted" // 待验收
	StateClosed    ItemState = "closed"    // 已销号
	// StateOverdue is only ever shown (Shown), never stored.
	StateOverdue ItemState = "overdue" // 逾期
)

// ItemStates lists the states in display order, 逾期 last.
var ItemStates = []ItemState{StatePending, StateProgress, StateSubmitted, StateClosed, StateOverdue}

// Label is the state's Chinese name.
func (s ItemState) Label() string {
	switch s {
	case StatePending:
		return "待整改"
	case StateProgress:
		return "整改中"
	case StateSubmitted:
		return "待验收"
	case StateClosed:
		return "已销号"
	case StateOverdue:
		return "逾期"
	}
	return string(s)
}

// Overdue reports whether an item in state s with deadline d is overdue
// on today: past its deadline and not accepted. One waiting for
// acceptance is overdue too: the issuer owes the step, and the page says so.
func Overdue(s ItemState, d, today domain.Date) bool {
	return s != StateClosed && !d.IsZero() && d.Before(today)
}

// Shown is the state an item shows on today: 逾期 for an overdue one.
func Shown(s ItemState, d, today domain.Date) ItemState {
	if Overdue(s, d, today) {
		return StateOverdue
	}
	return s
}

// Rect is what the rules read of a rectification and one of its items.
type Rect struct {
	CourtPath       string // the court whose bureau rectifies
	IssuerCourtPath string // the issuing watchdog's court
	Responsible     int64  // the item's responsible person; 0 for the rectification itself
}

// CanIssue reports whether v addresses a suggestion to the bureau of the
// court at path: a watchdog of that court or a court above.
func CanIssue(v domain.Viewer, path string) bool {
	return !v.System && v.IsWatchdog() && v.CourtPath != "" && strings.HasPrefix(path, v.CourtPath)
}

// SeesRectifications reports whether v's roles reach rectifications by
// court: the watchdogs and the bureau.
func SeesRectifications(v domain.Viewer) bool {
	return v.System || v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

// SeesRectCourt reports whether v's roles reach the rectifications of the
// court at path: the watchdogs and the bureau of it and the courts above.
func SeesRectCourt(v domain.Viewer, path string) bool {
	if v.System {
		return true
	}
	return SeesRectifications(v) && v.CourtPath != "" && path != "" && strings.HasPrefix(path, v.CourtPath)
}

// CanSeeRect reports whether v sees r: by court, or as the responsible
// person of the item.
func CanSeeRect(v domain.Viewer, r Rect) bool {
	return SeesRectCourt(v, r.CourtPath) || (r.Responsible != 0 && r.Responsible == v.UserID)
}

// CanAssign reports whether v adds items to a rectification: the bureau
// of its court or a court above, or a watchdog of the issuing court.
func CanAssign(v domain.Viewer, r Rect) bool {
	if v.System || v.CourtPath == "" {
		return false
	}
	return v.Has(domain.RoleBureau) && strings.HasPrefix(r.CourtPath, v.CourtPath) || CanAccept(v, r)
}

// CanReport reports whether v records the measures of an item and submits
// it for acceptance: its responsible person, or the bureau of the court.
func CanReport(v domain.Viewer, r Rect) bool {
	if v.System || v.UserID == 0 {
		return false
	}
	return r.Responsible == v.UserID || v.Has(domain.RoleBureau) && v.CourtPath != "" && strings.HasPrefix(r.CourtPath, v.CourtPath)
}

// CanAccept reports whether v accepts or returns an item: a watchdog of
// the issuing court (the issuer's body, whoever of it is on duty).
func CanAccept(v domain.Viewer, r Rect) bool {
	return !v.System && v.IsWatchdog() && v.CourtPath != "" && v.CourtPath == r.IssuerCourtPath
}

// Item is a rectification item as entered.
type Item struct {
	Unit        string // the responsible unit (department)
	Responsible int64  // the responsible person
	Deadline    domain.Date
	Task        string // what is to be rectified
}

// Validate checks an item as entered on today.
func (it *Item) Validate(today domain.Date) error {
	it.Unit, it.Task = strings.TrimSpace(it.Unit), strings.TrimSpace(it.Task)
	fe := domain.FieldErrors{}
	if n := utf8.RuneCountInString(it.Unit); n == 0 {
		fe.Add("unit", "请填写责任部门")
	} else if n > MaxUnit {
		fe.Add("unit", "责任部门过长")
	}
	if it.Responsible == 0 {
		fe.Add("responsible", "请选择责任人")
	}
	if n := utf8.RuneCountInString(it.Task); n == 0 {
		fe.Add("task", "请填写整改事项")
	} else if n > MaxMeasures {
		fe.Add("task", "整改事项过长")
	}
	checkDeadline(fe, it.Deadline, today)
	return fe.Err()
}

// Rule is a rule made as an outcome of rectification (健全规章制度).
type Rule struct {
	Title  string
	Number string // document number, 文号
	On     domain.Date
}

// Empty reports whether no rule was entered.
func (r Rule) Empty() bool { return r.Title == "" && r.Number == "" && r.On.IsZero() }

// Report is what the responsible side records of an item: its measures and
// outcome, and whether it asks for acceptance now.
type Report struct {
	Measures string
	Outcome  string
	Rule     Rule
	Submit   bool
}

// Validate checks a report (trimmed in place) on today.
func (rp *Report) Validate(today domain.Date) error {
	rp.Measures, rp.Outcome = strings.TrimSpace(rp.Measures), strings.TrimSpace(rp.Outcome)
	rp.Rule.Title, rp.Rule.Number = strings.TrimSpace(rp.Rule.Title), strings.TrimSpace(rp.Rule.Number)
	fe := domain.FieldErrors{}
	if n := utf8.RuneCountInString(rp.Measures); n == 0 {
		fe.Add("measures", "请填写整改措施")
	} else if n > MaxMeasures {
		fe.Add("measures", "整改措施过长")
	}
	if utf8.RuneCountInString(rp.Outcome) > MaxMeasures {
		fe.Add("outcome", "整改成效过长")
	}
	if !rp.Rule.Empty() {
		if rp.Rule.Title == "" || utf8.RuneCountInString(rp.Rule.Title) > MaxRuleTitle {
			fe.Add("rule_title", "请填写制度名称（200字以内）")
		}
		if rp.Rule.On.IsZero() || rp.Rule.On.After(today) {
			fe.Add("rule_on", "请填写制度印发日期（不晚于今天）")
		}
		if utf8.RuneCountInString(rp.Rule.Number) > MaxUnit {
			fe.Add("rule_number", "文号过长")
		}
	}
	if rp.Submit && rp.Outcome == "" {
		fe.Add("outcome", "提请验收时请写明整改成效")
	}
	return fe.Err()
}

// CanMove reports whether an item in state from may take step: "report"
// (待整改 or 整改中 → 整改中 or 待验收), "accept" or "return" (待验收 →
// 已销号 or 整改中).
func CanMove(from ItemState, step string) bool {
	switch step {
	case "report":
		return from == StatePending || from == StateProgress
	case "accept", "return":
		return from == StateSubmitted
	}
	return false
}

// RemindDays is how many days before its deadline an open item's
// responsible person and the bureau's liaison are reminded; an overdue
// one is reminded on the day after and each week after that.
const RemindDays = 3

// RemindOn reports whether an item in state s with deadline d is reminded
// on today, and whether as overdue.
func RemindOn(s ItemState, d, today domain.Date) (remind, overdue bool) {
	if s == StateClosed || s == StateSubmitted || d.IsZero() {
		return false, false
	}
	switch days := today.DaysUntil(d); {
	case days == RemindDays:
		return true, false
	case days < 0 && (-days-1)%7 == 0:
		return true, true
	}
	return false, false
}

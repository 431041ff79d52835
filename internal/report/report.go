// Package report is the periodic report 四项机制运行情况报告 (issue 18): a
// court's account, month by month, quarter by quarter and year by year, of
// how it ran the four mechanisms — the cockpit's figures, the typical
// problems found, rectification, dispositions by 形态 (counts only) and a
// narrative the court writes —, submitted to the court above, which sees
// who has submitted and reminds those late.
//
// Here are its states, its actions and the one answer to "may this viewer
// do this action on this report now" (Check), its periods and due dates,
// the narrative's sections, and the canonical content that is frozen and
// signed on submission. No I/O: the store reads and writes, pages render.
package report

import (
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// State is where a report stands.
type State string

// The states: a draft is written and its figures are live; a submitted
// report is frozen and signed; a report the court above returned is open
// again, as a draft is, until it is submitted anew.
const (
	StateDraft     State = "draft"
	StateSubmitted State = "submitted"
	StateReturned  State = "returned"
)

// States lists every state in order.
var States = []State{StateDraft, StateSubmitted, StateReturned}

// Label is the state in words.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "草稿"
	case StateSubmitted:
		return "已报送"
	case StateReturned:
		return "已退回"
	}
	return string(s)
}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return s == StateDraft || s == StateSubmitted || s == StateReturned }

// Open reports whether a report in state s may be written and submitted.
func (s State) Open() bool { return s == StateDraft || s == StateReturned }

// Action is what a viewer does to a report.
type Action string

// The actions on a report. Reading includes printing and the Word file.
const (
	Read   Action = "read"
	Edit   Action = "edit"
	Submit Action = "submit"
	Return Action = "return"
)

// Label is the action as a button says it.
func (a Action) Label() string {
	switch a {
	case Read:
		return "查看"
	case Edit:
		return "保存"
	case Submit:
		return "报送上级法院"
	case Return:
		return "退回"
	}
	return string(a)
}

// Subject is what Check needs of a report: its court and its state.
type Subject struct {
	CourtPath string
	State     State
}

// bodies are the three bodies that run the mechanisms: they read a
// court's reports.
func bodies(v domain.Viewer) bool {
	return v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

// drafters are the two bodies that draft and edit a court's report and
// return those of the courts below: the 执行局 and the 派驻纪检监察组, the
// co-leaders' bodies. The 监察室 reads.
func drafters(v domain.Viewer) bool {
	return v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup)
}

// Reads reports whether v reaches the reports at all: the 执行局, the
// 派驻纪检监察组 and the 监察室 (the nav's 运行报告).
func Reads(v domain.Viewer) bool { return !v.System && v.CourtPath != "" && bodies(v) }

// CanDraft reports whether v may draft a report of his own court.
func CanDraft(v domain.Viewer) bool { return !v.System && v.CourtPath != "" && drafters(v) }

// ParentPath is the path of the court above the court at path ("" for the
// court at the top): "/鲁/鲁01/鲁0102/" gives "/鲁/鲁01/".
func ParentPath(path string) string {
	p := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return ""
	}
	return p[:i+1]
}

// Sees reports whether v may know of report s at all: the three bodies of
// its court, whatever its state, and those of a court above it once it has
// been submitted (a draft is the court's own work). Nobody sees sideways.
func Sees(v domain.Viewer, s Subject) bool {
	if v.System {
		return true
	}
	if !Reads(v) {
		return false
	}
	if v.CourtPath == s.CourtPath {
		return true
	}
	return domain.Above(v.CourtPath, s.CourtPath) && s.State != StateDraft
}

// Check says whether v may do a to report s now: nil, or ErrNotFound for a
// report v may not know of, ErrForbidden for a viewer whose place does not
// allow it, ErrConflict for a report whose state does not.
func Check(a Action, v domain.Viewer, s Subject) error {
	if !Sees(v, s) {
		return domain.ErrNotFound
	}
	switch a {
	case Read:
		return nil
	case Edit, Submit:
		if !CanDraft(v) || v.CourtPath != s.CourtPath {
			return domain.Errorf(domain.ErrForbidden, "运行情况报告由本院执行局、派驻纪检监察组起草和报送；监察室和上级法院只能查看。")
		}
		if !s.State.Open() {
			return domain.Errorf(domain.ErrConflict, "报告已报送，内容已固定，不能修改；上级法院退回后方可修改并重新报送。")
		}
		return nil
	case Return:
		if !CanDraft(v) || ParentPath(s.CourtPath) != v.CourtPath {
			return domain.Errorf(domain.ErrForbidden, "只有上一级法院的执行局、派驻纪检监察组可以退回报告。")
		}
		if s.State != StateSubmitted {
			return domain.Errorf(domain.ErrConflict, "只有已报送的报告可以退回。")
		}
		return nil
	}
	return domain.Errorf(domain.ErrInvalid, "未知的操作。")
}

// Actions are the actions v may do to report s now, in order, reading
// apart: the buttons a page shows.
func Actions(v domain.Viewer, s Subject) []Action {
	var out []Action
	for _, a := range []Action{Edit, Submit, Return} {
		if Check(a, v, s) == nil {
			out = append(out, a)
		}
	}
	return out
}

// ParseAction reads an action from a path; reading is not posted.
func ParseAction(s string) (Action, bool) {
	switch a := Action(s); a {
	case Submit, Return:
		return a, true
	}
	return "", false
}

// MaxReason is the longest reason for returning a report, in characters.
const MaxReason = 500

// CheckReason checks the reason a report is returned with.
func CheckReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := len([]rune(reason)); {
	case n == 0:
		return "", domain.Invalid("reason", "请填写退回理由，说明需要补充或修改的内容")
	case n > MaxReason:
		return "", domain.Invalid("reason", "退回理由不能超过500字")
	}
	return reason, nil
}

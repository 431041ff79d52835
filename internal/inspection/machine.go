package inspection

import (
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
)

// A campaign moves 筹备 → 实施 → 汇总 → 整改 → 完成: prepared (plan, working
// group, checklist, targets), carried out (reviews scored, the leader's
// re-checks), summed up (findings answered and kept or withdrawn, the 通报),
// rectified (every item accepted), done. A campaign that keeps no finding
// goes from 汇总 straight to 完成. Next is the only way a campaign moves.

// State is where a campaign stands. The names are stored and never change.
type State string

// States.
const (
	StatePrep    State = "prep"    // 筹备
	StateActive  State = "active"  // 实施
	StateSummary State = "summary" // 汇总
	StateRectify State = "rectify" // 整改
	StateDone    State = "done"    // 完成
)

// States lists the states in order.
var States = []State{StatePrep, StateActive, StateSummary, StateRectify, StateDone}

// Label is the state's Chinese name.
func (s State) Label() string {
	switch s {
	case StatePrep:
		return "筹备"
	case StateActive:
		return "实施"
	case StateSummary:
		return "汇总"
	case StateRectify:
		return "整改"
	case StateDone:
		return "完成"
	}
	return string(s)
}

// Event is a step of a campaign.
type Event string

// Events.
const (
	EventStart     Event = "start"     // 筹备 → 实施
	EventSummarize Event = "summarize" // 实施 → 汇总
	EventRectify   Event = "rectify"   // 汇总 → 整改
	EventFinish    Event = "finish"    // 汇总 (nothing kept) or 整改 → 完成
)

// Events lists the events in order.
var Events = []Event{EventStart, EventSummarize, EventRectify, EventFinish}

// Label is the event's Chinese name, for buttons.
func (e Event) Label() string {
	switch e {
	case EventStart:
		return "开始实施"
	case EventSummarize:
		return "转入汇总"
	case EventRectify:
		return "印发通报，转入整改"
	case EventFinish:
		return "完成督察评查"
	}
	return string(e)
}

// Facts are what Next reads of a campaign besides its state; the store
// counts them inside the transaction that moves it.
type Facts struct {
	GroupProblem    string // GroupProblem of its members; "" when complete
	Plan            bool   // a plan is written
	Checklist       bool   // a checklist version is frozen
	Targets         int    // cases or units to check
	Unassigned      int    // targets without a reviewer
	OpenReviews     int    // targets whose sheet is not submitted
	PendingRechecks int    // 瑕疵 and 不合格 sheets the leader has not re-checked
	OpenFindings    int    // findings neither kept nor withdrawn
	KeptFindings    int    // findings kept
	Unfollowed      int    // kept findings with neither a rectification nor a clue
	OpenItems       int    // rectification items of kept findings not accepted
}

// Next returns the state a campaign in s reaches by ev given f, or why it
// cannot: ErrConflict for a step that does not start from s, ErrInvalid
// for one whose conditions are not met yet.
func Next(s State, ev Event, f Facts) (State, error) {
	wrong := func() (State, error) {
		return s, domain.Errorf(domain.ErrConflict, "督察评查处于%s阶段，不能%s。", s.Label(), ev.Label())
	}
	switch ev {
	case EventStart:
		if s != StatePrep {
			return wrong()
		}
		switch {
		case f.GroupProblem != "":
			return s, domain.Invalid("members", f.GroupProblem)
		case !f.Plan:
			return s, domain.Invalid("plan", "请先填写工作方案")
		case !f.Checklist:
			return s, domain.Invalid("checklist", "请先选定评查表（督察清单）")
		case f.Targets == 0:
			return s, domain.Invalid("targets", "请先抽取或选定评查案件、督察对象")
		case f.Unassigned > 0:
			return s, domain.Invalid("targets", fmt.Sprintf("尚有%d个评查对象未分配评查人", f.Unassigned))
		}
		return StateActive, nil
	case EventSummarize:
		if s != StateActive {
			return wrong()
		}
		switch {
		case f.OpenReviews > 0:
			return s, domain.Invalid("reviews", fmt.Sprintf("尚有%d份评查表未提交", f.OpenReviews))
		case f.PendingRechecks > 0:
			return s, domain.Invalid("reviews", fmt.Sprintf("尚有%d份瑕疵、不合格评查表待组长复核", f.PendingRechecks))
		}
		return StateSummary, nil
	case EventRectify:
		if s != StateSummary {
			return wrong()
		}
		switch {
		case f.OpenFindings > 0:
			return s, domain.Invalid("findings", fmt.Sprintf("尚有%d个问题未认定（维持或撤销）", f.OpenFindings))
		case f.KeptFindings == 0:
			return s, domain.Invalid("findings", "没有维持的问题，无需整改，可直接完成")
		case f.Unfollowed > 0:
			return s, domain.Invalid("findings", fmt.Sprintf("尚有%d个维持的问题未交办整改或移送线索", f.Unfollowed))
		}
		return StateRectify, nil
	case EventFinish:
		switch s {
		case StateSummary:
			if f.OpenFindings > 0 || f.KeptFindings > 0 {
				return s, domain.Invalid("findings", "有问题需要认定或整改，请先转入整改")
			}
		case StateRectify:
			if f.OpenItems > 0 {
				return s, domain.Invalid("items", fmt.Sprintf("尚有%d项整改事项未验收销号", f.OpenItems))
			}
		default:
			return wrong()
		}
		return StateDone, nil
	}
	return s, domain.Invalid("event", "未知的督察评查步骤")
}

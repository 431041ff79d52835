package tracking

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// A tracking moves as the seed's 确定跟踪监督程序 says: the case is a
// candidate 重点执行案件 → the bureau evaluates it 综合评估 (建议跟踪 →
// evaluated; 不予跟踪 → declined) → the three bodies consult 会商 and each
// states 同意 / 不同意 → all agree: tracked; otherwise the co-leaders
// (执行局局长, 纪检监察组组长) decide → tracked or not tracked → the working
// group is formed and tracking runs 跟踪中 → closed. Next is the only way a
// tracking moves.

// Step is where a tracking stands. The names are stored and never change.
type Step string

// Steps.
const (
	StepCandidate  Step = "candidate"   // 待评估: a candidate the bureau has not yet evaluated
	StepEvaluated  Step = "evaluated"   // 建议跟踪, awaiting the consultation
	StepDeclined   Step = "declined"    // 评估不予跟踪; a watchdog may still bring it to consultation
	StepConsulting Step = "consulting"  // 会商中: the bodies owe their opinions
	StepCoLeaders  Step = "co_leaders"  // 待共同领导决定: a body disagreed
	StepTracked    Step = "tracked"     // 决定跟踪, the working group is owed
	StepNotTracked Step = "not_tracked" // 决定不予跟踪 (final)
	StepTracking   Step = "tracking"    // 跟踪中: the group is at work
	StepClosed     Step = "closed"      // 已结束 (final)
	StepLapsed     Step = "lapsed"      // 不再属于重点案件范围, before any evaluation (final)
)

// Steps lists every step in the order of the procedure.
var Steps = []Step{StepCandidate, StepEvaluated, StepDeclined, StepConsulting, StepCoLeaders, StepTracked, StepNotTracked,
	StepTracking, StepClosed, StepLapsed}

var stepLabels = map[Step]string{
	StepCandidate:  "待评估",
	StepEvaluated:  "建议跟踪，待会商",
	StepDeclined:   "评估不予跟踪",
	StepConsulting: "会商中",
	StepCoLeaders:  "待共同领导决定",
	StepTracked:    "决定跟踪，待组成工作小组",
	StepNotTracked: "决定不予跟踪",
	StepTracking:   "跟踪中",
	StepClosed:     "已结束",
	StepLapsed:     "已不属重点案件范围",
}

// Label returns the Chinese name of the step.
func (s Step) Label() string {
	if l, ok := stepLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known step.
func (s Step) Valid() bool { _, ok := stepLabels[s]; return ok }

// Final reports whether a tracking at s has ended: nothing more happens to
// it, and the case may become a candidate afresh.
func (s Step) Final() bool { return s == StepNotTracked || s == StepClosed || s == StepLapsed }

// DecidedToTrack reports whether the case was decided to be tracked (决定跟踪),
// whether the group is still owed, at work or done.
func (s Step) DecidedToTrack() bool { return slices.Contains(DecidedSteps, s) }

// Opinion is one body's 同意 / 不同意 at the consultation.
type Opinion struct {
	Role    domain.Role // bureau, discipline_group or supervision_office
	Agree   bool
	Opinion string
	By      string
	At      time.Time
}

// LeaderDecision is one co-leader's decision after a disagreement.
type LeaderDecision struct {
	Post   oversight.Post // bureau_leader or discipline_leader
	Track  bool
	Reason string
	By     string
	At     time.Time
}

// State is everything Next needs to know about a tracking.
type State struct {
	Step      Step
	Opinions  []Opinion        // at the consultation, in the order given
	Decisions []LeaderDecision // of the co-leaders, in the order given
}

// NewState returns the state of a tracking the candidate refresh has just
// opened.
func NewState() State { return State{Step: StepCandidate} }

// bodies are the three bodies, in display order.
var bodies = []domain.Role{domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice}

// Bodies returns the three bodies of mechanism 1: 执行局, 派驻纪检监察组, 监察室.
func Bodies() []domain.Role { return slices.Clone(bodies) }

// coLeaders are the two posts that lead the four mechanisms jointly (seed 五.1).
var coLeaders = []oversight.Post{oversight.PostBureauLeader, oversight.PostDisciplineLeader}

// CoLeaders returns the posts of the two co-leaders.
func CoLeaders() []oversight.Post { return slices.Clone(coLeaders) }

// EventKind is something that happened to a tracking.
type EventKind string

// Events. The names are stored (audit) and never change.
const (
	EventEvaluate       EventKind = "evaluate"        // the bureau's 综合评估; Evaluation
	EventLapse          EventKind = "lapse"           // the refresh found no reason left, before any evaluation
	EventOpenConsult    EventKind = "open_consult"    // record the consultation 会商; Consultation
	EventOpinion        EventKind = "opinion"         // one body's 同意 / 不同意; Role, Agree, Text
	EventLeaderDecision EventKind = "leader_decision" // one co-leader's decision; Post, Agree (track), Text
	EventFormGroup      EventKind = "form_group"      // the working group; Group
	EventClose          EventKind = "close"           // tracking ends; Text (the reason)
)

var eventLabels = map[EventKind]string{
	EventEvaluate:       "综合评估",
	EventLapse:          "移出重点案件范围",
	EventOpenConsult:    "登记会商",
	EventOpinion:        "登记会商意见",
	EventLeaderDecision: "共同领导决定",
	EventFormGroup:      "组成工作小组",
	EventClose:          "结束跟踪",
}

// Label returns the Chinese name of the event.
func (k EventKind) Label() string {
	if l, ok := eventLabels[k]; ok {
		return l
	}
	return string(k)
}

// Event is what happened, with the fields its kind needs. Input that needs
// the store to check (the group's members against the case's handlers) is
// checked by Group.Validate before Next.
type Event struct {
	Kind         EventKind
	Role         domain.Role    // EventOpinion: the body stating it
	Post         oversight.Post // EventLeaderDecision: the co-leader deciding
	Agree        *bool          // EventOpinion: 同意; EventLeaderDecision: track
	Text         string         // EventOpinion, EventLeaderDecision, EventClose: the opinion or reason
	Evaluation   *Evaluation    // EventEvaluate
	Consultation *Consultation  // EventOpenConsult
	Group        *Group         // EventFormGroup
	// Watchdog is set on EventOpenConsult when a watchdog brings a
	// declined case to consultation.
	Watchdog bool
	By       string
}

// Transition is the result of Next: the new state and, when the tracking
// has just been decided, how (DecidedBy "consultation" or "co_leaders").
type Transition struct {
	State     State
	DecidedBy string
}

// Next applies ev to a tracking in state at now. An event that does not
// apply to the state is an ErrConflict error; one missing what its kind
// needs is an ErrInvalid error. Choices made here beyond the seed:
//   - 不予跟踪 by the bureau's evaluation does not bury the case: a watchdog
//     (纪检监察组 or 监察室) may still bring it to the consultation, and the
//     bureau may evaluate it again while nobody has;
//   - each body states its opinion once; when all three have, all 同意 makes
//     the case tracked and any 不同意 sends it to the co-leaders;
//   - each co-leader records a decision once; the same decision settles it;
//     different decisions make the case tracked, because the seed gives the
//     纪检监察组 专责监督 and the two leaders lead jointly: tracking is
//     oversight, not a sanction, so either co-leader may require it, and a
//     standoff must not leave a case nobody watches.
func Next(state State, ev Event, now time.Time) (Transition, error) {
	if !state.Step.Valid() {
		return Transition{}, domain.Invalid("step", "未知的跟踪阶段："+string(state.Step))
	}
	s := State{Step: state.Step, Opinions: slices.Clone(state.Opinions), Decisions: slices.Clone(state.Decisions)}
	var decided string
	var err error
	switch ev.Kind {
	case EventEvaluate:
		if err = s.expect(ev, StepCandidate, StepEvaluated, StepDeclined); err != nil {
			break
		}
		if ev.Evaluation == nil {
			err = domain.Invalid("result", "请填写综合评估")
			break
		}
		s.Step = StepDeclined
		if ev.Evaluation.Result == ResultTrack {
			s.Step = StepEvaluated
		}
	case EventLapse:
		if err = s.expect(ev, StepCandidate); err == nil {
			s.Step = StepLapsed
		}
	case EventOpenConsult:
		if err = s.expect(ev, StepEvaluated, StepDeclined); err != nil {
			break
		}
		if s.Step == StepDeclined && !ev.Watchdog {
			err = domain.Errorf(domain.ErrForbidden, "评估不予跟踪的案件，只能由纪检监察组或监察室提请会商")
			break
		}
		if ev.Consultation == nil {
			err = domain.Invalid("minutes", "请填写会商记录")
			break
		}
		s.Step, s.Opinions, s.Decisions = StepConsulting, nil, nil
	case EventOpinion:
		decided, err = s.opinion(ev, now)
	case EventLeaderDecision:
		decided, err = s.leader(ev, now)
	case EventFormGroup:
		if err = s.expect(ev, StepTracked); err != nil {
			break
		}
		if ev.Group == nil {
			err = domain.Invalid("members", "请选择工作小组成员")
			break
		}
		s.Step = StepTracking
	case EventClose:
		if err = s.expect(ev, StepTracking); err == nil {
			if blank(ev.Text) {
				err = domain.Invalid("reason", "请填写结束跟踪的理由")
				break
			}
			s.Step = StepClosed
		}
	default:
		err = domain.Invalid("event", "未知的跟踪事件："+string(ev.Kind))
	}
	if err != nil {
		return Transition{}, err
	}
	return Transition{State: s, DecidedBy: decided}, nil
}

func (s *State) expect(ev Event, steps ...Step) error {
	if slices.Contains(steps, s.Step) {
		return nil
	}
	return domain.Errorf(domain.ErrConflict, "重点案件跟踪处于“%s”阶段，不能%s", s.Step.Label(), ev.Kind.Label())
}

func (s *State) opinion(ev Event, now time.Time) (string, error) {
	if err := s.expect(ev, StepConsulting); err != nil {
		return "", err
	}
	if !slices.Contains(bodies, ev.Role) {
		return "", domain.Errorf(domain.ErrForbidden, "会商意见只能由执行局、纪检监察组或监察室登记")
	}
	if slices.ContainsFunc(s.Opinions, func(o Opinion) bool { return o.Role == ev.Role }) {
		return "", domain.Errorf(domain.ErrConflict, "%s已登记会商意见", ev.Role.Label())
	}
	if ev.Agree == nil {
		return "", domain.Invalid("agree", "请选择同意或不同意")
	}
	if blank(ev.Text) {
		return "", domain.Invalid("opinion", "请填写意见")
	}
	if len([]rune(ev.Text)) > 2000 {
		return "", domain.Invalid("opinion", "意见不超过2000字")
	}
	s.Opinions = append(s.Opinions, Opinion{Role: ev.Role, Agree: *ev.Agree, Opinion: strings.TrimSpace(ev.Text), By: ev.By, At: now})
	if len(s.Opinions) < len(bodies) {
		return "", nil
	}
	if slices.ContainsFunc(s.Opinions, func(o Opinion) bool { return !o.Agree }) {
		s.Step = StepCoLeaders
		return "", nil
	}
	s.Step = StepTracked
	return "consultation", nil
}

func (s *State) leader(ev Event, now time.Time) (string, error) {
	if err := s.expect(ev, StepCoLeaders); err != nil {
		return "", err
	}
	if !slices.Contains(coLeaders, ev.Post) {
		return "", domain.Errorf(domain.ErrForbidden, "只有执行局局长和纪检监察组组长共同决定")
	}
	if slices.ContainsFunc(s.Decisions, func(d LeaderDecision) bool { return d.Post == ev.Post }) {
		return "", domain.Errorf(domain.ErrConflict, "%s已作出决定", ev.Post.Label())
	}
	if ev.Agree == nil {
		return "", domain.Invalid("track", "请选择跟踪或不予跟踪")
	}
	if blank(ev.Text) {
		return "", domain.Invalid("reason", "请填写决定理由")
	}
	if len([]rune(ev.Text)) > 2000 {
		return "", domain.Invalid("reason", "决定理由不超过2000字")
	}
	s.Decisions = append(s.Decisions, LeaderDecision{Post: ev.Post, Track: *ev.Agree, Reason: strings.TrimSpace(ev.Text), By: ev.By, At: now})
	if len(s.Decisions) < len(coLeaders) {
		return "", nil
	}
	if s.Decisions[0].Track == s.Decisions[1].Track && !s.Decisions[0].Track {
		s.Step = StepNotTracked
	} else {
		s.Step = StepTracked // the same decision to track, or a difference: see Next
	}
	return "co_leaders", nil
}

// Disagree reports whether the co-leaders decided differently (the case
// is then tracked; see Next).
func (s State) Disagree() bool {
	return len(s.Decisions) == 2 && s.Decisions[0].Track != s.Decisions[1].Track
}

// OpinionOf returns body r's opinion, if given.
func (s State) OpinionOf(r domain.Role) (Opinion, bool) {
	for _, o := range s.Opinions {
		if o.Role == r {
			return o, true
		}
	}
	return Opinion{}, false
}

// DecisionOf returns co-leader p's decision, if given.
func (s State) DecisionOf(p oversight.Post) (LeaderDecision, bool) {
	for _, d := range s.Decisions {
		if d.Post == p {
			return d, true
		}
	}
	return LeaderDecision{}, false
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// String names the step for logs.
func (t Transition) String() string {
	if t.DecidedBy != "" {
		return fmt.Sprintf("%s (by %s)", t.State.Step, t.DecidedBy)
	}
	return string(t.State.Step)
}

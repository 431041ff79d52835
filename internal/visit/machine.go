package visit

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// A visit escalates as the seed's 回访方式 says: SMS → (满意 → closed) |
// (不满意 / 不知道 → phone) | (no reply in the window → 未回复, then phone by
// default) → phone visit by the command centre → (satisfied → closed) |
// (still dissatisfied, or not reached after the configured attempts →
// consultation 会商 of 执行局, 纪检监察组 and 监察室, recorded once with the
// participants of each body, the conclusion and the person each sends) →
// on-site visit 实地回访 → measures and suggestions → closed. Next is the
// only way a visit moves.

// Step is where a visit stands. The names are stored and never change.
type Step string

// Steps. Recording a phone or on-site visit moves straight on, so there is no
// resting step "phone done" or "on-site done".
const (
	StepNew             Step = "new"               // drawn or found, nothing sent yet
	StepSMSSent         Step = "sms_sent"          // waiting for the party's reply
	StepSMSUnclearAsked Step = "sms_unclear_asked" // the reply was unclear; asked once more
	StepPhonePending    Step = "phone_pending"     // the command centre owes a phone visit
	StepConsultation    Step = "consultation"      // the three bodies owe their decisions
	StepOnsitePending   Step = "onsite_pending"    // the named persons owe the on-site visit
	StepClosed          Step = "closed"            // see Outcome
)

var stepLabels = map[Step]string{
	StepNew:             "待回访",
	StepSMSSent:         "短信已发送",
	StepSMSUnclearAsked: "回复不明，已再次询问",
	StepPhonePending:    "待电话回访",
	StepConsultation:    "待会商",
	StepOnsitePending:   "待实地回访",
	StepClosed:          "已结束",
}

// Known tells whether s is one of the steps above (each has a label):
// a step may then be written into a statement as a literal.
func (s Step) Known() bool {
	_, ok := stepLabels[s]
	return ok
}

// Label returns the Chinese name of the step.
func (s Step) Label() string {
	if l, ok := stepLabels[s]; ok {
		return l
	}
	return string(s)
}

// Outcome is how a closed visit ended.
type Outcome string

// Outcomes.
const (
	OutcomeSatisfiedSMS   Outcome = "satisfied_sms"   // 短信回复满意
	OutcomeNoReply        Outcome = "no_reply"        // 未回复, and no phone visit configured
	OutcomeSatisfiedPhone Outcome = "satisfied_phone" // 电话回访满意
	OutcomeOnsiteDone     Outcome = "onsite_done"     // 实地回访完成，已提出措施和建议
	OutcomeClosedManually Outcome = "closed_manually" // 人工结束, with a reason
)

var outcomeLabels = map[Outcome]string{
	OutcomeSatisfiedSMS:   "短信回访满意",
	OutcomeNoReply:        "未回复",
	OutcomeSatisfiedPhone: "电话回访满意",
	OutcomeOnsiteDone:     "实地回访完成",
	OutcomeClosedManually: "人工结束",
}

// Label returns the Chinese name of the outcome.
func (o Outcome) Label() string {
	if l, ok := outcomeLabels[o]; ok {
		return l
	}
	return string(o)
}

// Consultation is the record of the consultation 会商 of the three bodies
// of the visit's court: when it met, who took part for each body, what it
// concluded, and the person each body sends on the on-site visit.
type Consultation struct {
	Date         domain.Date
	Participants map[domain.Role]string // per body, the names of those who took part
	Conclusion   string
	Persons      map[domain.Role]string // per body, the person it sends
}

// Validate checks a consultation record: a date not after today, every
// body's participants and person, and the conclusion. It reports every
// wrong field at once, each under its own form field.
func (c *Consultation) Validate(today domain.Date) error {
	if c == nil {
		return domain.Invalid("conclusion", "请填写会商记录")
	}
	fe := domain.FieldErrors{}
	if c.Date.IsZero() {
		fe.Add("consult_date", "请填写会商日期")
	} else if c.Date.After(today) {
		fe.Add("consult_date", "会商日期不能晚于今天")
	}
	for _, r := range consultingBodies {
		switch part := c.Participants[r]; {
		case blank(part):
			fe.Add("participants_"+string(r), "请填写"+r.Label()+"参加会商的人员")
		case len([]rune(part)) > 200:
			fe.Add("participants_"+string(r), r.Label()+"参加会商的人员不超过200字")
		}
		switch person := c.Persons[r]; {
		case blank(person):
			fe.Add("person_"+string(r), "请填写"+r.Label()+"指派的实地回访人员")
		case len([]rune(person)) > 100:
			fe.Add("person_"+string(r), r.Label()+"指派的实地回访人员不超过100字")
		}
	}
	if blank(c.Conclusion) {
		fe.Add("conclusion", "请填写会商结论")
	} else if len([]rune(c.Conclusion)) > 2000 {
		fe.Add("conclusion", "会商结论不超过2000字")
	}
	return fe.Err()
}

// Decision is one body's part in the consultation 会商: the person it sends.
type Decision struct {
	Role    domain.Role // bureau, discipline_group or supervision_office
	Person  string      // the person it sends on the on-site visit
	Opinion string
	At      time.Time
}

// State is everything Next needs to know about a visit.
type State struct {
	Step    Step
	Outcome Outcome   // set when Step is StepClosed
	NoReply bool      // the reply window passed unanswered (附件3: 3、未回复)
	Due     time.Time // deadline of the current duty; zero when there is none
	// PhoneAttempts counts the phone calls that reached nobody (未能联系).
	PhoneAttempts int
	// Decisions holds the consultation decisions so far, in the order given.
	Decisions []Decision
}

// NewState returns the state of a visit that has just been created.
func NewState() State { return State{Step: StepNew} }

// consultingBodies are the three bodies of the consultation, in display order.
var consultingBodies = []domain.Role{domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice}

// Task is what is owed next.
type Task string

// Tasks.
const (
	TaskStart        Task = "start"        // send the SMS or start a phone visit
	TaskAwaitReply   Task = "await_reply"  // the party owes a reply; at Due send EventReplyWindowExpired
	TaskPhoneVisit   Task = "phone_visit"  // 电话回访
	TaskConsultation Task = "consultation" // 会商: each listed body records its decision
	TaskOnsiteVisit  Task = "onsite_visit" // 实地回访 by the named persons
)

// Duty is what is owed next, by whom and by when. Roles is empty when the
// party owes it; People lists the persons named by the consultation.
type Duty struct {
	Task   Task
	Roles  []domain.Role
	People []string
	Due    time.Time // zero: no deadline
}

// Overdue reports whether the duty is late at now.
func (d *Duty) Overdue(now time.Time) bool {
	return d != nil && !d.Due.IsZero() && now.After(d.Due)
}

// Duty returns what is owed in state s, or nil for a closed visit.
func (s State) Duty() *Duty {
	switch s.Step {
	case StepNew:
		return &Duty{Task: TaskStart, Roles: []domain.Role{domain.RoleCommandCenter}}
	case StepSMSSent, StepSMSUnclearAsked:
		return &Duty{Task: TaskAwaitReply, Due: s.Due}
	case StepPhonePending:
		return &Duty{Task: TaskPhoneVisit, Roles: []domain.Role{domain.RoleCommandCenter}, Due: s.Due}
	case StepConsultation:
		return &Duty{Task: TaskConsultation, Roles: slices.Clone(consultingBodies), Due: s.Due}
	case StepOnsitePending:
		d := &Duty{Task: TaskOnsiteVisit, Roles: slices.Clone(consultingBodies), Due: s.Due}
		for _, r := range consultingBodies {
			for _, dec := range s.Decisions {
				if dec.Role == r {
					d.People = append(d.People, dec.Person)
				}
			}
		}
		return d
	}
	return nil
}

// MessageKind is an SMS the caller must send.
type MessageKind string

// SMS kinds.
const (
	MessageNone       MessageKind = ""
	MessageQuestion   MessageKind = "question"   // 案件是否执行完毕，对案件执行过程是否满意 (1 满意 / 2 不满意)
	MessageAskAgain   MessageKind = "ask_again"  // the reply was not understood; the question again
	MessageCategories MessageKind = "categories" // 不满意的事项是哪些，请选择，可以选择多项
)

// Config holds the escalation settings; every duration must be positive.
type Config struct {
	PhoneOnNoReply  bool          // phone the party when the SMS goes unanswered (default true)
	ReplyWindow     time.Duration // how long a party has to reply to an SMS
	PhoneDeadline   time.Duration // from entering the phone step to the phone visit
	ConsultDeadline time.Duration // from the dissatisfied phone visit to the consultation record
	// PhoneAttempts is how many calls that reach nobody (未能联系) send the
	// visit to the consultation; PhoneRetry is the time to the next call.
	PhoneAttempts  int
	PhoneRetry     time.Duration
	OnsiteDeadline time.Duration // from the last decision to the on-site record
	// PublicURL is the address parties reach from their phones
	// (https://host), for the one-time links in the question (see
	// LinkSentence); no link is sent without it.
	PublicURL string
}

// DefaultConfig returns the defaults: phone on no reply, three days to reply,
// five to phone, three calls a day apart before a party not reached goes to
// the consultation, ten days to consult, thirty for the on-site visit.
func DefaultConfig() Config {
	const day = 24 * time.Hour
	return Config{PhoneOnNoReply: true, ReplyWindow: 3 * day, PhoneDeadline: 5 * day, PhoneAttempts: 3, PhoneRetry: day,
		ConsultDeadline: 10 * day, OnsiteDeadline: 30 * day}
}

// Validate reports whether c can be used.
func (c Config) Validate() error {
	for _, d := range []struct {
		field string
		v     time.Duration
	}{{"reply_window", c.ReplyWindow}, {"phone_deadline", c.PhoneDeadline}, {"consult_deadline", c.ConsultDeadline}, {"onsite_deadline", c.OnsiteDeadline}} {
		if d.v <= 0 {
			return domain.Invalid(d.field, "回访期限必须大于零")
		}
	}
	if c.PhoneAttempts < 0 || c.PhoneAttempts > 20 || c.PhoneRetry < 0 {
		return domain.Invalid("phone_attempts", "电话联系次数应在 0 至 20 之间，重拨间隔不能为负")
	}
	return nil
}

// EventKind is something that happened to a visit.
type EventKind string

// Events. The names are stored and never change.
const (
	EventStart              EventKind = "start"                 // send the satisfaction SMS
	EventStartPhone         EventKind = "start_phone"           // no SMS: straight to the phone (e.g. no usable mobile)
	EventSMSReply           EventKind = "sms_reply"             // Reply: a parsed reply to the satisfaction question
	EventCategoriesReply    EventKind = "categories_reply"      // Categories: a reply to the follow-up question
	EventReplyWindowExpired EventKind = "reply_window_expired"  // the reply window passed
	EventSMSFailed          EventKind = "sms_failed"            // permanent delivery failure; Reason
	EventPhoneRecorded      EventKind = "phone_recorded"        // Answers, with Satisfied set
	EventPhoneUnreached     EventKind = "phone_unreached"       // 未能联系; Reason optional
	EventConsultation       EventKind = "consultation"          // Role (the recording body), Consultation
	EventConsultDecision    EventKind = "consultation_decision" // one body's decision: kept for visits recorded before the one consultation record
	EventOnsiteRecorded     EventKind = "onsite_recorded"       // Measures, Suggestions, optional Answers
	EventManualClose        EventKind = "manual_close"          // Role, Reason
)

// EventLinkAnswer is the party's answers through the visit link: recorded
// on the visit's timeline beside the events, never an input of Next.
const EventLinkAnswer EventKind = "link_answer"

var eventLabels = map[EventKind]string{
	EventStart:              "发送回访短信",
	EventStartPhone:         "直接转电话回访",
	EventSMSReply:           "登记短信回复",
	EventCategoriesReply:    "登记不满意事项回复",
	EventReplyWindowExpired: "登记未回复",
	EventSMSFailed:          "登记短信发送失败",
	EventPhoneRecorded:      "登记电话回访",
	EventPhoneUnreached:     "登记未能联系",
	EventConsultation:       "登记会商记录",
	EventConsultDecision:    "登记会商意见",
	EventOnsiteRecorded:     "登记实地回访",
	EventManualClose:        "人工结束回访",
	EventLinkAnswer:         "当事人通过回访链接作答",
}

// Label returns the Chinese name of the event.
func (k EventKind) Label() string {
	if l, ok := eventLabels[k]; ok {
		return l
	}
	return string(k)
}

// Event is what happened, with the fields its kind needs.
type Event struct {
	Kind       EventKind
	Reply      Reply       // EventSMSReply
	Categories []int       // EventCategoriesReply: 1..4
	Answers    *Answers    // EventPhoneRecorded (required), EventOnsiteRecorded (optional)
	Role       domain.Role // EventConsultation: the recording body; EventManualClose: who closes
	Person     string      // EventConsultDecision (old records)
	Opinion    string      // EventConsultDecision (old records)
	// Consultation is the record of EventConsultation.
	Consultation *Consultation
	Measures     string // EventOnsiteRecorded: 工作措施
	Suggestions  string // EventOnsiteRecorded: 建议
	Reason       string // EventManualClose (required), EventSMSFailed
}

// Transition is the result of Next: the new state, what is owed next (nil
// once closed) and the SMS the caller must send, if any.
type Transition struct {
	State State
	Duty  *Duty
	SMS   MessageKind
}

// Next applies ev to a visit in state at time now. An event that does not
// apply to the state is an ErrConflict error; an event missing what its kind
// needs, or an invalid cfg, is an ErrInvalid error. Choices made here beyond
// the seed:
//   - an unclear reply is asked once more, a second unclear reply goes to the
//     phone, and so does an unclear reply followed by silence (the party did
//     answer, so it is not 未回复); a request to stop SMS (TD) goes straight
//     to the phone;
//   - a 满意 arriving after the window, while the phone visit is still owed for
//     未回复, ends the visit as the seed's 满意 does; a late 满意 after a
//     不满意 or 不知道 does not cancel the phone visit;
//   - 不满意 by SMS also sends the follow-up question on categories; its
//     answer is accepted in any open step after that;
//   - once the visit reaches the consultation, only the two watchdogs may close
//     it by hand, so that nobody in the bureau can bury a complaint about it.
func Next(state State, ev Event, cfg Config, now time.Time) (Transition, error) {
	if err := cfg.Validate(); err != nil {
		return Transition{}, err
	}
	if _, ok := stepLabels[state.Step]; !ok {
		return Transition{}, domain.Invalid("step", "未知的回访阶段："+string(state.Step))
	}
	s := state
	s.Decisions = slices.Clone(state.Decisions)
	var sms MessageKind
	var err error
	switch ev.Kind {
	case EventStart:
		err = s.expect(ev, StepNew)
		s.enter(StepSMSSent, now, cfg.ReplyWindow)
		sms = MessageQuestion
	case EventStartPhone:
		err = s.expect(ev, StepNew)
		s.enter(StepPhonePending, now, cfg.PhoneDeadline)
	case EventSMSReply:
		sms, err = s.reply(ev, cfg, now)
	case EventCategoriesReply:
		err = s.expect(ev, StepPhonePending, StepConsultation, StepOnsitePending)
		if err == nil && !validCategories(ev.Categories) {
			err = domain.Invalid("categories", "不满意事项类别必须是 1 至 4 中的一项或多项")
		}
	case EventReplyWindowExpired:
		err = s.expect(ev, StepSMSSent, StepSMSUnclearAsked)
		if err == nil && !s.Due.IsZero() && now.Before(s.Due) {
			err = domain.Errorf(domain.ErrConflict, "回复期限 %s 尚未届满", s.Due.Format(time.DateTime))
		}
		switch {
		case s.Step == StepSMSUnclearAsked || cfg.PhoneOnNoReply:
			s.NoReply = s.Step == StepSMSSent
			s.enter(StepPhonePending, now, cfg.PhoneDeadline)
		default:
			s.NoReply = true
			s.close(OutcomeNoReply)
		}
	case EventSMSFailed:
		err = s.expect(ev, StepSMSSent, StepSMSUnclearAsked)
		s.enter(StepPhonePending, now, cfg.PhoneDeadline)
	case EventPhoneRecorded:
		err = s.phone(ev, cfg, now)
	case EventPhoneUnreached:
		err = s.expect(ev, StepPhonePending)
		s.PhoneAttempts++
		if s.PhoneAttempts >= max(cfg.PhoneAttempts, 1) {
			s.Decisions = nil
			s.enter(StepConsultation, now, cfg.ConsultDeadline)
		} else {
			s.Due = now.Add(cfg.PhoneRetry)
		}
	case EventConsultation:
		err = s.consult(ev, cfg, now)
	case EventConsultDecision:
		err = domain.Errorf(domain.ErrConflict, "会商改为由三家共同会商后一次登记会商记录")
	case EventOnsiteRecorded:
		err = s.expect(ev, StepOnsitePending)
		if err == nil {
			err = onsiteRecord(ev)
		}
		s.close(OutcomeOnsiteDone)
	case EventManualClose:
		err = s.manualClose(ev)
	default:
		err = domain.Invalid("event", "未知的回访事件："+string(ev.Kind))
	}
	if err != nil {
		return Transition{}, err
	}
	return Transition{State: s, Duty: s.Duty(), SMS: sms}, nil
}

// expect returns an ErrConflict error unless s is at one of the steps.
func (s *State) expect(ev Event, steps ...Step) error {
	if slices.Contains(steps, s.Step) {
		return nil
	}
	if s.Step == StepClosed {
		return domain.Errorf(domain.ErrConflict, "回访已结束（%s），不能%s", s.Outcome.Label(), ev.Kind.Label())
	}
	return domain.Errorf(domain.ErrConflict, "回访处于“%s”阶段，不能%s", s.Step.Label(), ev.Kind.Label())
}

func (s *State) enter(step Step, now time.Time, d time.Duration) {
	s.Step, s.Due = step, now.Add(d)
}

func (s *State) close(o Outcome) {
	s.Step, s.Outcome, s.Due = StepClosed, o, time.Time{}
}

func (s *State) reply(ev Event, cfg Config, now time.Time) (MessageKind, error) {
	if err := s.expect(ev, StepSMSSent, StepSMSUnclearAsked, StepPhonePending); err != nil {
		return MessageNone, err
	}
	switch ev.Reply.Kind {
	case ReplySatisfied, ReplyDissatisfied, ReplyDontKnow, ReplyUnclear:
	default:
		return MessageNone, domain.Invalid("reply", "未知的回复类型："+string(ev.Reply.Kind))
	}
	if s.Step == StepPhonePending { // a late reply; the phone visit is owed already
		wasNoReply := s.NoReply
		s.NoReply = false
		switch {
		case ev.Reply.Kind == ReplySatisfied && wasNoReply:
			s.close(OutcomeSatisfiedSMS)
		case ev.Reply.Kind == ReplyDissatisfied:
			return MessageCategories, nil
		}
		return MessageNone, nil
	}
	switch ev.Reply.Kind {
	case ReplySatisfied:
		s.close(OutcomeSatisfiedSMS)
	case ReplyDissatisfied:
		s.enter(StepPhonePending, now, cfg.PhoneDeadline)
		return MessageCategories, nil
	case ReplyDontKnow:
		s.enter(StepPhonePending, now, cfg.PhoneDeadline)
	case ReplyUnclear:
		if s.Step == StepSMSSent && !ev.Reply.OptOut {
			s.enter(StepSMSUnclearAsked, now, cfg.ReplyWindow)
			return MessageAskAgain, nil
		}
		s.enter(StepPhonePending, now, cfg.PhoneDeadline)
	}
	return MessageNone, nil
}

func (s *State) phone(ev Event, cfg Config, now time.Time) error {
	if err := s.expect(ev, StepPhonePending); err != nil {
		return err
	}
	if ev.Answers == nil || ev.Answers.Satisfied == nil {
		return domain.Invalid("satisfied", "请登记当事人对电话回访是否满意")
	}
	if err := ev.Answers.Validate(); err != nil {
		return err
	}
	if *ev.Answers.Satisfied {
		s.close(OutcomeSatisfiedPhone)
		return nil
	}
	s.Decisions = nil
	s.enter(StepConsultation, now, cfg.ConsultDeadline)
	return nil
}

// consult records the consultation of the three bodies at once: each body
// sends the person the record names, and the visit goes on site.
func (s *State) consult(ev Event, cfg Config, now time.Time) error {
	if err := s.expect(ev, StepConsultation); err != nil {
		return err
	}
	if !slices.Contains(consultingBodies, ev.Role) {
		return domain.Errorf(domain.ErrForbidden, "会商记录只能由执行局、纪检监察组或监察室登记")
	}
	if err := ev.Consultation.Validate(domain.DateOf(now, domain.Beijing)); err != nil {
		return err
	}
	s.Decisions = nil
	for _, r := range consultingBodies {
		s.Decisions = append(s.Decisions, Decision{Role: r, Person: strings.TrimSpace(ev.Consultation.Persons[r]), Opinion: strings.TrimSpace(ev.Consultation.Conclusion), At: now})
	}
	s.enter(StepOnsitePending, now, cfg.OnsiteDeadline)
	return nil
}

func onsiteRecord(ev Event) error {
	switch {
	case blank(ev.Measures):
		return domain.Invalid("measures", "请填写工作措施")
	case blank(ev.Suggestions):
		return domain.Invalid("suggestions", "请填写建议")
	case ev.Answers != nil:
		return ev.Answers.Validate()
	}
	return nil
}

func (s *State) manualClose(ev Event) error {
	if err := s.expect(ev, StepNew, StepSMSSent, StepSMSUnclearAsked, StepPhonePending, StepConsultation, StepOnsitePending); err != nil {
		return err
	}
	escalated := s.Step == StepConsultation || s.Step == StepOnsitePending
	switch {
	case escalated && !ev.Role.IsWatchdog():
		return domain.Errorf(domain.ErrForbidden, "已进入会商的回访只能由纪检监察组或监察室结束")
	case !escalated && !ev.Role.IsWatchdog() && ev.Role != domain.RoleCommandCenter && ev.Role != domain.RoleBureau:
		return domain.Errorf(domain.ErrForbidden, "%s不能结束回访", ev.Role.Label())
	}
	if blank(ev.Reason) {
		return domain.Invalid("reason", "请填写结束回访的理由")
	}
	s.close(OutcomeClosedManually)
	return nil
}

func validCategories(cs []int) bool {
	return len(cs) > 0 && !slices.ContainsFunc(cs, func(c int) bool { return c < 1 || c > 4 })
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// ConsultingBodies returns the three bodies of the consultation 会商:
// 执行局, 派驻纪检监察组 and 监察室.
func ConsultingBodies() []domain.Role { return slices.Clone(consultingBodies) }

// String names the new step for logs: "phone_pending", "closed (satisfied_sms)".
func (t Transition) String() string {
	if t.State.Step == StepClosed {
		return fmt.Sprintf("%s (%s)", t.State.Step, t.State.Outcome)
	}
	return string(t.State.Step)
}

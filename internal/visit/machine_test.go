package visit

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

var (
	cst = time.FixedZone("CST", 8*3600)
	t0  = time.Date(2025, 3, 3, 9, 0, 0, 0, cst)
	day = 24 * time.Hour
)

func reply(s string) Event {
	r, _ := ParseSatisfaction(s)
	return Event{Kind: EventSMSReply, Reply: r}
}

func phone(satisfied bool, items ...string) Event {
	return Event{Kind: EventPhoneRecorded, Answers: &Answers{Satisfied: &satisfied, Items: items}}
}

// consult is the consultation record of the three bodies, recorded by r.
func consult(r domain.Role, bureau, group, office string) Event {
	return Event{Kind: EventConsultation, Role: r, Consultation: &Consultation{Date: domain.DateOf(t0, domain.Beijing),
		Participants: map[domain.Role]string{domain.RoleBureau: "局长甲", domain.RoleDisciplineGroup: "组长乙", domain.RoleSupervisionOffice: "主任丙"},
		Conclusion:   "当事人反映案款发放迟延，派员实地回访",
		Persons:      map[domain.Role]string{domain.RoleBureau: bureau, domain.RoleDisciplineGroup: group, domain.RoleSupervisionOffice: office}}}
}

var (
	evStart      = Event{Kind: EventStart}
	evStartPhone = Event{Kind: EventStartPhone}
	evExpired    = Event{Kind: EventReplyWindowExpired}
	evFailed     = Event{Kind: EventSMSFailed, Reason: "空号"}
	evCategories = Event{Kind: EventCategoriesReply, Categories: []int{1, 3}}
	evOnsite     = Event{Kind: EventOnsiteRecorded, Measures: "督促承办人十日内发放案款", Suggestions: "加强案款管理"}
	evUnreached  = Event{Kind: EventPhoneUnreached, Reason: "无人接听"}
)

func closeBy(r domain.Role) Event {
	return Event{Kind: EventManualClose, Role: r, Reason: "当事人已撤回投诉"}
}

type step struct {
	ev      Event
	at      time.Duration // after t0
	step    Step
	outcome Outcome
	sms     MessageKind
	task    Task          // "" when closed
	roles   []domain.Role // nil: not checked
	due     time.Duration // after t0; -1: no deadline
}

func TestNextPaths(t *testing.T) {
	noPhone := DefaultConfig()
	noPhone.PhoneOnNoReply = false
	cc := []domain.Role{domain.RoleCommandCenter}
	all3 := []domain.Role{domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice}
	consultation := []step{
		{evCategories, 6 * day, StepConsultation, "", "", TaskConsultation, all3, 15 * day},
		{consult(domain.RoleDisciplineGroup, "张三", "李四", "王五"), 8 * day, StepOnsitePending, "", "", TaskOnsiteVisit, all3, 38 * day},
		{evOnsite, 20 * day, StepClosed, OutcomeOnsiteDone, "", "", nil, -1},
	}
	tests := []struct {
		name  string
		cfg   Config
		steps []step
	}{
		{"sms satisfied", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, []domain.Role{}, 3 * day},
			{reply("非常满意！"), day, StepClosed, OutcomeSatisfiedSMS, "", "", nil, -1},
		}},
		{"sms dissatisfied, phone satisfied", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("2"), day, StepPhonePending, "", MessageCategories, TaskPhoneVisit, cc, 6 * day},
			{evCategories, 2 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 6 * day},
			{phone(true), 3 * day, StepClosed, OutcomeSatisfiedPhone, "", "", nil, -1},
		}},
		{"sms dont know, phone dissatisfied, consultation, on-site", DefaultConfig(), append([]step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("不知道"), 0, StepPhonePending, "", "", TaskPhoneVisit, cc, 5 * day},
			{phone(false, "C1.6", "C3.5"), 5 * day, StepConsultation, "", "", TaskConsultation, all3, 15 * day},
		}, consultation...)},
		{"no reply, phone by default", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{evExpired, 3 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 8 * day},
			{phone(true), 4 * day, StepClosed, OutcomeSatisfiedPhone, "", "", nil, -1},
		}},
		{"no reply, no phone configured", noPhone, []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{evExpired, 4 * day, StepClosed, OutcomeNoReply, "", "", nil, -1},
		}},
		{"unclear, asked again, satisfied", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("好的"), day, StepSMSUnclearAsked, "", MessageAskAgain, TaskAwaitReply, nil, 4 * day},
			{reply("１"), 2 * day, StepClosed, OutcomeSatisfiedSMS, "", "", nil, -1},
		}},
		{"unclear twice, phone", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("？"), day, StepSMSUnclearAsked, "", MessageAskAgain, TaskAwaitReply, nil, 4 * day},
			{reply("你是谁"), 2 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 7 * day},
		}},
		{"unclear then dissatisfied", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("？"), day, StepSMSUnclearAsked, "", MessageAskAgain, TaskAwaitReply, nil, 4 * day},
			{reply("不满意"), 2 * day, StepPhonePending, "", MessageCategories, TaskPhoneVisit, cc, 7 * day},
		}},
		{"unclear then silence phones even without PhoneOnNoReply", noPhone, []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("嗯"), day, StepSMSUnclearAsked, "", MessageAskAgain, TaskAwaitReply, nil, 4 * day},
			{evExpired, 4 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 9 * day},
		}},
		{"opt-out goes to phone", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("TD"), day, StepPhonePending, "", "", TaskPhoneVisit, cc, 6 * day},
		}},
		{"hedged reply goes to phone", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("还行吧"), day, StepPhonePending, "", MessageCategories, TaskPhoneVisit, cc, 6 * day},
		}},
		{"delivery failure goes to phone", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{evFailed, 0, StepPhonePending, "", "", TaskPhoneVisit, cc, 5 * day},
		}},
		{"delivery failure of the second question", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("?"), day, StepSMSUnclearAsked, "", MessageAskAgain, TaskAwaitReply, nil, 4 * day},
			{evFailed, day, StepPhonePending, "", "", TaskPhoneVisit, cc, 6 * day},
		}},
		{"straight to phone, then on-site", DefaultConfig(), append([]step{
			{evStartPhone, 0, StepPhonePending, "", "", TaskPhoneVisit, cc, 5 * day},
			{phone(false), 5 * day, StepConsultation, "", "", TaskConsultation, all3, 15 * day},
		}, consultation...)},
		{"late satisfied after no reply ends the visit", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{evExpired, 3 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 8 * day},
			{reply("满意"), 4 * day, StepClosed, OutcomeSatisfiedSMS, "", "", nil, -1},
		}},
		{"late dissatisfied after no reply asks the categories", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{evExpired, 3 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 8 * day},
			{reply("不满意"), 4 * day, StepPhonePending, "", MessageCategories, TaskPhoneVisit, cc, 8 * day},
			{reply("满意"), 4 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 8 * day},
		}},
		{"late satisfied after dont know keeps the phone visit", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{reply("不清楚"), day, StepPhonePending, "", "", TaskPhoneVisit, cc, 6 * day},
			{reply("满意"), 2 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 6 * day},
		}},
		{"manual close by the command centre before the phone", DefaultConfig(), []step{
			{evStart, 0, StepSMSSent, "", MessageQuestion, TaskAwaitReply, nil, 3 * day},
			{closeBy(domain.RoleCommandCenter), day, StepClosed, OutcomeClosedManually, "", "", nil, -1},
		}},
		{"manual close of a new visit", DefaultConfig(), []step{
			{closeBy(domain.RoleBureau), 0, StepClosed, OutcomeClosedManually, "", "", nil, -1},
		}},
		{"not reached three times goes to the consultation", DefaultConfig(), append([]step{
			{evStartPhone, 0, StepPhonePending, "", "", TaskPhoneVisit, cc, 5 * day},
			{evUnreached, day, StepPhonePending, "", "", TaskPhoneVisit, cc, 2 * day},
			{evUnreached, 2 * day, StepPhonePending, "", "", TaskPhoneVisit, cc, 3 * day},
			{evUnreached, 5 * day, StepConsultation, "", "", TaskConsultation, all3, 15 * day},
		}, consultation...)},
		{"not reached, then reached", DefaultConfig(), []step{
			{evStartPhone, 0, StepPhonePending, "", "", TaskPhoneVisit, cc, 5 * day},
			{evUnreached, day, StepPhonePending, "", "", TaskPhoneVisit, cc, 2 * day},
			{phone(true), 2 * day, StepClosed, OutcomeSatisfiedPhone, "", "", nil, -1},
		}},
		{"manual close by a watchdog in the consultation", DefaultConfig(), []step{
			{evStartPhone, 0, StepPhonePending, "", "", TaskPhoneVisit, cc, 5 * day},
			{phone(false), day, StepConsultation, "", "", TaskConsultation, all3, 11 * day},
			{closeBy(domain.RoleSupervisionOffice), 2 * day, StepClosed, OutcomeClosedManually, "", "", nil, -1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewState()
			for i, st := range tt.steps {
				tr, err := Next(s, st.ev, tt.cfg, t0.Add(st.at))
				if err != nil {
					t.Fatalf("step %d (%s): %v", i, st.ev.Kind, err)
				}
				s = tr.State
				if s.Step != st.step || s.Outcome != st.outcome || tr.SMS != st.sms {
					t.Fatalf("step %d (%s): got %s/%s sms %q, want %s/%s sms %q", i, st.ev.Kind, s.Step, s.Outcome, tr.SMS, st.step, st.outcome, st.sms)
				}
				if st.task == "" {
					if tr.Duty != nil {
						t.Fatalf("step %d: closed visit owes %+v", i, tr.Duty)
					}
					continue
				}
				if tr.Duty == nil || tr.Duty.Task != st.task {
					t.Fatalf("step %d: duty %+v, want task %s", i, tr.Duty, st.task)
				}
				if st.roles != nil && !slices.Equal(tr.Duty.Roles, st.roles) && len(tr.Duty.Roles)+len(st.roles) > 0 {
					t.Errorf("step %d: roles %v, want %v", i, tr.Duty.Roles, st.roles)
				}
				if want := t0.Add(st.due); st.due >= 0 && !tr.Duty.Due.Equal(want) {
					t.Errorf("step %d: due %v, want %v", i, tr.Duty.Due, want)
				}
			}
		})
	}
}

func TestNextOnsiteDutyNamesPeople(t *testing.T) {
	s := State{Step: StepConsultation, Due: t0}
	tr, err := Next(s, consult(domain.RoleSupervisionOffice, " 张三 ", "李四", "王五"), DefaultConfig(), t0)
	if err != nil {
		t.Fatal(err)
	}
	s = tr.State
	d := s.Duty()
	if s.Step != StepOnsitePending || !slices.Equal(d.People, []string{"张三", "李四", "王五"}) {
		t.Fatalf("state %+v, duty %+v", s, d)
	}
	if d.Overdue(t0.Add(29*day)) || !d.Overdue(t0.Add(31*day)) {
		t.Error("Overdue wrong around the 30-day deadline")
	}
}

// legal lists, for every step, the events it accepts.
var legal = map[Step][]EventKind{
	StepNew:             {EventStart, EventStartPhone, EventManualClose},
	StepSMSSent:         {EventSMSReply, EventReplyWindowExpired, EventSMSFailed, EventManualClose},
	StepSMSUnclearAsked: {EventSMSReply, EventReplyWindowExpired, EventSMSFailed, EventManualClose},
	StepPhonePending:    {EventSMSReply, EventCategoriesReply, EventPhoneRecorded, EventPhoneUnreached, EventManualClose},
	StepConsultation:    {EventCategoriesReply, EventConsultation, EventManualClose},
	StepOnsitePending:   {EventCategoriesReply, EventOnsiteRecorded, EventManualClose},
	StepClosed:          {},
}

// TestNextMatrix tries every event, with a valid payload, in every step.
func TestNextMatrix(t *testing.T) {
	events := []Event{evStart, evStartPhone, reply("满意"), evCategories, evExpired, evFailed, phone(true), evUnreached,
		consult(domain.RoleBureau, "张三", "李四", "王五"), {Kind: EventConsultDecision, Role: domain.RoleBureau, Person: "张三", Opinion: "同意"},
		evOnsite, closeBy(domain.RoleDisciplineGroup)}
	for step, ok := range legal {
		for _, ev := range events {
			s := State{Step: step, Due: t0, Outcome: map[bool]Outcome{true: OutcomeSatisfiedSMS}[step == StepClosed]}
			_, err := Next(s, ev, DefaultConfig(), t0.Add(day))
			switch {
			case slices.Contains(ok, ev.Kind) && err != nil:
				t.Errorf("%s + %s: %v", step, ev.Kind, err)
			case !slices.Contains(ok, ev.Kind) && !errors.Is(err, domain.ErrConflict):
				t.Errorf("%s + %s: err = %v, want ErrConflict", step, ev.Kind, err)
			case err != nil && domain.UserMessage(err) == "":
				t.Errorf("%s + %s: no message", step, ev.Kind)
			}
		}
	}
}

func TestNextRejects(t *testing.T) {
	yes, no := true, false
	cons := State{Step: StepConsultation, Due: t0}
	without := func(change func(*Consultation)) Event {
		ev := consult(domain.RoleBureau, "张三", "李四", "王五")
		change(ev.Consultation)
		return ev
	}
	bad := DefaultConfig()
	bad.PhoneDeadline = 0
	tests := []struct {
		name  string
		state State
		ev    Event
		cfg   Config
		want  error
	}{
		{"phone without answers", State{Step: StepPhonePending}, Event{Kind: EventPhoneRecorded}, DefaultConfig(), domain.ErrInvalid},
		{"phone without satisfaction", State{Step: StepPhonePending}, Event{Kind: EventPhoneRecorded, Answers: &Answers{}}, DefaultConfig(), domain.ErrInvalid},
		{"phone satisfied with complaints", State{Step: StepPhonePending}, Event{Kind: EventPhoneRecorded, Answers: &Answers{Satisfied: &yes, Items: []string{"C1.1"}}}, DefaultConfig(), domain.ErrInvalid},
		{"phone unknown item", State{Step: StepPhonePending}, Event{Kind: EventPhoneRecorded, Answers: &Answers{Satisfied: &no, Items: []string{"C1.14"}}}, DefaultConfig(), domain.ErrInvalid},
		{"consultation recorded by the command centre", cons, consult(domain.RoleCommandCenter, "张三", "李四", "王五"), DefaultConfig(), domain.ErrForbidden},
		{"consultation without a record", cons, Event{Kind: EventConsultation, Role: domain.RoleBureau}, DefaultConfig(), domain.ErrInvalid},
		{"consultation naming nobody for a body", cons, consult(domain.RoleBureau, "张三", "  ", "王五"), DefaultConfig(), domain.ErrInvalid},
		{"consultation without conclusion", cons, without(func(c *Consultation) { c.Conclusion = " " }), DefaultConfig(), domain.ErrInvalid},
		{"consultation without a body's participants", cons, without(func(c *Consultation) { delete(c.Participants, domain.RoleSupervisionOffice) }), DefaultConfig(), domain.ErrInvalid},
		{"consultation dated in the future", cons, without(func(c *Consultation) { c.Date = c.Date.AddDays(3) }), DefaultConfig(), domain.ErrInvalid},
		{"consultation without date", cons, without(func(c *Consultation) { c.Date = domain.Date{} }), DefaultConfig(), domain.ErrInvalid},
		{"one body's decision alone", cons, Event{Kind: EventConsultDecision, Role: domain.RoleDisciplineGroup, Person: "李四", Opinion: "同意"}, DefaultConfig(), domain.ErrConflict},
		{"on-site without suggestions", State{Step: StepOnsitePending}, Event{Kind: EventOnsiteRecorded, Measures: "督促"}, DefaultConfig(), domain.ErrInvalid},
		{"on-site without measures", State{Step: StepOnsitePending}, Event{Kind: EventOnsiteRecorded, Suggestions: "建议"}, DefaultConfig(), domain.ErrInvalid},
		{"on-site with bad answers", State{Step: StepOnsitePending}, Event{Kind: EventOnsiteRecorded, Measures: "督促", Suggestions: "建议", Answers: &Answers{Satisfied: &no, Categories: []string{"C9"}}}, DefaultConfig(), domain.ErrInvalid},
		{"close without reason", State{Step: StepSMSSent}, Event{Kind: EventManualClose, Role: domain.RoleCommandCenter}, DefaultConfig(), domain.ErrInvalid},
		{"close by an officer", State{Step: StepSMSSent}, closeBy(domain.RoleOfficer), DefaultConfig(), domain.ErrForbidden},
		{"close in consultation by the command centre", cons, closeBy(domain.RoleCommandCenter), DefaultConfig(), domain.ErrForbidden},
		{"close on-site by the bureau", State{Step: StepOnsitePending}, closeBy(domain.RoleBureau), DefaultConfig(), domain.ErrForbidden},
		{"window not yet expired", State{Step: StepSMSSent, Due: t0.Add(day)}, evExpired, DefaultConfig(), domain.ErrConflict},
		{"reply to a closed visit", State{Step: StepClosed, Outcome: OutcomeSatisfiedSMS}, reply("不满意"), DefaultConfig(), domain.ErrConflict},
		{"categories out of range", State{Step: StepPhonePending}, Event{Kind: EventCategoriesReply, Categories: []int{5}}, DefaultConfig(), domain.ErrInvalid},
		{"no categories", State{Step: StepPhonePending}, Event{Kind: EventCategoriesReply}, DefaultConfig(), domain.ErrInvalid},
		{"reply without kind", State{Step: StepSMSSent}, Event{Kind: EventSMSReply}, DefaultConfig(), domain.ErrInvalid},
		{"unknown event", State{Step: StepSMSSent}, Event{Kind: "poke"}, DefaultConfig(), domain.ErrInvalid},
		{"unknown step", State{Step: "limbo"}, evStart, DefaultConfig(), domain.ErrInvalid},
		{"zero step", State{}, evStart, DefaultConfig(), domain.ErrInvalid},
		{"invalid config", NewState(), evStart, bad, domain.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Next(tt.state, tt.ev, tt.cfg, t0)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNextDoesNotMutateInput(t *testing.T) {
	s := State{Step: StepOnsitePending, Due: t0, Decisions: make([]Decision, 1, 3)}
	s.Decisions[0] = Decision{Role: domain.RoleBureau, Person: "张三", Opinion: "同意"}
	tr, err := Next(s, evCategories, DefaultConfig(), t0)
	if err != nil {
		t.Fatal(err)
	}
	tr.State.Decisions[0].Person = "changed"
	if s.Decisions[0].Person != "张三" {
		t.Fatal("Next shares or mutates the input decisions")
	}
}

func TestLabels(t *testing.T) {
	for s := range legal {
		if s.Label() == string(s) {
			t.Errorf("step %s has no label", s)
		}
	}
	for _, k := range []EventKind{EventStart, EventStartPhone, EventSMSReply, EventCategoriesReply, EventReplyWindowExpired, EventSMSFailed, EventPhoneRecorded, EventPhoneUnreached, EventConsultation, EventConsultDecision, EventOnsiteRecorded, EventManualClose} {
		if k.Label() == string(k) {
			t.Errorf("event %s has no label", k)
		}
	}
	for _, o := range []Outcome{OutcomeSatisfiedSMS, OutcomeNoReply, OutcomeSatisfiedPhone, OutcomeOnsiteDone, OutcomeClosedManually} {
		if o.Label() == string(o) {
			t.Errorf("outcome %s has no label", o)
		}
	}
}

// Actions offers exactly what RoleFor and Next allow: the bureau may close
// a visit before the consultation (the page used to hide its button while
// the machine allowed it), only the watchdogs after; each body decides
// once; nobody but the command centre starts or records a phone visit; the
// consultation and the on-site visit are the visit's own court's.
func TestActions(t *testing.T) {
	cfg, now := DefaultConfig(), time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	const court = "/鲁/鲁01/鲁0102/"
	viewer := func(roles ...domain.Role) domain.Viewer {
		return domain.Viewer{UserID: 1, Roles: roles, CourtPath: court}
	}
	higher := domain.Viewer{UserID: 2, Roles: []domain.Role{domain.RoleDisciplineGroup}, CourtPath: "/鲁/鲁01/"}
	has := func(acts []Action, kind EventKind, role domain.Role) bool {
		for _, a := range acts {
			if a.Kind == kind && a.Role == role {
				return true
			}
		}
		return false
	}
	fresh := State{Step: StepNew}
	consulting := State{Step: StepConsultation}
	tests := []struct {
		name  string
		state State
		v     domain.Viewer
		kind  EventKind
		role  domain.Role
		want  bool
	}{
		{"command centre starts", fresh, viewer(domain.RoleCommandCenter), EventStart, domain.RoleCommandCenter, true},
		{"bureau does not start", fresh, viewer(domain.RoleBureau), EventStart, domain.RoleCommandCenter, false},
		{"bureau closes before the consultation", fresh, viewer(domain.RoleBureau), EventManualClose, domain.RoleBureau, true},
		{"command centre closes before", fresh, viewer(domain.RoleCommandCenter), EventManualClose, domain.RoleCommandCenter, true},
		{"officer does not close", fresh, viewer(domain.RoleOfficer), EventManualClose, domain.RoleOfficer, false},
		{"bureau does not close after", consulting, viewer(domain.RoleBureau), EventManualClose, domain.RoleBureau, false},
		{"group closes after", consulting, viewer(domain.RoleDisciplineGroup), EventManualClose, domain.RoleDisciplineGroup, true},
		{"bureau records the consultation", consulting, viewer(domain.RoleBureau), EventConsultation, domain.RoleBureau, true},
		{"office records the consultation", consulting, viewer(domain.RoleSupervisionOffice), EventConsultation, domain.RoleSupervisionOffice, true},
		{"no single decisions any more", consulting, viewer(domain.RoleSupervisionOffice), EventConsultDecision, domain.RoleSupervisionOffice, false},
		{"a higher court's watchdog does not record the consultation", consulting, higher, EventConsultation, domain.RoleDisciplineGroup, false},
		{"a higher court's watchdog does not record the on-site visit", State{Step: StepOnsitePending}, higher, EventOnsiteRecorded, domain.RoleDisciplineGroup, false},
		{"a higher court's watchdog may close", consulting, higher, EventManualClose, domain.RoleDisciplineGroup, true},
		{"command centre records a call that reached nobody", State{Step: StepPhonePending}, viewer(domain.RoleCommandCenter), EventPhoneUnreached, domain.RoleCommandCenter, true},
		{"no phone visit before the SMS", fresh, viewer(domain.RoleCommandCenter), EventPhoneRecorded, domain.RoleCommandCenter, false},
		{"phone visit when owed", State{Step: StepPhonePending}, viewer(domain.RoleCommandCenter), EventPhoneRecorded, domain.RoleCommandCenter, true},
		{"nothing on a closed visit", State{Step: StepClosed, Outcome: OutcomeSatisfiedSMS}, viewer(domain.RoleDisciplineGroup), EventManualClose, domain.RoleDisciplineGroup, false},
	}
	for _, tt := range tests {
		acts := Actions(tt.state, tt.v, court, cfg, now)
		if got := has(acts, tt.kind, tt.role); got != tt.want {
			t.Errorf("%s: %v in %v, want %v", tt.name, got, acts, tt.want)
		}
		// What Actions offers, the machine accepts with the input filled in.
		for _, a := range acts {
			if _, err := RoleFor(tt.v, Event{Kind: a.Kind, Role: a.Role}, court); err != nil {
				t.Errorf("%s: offered %v but RoleFor refuses: %v", tt.name, a, err)
			}
		}
	}
}

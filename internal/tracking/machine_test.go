package tracking

import (
	"errors"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

var (
	evTrack   = Event{Kind: EventEvaluate, Evaluation: &Evaluation{Result: ResultTrack, Reasoning: "标的大，投诉多"}}
	evDecline = Event{Kind: EventEvaluate, Evaluation: &Evaluation{Result: ResultDecline, Reasoning: "已执行完毕大部分"}}
	evConsult = Event{Kind: EventOpenConsult, Consultation: &Consultation{Minutes: "会商纪要"}}
	evGroup   = Event{Kind: EventFormGroup, Group: &Group{Plan: "方案"}}
	evClose   = Event{Kind: EventClose, Text: "跟踪期满"}
	evLapse   = Event{Kind: EventLapse}
)

func opinion(r domain.Role, agree *bool) Event {
	return Event{Kind: EventOpinion, Role: r, Agree: agree, Text: "意见"}
}

func leader(p oversight.Post, track *bool) Event {
	return Event{Kind: EventLeaderDecision, Post: p, Agree: track, Text: "理由"}
}

type step struct {
	ev      Event
	want    Step
	decided string
	err     error // nil: the event applies
}

func TestNextPaths(t *testing.T) {
	bureau, group, office := domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice
	bl, dl := oversight.PostBureauLeader, oversight.PostDisciplineLeader
	watchdogConsult := evConsult
	watchdogConsult.Watchdog = true
	tests := []struct {
		name  string
		steps []step
	}{
		{"all three agree, group, close", []step{
			{evTrack, StepEvaluated, "", nil},
			{evConsult, StepConsulting, "", nil},
			{opinion(group, yes()), StepConsulting, "", nil},
			{opinion(bureau, yes()), StepConsulting, "", nil},
			{opinion(office, yes()), StepTracked, "consultation", nil},
			{evGroup, StepTracking, "", nil},
			{evClose, StepClosed, "", nil},
			{evClose, StepClosed, "", domain.ErrConflict},
		}},
		{"a body disagrees, the co-leaders both track", []step{
			{evTrack, StepEvaluated, "", nil},
			{evConsult, StepConsulting, "", nil},
			{opinion(bureau, yes()), StepConsulting, "", nil},
			{opinion(bureau, no()), StepConsulting, "", domain.ErrConflict},
			{opinion(group, no()), StepConsulting, "", nil},
			{evGroup, StepConsulting, "", domain.ErrConflict},
			{opinion(office, yes()), StepCoLeaders, "", nil},
			{leader(dl, yes()), StepCoLeaders, "", nil},
			{leader(dl, no()), StepCoLeaders, "", domain.ErrConflict},
			{leader(bl, yes()), StepTracked, "co_leaders", nil},
			{evGroup, StepTracking, "", nil},
		}},
		{"co-leaders both decline", []step{
			{evTrack, StepEvaluated, "", nil},
			{evConsult, StepConsulting, "", nil},
			{opinion(bureau, no()), StepConsulting, "", nil},
			{opinion(group, no()), StepConsulting, "", nil},
			{opinion(office, no()), StepCoLeaders, "", nil},
			{leader(bl, no()), StepCoLeaders, "", nil},
			{leader(dl, no()), StepNotTracked, "co_leaders", nil},
			{evGroup, StepNotTracked, "", domain.ErrConflict},
		}},
		{"co-leaders differ: tracked", []step{
			{evTrack, StepEvaluated, "", nil},
			{evConsult, StepConsulting, "", nil},
			{opinion(bureau, no()), StepConsulting, "", nil},
			{opinion(group, yes()), StepConsulting, "", nil},
			{opinion(office, yes()), StepCoLeaders, "", nil},
			{leader(bl, no()), StepCoLeaders, "", nil},
			{leader(dl, yes()), StepTracked, "co_leaders", nil},
		}},
		{"declined, re-evaluated", []step{
			{evDecline, StepDeclined, "", nil},
			{evConsult, StepDeclined, "", domain.ErrForbidden},
			{evTrack, StepEvaluated, "", nil},
		}},
		{"declined, a watchdog brings it to consultation", []step{
			{evDecline, StepDeclined, "", nil},
			{watchdogConsult, StepConsulting, "", nil},
			{evTrack, StepConsulting, "", domain.ErrConflict},
		}},
		{"lapses before evaluation only", []step{
			{evLapse, StepLapsed, "", nil},
			{evTrack, StepLapsed, "", domain.ErrConflict},
		}},
		{"no lapse once evaluated", []step{
			{evTrack, StepEvaluated, "", nil},
			{evLapse, StepEvaluated, "", domain.ErrConflict},
		}},
		{"input required", []step{
			{Event{Kind: EventEvaluate}, StepCandidate, "", domain.ErrInvalid},
			{evConsult, StepCandidate, "", domain.ErrConflict},
			{evTrack, StepEvaluated, "", nil},
			{Event{Kind: EventOpenConsult}, StepEvaluated, "", domain.ErrInvalid},
			{evConsult, StepConsulting, "", nil},
			{opinion(bureau, nil), StepConsulting, "", domain.ErrInvalid},
			{Event{Kind: EventOpinion, Role: bureau, Agree: yes()}, StepConsulting, "", domain.ErrInvalid},
			{opinion(domain.RoleOfficer, yes()), StepConsulting, "", domain.ErrForbidden},
			{leader(bl, yes()), StepConsulting, "", domain.ErrConflict},
		}},
		{"close needs a reason", []step{
			{evTrack, StepEvaluated, "", nil},
			{evConsult, StepConsulting, "", nil},
			{opinion(bureau, yes()), StepConsulting, "", nil},
			{opinion(group, yes()), StepConsulting, "", nil},
			{opinion(office, yes()), StepTracked, "consultation", nil},
			{Event{Kind: EventFormGroup}, StepTracked, "", domain.ErrInvalid},
			{evClose, StepTracked, "", domain.ErrConflict},
			{evGroup, StepTracking, "", nil},
			{Event{Kind: EventClose}, StepTracking, "", domain.ErrInvalid},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewState()
			for i, st := range tt.steps {
				tr, err := Next(s, st.ev, t0)
				if st.err != nil {
					if !errors.Is(err, st.err) {
						t.Fatalf("step %d (%s): err %v, want %v", i, st.ev.Kind, err, st.err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d (%s): %v", i, st.ev.Kind, err)
				}
				if tr.State.Step != st.want || tr.DecidedBy != st.decided {
					t.Fatalf("step %d (%s): %s by %q, want %s by %q", i, st.ev.Kind, tr.State.Step, tr.DecidedBy, st.want, st.decided)
				}
				s = tr.State
			}
			if last := tt.steps[len(tt.steps)-1]; s.Step != last.want {
				t.Fatalf("ended at %s, want %s", s.Step, last.want)
			}
		})
	}
}

func TestNextDoesNotShareState(t *testing.T) {
	s := State{Step: StepConsulting, Opinions: []Opinion{{Role: domain.RoleBureau, Agree: true}}}
	if _, err := Next(s, opinion(domain.RoleDisciplineGroup, yes()), t0); err != nil {
		t.Fatal(err)
	}
	if len(s.Opinions) != 1 {
		t.Fatalf("Next changed its argument: %d opinions", len(s.Opinions))
	}
}

func TestDisagree(t *testing.T) {
	s := State{Step: StepTracked, Decisions: []LeaderDecision{{Post: oversight.PostBureauLeader, Track: false}, {Post: oversight.PostDisciplineLeader, Track: true}}}
	if !s.Disagree() {
		t.Fatal("different decisions not reported as a disagreement")
	}
	s.Decisions[0].Track = true
	if s.Disagree() {
		t.Fatal("the same decisions reported as a disagreement")
	}
}

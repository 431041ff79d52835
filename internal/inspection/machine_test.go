package inspection

import (
	"errors"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// TestNextPaths walks every event from every state with the facts that
// allow or refuse it.
func TestNextPaths(t *testing.T) {
	ready := Facts{Plan: true, Checklist: true, Targets: 3}
	cases := []struct {
		name string
		from State
		ev   Event
		f    Facts
		want State
		err  error
	}{
		{"start", StatePrep, EventStart, ready, StateActive, nil},
		{"start without group", StatePrep, EventStart, Facts{GroupProblem: "工作组应当有监察室人员", Plan: true, Checklist: true, Targets: 1}, StatePrep, domain.ErrInvalid},
		{"start without plan", StatePrep, EventStart, Facts{Checklist: true, Targets: 1}, StatePrep, domain.ErrInvalid},
		{"start without checklist", StatePrep, EventStart, Facts{Plan: true, Targets: 1}, StatePrep, domain.ErrInvalid},
		{"start without targets", StatePrep, EventStart, Facts{Plan: true, Checklist: true}, StatePrep, domain.ErrInvalid},
		{"start unassigned", StatePrep, EventStart, Facts{Plan: true, Checklist: true, Targets: 2, Unassigned: 1}, StatePrep, domain.ErrInvalid},
		{"start twice", StateActive, EventStart, ready, StateActive, domain.ErrConflict},
		{"summarize", StateActive, EventSummarize, Facts{}, StateSummary, nil},
		{"summarize open", StateActive, EventSummarize, Facts{OpenReviews: 1}, StateActive, domain.ErrInvalid},
		{"summarize recheck", StateActive, EventSummarize, Facts{PendingRechecks: 1}, StateActive, domain.ErrInvalid},
		{"summarize from prep", StatePrep, EventSummarize, Facts{}, StatePrep, domain.ErrConflict},
		{"rectify", StateSummary, EventRectify, Facts{KeptFindings: 2}, StateRectify, nil},
		{"rectify open findings", StateSummary, EventRectify, Facts{OpenFindings: 1, KeptFindings: 1}, StateSummary, domain.ErrInvalid},
		{"rectify nothing kept", StateSummary, EventRectify, Facts{}, StateSummary, domain.ErrInvalid},
		{"rectify unfollowed", StateSummary, EventRectify, Facts{KeptFindings: 1, Unfollowed: 1}, StateSummary, domain.ErrInvalid},
		{"rectify from active", StateActive, EventRectify, Facts{KeptFindings: 1}, StateActive, domain.ErrConflict},
		{"finish clean", StateSummary, EventFinish, Facts{}, StateDone, nil},
		{"finish with findings", StateSummary, EventFinish, Facts{KeptFindings: 1}, StateSummary, domain.ErrInvalid},
		{"finish rectified", StateRectify, EventFinish, Facts{KeptFindings: 1}, StateDone, nil},
		{"finish open items", StateRectify, EventFinish, Facts{KeptFindings: 1, OpenItems: 1}, StateRectify, domain.ErrInvalid},
		{"finish done", StateDone, EventFinish, Facts{}, StateDone, domain.ErrConflict},
		{"finish prep", StatePrep, EventFinish, Facts{}, StatePrep, domain.ErrConflict},
		{"unknown", StatePrep, Event("x"), Facts{}, StatePrep, domain.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Next(c.from, c.ev, c.f)
			if got != c.want {
				t.Errorf("state %s, want %s", got, c.want)
			}
			switch {
			case c.err == nil && err != nil:
				t.Errorf("error %v", err)
			case c.err != nil && !errors.Is(err, c.err):
				t.Errorf("error %v, want %v", err, c.err)
			}
		})
	}
}

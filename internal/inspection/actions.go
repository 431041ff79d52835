package inspection

import (
	"errors"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// Access is what the rules read of a campaign to answer who may see it and
// do what with it.
type Access struct {
	State         State
	OrganiserPath string
	Members       []Member
}

// CanCreate reports whether v organises campaigns: a member of one of the
// three bodies of a court.
func CanCreate(v domain.Viewer) bool {
	return !v.System && v.CourtPath != "" && BodyOf(v.Roles) != ""
}

// SeesAll reports whether v sees the whole campaign — every target, sheet,
// reviewer's note and finding, and its 通报: the group's members, and the
// three bodies of the organising court and of the courts above it.
func SeesAll(v domain.Viewer, a Access) bool {
	if v.System || IsMember(a.Members, v.UserID) {
		return true
	}
	return BodyOf(v.Roles) != "" && v.CourtPath != "" && strings.HasPrefix(a.OrganiserPath, v.CourtPath)
}

// SeesCourt reports whether v sees, of a campaign that looks at the court
// at path, that court's own findings and their rectification (and never
// the reviewers' notes, nor anything about other courts): the three bodies
// of that court.
func SeesCourt(v domain.Viewer, path string) bool {
	return !v.System && BodyOf(v.Roles) != "" && v.CourtPath != "" && v.CourtPath == path
}

// IsLeader reports whether v leads the campaign's working group.
func IsLeader(v domain.Viewer, a Access) bool {
	return !v.System && v.UserID != 0 && Leader(a.Members).UserID == v.UserID
}

// CanEdit reports whether v changes the campaign's plan, scope, group,
// checklist and targets: a member of its group, while it is prepared.
func CanEdit(v domain.Viewer, a Access) bool {
	return a.State == StatePrep && !v.System && IsMember(a.Members, v.UserID)
}

// CanAssign reports whether v assigns targets to reviewers: the leader,
// while the campaign is prepared or carried out.
func CanAssign(v domain.Viewer, a Access) bool {
	return (a.State == StatePrep || a.State == StateActive) && IsLeader(v, a)
}

// CanReview reports whether v scores a target assigned to reviewer: that
// reviewer, while the campaign is carried out.
func CanReview(v domain.Viewer, a Access, reviewer int64) bool {
	return a.State == StateActive && !v.System && reviewer != 0 && reviewer == v.UserID
}

// CanRecheck reports whether v re-checks 瑕疵 and 不合格 sheets: the
// leader, while the campaign is carried out.
func CanRecheck(v domain.Viewer, a Access) bool {
	return a.State == StateActive && IsLeader(v, a)
}

// CanDecide reports whether v keeps or withdraws findings and sends kept
// ones on (rectification or clue): the leader, in 汇总.
func CanDecide(v domain.Viewer, a Access) bool {
	return a.State == StateSummary && IsLeader(v, a)
}

// Actions is the one answer to "which steps may v take this campaign
// now": the leader's events that Next allows from its state, asked with
// facts that meet every condition, so that a step refused only for what
// is missing (reviews, findings) is offered and one refused for the state
// is not. Pages show exactly these buttons; the store asks Next again with
// the real facts.
func Actions(v domain.Viewer, a Access) []Event {
	if !IsLeader(v, a) {
		return nil
	}
	var out []Event
	for _, ev := range Events {
		if _, err := Next(a.State, ev, Facts{Plan: true, Checklist: true, Targets: 1}); err == nil || !errors.Is(err, domain.ErrConflict) {
			out = append(out, ev)
		}
	}
	return out
}

// Steps names what the campaign waits for in state s, for the to-do lists:
// the leader owes the move, a reviewer his sheets.
func Steps(s State) string {
	switch s {
	case StatePrep:
		return "完成筹备（方案、工作组、评查表、评查对象）并开始实施"
	case StateActive:
		return "督促评查、复核瑕疵和不合格评查表，转入汇总"
	case StateSummary:
		return "认定问题，印发通报"
	case StateRectify:
		return "督促整改落实，验收后完成"
	}
	return ""
}

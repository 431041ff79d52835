package tracking

import (
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// FindingState is where a patrol finding stands.
type FindingState string

// Finding states.
const (
	FindingOpen      FindingState = "open"      // 待核实
	FindingConfirmed FindingState = "confirmed" // 已确认
	FindingDismissed FindingState = "dismissed" // 已排除
	FindingResolved  FindingState = "resolved"  // 已消除
)

// FindingStates lists the states in order.
var FindingStates = []FindingState{FindingOpen, FindingConfirmed, FindingDismissed, FindingResolved}

// Label returns the Chinese name of the state.
func (s FindingState) Label() string {
	switch s {
	case FindingOpen:
		return "待核实"
	case FindingConfirmed:
		return "已确认"
	case FindingDismissed:
		return "已排除"
	case FindingResolved:
		return "已消除"
	}
	return string(s)
}

// FindingEventKind is what happens to a finding.
type FindingEventKind string

// Finding events: the patrol finds it again or no longer; a body confirms
// or dismisses it.
const (
	FindingFound   FindingEventKind = "found"
	FindingGone    FindingEventKind = "gone"
	FindingConfirm FindingEventKind = "confirm"
	FindingDismiss FindingEventKind = "dismiss"
)

const maxDismissLen = 500

// Label returns the button's words for a person's event.
func (k FindingEventKind) Label() string {
	switch k {
	case FindingConfirm:
		return "确认"
	case FindingDismiss:
		return "排除"
	}
	return string(k)
}

// ParseFindingEvent reads a person's event from a form: confirm or dismiss.
func ParseFindingEvent(s string) (FindingEventKind, error) {
	switch k := FindingEventKind(s); k {
	case FindingConfirm, FindingDismiss:
		return k, nil
	}
	return "", domain.Invalid("act", "操作应为确认或排除")
}

// NextFinding is the only way a finding moves. A finding found again stays
// as it is, unless it had been resolved, when it opens again; one no
// longer found is resolved unless people dismissed it (their decision
// stands). Only an open finding is confirmed or dismissed, a dismissal
// with its reason.
func NextFinding(s FindingState, ev FindingEventKind, reason string) (FindingState, error) {
	switch ev {
	case FindingFound:
		if s == FindingResolved {
			return FindingOpen, nil
		}
		return s, nil
	case FindingGone:
		if s == FindingOpen || s == FindingConfirmed {
			return FindingResolved, nil
		}
		return s, nil
	case FindingConfirm, FindingDismiss:
		if s != FindingOpen {
			return s, domain.Errorf(domain.ErrConflict, "该问题已%s，不能再%s。", s.Label(), ev.Label())
		}
		if ev == FindingConfirm {
			return FindingConfirmed, nil
		}
		switch r := strings.TrimSpace(reason); {
		case r == "":
			return s, domain.Invalid("reason", "排除须写明理由")
		case len([]rune(r)) > maxDismissLen:
			return s, domain.Invalid("reason", fmt.Sprintf("理由不超过%d字", maxDismissLen))
		}
		return FindingDismissed, nil
	}
	return s, domain.Invalid("act", "未知的操作")
}

// CanSeeFindings reports whether v sees the patrol findings of the court at
// path: its command centre, and the bureau and the watchdogs of the court
// and the courts above. Officers and department heads never do: findings
// are for the bodies, not for the officer of the case. (The store hides
// besides, from anyone, the findings on a case he has handled.)
func CanSeeFindings(v domain.Viewer, path string) bool {
	if v.System {
		return true
	}
	if v.Has(domain.RoleCommandCenter) && v.CourtPath == path {
		return true
	}
	return v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) && v.CanSeeCourt(path)
}

// SeesAnyFindings reports whether v has a role that sees findings at all:
// the nav link and the /patrol page.
func SeesAnyFindings(v domain.Viewer) bool {
	return v.System || v.HasAny(domain.RoleCommandCenter, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

// FindingActions is the one answer to "what may v do to this finding now":
// confirm and dismiss, while it is open, for one who sees it (the program
// itself decides nothing).
func FindingActions(s FindingState, v domain.Viewer, path string) []FindingEventKind {
	if v.System || !CanSeeFindings(v, path) || s != FindingOpen {
		return nil
	}
	return []FindingEventKind{FindingConfirm, FindingDismiss}
}

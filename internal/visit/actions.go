package visit

import (
	"errors"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// RoleFor returns the role in which v does ev to a visit of the court at
// court (its path): the command centre's steps as the command centre, a
// consultation record or a manual close as the body v names (and holds),
// an on-site visit as the first of the three bodies v is in. The
// consultation and the on-site visit belong to the visit's own court: the
// bodies of a higher court see them but do not record them. The program
// itself acts as the command centre unless it names a role.
func RoleFor(v domain.Viewer, ev Event, court string) (domain.Role, error) {
	if v.System {
		if ev.Role != "" {
			return ev.Role, nil
		}
		return domain.RoleCommandCenter, nil
	}
	ownCourt := func() error {
		if v.CourtPath != court {
			return domain.Errorf(domain.ErrForbidden, "会商和实地回访由案件所在法院的执行局、纪检监察组、监察室办理。")
		}
		return nil
	}
	switch ev.Kind {
	case EventStart, EventStartPhone, EventPhoneRecorded, EventPhoneUnreached, EventSMSReply, EventCategoriesReply,
		EventReplyWindowExpired, EventSMSFailed:
		if v.Has(domain.RoleCommandCenter) {
			return domain.RoleCommandCenter, nil
		}
		return "", domain.Errorf(domain.ErrForbidden, "只有执行指挥中心可以办理这一步。")
	case EventConsultation, EventConsultDecision, EventManualClose:
		if ev.Kind != EventManualClose {
			if err := ownCourt(); err != nil {
				return "", err
			}
		}
		if ev.Role != "" && v.Has(ev.Role) {
			return ev.Role, nil
		}
		return "", domain.Errorf(domain.ErrForbidden, "只能以本人所在机构（%s）的名义登记。", ev.Role.Label())
	case EventOnsiteRecorded:
		if err := ownCourt(); err != nil {
			return "", err
		}
		for _, r := range consultingBodies {
			if v.Has(r) {
				return r, nil
			}
		}
		return "", domain.Errorf(domain.ErrForbidden, "实地回访由执行局、纪检监察组、监察室登记。")
	}
	return "", domain.Invalid("event", "未知的回访事件")
}

// Action is something a viewer may do to a visit now, in a role.
type Action struct {
	Kind EventKind
	Role domain.Role
}

// manualEvents are the events people record on a visit's page.
var manualEvents = []EventKind{EventStart, EventStartPhone, EventSMSReply, EventPhoneRecorded, EventPhoneUnreached, EventConsultation, EventOnsiteRecorded, EventManualClose}

// Actions is the one answer to "what may v do to this visit now": each
// event a person records, in each role v may record it, that RoleFor and
// Next allow at the visit's state, for a visit of the court at court. Next is asked with the event's input
// left out, so an event refused only for want of input (a reason, an
// opinion, the answers) is offered; one refused for the role or the state
// is not. Pages show exactly these buttons; the store applies the same
// RoleFor and Next, so nothing else gets through.
func Actions(state State, v domain.Viewer, court string, cfg Config, now time.Time) []Action {
	var out []Action
	for _, kind := range manualEvents {
		roles := []domain.Role{""}
		if kind == EventConsultation || kind == EventManualClose {
			roles = v.Roles
		}
		for _, want := range roles {
			role, err := RoleFor(v, Event{Kind: kind, Role: want}, court)
			if err != nil {
				continue
			}
			_, err = Next(state, Event{Kind: kind, Role: role}, cfg, now)
			if err == nil || (errors.Is(err, domain.ErrInvalid) && !errors.Is(err, domain.ErrForbidden)) {
				out = append(out, Action{Kind: kind, Role: role})
			}
		}
	}
	return out
}

// Allows reports whether actions hold kind, in any role.
func Allows(actions []Action, kind EventKind) bool {
	for _, a := range actions {
		if a.Kind == kind {
			return true
		}
	}
	return false
}

// RolesFor returns the roles in which actions hold kind.
func RolesFor(actions []Action, kind EventKind) []domain.Role {
	var out []domain.Role
	for _, a := range actions {
		if a.Kind == kind {
			out = append(out, a.Role)
		}
	}
	return out
}

// CanSee reports whether v's roles see return visits at all: the command
// centre, the bureau and the watchdogs (their courts, and never the visits
// of their own cases, the store adds).
func CanSee(v domain.Viewer) bool {
	return v.System || v.HasAny(domain.RoleCommandCenter, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

// SeesSubtree reports whether v sees the visits of the courts below its
// own: the bureau and the watchdogs; the command centre its court only.
func SeesSubtree(v domain.Viewer) bool {
	return v.System || v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

// Runs reports whether v runs its court's return visits: the command
// centre draws the month's cases, adds cases for focused visits by hand,
// starts visits, makes the phone visits and handles the visit messages.
func Runs(v domain.Viewer) bool {
	return v.System || v.Has(domain.RoleCommandCenter)
}

// CanAddFocus reports whether v may add a case for a focused visit by hand:
// the command centre, not for a case it handles itself.
func CanAddFocus(v domain.Viewer, caseOfficerID int64) bool {
	return Runs(v) && (v.System || v.UserID != caseOfficerID)
}

// StepsOwed returns the steps at which a visit waits for v: the command
// centre starts visits and phones; each consulting body decides at the
// consultation and records on-site visits.
func StepsOwed(v domain.Viewer) []Step {
	var out []Step
	if v.Has(domain.RoleCommandCenter) {
		out = append(out, StepNew, StepPhonePending)
	}
	if v.HasAny(ConsultingBodies()...) {
		out = append(out, StepConsultation, StepOnsitePending)
	}
	return out
}

// StepTodo is what a visit at step s asks of whoever owes it (StepsOwed),
// as a to-do says it.
func StepTodo(s Step) string {
	switch s {
	case StepNew:
		return "开始回访"
	case StepPhonePending:
		return "电话回访"
	case StepConsultation:
		return "会商回访情况"
	case StepOnsitePending:
		return "实地回访"
	}
	return s.Label()
}

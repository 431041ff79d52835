// Package tracking holds the rules of mechanism 1, key-case tracking
// 重点案件跟踪 (seed 一): which cases are candidates 重点执行案件 and why, the
// bureau's evaluation, the consultation of the three bodies, the co-leaders'
// decision, the working group, and who may see and do what. No I/O.
//
// A tracking (store table trackings) is one passage of a case through the
// mechanism, from candidate to closing; its state is a Step moved only by
// Next. Everything recorded about it hangs on its id (tracking_id): the
// evaluation, the consultation and opinions, the co-leaders' decisions, the
// working group, and the group's records, interviews, findings,
// recommendations and closing report.
package tracking

import (
	"errors"
	"slices"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// Subject is what the secrecy and role rules read of a tracking's case.
type Subject struct {
	CourtPath    string
	Officers     []int64 // every officer the case has had (case_officers)
	DepartmentID int64   // the case's department; 0 when unknown
}

// Concerns reports whether the tracking concerns v: v handles or handled
// the case, or works in its department (the department head included).
// What the three bodies hold about a case is never shown to them.
func (s Subject) Concerns(v domain.Viewer) bool {
	if v.System || v.UserID == 0 {
		return false
	}
	return slices.Contains(s.Officers, v.UserID) || (s.DepartmentID != 0 && v.DepartmentID == s.DepartmentID)
}

// SeesTracking reports whether v's roles reach mechanism 1 at all: the
// three bodies (执行局, 纪检监察组, 监察室).
func SeesTracking(v domain.Viewer) bool { return v.System || v.HasAny(bodies...) }

// SeesCourt reports whether v's roles reach the candidates and trackings of
// the court at path: the three bodies of that court, and the watchdogs of
// the courts above it. The bureau of a higher court does not: tracking is
// the court's own oversight, which the higher watchdogs supervise.
func SeesCourt(v domain.Viewer, path string) bool {
	if v.System {
		return true
	}
	if v.CourtPath == "" || path == "" {
		return false
	}
	if path == v.CourtPath {
		return v.HasAny(bodies...)
	}
	return v.IsWatchdog() && domain.Above(v.CourtPath, path)
}

// CanSee reports whether v sees a tracking (and the candidate reasons,
// evaluation and consultation of its case): v's roles reach its court and
// it does not concern v.
func CanSee(v domain.Viewer, s Subject) bool { return SeesCourt(v, s.CourtPath) && !s.Concerns(v) }

// CanAddReason reports whether v adds a case of the court at path to the
// candidates with a reason (其他需要跟踪监督的案件): the three bodies of
// that court.
func CanAddReason(v domain.Viewer, s Subject) bool {
	return !v.System && v.CourtPath == s.CourtPath && v.HasAny(bodies...) && !s.Concerns(v)
}

// CanRefresh reports whether v refreshes the candidates of the court at
// path on demand: whoever sees them.
func CanRefresh(v domain.Viewer, path string) bool { return SeesCourt(v, path) }

// Action is something a viewer may do to a tracking now, in a role or,
// for a co-leader's decision, a post.
type Action struct {
	Kind EventKind
	Role domain.Role
	Post oversight.Post
}

// RoleFor completes ev with the capacity in which v does it to a tracking
// of subject s, v holding posts at its court: every step belongs to the
// three bodies of the case's own court (the watchdogs of higher courts see
// and do not record); the evaluation to the bureau; an opinion to the body
// it names, which v must hold; a co-leader's decision to the post it
// names, which v must hold; bringing a declined case to consultation to a
// watchdog. Nobody the tracking concerns does anything to it.
func RoleFor(v domain.Viewer, ev Event, s Subject, posts []oversight.Post) (Event, error) {
	if v.System {
		if ev.Kind == EventLapse {
			return ev, nil
		}
		return ev, domain.Errorf(domain.ErrForbidden, "这一步应由人员办理。")
	}
	if !CanSee(v, s) {
		return ev, domain.Errorf(domain.ErrForbidden, "您无权办理这一重点案件跟踪。")
	}
	if v.CourtPath != s.CourtPath {
		return ev, domain.Errorf(domain.ErrForbidden, "重点案件跟踪由案件所在法院的执行局、纪检监察组、监察室办理。")
	}
	switch ev.Kind {
	case EventEvaluate:
		if !v.Has(domain.RoleBureau) {
			return ev, domain.Errorf(domain.ErrForbidden, "综合评估由执行局办理。")
		}
		ev.Role = domain.RoleBureau
	case EventOpenConsult, EventFormGroup, EventClose:
		for _, r := range bodies {
			if v.Has(r) {
				ev.Role = r
				break
			}
		}
		if ev.Role == "" {
			return ev, domain.Errorf(domain.ErrForbidden, "这一步由执行局、纪检监察组或监察室办理。")
		}
		ev.Watchdog = v.IsWatchdog()
	case EventOpinion:
		if !slices.Contains(bodies, ev.Role) || !v.Has(ev.Role) {
			return ev, domain.Errorf(domain.ErrForbidden, "只能以本人所在机构的名义登记会商意见。")
		}
	case EventLeaderDecision:
		if !slices.Contains(coLeaders, ev.Post) || !slices.Contains(posts, ev.Post) {
			return ev, domain.Errorf(domain.ErrForbidden, "只有执行局局长和纪检监察组组长可以作出决定。")
		}
	default:
		return ev, domain.Errorf(domain.ErrForbidden, "您不能办理这一步。")
	}
	return ev, nil
}

// manualEvents are the events people record on a tracking's page.
var manualEvents = []EventKind{EventEvaluate, EventOpenConsult, EventOpinion, EventLeaderDecision, EventFormGroup, EventClose}

// Actions is the one answer to "what may v do to this tracking now": each
// event a person records, in each capacity v holds, that RoleFor and Next
// allow at state. Next is asked with the input left out, so an event
// refused only for want of input is offered. Pages show exactly these
// buttons; the store applies the same RoleFor and Next.
func Actions(state State, v domain.Viewer, s Subject, posts []oversight.Post) []Action {
	var out []Action
	for _, kind := range manualEvents {
		tries := []Event{{Kind: kind}}
		switch kind {
		case EventOpinion:
			tries = nil
			for _, r := range bodies {
				tries = append(tries, Event{Kind: kind, Role: r})
			}
		case EventLeaderDecision:
			tries = nil
			for _, p := range coLeaders {
				tries = append(tries, Event{Kind: kind, Post: p})
			}
		}
		for _, ev := range tries {
			ev, err := RoleFor(v, ev, s, posts)
			if err != nil {
				continue
			}
			_, err = Next(state, ev, time.Time{})
			if err == nil || (errors.Is(err, domain.ErrInvalid) && !errors.Is(err, domain.ErrForbidden)) {
				out = append(out, Action{Kind: kind, Role: ev.Role, Post: ev.Post})
			}
		}
	}
	return out
}

// Allows reports whether actions hold kind.
func Allows(actions []Action, kind EventKind) bool {
	return slices.ContainsFunc(actions, func(a Action) bool { return a.Kind == kind })
}

// Find returns the action of kind in role or post, if actions hold it.
func Find(actions []Action, kind EventKind, role domain.Role, post oversight.Post) (Action, bool) {
	for _, a := range actions {
		if a.Kind == kind && (role == "" || a.Role == role) && (post == "" || a.Post == post) {
			return a, true
		}
	}
	return Action{}, false
}

// TodoTitle is the to-do line of an action owed.
func TodoTitle(a Action) string {
	switch a.Kind {
	case EventEvaluate:
		return "综合评估重点案件候选"
	case EventOpenConsult:
		return "组织会商（建议跟踪）"
	case EventOpinion:
		return "会商意见（" + a.Role.Label() + "）"
	case EventLeaderDecision:
		return "共同领导决定是否跟踪（" + a.Post.Label() + "）"
	case EventFormGroup:
		return "组成跟踪监督工作小组"
	}
	return a.Kind.Label()
}

package integrity

import (
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// State is where a warning stands: proposed by a rule, then accepted as a
// 预警约谈 or dismissed with a reason.
type State string

// The states of a warning.
const (
	StateProposed  State = "proposed"  // 待研判
	StateAccepted  State = "accepted"  // 已约谈
	StateDismissed State = "dismissed" // 不予约谈
)

// States lists the states in order.
var States = []State{StateProposed, StateAccepted, StateDismissed}

// Label is the state's Chinese name.
func (s State) Label() string {
	switch s {
	case StateProposed:
		return "待研判"
	case StateAccepted:
		return "已预警约谈"
	case StateDismissed:
		return "不予约谈"
	}
	return string(s)
}

// Action is what a watchdog does to a proposed warning.
type Action string

// The actions on a warning.
const (
	ActAccept  Action = "accept"  // 预警约谈: a first-form disposition and its talk
	ActDismiss Action = "dismiss" // 不予约谈, with a reason
)

// Next is where a warning in state s goes after action a; ok is false
// where a is not allowed in s. Next is the only way a warning moves.
func Next(s State, a Action) (State, bool) {
	switch {
	case s == StateProposed && a == ActAccept:
		return StateAccepted, true
	case s == StateProposed && a == ActDismiss:
		return StateDismissed, true
	}
	return s, false
}

// Sees reports whether v's roles reach integrity records at all: the
// watchdogs (纪检监察组、监察室) only; the bureau, the command centre, heads
// and officers never.
func Sees(v domain.Viewer) bool { return v.System || v.IsWatchdog() }

// CanSee reports whether v sees the record (and the warnings) of officer
// id of the court at path: a watchdog of that court or one above it, who
// is not that officer, whatever else he is.
func CanSee(v domain.Viewer, id int64, path string) bool {
	if v.System {
		return true
	}
	return v.IsWatchdog() && v.CourtPath != "" && path != "" && strings.HasPrefix(path, v.CourtPath) && v.UserID != id
}

// CanEvaluate reports whether v runs the rules over the court at path and
// the courts below it: a watchdog of that court or one above.
func CanEvaluate(v domain.Viewer, path string) bool {
	return v.System || v.IsWatchdog() && v.CourtPath != "" && strings.HasPrefix(path, v.CourtPath)
}

// Actions are what v may do now to a warning in state s about officer id
// of the court at path: accept or dismiss one still proposed, if v sees it.
// The program itself decides nothing.
func Actions(s State, v domain.Viewer, id int64, path string) []Action {
	if v.System || !CanSee(v, id, path) {
		return nil
	}
	var out []Action
	for _, a := range []Action{ActAccept, ActDismiss} {
		if _, ok := Next(s, a); ok {
			out = append(out, a)
		}
	}
	return out
}

// Allowed reports whether v may do a to such a warning now.
func Allowed(a Action, s State, v domain.Viewer, id int64, path string) bool {
	return slices.Contains(Actions(s, v, id, path), a)
}

// Prior is an earlier warning about the same officer by the same rule:
// its state and the refs of its facts.
type Prior struct {
	State State
	Refs  []string
}

// Proposes reports whether a firing proposes a new warning beside the
// earlier ones: not while one is still proposed (it is decided first),
// and only if it names a fact none of them named — the same facts never
// propose twice, nor facts already decided on; a new fact does.
func Proposes(f Firing, priors []Prior) bool {
	named := map[string]bool{}
	for _, p := range priors {
		if p.State == StateProposed {
			return false
		}
		for _, r := range p.Refs {
			named[r] = true
		}
	}
	for _, r := range f.Refs() {
		if !named[r] {
			return true
		}
	}
	return false
}

// MaxNote bounds a dismissal's reason, in characters.
const MaxNote = 1000

// CheckDismissal validates the reason a warning is dismissed for, said
// beside the field "reason".
func CheckDismissal(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", domain.Invalid("reason", "请写明不予约谈的理由")
	case n > MaxNote:
		return "", domain.Invalid("reason", "理由过长（1000字以内）")
	}
	return reason, nil
}

// Acceptance is a warning accepted: who decided it and the 预警约谈 held.
type Acceptance struct {
	Decider string
	Talk    oversight.Talk
}

// Validate checks a (the talk held by today); the talk is a 预警约谈
// whatever was posted. Messages are keyed by the form's fields.
func (a *Acceptance) Validate(today domain.Date) error {
	a.Decider = strings.TrimSpace(a.Decider)
	a.Talk.Kind = oversight.TalkWarning
	fe := domain.FieldErrors{}
	if err := a.Talk.Validate(today); err != nil {
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		for k, m := range ve.Fields {
			fe.Add(k, m)
		}
	}
	if n := utf8.RuneCountInString(a.Decider); n == 0 || n > 100 {
		fe.Add("decider", "请填写决定机关或决定人（100字以内）")
	}
	return fe.Err()
}

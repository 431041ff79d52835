package tracking

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// Scope is one of the five kinds of 重点执行案件 of the seed (一、（一）).
// The names are stored and never change.
type Scope string

// The scopes, in the seed's order.
const (
	ScopeSocialImpact  Scope = "social_impact"  // 1. 有较大社会影响的案件
	ScopePublicOpinion Scope = "public_opinion" // 2. 可能引发重大舆情的案件
	ScopeComplaint     Scope = "complaint"      // 3. 有明确线索的投诉举报案件
	ScopePetition      Scope = "petition"       // 4. 当事人反映强烈的信访案件
	ScopeOther         Scope = "other"          // 5. 其他需要跟踪监督的案件
)

// Scopes lists the scopes in the seed's order.
var Scopes = []Scope{ScopeSocialImpact, ScopePublicOpinion, ScopeComplaint, ScopePetition, ScopeOther}

var scopeLabels = map[Scope]string{
	ScopeSocialImpact:  "有较大社会影响",
	ScopePublicOpinion: "可能引发重大舆情",
	ScopeComplaint:     "有明确线索的投诉举报",
	ScopePetition:      "当事人反映强烈的信访",
	ScopeOther:         "其他需要跟踪监督的案件",
}

// Label is the scope in the seed's words, as the API and pages show it.
func (s Scope) Label() string {
	if l, ok := scopeLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { _, ok := scopeLabels[s]; return ok }

// ImplementationTypes are the case types of 执行实施 cases, the cases the
// bureau evaluates (seed 一、（二）): 首次执行 (执), 恢复执行 (执恢) and
// 财产保全执行 (执保). The review types (执异, 执复, 执监, 执协, 执他) are
// not enforced, so there is nothing to track in them.
var ImplementationTypes = []string{"执", "执恢", "执保"}

// ClosedWithinDays is how long after closing a case stays in reach of the
// candidate list. Open cases are the list's matter: tracking watches the
// enforcement as it goes. A case closed recently is kept too, because the
// complaints and petitions that make a case a candidate often follow its
// closing (终结本次执行程序, a payout in dispute), and the closing itself
// is what 网上巡查 checks; after that, a concern about it goes to the
// clue handling of the watchdogs, not to tracking.
const ClosedWithinDays = 90

// Eligible reports whether a case of type typ, closed on closed (zero:
// open), is in reach of the candidate list on today.
func Eligible(typ string, closed, today domain.Date) bool {
	if !slices.Contains(ImplementationTypes, typ) {
		return false
	}
	return closed.IsZero() || !closed.Before(today.AddDays(-ClosedWithinDays))
}

// Reason is why a case is a candidate: a scope, since a day, with a note
// (the complaint, the visit, the body's reason). Proposed marks one the
// system proposes (a dissatisfied on-site return visit, a 不如实报告 trip
// review) rather than one a body added.
type Reason struct {
	Scope    Scope
	Since    domain.Date
	Note     string
	Proposed bool
	AddedBy  string      // for one a body added: who
	Role     domain.Role // and for which body
}

// Merged is one scope's reasons of a case, as pages and the API show
// them: the seed's words, since the earliest, with every note.
type Merged struct {
	Scope Scope
	Label string
	Since domain.Date
	Notes []string
}

// Merge groups a case's reasons by scope, in the seed's order, each since
// its earliest reason.
func Merge(rs []Reason) []Merged {
	var out []Merged
	for _, sc := range Scopes {
		var m *Merged
		for _, r := range rs {
			if r.Scope != sc {
				continue
			}
			if m == nil {
				m = &Merged{Scope: sc, Label: sc.Label(), Since: r.Since}
			}
			if r.Since.Before(m.Since) {
				m.Since = r.Since
			}
			if r.Note != "" && !slices.Contains(m.Notes, r.Note) {
				m.Notes = append(m.Notes, r.Note)
			}
		}
		if m != nil {
			out = append(out, *m)
		}
	}
	return out
}

// StrongSince returns the day the petitions ps first met rule r (the
// petition that completed the count, or the first that went above the
// court), and whether they meet it at all.
func StrongSince(r oversight.StrongRule, ps []oversight.Petition) (domain.Date, bool) {
	sorted := slices.Clone(ps)
	slices.SortFunc(sorted, func(a, b oversight.Petition) int { return a.On.Time().Compare(b.On.Time()) })
	for i := range sorted {
		if r.Strong(sorted[:i+1]) {
			return sorted[i].On, true
		}
	}
	return domain.Date{}, false
}

// CheckAddedReason validates the reason a body gives for adding a case to
// the candidates (其他需要跟踪监督的案件).
func CheckAddedReason(note string) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(note)); {
	case n == 0:
		return domain.Invalid("note", "请写明需要跟踪监督的理由")
	case n > 500:
		return domain.Invalid("note", "理由不超过500字")
	}
	return nil
}

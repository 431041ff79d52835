// Package overview is the leaders' cockpit 四项机制运行总览 (issue 18): what
// each figure counts — its name, its numerator and denominator, written
// once here and shown as help on the page —, the four enforcement core
// indicators, their targets and the red, amber and green status, and the
// period the figures count over. The store computes the counts
// (store.OverviewFigures); pages, exports, the API and the periodic report
// read them through this package.
package overview

import (
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
)

// CanSee reports whether v may open the cockpit of the court at path: the
// 执行局, the 派驻纪检监察组 and the 监察室 of that court or of a court above
// it (its co-leaders are in those bodies). Nobody sees sideways.
func CanSee(v domain.Viewer, path string) bool {
	if v.System {
		return true
	}
	return v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) &&
		v.CourtPath != "" && strings.HasPrefix(path, v.CourtPath)
}

// Ratio is a rate as its two counts; its value is in percent.
type Ratio struct{ Num, Den int }

// Value is the rate in percent, and false when there is nothing to count
// (a zero denominator).
func (r Ratio) Value() (float64, bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) * 100 / float64(r.Den), true
}

func (r Ratio) add(o Ratio) Ratio { return Ratio{r.Num + o.Num, r.Den + o.Den} }

// Count is a count under a label, one of a breakdown (by state, grade,
// form or rule); Key is the value it counts by.
type Count struct {
	Key, Label string
	N          int
}

// addCounts adds b to a, label by label, keeping a's order and putting
// labels new to a after it.
func addCounts(a, b []Count) []Count {
	out := slices.Clone(a)
	for _, c := range b {
		if i := slices.IndexFunc(out, func(x Count) bool { return x.Key == c.Key }); i >= 0 {
			out[i].N += c.N
		} else {
			out = append(out, c)
		}
	}
	return out
}

// Court names the court the figures are of.
type Court struct {
	Code, Name, Path string
	// Divisions are the GB/T 2260 codes of the court's territory, which
	// place it on the province's map.
	Divisions []string
}

// Figures are the cockpit's counts for a court, alone or with the courts
// below it, over a period, as one viewer may see them. A section is nil
// when the viewer's roles do not reach that register at all (the bureau
// sees no clues or dispositions); a section a viewer reaches counts only
// the records he may see there. Counts of a period's state ("open",
// "overdue") are as of AsOf.
type Figures struct {
	Court   Court
	Subtree bool
	Period  Period
	AsOf    domain.Date

	Visits      *VisitFigures
	Trips       *TripFigures
	Tracking    *TrackingFigures
	Inspections *InspectionFigures
	Oversight   *OversightFigures
	Core        CoreCounts
}

// VisitFigures are mechanism 2's figures.
type VisitFigures struct {
	MonthsDue, MonthsOnTime             int // months whose daily sample was owed, and drawn on time
	Sampled                             int // daily visits (parties drawn)
	SMSSent, Replied                    int
	Satisfied, Dissatisfied             int
	EscalationsOpen, EscalationsOverdue int
}

// TripFigures are mechanism 4's figures.
type TripFigures struct {
	Trips, RequiredBefore int
	Travellers            int // reports owed: each traveller of each trip
	OnTime, Late, Missing int
	Alerts                int // travellers whose 附件1 answered 有
	Untruthful            int // travellers found 不如实报告
}

// TrackingFigures are mechanism 1's figures.
type TrackingFigures struct {
	Waiting, Tracked, Under int
	Findings                []Count // by rule
	RecOpen, RecOverdue     int
}

// InspectionFigures are mechanism 3's figures.
type InspectionFigures struct {
	Campaigns             []Count // by state
	Grades                []Count // review sheets by grade
	RectOpen, RectOverdue int
}

// OversightFigures are part 五's figures.
type OversightFigures struct {
	// CluesSeen is whether the viewer reaches clues and dispositions (the
	// watchdogs only); else they are left at zero and not shown.
	CluesSeen             bool
	Complaints, Petitions int
	Clues                 []Count // by state
	Dispositions          []Count // by 形态
	Suggestions           int
	SuggestionsDone       int
	SuggestionsOpen       int
	SuggestionsOverdue    int
}

// CoreCounts are the four enforcement core indicators as counts.
type CoreCounts struct {
	ExecutedInLimit      Ratio // 有财产可供执行案件法定期限内实际执结率
	TerminationQualified Ratio // 无财产可供执行案件终本合格率
	PetitionConcluded    Ratio // 执行信访案件办结率
	ThreeYearClosed      Ratio // 近三年执行案件整体执结率
}

// The empty breakdowns, in their fixed order, so that every court's
// figures list the same labels.
func emptyStates() []Count {
	out := make([]Count, len(inspection.States))
	for i, s := range inspection.States {
		out[i] = Count{Key: string(s), Label: s.Label()}
	}
	return out
}

func emptyGrades() []Count {
	out := make([]Count, len(inspection.Grades))
	for i, g := range inspection.Grades {
		out[i] = Count{Key: string(g), Label: g.Label()}
	}
	return out
}

func emptyClueStates() []Count {
	out := make([]Count, len(oversight.ClueStates))
	for i, s := range oversight.ClueStates {
		out[i] = Count{Key: string(s), Label: s.Label()}
	}
	return out
}

func emptyForms() []Count {
	out := make([]Count, len(oversight.Forms))
	for i, f := range oversight.Forms {
		out[i] = Count{Key: string(rune('0' + int(f))), Label: f.Label()}
	}
	return out
}

// NewInspectionFigures returns inspection figures with every state and
// grade at zero.
func NewInspectionFigures() *InspectionFigures {
	return &InspectionFigures{Campaigns: emptyStates(), Grades: emptyGrades()}
}

// NewOversightFigures returns oversight figures with every clue state and
// 形态 at zero.
func NewOversightFigures() *OversightFigures {
	return &OversightFigures{Clues: emptyClueStates(), Dispositions: emptyForms()}
}

// FormKey is the key of 形态 f in OversightFigures.Dispositions.
func FormKey(f oversight.Form) string { return string(rune('0' + int(f))) }

// Add adds o's counts to f: the figures of several courts together. A
// section either lacks stays as the other has it.
func (f *Figures) Add(o *Figures) {
	if o.Visits != nil {
		if f.Visits == nil {
			f.Visits = &VisitFigures{}
		}
		a, b := f.Visits, o.Visits
		a.MonthsDue += b.MonthsDue
		a.MonthsOnTime += b.MonthsOnTime
		a.Sampled += b.Sampled
		a.SMSSent += b.SMSSent
		a.Replied += b.Replied
		a.Satisfied += b.Satisfied
		a.Dissatisfied += b.Dissatisfied
		a.EscalationsOpen += b.EscalationsOpen
		a.EscalationsOverdue += b.EscalationsOverdue
	}
	if o.Trips != nil {
		if f.Trips == nil {
			f.Trips = &TripFigures{}
		}
		a, b := f.Trips, o.Trips
		a.Trips += b.Trips
		a.RequiredBefore += b.RequiredBefore
		a.Travellers += b.Travellers
		a.OnTime += b.OnTime
		a.Late += b.Late
		a.Missing += b.Missing
		a.Alerts += b.Alerts
		a.Untruthful += b.Untruthful
	}
	if o.Tracking != nil {
		if f.Tracking == nil {
			f.Tracking = &TrackingFigures{}
		}
		a, b := f.Tracking, o.Tracking
		a.Waiting += b.Waiting
		a.Tracked += b.Tracked
		a.Under += b.Under
		a.Findings = addCounts(a.Findings, b.Findings)
		a.RecOpen += b.RecOpen
		a.RecOverdue += b.RecOverdue
	}
	if o.Inspections != nil {
		if f.Inspections == nil {
			f.Inspections = NewInspectionFigures()
		}
		a, b := f.Inspections, o.Inspections
		a.Campaigns = addCounts(a.Campaigns, b.Campaigns)
		a.Grades = addCounts(a.Grades, b.Grades)
		a.RectOpen += b.RectOpen
		a.RectOverdue += b.RectOverdue
	}
	if o.Oversight != nil {
		if f.Oversight == nil {
			f.Oversight = NewOversightFigures()
		}
		a, b := f.Oversight, o.Oversight
		a.CluesSeen = a.CluesSeen || b.CluesSeen
		a.Complaints += b.Complaints
		a.Petitions += b.Petitions
		a.Clues = addCounts(a.Clues, b.Clues)
		a.Dispositions = addCounts(a.Dispositions, b.Dispositions)
		a.Suggestions += b.Suggestions
		a.SuggestionsDone += b.SuggestionsDone
		a.SuggestionsOpen += b.SuggestionsOpen
		a.SuggestionsOverdue += b.SuggestionsOverdue
	}
	c, d := &f.Core, o.Core
	c.ExecutedInLimit = c.ExecutedInLimit.add(d.ExecutedInLimit)
	c.TerminationQualified = c.TerminationQualified.add(d.TerminationQualified)
	c.PetitionConcluded = c.PetitionConcluded.add(d.PetitionConcluded)
	c.ThreeYearClosed = c.ThreeYearClosed.add(d.ThreeYearClosed)
}

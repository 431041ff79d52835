package integrity

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// FactKind is what a fact is a record of.
type FactKind string

// The kinds of fact.
const (
	FactVisit     FactKind = "visit"     // a return visit (its answer of category 三)
	FactComplaint FactKind = "complaint" // a complaint or petition
	FactTrip      FactKind = "trip"      // a trip he went on
	FactReport    FactKind = "report"    // his own 附件1
	FactCase      FactKind = "case"      // a case of his
)

// Fact is one record a rule reads. On is its date: the answer's, the
// complaint's receipt, the departure, the filing, the case's statutory
// time limit. Text says what it is (a case number, a destination).
// Key and Group say what it is grouped by, as a key and in words (the
// complainant's blind index and masked phone; the destination's code and
// the party's name, and both in words); Case is the case of his a
// complaint is about; Trip the trip a report is of; Due the last day a
// report was due. A warning keeps its facts, less their keys.
type Fact struct {
	Kind  FactKind    `json:"kind"`
	ID    int64       `json:"id"`
	On    domain.Date `json:"on"`
	Text  string      `json:"text,omitempty"`
	Key   string      `json:"-"`
	Group string      `json:"group,omitempty"`
	Case  int64       `json:"case,omitempty"`
	Trip  int64       `json:"trip,omitempty"`
	Due   domain.Date `json:"due,omitzero"`
}

// Href is the address of the record a fact is.
func (f Fact) Href() string {
	switch f.Kind {
	case FactVisit:
		return Href(RecVisit, f.ID, 0)
	case FactComplaint:
		return Href(RecComplaint, f.ID, 0)
	case FactTrip:
		return Href(RecTrip, f.ID, 0)
	case FactReport:
		return Href(RecTrip, f.Trip, 0)
	case FactCase:
		return "/cases/" + strconv.FormatInt(f.ID, 10)
	}
	return ""
}

// Words are the fact as a warning lists it: its date, what it is and
// its text.
func (f Fact) Words() string {
	s := f.On.String() + " " + factWord(f)
	if f.Text != "" {
		s += " " + f.Text
	}
	return s
}

// Ref names the record a fact is, for a warning's facts: "trip:12".
func (f Fact) Ref() string { return string(f.Kind) + ":" + strconv.FormatInt(f.ID, 10) }

// Facts are what the rules read of one officer.
type Facts struct {
	// Category3 are the return visits with an answer of category 三 and
	// the complaints and petitions of category 三 that name him or are
	// about a case of his.
	Category3 []Fact
	// Complaints are the complaints and petitions about his cases whose
	// complainant left a phone: Key the phone's blind index, Group the
	// number masked, Case the case; a complaint on two of his cases is
	// two facts.
	Complaints []Fact
	// Trips are the trips he went on, one fact per destination and party
	// of their cases: Key destination code and party name, Group both in
	// words.
	Trips []Fact
	// Reports are his own 附件1 (not supplements): On the day filed, Due the
	// last day it was due.
	Reports []Fact
	// OpenCases are his open cases with property available and a running
	// time limit: On the limit's last day.
	OpenCases []Fact
}

// Firing is a rule that fires on an officer's facts: the facts that make
// it fire, and the reason a warning gives (the rule's, with the group the
// facts share: a complainant, a place and a party).
type Firing struct {
	Rule   RuleID
	Facts  []Fact
	Reason string
}

// Grounds are a warning's reason and the facts that fired it, in words:
// what an accepted warning's disposition gives as its basis.
func Grounds(reason string, fs []Fact) string { return reason + "：" + describeFacts(fs) }

// Refs are the refs of the firing's facts, sorted and unique: what makes
// two firings the same.
func (f Firing) Refs() []string {
	var out []string
	for _, x := range f.Facts {
		out = append(out, x.Ref())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Key is the firing's refs in one string, for the database's unique key.
func (f Firing) Key() string { return strings.Join(f.Refs(), ",") }

// Evaluate applies the enabled rules of rs to one officer's facts as of
// today and returns every firing, rule by rule.
func (rs Rules) Evaluate(f Facts, today domain.Date) []Firing {
	var out []Firing
	for _, r := range rs {
		if !r.Enabled {
			continue
		}
		var fs []Firing
		switch r.ID {
		case RuleCategory3:
			fs = r.category3(f.Category3, today)
		case RuleSameParty:
			fs = r.sameParty(f.Complaints, today)
		case RuleTripPattern:
			fs = r.tripPattern(f.Trips, today)
		case RuleLastDay:
			fs = r.lastDay(f.Reports, today)
		case RuleLongOpen:
			fs = r.longOpen(f.OpenCases, today)
		}
		out = append(out, fs...)
	}
	return out
}

// within keeps the facts of the last r.Months months up to today, each
// record once (the earliest of its facts in the window), by date.
func (r Rule) within(fs []Fact, today domain.Date) []Fact {
	since := today.AddMonths(-r.Months)
	var out []Fact
	for _, f := range fs {
		if f.On.After(since) && !f.On.After(today) {
			out = append(out, f)
		}
	}
	sortFacts(out)
	return out
}

func sortFacts(fs []Fact) {
	slices.SortStableFunc(fs, func(a, b Fact) int {
		return cmp.Or(a.On.Time().Compare(b.On.Time()), strings.Compare(string(a.Kind), string(b.Kind)), cmp.Compare(a.ID, b.ID))
	})
}

// unique keeps the first fact of each record.
func unique(fs []Fact) []Fact {
	seen := map[string]bool{}
	var out []Fact
	for _, f := range fs {
		if !seen[f.Ref()] {
			seen[f.Ref()] = true
			out = append(out, f)
		}
	}
	return out
}

func (r Rule) fire(fs []Fact, group string) Firing {
	reason := r.ReasonText()
	if group != "" {
		reason += "（" + group + "）"
	}
	return Firing{Rule: r.ID, Facts: fs, Reason: reason}
}

// maxListed is how many facts a reason lists; the rest are counted.
const maxListed = 10

func describeFacts(fs []Fact) string {
	var ss []string
	for i, f := range fs {
		if i == maxListed {
			ss = append(ss, "等"+strconv.Itoa(len(fs))+"项")
			break
		}
		ss = append(ss, f.Words())
	}
	return strings.Join(ss, "；")
}

func factWord(f Fact) string {
	switch f.Kind {
	case FactVisit:
		return "回访答复"
	case FactComplaint:
		return "投诉举报、信访"
	case FactTrip:
		return "外出"
	case FactReport:
		return "提交报告单"
	case FactCase:
		return "法定期限届满"
	}
	return string(f.Kind)
}

func (r Rule) category3(fs []Fact, today domain.Date) []Firing {
	in := unique(r.within(fs, today))
	if len(in) < r.Count {
		return nil
	}
	return []Firing{r.fire(in, "")}
}

// sameParty fires once for each complainant whose complaints in the
// window are about Count or more different cases of his.
func (r Rule) sameParty(fs []Fact, today domain.Date) []Firing {
	groups, order := group(r.within(fs, today))
	var out []Firing
	for _, k := range order {
		g := groups[k]
		cases := map[int64]bool{}
		for _, f := range g {
			cases[f.Case] = true
		}
		if len(cases) >= r.Count {
			out = append(out, r.fire(unique(g), g[0].Group))
		}
	}
	return out
}

// tripPattern fires once for each set of trips that went, Count or more
// times, to one destination on cases with one party; destinations and
// parties that share the very same trips are one firing.
func (r Rule) tripPattern(fs []Fact, today domain.Date) []Firing {
	groups, order := group(r.within(fs, today))
	type set struct {
		trips []Fact
		names []string
	}
	var sets []*set
	at := map[string]*set{}
	for _, k := range order {
		trips := unique(groups[k])
		if len(trips) < r.Count {
			continue
		}
		var ids []string
		for _, t := range trips {
			ids = append(ids, t.Ref())
		}
		key := strings.Join(ids, ",")
		s, ok := at[key]
		if !ok {
			s = &set{trips: trips}
			at[key] = s
			sets = append(sets, s)
		}
		if !slices.Contains(s.names, groups[k][0].Group) {
			s.names = append(s.names, groups[k][0].Group)
		}
	}
	var out []Firing
	for _, s := range sets {
		out = append(out, r.fire(s.trips, strings.Join(s.names, "；")))
	}
	return out
}

// group splits facts by Key, keeping the keys' first appearance order.
func group(fs []Fact) (map[string][]Fact, []string) {
	out := map[string][]Fact{}
	var order []string
	for _, f := range fs {
		if f.Key == "" {
			continue
		}
		if _, ok := out[f.Key]; !ok {
			order = append(order, f.Key)
		}
		out[f.Key] = append(out[f.Key], f)
	}
	return out, order
}

// lastDay fires when Count or more reports were filed in the window and
// at least Share per cent of them on the last day they were due; its
// facts are those reports.
func (r Rule) lastDay(fs []Fact, today domain.Date) []Firing {
	in := unique(r.within(fs, today))
	var last []Fact
	for _, f := range in {
		if !f.Due.IsZero() && f.On.Equal(f.Due) {
			last = append(last, f)
		}
	}
	if len(in) < r.Count || len(last) == 0 || len(last)*100 < r.Share*len(in) {
		return nil
	}
	return []Firing{r.fire(last, "")}
}

// longOpen fires when Count or more open cases with property are past
// their time limit by Months months or more (the limit's last day on or
// before today less Months months).
func (r Rule) longOpen(fs []Fact, today domain.Date) []Firing {
	cutoff := today.AddMonths(-r.Months)
	var in []Fact
	for _, f := range fs {
		if !f.On.IsZero() && !f.On.After(cutoff) {
			in = append(in, f)
		}
	}
	sortFacts(in)
	in = unique(in)
	if len(in) < r.Count {
		return nil
	}
	return []Firing{r.fire(in, "")}
}

// MaxReasonText bounds a warning's reason, and its grounds, in characters.
const MaxReasonText = 2000

// Clip shortens a reason or grounds to MaxReasonText characters.
func Clip(s string) string {
	if utf8.RuneCountInString(s) <= MaxReasonText {
		return s
	}
	return string([]rune(s)[:MaxReasonText-1]) + "…"
}

package integrity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/oversight"
)

// RuleID names an early-warning rule; the names are part of the rules
// file's contract and never change.
type RuleID string

// The rules.
const (
	// RuleCategory3: complaints, petitions and return-visit answers of 附件3's
	// third category (反映执行不廉或作风不正) about him, Count or more within
	// the last Months months.
	RuleCategory3 RuleID = "category3"
	// RuleSameParty: one complainant (by his phone's blind index) in
	// complaints or petitions on Count or more different cases of his
	// within the last Months months.
	RuleSameParty RuleID = "same_party"
	// RuleTripPattern: Count or more trips he went on within the last
	// Months months to the same destination (county-level division) on
	// cases with the same party (applicant or respondent, by name).
	RuleTripPattern RuleID = "trip_pattern"
	// RuleLastDay: of his own 附件1 filed within the last Months months,
	// Count or more, at least Share per cent filed on the last day they
	// were due.
	RuleLastDay RuleID = "last_day"
	// RuleLongOpen: Count or more of his cases open, with property
	// available (有财产可供执行), past their statutory time limit by Months
	// months or more.
	RuleLongOpen RuleID = "long_open"
)

// RuleIDs lists the rules in display order.
var RuleIDs = []RuleID{RuleCategory3, RuleSameParty, RuleTripPattern, RuleLastDay, RuleLongOpen}

var ruleTitles = map[RuleID]string{
	RuleCategory3:   "多次第三类反映",
	RuleSameParty:   "同一投诉人多案投诉",
	RuleTripPattern: "同地同当事人反复外出",
	RuleLastDay:     "报告总在最后一天提交",
	RuleLongOpen:    "有财产案件长期未结",
}

// Title is the rule's short Chinese name.
func (id RuleID) Title() string {
	if t, ok := ruleTitles[id]; ok {
		return t
	}
	return string(id)
}

// Valid reports whether id is a known rule.
func (id RuleID) Valid() bool { _, ok := ruleTitles[id]; return ok }

// Rule is one early-warning rule with its parameters: how many facts
// (Count) within how many months (Months), and for RuleLastDay the share
// in per cent (Share). Reason is the text a warning gives, Describe's if
// empty.
type Rule struct {
	ID      RuleID
	Enabled bool
	Count   int
	Months  int
	Share   int
	Reason  string
}

// Rules are the rules in force, one per RuleID.
type Rules []Rule

// DefaultRules are the rules unless a file says otherwise: two category-三
// reports in six months; one complainant on two cases in a year; three
// trips to one place for one party in a year; three reports in a year,
// every one on its last day; three cases with property six months past
// their time limit.
func DefaultRules() Rules {
	return Rules{
		{ID: RuleCategory3, Enabled: true, Count: 2, Months: 6},
		{ID: RuleSameParty, Enabled: true, Count: 2, Months: 12},
		{ID: RuleTripPattern, Enabled: true, Count: 3, Months: 12},
		{ID: RuleLastDay, Enabled: true, Count: 3, Months: 12, Share: 100},
		{ID: RuleLongOpen, Enabled: true, Count: 3, Months: 6},
	}
}

// MaxReason bounds a rule's reason text, in characters.
const MaxReason = 200

// minCount is the least Count a rule makes sense with: a pattern needs
// two cases, or two trips.
func (id RuleID) minCount() int {
	if id == RuleSameParty || id == RuleTripPattern {
		return 2
	}
	return 1
}

// Validate reports whether r can be used, naming the rule and parameter.
func (r Rule) Validate() error {
	switch {
	case !r.ID.Valid():
		return fmt.Errorf("unknown rule %q (%s)", r.ID, joinIDs())
	case r.Count < r.ID.minCount() || r.Count > 1000:
		return fmt.Errorf("rule %s: count %d: want %d to 1000", r.ID, r.Count, r.ID.minCount())
	case r.Months < 1 || r.Months > 120:
		return fmt.Errorf("rule %s: months %d: want 1 to 120", r.ID, r.Months)
	case r.ID == RuleLastDay && (r.Share < 1 || r.Share > 100):
		return fmt.Errorf("rule %s: share %d: want 1 to 100 (per cent)", r.ID, r.Share)
	case r.ID != RuleLastDay && r.Share != 0:
		return fmt.Errorf("rule %s: share applies to %s only", r.ID, RuleLastDay)
	case utf8.RuneCountInString(r.Reason) > MaxReason:
		return fmt.Errorf("rule %s: reason longer than %d characters", r.ID, MaxReason)
	}
	return nil
}

func joinIDs() string {
	var ss []string
	for _, id := range RuleIDs {
		ss = append(ss, string(id))
	}
	return strings.Join(ss, ", ")
}

// Validate reports whether rs can be used: every rule once, each valid.
func (rs Rules) Validate() error {
	for i, r := range rs {
		if err := r.Validate(); err != nil {
			return err
		}
		if slices.ContainsFunc(rs[:i], func(o Rule) bool { return o.ID == r.ID }) {
			return fmt.Errorf("rule %s listed twice", r.ID)
		}
	}
	return nil
}

// Rule returns the rule id of rs, and whether it is there.
func (rs Rules) Rule(id RuleID) (Rule, bool) {
	i := slices.IndexFunc(rs, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return Rule{}, false
	}
	return rs[i], true
}

// ruleFile is one rule as the rules file writes it: what is left out
// keeps its default.
type ruleFile struct {
	ID      RuleID  `json:"id"`
	Enabled *bool   `json:"enabled"`
	Count   *int    `json:"count"`
	Months  *int    `json:"months"`
	Share   *int    `json:"share"`
	Reason  *string `json:"reason"`
}

// ParseRules reads the rules file: a JSON array of rules, each with its
// id and any of enabled, count, months, share (last_day) and reason
// (the text a warning gives). A rule left out, or a field left out,
// keeps its default; an unknown rule or field, a rule listed twice or a
// value out of range is refused with its reason.
//
//	[{"id": "category3", "count": 3, "months": 6},
//	 {"id": "long_open", "enabled": false}]
func ParseRules(r io.Reader) (Rules, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading the warning rules: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	dec.DisallowUnknownFields()
	var in []ruleFile
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("reading the warning rules (a JSON array of rules): %w", err)
	}
	if dec.More() {
		return nil, errors.New("reading the warning rules: more than one JSON value")
	}
	rs := DefaultRules()
	var seen []RuleID
	for n, f := range in {
		i := slices.IndexFunc(rs, func(r Rule) bool { return r.ID == f.ID })
		if i < 0 {
			return nil, fmt.Errorf("rule %d: unknown rule %q (%s)", n+1, f.ID, joinIDs())
		}
		if slices.Contains(seen, f.ID) {
			return nil, fmt.Errorf("rule %s listed twice", f.ID)
		}
		seen = append(seen, f.ID)
		r := &rs[i]
		if f.Enabled != nil {
			r.Enabled = *f.Enabled
		}
		if f.Count != nil {
			r.Count = *f.Count
		}
		if f.Months != nil {
			r.Months = *f.Months
		}
		if f.Share != nil {
			r.Share = *f.Share
		}
		if f.Reason != nil {
			r.Reason = strings.TrimSpace(*f.Reason)
		}
	}
	return rs, rs.Validate()
}

// Describe says the rule with its parameters in words: the reason a
// warning gives unless the rules file gives its own.
func (r Rule) Describe() string {
	m, n := strconv.Itoa(r.Months), strconv.Itoa(r.Count)
	switch r.ID {
	case RuleCategory3:
		return "近" + m + "个月内有" + n + "次以上反映执行不廉或作风不正（附件3第三类）的回访答复或投诉举报、信访"
	case RuleSameParty:
		return "近" + m + "个月内同一投诉人就其承办的" + n + "件以上不同案件投诉举报、信访"
	case RuleTripPattern:
		return "近" + m + "个月内" + n + "次以上赴同一地点执行涉及同一当事人的案件"
	case RuleLastDay:
		if r.Share >= 100 {
			return "近" + m + "个月内提交外出执行情况报告单" + n + "份以上，均在报告期限的最后一天提交"
		}
		return "近" + m + "个月内提交外出执行情况报告单" + n + "份以上，其中" + strconv.Itoa(r.Share) + "%以上在报告期限的最后一天提交"
	case RuleLongOpen:
		return "有财产可供执行、超过法定执行期限" + m + "个月以上仍未执结的案件达" + n + "件以上"
	}
	return string(r.ID)
}

// ReasonText is the text a warning of r gives: the file's, or Describe.
func (r Rule) ReasonText() string {
	if r.Reason != "" {
		return r.Reason
	}
	return r.Describe()
}

// Parameters are the rule's parameters as the rules page lists them.
func (r Rule) Parameters() string {
	s := "次数（件数、份数）" + strconv.Itoa(r.Count) + "，期间" + strconv.Itoa(r.Months) + "个月"
	if r.ID == RuleLastDay {
		s += "，比例" + strconv.Itoa(r.Share) + "%"
	}
	return s
}

// Measure is the measure of the first form (第一种形态) an accepted
// warning is entered under, which every list of measures keeps.
const Measure = oversight.MeasureWarning

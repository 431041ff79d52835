package deadline

import (
	"slices"

	"github.com/zhilian/zhilian/internal/domain"
)

// Limits is the configuration of time limits that applies to cases: the
// rules, the calendar, which rule governs a whole case and which governs
// each process node.
type Limits struct {
	Rules    []Rule
	Calendar *Calendar
	// CaseTypes are the case types to which the whole-case limit applies:
	// 执行实施 cases (执, 执恢); 执保, 执异 and the others have limits of
	// their own that the case system tracks.
	CaseTypes []string
	// NodeRules names, per process node, the rule that says by when it is
	// due. The rules' start events (收到案件材料, 收到申请执行书) are taken to
	// fall on the filing date, the nearest date the case system gives.
	NodeRules map[domain.NodeKind]string
}

// DefaultLimits returns the default rules with the built-in calendar.
func DefaultLimits() *Limits {
	return &Limits{
		Rules:     DefaultRules(),
		Calendar:  BuiltinCalendar(),
		CaseTypes: []string{"执", "执恢"},
		NodeRules: map[domain.NodeKind]string{
			domain.NodeNotice:        "notice_respondent",
			domain.NodeInvestigation: "complete_property_investigation",
		},
	}
}

// CaseRule returns the rule that limits the whole case, for the case types
// it applies to: three months for 非诉 enforcement; six months for a case
// with property available (第一条: 被执行人有财产可供执行的案件). A case the
// case system marks as having no property has no such limit; one it says
// nothing about is held to it, so that no overdue case goes unseen.
func (l *Limits) CaseRule(c *domain.Case) (Rule, bool) {
	if !slices.Contains(l.CaseTypes, c.No.Type) {
		return Rule{}, false
	}
	switch {
	case c.NonLitigation:
		return FindRule(l.Rules, "enforce_nonlitigation")
	case c.HasProperty || !c.PropertyKnown:
		return FindRule(l.Rules, "enforce_property")
	}
	return Rule{}, false
}

// ForCase computes the case's limit on today from its extensions and
// pauses. ok is false when no rule applies.
func (l *Limits) ForCase(c *domain.Case, ext []Extension, pauses []Pause, today domain.Date) (res Result, rule Rule, ok bool) {
	rule, ok = l.CaseRule(c)
	if !ok {
		return Result{}, Rule{}, false
	}
	return Compute(rule, c.FiledOn, ext, pauses, l.Calendar, today), rule, true
}

// ForCaseDue is ForCase with ComputeDue: the due date without the
// ledger's lines.
func (l *Limits) ForCaseDue(c *domain.Case, ext []Extension, pauses []Pause, today domain.Date) (res Result, ok bool) {
	rule, ok := l.CaseRule(c)
	if !ok {
		return Result{}, false
	}
	return ComputeDue(rule, c.FiledOn, ext, pauses, l.Calendar, today), true
}

// NodeCheck is a process node checked against its limit.
type NodeCheck struct {
	Kind    domain.NodeKind
	On      domain.Date // zero if the node has not been reached
	Note    string
	Limit   string // "立案后3日内" as people read it, "" without a rule
	Due     domain.Date
	Late    bool // reached after its due date
	Missing bool // not reached, and its due date has passed
}

// Timeline returns the case's process nodes in order, the filing and
// closing nodes included, each checked against its rule: late if reached
// after the due date, missing if not reached and overdue on today. The
// pause ledger of the case applies to node limits too.
func (l *Limits) Timeline(c *domain.Case, pauses []Pause, today domain.Date) []NodeCheck {
	var out []NodeCheck
	reached := map[domain.NodeKind]bool{}
	out = append(out, NodeCheck{Kind: domain.NodeFiling, On: c.FiledOn})
	reached[domain.NodeFiling] = true
	for _, n := range c.Nodes {
		if n.Kind == domain.NodeFiling || n.Kind == domain.NodeClosing {
			continue
		}
		out = append(out, NodeCheck{Kind: n.Kind, On: n.On, Note: n.Note})
		reached[n.Kind] = true
	}
	// Nodes with a rule that were never reached show as gaps.
	for _, k := range domain.NodeKinds {
		if _, has := l.NodeRules[k]; has && !reached[k] {
			out = append(out, NodeCheck{Kind: k})
		}
	}
	if c.Closed() {
		out = append(out, NodeCheck{Kind: domain.NodeClosing, On: c.ClosedOn, Note: c.ClosingMode})
	}
	for i := range out {
		code, has := l.NodeRules[out[i].Kind]
		if !has {
			continue
		}
		rule, ok := FindRule(l.Rules, code)
		if !ok {
			continue
		}
		res := ComputeDue(rule, c.FiledOn, nil, pauses, l.Calendar, today)
		out[i].Due = res.Due
		out[i].Limit = rule.Name + "，期限至" + res.Due.String()
		switch {
		case !out[i].On.IsZero():
			out[i].Late = !res.Running && out[i].On.After(res.Due)
		case !c.Closed():
			out[i].Missing = !res.Running && res.Due.Before(today)
		}
	}
	slices.SortStableFunc(out, func(a, b NodeCheck) int {
		switch {
		case a.On.IsZero() && b.On.IsZero():
			return 0
		case a.On.IsZero():
			return 1
		case b.On.IsZero():
			return -1
		case a.On.Before(b.On):
			return -1
		case b.On.Before(a.On):
			return 1
		}
		return 0
	})
	return out
}

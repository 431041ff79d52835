package deadline

import (
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestCaseRuleAndTimeline(t *testing.T) {
	l := DefaultLimits()
	c := func(typ string, property, known, nonLit bool) *domain.Case {
		return &domain.Case{No: domain.CaseNo{Year: 2025, Court: "鲁0102", Type: typ, Serial: 1}, FiledOn: domain.MustDate("2025-03-03"),
			HasProperty: property, PropertyKnown: known, NonLitigation: nonLit}
	}
	for _, tt := range []struct {
		c    *domain.Case
		code string
	}{
		{c("执", true, true, false), "enforce_property"},
		{c("执恢", false, false, false), "enforce_property"},
		{c("执", false, true, false), ""},
		{c("执", false, true, true), "enforce_nonlitigation"},
		{c("执异", true, true, false), ""},
	} {
		r, ok := l.CaseRule(tt.c)
		if (tt.code == "" && ok) || (tt.code != "" && r.Code != tt.code) {
			t.Errorf("%s property=%v known=%v nonlit=%v: rule %q, want %q", tt.c.No.Type, tt.c.HasProperty, tt.c.PropertyKnown, tt.c.NonLitigation, r.Code, tt.code)
		}
	}
	k := c("执", true, true, false)
	k.Nodes = []domain.Node{{Kind: domain.NodeNotice, On: domain.MustDate("2025-03-20")}}
	tl := l.Timeline(k, nil, domain.MustDate("2025-06-01"))
	var notice, invest NodeCheck
	for _, n := range tl {
		switch n.Kind {
		case domain.NodeNotice:
			notice = n
		case domain.NodeInvestigation:
			invest = n
		}
	}
	if !notice.Late || notice.Missing {
		t.Errorf("notice 17 days after filing: %+v", notice)
	}
	if !invest.Missing || !invest.On.IsZero() {
		t.Errorf("investigation never done, a month past: %+v", invest)
	}
	if tl[0].Kind != domain.NodeFiling || tl[len(tl)-1].Kind != domain.NodeInvestigation {
		t.Errorf("order: %+v", tl)
	}
}

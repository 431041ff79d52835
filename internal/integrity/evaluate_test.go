package integrity

import (
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

var today = domain.MustDate("2026-06-15")

func day(s string) domain.Date { return domain.MustDate(s) }

func only(id RuleID, mod func(*Rule)) Rules {
	for _, r := range DefaultRules() {
		if r.ID == id {
			if mod != nil {
				mod(&r)
			}
			return Rules{r}
		}
	}
	panic(id)
}

func refsOf(fs []Firing) [][]string {
	var out [][]string
	for _, f := range fs {
		out = append(out, f.Refs())
	}
	return out
}

// Each rule fires on exactly the facts it should, and not on one fewer:
// one fact less, or one outside the window, and it is silent.
func TestRulesFireOnExactlyTheirFacts(t *testing.T) {
	c3 := func(kind FactKind, id int64, on string) Fact {
		return Fact{Kind: kind, ID: id, On: day(on), Text: "（2026）鲁0102执1号"}
	}
	compl := func(id, caseID int64, on, phone string) Fact {
		return Fact{Kind: FactComplaint, ID: id, On: day(on), Key: phone, Group: "投诉人" + phone, Case: caseID}
	}
	trp := func(id int64, on, place, party string) Fact {
		return Fact{Kind: FactTrip, ID: id, On: day(on), Text: place, Key: place + "\x00" + party, Group: place + "·" + party}
	}
	rep := func(id int64, filed, due string) Fact {
		return Fact{Kind: FactReport, ID: id, On: day(filed), Due: day(due)}
	}
	open := func(id int64, limit string) Fact { return Fact{Kind: FactCase, ID: id, On: day(limit)} }
	tests := []struct {
		name  string
		rules Rules
		facts Facts
		want  [][]string
	}{
		// 多次第三类反映: two in six months (2025-12-15 exclusive).
		{"category3: a visit and a complaint", only(RuleCategory3, nil),
			Facts{Category3: []Fact{c3(FactVisit, 7, "2026-01-10"), c3(FactComplaint, 3, "2026-06-15")}}, [][]string{{"complaint:3", "visit:7"}}},
		{"category3: one fewer", only(RuleCategory3, nil), Facts{Category3: []Fact{c3(FactVisit, 7, "2026-01-10")}}, nil},
		{"category3: the second one day too old", only(RuleCategory3, nil),
			Facts{Category3: []Fact{c3(FactVisit, 7, "2025-12-15"), c3(FactComplaint, 3, "2026-06-15")}}, nil},
		{"category3: the window's first day counts", only(RuleCategory3, nil),
			Facts{Category3: []Fact{c3(FactVisit, 7, "2025-12-16"), c3(FactComplaint, 3, "2026-06-15")}}, [][]string{{"complaint:3", "visit:7"}}},
		{"category3: one visit's two answers are one fact", only(RuleCategory3, nil),
			Facts{Category3: []Fact{c3(FactVisit, 7, "2026-01-10"), c3(FactVisit, 7, "2026-01-12")}}, nil},
		{"category3: later than today does not count", only(RuleCategory3, nil),
			Facts{Category3: []Fact{c3(FactVisit, 7, "2026-01-10"), c3(FactComplaint, 3, "2026-06-16")}}, nil},
		{"category3: count 3", only(RuleCategory3, func(r *Rule) { r.Count = 3 }),
			Facts{Category3: []Fact{c3(FactVisit, 7, "2026-01-10"), c3(FactComplaint, 3, "2026-06-15")}}, nil},
		{"category3: disabled", only(RuleCategory3, func(r *Rule) { r.Enabled = false }),
			Facts{Category3: []Fact{c3(FactVisit, 7, "2026-01-10"), c3(FactComplaint, 3, "2026-06-15")}}, nil},

		// 同一投诉人多案投诉: one complainant, two cases of his, a year.
		{"same_party: one phone, two cases", only(RuleSameParty, nil),
			Facts{Complaints: []Fact{compl(1, 10, "2025-08-01", "p1"), compl(2, 11, "2026-03-01", "p1"), compl(3, 12, "2026-03-02", "p2")}},
			[][]string{{"complaint:1", "complaint:2"}}},
		{"same_party: one complaint on two cases", only(RuleSameParty, nil),
			Facts{Complaints: []Fact{compl(1, 10, "2026-02-01", "p1"), compl(1, 11, "2026-02-01", "p1")}}, [][]string{{"complaint:1"}}},
		{"same_party: two complaints, one case", only(RuleSameParty, nil),
			Facts{Complaints: []Fact{compl(1, 10, "2026-02-01", "p1"), compl(2, 10, "2026-03-01", "p1")}}, nil},
		{"same_party: two phones", only(RuleSameParty, nil),
			Facts{Complaints: []Fact{compl(1, 10, "2026-02-01", "p1"), compl(2, 11, "2026-03-01", "p2")}}, nil},
		{"same_party: the first a year and a day old", only(RuleSameParty, nil),
			Facts{Complaints: []Fact{compl(1, 10, "2025-06-15", "p1"), compl(2, 11, "2026-03-01", "p1")}}, nil},
		{"same_party: no phone, no party", only(RuleSameParty, nil),
			Facts{Complaints: []Fact{compl(1, 10, "2026-02-01", ""), compl(2, 11, "2026-03-01", "")}}, nil},

		// 同地同当事人反复外出: three trips, one place, one party, a year.
		{"trip_pattern: three trips", only(RuleTripPattern, nil),
			Facts{Trips: []Fact{trp(1, "2025-09-01", "市南区", "甲公司"), trp(2, "2026-01-01", "市南区", "甲公司"), trp(3, "2026-05-01", "市南区", "甲公司"),
				trp(3, "2026-05-01", "市南区", "乙")}},
			[][]string{{"trip:1", "trip:2", "trip:3"}}},
		{"trip_pattern: two parties of the same trips are one firing", only(RuleTripPattern, nil),
			Facts{Trips: []Fact{trp(1, "2025-09-01", "市南区", "甲公司"), trp(2, "2026-01-01", "市南区", "甲公司"), trp(3, "2026-05-01", "市南区", "甲公司"),
				trp(1, "2025-09-01", "市南区", "乙"), trp(2, "2026-01-01", "市南区", "乙"), trp(3, "2026-05-01", "市南区", "乙")}},
			[][]string{{"trip:1", "trip:2", "trip:3"}}},
		{"trip_pattern: two trips", only(RuleTripPattern, nil),
			Facts{Trips: []Fact{trp(1, "2025-09-01", "市南区", "甲公司"), trp(2, "2026-01-01", "市南区", "甲公司"), trp(3, "2026-05-01", "崂山区", "甲公司")}}, nil},
		{"trip_pattern: another party each time", only(RuleTripPattern, nil),
			Facts{Trips: []Fact{trp(1, "2025-09-01", "市南区", "甲公司"), trp(2, "2026-01-01", "市南区", "乙"), trp(3, "2026-05-01", "市南区", "丙")}}, nil},
		{"trip_pattern: one trip of the three too old", only(RuleTripPattern, nil),
			Facts{Trips: []Fact{trp(1, "2025-06-15", "市南区", "甲公司"), trp(2, "2026-01-01", "市南区", "甲公司"), trp(3, "2026-05-01", "市南区", "甲公司")}}, nil},

		// 报告总在最后一天提交: three reports in a year, every one on its last day.
		{"last_day: three of three", only(RuleLastDay, nil),
			Facts{Reports: []Fact{rep(1, "2025-09-03", "2025-09-03"), rep(2, "2026-02-10", "2026-02-10"), rep(3, "2026-06-01", "2026-06-01")}},
			[][]string{{"report:1", "report:2", "report:3"}}},
		{"last_day: two reports", only(RuleLastDay, nil),
			Facts{Reports: []Fact{rep(2, "2026-02-10", "2026-02-10"), rep(3, "2026-06-01", "2026-06-01")}}, nil},
		{"last_day: one filed a day early", only(RuleLastDay, nil),
			Facts{Reports: []Fact{rep(1, "2025-09-02", "2025-09-03"), rep(2, "2026-02-10", "2026-02-10"), rep(3, "2026-06-01", "2026-06-01")}}, nil},
		{"last_day: one filed late", only(RuleLastDay, nil),
			Facts{Reports: []Fact{rep(1, "2025-09-04", "2025-09-03"), rep(2, "2026-02-10", "2026-02-10"), rep(3, "2026-06-01", "2026-06-01")}}, nil},
		{"last_day: two in three at 60%", only(RuleLastDay, func(r *Rule) { r.Share = 60 }),
			Facts{Reports: []Fact{rep(1, "2025-09-02", "2025-09-03"), rep(2, "2026-02-10", "2026-02-10"), rep(3, "2026-06-01", "2026-06-01")}},
			[][]string{{"report:2", "report:3"}}},
		{"last_day: two in three at 70%", only(RuleLastDay, func(r *Rule) { r.Share = 70 }),
			Facts{Reports: []Fact{rep(1, "2025-09-02", "2025-09-03"), rep(2, "2026-02-10", "2026-02-10"), rep(3, "2026-06-01", "2026-06-01")}}, nil},

		// 有财产案件长期未结: three cases six months past their limit.
		{"long_open: three", only(RuleLongOpen, nil),
			Facts{OpenCases: []Fact{open(1, "2025-01-01"), open(2, "2025-10-01"), open(3, "2025-12-15"), open(4, "2026-03-01")}},
			[][]string{{"case:1", "case:2", "case:3"}}},
		{"long_open: the third a day short", only(RuleLongOpen, nil),
			Facts{OpenCases: []Fact{open(1, "2025-01-01"), open(2, "2025-10-01"), open(3, "2025-12-16")}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := refsOf(tt.rules.Evaluate(tt.facts, today))
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("fired on %v, want %v", got, tt.want)
			}
		})
	}
}

// A firing's reason is the rule's, with the group and each fact by date.
func TestFiringReason(t *testing.T) {
	fs := only(RuleSameParty, nil).Evaluate(Facts{Complaints: []Fact{
		{Kind: FactComplaint, ID: 2, On: day("2026-03-01"), Text: "（2026）鲁0102执2号", Key: "k", Group: "投诉人139****0002", Case: 2},
		{Kind: FactComplaint, ID: 1, On: day("2026-02-01"), Text: "（2026）鲁0102执1号", Key: "k", Group: "投诉人139****0002", Case: 1},
	}}, today)
	want := "近12个月内同一投诉人就其承办的2件以上不同案件投诉举报、信访（投诉人139****0002）"
	if len(fs) != 1 || fs[0].Reason != want {
		t.Fatalf("reason %+v", fs)
	}
	if g := Grounds(fs[0].Reason, fs[0].Facts); g != want+"：2026-02-01 投诉举报、信访 （2026）鲁0102执1号；2026-03-01 投诉举报、信访 （2026）鲁0102执2号" {
		t.Errorf("grounds %q", g)
	}
	if fs[0].Key() != "complaint:1,complaint:2" {
		t.Errorf("key %q", fs[0].Key())
	}
	r := Rule{ID: RuleCategory3, Enabled: true, Count: 1, Months: 6, Reason: "本院自定"}
	if got := (Rules{r}).Evaluate(Facts{Category3: []Fact{{Kind: FactVisit, ID: 1, On: day("2026-06-01")}}}, today); len(got) != 1 ||
		Grounds(got[0].Reason, got[0].Facts) != "本院自定：2026-06-01 回访答复" {
		t.Errorf("the file's reason: %v", got)
	}
}

func TestClip(t *testing.T) {
	if got := []rune(Clip(strings.Repeat("长", MaxReasonText+5))); len(got) != MaxReasonText || got[len(got)-1] != '…' {
		t.Errorf("clipped to %d", len(got))
	}
	if Clip("短") != "短" {
		t.Error("a short text is changed")
	}
}

// The same facts never propose twice; a pending warning holds back the
// next; a new fact proposes again once the earlier ones are decided.
func TestProposes(t *testing.T) {
	f := Firing{Rule: RuleCategory3, Facts: []Fact{{Kind: FactVisit, ID: 1}, {Kind: FactComplaint, ID: 2}}}
	for _, tt := range []struct {
		name   string
		priors []Prior
		want   bool
	}{
		{"none before", nil, true},
		{"the same facts, dismissed", []Prior{{StateDismissed, []string{"complaint:2", "visit:1"}}}, false},
		{"the same facts, accepted", []Prior{{StateAccepted, []string{"complaint:2", "visit:1"}}}, false},
		{"more facts before", []Prior{{StateAccepted, []string{"complaint:2", "visit:1", "visit:9"}}}, false},
		{"a new fact", []Prior{{StateDismissed, []string{"visit:1"}}}, true},
		{"a new fact, one pending", []Prior{{StateDismissed, []string{"visit:1"}}, {StateProposed, []string{"visit:5"}}}, false},
		{"spread over two decided", []Prior{{StateDismissed, []string{"visit:1"}}, {StateAccepted, []string{"complaint:2"}}}, false},
	} {
		if got := Proposes(f, tt.priors); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

package integrity

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// The median by hand: sorted, the middle one, or the mean of the middle
// two.
func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		ns   []int
		want float64
	}{
		{nil, 0},
		{[]int{4}, 4},
		{[]int{5, 0, 2}, 2},       // 0 2 5
		{[]int{3, 0, 1, 8}, 2},    // 0 1 3 8: (1+3)/2
		{[]int{0, 0, 1, 0}, 0},    // 0 0 0 1
		{[]int{2, 1, 0, 0, 3}, 1}, // 0 0 1 2 3
		{[]int{1, 2}, 1.5},
	} {
		if got := Median(tt.ns); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.ns, got, tt.want)
		}
	}
	ns := []int{3, 1, 2}
	Median(ns)
	if !slices.Equal(ns, []int{3, 1, 2}) {
		t.Error("Median sorted its argument")
	}
	court := []Counts{{KindComplaint: 3, KindLate: 1}, {KindComplaint: 0}, {KindComplaint: 1, KindLate: 2}, {}}
	got := Compare(court[0], court)
	if len(got) != len(Kinds) || got[2].Kind != KindComplaint || got[2].N != 3 || got[2].Median != 0.5 || !got[2].Above() || got[2].MedianText() != "0.5" {
		t.Fatalf("complaints beside the median: %+v", got[2])
	}
	if got[3].Kind != KindLate || got[3].Median != 0.5 || !got[3].Above() {
		t.Errorf("late: %+v", got[3])
	}
	if got[0].Above() || got[0].MedianText() != "0" {
		t.Errorf("nothing is above nothing: %+v", got[0])
	}
}

// One record counted under two kinds is one line; lines newest first,
// those of one day by record.
func TestTimeline(t *testing.T) {
	es := []Entry{
		{Kind: KindDissatisfied, Record: RecVisit, Ref: 7, On: domain.MustDate("2026-03-02"), Subject: "（2026）鲁0102执1号"},
		{Kind: KindCategory3, Record: RecVisit, Ref: 7, On: domain.MustDate("2026-03-01"), Subject: "（2026）鲁0102执1号", Detail: "C1,C3"},
		{Kind: KindLate, Record: RecTrip, Ref: 3, On: domain.MustDate("2026-04-01"), Subject: "青岛市市南区"},
		{Kind: KindTalk, Record: RecTalk, Ref: 9, Ref2: 4, On: domain.MustDate("2026-03-01")},
	}
	ls := Timeline(es)
	if len(ls) != 3 || ls[0].Record != RecTrip || ls[0].Href() != "/trips/3" {
		t.Fatalf("timeline %+v", ls)
	}
	v := ls[2]
	if v.Record != RecVisit || v.On.String() != "2026-03-01" || !slices.Equal(v.Kinds, []Kind{KindDissatisfied, KindCategory3}) ||
		v.KindLabels() != "回访不满意、第三类反映" || v.Detail != "C1,C3" || v.Href() != "/visits/7" {
		t.Errorf("the visit's line: %+v", v)
	}
	if ls[1].Href() != "/dispositions/4" {
		t.Errorf("a talk links to its disposition: %s", ls[1].Href())
	}
	for rec, want := range map[Record]string{RecTracking: "/tracking/2/work", RecPatrol: "/cases/2", RecFinding: "/inspections/2",
		RecTarget: "/inspections/2/targets/1", RecReview: "/trip-reviews/1", RecComplaint: "/complaints/1", RecWarning: "/integrity/2#warning-1"} {
		if got := Href(rec, 1, 2); got != want {
			t.Errorf("%s: %s", rec, got)
		}
	}
	if ListPath("鲁0102") != "/integrity?court=%E9%B2%810102" || RecordPath(5) != "/integrity/5" {
		t.Error("paths")
	}
}

func TestParsePeriod(t *testing.T) {
	today := domain.MustDate("2026-06-15")
	p, err := ParsePeriod("", "", today)
	if err != nil || p.From.String() != "2025-06-16" || p.To.String() != "2026-06-15" {
		t.Fatalf("default %v %v", p, err)
	}
	if p, err = ParsePeriod("2026-01-01", "", today); err != nil || p.From.String() != "2026-01-01" || p.To != today {
		t.Errorf("open end %v %v", p, err)
	}
	for _, tt := range []struct{ from, to, field string }{{"2026-13-01", "", "from"}, {"", "明天", "to"}, {"2026-03-01", "2026-02-01", "to"}} {
		_, err := ParsePeriod(tt.from, tt.to, today)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields[tt.field] == "" {
			t.Errorf("%v: %v", tt, err)
		}
	}
}

func TestParseRules(t *testing.T) {
	rs, err := ParseRules(strings.NewReader("\ufeff" + `[{"id": "category3", "count": 3, "reason": "本院规则"}, {"id": "long_open", "enabled": false},
		{"id": "last_day", "share": 80}]`))
	if err != nil {
		t.Fatal(err)
	}
	c3, _ := rs.Rule(RuleCategory3)
	lo, _ := rs.Rule(RuleLongOpen)
	ld, _ := rs.Rule(RuleLastDay)
	sp, _ := rs.Rule(RuleSameParty)
	if len(rs) != len(RuleIDs) || c3.Count != 3 || c3.Months != 6 || c3.ReasonText() != "本院规则" || lo.Enabled || ld.Share != 80 || ld.Count != 3 ||
		sp != DefaultRules()[1] {
		t.Fatalf("parsed %+v", rs)
	}
	for name, tt := range map[string]struct{ in, want string }{
		"unknown rule":   {`[{"id": "drinks"}]`, `unknown rule "drinks"`},
		"unknown field":  {`[{"id": "category3", "cuont": 2}]`, "unknown field"},
		"twice":          {`[{"id": "category3"}, {"id": "category3"}]`, "listed twice"},
		"zero count":     {`[{"id": "category3", "count": 0}]`, "count 0"},
		"one trip":       {`[{"id": "trip_pattern", "count": 1}]`, "want 2"},
		"months":         {`[{"id": "same_party", "months": 0}]`, "months 0"},
		"share":          {`[{"id": "last_day", "share": 101}]`, "share 101"},
		"share elsewise": {`[{"id": "long_open", "share": 50}]`, "share applies"},
		"long reason":    {`[{"id": "long_open", "reason": "` + strings.Repeat("长", 201) + `"}]`, "reason longer"},
		"not an array":   {`{"id": "long_open"}`, "JSON array"},
		"two values":     {`[] []`, "more than one"},
	} {
		if _, err := ParseRules(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := DefaultRules().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	if got := (Rule{ID: RuleLastDay, Count: 3, Months: 12, Share: 80}).Describe(); got != "近12个月内提交外出执行情况报告单3份以上，其中80%以上在报告期限的最后一天提交" {
		t.Errorf("describe %s", got)
	}
}

// Only a watchdog of the officer's court or above sees his record, never
// the officer himself, even one who is also a watchdog; nobody else.
func TestCanSee(t *testing.T) {
	path := "/鲁/鲁01/鲁0102/"
	v := func(id int64, court string, roles ...domain.Role) domain.Viewer {
		return domain.Viewer{UserID: id, CourtPath: court, Roles: roles}
	}
	for _, tt := range []struct {
		name string
		v    domain.Viewer
		want bool
	}{
		{"the court's 纪检监察组", v(2, path, domain.RoleDisciplineGroup), true},
		{"the intermediate court's 监察室", v(2, "/鲁/鲁01/", domain.RoleSupervisionOffice), true},
		{"a court beside", v(2, "/鲁/鲁02/", domain.RoleDisciplineGroup), false},
		{"a court below", v(2, path+"x/", domain.RoleDisciplineGroup), false},
		{"the officer, a watchdog too", v(1, path, domain.RoleOfficer, domain.RoleDisciplineGroup), false},
		{"the officer", v(1, path, domain.RoleOfficer), false},
		{"his head", v(3, path, domain.RoleDeptHead), false},
		{"the bureau", v(3, path, domain.RoleBureau), false},
		{"the command centre", v(3, path, domain.RoleCommandCenter), false},
		{"the auditor", v(3, path, domain.RoleAuditor), false},
		{"the system", domain.SystemViewer("t"), true},
	} {
		if got := CanSee(tt.v, 1, path); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
		acts := Actions(StateProposed, tt.v, 1, path)
		if want := tt.want && !tt.v.System; (len(acts) == 2) != want {
			t.Errorf("%s: actions %v", tt.name, acts)
		}
	}
	if CanSee(v(2, path, domain.RoleDisciplineGroup), 1, "") {
		t.Error("a record of no court is seen")
	}
}

// Next is the only way a warning moves: proposed to accepted or
// dismissed, and no further.
func TestNext(t *testing.T) {
	for _, tt := range []struct {
		s    State
		a    Action
		want State
		ok   bool
	}{
		{StateProposed, ActAccept, StateAccepted, true},
		{StateProposed, ActDismiss, StateDismissed, true},
		{StateAccepted, ActDismiss, StateAccepted, false},
		{StateDismissed, ActAccept, StateDismissed, false},
		{StateAccepted, ActAccept, StateAccepted, false},
		{StateProposed, "reopen", StateProposed, false},
	} {
		if got, ok := Next(tt.s, tt.a); got != tt.want || ok != tt.ok {
			t.Errorf("%s %s: %s %v", tt.s, tt.a, got, ok)
		}
	}
	w := domain.Viewer{UserID: 2, CourtPath: "/鲁/", Roles: []domain.Role{domain.RoleDisciplineGroup}}
	if len(Actions(StateAccepted, w, 1, "/鲁/")) != 0 || !Allowed(ActDismiss, StateProposed, w, 1, "/鲁/") {
		t.Error("actions by state")
	}
}

// A dismissal needs a reason, an acceptance its decider and the talk;
// each message is beside its field.
func TestAcceptanceAndDismissal(t *testing.T) {
	today := domain.MustDate("2026-06-15")
	if _, err := CheckDismissal("  "); !hasField(err, "reason", "请写明不予约谈的理由") {
		t.Errorf("empty reason: %v", err)
	}
	if _, err := CheckDismissal(strings.Repeat("因", 1001)); !hasField(err, "reason", "理由过长（1000字以内）") {
		t.Errorf("long reason: %v", err)
	}
	if r, err := CheckDismissal(" 经核实系正常工作往来 "); err != nil || r != "经核实系正常工作往来" {
		t.Errorf("a reason: %q %v", r, err)
	}
	a := Acceptance{Talk: oversight.Talk{Kind: oversight.TalkReminder, HeldOn: today.AddDays(1)}}
	err := a.Validate(today)
	for field, msg := range map[string]string{"decider": "请填写决定机关或决定人（100字以内）", "held_on": "谈话日期不能晚于今天", "place": "请填写地点",
		"participants": "请填写参加人员", "content": "请填写谈话内容"} {
		if !hasField(err, field, msg) {
			t.Errorf("%s: %v", field, err)
		}
	}
	if hasField(err, "kind", "") || a.Talk.Kind != oversight.TalkWarning {
		t.Errorf("the talk is a 预警约谈 whatever is posted: %v %s", err, a.Talk.Kind)
	}
	ok := Acceptance{Decider: "派驻纪检监察组", Talk: oversight.Talk{HeldOn: today, Place: "谈话室", Participants: "甲、乙", Content: "提醒"}}
	if err := ok.Validate(today); err != nil {
		t.Errorf("a good acceptance: %v", err)
	}
}

func hasField(err error, field, msg string) bool {
	var de *domain.Error
	if errors.As(err, &de) && de.Field != "" {
		return de.Field == field && (msg == "" || de.Message == msg)
	}
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	m, ok := ve.Fields[field]
	return ok && (msg == "" || m == msg)
}

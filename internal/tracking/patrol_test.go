package tracking

import (
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
)

func d(s string) domain.Date { return domain.MustDate(s) }

func act(kind ActKind, on string, fen int64) Act { return Act{Kind: kind, On: d(on), Amount: fen} }

// baseCase is an open 执 case filed 2026-01-05 with a claim of 100,000.00
// yuan and no property known, its notice node in time.
func baseCase() *domain.Case {
	return &domain.Case{ID: 1, Number: "（2026）鲁0102执1号", No: domain.CaseNo{Year: 2026, Court: "鲁0102", Type: "执", Serial: 1},
		FiledOn: d("2026-01-05"), Amount: 10_000_000, HasProperty: true, PropertyKnown: true,
		Nodes: []domain.Node{{Kind: domain.NodeNotice, On: d("2026-01-06")}, {Kind: domain.NodeInvestigation, On: d("2026-01-20")}}}
}

// terminated is baseCase closed by 终本 on closed.
func terminated(closed string) *domain.Case {
	c := baseCase()
	c.ClosedOn, c.ClosingMode = d(closed), ClosingTermination
	return c
}

// allPreconditions are the acts 法〔2016〕373号 asks before 终本.
func allPreconditions() []Act {
	return []Act{act(ActNotice, "2026-01-06", 0), act(ActReportOrder, "2026-01-06", 0), act(ActQuery, "2026-01-07", 0),
		act(ActRestrictSpending, "2026-02-01", 0), act(ActInterview, "2026-04-20", 0)}
}

func TestPatrolRules(t *testing.T) {
	only := func(code string) PatrolRules {
		var t PatrolRules
		for _, r := range DefaultPatrolRules() {
			r.On = r.Code == code
			t = append(t, r)
		}
		return t
	}
	tests := []struct {
		name     string
		rule     string
		facts    CaseFacts
		on       string
		subjects []string // the findings' subjects, in order; none for a near miss
		detail   string   // a part of the first finding's detail
	}{
		// 案款到账后三十日内未发放
		{"funds unpaid for 31 days", RuleFundsPayout, CaseFacts{Case: baseCase(), Acts: []Act{act(ActFundsIn, "2026-03-01", 500_000)}},
			"2026-04-01", []string{"2026-03-01/500000"}, "至2026-04-01已31日未发放"},
		{"funds unpaid on day 30 (near miss)", RuleFundsPayout, CaseFacts{Case: baseCase(), Acts: []Act{act(ActFundsIn, "2026-03-01", 500_000)}},
			"2026-03-31", nil, ""},
		{"funds paid on day 30 (near miss)", RuleFundsPayout, CaseFacts{Case: baseCase(), Acts: []Act{act(ActFundsIn, "2026-03-01", 500_000), act(ActFundsOut, "2026-03-31", 500_000)}},
			"2026-06-01", nil, ""},
		{"funds paid on day 31", RuleFundsPayout, CaseFacts{Case: baseCase(), Acts: []Act{act(ActFundsIn, "2026-03-01", 500_000), act(ActFundsOut, "2026-04-01", 500_000)}},
			"2026-06-01", []string{"2026-03-01/500000"}, "2026-04-01才发放"},
		{"funds partly paid: the second receipt waits", RuleFundsPayout, CaseFacts{Case: baseCase(), Acts: []Act{act(ActFundsIn, "2026-03-01", 500_000),
			act(ActFundsIn, "2026-03-10", 300_000), act(ActFundsOut, "2026-03-20", 500_000)}},
			"2026-05-01", []string{"2026-03-10/300000"}, "3,000.00元"},
		{"funds without amounts, one for one", RuleFundsPayout, CaseFacts{Case: baseCase(), Acts: []Act{act(ActFundsIn, "2026-03-01", 0),
			act(ActFundsIn, "2026-03-02", 0), act(ActFundsOut, "2026-03-05", 0)}},
			"2026-05-01", []string{"2026-03-02/0"}, ""},
		{"payout after the patrol day is not yet known", RuleFundsPayout, CaseFacts{Case: baseCase(), Acts: []Act{act(ActFundsIn, "2026-03-01", 1), act(ActFundsOut, "2026-04-15", 1)}},
			"2026-04-10", []string{"2026-03-01/1"}, "已40日未发放"},

		// 终结本次执行程序不符合条件
		{"termination with every precondition (near miss)", RuleTerminationPrecond, CaseFacts{Case: terminated("2026-05-06"), Acts: allPreconditions()},
			"2026-06-01", nil, ""},
		{"termination on the three-month day", RuleTerminationPrecond, CaseFacts{Case: terminated("2026-04-05"), Acts: allPreconditions()[:4]},
			"2026-06-01", []string{"three_months", "interview"}, "未超过立案之日起3个月"},
		{"termination with one act and no nodes", RuleTerminationPrecond, CaseFacts{Case: func() *domain.Case { c := terminated("2026-05-06"); c.Nodes = nil; return c }(),
			Acts: []Act{act(ActFreeze, "2026-02-01", 0)}}, "2026-06-01", []string{"notice", "report_order", "restrict_spending", "investigation", "interview"}, "未见发出执行通知"},
		{"termination of a case with no acts reported: only the three months (near miss on acts)", RuleTerminationPrecond, CaseFacts{Case: terminated("2026-03-01")},
			"2026-06-01", []string{"three_months"}, "未超过立案之日起3个月"},
		{"an interview after the closing does not count", RuleTerminationPrecond, CaseFacts{Case: terminated("2026-05-06"),
			Acts: append(allPreconditions()[:4], act(ActInterview, "2026-05-07", 0))}, "2026-06-01", []string{"interview"}, ""},
		{"a case closed otherwise is not checked", RuleTerminationPrecond, CaseFacts{Case: func() *domain.Case { c := terminated("2026-02-01"); c.ClosingMode = "执行完毕"; return c }()},
			"2026-06-01", nil, ""},

		// 网络司法拍卖起拍价低于评估价百分之七十
		{"starting price 69.9 %", RuleAuctionReserve, CaseFacts{Case: baseCase(), Acts: []Act{act(ActAppraisal, "2026-02-01", 100_000_000), act(ActAuction, "2026-03-01", 69_990_000)}},
			"2026-06-01", []string{"2026-03-01/69990000"}, "69.9%"},
		{"starting price exactly 70 % (near miss)", RuleAuctionReserve, CaseFacts{Case: baseCase(), Acts: []Act{act(ActAppraisal, "2026-02-01", 100_000_000), act(ActAuction, "2026-03-01", 70_000_000)}},
			"2026-06-01", nil, ""},
		{"the second round is priced from the first (near miss)", RuleAuctionReserve, CaseFacts{Case: baseCase(), Acts: []Act{act(ActAppraisal, "2026-02-01", 100_000_000),
			act(ActAuction, "2026-03-01", 70_000_000), act(ActAuction, "2026-04-01", 56_000_000)}}, "2026-06-01", nil, ""},
		{"a new appraisal starts again", RuleAuctionReserve, CaseFacts{Case: baseCase(), Acts: []Act{act(ActAppraisal, "2026-02-01", 100_000_000),
			act(ActAuction, "2026-03-01", 70_000_000), act(ActAppraisal, "2026-04-01", 200_000_000), act(ActAuction, "2026-05-01", 100_000_000)}},
			"2026-06-01", []string{"2026-05-01/100000000"}, "50.0%"},

		// 超标的查封、扣押、冻结 (claim 100,000.00 yuan, ratio 2)
		{"seized 2.01 times the claim", RuleOverSeizure, CaseFacts{Case: baseCase(), Acts: []Act{act(ActSeal, "2026-02-01", 15_000_000), act(ActFreeze, "2026-02-02", 5_100_000)}},
			"2026-06-01", []string{""}, "超过设定的2倍"},
		{"seized exactly twice the claim (near miss)", RuleOverSeizure, CaseFacts{Case: baseCase(), Acts: []Act{act(ActSeal, "2026-02-01", 15_000_000), act(ActFreeze, "2026-02-02", 5_000_000)}},
			"2026-06-01", nil, ""},
		{"a closed case holds nothing any more", RuleOverSeizure, CaseFacts{Case: func() *domain.Case {
			c := baseCase()
			c.ClosedOn, c.ClosingMode = d("2026-05-01"), "执行完毕"
			return c
		}(),
			Acts: []Act{act(ActSeal, "2026-02-01", 50_000_000)}}, "2026-06-01", nil, ""},

		// 流程节点超期 (执行通知 within 3 days of filing; the case within 6 months)
		{"notice late and case overdue", RuleNodeLate, CaseFacts{Case: func() *domain.Case { c := baseCase(); c.Nodes[0].On = d("2026-01-09"); return c }()},
			"2026-07-07", []string{"node:执行通知", "case"}, "晚于期限2026-01-08"},
		// Six months run to Sunday 2026-07-05, moved to Monday the 6th.
		{"everything in time (near miss)", RuleNodeLate, CaseFacts{Case: baseCase()}, "2026-07-06", nil, ""},
		{"an extension keeps the case in time (near miss)", RuleNodeLate, CaseFacts{Case: baseCase(),
			Extensions: []deadline.Extension{{Amount: 3, Unit: deadline.CalendarMonths, ApprovedOn: d("2026-06-30"), Basis: "院长审批表"}}}, "2026-07-07", nil, ""},

		// 扣除期间、延长期限无依据
		{"pause without a basis", RuleLedgerBasis, CaseFacts{Case: baseCase(), Pauses: []deadline.Pause{{Kind: "中止执行", Basis: "无", Start: d("2026-02-01"), End: d("2026-03-01")}}},
			"2026-06-01", []string{"pause:中止执行:2026-02-01"}, "未写明依据"},
		{"appraisal pause with no appraisal", RuleLedgerBasis, CaseFacts{Case: baseCase(), Pauses: []deadline.Pause{{Kind: "审计、评估", Basis: "（2026）鲁0102执1号之一", Start: d("2026-02-01"), End: d("2026-03-01")}},
			Acts: []Act{act(ActAppraisal, "2026-03-02", 1)}}, "2026-06-01", []string{"pause:审计、评估:2026-02-01"}, "期间未见评估行为"},
		{"appraisal pause with its appraisal (near miss)", RuleLedgerBasis, CaseFacts{Case: baseCase(), Pauses: []deadline.Pause{{Kind: "审计、评估", Basis: "委托评估书", Start: d("2026-02-01"), End: d("2026-03-01")}},
			Acts: []Act{act(ActAppraisal, "2026-03-01", 1)}}, "2026-06-01", nil, ""},
		{"extension approved after the limit", RuleLedgerBasis, CaseFacts{Case: baseCase(),
			Extensions: []deadline.Extension{{Amount: 3, Unit: deadline.CalendarMonths, ApprovedOn: d("2026-07-07"), Basis: "院长审批表"}}},
			"2026-08-01", []string{"extension:2026-07-07"}, "原期限已于2026-07-06届满"},
		{"extension approved on the last day (near miss)", RuleLedgerBasis, CaseFacts{Case: baseCase(),
			Extensions: []deadline.Extension{{Amount: 3, Unit: deadline.CalendarMonths, ApprovedOn: d("2026-07-06"), Basis: "院长审批表"}}}, "2026-08-01", nil, ""},
	}
	limits := deadline.DefaultLimits()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := only(tc.rule).Patrol(tc.facts, limits, d(tc.on))
			var subjects []string
			for _, f := range got {
				subjects = append(subjects, f.Subject)
				if f.Rule != tc.rule || f.CaseNo != tc.facts.Case.Number || f.Title == "" || f.Aspect != AspectOf(tc.rule) {
					t.Errorf("finding %+v: wrong rule, case, title or aspect", f)
				}
			}
			if !slices.Equal(subjects, tc.subjects) {
				t.Fatalf("subjects = %q, want %q (findings %+v)", subjects, tc.subjects, got)
			}
			if tc.detail != "" && !strings.Contains(got[0].Detail, tc.detail) {
				t.Errorf("detail %q does not say %q", got[0].Detail, tc.detail)
			}
		})
	}
}

func TestPatrolRuleOff(t *testing.T) {
	table := DefaultPatrolRules()
	facts := CaseFacts{Case: baseCase(), Acts: []Act{act(ActFundsIn, "2026-03-01", 1)}}
	if got := table.Patrol(facts, nil, d("2026-06-01")); len(got) != 1 {
		t.Fatalf("findings = %+v, want the one unpaid receipt", got)
	}
	for i := range table {
		table[i].On = false
	}
	if got := table.Patrol(facts, nil, d("2026-06-01")); len(got) != 0 {
		t.Fatalf("rules off found %+v", got)
	}
}

func TestParsePatrolRules(t *testing.T) {
	in := "\ufeffcode,title,parameters,basis,enabled\n" +
		"# a court's changes\n" +
		"over_seizure,明显超标的查封,ratio=1.5,\"《规定》，本院设定1.5倍\",启用\n" +
		"funds_payout,案款到账后十五日内未发放,days=15,本院规定,启用\n" +
		"node_late,流程节点超期,,本院期限表,停用\n"
	table, err := ParsePatrolRules(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(table) != len(DefaultPatrolRules()) {
		t.Fatalf("table has %d rules, want every built-in one", len(table))
	}
	over, _ := table.Find(RuleOverSeizure)
	funds, _ := table.Find(RuleFundsPayout)
	node, _ := table.Find(RuleNodeLate)
	auction, _ := table.Find(RuleAuctionReserve)
	switch {
	case over.hundredths("ratio") != 150 || over.Title != "明显超标的查封" || over.Basis != "《规定》，本院设定1.5倍":
		t.Errorf("over_seizure = %+v", over)
	case funds.int("days") != 15 || !funds.On:
		t.Errorf("funds_payout = %+v", funds)
	case node.On:
		t.Errorf("node_late should be off: %+v", node)
	case !auction.On || auction.int("percent") != 70:
		t.Errorf("a rule left out should keep its default: %+v", auction)
	}
	// The changed parameter changes what is found: 1.6 times is over 1.5.
	facts := CaseFacts{Case: baseCase(), Acts: []Act{act(ActSeal, "2026-02-01", 16_000_000)}}
	if got := table.Patrol(facts, nil, d("2026-03-01")); len(got) != 1 || got[0].Title != "明显超标的查封" || !strings.Contains(got[0].Detail, "1.5倍") {
		t.Errorf("findings = %+v", got)
	}

	bad := []struct{ in, says string }{
		{"nosuch,x,,y,启用\n", "无法识别"},
		{"funds_payout,x,weeks=2,y,启用\n", "没有参数“weeks”"},
		{"funds_payout,x,days=-1,y,启用\n", "应为正整数"},
		{"over_seizure,x,ratio=1.555,y,启用\n", "最多两位小数"},
		{"funds_payout,x,days=30,y,也许\n", "启用列"},
		{"funds_payout,,days=30,y,启用\n", "缺少规则名称"},
		{"funds_payout,x,days=30,,启用\n", "缺少法律依据"},
		{"funds_payout,x,days=30,a,b,启用\n", "应有5列"},
		{"funds_payout,x,,y,启用\nfunds_payout,x,,y,停用\n", "与第1行重复"},
	}
	for _, b := range bad {
		_, err := ParsePatrolRules(strings.NewReader(b.in))
		if err == nil || !strings.Contains(domain.UserMessage(err), b.says) {
			t.Errorf("ParsePatrolRules(%q) = %v, want an error saying %q", b.in, err, b.says)
		}
	}
}

func TestParseActKind(t *testing.T) {
	for in, want := range map[string]ActKind{"freeze": ActFreeze, "冻结": ActFreeze, "划拨": ActDeduct, "FUNDS_IN": ActFundsIn,
		"约谈申请执行人": ActInterview, "财产调查": ActInvestigation, " 查询 ": ActQuery, "限制高消费": ActRestrictSpending} {
		if got, err := ParseActKind(in); err != nil || got != want {
			t.Errorf("ParseActKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseActKind("喝茶"); err == nil {
		t.Error("an act outside the vocabulary was accepted")
	}
	for _, k := range ActKinds() {
		if got, _ := ParseActKind(k.Label()); got != k {
			t.Errorf("label %q reads as %q", k.Label(), got)
		}
	}
	if err := (Act{Kind: ActFreeze, On: d("2026-01-01")}).Validate(d("2026-01-05")); err == nil {
		t.Error("an act before filing was accepted")
	}
}

func TestNextFinding(t *testing.T) {
	tests := []struct {
		from   FindingState
		ev     FindingEventKind
		reason string
		to     FindingState
		ok     bool
	}{
		{FindingOpen, FindingFound, "", FindingOpen, true},
		{FindingConfirmed, FindingFound, "", FindingConfirmed, true},
		{FindingDismissed, FindingFound, "", FindingDismissed, true},
		{FindingResolved, FindingFound, "", FindingOpen, true},
		{FindingOpen, FindingGone, "", FindingResolved, true},
		{FindingConfirmed, FindingGone, "", FindingResolved, true},
		{FindingDismissed, FindingGone, "", FindingDismissed, true},
		{FindingResolved, FindingGone, "", FindingResolved, true},
		{FindingOpen, FindingConfirm, "", FindingConfirmed, true},
		{FindingOpen, FindingDismiss, "已经院长批准延缓发放", FindingDismissed, true},
		{FindingOpen, FindingDismiss, "  ", FindingOpen, false},
		{FindingConfirmed, FindingDismiss, "理由", FindingConfirmed, false},
		{FindingDismissed, FindingConfirm, "", FindingDismissed, false},
		{FindingResolved, FindingConfirm, "", FindingResolved, false},
	}
	for _, tc := range tests {
		got, err := NextFinding(tc.from, tc.ev, tc.reason)
		if got != tc.to || (err == nil) != tc.ok {
			t.Errorf("NextFinding(%s, %s) = %s, %v; want %s, ok %v", tc.from, tc.ev, got, err, tc.to, tc.ok)
		}
	}
}

func TestFindingActions(t *testing.T) {
	const own, below, beside = "/鲁/鲁01/", "/鲁/鲁01/鲁0102/", "/鲁/鲁02/"
	viewer := func(r domain.Role) domain.Viewer {
		return domain.Viewer{UserID: 1, CourtPath: own, Roles: []domain.Role{r}}
	}
	tests := []struct {
		role  domain.Role
		paths map[string]bool
	}{
		{domain.RoleCommandCenter, map[string]bool{own: true, below: false, beside: false}},
		{domain.RoleBureau, map[string]bool{own: true, below: true, beside: false}},
		{domain.RoleDisciplineGroup, map[string]bool{own: true, below: true, beside: false}},
		{domain.RoleSupervisionOffice, map[string]bool{own: true, below: true, beside: false}},
		{domain.RoleOfficer, map[string]bool{own: false, below: false, beside: false}},
		{domain.RoleDeptHead, map[string]bool{own: false, below: false, beside: false}},
		{domain.RoleAdmin, map[string]bool{own: false, below: false, beside: false}},
	}
	for _, tc := range tests {
		for path, want := range tc.paths {
			v := viewer(tc.role)
			if got := CanSeeFindings(v, path); got != want {
				t.Errorf("%s sees %s: %v, want %v", tc.role, path, got, want)
			}
			acts := FindingActions(FindingOpen, v, path)
			if (len(acts) == 2) != want {
				t.Errorf("%s on an open finding at %s: %v", tc.role, path, acts)
			}
			if got := FindingActions(FindingConfirmed, v, path); got != nil {
				t.Errorf("%s may act on a confirmed finding: %v", tc.role, got)
			}
		}
	}
	if FindingActions(FindingOpen, domain.SystemViewer("test"), own) != nil {
		t.Error("the program itself may confirm a finding")
	}
}

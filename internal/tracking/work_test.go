package tracking

import (
	"errors"
	"slices"
	"testing"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/visit"
)

func TestWorkActions(t *testing.T) {
	const court = "/鲁/鲁01/鲁0102/"
	subj := Subject{CourtPath: court, Officers: []int64{9}, DepartmentID: 5}
	viewer := func(id int64, path string, dept int64, roles ...domain.Role) domain.Viewer {
		return domain.Viewer{UserID: id, CourtPath: path, DepartmentID: dept, Roles: roles}
	}
	bureau := viewer(1, court, 2, domain.RoleBureau)
	group := viewer(2, court, 3, domain.RoleDisciplineGroup)
	above := viewer(3, "/鲁/鲁01/", 7, domain.RoleDisciplineGroup)
	officer := viewer(9, court, 5, domain.RoleOfficer, domain.RoleBureau)
	head := viewer(10, court, 5, domain.RoleDeptHead, domain.RoleBureau)
	member := Membership{Member: true, Role: domain.RoleBureau}
	leader := Membership{Member: true, Leader: true, Role: domain.RoleDisciplineGroup}
	all := []Work{WorkRecord, WorkFinding, WorkInterview, WorkVisit, WorkRecommend}
	for _, c := range []struct {
		name string
		step Step
		v    domain.Viewer
		m    Membership
		want []Work
	}{
		{"bureau member at work", StepTracking, bureau, member, all},
		{"bureau, not a member", StepTracking, bureau, Membership{}, nil},
		{"watchdog leader at work", StepTracking, group, leader, append(slices.Clone(all), WorkHandOff, WorkClose)},
		{"watchdog leader after closing", StepClosed, group, leader, []Work{WorkHandOff}},
		{"bureau member after closing", StepClosed, bureau, member, nil},
		{"before the group", StepTracked, group, leader, nil},
		// Membership cannot make up for secrecy or reach.
		{"the case's officer", StepTracking, officer, member, nil},
		{"the department head", StepTracking, head, member, nil},
		{"a watchdog above", StepTracking, above, leader, nil},
		{"the program", StepTracking, domain.SystemViewer("t"), leader, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := WorkActions(c.step, c.v, subj, c.m)
			if !slices.Equal(got, c.want) {
				t.Fatalf("WorkActions = %v, want %v", got, c.want)
			}
			for _, w := range []Work{WorkRecord, WorkHandOff, WorkClose} {
				err := CheckWork(c.step, c.v, subj, c.m, w)
				if (err == nil) != slices.Contains(c.want, w) {
					t.Fatalf("CheckWork(%s) = %v", w, err)
				}
			}
		})
	}
	if err := CheckWork(StepTracking, officer, subj, member, WorkRecord); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("the officer is told %v, want not found", err)
	}
	if err := CheckWork(StepTracking, bureau, subj, member, WorkClose); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a member closing: %v", err)
	}
	if err := CheckWork(StepClosed, bureau, subj, member, WorkHandOff); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a bureau member handing on: %v", err)
	}
}

func TestRecordValidate(t *testing.T) {
	today, started := domain.MustDate("2026-03-10"), domain.MustDate("2026-03-01")
	ok := Record{On: today, Aspect: AspectDiscipline, Kind: RecordAnalysis, Content: " 小组会商分析 "}
	if err := ok.Validate(today, started); err != nil || ok.Content != "小组会商分析" {
		t.Fatalf("%v %q", err, ok.Content)
	}
	for name, r := range map[string]Record{
		"future":       {On: today.AddDays(1), Aspect: AspectProcess, Kind: RecordProcess, Content: "x"},
		"before group": {On: started.AddDays(-1), Aspect: AspectProcess, Kind: RecordProcess, Content: "x"},
		"no aspect":    {On: today, Kind: RecordProcess, Content: "x"},
		"form kind":    {On: today, Aspect: AspectProcess, Kind: RecordInterview, Content: "x"},
		"empty":        {On: today, Aspect: AspectProcess, Kind: RecordProcess, Content: "  "},
	} {
		if err := r.Validate(today, started); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestNodeFindingsAndDecisions(t *testing.T) {
	tl := []deadline.NodeCheck{
		{Kind: domain.NodeFiling, On: domain.MustDate("2026-01-05")},
		{Kind: domain.NodeNotice, On: domain.MustDate("2026-01-20"), Due: domain.MustDate("2026-01-08"), Late: true},
		{Kind: domain.NodeInvestigation, Due: domain.MustDate("2026-02-05"), Missing: true},
	}
	fs := NodeFindings(tl)
	if len(fs) != 2 || fs[0].Node != domain.NodeNotice || fs[1].Node != domain.NodeInvestigation || !fs[1].Missing {
		t.Fatalf("%+v", fs)
	}
	if fs[0].Title() != "“执行通知”于2026-01-20完成，晚于期限2026-01-08" || fs[1].Title() != "“财产查控”尚未完成，期限已于2026-02-05届满" {
		t.Fatalf("%q %q", fs[0].Title(), fs[1].Title())
	}
	d := FindingDecision{Node: domain.NodeNotice, Decision: DecisionDismiss, Reason: " 送达回证未导入 "}
	if err := d.Validate(fs); err != nil || d.Content(fs[0]) != "排除：“执行通知”于2026-01-20完成，晚于期限2026-01-08。理由：送达回证未导入" {
		t.Fatalf("%v %q", err, d.Content(fs[0]))
	}
	for name, d := range map[string]FindingDecision{
		"dismiss without reason": {Node: domain.NodeNotice, Decision: DecisionDismiss},
		"node not late":          {Node: domain.NodeFiling, Decision: DecisionConfirm},
		"no decision":            {Node: domain.NodeNotice},
	} {
		if err := d.Validate(fs); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := (&FindingDecision{Node: domain.NodeNotice, Decision: DecisionConfirm}).Validate(fs); err != nil {
		t.Fatalf("a confirmation needs no reason: %v", err)
	}
}

func TestInterview(t *testing.T) {
	today := domain.MustDate("2026-03-10")
	no := false
	iv := Interview{On: today, Mode: ModePhone, PartyID: 4, Notes: "当事人称执行员索要财物",
		Answers: visit.Answers{Satisfied: &no, Items: []string{"C3.3", "C1.2"}}}
	if err := iv.Validate(today, domain.Date{}, []int64{3, 4}); err != nil {
		t.Fatal(err)
	}
	if !iv.PointsToViolation() || iv.Aspect() != AspectDiscipline {
		t.Fatalf("category 三 points to a violation: %v %s", iv.PointsToViolation(), iv.Aspect())
	}
	want := "电话询问申请执行人张某。案件是否执行完毕，对案件执行过程是否满意：不满意。反映消极执行：拖延查询被执行人财产信息。反映执行不廉或作风不正：索要当事人财物。当事人称执行员索要财物"
	if got := iv.Summary("申请执行人张某"); got != want {
		t.Fatalf("summary\n%s\nwant\n%s", got, want)
	}
	yes := true
	calm := Interview{On: today, Mode: ModeInPerson, PartyID: 3, Notes: "满意", Answers: visit.Answers{Satisfied: &yes}}
	if err := calm.Validate(today, domain.Date{}, []int64{3}); err != nil || calm.PointsToViolation() || calm.Aspect() != AspectResponse {
		t.Fatalf("%v %s", err, calm.Aspect())
	}
	for name, bad := range map[string]Interview{
		"another case's party": {On: today, Mode: ModePhone, PartyID: 99, Notes: "x", Answers: visit.Answers{Satisfied: &yes}},
		"no mode":              {On: today, PartyID: 3, Notes: "x", Answers: visit.Answers{Satisfied: &yes}},
		"items when satisfied": {On: today, Mode: ModePhone, PartyID: 3, Notes: "x", Answers: visit.Answers{Satisfied: &yes, Items: []string{"C1.1"}}},
		"no notes":             {On: today, Mode: ModePhone, PartyID: 3, Answers: visit.Answers{Satisfied: &yes}},
	} {
		if err := bad.Validate(today, domain.Date{}, []int64{3}); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	o := VisitOrder{PartyID: 3, Reason: "重点案件跟踪"}
	if err := o.Validate([]int64{3}); err != nil {
		t.Fatal(err)
	}
	if err := (&VisitOrder{PartyID: 3}).Validate([]int64{3}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatal("an order without a reason")
	}
}

func TestRecommendationValidate(t *testing.T) {
	today := domain.MustDate("2026-03-10")
	r := Recommendation{Suggestion: oversight.Suggestion{Problem: "案款发放迟延", Improve: "建立案款发放台账", Deadline: today.AddDays(30)}, Aspect: AspectProcess, To: ToBureau, Responsible: 5}
	if err := r.Validate(today); err != nil || r.Responsible != 0 {
		t.Fatalf("%v %d", err, r.Responsible)
	}
	bad := Recommendation{Suggestion: oversight.Suggestion{Problem: "x", Improve: "y", Deadline: today.AddDays(-1)}, To: ToDepartment}
	err := bad.Validate(today)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields["deadline"] == "" || ve.Fields["department"] == "" || ve.Fields["responsible"] == "" || ve.Fields["aspect"] == "" {
		t.Fatalf("%v", err)
	}
}

func TestRecStateAndClosing(t *testing.T) {
	today := domain.MustDate("2026-03-10")
	past, later := today.AddDays(-1), today.AddDays(5)
	for _, c := range []struct {
		due   domain.Date
		items []RecItem
		want  RecState
	}{
		{later, nil, RecOpen},
		{past, nil, RecOverdue},
		{later, []RecItem{{oversight.StateClosed, later}, {oversight.StateProgress, later}}, RecOpen},
		{later, []RecItem{{oversight.StateClosed, past}, {oversight.StateClosed, later}}, RecClosed},
		{later, []RecItem{{oversight.StateSubmitted, past}}, RecOverdue},
	} {
		if got := RecStateOf(c.due, c.items, today); got != c.want {
			t.Errorf("%v %v: %s, want %s", c.due, c.items, got, c.want)
		}
	}
	if b := CloseBlockers(Pending{OpenFindings: 2, ViolationsUnsent: 1}); len(b) != 2 {
		t.Fatal(b)
	}
	if b := CloseBlockers(Pending{}); b != nil {
		t.Fatal(b)
	}
	if !PeriodOver(StepTracking, past, today) || PeriodOver(StepTracking, today, today) || PeriodOver(StepClosed, past, today) {
		t.Fatal("PeriodOver")
	}
	c := Closing{On: today, Summary: "跟踪三个月", Conclusions: "流程总体规范"}
	if err := c.Validate(today, past); err != nil {
		t.Fatal(err)
	}
	if err := (&Closing{On: today}).Validate(today, past); !errors.Is(err, domain.ErrInvalid) {
		t.Fatal("an empty report")
	}
	if Median([]int{9, 1, 5, 3}) != 3 || Median(nil) != 0 || DaysToDecision(domain.MustDate("2026-03-01"), today.Time()) != 9 {
		t.Fatal("median or days")
	}
}

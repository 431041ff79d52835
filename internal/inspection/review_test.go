package inspection

import (
	"slices"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestConflictProblem(t *testing.T) {
	for _, c := range []struct {
		rp, rd, tp, td string
		cross, ok      bool
	}{
		{"/鲁/鲁01/", "执行局", "/鲁/鲁01/鲁0102/", "执行一庭", true, true},
		{"/鲁/鲁01/鲁0102/", "执行二庭", "/鲁/鲁01/鲁0102/", "执行一庭", true, false},
		{"/鲁/鲁01/鲁0102/", "执行二庭", "/鲁/鲁01/鲁0102/", "执行一庭", false, true},
		{"/鲁/鲁01/鲁0102/", "执行一庭", "/鲁/鲁01/鲁0102/", "执行一庭", false, false},
		{"", "", "/鲁/", "", true, false},
	} {
		if got := ConflictProblem(c.rp, c.rd, c.tp, c.td, c.cross) == ""; got != c.ok {
			t.Errorf("%+v: ok %v", c, got)
		}
	}
}

func TestFindingActions(t *testing.T) {
	lead := domain.Viewer{UserID: 1, CourtPath: "/鲁/", Roles: []domain.Role{domain.RoleBureau}}
	watch := domain.Viewer{UserID: 2, CourtPath: "/鲁/", Roles: []domain.Role{domain.RoleDisciplineGroup}}
	off := domain.Viewer{UserID: 9, CourtPath: "/鲁/鲁01/", Roles: []domain.Role{domain.RoleOfficer}}
	members := []Member{{UserID: 1, Body: domain.RoleBureau, Leader: true}, {UserID: 2, Body: domain.RoleDisciplineGroup}}
	due := domain.MustDate("2026-04-08")
	in, after := domain.MustDate("2026-04-08"), domain.MustDate("2026-04-09")
	for _, c := range []struct {
		name  string
		v     domain.Viewer
		state State
		f     FindingFacts
		today domain.Date
		want  []FindingAction
	}{
		{"officer within time", off, StateActive, FindingFacts{State: FindingOpen, Officer: 9, AnswerDue: due}, in, []FindingAction{ActAnswer}},
		{"officer too late", off, StateSummary, FindingFacts{State: FindingOpen, Officer: 9, AnswerDue: due}, after, nil},
		{"leader waits for the answer", lead, StateSummary, FindingFacts{State: FindingOpen, Officer: 9, AnswerDue: due}, in, nil},
		{"leader after the time", lead, StateSummary, FindingFacts{State: FindingOpen, Officer: 9, AnswerDue: due}, after, []FindingAction{ActKeep, ActWithdraw}},
		{"leader, court finding", lead, StateSummary, FindingFacts{State: FindingOpen, AnswerDue: due}, in, []FindingAction{ActKeep, ActWithdraw}},
		{"leader not in 实施", lead, StateActive, FindingFacts{State: FindingAnswered, Officer: 9, AnswerDue: due}, in, nil},
		{"kept: leader rectifies", lead, StateSummary, FindingFacts{State: FindingKept, Officer: 9}, in, []FindingAction{ActRectify}},
		{"kept: watchdog refers", watch, StateSummary, FindingFacts{State: FindingKept, Officer: 9}, in, []FindingAction{ActClue}},
		{"followed", lead, StateSummary, FindingFacts{State: FindingKept, Officer: 9, Followed: true}, in, nil},
	} {
		got := FindingActions(c.v, Access{State: c.state, OrganiserPath: "/鲁/", Members: members}, c.f, c.today)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestTargetActions(t *testing.T) {
	lead := domain.Viewer{UserID: 1, CourtPath: "/鲁/", Roles: []domain.Role{domain.RoleBureau}}
	rev := domain.Viewer{UserID: 2, CourtPath: "/鲁/", Roles: []domain.Role{domain.RoleDisciplineGroup}}
	a := Access{State: StateActive, OrganiserPath: "/鲁/", Members: []Member{{UserID: 1, Leader: true}, {UserID: 2}}}
	for _, c := range []struct {
		name string
		v    domain.Viewer
		t    Target
		want []TargetAction
	}{
		{"leader assigns before the declaration", lead, Target{Reviewer: 2, State: TargetOpen}, []TargetAction{ActAssign}},
		{"reviewer declares first", rev, Target{Reviewer: 2, State: TargetOpen}, []TargetAction{ActDeclare}},
		{"then scores", rev, Target{Reviewer: 2, Declared: true, State: TargetOpen}, []TargetAction{ActScore, ActFinding, ActFile}},
		{"submitted: no rescoring", rev, Target{Reviewer: 2, Declared: true, State: TargetSubmitted, Grade: GradeFail}, []TargetAction{ActFinding, ActFile}},
		{"leader re-checks 不合格", lead, Target{Reviewer: 2, Declared: true, State: TargetSubmitted, Grade: GradeFail}, []TargetAction{ActRecheck}},
		{"not 合格", lead, Target{Reviewer: 2, Declared: true, State: TargetSubmitted, Grade: GradePass}, nil},
	} {
		if got := TargetActions(c.v, a, c.t); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

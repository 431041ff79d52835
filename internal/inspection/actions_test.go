package inspection

import (
	"slices"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestActionsAndSight(t *testing.T) {
	members := []Member{
		{UserID: 1, Name: "甲", CourtPath: "/鲁/鲁01/", Body: domain.RoleBureau, Leader: true},
		{UserID: 2, Name: "乙", CourtPath: "/鲁/鲁01/", Body: domain.RoleDisciplineGroup},
		{UserID: 3, Name: "丙", CourtPath: "/鲁/鲁01/", Body: domain.RoleSupervisionOffice},
	}
	a := Access{State: StatePrep, OrganiserPath: "/鲁/鲁01/", Members: members}
	leader := domain.Viewer{UserID: 1, CourtPath: "/鲁/鲁01/", Roles: []domain.Role{domain.RoleBureau}}
	member := domain.Viewer{UserID: 2, CourtPath: "/鲁/鲁01/", Roles: []domain.Role{domain.RoleDisciplineGroup}}
	above := domain.Viewer{UserID: 9, CourtPath: "/鲁/", Roles: []domain.Role{domain.RoleSupervisionOffice}}
	below := domain.Viewer{UserID: 8, CourtPath: "/鲁/鲁01/鲁0102/", Roles: []domain.Role{domain.RoleBureau}}
	officer := domain.Viewer{UserID: 7, CourtPath: "/鲁/鲁01/", Roles: []domain.Role{domain.RoleOfficer}}
	beside := domain.Viewer{UserID: 6, CourtPath: "/鲁/鲁02/", Roles: []domain.Role{domain.RoleDisciplineGroup}}

	for _, c := range []struct {
		v    domain.Viewer
		all  bool
		edit bool
	}{{leader, true, true}, {member, true, true}, {above, true, false}, {below, false, false}, {officer, false, false}, {beside, false, false}} {
		if got := SeesAll(c.v, a); got != c.all {
			t.Errorf("viewer %d sees all: %v", c.v.UserID, got)
		}
		if got := CanEdit(c.v, a); got != c.edit {
			t.Errorf("viewer %d edits: %v", c.v.UserID, got)
		}
	}
	if !SeesCourt(below, "/鲁/鲁01/鲁0102/") || SeesCourt(officer, "/鲁/鲁01/") || SeesCourt(below, "/鲁/鲁01/") {
		t.Error("a court's bodies see their own court's findings, nobody else's")
	}
	want := map[State][]Event{StatePrep: {EventStart}, StateActive: {EventSummarize}, StateSummary: {EventRectify, EventFinish},
		StateRectify: {EventFinish}, StateDone: nil}
	for s, evs := range want {
		a.State = s
		if got := Actions(leader, a); !slices.Equal(got, evs) {
			t.Errorf("%s: leader may %v, want %v", s, got, evs)
		}
		if got := Actions(member, a); got != nil {
			t.Errorf("%s: a member moves the campaign: %v", s, got)
		}
	}
	a.State = StateActive
	if !CanReview(member, a, 2) || CanReview(member, a, 3) || CanRecheck(member, a) || !CanRecheck(leader, a) {
		t.Error("review rights")
	}
}

func TestGroupProblem(t *testing.T) {
	m := func(id int64, body domain.Role, leader bool) Member {
		return Member{UserID: id, Name: "人", CourtPath: "/鲁/鲁01/", Body: body, Leader: leader}
	}
	ok := []Member{m(1, domain.RoleBureau, true), m(2, domain.RoleDisciplineGroup, false), m(3, domain.RoleSupervisionOffice, false)}
	if p := GroupProblem(ok, "/鲁/鲁01/"); p != "" {
		t.Fatal(p)
	}
	if p := GroupProblem(ok[:2], "/鲁/鲁01/"); p == "" {
		t.Error("a group without the 监察室")
	}
	if p := GroupProblem(append(ok[1:], m(1, domain.RoleBureau, false)), "/鲁/鲁01/"); p == "" {
		t.Error("a group without a leader")
	}
	if p := GroupProblem(append(ok, m(4, domain.RoleBureau, true)), "/鲁/鲁01/"); p == "" {
		t.Error("two leaders")
	}
	if p := GroupProblem(ok, "/鲁/鲁02/"); p == "" {
		t.Error("members of another court")
	}
	if BodyOf([]domain.Role{domain.RoleCommandCenter}) != domain.RoleBureau || BodyOf([]domain.Role{domain.RoleOfficer}) != "" {
		t.Error("BodyOf")
	}
}

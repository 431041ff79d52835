package trip

import (
	"errors"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestCheck(t *testing.T) {
	officer := domain.Viewer{UserID: 1, CourtID: 10, DepartmentID: 100, Roles: []domain.Role{domain.RoleOfficer}}
	head := domain.Viewer{UserID: 2, CourtID: 10, DepartmentID: 100, Roles: []domain.Role{domain.RoleDeptHead}}
	otherHead := domain.Viewer{UserID: 3, CourtID: 10, DepartmentID: 101, Roles: []domain.Role{domain.RoleDeptHead}}
	headOfOwn := domain.Viewer{UserID: 1, CourtID: 10, DepartmentID: 100, Roles: []domain.Role{domain.RoleDeptHead, domain.RoleOfficer}}
	watch := domain.Viewer{UserID: 4, CourtID: 10, Roles: []domain.Role{domain.RoleDisciplineGroup}}
	planned := Subject{OfficerID: 1, CourtID: 10, DepartmentID: 100, Status: StatusPlanned}
	required := planned
	required.RequirementRecorded = true
	reported := planned
	reported.Status = StatusReported
	cancelled := planned
	cancelled.Status = StatusCancelled
	tests := []struct {
		name string
		a    Action
		v    domain.Viewer
		s    Subject
		want error // nil, ErrForbidden or ErrConflict
	}{
		{"head requires", Require, head, planned, nil},
		{"head requires twice", Require, head, required, domain.ErrConflict},
		{"head of another department", Require, otherHead, planned, domain.ErrForbidden},
		{"head of his own trip", Require, headOfOwn, planned, domain.ErrForbidden},
		{"officer requires", Require, officer, planned, domain.ErrForbidden},
		{"requirement of a cancelled trip", Require, head, cancelled, domain.ErrConflict},
		{"officer reports", Report, officer, planned, nil},
		{"officer supplements", Report, officer, reported, nil},
		{"head reports", Report, head, planned, domain.ErrForbidden},
		{"watchdog reports", Report, watch, planned, domain.ErrForbidden},
		{"report of a cancelled trip", Report, officer, cancelled, domain.ErrConflict},
		{"officer cancels", Cancel, officer, planned, nil},
		{"officer cancels a reported trip", Cancel, officer, reported, domain.ErrConflict},
		{"head cancels", Cancel, head, planned, domain.ErrForbidden},
		{"unknown action", Action("x"), officer, planned, domain.ErrForbidden},
	}
	for _, tt := range tests {
		err := Check(tt.a, tt.v, tt.s)
		if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		if err != nil && domain.UserMessage(err) == "" {
			t.Errorf("%s: no message for users", tt.name)
		}
	}
	if CheckAnnex2(officer, 1, true) != nil || !errors.Is(CheckAnnex2(head, 1, true), domain.ErrForbidden) || !errors.Is(CheckAnnex2(officer, 1, false), domain.ErrConflict) {
		t.Error("附件2: its officer, once closed")
	}
}

// TestWhoSees pins, role by role, who sees trips and reviews and whose
// view reaches the courts below: the store and the pages both ask these.
func TestWhoSees(t *testing.T) {
	cases := []struct {
		role                            domain.Role
		see, register, reviews, subtree bool
	}{
		{domain.RoleOfficer, true, true, false, false},
		{domain.RoleDeptHead, true, true, true, false},
		{domain.RoleBureau, true, true, true, true},
		{domain.RoleDisciplineGroup, true, false, true, true},
		{domain.RoleSupervisionOffice, true, false, true, true},
		{domain.RoleCommandCenter, false, false, false, false},
		{domain.RoleAdmin, false, false, false, false},
		{domain.RoleSecurityAdmin, false, false, false, false},
		{domain.RoleAuditor, false, false, false, false},
	}
	for _, c := range cases {
		v := domain.Viewer{Roles: []domain.Role{c.role}}
		got := [4]bool{CanSee(v), CanRegister(v), CanSeeReviews(v), SeesSubtree(v)}
		if want := [4]bool{c.see, c.register, c.reviews, c.subtree}; got != want {
			t.Errorf("%s: see, register, reviews, subtree = %v, want %v", c.role, got, want)
		}
	}
}

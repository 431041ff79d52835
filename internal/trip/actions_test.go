package trip

import (
	"errors"
	"strings"
	"testing"
	"time"

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
	departed := planned
	departed.Departed = true
	notTaken := departed
	notTaken.Status = StatusNotTaken
	bureau := domain.Viewer{UserID: 5, CourtID: 10, DepartmentID: 200, Roles: []domain.Role{domain.RoleBureau}}
	otherBureau := domain.Viewer{UserID: 6, CourtID: 11, Roles: []domain.Role{domain.RoleBureau}}
	// A head's own trip (officer 7 heads department 100) is led by the
	// bureau.
	headsTrip := Subject{OfficerID: 7, CourtID: 10, DepartmentID: 100, Status: StatusPlanned, LeaderRole: domain.RoleBureau}
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
		{"officer cancels after departure", Cancel, officer, departed, domain.ErrConflict},
		{"head marks 未成行 after departure", NotTaken, head, departed, nil},
		{"head marks 未成行 before departure", NotTaken, head, planned, domain.ErrConflict},
		{"officer marks 未成行", NotTaken, officer, departed, domain.ErrForbidden},
		{"head of another department marks 未成行", NotTaken, otherHead, departed, domain.ErrForbidden},
		{"未成行 twice", NotTaken, head, notTaken, domain.ErrConflict},
		{"report of a trip not taken", Report, officer, notTaken, domain.ErrConflict},
		{"bureau requires a head's trip", Require, bureau, headsTrip, nil},
		{"head requires a fellow head's trip", Require, head, headsTrip, domain.ErrForbidden},
		{"another court's bureau requires", Require, otherBureau, headsTrip, domain.ErrForbidden},
		{"bureau requires an officer's trip", Require, bureau, planned, domain.ErrForbidden},
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

// Who handles a review, and how: the trip's leader, by a talk record when
// a complaint found the officer's report untrue or missing; the watchdogs
// conclude.
func TestCheckReview(t *testing.T) {
	officer := domain.Viewer{UserID: 1, CourtID: 10, DepartmentID: 100, Roles: []domain.Role{domain.RoleOfficer}}
	head := domain.Viewer{UserID: 2, CourtID: 10, DepartmentID: 100, Roles: []domain.Role{domain.RoleDeptHead}}
	bureau := domain.Viewer{UserID: 5, CourtID: 10, Roles: []domain.Role{domain.RoleBureau}}
	watch := domain.Viewer{UserID: 4, CourtID: 10, Roles: []domain.Role{domain.RoleDisciplineGroup}}
	yes := ReviewSubject{Trip: Subject{OfficerID: 1, CourtID: 10, DepartmentID: 100}, Reason: "yes"}
	unreported := yes
	unreported.Reason = "unreported"
	handled := yes
	handled.Handled = true
	headsOwn := ReviewSubject{Trip: Subject{OfficerID: 2, CourtID: 10, DepartmentID: 100, LeaderRole: domain.RoleBureau}, Reason: "yes"}
	tests := []struct {
		name string
		a    ReviewAction
		v    domain.Viewer
		s    ReviewSubject
		want error
	}{
		{"head notes", ReviewNote, head, yes, nil},
		{"head talks", ReviewTalk, head, yes, nil},
		{"head notes a complaint", ReviewNote, head, unreported, domain.ErrConflict},
		{"head talks about a complaint", ReviewTalk, head, unreported, nil},
		{"head handles twice", ReviewTalk, head, handled, domain.ErrConflict},
		{"officer handles", ReviewTalk, officer, yes, domain.ErrForbidden},
		{"head handles his own", ReviewNote, head, headsOwn, domain.ErrForbidden},
		{"bureau handles a head's", ReviewNote, bureau, headsOwn, nil},
		{"bureau handles an officer's", ReviewNote, bureau, yes, domain.ErrForbidden},
		{"watchdog concludes", ReviewConclude, watch, yes, nil},
		{"head concludes", ReviewConclude, head, yes, domain.ErrForbidden},
	}
	for _, tt := range tests {
		err := CheckReview(tt.a, tt.v, tt.s)
		if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

// Issue 13 point 10: everyone who travels files his own 附件1; nobody who
// travels leads the trip; a trip someone reported on took place.
func TestCheckTravellers(t *testing.T) {
	officer := domain.Viewer{UserID: 1, CourtID: 10, DepartmentID: 100, Roles: []domain.Role{domain.RoleOfficer}}
	companion := domain.Viewer{UserID: 8, CourtID: 10, DepartmentID: 101, Roles: []domain.Role{domain.RoleOfficer}}
	head := domain.Viewer{UserID: 2, CourtID: 10, DepartmentID: 100, Roles: []domain.Role{domain.RoleDeptHead}}
	watch := domain.Viewer{UserID: 4, CourtID: 10, Roles: []domain.Role{domain.RoleDisciplineGroup}}
	s := Subject{OfficerID: 1, Travellers: []int64{1, 8}, CourtID: 10, DepartmentID: 100, Status: StatusPlanned}
	headAlong := s
	headAlong.Travellers = []int64{1, 2}
	departed := s
	departed.Departed = true
	filed := departed
	filed.AnyReported = true
	early := s
	early.AnyReported = true
	tests := []struct {
		name string
		a    Action
		v    domain.Viewer
		s    Subject
		want error
	}{
		{"companion reports", Report, companion, s, nil},
		{"companion cancels", Cancel, companion, s, domain.ErrForbidden},
		{"head leads", Require, head, s, nil},
		{"head who goes along leads", Require, head, headAlong, domain.ErrForbidden},
		{"未成行 after one report", NotTaken, head, filed, domain.ErrConflict},
		{"未成行 before any report", NotTaken, head, departed, nil},
		{"cancel after one report", Cancel, officer, early, domain.ErrConflict},
	}
	for _, tt := range tests {
		if err := Check(tt.a, tt.v, tt.s); !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	rs := ReviewSubject{Trip: Subject{OfficerID: 1, Travellers: []int64{1, 4}, CourtID: 10}}
	if AllowedReview(ReviewConclude, watch, rs) {
		t.Error("a watchdog concludes a review of a trip he went on")
	}

	r := DefaultRules()
	headT := Traveller{ID: 2, CourtID: 10, DepartmentID: 100, Roles: []domain.Role{domain.RoleDeptHead}}
	otherHead := Traveller{ID: 3, CourtID: 10, DepartmentID: 101, Roles: []domain.Role{domain.RoleDeptHead}}
	if LeaderRoleOf(officer, r, headT) != domain.RoleBureau || LeaderRoleOf(officer, r, otherHead) != domain.RoleDeptHead || LeaderRoleOf(officer, r) != domain.RoleDeptHead {
		t.Error("the leader of a trip a head goes on")
	}
	for name, c := range map[string]struct {
		ts   []Traveller
		want string
	}{
		"ok":            {[]Traveller{{ID: 8, Name: "乙", CourtID: 10, Roles: []domain.Role{domain.RoleOfficer}}}, ""},
		"himself":       {[]Traveller{{ID: 1, Name: "甲", CourtID: 10, Roles: []domain.Role{domain.RoleOfficer}}}, "登记人本人"},
		"another court": {[]Traveller{{ID: 9, Name: "丙", CourtID: 11, Roles: []domain.Role{domain.RoleOfficer}}}, "不是本院在职人员"},
		"disabled":      {[]Traveller{{ID: 9, Name: "丙", CourtID: 10, Disabled: true, Roles: []domain.Role{domain.RoleOfficer}}}, "不是本院在职人员"},
		"no role":       {[]Traveller{{ID: 9, Name: "丙", CourtID: 10, Roles: []domain.Role{domain.RoleAdmin}}}, "不是本院执行人员"},
	} {
		err := CheckTravellers(officer, c.ts)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(domain.UserMessage(err), c.want)) {
			t.Errorf("%s: %v", name, err)
		}
	}
	p := Plan{CaseNumbers: []string{"x"}, Destinations: []string{"110101"}, DepartAt: time.Now(), ReturnAt: time.Now().Add(time.Hour), Task: "x", Travellers: []int64{3, 2, 3}}
	if err := p.Validate(); err != nil || len(p.Travellers) != 2 {
		t.Errorf("travellers chosen twice: %v %v", p.Travellers, err)
	}
	for i := range MaxTravellers + 1 {
		p.Travellers = append(p.Travellers, int64(100+i))
	}
	if err := p.Validate(); field(err) != "travellers" {
		t.Errorf("too many travellers: %v", err)
	}
}

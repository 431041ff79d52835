package visit

import (
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// TestWhoSees pins, role by role, who sees return visits and whose view
// reaches the courts below.
func TestWhoSees(t *testing.T) {
	cases := []struct {
		role         domain.Role
		see, subtree bool
	}{
		{domain.RoleCommandCenter, true, false},
		{domain.RoleBureau, true, true},
		{domain.RoleDisciplineGroup, true, true},
		{domain.RoleSupervisionOffice, true, true},
		{domain.RoleOfficer, false, false},
		{domain.RoleDeptHead, false, false},
		{domain.RoleAdmin, false, false},
		{domain.RoleSecurityAdmin, false, false},
		{domain.RoleAuditor, false, false},
	}
	for _, c := range cases {
		v := domain.Viewer{Roles: []domain.Role{c.role}}
		if got := [2]bool{CanSee(v), SeesSubtree(v)}; got != [2]bool{c.see, c.subtree} {
			t.Errorf("%s: see, subtree = %v, want %v", c.role, got, [2]bool{c.see, c.subtree})
		}
	}
}

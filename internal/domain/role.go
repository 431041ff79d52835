package domain

import "slices"

// Role is what a user may do. The names are part of the operator contract
// (CLI flags, API) and never change; labels are what users read.
type Role string

// The roles of SPEC.md §1, and the three administrators of 三员分立
// (等保2.0 third level, GB/T 22239 §8.1.4): the system administrator
// manages accounts, courts and settings, the security administrator
// grants roles, the security auditor reads the audit trail.
const (
	RoleOfficer           Role = "officer"
	RoleDeptHead          Role = "dept_head"
	RoleCommandCenter     Role = "command_center"
	RoleBureau            Role = "bureau"
	RoleDisciplineGroup   Role = "discipline_group"
	RoleSupervisionOffice Role = "supervision_office"
	RoleAdmin             Role = "admin"
	RoleSecurityAdmin     Role = "security_admin"
	RoleAuditor           Role = "auditor"
)

// Roles lists every role in display order.
var Roles = []Role{RoleOfficer, RoleDeptHead, RoleCommandCenter, RoleBureau, RoleDisciplineGroup, RoleSupervisionOffice,
	RoleAdmin, RoleSecurityAdmin, RoleAuditor}

var roleLabels = map[Role]string{
	RoleOfficer:           "执行干警",
	RoleDeptHead:          "部门负责人",
	RoleCommandCenter:     "执行指挥中心",
	RoleBureau:            "执行局",
	RoleDisciplineGroup:   "派驻纪检监察组",
	RoleSupervisionOffice: "监察室",
	RoleAdmin:             "系统管理员",
	RoleSecurityAdmin:     "安全管理员",
	RoleAuditor:           "安全审计员",
}

// Label returns the Chinese name of the role.
func (r Role) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// ParseRole returns the role named s or an ErrInvalid error.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", Invalid("role", "未知角色："+s)
	}
	return r, nil
}

// IsWatchdog reports whether r is one of the two watchdogs, which see sealed
// records (complaints, clues, dispositions) and the audit trail.
func (r Role) IsWatchdog() bool {
	return r == RoleDisciplineGroup || r == RoleSupervisionOffice
}

// IsAdministrative reports whether r is one of the three administrators of
// 三员分立. An account that holds one holds no other role.
func (r Role) IsAdministrative() bool {
	return r == RoleAdmin || r == RoleSecurityAdmin || r == RoleAuditor
}

// IsBusiness reports whether r gives access to case content. No
// administrative role does (separation of duties, 等保).
func (r Role) IsBusiness() bool { return r.Valid() && !r.IsAdministrative() }

// NeedsApproval reports whether a grant of r takes effect only when a
// second security administrator approves it: the roles that read what the
// watchdogs hold (the watchdogs, the bureau and the command centre, which
// see return-visit answers) and the administrative roles, which control
// accounts and the audit trail.
func (r Role) NeedsApproval() bool {
	switch r {
	case RoleDisciplineGroup, RoleSupervisionOffice, RoleBureau, RoleCommandCenter, RoleAdmin, RoleSecurityAdmin, RoleAuditor:
		return true
	}
	return false
}

// NeedsSecondFactor reports whether holding r requires a second factor
// (TOTP) after the password.
func (r Role) NeedsSecondFactor() bool {
	return r.IsAdministrative() || r.IsWatchdog()
}

// SortRoles orders roles as in Roles and removes duplicates.
func SortRoles(rs []Role) []Role {
	out := make([]Role, 0, len(rs))
	for _, r := range Roles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

// CheckRoleSet refuses a set of roles that breaks 三员分立: an
// administrative role together with any other role.
func CheckRoleSet(rs []Role) error {
	for _, r := range rs {
		if r.IsAdministrative() && len(SortRoles(rs)) > 1 {
			return Invalid("role", r.Label()+"不得与其他角色由同一账户兼任（三员分立）")
		}
	}
	return nil
}

// EffectiveRoles are the roles an account acts with: an account that holds
// an administrative role together with others (made before 三员分立 was
// enforced) acts with its administrative roles only.
func EffectiveRoles(rs []Role) []Role {
	var admin []Role
	for _, r := range rs {
		if r.IsAdministrative() {
			admin = append(admin, r)
		}
	}
	if len(admin) > 0 {
		return SortRoles(admin)
	}
	return SortRoles(rs)
}

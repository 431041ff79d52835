package domain

import "slices"

// Role is what a user may do. The names are part of the operator contract
// (CLI flags, API) and never change; labels are what users read.
type Role string

// The roles of SPEC.md §1.
const (
	RoleOfficer           Role = "officer"
	RoleDeptHead          Role = "dept_head"
	RoleCommandCenter     Role = "command_center"
	RoleBureau            Role = "bureau"
	RoleDisciplineGroup   Role = "discipline_group"
	RoleSupervisionOffice Role = "supervision_office"
	RoleAdmin             Role = "admin"
)

// Roles lists every role in display order.
var Roles = []Role{RoleOfficer, RoleDeptHead, RoleCommandCenter, RoleBureau, RoleDisciplineGroup, RoleSupervisionOffice, RoleAdmin}

var roleLabels = map[Role]string{
	RoleOfficer:           "执行干警",
	RoleDeptHead:          "部门负责人",
	RoleCommandCenter:     "执行指挥中心",
	RoleBureau:            "执行局",
	RoleDisciplineGroup:   "派驻纪检监察组",
	RoleSupervisionOffice: "监察室",
	RoleAdmin:             "系统管理员",
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

// IsBusiness reports whether r gives access to case content. The
// administrator role alone does not (separation of duties, 等保).
func (r Role) IsBusiness() bool { return r.Valid() && r != RoleAdmin }

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

package domain

import (
	"slices"
	"strings"
)

// Viewer is who is asking. Every store read and write takes one, and the
// store filters by it: handlers never build their own scope filters.
type Viewer struct {
	UserID    int64
	Username  string
	Name      string
	CourtID   int64
	CourtCode string
	// CourtPath is the user's court path, "/鲁/鲁01/"; the subtree is every
	// court whose path has it as a prefix.
	CourtPath    string
	DepartmentID int64
	Roles        []Role
	// System marks the program itself (migrations, periodic jobs, the
	// operator's CLI): it sees everything and is recorded as 系统.
	System bool
	// RemoteAddr is where the request came from, for the audit trail.
	RemoteAddr string
}

// SystemViewer is the program acting on its own behalf; via names the
// command or job, for the audit trail.
func SystemViewer(via string) Viewer {
	return Viewer{System: true, Username: "system", Name: "系统", RemoteAddr: via}
}

// ViewerFor returns the viewer of user u, requesting from addr.
func ViewerFor(u *User, addr string) Viewer {
	return Viewer{
		UserID: u.ID, Username: u.Username, Name: u.Name,
		CourtID: u.CourtID, CourtCode: u.CourtCode, CourtPath: u.CourtPath,
		DepartmentID: u.DepartmentID, Roles: EffectiveRoles(slices.Clone(u.Roles)), RemoteAddr: addr,
	}
}

// Has reports whether the viewer holds role r.
func (v Viewer) Has(r Role) bool { return slices.Contains(v.Roles, r) }

// HasAny reports whether the viewer holds any of rs.
func (v Viewer) HasAny(rs ...Role) bool {
	for _, r := range rs {
		if v.Has(r) {
			return true
		}
	}
	return false
}

// IsWatchdog reports whether the viewer is in the 纪检监察组 or the 监察室.
func (v Viewer) IsWatchdog() bool { return v.HasAny(RoleDisciplineGroup, RoleSupervisionOffice) }

// CanAdminister reports whether the viewer manages accounts and courts
// (系统管理员).
func (v Viewer) CanAdminister() bool { return v.System || v.Has(RoleAdmin) }

// CanGrantRoles reports whether the viewer grants and withdraws roles and
// manages the accounts that hold sensitive roles (安全管理员).
func (v Viewer) CanGrantRoles() bool { return v.System || v.Has(RoleSecurityAdmin) }

// ManagesAccounts reports whether the viewer reaches the account pages at
// all: the system administrator or the security administrator.
func (v Viewer) ManagesAccounts() bool { return v.CanAdminister() || v.CanGrantRoles() }

// CanManageAccount reports whether v may change account u — its fields,
// status, lock and password: the system administrator manages the
// ordinary accounts of his court and those below, the security
// administrator every account there (those holding or awaiting a sensitive
// role too). Nobody manages his own account here.
func (v Viewer) CanManageAccount(u *User) bool {
	if v.System {
		return true
	}
	if u.ID == v.UserID || v.CourtPath == "" || !strings.HasPrefix(u.CourtPath, v.CourtPath) {
		return false
	}
	return v.Has(RoleSecurityAdmin) || (v.Has(RoleAdmin) && !u.Sensitive())
}

// CanGrantRolesTo reports whether v may grant, withdraw or approve roles of
// u: a security administrator of u's court or one above, never for himself.
func (v Viewer) CanGrantRolesTo(u *User) bool {
	if v.System {
		return true
	}
	return v.Has(RoleSecurityAdmin) && u.ID != v.UserID && v.CourtPath != "" && strings.HasPrefix(u.CourtPath, v.CourtPath)
}

// CanReadAudit reports whether the viewer may read the audit trail: the
// security auditor and the watchdogs, never the system or security
// administrator (separation of duties).
func (v Viewer) CanReadAudit() bool { return v.System || v.IsWatchdog() || v.Has(RoleAuditor) }

// CanReadCases reports whether the viewer may see case content at all; the
// administrator role alone does not give it.
func (v Viewer) CanReadCases() bool {
	if v.System {
		return true
	}
	for _, r := range v.Roles {
		if r.IsBusiness() {
			return true
		}
	}
	return false
}

// CanImportCases reports whether the viewer brings cases in from the case
// system (files or the API): the bureau and the command centre; which
// courts' cases each may write the store decides per case.
func (v Viewer) CanImportCases() bool { return v.System || v.HasAny(RoleBureau, RoleCommandCenter) }

// CanWriteCases reports whether the viewer may import or change the cases
// of the court at path: the bureau those of its court and the courts below,
// the command centre those of its own court.
func (v Viewer) CanWriteCases(path string) bool {
	if v.System {
		return true
	}
	if v.Has(RoleBureau) && strings.HasPrefix(path, v.CourtPath) {
		return true
	}
	return v.Has(RoleCommandCenter) && path == v.CourtPath
}

// CanEditLedger reports whether the viewer may record pauses and extensions
// of case k's time limit: one who writes its court's cases, while it is open.
func (v Viewer) CanEditLedger(k *Case) bool {
	return v.CanWriteCases(k.CourtPath) && !k.Closed()
}

// CanRevealPhones reports whether the viewer's roles need parties' full
// numbers: the command centre (it makes the return-visit calls), the bureau
// and the watchdogs.
func (v Viewer) CanRevealPhones() bool {
	return v.System || v.HasAny(RoleCommandCenter, RoleBureau, RoleDisciplineGroup, RoleSupervisionOffice)
}

// SeesSubtree reports whether the viewer's scope reaches below its own
// court: a higher court's watchdogs, bureau and administrators see their
// subtree; officers, department heads and the command centre see their own
// court only.
func (v Viewer) SeesSubtree() bool {
	return v.System || v.HasAny(RoleDisciplineGroup, RoleSupervisionOffice, RoleBureau, RoleAdmin, RoleSecurityAdmin, RoleAuditor)
}

// AdminScope returns the court-path prefix an administrator manages: the
// administrator's court and everything below it.
func (v Viewer) AdminScope() string {
	if v.System {
		return "/"
	}
	return v.CourtPath
}

// CanSeeCourt reports whether a court with the given path is in scope for
// the viewer's business roles: its own court, or its subtree for roles that
// see one. Nobody sees sideways or upward.
func (v Viewer) CanSeeCourt(path string) bool {
	if v.System {
		return true
	}
	if v.CourtPath == "" {
		return false
	}
	if path == v.CourtPath {
		return true
	}
	return v.SeesSubtree() && strings.HasPrefix(path, v.CourtPath)
}

// ScopePrefix returns the court-path prefix and whether the match is exact,
// for stores to filter by: ("/鲁/鲁01/", false) means the subtree.
func (v Viewer) ScopePrefix() (prefix string, exact bool) {
	if v.System {
		return "/", false
	}
	return v.CourtPath, !v.SeesSubtree()
}

// Above reports whether the court at upper is above the court at lower
// (paths as stored, "/鲁/鲁01/"): an ancestor, not the court itself.
func Above(upper, lower string) bool {
	return upper != "" && upper != lower && strings.HasPrefix(lower, upper)
}

// CanSupervise reports whether v may mark a case of the court at path as
// supervised (督办): the bureau or the command centre of a court above it.
func (v Viewer) CanSupervise(path string) bool {
	return !v.System && v.HasAny(RoleBureau, RoleCommandCenter) && Above(v.CourtPath, path)
}

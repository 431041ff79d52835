package store

import (
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// caseScope returns the SQL condition (over the alias k for cases) that
// limits cases to what v may see, per SPEC §1: officers their own cases,
// department heads their department's, the command centre its court's,
// the bureau and the watchdogs their court subtree. A viewer with several
// roles sees the union. The administrator role alone sees no case.
func caseScope(v domain.Viewer) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	if !v.CanReadCases() || v.CourtPath == "" {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看案件。")
	}
	var conds []string
	var args []any
	if v.SeesSubtree() {
		conds = append(conds, "k.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')")
		args = append(args, likePrefix(v.CourtPath))
	} else {
		if v.Has(domain.RoleCommandCenter) {
			conds = append(conds, "k.court_id = ?")
			args = append(args, v.CourtID)
		}
		if v.Has(domain.RoleDeptHead) && v.DepartmentID != 0 {
			conds = append(conds, "k.department_id = ?")
			args = append(args, v.DepartmentID)
		}
		if v.HasAny(domain.RoleOfficer, domain.RoleDeptHead) {
			conds = append(conds, "k.officer_id = ?")
			args = append(args, v.UserID)
		}
	}
	if len(conds) == 0 {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看案件。")
	}
	return "(" + strings.Join(conds, " OR ") + ")", args, nil
}

package trip

import "github.com/zhilian/zhilian/internal/domain"

// Trip statuses.
const (
	StatusPlanned   = "planned"
	StatusReturned  = "returned"
	StatusReported  = "reported"
	StatusCancelled = "cancelled"
)

// StatusLabels name the statuses for people.
var StatusLabels = map[string]string{StatusPlanned: "待出发/执行中", StatusReturned: "已返回，待报告", StatusReported: "已报告", StatusCancelled: "已取消"}

// Action is something a person does to a trip.
type Action string

// The actions on a trip.
const (
	// Require is the department head's 办案注意事项和纪律作风要求.
	Require Action = "require"
	// Report is 附件1 after return, or a supplement to it.
	Report Action = "report"
	// Cancel withdraws a trip that did not happen.
	Cancel Action = "cancel"
)

// Subject is what the rules need of a trip to say who may act on it now.
type Subject struct {
	OfficerID    int64
	CourtID      int64
	DepartmentID int64
	Status       string
	// RequirementRecorded is set once the head recorded 有 or 无.
	RequirementRecorded bool
}

// Check says whether v may do a to the trip now: nil, or a domain error
// saying why not (ErrForbidden for who v is, ErrConflict for the trip's
// state). The store asks it inside the changing transaction, and pages
// ask it before they read a form, so that someone who may not act is told
// so whatever he typed.
func Check(a Action, v domain.Viewer, s Subject) error {
	switch a {
	case Require:
		if !v.Has(domain.RoleDeptHead) || v.CourtID != s.CourtID || v.DepartmentID != s.DepartmentID || v.UserID == s.OfficerID {
			return domain.Errorf(domain.ErrForbidden, "纪律要求由外出人员所在部门的负责人提出。")
		}
		if s.RequirementRecorded || s.Status == StatusCancelled {
			return domain.Errorf(domain.ErrConflict, "该外出已登记过纪律要求，或已取消。")
		}
	case Report:
		if v.UserID != s.OfficerID {
			return domain.Errorf(domain.ErrForbidden, "外出执行情况报告单由外出人员本人填写。")
		}
		if s.Status == StatusCancelled {
			return domain.Errorf(domain.ErrConflict, "该外出已取消。")
		}
	case Cancel:
		if v.UserID != s.OfficerID {
			return domain.Errorf(domain.ErrForbidden, "只能取消本人的外出。")
		}
		if s.Status != StatusPlanned && s.Status != StatusReturned {
			return domain.Errorf(domain.ErrConflict, "只能取消尚未报告的外出。")
		}
	default:
		return domain.Errorf(domain.ErrForbidden, "未知操作。")
	}
	return nil
}

// CheckAnnex2 says whether v may file 附件2 for a case: its officer, once
// the case is closed.
func CheckAnnex2(v domain.Viewer, caseOfficerID int64, closed bool) error {
	if v.UserID != caseOfficerID {
		return domain.Errorf(domain.ErrForbidden, "全程廉洁情况报告单由案件承办人填写。")
	}
	if !closed {
		return domain.Errorf(domain.ErrConflict, "案件结案后填写全程廉洁情况报告单。")
	}
	return nil
}

// CanSee reports whether v's roles see trips at all: the officers their
// own, the heads their department's, the bureau and the watchdogs their
// courts'.
func CanSee(v domain.Viewer) bool {
	return v.System || v.HasAny(domain.RoleOfficer, domain.RoleDeptHead, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

// CanRegister reports whether v registers trips of its own: those who go
// out to enforce.
func CanRegister(v domain.Viewer) bool {
	return v.HasAny(domain.RoleOfficer, domain.RoleDeptHead, domain.RoleBureau)
}

// CanSeeReviews reports whether v's roles see reviews of reports (never
// those about v): the heads their department's, the bureau and the
// watchdogs their courts'.
func CanSeeReviews(v domain.Viewer) bool {
	return v.System || v.HasAny(domain.RoleDeptHead, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

// SeesSubtree reports whether v sees the trips and reviews of the courts
// below its own: the bureau and the watchdogs.
func SeesSubtree(v domain.Viewer) bool {
	return v.System || v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

// HeadsDepartment reports whether v answers for its department's trips
// (一岗双责): a department head, who gives the discipline requirements,
// sees the department's trips and reviews and records what was done about
// a review.
func HeadsDepartment(v domain.Viewer) bool {
	return v.Has(domain.RoleDeptHead) && v.DepartmentID != 0
}

// Concluder returns the role in which v concludes reviews of reports — the
// 派驻纪检监察组, else the 监察室 — and false if v concludes none.
func Concluder(v domain.Viewer) (domain.Role, bool) {
	switch {
	case v.Has(domain.RoleDisciplineGroup):
		return domain.RoleDisciplineGroup, true
	case v.Has(domain.RoleSupervisionOffice):
		return domain.RoleSupervisionOffice, true
	}
	return "", false
}

// Allowed reports whether Check lets v do a to the trip now: for pages
// that show a button only where it works.
func Allowed(a Action, v domain.Viewer, s Subject) bool { return Check(a, v, s) == nil }

package trip

import (
	"slices"

	"github.com/zhilian/zhilian/internal/domain"
)

// Trip statuses.
const (
	StatusPlanned   = "planned"
	StatusReturned  = "returned"
	StatusReported  = "reported"
	StatusCancelled = "cancelled"
	// StatusNotTaken is a trip the head marked 未成行 after its departure:
	// it owes no report, and stays in the figures.
	StatusNotTaken = "not_taken"
)

// StatusLabels name the statuses for people.
var StatusLabels = map[string]string{StatusPlanned: "待出发/执行中", StatusReturned: "已返回，待报告", StatusReported: "已报告", StatusCancelled: "已取消",
	StatusNotTaken: "未成行"}

// Action is something a person does to a trip.
type Action string

// The actions on a trip.
const (
	// Require is the department head's 办案注意事项和纪律作风要求.
	Require Action = "require"
	// Report is 附件1 after return, or a supplement to it.
	Report Action = "report"
	// Cancel withdraws, before departure, a trip that will not happen.
	Cancel Action = "cancel"
	// NotTaken is the leader's mark, after departure, that a trip did not
	// happen (未成行).
	NotTaken Action = "not_taken"
)

// Subject is what the rules need of a trip to say who may act on it now.
type Subject struct {
	// OfficerID registered the trip; Travellers are all who go, the
	// officer among them.
	OfficerID    int64
	Travellers   []int64
	CourtID      int64
	DepartmentID int64
	Status       string
	// RequirementRecorded is set once the head recorded 有 or 无.
	RequirementRecorded bool
	// Departed is set once the planned departure has passed.
	Departed bool
	// LeaderRole is who gives the requirement and handles the reviews:
	// the department head, or for a head's own trip the bureau's
	// leadership (Rules.Leadership). Empty is the department head.
	LeaderRole domain.Role
	// AnyReported is set once a traveller filed 附件1: the trip took
	// place.
	AnyReported bool
}

// Travels reports whether user id goes on the trip.
func (s Subject) Travels(id int64) bool {
	return id != 0 && (id == s.OfficerID || slices.Contains(s.Travellers, id))
}

// LeaderRoleOf is the role that leads a trip registered by v with
// travellers: the department head's, unless v heads a department, or a
// head of v's department goes along — nobody gives himself the
// requirement, so a trip its department's head is on is led by the
// leadership, as his own trip is.
func LeaderRoleOf(v domain.Viewer, r Rules, travellers ...Traveller) domain.Role {
	if v.Has(domain.RoleDeptHead) {
		return r.Leader()
	}
	for _, t := range travellers {
		if slices.Contains(t.Roles, domain.RoleDeptHead) && t.CourtID == v.CourtID && t.DepartmentID == v.DepartmentID && v.DepartmentID != 0 {
			return r.Leader()
		}
	}
	return domain.RoleDeptHead
}

// LeaderLabel names who leads a trip led by role, for messages.
func LeaderLabel(role domain.Role) string {
	if role == "" || role == domain.RoleDeptHead {
		return "外出人员所在部门的负责人"
	}
	return "本院" + role.Label() + "领导"
}

// Leads reports whether v leads a trip (gives its requirement, marks it
// 未成行, handles its reviews): never one who goes on it; the department head of
// the trip's department and court, or for a head's own trip a holder of
// the leadership role at the trip's court.
func Leads(v domain.Viewer, s Subject) bool {
	if s.Travels(v.UserID) || v.CourtID != s.CourtID || v.System {
		return false
	}
	if s.LeaderRole == "" || s.LeaderRole == domain.RoleDeptHead {
		return v.Has(domain.RoleDeptHead) && v.DepartmentID == s.DepartmentID
	}
	return v.Has(s.LeaderRole)
}

func owing(status string) bool { return status == StatusPlanned || status == StatusReturned }

// Check says whether v may do a to the trip now: nil, or a domain error
// saying why not (ErrForbidden for who v is, ErrConflict for the trip's
// state). The store asks it inside the changing transaction, and pages
// ask it before they read a form, so that someone who may not act is told
// so whatever he typed.
func Check(a Action, v domain.Viewer, s Subject) error {
	switch a {
	case Require:
		if !Leads(v, s) {
			return domain.Errorf(domain.ErrForbidden, "纪律要求由%s提出。", LeaderLabel(s.LeaderRole))
		}
		if s.RequirementRecorded || s.Status == StatusCancelled || s.Status == StatusNotTaken {
			return domain.Errorf(domain.ErrConflict, "该外出已登记过纪律要求，或已取消、未成行。")
		}
	case Report:
		// Everyone who travels files and signs his own 附件1.
		if !s.Travels(v.UserID) {
			return domain.Errorf(domain.ErrForbidden, "外出执行情况报告单由外出人员本人填写。")
		}
		if s.Status == StatusCancelled || s.Status == StatusNotTaken {
			return domain.Errorf(domain.ErrConflict, "该外出已取消或未成行。")
		}
	case Cancel:
		// After departure a trip is owed a report: cancelling it then
		// would drop it from the lateness and 一岗双责 figures.
		if v.UserID != s.OfficerID {
			return domain.Errorf(domain.ErrForbidden, "只能取消本人的外出。")
		}
		if s.Status != StatusPlanned || s.AnyReported {
			return domain.Errorf(domain.ErrConflict, "只能取消尚未报告的外出。")
		}
		if s.Departed {
			return domain.Errorf(domain.ErrConflict, "已过出发时间的外出不能取消；确未成行的，由%s标记“未成行”。", LeaderLabel(s.LeaderRole))
		}
	case NotTaken:
		if !Leads(v, s) {
			return domain.Errorf(domain.ErrForbidden, "“未成行”由%s标记。", LeaderLabel(s.LeaderRole))
		}
		if !owing(s.Status) || s.AnyReported {
			return domain.Errorf(domain.ErrConflict, "只能标记尚未报告的外出（已有外出人员提交报告单的，说明已成行）。")
		}
		if !s.Departed {
			return domain.Errorf(domain.ErrConflict, "尚未出发的外出由外出人员本人取消。")
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

// ReviewAction is something a person does to a review of a report.
type ReviewAction string

// The actions on a review.
const (
	// Note is the leader's handling in words, of a review opened by a 有
	// or a 未做到.
	ReviewNote ReviewAction = "note"
	// Talk is the leader's 谈话提醒, a record (Talk).
	ReviewTalk ReviewAction = "talk"
	// Conclude is the watchdogs' conclusion.
	ReviewConclude ReviewAction = "conclude"
)

// ReviewSubject is what the rules need of a review to say who may act on
// it now.
type ReviewSubject struct {
	// Trip is the trip's officer, court, department and leader role (of
	// 附件2, the case's officer in his department).
	Trip               Subject
	Reason             string
	Handled, Concluded bool
}

// TalkReasons are the reasons whose handling is a talk reminder on record
// (谈话提醒、批评教育), never words alone: the officer did not report
// truthfully, or did not report at all.
func TalkReasons(reason string) bool { return reason == "contradicted" || reason == "unreported" }

// CheckReview says whether v may do a to a review now: nil, or a domain
// error (ErrForbidden for who v is, ErrConflict for the review's state or
// the wrong kind of handling).
func CheckReview(a ReviewAction, v domain.Viewer, s ReviewSubject) error {
	switch a {
	case ReviewNote, ReviewTalk:
		if !Leads(v, s.Trip) {
			return domain.Errorf(domain.ErrForbidden, "处理情况由%s登记。", LeaderLabel(s.Trip.LeaderRole))
		}
		if s.Handled {
			return domain.Errorf(domain.ErrConflict, "该审查的处理情况已登记。")
		}
		if a == ReviewNote && TalkReasons(s.Reason) {
			return domain.Errorf(domain.ErrConflict, "请登记谈话提醒记录：谈话日期、地点、内容和本人陈述。")
		}
	case ReviewConclude:
		if _, ok := Concluder(v); !ok || s.Trip.Travels(v.UserID) {
			return domain.Errorf(domain.ErrForbidden, "审查结论由派驻纪检监察组或监察室作出。")
		}
		if s.Concluded {
			return domain.Errorf(domain.ErrConflict, "该审查已作出结论。")
		}
	default:
		return domain.Errorf(domain.ErrForbidden, "未知操作。")
	}
	return nil
}

// AllowedReview reports whether CheckReview lets v do a to the review now.
func AllowedReview(a ReviewAction, v domain.Viewer, s ReviewSubject) bool {
	return CheckReview(a, v, s) == nil
}

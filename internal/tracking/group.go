package tracking

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// Member is one member of a working group 工作小组: the user, the body
// that sends him (派员), and whether he leads the group.
type Member struct {
	UserID int64
	Role   domain.Role
	Leader bool
}

// Group is the working group the three bodies form for a tracked case:
// its members, the period it tracks and its plan.
type Group struct {
	Members []Member
	From    domain.Date
	To      domain.Date
	Plan    string
}

// Candidate is what the rules read of a user proposed as a member.
type Candidate struct {
	UserID       int64
	Name         string
	CourtID      int64
	DepartmentID int64
	Roles        []domain.Role
	Disabled     bool
	// Handles is set when the user is or was an officer of the case.
	Handles bool
}

// GroupCase is what the group rules read of the tracked case.
type GroupCase struct {
	CourtID      int64
	DepartmentID int64 // the department handling the case; 0 when unknown
}

// Validate checks the group against the users it names (by id; a member
// missing from users is refused) and the case, from today: each body sends
// at least one member who holds its role at the case's court, exactly one
// member leads, nobody who handles the case or works in its department is
// a member, the period runs forward from no earlier than a year ago, and
// there is a plan. Messages are by form field.
func (g *Group) Validate(users map[int64]Candidate, k GroupCase, today domain.Date) error {
	fe := domain.FieldErrors{}
	leaders := 0
	seen := map[int64]bool{}
	for _, m := range g.Members {
		u, ok := users[m.UserID]
		switch {
		case !ok:
			fe.Add("members", "所选人员不存在")
		case seen[m.UserID]:
			fe.Add("members", u.Name+"重复选择")
		case !slices.Contains(bodies, m.Role):
			fe.Add("members", u.Name+"：派员单位应为执行局、纪检监察组或监察室")
		case u.Disabled:
			fe.Add("members", u.Name+"的账户已停用")
		case u.CourtID != k.CourtID:
			fe.Add("members", u.Name+"不是本院人员")
		case !slices.Contains(u.Roles, m.Role):
			fe.Add("members", fmt.Sprintf("%s不是%s人员，不能由%s派出", u.Name, m.Role.Label(), m.Role.Label()))
		case u.Handles:
			fe.Add("members", u.Name+"承办或曾承办本案，应当回避，不能担任工作小组成员")
		case k.DepartmentID != 0 && u.DepartmentID == k.DepartmentID:
			fe.Add("members", u.Name+"与本案承办部门为同一部门，应当回避，不能担任工作小组成员")
		}
		seen[m.UserID] = true
		if m.Leader {
			leaders++
		}
	}
	for _, r := range bodies {
		if !slices.ContainsFunc(g.Members, func(m Member) bool { return m.Role == r }) {
			fe.Add("members_"+string(r), r.Label()+"应至少派出一名成员")
		}
	}
	switch {
	case leaders == 0:
		fe.Add("leader", "请指定一名组长")
	case leaders > 1:
		fe.Add("leader", "工作小组只能有一名组长")
	}
	switch {
	case g.From.IsZero():
		fe.Add("from", "请填写跟踪期间的起始日期")
	case g.From.Before(today.AddDays(-366)):
		fe.Add("from", "起始日期不能早于一年前")
	}
	switch {
	case g.To.IsZero():
		fe.Add("to", "请填写跟踪期间的截止日期")
	case !g.From.IsZero() && g.To.Before(g.From):
		fe.Add("to", "截止日期不能早于起始日期")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(g.Plan)); {
	case n == 0:
		fe.Add("plan", "请填写跟踪监督工作方案")
	case n > 5000:
		fe.Add("plan", "工作方案不超过5000字")
	}
	return fe.Err()
}

// Leader returns the group's leader, if named.
func (g *Group) Leader() (Member, bool) {
	for _, m := range g.Members {
		if m.Leader {
			return m, true
		}
	}
	return Member{}, false
}

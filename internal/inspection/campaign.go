// Package inspection is mechanism 3 of 鲁高法办〔2021〕8号, special
// inspections (专项督察评查): the bureau, the 派驻纪检监察组 and the 监察室
// form a working group for a special task and run 专项督察, 司法巡查 and
// 案件评查 on a theme; they score what they check against a checklist, find
// problems and require rectification. The package owns the campaign's
// kinds, themes and states, its validation, its checklists and grades, and
// the answer to "may this viewer do this to this campaign now".
package inspection

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// Kind is what a campaign does. The names are stored and never change.
type Kind string

// The kinds of the seed's section 三.
const (
	KindSupervision Kind = "supervision" // 专项督察
	KindPatrol      Kind = "patrol"      // 司法巡查
	KindCaseReview  Kind = "case_review" // 案件评查
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{KindSupervision, KindPatrol, KindCaseReview}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindSupervision:
		return "专项督察"
	case KindPatrol:
		return "司法巡查"
	case KindCaseReview:
		return "案件评查"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Theme is what a campaign looks at: one of the seed's four, or another the
// group names (ThemeOther with a name).
type Theme string

// The seed's themes.
const (
	ThemeCampaign   Theme = "campaign"   // 专项执行行动开展情况
	ThemeSafety     Theme = "safety"     // 平安建设考评情况
	ThemeDiscipline Theme = "discipline" // 执行干警纪律作风情况
	ThemeMoney      Theme = "money"      // 执行案款管理情况
	ThemeOther      Theme = "other"      // another, named by the group
)

// Themes lists the themes in display order.
var Themes = []Theme{ThemeCampaign, ThemeSafety, ThemeDiscipline, ThemeMoney, ThemeOther}

// Label is the theme's Chinese name, the seed's words.
func (t Theme) Label() string {
	switch t {
	case ThemeCampaign:
		return "专项执行行动开展情况"
	case ThemeSafety:
		return "平安建设考评情况"
	case ThemeDiscipline:
		return "执行干警纪律作风情况"
	case ThemeMoney:
		return "执行案款管理情况"
	case ThemeOther:
		return "其他"
	}
	return string(t)
}

// Valid reports whether t is a known theme.
func (t Theme) Valid() bool { return slices.Contains(Themes, t) }

// Bodies are the three bodies that form a working group, in display order:
// the seed's 执行局, 派驻纪检监察组 and 监察室. The command centre is part
// of the bureau, so a member holding that role sits for the bureau.
var Bodies = []domain.Role{domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice}

// BodyOf returns the body a user of roles sits for in a working group:
// the first of the three bodies he holds, the command centre counting as
// the bureau; "" for none.
func BodyOf(roles []domain.Role) domain.Role {
	for _, b := range Bodies {
		if slices.Contains(roles, b) {
			return b
		}
	}
	if slices.Contains(roles, domain.RoleCommandCenter) {
		return domain.RoleBureau
	}
	return ""
}

// Member is one member of a campaign's working group.
type Member struct {
	UserID    int64
	Name      string
	CourtPath string
	Body      domain.Role // one of Bodies
	Leader    bool
}

// Scope is one court (and optionally one of its departments) a campaign
// looks at.
type Scope struct {
	CourtID    int64
	CourtCode  string
	CourtName  string
	CourtPath  string
	Department string // "" for the whole court
}

// Limits of a campaign's texts, in characters.
const (
	MaxTitle = 100
	MaxPlan  = 20000
	MaxName  = 50
)

// Campaign is a campaign as entered: what it does, on what, where, when,
// by whom.
type Campaign struct {
	Kind      Kind
	Theme     Theme
	ThemeName string // the group's name for ThemeOther
	Title     string
	From, To  domain.Date
	Plan      string
	// OrganiserPath is the organising court's path; every court in Scope
	// is it or below it.
	OrganiserPath string
	Scope         []Scope
	Members       []Member
}

// ThemeText is the theme as shown: the seed's words, or the group's name.
func (c *Campaign) ThemeText() string {
	if c.Theme == ThemeOther && c.ThemeName != "" {
		return c.ThemeName
	}
	return c.Theme.Label()
}

// Normalize trims c's texts.
func (c *Campaign) Normalize() {
	c.Title, c.ThemeName, c.Plan = strings.TrimSpace(c.Title), strings.TrimSpace(c.ThemeName), strings.TrimSpace(c.Plan)
}

// Validate checks a campaign (normalised) and returns the errors beside
// their fields.
func (c *Campaign) Validate() error {
	fe := domain.FieldErrors{}
	if !c.Kind.Valid() {
		fe.Add("kind", "请选择督察评查方式")
	}
	if !c.Theme.Valid() {
		fe.Add("theme", "请选择督察评查内容")
	} else if c.Theme == ThemeOther && c.ThemeName == "" {
		fe.Add("theme_name", "请填写督察评查内容")
	}
	if utf8.RuneCountInString(c.ThemeName) > MaxName {
		fe.Add("theme_name", "督察评查内容不超过50字")
	}
	switch n := utf8.RuneCountInString(c.Title); {
	case n == 0:
		fe.Add("title", "请填写名称")
	case n > MaxTitle:
		fe.Add("title", "名称不超过100字")
	}
	switch {
	case c.From.IsZero() || c.To.IsZero():
		fe.Add("period", "请填写督察评查期间")
	case c.To.Before(c.From):
		fe.Add("period", "结束日期不能早于开始日期")
	}
	if utf8.RuneCountInString(c.Plan) > MaxPlan {
		fe.Add("plan", "工作方案不超过20000字")
	}
	if len(c.Scope) == 0 {
		fe.Add("scope", "请选择督察评查的法院")
	}
	for _, s := range c.Scope {
		if !strings.HasPrefix(s.CourtPath, c.OrganiserPath) {
			fe.Add("scope", s.CourtName+"不在本院辖区内")
		}
		if utf8.RuneCountInString(s.Department) > MaxName {
			fe.Add("scope", "部门名称不超过50字")
		}
	}
	if msg := GroupProblem(c.Members, c.OrganiserPath); msg != "" {
		fe.Add("members", msg)
	}
	return fe.Err()
}

// GroupProblem says, in Chinese, what keeps members from being a working
// group of the court at organiser, or "" when they are one: at least one
// member from each body, all of the organising court or above it (a higher
// court may lend a member), and exactly one leader.
func GroupProblem(members []Member, organiser string) string {
	leaders := 0
	seen := map[int64]bool{}
	for _, m := range members {
		if seen[m.UserID] {
			return m.Name + "重复列入工作组"
		}
		seen[m.UserID] = true
		if !slices.Contains(Bodies, m.Body) {
			return m.Name + "不是执行局、纪检监察组或监察室人员"
		}
		if m.CourtPath == "" || !strings.HasPrefix(organiser, m.CourtPath) {
			return m.Name + "不是本院或上级法院人员"
		}
		if m.Leader {
			leaders++
		}
	}
	for _, b := range Bodies {
		if !slices.ContainsFunc(members, func(m Member) bool { return m.Body == b }) {
			return "工作组应当有" + b.Label() + "人员"
		}
	}
	if leaders != 1 {
		return "工作组应当有且只有一名组长"
	}
	return ""
}

// Leader returns the group's leader, or the zero Member.
func Leader(members []Member) Member {
	for _, m := range members {
		if m.Leader {
			return m
		}
	}
	return Member{}
}

// IsMember reports whether user is in members.
func IsMember(members []Member, user int64) bool {
	return user != 0 && slices.ContainsFunc(members, func(m Member) bool { return m.UserID == user })
}

package oversight

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// Kind is what came in: a complaint or report (投诉举报) or a petition (信访).
type Kind string

// The kinds.
const (
	KindComplaint Kind = "complaint" // 投诉举报
	KindPetition  Kind = "petition"  // 信访
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{KindComplaint, KindPetition}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindComplaint:
		return "投诉举报"
	case KindPetition:
		return "信访"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Channel is how a complaint or petition reached the court.
type Channel string

// Channels lists the channels, by their Chinese names, in display order.
var Channels = []Channel{"12368热线", "来信", "来访", "网上", "上级交办", "纪检转办", "回访发现", "督察发现", "其他"}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Level is how high a petition went.
type Level string

// The levels of a petition.
const (
	LevelCourt    Level = "court"    // 本院
	LevelHigher   Level = "higher"   // 上级法院
	LevelProvince Level = "province" // 赴省
	LevelCapital  Level = "capital"  // 进京
)

// Levels lists the levels in ascending order.
var Levels = []Level{LevelCourt, LevelHigher, LevelProvince, LevelCapital}

// Label is the level's Chinese name.
func (l Level) Label() string {
	switch l {
	case LevelCourt:
		return "本院"
	case LevelHigher:
		return "上级法院"
	case LevelProvince:
		return "赴省"
	case LevelCapital:
		return "进京"
	}
	return string(l)
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return slices.Contains(Levels, l) }

// AboveCourt reports whether a petition at l went past the court itself.
func (l Level) AboveCourt() bool { return l.Valid() && l != LevelCourt }

// Lead is a watchdog's assessment of a complaint: whether it holds a
// clear lead (明确线索) to a violation. Empty until assessed.
type Lead string

// The assessments.
const (
	LeadUnassessed Lead = ""
	LeadClear      Lead = "clear"   // 有明确线索
	LeadUnclear    Lead = "unclear" // 无明确线索
)

// Label is the assessment's Chinese name.
func (l Lead) Label() string {
	switch l {
	case LeadClear:
		return "有明确线索"
	case LeadUnclear:
		return "无明确线索"
	}
	return "未评估"
}

// Valid reports whether l is an assessment a watchdog may record.
func (l Lead) Valid() bool { return l == LeadClear || l == LeadUnclear }

// Limits of a complaint's text fields, in characters.
const (
	MaxContent = 5000
	MaxNote    = 1000
	MaxName    = 50
)

// Complaint is a complaint or petition as entered, before the store
// resolves its cases and staff.
type Complaint struct {
	Kind       Kind
	Channel    Channel
	ReceivedOn domain.Date
	PersonName string
	// PersonPhone is a mobile number, sealed when stored.
	PersonPhone string
	CaseNumbers []string
	// Staff names the officers concerned, by username or by name.
	Staff      []string
	Content    string
	Categories []string // 附件3 category codes (visit.Form), "C1".."C4"
	// Level and Repeat (第几次) are a petition's; a complaint has none.
	Level  Level
	Repeat int
}

// Normalize trims c's text and drops empty and repeated entries.
func (c *Complaint) Normalize() {
	c.PersonName = strings.TrimSpace(c.PersonName)
	c.PersonPhone = strings.TrimSpace(c.PersonPhone)
	c.Content = strings.TrimSpace(c.Content)
	c.CaseNumbers = uniqueTrimmed(c.CaseNumbers)
	c.Staff = uniqueTrimmed(c.Staff)
	c.Categories = uniqueTrimmed(c.Categories)
	if c.Kind != KindPetition {
		c.Level, c.Repeat = "", 0
	}
}

func uniqueTrimmed(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks c (normalised) as received by today, one message per
// form field.
func (c *Complaint) Validate(today domain.Date) error {
	fe := domain.FieldErrors{}
	if !c.Kind.Valid() {
		fe.Add("kind", "请选择类别：投诉举报或信访")
	}
	if !c.Channel.Valid() {
		fe.Add("channel", "请选择来源渠道")
	}
	switch {
	case c.ReceivedOn.IsZero():
		fe.Add("received_on", "请填写收到日期")
	case c.ReceivedOn.After(today):
		fe.Add("received_on", "收到日期不能晚于今天")
	}
	if utf8.RuneCountInString(c.PersonName) > MaxName {
		fe.Add("person_name", "姓名过长")
	}
	if c.PersonPhone != "" {
		if _, err := domain.NormalizeMobile(c.PersonPhone); err != nil {
			fe.Add("person_phone", "手机号码格式不正确")
		}
	}
	switch n := utf8.RuneCountInString(c.Content); {
	case n == 0:
		fe.Add("content", "请填写反映的内容")
	case n > MaxContent:
		fe.Add("content", "反映的内容过长")
	}
	for _, code := range c.Categories {
		if _, ok := visit.CategoryByCode(code); !ok {
			fe.Add("categories", "未知的问题类别："+code)
		}
	}
	if c.Kind == KindPetition {
		if !c.Level.Valid() {
			fe.Add("level", "请选择信访的层级")
		}
		if c.Repeat < 1 || c.Repeat > 99 {
			fe.Add("repeat", "请填写第几次信访（1至99）")
		}
	}
	return fe.Err()
}

// Concern is what the secrecy rule reads of a complaint: its court, the
// staff it names and the officers of its cases.
type Concern struct {
	CourtPath string
	Staff     []int64 // users named in it
	Officers  []int64 // officers of its cases
}

// Names reports whether the complaint concerns v: v is named in it or
// handles one of its cases. What the watchdogs hold about an officer is
// never shown to him, whatever roles he holds.
func (c Concern) Names(v domain.Viewer) bool {
	if v.System || v.UserID == 0 {
		return false
	}
	return slices.Contains(c.Staff, v.UserID) || slices.Contains(c.Officers, v.UserID)
}

// SeesComplaints reports whether v's roles reach complaints at all: the
// bureau, the two watchdogs and the command centre.
func SeesComplaints(v domain.Viewer) bool {
	return v.System || v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice, domain.RoleCommandCenter)
}

// SeesCourt reports whether v's roles reach complaints about the court at
// path: the bureau and the watchdogs those of their court and the courts
// below, the command centre (which takes 12368 calls) its own court's.
func SeesCourt(v domain.Viewer, path string) bool {
	if v.System {
		return true
	}
	if v.CourtPath == "" || path == "" {
		return false
	}
	if v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) && strings.HasPrefix(path, v.CourtPath) {
		return true
	}
	return v.Has(domain.RoleCommandCenter) && path == v.CourtPath
}

// CanRegister reports whether v enters complaints about the court at path:
// whoever sees that court's complaints.
func CanRegister(v domain.Viewer, path string) bool { return SeesCourt(v, path) }

// CanSee reports whether v sees complaint c: v's roles reach its court,
// and it does not concern v.
func CanSee(v domain.Viewer, c Concern) bool { return SeesCourt(v, c.CourtPath) && !c.Names(v) }

// CanAssess reports whether v assesses complaint c's lead: a watchdog
// (纪检监察组 or 监察室) of its court or a court above, whom it does not
// concern.
func CanAssess(v domain.Viewer, c Concern) bool {
	if v.System {
		return false
	}
	return v.IsWatchdog() && v.CourtPath != "" && strings.HasPrefix(c.CourtPath, v.CourtPath) && !c.Names(v)
}

// CheckAssessment validates a watchdog's assessment.
func CheckAssessment(l Lead, note string) error {
	fe := domain.FieldErrors{}
	if !l.Valid() {
		fe.Add("lead", "请选择有无明确线索")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(note)); n == 0 {
		fe.Add("note", "请写明评估意见")
	} else if n > MaxNote {
		fe.Add("note", "评估意见过长")
	}
	return fe.Err()
}

// Petition is what the strong-reaction rule reads of one petition about a
// case.
type Petition struct {
	On    domain.Date
	Level Level
}

// StrongRule decides when a case's party reacts strongly (当事人反映
// 强烈), one of mechanism 1's kinds of focused case: Count petitions or
// more within Months months, or (AboveCourt) any petition that went
// above the court.
type StrongRule struct {
	Count      int
	Months     int
	AboveCourt bool
}

// DefaultStrongRule is two petitions in six months, or any above the court.
func DefaultStrongRule() StrongRule { return StrongRule{Count: 2, Months: 6, AboveCourt: true} }

// Validate reports whether the rule can be used.
func (r StrongRule) Validate() error {
	if r.Count < 1 || r.Months < 1 {
		return domain.Invalid("strong_rule", "反映强烈的判定规则须为正数的次数和月数")
	}
	return nil
}

// Strong reports whether the petitions about a case mark it 反映强烈:
// some Count of them fall within Months months of each other (the first
// to the last), or one went above the court.
func (r StrongRule) Strong(ps []Petition) bool {
	var dates []domain.Date
	for _, p := range ps {
		if r.AboveCourt && p.Level.AboveCourt() {
			return true
		}
		if !p.On.IsZero() {
			dates = append(dates, p.On)
		}
	}
	if r.Count < 1 || len(dates) < r.Count {
		return false
	}
	slices.SortFunc(dates, func(a, b domain.Date) int { return a.Time().Compare(b.Time()) })
	for i := 0; i+r.Count-1 < len(dates); i++ {
		if !dates[i+r.Count-1].After(dates[i].AddMonths(r.Months)) {
			return true
		}
	}
	return false
}

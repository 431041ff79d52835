package oversight

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// Source is where a clue (问题线索) came from.
type Source string

// The sources of a clue.
const (
	SourceComplaint Source = "complaint"   // 投诉举报、信访
	SourceVisit     Source = "visit"       // 回访答复（附件3第三类：不廉或作风不正）
	SourceReview    Source = "trip_review" // 外出报告审查
	SourceTracking  Source = "tracking"    // 重点案件跟踪记录
	SourceFinding   Source = "inspection"  // 专项督察评查发现的问题（source_id 为问题）
	SourceOther     Source = "other"
)

// Sources lists the sources in display order.
var Sources = []Source{SourceComplaint, SourceVisit, SourceReview, SourceTracking, SourceFinding, SourceOther}

// Label is the source's Chinese name.
func (s Source) Label() string {
	switch s {
	case SourceComplaint:
		return "投诉举报、信访"
	case SourceVisit:
		return "回访（不廉或作风不正）"
	case SourceReview:
		return "外出报告审查"
	case SourceTracking:
		return "重点案件跟踪"
	case SourceFinding:
		return "专项督察评查发现的问题"
	case SourceOther:
		return "其他"
	}
	return string(s)
}

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return slices.Contains(Sources, s) }

// VisitCategory is the 附件3 category whose answers a clue may come from:
// 反映执行不廉或作风不正.
const VisitCategory = "C3"

// ClueState is where a clue's verification (核查) stands.
type ClueState string

// The states of a clue.
const (
	ClueOpen      ClueState = "open"      // 待核查
	ClueVerifying ClueState = "verifying" // 核查中
	ClueClosed    ClueState = "closed"    // 已办结
)

// ClueStates lists the states in order.
var ClueStates = []ClueState{ClueOpen, ClueVerifying, ClueClosed}

// Label is the state's Chinese name.
func (s ClueState) Label() string {
	switch s {
	case ClueOpen:
		return "待核查"
	case ClueVerifying:
		return "核查中"
	case ClueClosed:
		return "已办结"
	}
	return string(s)
}

// Form is one of the four forms of oversight and discipline (监督执纪
// “四种形态”), 1 to 4; 0 is none (a clue closed for want of evidence).
type Form int

// Forms lists the four forms.
var Forms = []Form{1, 2, 3, 4}

// Valid reports whether f is one of the four forms.
func (f Form) Valid() bool { return f >= 1 && f <= 4 }

// Label is the form's name, 第一种形态 …
func (f Form) Label() string {
	switch f {
	case 1:
		return "第一种形态"
	case 2:
		return "第二种形态"
	case 3:
		return "第三种形态"
	case 4:
		return "第四种形态"
	}
	return "—"
}

// Meaning is what the form covers, as issue 14 states the four forms.
func (f Form) Meaning() string {
	switch f {
	case 1:
		return "批评和自我批评、约谈函询"
	case 2:
		return "党纪轻处分、组织调整"
	case 3:
		return "党纪重处分、重大职务调整"
	case 4:
		return "严重违纪涉嫌违法立案审查"
	}
	return ""
}

// Conclusion is how a clue's verification ends.
type Conclusion string

// The conclusions, in ascending weight.
const (
	NoEvidence  Conclusion = "查无实据了结"
	TalkRemind  Conclusion = "谈话提醒"
	Criticism   Conclusion = "批评教育"
	SelfReview  Conclusion = "责令检查"
	Admonition  Conclusion = "诫勉"
	OrgHandling Conclusion = "组织处理"
	Discipline  Conclusion = "纪律处分"
	Referral    Conclusion = "移送"
)

// Conclusions lists the conclusions in display order.
var Conclusions = []Conclusion{NoEvidence, TalkRemind, Criticism, SelfReview, Admonition, OrgHandling, Discipline, Referral}

// Valid reports whether c is a known conclusion.
func (c Conclusion) Valid() bool { return slices.Contains(Conclusions, c) }

// Forms are the forms a conclusion may carry, the usual one first; none
// for 查无实据了结, which disposes of nobody.
//
// The mapping follows the four forms as 《中国共产党纪律处分条例》 and the
// 监督执纪工作规则 describe them (issue 14 quotes them): 谈话提醒, 批评教育,
// 责令检查 and 诫勉 are the first form's criticism and talks; 组织处理 is an
// organisational adjustment (第二种) unless it is a major change of post
// (重大职务调整, 第三种); 纪律处分 is a light party sanction (警告、严重
// 警告, 第二种) or a heavy one (第三种); 移送 hands a case of serious
// violation suspected of breaking the law to those who investigate it
// (第四种). Where the weight decides, the verifier chooses.
func (c Conclusion) Forms() []Form {
	switch c {
	case TalkRemind, Criticism, SelfReview, Admonition:
		return []Form{1}
	case OrgHandling, Discipline:
		return []Form{2, 3}
	case Referral:
		return []Form{4}
	}
	return nil
}

// Measures are the measures a disposition of each form may take: a list
// the administrator may replace (store.DB.Measures).
type Measures map[Form][]string

// DefaultMeasures are the measures of each form: the first form's
// criticism and talks, the sanctions of the party's rules and the
// organisational measures by weight, and the referral of the fourth.
func DefaultMeasures() Measures {
	return Measures{
		1: {"谈话提醒", "批评教育", "责令检查", "诫勉", "约谈函询", "预警约谈"},
		2: {"警告", "严重警告", "停职检查", "调整职务"},
		3: {"撤销党内职务", "留党察看", "开除党籍", "降职", "免职", "责令辞职"},
		4: {"立案审查", "移送"},
	}
}

// Allows reports whether measure m is on form f's list.
func (ms Measures) Allows(f Form, m string) bool { return slices.Contains(ms[f], m) }

// Limits of a clue's text fields, in characters.
const (
	MaxSummary = 2000
)

// Clue is a clue as a watchdog registers it, before the store resolves
// the persons it concerns.
type Clue struct {
	Source    Source
	SourceID  int64  // the complaint, visit or trip review
	SourceRef string // what an "other" source was
	Persons   []string
	Summary   string
	DueOn     domain.Date // the verification's deadline
}

// Normalize trims c's text.
func (c *Clue) Normalize() {
	c.SourceRef, c.Summary = strings.TrimSpace(c.SourceRef), strings.TrimSpace(c.Summary)
	c.Persons = uniqueTrimmed(c.Persons)
	if c.Source == SourceOther {
		c.SourceID = 0
	} else {
		c.SourceRef = ""
	}
}

// Validate checks c (normalised), registered today.
func (c *Clue) Validate(today domain.Date) error {
	fe := domain.FieldErrors{}
	if !c.Source.Valid() {
		fe.Add("source", "请选择线索来源")
	} else if c.Source == SourceOther {
		if n := utf8.RuneCountInString(c.SourceRef); n == 0 || n > MaxName*4 {
			fe.Add("source_ref", "请写明其他来源（200字以内）")
		}
	} else if c.SourceID <= 0 {
		fe.Add("source_id", "请填写来源记录的编号")
	}
	if len(c.Persons) == 0 {
		fe.Add("persons", "请填写反映对象")
	}
	switch n := utf8.RuneCountInString(c.Summary); {
	case n == 0:
		fe.Add("summary", "请填写线索摘要")
	case n > MaxSummary:
		fe.Add("summary", "线索摘要过长")
	}
	if !c.DueOn.IsZero() && c.DueOn.Before(today) {
		fe.Add("due_on", "核查期限不能早于今天")
	}
	return fe.Err()
}

// ClueConcern is what the secrecy rule reads of a clue: its court and
// the persons it concerns.
type ClueConcern struct {
	CourtPath string
	Persons   []int64
}

// SeesClues reports whether v's roles reach clues at all: the watchdogs
// (纪检监察组、监察室) only.
func SeesClues(v domain.Viewer) bool { return v.System || v.IsWatchdog() }

// CanSeeClue reports whether v sees a clue (or a disposition) c: a
// watchdog of its court or a court above whom it does not concern.
func CanSeeClue(v domain.Viewer, c ClueConcern) bool {
	if v.System {
		return true
	}
	return v.IsWatchdog() && v.CourtPath != "" && strings.HasPrefix(c.CourtPath, v.CourtPath) &&
		!slices.Contains(c.Persons, v.UserID)
}

// CanRegisterClue reports whether v registers clues about the court at
// path: a watchdog of that court or one above.
func CanRegisterClue(v domain.Viewer, path string) bool {
	return v.System || v.IsWatchdog() && v.CourtPath != "" && strings.HasPrefix(path, v.CourtPath)
}

// ClueAction is something done to a clue.
type ClueAction string

// The actions on a clue.
const (
	ActAssign   ClueAction = "assign"
	ActStep     ClueAction = "step"
	ActConclude ClueAction = "conclude"
)

// ClueActions are what v may do to a clue in state s that v may see:
// any watchdog who sees it (re)assigns it until it is closed; its
// verifier records steps and, once a step is on record, concludes.
func ClueActions(s ClueState, verifier bool) []ClueAction {
	switch s {
	case ClueOpen:
		if verifier {
			return []ClueAction{ActAssign, ActStep}
		}
		return []ClueAction{ActAssign}
	case ClueVerifying:
		if verifier {
			return []ClueAction{ActAssign, ActStep, ActConclude}
		}
		return []ClueAction{ActAssign}
	}
	return nil
}

// NextClueState is where a clue in state s goes after action a; ok is
// false where a is not allowed in s.
func NextClueState(s ClueState, a ClueAction) (ClueState, bool) {
	switch {
	case s == ClueOpen && a == ActAssign, s == ClueVerifying && a == ActAssign:
		return s, true
	case (s == ClueOpen || s == ClueVerifying) && a == ActStep:
		return ClueVerifying, true
	case s == ClueVerifying && a == ActConclude:
		return ClueClosed, true
	}
	return s, false
}

// CheckStep validates a verification step: its date (not in the future)
// and what was done.
func CheckStep(on, today domain.Date, note string) error {
	fe := domain.FieldErrors{}
	switch {
	case on.IsZero():
		fe.Add("step_on", "请填写日期")
	case on.After(today):
		fe.Add("step_on", "日期不能晚于今天")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(note)); n == 0 {
		fe.Add("step_note", "请写明核查工作")
	} else if n > MaxNote {
		fe.Add("step_note", "内容过长")
	}
	return fe.Err()
}

// Verdict is a clue's conclusion as the verifier records it: the
// disposition it creates, for each person concerned, unless it is
// 查无实据了结.
type Verdict struct {
	Conclusion Conclusion
	Form       Form   // one of Conclusion.Forms(); the first if zero
	Measure    string // on the form's list; the conclusion itself if empty and listed
	Basis      string
	DecidedOn  domain.Date
	FollowUpOn domain.Date
}

// Resolve fills v's form and measure where the conclusion decides them
// and validates it against ms.
func (vd *Verdict) Resolve(ms Measures, today domain.Date) error {
	fe := domain.FieldErrors{}
	vd.Basis, vd.Measure = strings.TrimSpace(vd.Basis), strings.TrimSpace(vd.Measure)
	if !vd.Conclusion.Valid() {
		fe.Add("conclusion", "请选择核查结论")
	}
	if n := utf8.RuneCountInString(vd.Basis); n == 0 {
		fe.Add("basis", "请写明核查情况和依据")
	} else if n > MaxContent {
		fe.Add("basis", "内容过长")
	}
	switch {
	case vd.DecidedOn.IsZero():
		fe.Add("decided_on", "请填写办结日期")
	case vd.DecidedOn.After(today):
		fe.Add("decided_on", "办结日期不能晚于今天")
	}
	forms := vd.Conclusion.Forms()
	if vd.Conclusion.Valid() && len(forms) == 0 {
		vd.Form, vd.Measure, vd.FollowUpOn = 0, "", domain.Date{}
		return fe.Err()
	}
	if vd.Form == 0 && len(forms) > 0 {
		vd.Form = forms[0]
	}
	if vd.Conclusion.Valid() && !slices.Contains(forms, vd.Form) {
		fe.Add("form", "该结论不适用所选形态")
	}
	if vd.Measure == "" && ms.Allows(vd.Form, string(vd.Conclusion)) {
		vd.Measure = string(vd.Conclusion)
	}
	if vd.Form.Valid() && !ms.Allows(vd.Form, vd.Measure) {
		fe.Add("measure", "请选择该形态的处置措施")
	}
	if !vd.FollowUpOn.IsZero() && !vd.DecidedOn.IsZero() && vd.FollowUpOn.Before(vd.DecidedOn) {
		fe.Add("follow_up_on", "回访跟进日期不能早于办结日期")
	}
	return fe.Err()
}

// Disposition is a disposition under the four forms as entered directly
// (one from a clue comes from its Verdict).
type Disposition struct {
	Person     string // username or name, of the court or below
	Form       Form
	Measure    string
	Basis      string
	Decider    string // who decided: a body or a person
	DecidedOn  domain.Date
	FollowUpOn domain.Date
}

// Validate checks d against ms.
func (d *Disposition) Validate(ms Measures, today domain.Date) error {
	d.Person, d.Measure, d.Basis, d.Decider = strings.TrimSpace(d.Person), strings.TrimSpace(d.Measure), strings.TrimSpace(d.Basis), strings.TrimSpace(d.Decider)
	fe := domain.FieldErrors{}
	if d.Person == "" {
		fe.Add("person", "请填写处置对象")
	}
	if !d.Form.Valid() {
		fe.Add("form", "请选择形态")
	} else if !ms.Allows(d.Form, d.Measure) {
		fe.Add("measure", "请选择该形态的处置措施")
	}
	if n := utf8.RuneCountInString(d.Basis); n == 0 {
		fe.Add("basis", "请写明依据")
	} else if n > MaxContent {
		fe.Add("basis", "内容过长")
	}
	if n := utf8.RuneCountInString(d.Decider); n == 0 || n > MaxName*2 {
		fe.Add("decider", "请填写决定机关或决定人（100字以内）")
	}
	switch {
	case d.DecidedOn.IsZero():
		fe.Add("decided_on", "请填写决定日期")
	case d.DecidedOn.After(today):
		fe.Add("decided_on", "决定日期不能晚于今天")
	}
	if !d.FollowUpOn.IsZero() && !d.DecidedOn.IsZero() && d.FollowUpOn.Before(d.DecidedOn) {
		fe.Add("follow_up_on", "跟进日期不能早于决定日期")
	}
	return fe.Err()
}

// TalkKind is a first-form talk: 谈话提醒 or 预警约谈.
type TalkKind string

// The kinds of talk.
const (
	TalkReminder TalkKind = "谈话提醒"
	TalkWarning  TalkKind = "预警约谈"
)

// TalkKinds lists the kinds of talk.
var TalkKinds = []TalkKind{TalkReminder, TalkWarning}

// Talk is the record of a 谈话提醒 or 预警约谈 held under a first-form
// disposition.
type Talk struct {
	Kind         TalkKind
	HeldOn       domain.Date
	Place        string
	Participants string
	Content      string
	Statement    string // the person's own account (本人陈述)
	Commitment   string // and what he undertakes (表态承诺)
	FollowUpOn   domain.Date
}

// Validate checks t, held by today.
func (t *Talk) Validate(today domain.Date) error {
	for _, s := range []*string{&t.Place, &t.Participants, &t.Content, &t.Statement, &t.Commitment} {
		*s = strings.TrimSpace(*s)
	}
	fe := domain.FieldErrors{}
	if !slices.Contains(TalkKinds, t.Kind) {
		fe.Add("kind", "请选择谈话提醒或预警约谈")
	}
	switch {
	case t.HeldOn.IsZero():
		fe.Add("held_on", "请填写谈话日期")
	case t.HeldOn.After(today):
		fe.Add("held_on", "谈话日期不能晚于今天")
	}
	for _, f := range []struct{ name, val, msg string }{{"place", t.Place, "请填写地点"}, {"participants", t.Participants, "请填写参加人员"},
		{"content", t.Content, "请填写谈话内容"}} {
		if n := utf8.RuneCountInString(f.val); n == 0 {
			fe.Add(f.name, f.msg)
		} else if n > MaxContent {
			fe.Add(f.name, "内容过长")
		}
	}
	if utf8.RuneCountInString(t.Statement) > MaxContent || utf8.RuneCountInString(t.Commitment) > MaxContent {
		fe.Add("statement", "内容过长")
	}
	if !t.FollowUpOn.IsZero() && !t.HeldOn.IsZero() && t.FollowUpOn.Before(t.HeldOn) {
		fe.Add("follow_up_on", "跟进日期不能早于谈话日期")
	}
	return fe.Err()
}

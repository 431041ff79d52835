package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CaseNo is a parsed case number 案号: （2021）鲁0102执123号 is year 2021,
// court 鲁0102, type 执, serial 123.
type CaseNo struct {
	Year   int
	Court  string
	Type   string
	Serial int
}

// String returns the canonical form, with full-width brackets and
// half-width digits: （2021）鲁0102执123号.
func (c CaseNo) String() string {
	// Appended, not fmt.Sprintf: an import writes one per row.
	var buf [64]byte
	b := append(buf[:0], "（"...)
	b = strconv.AppendInt(b, int64(c.Year), 10)
	b = append(b, "）"...)
	b = append(b, c.Court...)
	b = append(b, c.Type...)
	b = strconv.AppendInt(b, int64(c.Serial), 10)
	return string(append(b, "号"...))
}

// DefaultCaseTypes are the enforcement case type codes; a court can
// configure others.
var DefaultCaseTypes = []string{"执", "执恢", "执保", "执异", "执复", "执监", "执协", "执他"}

// PartyRole is a party's place in the case.
type PartyRole string

// Party roles.
const (
	Applicant  PartyRole = "applicant"  // 申请执行人
	Respondent PartyRole = "respondent" // 被执行人
	Outsider   PartyRole = "outsider"   // 案外人
)

// Label returns the Chinese name of the role.
func (r PartyRole) Label() string {
	switch r {
	case Applicant:
		return "申请执行人"
	case Respondent:
		return "被执行人"
	case Outsider:
		return "案外人"
	}
	return string(r)
}

// Party is a party to a case. Phone is the normalised mobile number in the
// clear, held only in memory: the store keeps it encrypted with a blind
// index beside it.
type Party struct {
	ID    int64
	Role  PartyRole
	Org   bool // an organisation rather than a natural person
	Name  string
	Phone string
	// PhoneMasked is what lists and pages show: 138****5678.
	PhoneMasked string
}

// NodeKind names a process node of enforcement.
type NodeKind string

// Process nodes, in their usual order.
const (
	NodeFiling        NodeKind = "立案"
	NodeNotice        NodeKind = "执行通知"
	NodeInvestigation NodeKind = "财产查控"
	NodeSeizure       NodeKind = "查封扣押冻结"
	NodeAppraisal     NodeKind = "评估"
	NodeAuction       NodeKind = "拍卖变卖"
	NodePayout        NodeKind = "案款发放"
	NodeClosing       NodeKind = "结案"
)

// NodeKinds lists the nodes in their usual order.
var NodeKinds = []NodeKind{NodeFiling, NodeNotice, NodeInvestigation, NodeSeizure, NodeAppraisal, NodeAuction, NodePayout, NodeClosing}

// Node is a process node reached on a date.
type Node struct {
	Kind NodeKind
	On   Date
	Note string
}

// ClosingModes are the usual closing modes 结案方式; imports may carry
// others, which are kept as given.
var ClosingModes = []string{"执行完毕", "终结本次执行程序", "终结执行", "销案", "不予执行", "驳回申请"}

// Case is an enforcement case 执行案件 as the case management system
// knows it, plus what zhilian adds (flags, extensions, pauses).
type Case struct {
	ID        int64
	No        CaseNo
	Number    string // canonical case number, No.String()
	CourtID   int64
	CourtCode string
	CourtName string
	CourtPath string

	FiledOn      Date
	Officer      string // 承办人, as named by the case system
	OfficerID    int64  // the matching user of the court, if any
	Department   string // 承办部门
	DepartmentID int64
	// Amount is 执行标的金额 in fen (0.01 yuan), so that sums are exact.
	Amount int64
	// HasProperty is 有财产可供执行; PropertyKnown is false when the case
	// system did not say.
	HasProperty   bool
	PropertyKnown bool
	// NonLitigation marks 非诉 enforcement, which has a shorter limit.
	NonLitigation bool
	ClosedOn      Date
	ClosingMode   string

	Petition        bool   // 信访
	SupervisedBy    string // court code of the supervising higher court (督办)
	SupervisedSince Date
	SupervisedDoc   string // the supervision's document number (督办文号), when marked on the case page
	SupervisedNote  string
	PublicOpinion   bool // 可能引发舆情
	SocialImpact    bool // 较大社会影响

	// DueOn is the statutory time limit computed from the rules, the
	// approved extensions and the pause ledger; ClockStopped is set while a
	// pause runs, when there is no due date.
	DueOn        Date
	ClockStopped bool

	Parties []Party
	Nodes   []Node

	CreatedAt, UpdatedAt time.Time
}

// Overdue reports whether the case is open past its time limit on today.
func (c *Case) Overdue(today Date) bool {
	return !c.Closed() && !c.ClockStopped && !c.DueOn.IsZero() && c.DueOn.Before(today)
}

// Closed reports whether the case has a closing date.
func (c *Case) Closed() bool { return !c.ClosedOn.IsZero() }

// FormatAmount shows fen as yuan with two decimals: 1234567 → 12,345.67.
func FormatAmount(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	yuan, cents := fen/100, fen%100
	s := fmt.Sprintf("%d", yuan)
	var out []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	res := fmt.Sprintf("%s.%02d", out, cents)
	if neg {
		res = "-" + res
	}
	return res
}

// CaseField names a field of a case that an update may leave out.
type CaseField int

// The fields a partial update keeps when it leaves them out.
const (
	FieldFiledOn CaseField = iota
	FieldOfficer
	FieldDepartment
	FieldAmount
	FieldHasProperty
	FieldNonLitigation
	FieldClosedOn
	FieldClosingMode
	FieldPetition
	FieldSupervisedBy
	FieldSupervisedSince
	FieldPublicOpinion
	FieldSocialImpact
)

// KeepAbsent completes an incoming case c from the stored old: every
// field its source (a file's columns, an API object's keys) did not carry
// keeps the stored value. Parties and nodes are the callers' own: their
// sources say them differently.
func KeepAbsent(old, c *Case, has func(CaseField) bool) {
	keep := func(f CaseField, copy func()) {
		if !has(f) {
			copy()
		}
	}
	keep(FieldFiledOn, func() { c.FiledOn = old.FiledOn })
	keep(FieldOfficer, func() { c.Officer, c.OfficerID = old.Officer, old.OfficerID })
	keep(FieldDepartment, func() { c.Department, c.DepartmentID = old.Department, old.DepartmentID })
	keep(FieldAmount, func() { c.Amount = old.Amount })
	keep(FieldHasProperty, func() { c.HasProperty, c.PropertyKnown = old.HasProperty, old.PropertyKnown })
	keep(FieldNonLitigation, func() { c.NonLitigation = old.NonLitigation })
	keep(FieldClosedOn, func() { c.ClosedOn = old.ClosedOn })
	keep(FieldClosingMode, func() { c.ClosingMode = old.ClosingMode })
	keep(FieldPetition, func() { c.Petition = old.Petition })
	keep(FieldSupervisedBy, func() { c.SupervisedBy = old.SupervisedBy })
	keep(FieldSupervisedSince, func() { c.SupervisedSince = old.SupervisedSince })
	keep(FieldPublicOpinion, func() { c.PublicOpinion = old.PublicOpinion })
	keep(FieldSocialImpact, func() { c.SocialImpact = old.SocialImpact })
}

// Field limits of a case, from whichever edge it comes (file or API): the
// case system's fields are short, and a megabyte in a name is an attack.
const (
	maxNameLen    = 100 // a party's, officer's or department's name
	maxParties    = 100
	maxNodes      = 300
	maxNoteLen    = 500
	maxClosingLen = 32
)

// CheckFilingYear reports whether a case number's year is its filing
// year: （2026）鲁0102执1号 is filed in 2026. A zero number or date is not
// checked here.
func CheckFilingYear(no CaseNo, filed Date) error {
	if no.Year == 0 || filed.IsZero() || no.Year == filed.Year() {
		return nil
	}
	return Invalid("filed_on", fmt.Sprintf("案号年度（%d）与立案日期%s的年份不一致", no.Year, filed))
}

// Validate checks a case before it is written, from whichever edge it
// came: its limits, then what every case must have.
func (c *Case) Validate() error {
	tooLong := func(s string, n int) bool { return len([]rune(s)) > n }
	switch {
	case tooLong(c.Officer, maxNameLen):
		return Invalid("officer", fmt.Sprintf("承办人不超过%d字", maxNameLen))
	case tooLong(c.Department, maxNameLen):
		return Invalid("department", fmt.Sprintf("承办部门不超过%d字", maxNameLen))
	case tooLong(c.ClosingMode, maxClosingLen):
		return Invalid("closing_mode", fmt.Sprintf("结案方式不超过%d字", maxClosingLen))
	case len(c.Parties) > maxParties:
		return Invalid("parties", fmt.Sprintf("当事人不超过%d个", maxParties))
	case len(c.Nodes) > maxNodes:
		return Invalid("nodes", fmt.Sprintf("流程节点不超过%d个", maxNodes))
	}
	for _, p := range c.Parties {
		if tooLong(p.Name, maxNameLen) {
			return Invalid("party", fmt.Sprintf("当事人姓名不超过%d字", maxNameLen))
		}
	}
	for _, n := range c.Nodes {
		if tooLong(string(n.Kind), maxNameLen) || tooLong(n.Note, maxNoteLen) {
			return Invalid("nodes", fmt.Sprintf("流程节点名称不超过%d字，说明不超过%d字", maxNameLen, maxNoteLen))
		}
	}
	switch {
	case c.Number == "":
		return Invalid("case_no", "缺少案号")
	case c.FiledOn.IsZero():
		return Invalid("filed_on", "缺少立案日期")
	case !c.ClosedOn.IsZero() && c.ClosedOn.Before(c.FiledOn):
		return Invalid("closed_on", "结案日期早于立案日期")
	case CheckFilingYear(c.No, c.FiledOn) != nil:
		return CheckFilingYear(c.No, c.FiledOn)
	case c.Amount < 0:
		return Invalid("amount", "执行标的金额不能为负数")
	}
	for _, p := range c.Parties {
		if strings.TrimSpace(p.Name) == "" {
			return Invalid("party", "当事人姓名为空")
		}
	}
	return nil
}

// Supervision is a higher court's 督办 of a case, as its bureau or command
// centre records it on the case page.
type Supervision struct {
	Doc  string // 督办文号
	On   Date   // 督办日期
	Note string
}

// Validate checks a supervision against today.
func (s Supervision) Validate(today Date) error {
	switch {
	case strings.TrimSpace(s.Doc) == "":
		return Invalid("doc", "请填写督办文号")
	case len([]rune(s.Doc)) > 100:
		return Invalid("doc", "督办文号不超过100字")
	case s.On.IsZero():
		return Invalid("on", "请填写督办日期")
	case s.On.After(today):
		return Invalid("on", "督办日期不能晚于今天")
	case len([]rune(s.Note)) > maxNoteLen:
		return Invalid("note", fmt.Sprintf("督办说明不超过%d字", maxNoteLen))
	}
	return nil
}

// Package trip holds the rules of the fourth mechanism, 外出执行情况报告
// (出门讲纪律、回来述廉洁): the wording of 附件1 and 附件2 and the names of
// a trip's statuses and of a review's reasons, whether a destination lies
// outside a court's jurisdiction, the report's due dates in working days,
// the electronic signature's content hash, and which complaint items of
// 附件3 contradict which report items. No I/O.
package trip

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/courts"
	"github.com/zhilian/zhilian/internal/domain"
)

// Item is one 有/无 line of 附件1's 报告内容.
type Item struct {
	Code string
	Text string
}

// Items are the seven lines of 附件1, in the seed's words (section 四(二)
// lists an eighth, 其他需要报告的廉洁自律情况, which 附件1 puts in 说明事项).
var Items = []Item{
	{"T1", "是否与当事人及其诉讼代理人同行、同吃、同住或由其支付、报销交通、餐饮、住宿相关费用；"},
	{"T2", "是否接受有关单位、人员的礼品礼金、土特产、购物卡等财物以及其他形式的服务；"},
	{"T3", "是否违规出入私人会所或其他与执行人员身份不符的场所；"},
	{"T4", "是否存在对执行款要提成、回扣等情形；"},
	{"T5", "是否存在违规使用公车的情形；"},
	{"T6", "是否存在借工作之机要求有关单位、人员处理个人费用、办理个人私事或提出其他与工作无关的要求等谋取私利行为；"},
	{"T7", "是否存在违法执行、行为不规范、言语不文明等情形。"},
}

// The fixed words of the two forms.
const (
	Annex1Title       = "执行工作人员外出执行情况报告单"
	Annex2Title       = "执行工作人员案件执行全程廉洁情况报告单"
	Annex1Attestation = "以上情况真实准确，如有不实，本人愿承担一切责任。"
	Annex2Attestation = "以上报告真实准确，如有不实，本人愿承担一切责任。"
	Annex1Note        = "注：请在“领导提出纪律要求情况”、“报告内容”栏中相应条目“有”“无”内划√；若有其他需要报告的廉洁自律情况请在说明事项中做出说明。"
	Annex2Statement   = "在案件执行过程中，我严格遵守执行工作各项纪律规定，无违反廉洁自律的情况存在。"
	Annex2Note        = "注：请在“报告内容”栏中相应条目“做到”“未作到”□内划√；若未做到，请在说明事项中做出说明。"
	RequirementLine   = "领导提出纪律要求"
)

// ItemText returns the words of item code, or "".
func ItemText(code string) string {
	for _, it := range Items {
		if it.Code == code {
			return it.Text
		}
	}
	return ""
}

// Within reports whether division dest lies wholly inside jurisdiction
// division j: a province (xx0000) holds its prefectures and counties, a
// prefecture (xxxx00) its counties, a county itself.
func Within(dest, j string) bool {
	if len(dest) != 6 || len(j) != 6 {
		return false
	}
	switch {
	case strings.HasSuffix(j, "0000"):
		return dest[:2] == j[:2]
	case strings.HasSuffix(j, "00"):
		return dest[:4] == j[:4] && !strings.HasSuffix(dest, "0000")
	}
	return dest == j
}

// OutOfJurisdiction reports whether a trip to dest leaves the court whose
// jurisdiction is divisions (本法院辖区之外): true unless dest lies wholly
// inside one of them. A court without divisions on record has every trip
// reported.
func OutOfJurisdiction(divisions []string, dest string) bool {
	return !slices.ContainsFunc(divisions, func(j string) bool { return Within(dest, j) })
}

// Answers are a report's 有/无 answers by item code: true is 有.
type Answers map[string]bool

// Validate checks that every item is answered and nothing else.
func (a Answers) Validate() error {
	for _, it := range Items {
		if _, ok := a[it.Code]; !ok {
			return domain.Invalid("answers", "请对报告内容的每一项选择“有”或“无”（第"+it.Code[1:]+"项未选择）")
		}
	}
	for code := range a {
		if ItemText(code) == "" {
			return domain.Invalid("answers", "报告内容中有无法识别的条目")
		}
	}
	return nil
}

// Yes returns the items answered 有, in the form's order.
func (a Answers) Yes() []string {
	var out []string
	for _, it := range Items {
		if a[it.Code] {
			out = append(out, it.Code)
		}
	}
	return out
}

// Signature is an electronic signature: who signed what, when. Hash is
// the SHA-256 of the signed content and the signer and time, so that any
// later change to the record is visible.
type Signature struct {
	SignerID int64
	Signer   string
	At       time.Time
	Hash     string
}

// Sign computes the signature of content by signer at t. content is any
// value with a stable JSON form (structs, maps with string keys).
func Sign(content any, signerID int64, signer string, t time.Time) (Signature, error) {
	s := Signature{SignerID: signerID, Signer: signer, At: t.UTC().Truncate(time.Microsecond)}
	h, err := s.hash(content)
	s.Hash = h
	return s, err
}

// Verify reports whether content is what was signed.
func (s Signature) Verify(content any) bool {
	h, err := s.hash(content)
	return err == nil && h == s.Hash
}

func (s Signature) hash(content any) (string, error) {
	b, err := json.Marshal(struct {
		Content  any    `json:"content"`
		SignerID int64  `json:"signer_id"`
		Signer   string `json:"signer"`
		At       string `json:"at"`
	}{content, s.SignerID, s.Signer, s.At.Format(time.RFC3339Nano)})
	if err != nil {
		return "", fmt.Errorf("signing: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// Calendar is the holiday calendar the due dates count working days in.
type Calendar interface {
	AddWorkdays(d domain.Date, n int) domain.Date
}

// Rules are the deadlines of the mechanism, in working days.
type Rules struct {
	// ReportDays is how many working days after return 附件1 is due.
	ReportDays int
	// EscalateDays is how many working days after the due date a missing
	// report goes to the department head as well.
	EscalateDays int
	// Leadership is the role at the court that gives a department head's
	// own trip its requirement and handles the reviews of his reports
	// (the bureau's leadership); empty is domain.RoleBureau.
	Leadership domain.Role
}

// DefaultRules are 3 working days, then 2 more before the head is told;
// a head's own trip is led by the bureau.
func DefaultRules() Rules {
	return Rules{ReportDays: 3, EscalateDays: 2, Leadership: domain.RoleBureau}
}

// Leader is the leadership role, its default if unset.
func (r Rules) Leader() domain.Role {
	if r.Leadership == "" {
		return domain.RoleBureau
	}
	return r.Leadership
}

// CanLead reports whether role may be the leadership of department
// heads' own trips: a role that sees the court's trips and reviews (the
// bureau, or a watchdog).
func CanLead(role domain.Role) bool {
	return role.Valid() && SeesSubtree(domain.Viewer{Roles: []domain.Role{role}})
}

// Validate checks the rules: the leadership must be a role that sees the
// court's trips and reviews (the bureau, or a watchdog).
func (r Rules) Validate() error {
	if r.ReportDays < 1 || r.ReportDays > 30 || r.EscalateDays < 1 || r.EscalateDays > 30 {
		return fmt.Errorf("trip report deadlines: want 1 to 30 working days, have %d and %d", r.ReportDays, r.EscalateDays)
	}
	if l := r.Leader(); !CanLead(l) {
		return fmt.Errorf("trip leadership %q: want a role that sees the court's trips (bureau, discipline_group, supervision_office)", l)
	}
	return nil
}

// Due returns the date 附件1 is due for a return on returned, and the date
// after which the head is told.
func (r Rules) Due(cal Calendar, returned domain.Date) (due, escalate domain.Date) {
	due = cal.AddWorkdays(returned, r.ReportDays)
	return due, cal.AddWorkdays(due, r.EscalateDays)
}

// Contradiction maps a complaint item of 附件3 to the report items of
// 附件1 that a truthful report would have answered 有.
type Contradiction struct {
	Complaint string   // 附件3 item code, e.g. C3.2
	Items     []string // 附件1 item codes
}

// Contradictions is the mapping the cross-check uses; the page 对照表
// shows it.
var Contradictions = []Contradiction{
	{"C3.1", []string{"T1"}},       // 与当事人存在“三同”问题
	{"C3.2", []string{"T1", "T2"}}, // 接受当事人吃请
	{"C3.3", []string{"T2", "T6"}}, // 索要当事人财物
	{"C3.5", []string{"T7"}},       // 态度生硬、语言粗暴
}

// Contradicted returns the report items answered 无 that the complaint
// items say were 有.
func Contradicted(a Answers, complaints []string) []string {
	var out []string
	for _, c := range Contradictions {
		if !slices.Contains(complaints, c.Complaint) {
			continue
		}
		for _, it := range c.Items {
			if !a[it] && !slices.Contains(out, it) {
				out = append(out, it)
			}
		}
	}
	slices.Sort(out)
	return out
}

// ReviewReasons name why a review was opened: a report that answers 有
// (yes), 附件2 answering 未做到 (annex2), a report a party's complaint
// contradicts (contradicted).
// A complaint about a trip its officer never reported on opens one too
// (unreported).
var ReviewReasons = map[string]string{"yes": "报告单有“有”项", "annex2": "全程廉洁报告“未做到”", "contradicted": "与当事人反映不符（不如实报告）",
	"unreported": "当事人反映问题，外出未报告"}

// Plan is a trip an officer registers before leaving.
type Plan struct {
	CaseNumbers []string // normalised
	// Travellers are the members of the court's staff who go with the
	// registering officer, by user id: each files and signs his own 附件1.
	Travellers []int64
	// Companions name, in words, those who go and are not of the court
	// (其他同行人员（非本院人员）): they file nothing here.
	Companions string
	// Destinations are the GB/T 2260 codes of the county-level divisions
	// the trip goes to, in the order of travel.
	Destinations []string
	DepartAt     time.Time
	ReturnAt     time.Time
	Task         string
}

// Validate checks a plan before it is registered, field by field; it
// trims the task and the companions.
func (p *Plan) Validate() error {
	bad := domain.FieldErrors{}
	if len(p.CaseNumbers) == 0 {
		bad.Add("cases", "请填写外出执行的案件案号")
	}
	if msg := p.checkDestinations(); msg != "" {
		bad.Add("destination", msg)
	}
	if p.DepartAt.IsZero() {
		bad.Add("depart_at", "请填写出发时间")
	}
	if p.ReturnAt.IsZero() {
		bad.Add("return_at", "请填写预计返回时间")
	} else if !p.DepartAt.IsZero() && !p.ReturnAt.After(p.DepartAt) {
		bad.Add("return_at", "返回时间应晚于出发时间")
	}
	p.Task = strings.TrimSpace(p.Task)
	if p.Task == "" || utf8.RuneCountInString(p.Task) > 500 {
		bad.Add("task", "请填写执行的任务（不超过500字）")
	}
	p.Companions = strings.TrimSpace(p.Companions)
	if utf8.RuneCountInString(p.Companions) > 200 {
		bad.Add("companions", "其他同行人员（非本院人员）不超过200字")
	}
	slices.Sort(p.Travellers)
	p.Travellers = slices.Compact(p.Travellers)
	if len(p.Travellers) > MaxTravellers {
		bad.Add("travellers", fmt.Sprintf("本院同行人员不超过%d人", MaxTravellers))
	}
	return bad.Err()
}

// MaxDestinations bounds the places of one trip.
const MaxDestinations = 10

// checkDestinations trims the plan's destinations, drops the empty ones,
// and says what is wrong with the rest, or "".
func (p *Plan) checkDestinations() string {
	var ds []string
	for _, d := range p.Destinations {
		if d = strings.TrimSpace(d); d != "" {
			ds = append(ds, d)
		}
	}
	p.Destinations = ds
	switch {
	case len(ds) == 0:
		return "请从列表中选择目的地（县级行政区划）"
	case len(ds) > MaxDestinations:
		return fmt.Sprintf("一次外出的目的地不超过%d个", MaxDestinations)
	}
	for i, d := range ds {
		if courts.DivisionName(d) == "" {
			return "请从列表中选择目的地（县级行政区划）：“" + d + "”不是有效的行政区划代码"
		}
		if slices.Contains(ds[:i], d) {
			return "目的地“" + courts.DivisionName(d) + "”重复"
		}
	}
	return ""
}

// Destination is one place of a trip, and whether it lies out of the
// court's jurisdiction.
type Destination struct {
	Code string
	Name string
	Out  bool
}

// Place tests each of codes against the court's jurisdiction: the trip
// must be reported when any destination lies outside it (本法院辖区之外).
func Place(divisions, codes []string) (ds []Destination, out bool) {
	for _, c := range codes {
		d := Destination{Code: c, Name: courts.DivisionName(c), Out: OutOfJurisdiction(divisions, c)}
		out = out || d.Out
		ds = append(ds, d)
	}
	return ds, out
}

// PlaceNames names a trip's destinations in one line.
func PlaceNames(ds []Destination) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Name
	}
	return strings.Join(names, "、")
}

// MaxTravellers is how many of the court's staff may go with the
// registering officer on one trip.
const MaxTravellers = 20

// Traveller is a member of the court's staff as the rules need him to
// say whether he may go on a trip and who then leads it.
type Traveller struct {
	ID                    int64
	Name                  string
	CourtID, DepartmentID int64
	Roles                 []domain.Role
	Disabled              bool
}

// CanTravel reports whether a member of staff with roles goes out to
// enforce (and so registers trips, files 附件1 and sees his trips).
func CanTravel(roles []domain.Role) bool {
	return CanRegister(domain.Viewer{Roles: roles})
}

// CheckTravellers checks whom v, registering a trip, takes along: active
// members of v's court who go out to enforce, v not among them.
func CheckTravellers(v domain.Viewer, ts []Traveller) error {
	for _, t := range ts {
		switch {
		case t.ID == v.UserID:
			return domain.Invalid("travellers", "登记人本人即为外出人员，无需选为同行人员")
		case t.CourtID != v.CourtID || t.Disabled:
			return domain.Invalid("travellers", "同行人员"+t.Name+"不是本院在职人员；非本院人员请填写在“其他同行人员（非本院人员）”中")
		case !CanTravel(t.Roles):
			return domain.Invalid("travellers", "同行人员"+t.Name+"不是本院执行人员，无法填写外出执行情况报告单；请联系管理员分配执行人员角色，或填写在“其他同行人员（非本院人员）”中")
		}
	}
	return nil
}

// Annex1Input is a 附件1 as the officer fills it in.
type Annex1Input struct {
	ReturnedOn  domain.Date
	Answers     Answers
	Explanation string
	// Attested is the officer's assent to 以上情况真实准确，如有不实，本人愿
	// 承担一切责任; Supplements names the report this one corrects.
	Attested    bool
	Supplements int64
	// CaseAccounts are 案件执行情况 by case id: what was done on each
	// case of the trip, reported to the head with 附件1.
	CaseAccounts map[int64]string
}

// Case is a case of a trip, as 附件1 names it.
type Case struct {
	ID     int64
	Number string
}

// CaseAccount is 附件1's account of what was done on one case of the
// trip (案件执行情况), as signed.
type CaseAccount struct {
	CaseID int64  `json:"case_id"`
	Number string `json:"number"`
	Text   string `json:"text"`
}

// MaxCaseAccount is how long one case's account may be, in characters.
const MaxCaseAccount = 1000

// Accounts checks the 案件执行情况 of a 附件1 for a trip on cases and
// returns them in the cases' order, trimmed: every case needs one in a
// report, a supplement may leave a case out; none may name a case of
// another trip.
func (in *Annex1Input) Accounts(cases []Case) ([]CaseAccount, error) {
	bad := domain.FieldErrors{}
	var out []CaseAccount
	known := map[int64]bool{}
	for _, c := range cases {
		known[c.ID] = true
		text := strings.TrimSpace(in.CaseAccounts[c.ID])
		field := fmt.Sprintf("case_%d", c.ID)
		switch {
		case text == "" && in.Supplements == 0:
			bad.Add(field, "请填写"+c.Number+"的案件执行情况")
		case utf8.RuneCountInString(text) > MaxCaseAccount:
			bad.Add(field, fmt.Sprintf("%s的案件执行情况不超过%d字", c.Number, MaxCaseAccount))
		case text != "":
			out = append(out, CaseAccount{CaseID: c.ID, Number: c.Number, Text: text})
		}
	}
	for id, text := range in.CaseAccounts {
		if !known[id] && strings.TrimSpace(text) != "" {
			bad.Add("cases", "案件执行情况中有不属于本次外出的案件")
		}
	}
	return out, bad.Err()
}

// Validate checks a 附件1 filed on today, before what needs the trip (the
// return after the departure, the report a supplement corrects); it trims
// the explanation.
func (in *Annex1Input) Validate(today domain.Date) error {
	if err := in.Answers.Validate(); err != nil {
		return err
	}
	if !in.Attested {
		return domain.Invalid("attest", "请确认“"+Annex1Attestation+"”后签名提交")
	}
	in.Explanation = strings.TrimSpace(in.Explanation)
	if utf8.RuneCountInString(in.Explanation) > 2000 {
		return domain.Invalid("explanation", "说明事项不超过2000字")
	}
	if in.ReturnedOn.IsZero() || in.ReturnedOn.After(today) {
		return domain.Invalid("returned_on", "请填写实际返回日期（不晚于今天）")
	}
	return nil
}

// Annex2Input is a 附件2 as the officer fills it in.
type Annex2Input struct {
	Fulfilled   bool
	Explanation string
	Attested    bool
}

// Validate checks a 附件2: signed, and what was not fulfilled explained.
func (in *Annex2Input) Validate() error {
	if !in.Attested {
		return domain.Invalid("attest", "请确认“"+Annex2Attestation+"”后签名提交")
	}
	in.Explanation = strings.TrimSpace(in.Explanation)
	if !in.Fulfilled && in.Explanation == "" {
		return domain.Invalid("explanation", "未做到的，请在说明事项中写明违反的事项")
	}
	if utf8.RuneCountInString(in.Explanation) > 2000 {
		return domain.Invalid("explanation", "说明事项不超过2000字")
	}
	return nil
}

// CheckRequirement checks the head's 办案注意事项和纪律作风要求 (content,
// required when given) and the leader's name, and returns them trimmed.
func CheckRequirement(given bool, content, leader string) (string, string, error) {
	content, leader = strings.TrimSpace(content), strings.TrimSpace(leader)
	if given && content == "" {
		return "", "", domain.Invalid("content", "请填写办案注意事项和纪律作风要求")
	}
	if utf8.RuneCountInString(content) > 1000 || utf8.RuneCountInString(leader) > 50 {
		return "", "", domain.Invalid("content", "内容过长")
	}
	return content, leader, nil
}

// CheckCancelReason checks why a trip is withdrawn, and returns it trimmed.
func CheckCancelReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 200 {
		return "", domain.Invalid("reason", "请填写取消原因（不超过200字）")
	}
	return reason, nil
}

// CheckNotTakenReason checks why a trip did not happen (未成行), and
// returns it trimmed.
func CheckNotTakenReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 200 {
		return "", domain.Invalid("reason", "请填写未成行的原因（不超过200字）")
	}
	return reason, nil
}

// Talk is the leader's 谈话提醒 on a review: when and where it was held,
// what was said, and what the officer said (本人陈述). Oversight counts
// these.
type Talk struct {
	On        domain.Date
	Place     string
	Content   string
	Statement string
}

// Validate checks a talk recorded on today about a review opened on
// opened, field by field; it trims the words.
func (t *Talk) Validate(today, opened domain.Date) error {
	bad := domain.FieldErrors{}
	if t.On.IsZero() || t.On.After(today) || t.On.Before(opened) {
		bad.Add("talk_on", "请填写谈话日期（不早于审查开始之日，不晚于今天）")
	}
	t.Place, t.Content, t.Statement = strings.TrimSpace(t.Place), strings.TrimSpace(t.Content), strings.TrimSpace(t.Statement)
	if t.Place == "" || utf8.RuneCountInString(t.Place) > 100 {
		bad.Add("talk_place", "请填写谈话地点（不超过100字）")
	}
	if t.Content == "" || utf8.RuneCountInString(t.Content) > 1000 {
		bad.Add("talk_content", "请填写谈话内容（不超过1000字）")
	}
	if t.Statement == "" || utf8.RuneCountInString(t.Statement) > 1000 {
		bad.Add("talk_statement", "请填写本人陈述（不超过1000字）")
	}
	return bad.Err()
}

// PastWarning is what to ask before a trip that lies in the past is
// registered — a trip already over, or one that left more than a month
// ago — or "" for a trip of now or to come. Such a trip is taken only when
// the officer confirms it is a late registration (补登): a mistyped year
// (2020 for 2026) must not slip in as a trip never reported.
func PastWarning(depart, ret, now time.Time) string {
	switch {
	case depart.IsZero() || ret.IsZero():
		return ""
	case depart.Before(now.AddDate(0, -1, 0)):
		return "出发时间在一个月以前，请核对年份和日期；如确为补登，请勾选“确认补登”后再提交"
	case ret.Before(now):
		return "本次外出已经结束，请核对日期；如确为补登，请勾选“确认补登”后再提交"
	}
	return ""
}

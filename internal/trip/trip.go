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
}

// DefaultRules are 3 working days, then 2 more before the head is told.
func DefaultRules() Rules { return Rules{ReportDays: 3, EscalateDays: 2} }

// Validate checks the rules.
func (r Rules) Validate() error {
	if r.ReportDays < 1 || r.ReportDays > 30 || r.EscalateDays < 1 || r.EscalateDays > 30 {
		return fmt.Errorf("trip report deadlines: want 1 to 30 working days, have %d and %d", r.ReportDays, r.EscalateDays)
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
var ReviewReasons = map[string]string{"yes": "报告单有“有”项", "annex2": "全程廉洁报告“未做到”", "contradicted": "与当事人反映不符（不如实报告）"}

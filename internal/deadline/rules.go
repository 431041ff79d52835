package deadline

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// Unit is what a period's amount counts.
type Unit int

// Units. The zero Unit is invalid, so a rule read with the unit left out
// is caught.
const (
	CalendarDays Unit = iota + 1
	CalendarMonths
	Workdays
)

// String returns the unit as written in a rules file: 日, 月 or 工作日.
func (u Unit) String() string {
	switch u {
	case CalendarDays:
		return "日"
	case CalendarMonths:
		return "月"
	case Workdays:
		return "工作日"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

func (u Unit) valid() bool { return u >= CalendarDays && u <= Workdays }

// amount writes n of u for people: 10日, 6个月, 5个工作日.
func (u Unit) amount(n int) string {
	switch u {
	case CalendarMonths:
		return fmt.Sprintf("%d个月", n)
	case Workdays:
		return fmt.Sprintf("%d个工作日", n)
	}
	return fmt.Sprintf("%d日", n)
}

// ParseUnit reads 日/天/days, 月/个月/months or 工作日/workdays.
func ParseUnit(s string) (Unit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "日", "天", "day", "days", "calendar_days":
		return CalendarDays, nil
	case "月", "个月", "month", "months", "calendar_months":
		return CalendarMonths, nil
	case "工作日", "个工作日", "workday", "workdays":
		return Workdays, nil
	}
	return 0, domain.Invalid("unit", fmt.Sprintf("期限单位“%s”无法识别，应为“日”“月”或“工作日”", s))
}

// MarshalText writes the unit as String does.
func (u Unit) MarshalText() ([]byte, error) {
	if !u.valid() {
		return nil, fmt.Errorf("marshalling unit %d: %w", int(u), domain.ErrInvalid)
	}
	return []byte(u.String()), nil
}

// UnmarshalText reads what ParseUnit reads.
func (u *Unit) UnmarshalText(b []byte) error {
	v, err := ParseUnit(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// FromFiling is the From of rules that run from filing 立案.
const FromFiling = "立案"

// Rule is one time limit: Amount Units from the event From, on the legal
// Basis quoted for the ledger.
type Rule struct {
	Code, Name string
	Amount     int
	Unit       Unit
	From       string // the event the period runs from: FromFiling or a node kind such as 收到案件材料
	Basis      string // the legal basis, quoted in the ledger
}

// Validate reports what is missing or wrong in r, in Chinese.
func (r Rule) Validate() error {
	fe := domain.FieldErrors{}
	if strings.TrimSpace(r.Code) == "" {
		fe.Add("code", "请填写规则代码。")
	}
	if strings.TrimSpace(r.Name) == "" {
		fe.Add("name", "请填写规则名称。")
	}
	if r.Amount <= 0 {
		fe.Add("amount", "期限长度应为正整数。")
	}
	if !r.Unit.valid() {
		fe.Add("unit", "期限单位应为“日”“月”或“工作日”。")
	}
	if strings.TrimSpace(r.From) == "" {
		fe.Add("from", "请填写起算节点，如“立案”。")
	}
	if strings.TrimSpace(r.Basis) == "" {
		fe.Add("basis", "请填写法律依据。")
	}
	return fe.Err()
}

// FindRule returns the rule with the given code.
func FindRule(rules []Rule, code string) (Rule, bool) {
	for _, r := range rules {
		if r.Code == code {
			return r, true
		}
	}
	return Rule{}, false
}

const (
	basisPeriods = "《最高人民法院关于人民法院办理执行案件若干期限的规定》（法发〔2006〕35号）"
	basisCPL85   = "《中华人民共和国民事诉讼法》第八十五条"
)

// DefaultRules returns the time limits of the SPC's 2006 rules on
// enforcement periods, plus the execution-notice limit of the Civil
// Procedure Law interpretation. Day limits are counted in calendar days,
// as 民事诉讼法第八十五条 counts 日; the 2006 rules do not say 工作日. A
// court that counts otherwise loads its own table with ParseRules.
func DefaultRules() []Rule {
	return []Rule{
		{
			Code: "enforce_property", Name: "有财产可供执行案件执结", Amount: 6, Unit: CalendarMonths, From: FromFiling,
			Basis: basisPeriods + "第一条第一款：被执行人有财产可供执行的案件，一般应当在立案之日起6个月内执结。" +
				"延长须报请本院院长或副院长批准，并在期限届满前5日内提出（同条第二款、第三款）。",
		},
		{
			Code: "enforce_nonlitigation", Name: "非诉执行案件执结", Amount: 3, Unit: CalendarMonths, From: FromFiling,
			Basis: basisPeriods + "第一条第一款：非诉执行案件一般应当在立案之日起3个月内执结。",
		},
		{
			Code: "assign_handler", Name: "确定承办人", Amount: 7, Unit: CalendarDays, From: FromFiling,
			Basis: basisPeriods + "第二条：人民法院应当在立案后7日内确定承办人。",
		},
		{
			Code: "notice_respondent", Name: "向被执行人发出执行通知书", Amount: 3, Unit: CalendarDays, From: "收到案件材料",
			Basis: basisPeriods + "第四条第一款：承办人应当在收到案件材料后3日内向被执行人发出执行通知书。",
		},
		{
			Code: "notice_interpretation", Name: "发出执行通知", Amount: 10, Unit: CalendarDays, From: "收到申请执行书",
			Basis: "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百八十条（2022年修正本条号，请以现行文本核对）：" +
				"人民法院应当在收到申请执行书或者移交执行书后十日内发出执行通知。",
		},
		{
			Code: "request_property_leads", Name: "通知申请执行人提供财产状况或线索", Amount: 3, Unit: CalendarDays, From: "收到案件材料",
			Basis: basisPeriods + "第五条：承办人应当在收到案件材料后3日内通知申请执行人提供被执行人财产状况或财产线索。",
		},
		{
			Code: "verify_property_leads", Name: "查证核实财产线索", Amount: 5, Unit: CalendarDays, From: "提供财产线索",
			Basis: basisPeriods + "第六条第一款：申请执行人提供明确、具体的财产状况或线索的，承办人应当在其提供后5日内进行查证、核实；情况紧急的，应当立即核查。",
		},
		{
			Code: "start_property_investigation", Name: "启动财产调查程序", Amount: 10, Unit: CalendarDays, From: "提出调查申请",
			Basis: basisPeriods + "第六条第二款：申请执行人无法提供或提供确有困难、需人民法院调查的，承办人应当在申请执行人提出调查申请后10日内启动调查程序。",
		},
		{
			Code: "complete_property_investigation", Name: "完成被执行人财产状况调查", Amount: 1, Unit: CalendarMonths, From: "收到案件材料",
			Basis: basisPeriods + "第六条第三款：承办人一般应当在1个月内完成对被执行人收入、银行存款、不动产、车辆等资产状况的调查。" +
				"该款未写明起算点，本表暂按收到案件材料起算，法院可自行配置。",
		},
	}
}

// ParseRules reads a rule table as CSV, one rule a row:
//
//	code,name,amount,unit,from,basis
//	enforce_property,有财产可供执行案件执结,6,月,立案,《…》第一条
//
// A first row starting with "code" or 代码 is a header. Lines starting
// with # are comments. A basis holding ASCII commas may be quoted, or left
// unquoted: fields past the fifth are joined back into it. "filing" in
// from means FromFiling. Every bad row is reported, by line, in one
// ErrInvalid error.
func ParseRules(r io.Reader) ([]Rule, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	var (
		rules    []Rule
		problems []string
		seen     = map[string]int{}
	)
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, fmt.Sprintf("第%d行：格式无法解析", pe.Line))
				break
			}
			return nil, fmt.Errorf("reading rules: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if first && len(rec) > 0 {
			h := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")))
			if h == "code" || h == "代码" || h == "编码" {
				continue
			}
		}
		rule, msg := parseRuleRecord(rec)
		if msg == "" {
			if prev, dup := seen[rule.Code]; dup {
				msg = fmt.Sprintf("规则代码“%s”与第%d行重复", rule.Code, prev)
			}
		}
		if msg != "" {
			problems = append(problems, fmt.Sprintf("第%d行：%s", line, msg))
			continue
		}
		seen[rule.Code] = line
		rules = append(rules, rule)
	}
	if len(problems) > 0 {
		return nil, domain.Invalid("rules", "期限规则有误："+joinProblems(problems))
	}
	return rules, nil
}

func parseRuleRecord(rec []string) (Rule, string) {
	for i := range rec {
		rec[i] = strings.TrimSpace(strings.TrimPrefix(rec[i], "\ufeff"))
	}
	if len(rec) < 6 {
		return Rule{}, fmt.Sprintf("应有6列（代码,名称,期限,单位,起算节点,法律依据），实有%d列", len(rec))
	}
	amount, err := strconv.Atoi(rec[2])
	if err != nil || amount <= 0 {
		return Rule{}, fmt.Sprintf("期限“%s”应为正整数", rec[2])
	}
	unit, err := ParseUnit(rec[3])
	if err != nil {
		return Rule{}, domain.UserMessage(err)
	}
	from := rec[4]
	if strings.EqualFold(from, "filing") {
		from = FromFiling
	}
	rule := Rule{Code: rec[0], Name: rec[1], Amount: amount, Unit: unit, From: from, Basis: strings.Join(rec[5:], ",")}
	switch {
	case rule.Code == "":
		return Rule{}, "缺少规则代码"
	case rule.Name == "":
		return Rule{}, "缺少规则名称"
	case rule.From == "":
		return Rule{}, "缺少起算节点"
	case rule.Basis == "":
		return Rule{}, "缺少法律依据"
	}
	return rule, ""
}

package tracking

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// The codes of the patrol rules 网上巡查规则. What a rule checks is fixed by
// its code; the table sets its title, parameters, basis and whether it runs.
const (
	RuleFundsPayout        = "funds_payout"              // 案款到账后三十日内未发放
	RuleTerminationPrecond = "termination_preconditions" // 终结本次执行程序不符合条件
	RuleAuctionReserve     = "auction_reserve"           // 网络司法拍卖起拍价低于评估价百分之七十
	RuleOverSeizure        = "over_seizure"              // 超标的查封、扣押、冻结
	RuleNodeLate           = "node_late"                 // 流程节点超期
	RuleLedgerBasis        = "ledger_basis"              // 扣除期间、延长期限无依据
)

// PatrolRule is one row of the patrol rule table.
type PatrolRule struct {
	Code   string
	Title  string
	Params map[string]string // name → value, e.g. days → 30
	Basis  string
	On     bool
}

// param is a parameter a rule takes: its default, and whether it is a
// decimal ratio (1.5) rather than a whole number (30).
type param struct {
	name, def string
	ratio     bool
}

// ruleSpecs are the rules the code knows, each with its aspect, its
// parameters and its default row.
var ruleSpecs = []struct {
	aspect Aspect
	params []param
	def    PatrolRule
}{
	{AspectActs, []param{{name: "days", def: "30"}}, PatrolRule{Code: RuleFundsPayout, Title: "案款到账后三十日内未发放",
		Basis: "《最高人民法院关于执行款物管理工作的规定》（法发〔2017〕6号）：执行人员应当在执行款到账之日起三十日内完成执行款的核算、执行费用的结算、通知申请执行人领取和执行款发放等工作；有法定情形需延缓发放的，应经审批。"}},
	{AspectActs, []param{{name: "months", def: "3"}}, PatrolRule{Code: RuleTerminationPrecond, Title: "终结本次执行程序不符合条件",
		Basis: "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》（法〔2016〕373号）第一条：已向被执行人发出执行通知、责令被执行人报告财产；已发出限制消费令；已穷尽财产调查措施；自立案之日起已超过三个月。同一规定要求终本前告知申请执行人并听取其意见（约谈申请执行人）。"}},
	{AspectActs, []param{{name: "percent", def: "70"}}, PatrolRule{Code: RuleAuctionReserve, Title: "网络司法拍卖起拍价低于评估价百分之七十",
		Basis: "《最高人民法院关于人民法院网络司法拍卖若干问题的规定》（法释〔2016〕18号）第十条：起拍价由人民法院参照评估价确定；起拍价不得低于评估价或者市价的百分之七十。"}},
	{AspectActs, []param{{name: "ratio", def: "2", ratio: true}}, PatrolRule{Code: RuleOverSeizure, Title: "超标的查封、扣押、冻结",
		Basis: "《最高人民法院关于人民法院民事执行中查封、扣押、冻结财产的规定》：查封、扣押、冻结被执行人的财产，以其价额足以清偿法律文书确定的债权额及执行费用为限，不得明显超标的额查封、扣押、冻结。倍数由本院设定。"}},
	{AspectProcess, nil, PatrolRule{Code: RuleNodeLate, Title: "流程节点超期",
		Basis: "《最高人民法院关于人民法院办理执行案件若干期限的规定》（法发〔2006〕35号）及本院期限规则表。"}},
	{AspectProcess, nil, PatrolRule{Code: RuleLedgerBasis, Title: "扣除期间、延长期限无依据",
		Basis: "《最高人民法院关于人民法院办理执行案件若干期限的规定》（法发〔2006〕35号）第一条：延长执行期限须报请本院院长或副院长批准，并在期限届满前提出；不计入期限的期间须有裁定、审批等依据。"}},
}

func specOf(code string) (int, bool) {
	for i, s := range ruleSpecs {
		if s.def.Code == code {
			return i, true
		}
	}
	return 0, false
}

// AspectOf returns the aspect a rule's findings watch.
func AspectOf(code string) Aspect {
	if i, ok := specOf(code); ok {
		return ruleSpecs[i].aspect
	}
	return AspectActs
}

// PatrolRules is a patrol rule table.
type PatrolRules []PatrolRule

// DefaultPatrolRules returns the built-in table, every rule on.
func DefaultPatrolRules() PatrolRules {
	out := make(PatrolRules, len(ruleSpecs))
	for i, s := range ruleSpecs {
		r := s.def
		r.On = true
		r.Params = map[string]string{}
		for _, p := range s.params {
			r.Params[p.name] = p.def
		}
		out[i] = r
	}
	return out
}

// Find returns the rule with the given code.
func (t PatrolRules) Find(code string) (PatrolRule, bool) {
	for _, r := range t {
		if r.Code == code {
			return r, true
		}
	}
	return PatrolRule{}, false
}

// int returns a whole-number parameter (checked when the table was read).
func (r PatrolRule) int(name string) int {
	n, _ := strconv.Atoi(r.param(name))
	return n
}

// hundredths returns a ratio parameter in hundredths: 1.5 → 150.
func (r PatrolRule) hundredths(name string) int64 {
	n, _ := parseHundredths(r.param(name))
	return n
}

func (r PatrolRule) param(name string) string {
	if v, ok := r.Params[name]; ok {
		return v
	}
	if i, ok := specOf(r.Code); ok {
		for _, p := range ruleSpecs[i].params {
			if p.name == name {
				return p.def
			}
		}
	}
	return ""
}

// FormatParams writes the parameters as the table's column has them:
// days=30;ratio=1.5.
func (r PatrolRule) FormatParams() string {
	var parts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range r.Params {
			if !yield(k) {
				return
			}
		}
	}) {
		parts = append(parts, k+"="+r.Params[k])
	}
	return strings.Join(parts, ";")
}

// parseHundredths reads a positive decimal with at most two places.
func parseHundredths(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if len(frac) > 2 || whole == "" {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n <= 0 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}

// ParsePatrolRules reads a patrol rule table as CSV, one rule a row:
//
//	code,title,parameters,basis,enabled
//	funds_payout,案款到账后三十日内未发放,days=30,《…》,启用
//	over_seizure,超标的查封、扣押、冻结,ratio=1.5,《…》,启用
//
// A first row starting with "code" or 代码 is a header; lines starting
// with # are comments. Parameters are name=value pairs separated by ";";
// one left out keeps its default. enabled is 启用/停用, on/off, 是/否,
// true/false or 1/0. A rule the file leaves out keeps its built-in row,
// so that a court's file lists only what it changes and a rule added by a
// later version runs. Every bad row is reported, by line, in one
// ErrInvalid error.
func ParsePatrolRules(r io.Reader) (PatrolRules, error) {
	table := DefaultPatrolRules()
	problems, err := domain.SettingRows(r, "规则代码", []string{"code", "代码"}, func(rec []string) (string, func(), string) {
		rule, msg := parsePatrolRecord(rec)
		return rule.Code, func() {
			i, _ := specOf(rule.Code)
			table[i] = rule
		}, msg
	})
	if err != nil {
		return nil, fmt.Errorf("reading patrol rules: %w", err)
	}
	if len(problems) > 0 {
		return nil, domain.Invalid("patrol_rules", "巡查规则有误："+strings.Join(problems, "；"))
	}
	return table, nil
}

func parsePatrolRecord(rec []string) (PatrolRule, string) {
	if len(rec) != 5 {
		return PatrolRule{}, fmt.Sprintf("应有5列（代码,名称,参数,法律依据,启用），实有%d列；含逗号的依据请加引号", len(rec))
	}
	i, ok := specOf(rec[0])
	if !ok {
		var codes []string
		for _, s := range ruleSpecs {
			codes = append(codes, s.def.Code)
		}
		return PatrolRule{}, fmt.Sprintf("规则代码“%s”无法识别，应为%s之一", rec[0], strings.Join(codes, "、"))
	}
	rule := PatrolRule{Code: rec[0], Title: rec[1], Basis: rec[3], Params: map[string]string{}}
	switch {
	case rule.Title == "":
		return PatrolRule{}, "缺少规则名称"
	case rule.Basis == "":
		return PatrolRule{}, "缺少法律依据"
	}
	switch strings.ToLower(rec[4]) {
	case "启用", "on", "是", "true", "1", "yes":
		rule.On = true
	case "停用", "off", "否", "false", "0", "no":
	default:
		return PatrolRule{}, fmt.Sprintf("启用列“%s”应为“启用”或“停用”", rec[4])
	}
	for _, p := range ruleSpecs[i].params {
		rule.Params[p.name] = p.def
	}
	for _, kv := range strings.FieldsFunc(rec[2], func(r rune) bool { return r == ';' || r == '；' }) {
		k, v, _ := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		idx := slices.IndexFunc(ruleSpecs[i].params, func(p param) bool { return p.name == k })
		if idx < 0 {
			return PatrolRule{}, fmt.Sprintf("规则“%s”没有参数“%s”", rule.Code, k)
		}
		if ruleSpecs[i].params[idx].ratio {
			if _, ok := parseHundredths(v); !ok {
				return PatrolRule{}, fmt.Sprintf("参数%s“%s”应为正数，最多两位小数", k, v)
			}
		} else if n, err := strconv.Atoi(v); err != nil || n <= 0 || n > 10000 {
			return PatrolRule{}, fmt.Sprintf("参数%s“%s”应为正整数", k, v)
		}
		rule.Params[k] = v
	}
	return rule, ""
}

// FundsPayoutDays is the limit in days of the rule funds_payout in the
// table: its days parameter, 30 if the table lacks the rule.
func (t PatrolRules) FundsPayoutDays() int {
	if r, ok := t.Find(RuleFundsPayout); ok && r.int("days") > 0 {
		return r.int("days")
	}
	return 30
}

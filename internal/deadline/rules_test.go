package deadline

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestDefaultRulesValid(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range DefaultRules() {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", r.Code, err)
		}
		if seen[r.Code] {
			t.Errorf("duplicate code %s", r.Code)
		}
		seen[r.Code] = true
	}
	r, ok := FindRule(DefaultRules(), "enforce_property")
	if !ok || r.Amount != 6 || r.Unit != CalendarMonths || r.From != FromFiling || !strings.Contains(r.Basis, "第一条") {
		t.Errorf("enforce_property = %+v", r)
	}
}

func TestParseRules(t *testing.T) {
	const file = "\ufeffcode,name,amount,unit,from,basis\n" +
		"# 本院配置\n" +
		"enforce_property,有财产可供执行案件执结,6,月,filing,《若干期限的规定》第一条\n" +
		"notice,发出执行通知书,3,工作日,收到案件材料,\"第四条，含逗号, 引号内\"\n" +
		"leads,查证核实财产线索,5,日,提供财产线索,第六条, 未加引号的逗号\n"
	rules, err := ParseRules(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Code: "enforce_property", Name: "有财产可供执行案件执结", Amount: 6, Unit: CalendarMonths, From: FromFiling, Basis: "《若干期限的规定》第一条"},
		{Code: "notice", Name: "发出执行通知书", Amount: 3, Unit: Workdays, From: "收到案件材料", Basis: "第四条，含逗号, 引号内"},
		{Code: "leads", Name: "查证核实财产线索", Amount: 5, Unit: CalendarDays, From: "提供财产线索", Basis: "第六条,未加引号的逗号"},
	}
	if len(rules) != len(want) {
		t.Fatalf("got %d rules, want %d: %+v", len(rules), len(want), rules)
	}
	for i := range want {
		if rules[i] != want[i] {
			t.Errorf("rule %d = %+v, want %+v", i, rules[i], want[i])
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	const file = "a,甲,6,月,立案,依据\n" + // 1 fine
		"b,乙,六,月,立案,依据\n" + // 2 amount not a number
		"c,丙,3,周,立案,依据\n" + // 3 unknown unit
		"d,丁,3,日\n" + // 4 too few columns
		"a,戊,3,日,立案,依据\n" + // 5 duplicate code
		"e,己,3,日,立案,\n" // 6 no basis
	_, err := ParseRules(strings.NewReader(file))
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	msg := domain.UserMessage(err)
	for _, want := range []string{
		"第2行：期限“六”应为正整数",
		"第3行：期限单位“周”无法识别",
		"第4行：应有6列",
		"第5行：规则代码“a”与第1行重复",
		"第6行：缺少法律依据",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "第1行：") {
		t.Errorf("message blames line 1:\n%s", msg)
	}
}

func TestUnitText(t *testing.T) {
	for _, u := range []Unit{CalendarDays, CalendarMonths, Workdays} {
		b, err := u.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Unit
		if err := back.UnmarshalText(b); err != nil || back != u {
			t.Errorf("%v round-trips to %v, %v", u, back, err)
		}
	}
	if _, err := Unit(0).MarshalText(); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("zero unit marshalled: %v", err)
	}
}

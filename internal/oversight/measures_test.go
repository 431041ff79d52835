package oversight

import (
	"slices"
	"strings"
	"testing"
)

func TestParseMeasures(t *testing.T) {
	good := "\ufeff形态,措施\n1,谈话提醒\n一,批评教育\n第一种形态,预警约谈\n\n第二种形态,警告\n三,开除党籍\n第四种,立案审查\n"
	ms, err := ParseMeasures(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ms[1], []string{"谈话提醒", "批评教育", "预警约谈"}) || !slices.Equal(ms[2], []string{"警告"}) || !slices.Equal(ms[3], []string{"开除党籍"}) ||
		!slices.Equal(ms[4], []string{"立案审查"}) {
		t.Fatalf("parsed %v", ms)
	}
	for name, tt := range map[string]struct{ in, want string }{
		"a form missing":     {"1,谈话提醒\n2,警告\n3,免职\n", "第四种形态"},
		"no 谈话提醒":            {"1,批评教育\n2,警告\n3,免职\n4,移送\n", "谈话提醒"},
		"no 预警约谈":            {"1,谈话提醒\n2,警告\n3,免职\n4,移送\n", "预警约谈"},
		"an unknown form":    {"1,谈话提醒\n五,x\n", "row 2: unknown form"},
		"an empty measure":   {"1,谈话提醒\n2, \n", "row 2: no measure"},
		"one column":         {"1,谈话提醒\n2\n", "row 2: want two columns"},
		"three columns":      {"1,谈话提醒,x\n", "row 1: want two columns"},
		"twice":              {"1,谈话提醒\n一,谈话提醒\n", "row 2: 谈话提醒 listed twice"},
		"too long":           {"1," + strings.Repeat("长", 51) + "\n", "row 1: measure longer"},
		"an empty file":      {"", "no measure"},
		"a broken CSV quote": {"1,\"谈话\n", "reading the measures"},
	} {
		if _, err := ParseMeasures(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := DefaultMeasures().Validate(); err != nil {
		t.Errorf("the defaults: %v", err)
	}
}

func TestStrongRuleDescribe(t *testing.T) {
	if got := DefaultStrongRule().Describe(); got != "同一案件6个月内信访2次以上，或有到上级法院、赴省、进京信访的，标记为当事人反映强烈" {
		t.Errorf("default: %s", got)
	}
	if got := (StrongRule{Count: 3, Months: 12}).Describe(); got != "同一案件12个月内信访3次以上，标记为当事人反映强烈" {
		t.Errorf("no level: %s", got)
	}
}

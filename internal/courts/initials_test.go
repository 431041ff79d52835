package courts

import (
	"strings"
	"testing"
)

// Every character of the division names has its initial in the table, and
// every name read otherwise is one of the names; the initials read place
// names as they are said (厦门 xm, 重庆 cq, 单县 s, 番禺 py beside 吐鲁番
// tlf, 长子 zz beside 长治 cz).
func TestDivisionInitials(t *testing.T) {
	ds, err := Divisions()
	if err != nil {
		t.Fatal(err)
	}
	table := initialOf()
	missing := map[rune]bool{}
	all := ""
	for _, d := range ds {
		all += d.Name + "|"
		for _, c := range d.Name {
			if _, ok := table[c]; !ok {
				missing[c] = true
			}
		}
	}
	if len(missing) > 0 || len(table) < 1000 {
		t.Fatalf("characters without an initial: %v (table of %d)", missing, len(table))
	}
	for w := range readOtherwise {
		if !strings.Contains(all, w) {
			t.Errorf("%s is in no division's name", w)
		}
	}
	for code, want := range map[string]string{
		"370102": "sdjnlx sdsjnslxq",      // 山东省济南市历下区
		"350200": "fjxm fjsxms",           // 福建省厦门市
		"500000": "cq cqs",                // 重庆市
		"371722": "sdhzsx sdshzssx",       // 山东省菏泽市单县
		"440113": "gdgzpy gdsgzspyq",      // 广东省广州市番禺区
		"650400": "xjwwetlf xjwwezzqtlfs", // 新疆维吾尔自治区吐鲁番市
		"140428": "sxczzz sxsczszzx",      // 山西省长治市长子县
	} {
		if got := DivisionInitials(code); got != want {
			t.Errorf("%s %s: %q, want %q", code, DivisionName(code), got, want)
		}
	}
}

package importer

import (
	"testing"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{in: "2021-03-05", want: "2021-03-05"},
		{in: "2021/3/5", want: "2021-03-05"},
		{in: "2021.3.5", want: "2021-03-05"},
		{in: "2021年3月5日", want: "2021-03-05"},
		{in: "2021 年 3 月 5 日", want: "2021-03-05"},
		{in: "２０２１年３月５日", want: "2021-03-05"},
		{in: "20210305", want: "2021-03-05"},
		{in: "44260", want: "2021-03-05"},
		{in: "44260.604166666664", want: "2021-03-05"},
		{in: "2021-03-05 14:30:00", want: "2021-03-05"},
		{in: "2021/3/5 9:05", want: "2021-03-05"},
		{in: "2021-03-05T00:00:00Z", want: "2021-03-05"},
		{in: "2021年3月5日10时", want: "2021-03-05"},
		{in: "2021-12-31", want: "2021-12-31"},
		{in: "  2021-3-5  ", want: "2021-03-05"},
		{in: "", want: ""},
		{in: "2021-02-30", bad: true},
		{in: "2021-13-01", bad: true},
		{in: "20211305", bad: true},
		{in: "1800-01-01", bad: true},
		{in: "5", bad: true},
		{in: "2021-03-051", bad: true},
		{in: "三月五日", bad: true},
		{in: "2021-03", bad: true},
		{in: "123456789", bad: true},
	} {
		d, err := parseDate(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("parseDate(%q) = %v, want an error", tc.in, d)
			}
			continue
		}
		if err != nil || d.String() != tc.want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", tc.in, d, err, tc.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		unit int64
		want int64
		bad  bool
	}{
		{in: "12345.67", want: 1234567},
		{in: "1,234,567.8", want: 123456780},
		{in: "￥1,000", want: 100000},
		{in: "¥1000元", want: 100000},
		{in: "1.2万", want: 1200000},
		{in: "12万元", want: 12000000},
		{in: "1.23456万", want: 1234560},
		{in: "0.5亿", want: 5000000000},
		{in: "１２３．４５", want: 12345},
		{in: "1 000", want: 100000},
		{in: "1.005", want: 101},
		{in: "1.004", want: 100},
		{in: "0.30000000000000004", want: 30},
		{in: "1.2345E+6", want: 123450000},
		{in: "5e-3", want: 1},
		{in: ".5", want: 50},
		{in: "100", unit: 10000, want: 100000000},
		{in: "100元", unit: 10000, want: 10000},
		{in: "1.5万", unit: 10000, want: 1500000},
		{in: "", want: 0},
		{in: "0", want: 0},
		{in: "-5", bad: true},
		{in: "abc", bad: true},
		{in: "1.2.3", bad: true},
		{in: "1e", bad: true},
		{in: "万", bad: true},
		{in: "99999999999999999999", bad: true},
	} {
		unit := tc.unit
		if unit == 0 {
			unit = 1
		}
		got, err := parseAmount(tc.in, unit)
		if tc.bad {
			if err == nil {
				t.Errorf("parseAmount(%q) = %d, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseAmount(%q, %d) = %d, %v; want %d", tc.in, unit, got, err, tc.want)
		}
	}
}

func TestParseYesNo(t *testing.T) {
	for in, want := range map[string][2]bool{
		"有": {true, true}, "是": {true, true}, "Y": {true, true}, "y": {true, true}, "1": {true, true}, "√": {true, true},
		"无": {false, true}, "否": {false, true}, "N": {false, true}, "0": {false, true}, "×": {false, true}, "空": {false, true},
		"": {false, false}, " ": {false, false}, "１": {true, true},
	} {
		v, known, err := parseYesNo(in)
		if err != nil || v != want[0] || known != want[1] {
			t.Errorf("parseYesNo(%q) = %v, %v, %v; want %v", in, v, known, err, want)
		}
	}
	if _, _, err := parseYesNo("也许"); err == nil {
		t.Error("parseYesNo(也许) gave no error")
	}
}

func TestSplitList(t *testing.T) {
	for in, want := range map[string][]string{
		"张三、李四,王五，赵六;钱七；孙八": {"张三", "李四", "王五", "赵六", "钱七", "孙八"},
		"张三\r\n李四":     {"张三", "李四"},
		"、13800138000": {"", "13800138000"},
		"":             nil,
		" 张三 ":         {"张三"},
	} {
		got := splitList(in)
		if len(got) != len(want) {
			t.Errorf("splitList(%q) = %q, want %q", in, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("splitList(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

func TestIsOrg(t *testing.T) {
	for name, want := range map[string]bool{
		"张三": false, "欧阳修远": false, "济南某某贸易有限公司": true, "中国工商银行济南分行": true,
		"历下区某某饭店": true, "某某村民委员会": true,
	} {
		if got := isOrg(name); got != want {
			t.Errorf("isOrg(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestNormalizeHeader(t *testing.T) {
	for in, want := range map[string]struct {
		full, bare string
		unit       int64
	}{
		" *案号 ":          {"*案号", "案号", 1},
		"执行标的金额（万元）":     {"执行标的金额(万元)", "执行标的金额", 10000},
		"标的金额(元)":        {"标的金额(元)", "标的金额", 1},
		"\ufeff案\u3000号": {"案号", "案号", 1},
	} {
		full, bare, unit := normalizeHeader(in)
		if bare != want.bare || unit != want.unit {
			t.Errorf("normalizeHeader(%q) = %q, %q, %d; want %v", in, full, bare, unit, want)
		}
	}
}

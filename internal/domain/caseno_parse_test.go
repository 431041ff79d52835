package domain

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

var caseNoValid = []struct {
	in   string
	want CaseNo
}{
	{"（2021）鲁0102执123号", CaseNo{2021, "鲁0102", "执", 123}},
	{"(2021)鲁0102执123号", CaseNo{2021, "鲁0102", "执", 123}},
	{"〔2021〕鲁0102执123号", CaseNo{2021, "鲁0102", "执", 123}},
	{"[2021]鲁0102执123号", CaseNo{2021, "鲁0102", "执", 123}},
	{"【2021】鲁0102执123号", CaseNo{2021, "鲁0102", "执", 123}},
	{"［2021］鲁0102执123号", CaseNo{2021, "鲁0102", "执", 123}},
	{"（2021)鲁0102执123号", CaseNo{2021, "鲁0102", "执", 123}}, // mixed widths
	{"（２０２１）鲁０１０２执１２３号", CaseNo{2021, "鲁0102", "执", 123}},
	{"（2021）鲁0102执123", CaseNo{2021, "鲁0102", "执", 123}},
	{" （2021） 鲁0102 执 123 号 ", CaseNo{2021, "鲁0102", "执", 123}},
	{"\u3000（2021）\u3000鲁0102执\u00a0123号\t\n", CaseNo{2021, "鲁0102", "执", 123}},
	{"（20 21）鲁01 02执1 23号", CaseNo{2021, "鲁0102", "执", 123}},
	{"\u200b（2021）鲁0102执123号\ufeff", CaseNo{2021, "鲁0102", "执", 123}},
	{"（2021）鲁0102执0123号", CaseNo{2021, "鲁0102", "执", 123}},
	{"（2021）鲁0102执000000001号", CaseNo{2021, "鲁0102", "执", 1}},
	{"（2021）鲁0102执999999999号", CaseNo{2021, "鲁0102", "执", 999999999}},
	{"（2021）鲁0102执123號", CaseNo{2021, "鲁0102", "执", 123}},
	{"（2021）鲁0102执恢45号", CaseNo{2021, "鲁0102", "执恢", 45}},
	{"（2021）鲁0102执异7号", CaseNo{2021, "鲁0102", "执异", 7}},
	{"（2021）鲁执监7号", CaseNo{2021, "鲁", "执监", 7}},
	{"（2021）鲁01执复7号", CaseNo{2021, "鲁01", "执复", 7}},
	{"（2021）鲁71执7号", CaseNo{2021, "鲁71", "执", 7}},
	{"（2021）鲁7101执7号", CaseNo{2021, "鲁7101", "执", 7}},
	{"（2021）京0105执他3号", CaseNo{2021, "京0105", "执他", 3}},
	{"（2021）兵0101执3号", CaseNo{2021, "兵0101", "执", 3}},
	{"（2021）最高法执监3号", CaseNo{2021, "最高法", "执监", 3}},
	{"（1990）沪0101执1号", CaseNo{1990, "沪0101", "执", 1}},
	{"（2100）沪0101执1号", CaseNo{2100, "沪0101", "执", 1}},
}

var caseNoInvalid = []struct {
	in   string
	want string // part of the message
}{
	{"", "请填写案号"},
	{"   ", "请填写案号"},
	{"鲁0102执123号", "缺少年份"},
	{"（）鲁0102执123号", "缺少年份"},
	{"2021鲁0102执123号", "年份应写在括号内"},
	{"（21）鲁0102执123号", "应为四位数字"},
	{"（20211）鲁0102执123号", "应为四位数字"},
	{"（2021鲁0102执123号", "缺少右括号"},
	{"（1989）鲁0102执123号", "不在1990至2100之间"},
	{"（2101）鲁0102执123号", "不在1990至2100之间"},
	{"（2021）", "缺少法院代字、案件类型和序号"},
	{"（2021）执123号", "缺少法院代字"},
	{"（2021）0102执123号", "缺少法院代字"},
	{"（2021）曾0102执123号", "“曾”不是省份简称"},
	{"（2021）鲁01023执123号", "不应超过4位"},
	{"（2021）鲁0102民123号", "案件类型“民”不在配置的类型中"},
	{"（2021）鲁0102执X123号", "案件类型“执X”不在配置的类型中"},
	{"（2021）鲁0102执字第123号", "案件类型“执字第”不在配置的类型中"},
	{"（2021）鲁0102123号", "缺少案件类型"},
	{"（2021）鲁0102执号", "缺少序号"},
	{"（2021）鲁0102执", "缺少序号"},
	{"（2021）鲁0102", "缺少案件类型和序号"},
	{"（2021）鲁0102执0号", "序号应为正整数"},
	{"（2021）鲁0102执000号", "序号应为正整数"},
	{"（2021）鲁0102执1234567890号", "不应超过9位"},
	{"（2021）鲁0102执123号之一", "末尾有多余的内容“之一”"},
	{"（2021）鲁0102执123号号", "末尾有多余的内容"},
	{"（2021）鲁0102执123-1号", "末尾有多余的内容“-1号”"},
	{"（2021）鲁0102执١٢٣号", "案件类型“执١٢٣号”不在配置的类型中"}, // Arabic-Indic digits
	{"（2021）鲁0102执123号\xff", "末尾有多余的内容"},
}

func TestParseCaseNo(t *testing.T) {
	for _, tt := range caseNoValid {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCaseNo(tt.in, DefaultCaseTypes)
			if err != nil {
				t.Fatalf("ParseCaseNo(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseCaseNo(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			norm, err := NormalizeCaseNo(tt.in, DefaultCaseTypes)
			if err != nil || norm != tt.want.String() {
				t.Errorf("NormalizeCaseNo(%q) = %q, %v; want %q", tt.in, norm, err, tt.want.String())
			}
		})
	}
}

func TestParseCaseNoInvalid(t *testing.T) {
	for _, tt := range caseNoInvalid {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCaseNo(tt.in, DefaultCaseTypes)
			if err == nil {
				t.Fatalf("ParseCaseNo(%q) = %+v, want error", tt.in, got)
			}
			if got != (CaseNo{}) {
				t.Errorf("ParseCaseNo(%q) returned %+v with its error", tt.in, got)
			}
			var de *Error
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &de) || de.Field != "case_no" {
				t.Fatalf("ParseCaseNo(%q) error %v is not Invalid(\"case_no\", …)", tt.in, err)
			}
			msg := UserMessage(err)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("ParseCaseNo(%q) message %q does not contain %q", tt.in, msg, tt.want)
			}
			if in := strings.TrimSpace(tt.in); in != "" && !strings.Contains(msg, show(in)) {
				t.Errorf("ParseCaseNo(%q) message %q does not quote the input", tt.in, msg)
			}
			if _, err := NormalizeCaseNo(tt.in, DefaultCaseTypes); err == nil {
				t.Errorf("NormalizeCaseNo(%q) succeeded", tt.in)
			}
		})
	}
}

func TestParseCaseNoTypes(t *testing.T) {
	tests := []struct {
		in    string
		types []string
		want  string // canonical form, or "" for an error
	}{
		{"（2021）鲁0102执恢1号", []string{"执", "执恢"}, "（2021）鲁0102执恢1号"},
		{"（2021）鲁0102执恢1号", []string{"执恢", "执"}, "（2021）鲁0102执恢1号"},
		{"（2021）鲁0102执恢1号", []string{"执"}, ""},
		{"（2021）鲁0102民初1号", []string{"民初", "民终", "执"}, "（2021）鲁0102民初1号"},
		{"（2021）鲁0102执1号", []string{"", " 执 ", "执1"}, "（2021）鲁0102执1号"},
		{"（2021）鲁0102执1号", []string{"ＡＢ", "执"}, "（2021）鲁0102执1号"},
		{"（2021）鲁0102AB1号", []string{"ＡＢ"}, "（2021）鲁0102AB1号"},
		{"（2021）鲁0102执1号", nil, ""},
	}
	for _, tt := range tests {
		got, err := NormalizeCaseNo(tt.in, tt.types)
		if tt.want == "" {
			if err == nil {
				t.Errorf("NormalizeCaseNo(%q, %q) = %q, want error", tt.in, tt.types, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeCaseNo(%q, %q) = %q, %v; want %q", tt.in, tt.types, got, err, tt.want)
		}
	}
}

func TestParseCaseNoLongInput(t *testing.T) {
	in := "（2021）鲁0102执123号" + strings.Repeat("附", 1000)
	_, err := ParseCaseNo(in, DefaultCaseTypes)
	if err == nil {
		t.Fatal("want error")
	}
	if n := len([]rune(UserMessage(err))); n > 200 {
		t.Errorf("message is %d runes long; the input should be shortened", n)
	}
}

func FuzzParseCaseNo(f *testing.F) {
	for _, tt := range caseNoValid {
		f.Add(tt.in)
	}
	for _, tt := range caseNoInvalid {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCaseNo(s, DefaultCaseTypes)
		if err != nil {
			if !errors.Is(err, ErrInvalid) || UserMessage(err) == "" {
				t.Fatalf("ParseCaseNo(%q) error %v has no user message", s, err)
			}
			return
		}
		again, err := ParseCaseNo(c.String(), DefaultCaseTypes)
		if err != nil {
			t.Fatalf("ParseCaseNo(%q) = %+v, but its String %q does not parse: %v", s, c, c.String(), err)
		}
		if again != c {
			t.Fatalf("ParseCaseNo(%q) = %+v, but its String %q parses as %+v", s, c, c.String(), again)
		}
		once, _ := NormalizeCaseNo(s, DefaultCaseTypes)
		twice, err := NormalizeCaseNo(once, DefaultCaseTypes)
		if err != nil || twice != once {
			t.Fatalf("NormalizeCaseNo not idempotent on %q: %q then %q, %v", s, once, twice, err)
		}
	})
}

// TestCleanCaseNoRunes: the ASCII short cut of cleanCaseNo folds and
// drops exactly what the width table and the space and format classes do,
// for every rune of the Basic Multilingual Plane and some beyond.
func TestCleanCaseNoRunes(t *testing.T) {
	for r := rune(0); r < 0x20000; r++ {
		if !utf8.ValidRune(r) {
			continue // a surrogate has no UTF-8 form
		}
		want := r
		if f := width.LookupRune(r).Folded(); f != 0 {
			want = f
		}
		drop := unicode.IsSpace(want) || unicode.Is(unicode.Cf, want)
		got := appendCleanCaseNo(nil, string(r))
		if drop && len(got) != 0 || !drop && (len(got) != 1 || got[0] != want) {
			t.Fatalf("cleaning %U = %q, want %q (dropped: %v)", r, got, want, drop)
		}
	}
}

func BenchmarkParseCaseNo(b *testing.B) {
	r := NewCaseNoReader(DefaultCaseTypes)
	for b.Loop() {
		if _, err := r.Parse("（2024）鲁0102执恢1234号"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCaseNoString: the appended form is the one fmt gave, which stored
// case numbers were written with.
func TestCaseNoString(t *testing.T) {
	for _, c := range []CaseNo{
		{Year: 2024, Court: "鲁0102", Type: "执", Serial: 1234},
		{Year: 1999, Court: "京", Type: "执恢", Serial: 1},
		{},
		{Year: -5, Court: "a b", Type: "", Serial: 1 << 40},
	} {
		if got, want := c.String(), fmt.Sprintf("（%d）%s%s%d号", c.Year, c.Court, c.Type, c.Serial); got != want {
			t.Errorf("%+v.String() = %q, want %q", c, got, want)
		}
	}
}

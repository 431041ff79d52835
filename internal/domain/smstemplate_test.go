package domain

import (
	"strings"
	"testing"
)

// Parts as carriers count them: 70 UCS-2 characters in one message, 67
// per part beyond; a character outside the BMP counts twice.
func TestSMSParts(t *testing.T) {
	for _, tt := range []struct {
		text string
		want int
	}{
		{"", 1},
		{strings.Repeat("字", 70), 1},
		{strings.Repeat("字", 71), 2},
		{strings.Repeat("字", 134), 2},
		{strings.Repeat("字", 135), 3},
		{strings.Repeat("𠀀", 35), 1},
		{strings.Repeat("𠀀", 36), 2},
	} {
		if got := SMSParts(tt.text); got != tt.want {
			t.Errorf("%d characters: %d parts, want %d", len([]rune(tt.text)), got, tt.want)
		}
	}
}

func TestNormalizeSignature(t *testing.T) {
	for in, want := range map[string]string{"【历下区人民法院】": "历下区人民法院", " 济南中院 ": "济南中院", "ZL法院12": "ZL法院12",
		"中": "", "【一二三四五六七八九十一二三】": "", "历下·法院": "", "a b": ""} {
		got, err := NormalizeSignature(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
}

func TestRender(t *testing.T) {
	tp := SMSTemplate{Vars: []SMSVar{SMSCourtVar, {Name: "案号", Required: true}}}
	if got := Render("{法院}：{案号}，{案号}", map[string]string{"法院": "甲", "案号": "乙"}); got != "甲：乙，乙" {
		t.Errorf("render: %q", got)
	}
	for _, bad := range []string{"{案号", "案号}", "{}{案号}", "{{案号}}"} {
		if err := tp.Validate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := tp.Validate("您的案件{案号}"); err != nil {
		t.Errorf("refused: %v", err)
	}
}

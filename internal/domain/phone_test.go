package domain

import (
	"errors"
	"strings"
	"testing"
)

var mobileCases = []struct {
	in, want string // want "" for an error
}{
	{"13812345678", "13812345678"},
	{"138 1234 5678", "13812345678"},
	{"138-1234-5678", "13812345678"},
	{"138.1234.5678", "13812345678"},
	{"(138)12345678", "13812345678"},
	{"１３８１２３４５６７８", "13812345678"},
	{"１３８－１２３４－５６７８", "13812345678"},
	{"\u3000138\u00a01234 5678\t", "13812345678"},
	{"+8613812345678", "13812345678"},
	{"+86 138 1234 5678", "13812345678"},
	{"(+86)138-1234-5678", "13812345678"},
	{"＋８６１３８１２３４５６７８", "13812345678"},
	{"008613812345678", "13812345678"},
	{"8613812345678", "13812345678"},
	{"19912345678", "19912345678"},
	{"", ""},
	{"  ", ""},
	{"1381234567", ""},     // ten digits
	{"138123456789", ""},   // twelve digits
	{"12812345678", ""},    // second digit 2
	{"23812345678", ""},    // does not start with 1
	{"053188888888", ""},   // landline
	{"0531-88888888", ""},  // landline
	{"+8513812345678", ""}, // other country
	{"86138123456789", ""}, // 86 and twelve digits
	{"+86+8613812345678", ""},
	{"1381234567a", ""},
	{"138１２３４５６７８号", ""},
	{"13812345678\xff", ""},
}

func TestNormalizeMobile(t *testing.T) {
	for _, tt := range mobileCases {
		got, err := NormalizeMobile(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("NormalizeMobile(%q) = %q, want error", tt.in, got)
				continue
			}
			var de *Error
			if !errors.As(err, &de) || de.Field != "phone" || !errors.Is(err, ErrInvalid) {
				t.Errorf("NormalizeMobile(%q) error %v is not Invalid(\"phone\", …)", tt.in, err)
			}
			if msg := UserMessage(err); !strings.HasPrefix(msg, "手机号码无效：") {
				t.Errorf("NormalizeMobile(%q) message %q", tt.in, msg)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestMaskMobile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+86 138-1234-5678", "138****5678"},
		{"", ""},
		{"123", "****"},
		{"1234567", "****"},
		{"053188888888", "****8888"},
		{"电话号码是一二三四五六七", "****四五六七"},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", "****"},
	}
	for _, tt := range tests {
		if got := MaskMobile(tt.in); got != tt.want {
			t.Errorf("MaskMobile(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalizeMobile(f *testing.F) {
	for _, tt := range mobileCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		masked := MaskMobile(s)
		m, err := NormalizeMobile(s)
		if err != nil {
			return
		}
		if !isMobile(m) {
			t.Fatalf("NormalizeMobile(%q) = %q, not a mobile number", s, m)
		}
		if again, err := NormalizeMobile(m); err != nil || again != m {
			t.Fatalf("NormalizeMobile not idempotent on %q: %q then %q, %v", s, m, again, err)
		}
		if masked != m[:3]+"****"+m[7:] {
			t.Fatalf("MaskMobile(%q) = %q", s, masked)
		}
	})
}

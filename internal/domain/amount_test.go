package domain

import "testing"

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12345.67", 1234567, true},
		{"1,234,567.8", 123456780, true},
		{"￥1,000", 100000, true},
		{"1.2万", 1200000, true},
		{"12万元", 12000000, true},
		{"0.005", 1, true},
		{"0.004", 0, true},
		{"100", 10000, true},
		{" 3.5 元", 350, true},
		{"-20", 0, false},
		{"3亿", 30000000000, true},
		{"1.5e4", 1500000, true},
		{"", 0, false},
		{"abc", 0, false},
		{"1.2.3", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if FormatAmount(123456789) != "1,234,567.89" || FormatAmount(5) != "0.05" {
		t.Error("FormatAmount")
	}
}

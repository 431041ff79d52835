package domain

import (
	"strings"
)

// maxFen bounds amounts: 10^15 yuan is beyond any enforcement case and keeps
// sums of many cases far from int64 overflow.
const maxFen = 100_000_000_000_000_000

// ParseAmount reads a yuan amount as people and spreadsheets write it and
// returns fen; see ParseAmountUnit.
func ParseAmount(s string) (int64, error) { return ParseAmountUnit(s, 1) }

// ParseAmountUnit reads an amount of yuan into fen: 12345.67, 1,234,567.8,
// ￥1,000, 1.2万, 12万元, 3亿, 1.5e4 (as Excel may write a number). unit is
// the multiplier implied by a column header (10000 for a column in 万元); a
// unit written in the text wins over it. Digits beyond the fen are rounded
// half up. The arithmetic is decimal, never floating point; an amount is
// never negative.
func ParseAmountUnit(s string, unit int64) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(",， \u00a0\u3000'", r) {
			return -1 // thousands separators
		}
		return r
	}, s)
	for _, p := range []string{"￥", "¥", "人民币", "RMB", "CNY", "rmb"} {
		s = strings.TrimPrefix(s, p)
	}
	if strings.HasPrefix(s, "-") {
		return 0, Invalid("amount", "金额不能为负数")
	}
	s = strings.TrimPrefix(s, "+")
	exp := 0 // power of ten of the unit, relative to yuan
	switch u := unit; {
	case u >= 100_000_000:
		exp = 8
	case u >= 10_000:
		exp = 4
	}
	if t, ok := strings.CutSuffix(s, "元"); ok {
		s, exp = t, 0
	}
	switch {
	case strings.HasSuffix(s, "万"):
		s, exp = strings.TrimSuffix(s, "万"), 4
	case strings.HasSuffix(s, "亿"):
		s, exp = strings.TrimSuffix(s, "亿"), 8
	}
	return decimalToFen(s, exp+2)
}

// decimalToFen reads the unsigned decimal s (optionally with an exponent)
// and returns it times 10^shift, rounded half up to an integer.
func decimalToFen(s string, shift int) (int64, error) {
	bad := Invalid("amount", "无法识别的金额，应为数字，如12345.67、1,234.5或1.2万")
	mant, expStr, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		e, ok := smallInt(expStr)
		if !ok {
			return 0, bad
		}
		shift += e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, bad
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	shift -= len(frac)
	// digits × 10^shift
	keep := len(digits) + shift
	if keep < 0 {
		return 0, nil
	}
	roundUp := false
	if shift < 0 {
		roundUp = digits[keep] >= '5'
		digits = digits[:keep]
		shift = 0
	}
	var n int64
	for i := 0; i < len(digits)+shift; i++ {
		d := int64(0)
		if i < len(digits) {
			d = int64(digits[i] - '0')
		}
		if n > (maxFen-d)/10 {
			return 0, Invalid("amount", "金额过大")
		}
		n = n*10 + d
	}
	if roundUp {
		n++
	}
	return n, nil
}

// smallInt reads an optionally signed exponent of at most three digits.
func smallInt(s string) (int, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if s == "" || len(s) > 3 || !allDigits(s) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

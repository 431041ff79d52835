package domain

import (
	"strconv"
	"strings"
)

// ParseAmount reads a yuan amount as people and spreadsheets write it —
// 12345.67, 1,234,567.8, ￥1,000, 1.2万, 12万元 — and returns fen, exactly:
// decimal text is never passed through a float.
func ParseAmount(s string) (int64, error) {
	bad := func() (int64, error) { return 0, Invalid("amount", "金额格式无法识别："+s) }
	t := strings.TrimSpace(s)
	for _, cut := range []string{"￥", "¥", "RMB", "人民币"} {
		t = strings.TrimPrefix(t, cut)
	}
	t = strings.TrimSuffix(strings.TrimSpace(t), "元")
	scale := 0 // extra powers of ten
	if strings.HasSuffix(t, "万") {
		t, scale = strings.TrimSuffix(t, "万"), 4
	}
	t = strings.NewReplacer(",", "", "，", "", " ", "", "\u3000", "").Replace(t)
	if t == "" {
		return bad()
	}
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" {
		whole = "0"
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return bad()
		}
	}
	// Shift the decimal point right by 2 (fen) + scale digits.
	digits := whole + frac
	shift := 2 + scale - len(frac)
	if shift < 0 {
		// More decimals than a fen can hold: round half up at the fen.
		keep := len(digits) + shift
		round := digits[keep] >= '5'
		digits = digits[:keep]
		if digits == "" {
			digits = "0"
		}
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return bad()
		}
		if round {
			n++
		}
		if neg {
			n = -n
		}
		return n, nil
	}
	digits += strings.Repeat("0", shift)
	if len(digits) > 18 {
		return bad()
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return bad()
	}
	if neg {
		n = -n
	}
	return n, nil
}

package domain

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// NormalizeMobile returns the mainland mobile number in s as its 11 digits:
// it folds full-width digits, drops spaces, dashes, dots and parentheses
// and a leading country code +86, 0086 or 86. It returns an ErrInvalid
// error if what remains is not 11 digits starting with 13 to 19.
func NormalizeMobile(s string) (string, error) {
	if isMobile(s) {
		return s, nil // eleven ASCII digits: nothing to fold or drop
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f := width.LookupRune(r).Folded(); f != 0 {
			r = f
		}
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Pd, r) || strings.ContainsRune(".()", r) {
			continue
		}
		b.WriteRune(r)
	}
	m := b.String()
	if len(m) > 11 {
		// The country code is only stripped when a full number follows, so
		// that a mistyped 12-digit number is not silently cut down.
		for _, prefix := range []string{"+86", "0086", "86"} {
			if rest, ok := strings.CutPrefix(m, prefix); ok && len(rest) == 11 {
				m = rest
				break
			}
		}
	}
	if !isMobile(m) {
		if strings.TrimSpace(s) == "" {
			return "", Invalid("phone", "手机号码无效：未填写")
		}
		return "", Invalid("phone", fmt.Sprintf("手机号码无效：“%s”，应为以1开头的11位手机号码", show(s)))
	}
	return m, nil
}

// isMobile reports whether m is 11 ASCII digits starting with 13 to 19.
func isMobile(m string) bool {
	if len(m) != 11 || m[0] != '1' || m[1] < '3' || m[1] > '9' {
		return false
	}
	for i := 2; i < len(m); i++ {
		if !isDigit(rune(m[i])) {
			return false
		}
	}
	return true
}

// MaskMobile hides the middle of a mobile number for display: 138****5678.
// Input that is not a mobile number keeps at most its last four characters,
// so whatever it is, most of it stays hidden.
func MaskMobile(m string) string {
	if n, err := NormalizeMobile(m); err == nil {
		return n[:3] + "****" + n[7:]
	}
	r := []rune(strings.TrimSpace(strings.ToValidUTF8(m, "\uFFFD")))
	switch {
	case len(r) == 0:
		return ""
	case len(r) < 8:
		return "****"
	}
	return "****" + string(r[len(r)-4:])
}

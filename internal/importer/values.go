package importer

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/zhilian/zhilian/internal/domain"
)

// Dates outside these years are typing errors, not enforcement cases.
const (
	minYear = 1950
	maxYear = 2100
)

// narrow folds full-width digits, letters and punctuation to ASCII and
// trims spaces, including the ideographic space.
func narrow(s string) string {
	if strings.ContainsFunc(s, isWide) {
		s = width.Fold.String(s)
	}
	return strings.TrimSpace(s)
}

// isWide reports whether r is the ideographic space or a full-width or
// half-width form, the characters width folding changes.
func isWide(r rune) bool { return r == '\u3000' || r >= 0xFF00 && r <= 0xFFEF }

// cleanCell trims a cell and unwraps the ="…" form that exports use to
// keep Excel from reading numbers as numbers.
func cleanCell(s string) string {
	if s == "" {
		return s
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if first != '=' && !trimmable(first) && !trimmable(last) {
		return s // the common case: nothing to do
	}
	s = strings.TrimFunc(s, trimmable)
	if len(s) >= 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = strings.TrimSpace(s[2 : len(s)-1])
	}
	return s
}

// trimmable reports whether r is a space or an invisible format character
// (a zero-width space, a byte order mark), checking the common letters and
// Chinese characters first.
func trimmable(r rune) bool {
	switch {
	case r > ' ' && r < 0x7F, r >= 0x3040 && r < 0xFE00:
		return false
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// parseDate reads a date in the spellings case systems and Excel produce:
// 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日, 20210305, or an Excel serial
// number (44260, also with a fraction for the time of day); a time after
// the date is ignored. An empty cell is the zero Date.
func parseDate(s string) (domain.Date, error) {
	s = narrow(s)
	if s == "" {
		return domain.Date{}, nil
	}
	if d, ok, err := parseDigitDate(s); ok {
		return d, err
	}
	p := scanner{s: s}
	y := p.num(4)
	ok := len(y) == 4 && p.sep("-", "/", ".", "年")
	m := p.num(2)
	ok = ok && m != "" && p.sep("-", "/", ".", "月")
	d := p.num(2)
	ok = ok && d != ""
	// A time of day may follow, after a space or T, or straight after 日.
	if !p.sep("日", "号") {
		if rest := p.s[p.i:]; rest != "" && rest[0] != ' ' && rest[0] != 'T' {
			ok = false
		}
	}
	if !ok {
		return domain.Date{}, errors.New("无法识别的日期，应为2021-03-05、2021/3/5、2021年3月5日等格式")
	}
	return makeDate(atoi(y), atoi(m), atoi(d))
}

// parseDigitDate reads 20210305 and Excel serial numbers. ok is false when s
// is not made of digits (with at most one decimal point).
func parseDigitDate(s string) (d domain.Date, ok bool, err error) {
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || (frac != "" && !allDigits(frac)) {
		return d, false, nil
	}
	if len(intPart) == 8 && frac == "" {
		d, err = makeDate(atoi(intPart[:4]), atoi(intPart[4:6]), atoi(intPart[6:]))
		return d, true, err
	}
	if len(intPart) > 6 {
		return d, true, errors.New("无法识别的日期")
	}
	// Excel's 1900 date system counts 1900-02-29, which did not exist, so
	// from serial 61 on day n is 1899-12-30 plus n days.
	n := atoi(intPart)
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if n < 61 {
		base = base.AddDate(0, 0, 1)
	}
	t := base.AddDate(0, 0, n)
	if t.Year() < minYear || t.Year() > maxYear {
		return d, true, fmt.Errorf("Excel日期序号%d对应%d年，超出合理范围", n, t.Year())
	}
	return domain.NewDate(t.Year(), t.Month(), t.Day()), true, nil
}

func makeDate(y, m, d int) (domain.Date, error) {
	if y < minYear || y > maxYear {
		return domain.Date{}, fmt.Errorf("年份%d超出合理范围（%d—%d）", y, minYear, maxYear)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || t.Day() != d {
		return domain.Date{}, fmt.Errorf("日期%d年%d月%d日不存在", y, m, d)
	}
	return domain.NewDate(y, time.Month(m), d), nil
}

// scanner walks a short date string.
type scanner struct {
	s string
	i int
}

// num reads up to max ASCII digits.
func (p *scanner) num(max int) string {
	p.skipSpace()
	start := p.i
	for p.i < len(p.s) && p.i-start < max && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.s[start:p.i]
}

// sep consumes one of seps, after optional spaces; if none is there it
// consumes nothing.
func (p *scanner) sep(seps ...string) bool {
	start := p.i
	p.skipSpace()
	for _, s := range seps {
		if strings.HasPrefix(p.s[p.i:], s) {
			p.i += len(s)
			return true
		}
	}
	p.i = start
	return false
}

func (p *scanner) skipSpace() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

// parseAmount reads an amount cell into fen, after folding full-width
// characters; unit is the multiplier the column header implies (10000 for
// 万元). The rules are domain.ParseAmountUnit's.
func parseAmount(s string, unit int64) (int64, error) {
	s = narrow(s)
	if s == "" {
		return 0, nil
	}
	return domain.ParseAmountUnit(s, unit)
}

// parseYesNo reads a yes/no cell: 有/是/Y/1/√ and 无/否/N/0/×. known is
// false for an empty cell.
func parseYesNo(s string) (val, known bool, err error) {
	s = strings.ToUpper(narrow(s))
	switch s {
	case "":
		return false, false, nil
	case "有", "是", "Y", "YES", "1", "√", "✓", "✔", "TRUE", "真", "对", "有财产", "有财产可供执行", "是的":
		return true, true, nil
	case "无", "否", "N", "NO", "0", "×", "✗", "✘", "X", "FALSE", "假", "没有", "不是", "无财产", "无财产可供执行", "空":
		return false, true, nil
	}
	return false, false, errors.New("无法识别，应填写有/无、是/否、Y/N、1/0或√")
}

// isListSep reports whether r separates several names (or phones) in one
// cell: 、,，;； or a line break.
func isListSep(r rune) bool {
	switch r {
	case '、', ',', '，', ';', '；', '\n', '\r':
		return true
	}
	return false
}

// splitList splits a cell holding several names or phones. Empty items
// are kept so that names and phones pair up by position.
func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if !strings.ContainsFunc(s, isListSep) {
		return []string{strings.TrimSpace(s)}
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	start := 0
	for i, r := range s {
		if isListSep(r) {
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a short run of ASCII digits; callers bound the length.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

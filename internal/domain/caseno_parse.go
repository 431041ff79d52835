package domain

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// caseNoFormat is the form shown to users when a case number cannot be read.
const caseNoFormat = "案号格式应为（2021）鲁0102执123号"

// Limits of a case number's parts.
const (
	minCaseYear      = 1990
	maxCaseYear      = 2100
	maxCourtDigits   = 4
	maxSerialDigits  = 9
	maxShownInputLen = 40 // runes of the input quoted back in a message
)

// courtPrefixes are the province-level codes a court code starts with, as
// the case numbering rules of the Supreme People's Court give them, plus
// common alternative abbreviations (蒙, 黔, 滇, 蜀, 陇, 秦) that clerks type.
// 兵 is the Xinjiang Production and Construction Corps, 军 the military
// courts and 最高法 the Supreme People's Court itself.
var courtPrefixes = []string{
	"最高法",
	"京", "津", "冀", "晋", "内", "蒙", "辽", "吉", "黑", "沪", "苏", "浙",
	"皖", "闽", "赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼", "渝", "川",
	"蜀", "贵", "黔", "云", "滇", "藏", "陕", "秦", "甘", "陇", "青", "宁",
	"新", "兵", "军",
}

// ParseCaseNo reads a case number as people and other systems write it:
// with full-width or half-width brackets (（）, (), 〔〕, [], 【】), full-width
// digits, stray spaces anywhere, leading zeros in the serial and with or
// without the final 号. The case type must be one of types; the longest
// that fits wins, so 执恢 is not read as 执. It returns an ErrInvalid error
// whose message says in Chinese what is wrong.
func ParseCaseNo(s string, types []string) (CaseNo, error) {
	return NewCaseNoReader(types).Parse(s)
}

// CaseNoReader is ParseCaseNo with its case types cleaned once, for
// reading many numbers: cleaning them on every number was a fifth of an
// import's row parsing (pprof).
type CaseNoReader struct{ types []string }

// NewCaseNoReader returns a reader of case numbers of the given types.
func NewCaseNoReader(types []string) CaseNoReader {
	return CaseNoReader{types: prepareTypes(types)}
}

// Parse is ParseCaseNo of s with the reader's types.
func (r CaseNoReader) Parse(s string) (CaseNo, error) {
	p := caseNoParser{in: s, r: appendCleanCaseNo(make([]rune, 0, len(s)), s)}
	return p.parse(r.types)
}

// NormalizeCaseNo returns the canonical form of the case number s, as
// CaseNo.String gives it.
func NormalizeCaseNo(s string, types []string) (string, error) {
	c, err := ParseCaseNo(s, types)
	if err != nil {
		return "", err
	}
	return c.String(), nil
}

type caseNoParser struct {
	in  string // the input as given, for messages
	r   []rune // the input cleaned
	pos int
}

func (p *caseNoParser) parse(types []string) (CaseNo, error) {
	var c CaseNo
	if len(p.r) == 0 {
		return c, Invalid("case_no", "请填写案号，"+caseNoFormat)
	}

	if !p.eat(isOpenBracket) {
		if isDigit(p.peek()) {
			return c, p.fail("的年份应写在括号内，" + caseNoFormat)
		}
		return c, p.fail("缺少年份，" + caseNoFormat)
	}
	year := p.digits()
	switch {
	case year == "":
		return c, p.fail("缺少年份，" + caseNoFormat)
	case len(year) != 4:
		return c, p.fail(fmt.Sprintf("中的年份“%s”应为四位数字", year))
	}
	if !p.eat(isCloseBracket) {
		return c, p.fail("中年份后缺少右括号，" + caseNoFormat)
	}
	c.Year = atoi(year)
	if c.Year < minCaseYear || c.Year > maxCaseYear {
		return CaseNo{}, p.fail(fmt.Sprintf("中的年份%d不在%d至%d之间", c.Year, minCaseYear, maxCaseYear))
	}

	if err := p.court(&c, types); err != nil {
		return CaseNo{}, err
	}

	// The type runs up to the serial. It must be one of the configured
	// types as a whole: only the longest type that fits can be followed by
	// the serial, so 执恢123 is never read as type 执.
	start := p.pos
	for p.pos < len(p.r) && !isDigit(p.r[p.pos]) {
		p.pos++
	}
	run := string(p.r[start:p.pos])
	if p.pos == len(p.r) {
		t := strings.TrimRight(run, "号號")
		switch {
		case t == "":
			return CaseNo{}, p.fail("缺少案件类型和序号，" + caseNoFormat)
		case slices.Contains(types, t):
			return CaseNo{}, p.fail("缺少序号，" + caseNoFormat)
		}
	}
	switch {
	case run == "":
		return CaseNo{}, p.fail("缺少案件类型，" + caseNoFormat)
	case len(types) == 0:
		return CaseNo{}, p.fail(fmt.Sprintf("中的案件类型“%s”无法识别：未配置案件类型", show(run)))
	case !slices.Contains(types, run):
		return CaseNo{}, p.fail(fmt.Sprintf("中的案件类型“%s”不在配置的类型中（%s）", show(run), strings.Join(types, "、")))
	}
	c.Type = run

	serial := strings.TrimLeft(p.digits(), "0")
	switch {
	case serial == "":
		return CaseNo{}, p.fail("中的序号应为正整数")
	case len(serial) > maxSerialDigits:
		return CaseNo{}, p.fail(fmt.Sprintf("中的序号不应超过%d位", maxSerialDigits))
	}
	c.Serial = atoi(serial)

	p.eat(func(r rune) bool { return r == '号' || r == '號' })
	if p.pos < len(p.r) {
		return CaseNo{}, p.fail(fmt.Sprintf("末尾有多余的内容“%s”，%s", show(string(p.r[p.pos:])), caseNoFormat))
	}
	return c, nil
}

// court reads the court code: a province prefix and up to four digits.
func (p *caseNoParser) court(c *CaseNo, types []string) error {
	rest := string(p.r[p.pos:])
	for _, prefix := range courtPrefixes {
		if !strings.HasPrefix(rest, prefix) {
			continue
		}
		p.pos += utf8.RuneCountInString(prefix)
		digits := p.digits()
		if len(digits) > maxCourtDigits {
			if tail := strings.TrimRight(string(p.r[p.pos:]), "号號"); tail == "" {
				return p.fail("缺少案件类型，" + caseNoFormat)
			}
			return p.fail(fmt.Sprintf("中的法院代字“%s%s”的数字不应超过%d位", prefix, digits, maxCourtDigits))
		}
		c.Court = prefix + digits
		return nil
	}
	if rest == "" {
		return p.fail("缺少法院代字、案件类型和序号，" + caseNoFormat)
	}
	for _, t := range types {
		if strings.HasPrefix(rest, t) {
			return p.fail("缺少法院代字，" + caseNoFormat)
		}
	}
	first, _ := utf8.DecodeRuneInString(rest)
	if unicode.Is(unicode.Han, first) {
		return p.fail(fmt.Sprintf("中的法院代字应以省份简称开头，“%c”不是省份简称", first))
	}
	return p.fail("缺少法院代字，" + caseNoFormat)
}

// fail returns an ErrInvalid error for the case number: 案号“<input>”<reason>.
func (p *caseNoParser) fail(reason string) error {
	return Invalid("case_no", fmt.Sprintf("案号“%s”%s", show(p.in), reason))
}

func (p *caseNoParser) peek() rune {
	if p.pos < len(p.r) {
		return p.r[p.pos]
	}
	return utf8.RuneError
}

// eat consumes the next rune if ok accepts it.
func (p *caseNoParser) eat(ok func(rune) bool) bool {
	if p.pos < len(p.r) && ok(p.r[p.pos]) {
		p.pos++
		return true
	}
	return false
}

// digits consumes and returns a run of ASCII digits.
func (p *caseNoParser) digits() string {
	start := p.pos
	for p.pos < len(p.r) && isDigit(p.r[p.pos]) {
		p.pos++
	}
	return string(p.r[start:p.pos])
}

// cleanCaseNo folds full-width forms to their narrow equivalents (（ to (,
// ２ to 2, the ideographic space to a space) and drops every space and
// invisible format character, such as a zero-width space pasted from a
// web page.
func cleanCaseNo(s string) string { return string(appendCleanCaseNo(nil, s)) }

// appendCleanCaseNo appends the runes of s cleaned as cleanCaseNo cleans
// them: ASCII, nearly all of a case number, needs no table look-up.
func appendCleanCaseNo(dst []rune, s string) []rune {
	for _, r := range s {
		if r < utf8.RuneSelf {
			if r != ' ' && (r < '\t' || r > '\r') {
				dst = append(dst, r)
			}
			continue
		}
		if f := width.LookupRune(r).Folded(); f != 0 {
			r = f
		}
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		dst = append(dst, r)
	}
	return dst
}

// prepareTypes cleans the configured case types as the input is cleaned,
// and drops those that could never match: empty, or containing a digit.
func prepareTypes(types []string) []string {
	out := make([]string, 0, len(types))
	for _, t := range types {
		t = cleanCaseNo(t)
		if t == "" || strings.ContainsFunc(t, isDigit) || slices.Contains(out, t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// show makes user input safe to quote in a message: valid UTF-8, no
// control characters, and not too long.
func show(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxShownInputLen {
		s = string([]rune(s)[:maxShownInputLen]) + "…"
	}
	return s
}

func isOpenBracket(r rune) bool  { return strings.ContainsRune("([{〔【〖〘﹙﹝", r) }
func isCloseBracket(r rune) bool { return strings.ContainsRune(")]}〕】〗〙﹚﹞", r) }
func isDigit(r rune) bool        { return '0' <= r && r <= '9' }

// atoi converts a short run of ASCII digits; callers bound the length.
func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// CaseNoQuery is what a case number written in part says: the serial
// always, and each of the year, court code and case type when given.
type CaseNoQuery struct {
	Year   int    // 0 when not given
	Court  string // the court code, "鲁0102"; "" when not given
	Type   string // "" when not given
	Serial int
}

// Full reports whether every part was given, so that the query names one
// case number.
func (q CaseNoQuery) Full() bool { return q.Year != 0 && q.Court != "" && q.Type != "" }

// ParseCaseNoQuery reads a case number written in part, as people search
// for one: "183", "183号", "执183号", "鲁0102执183号", "（2026）鲁0102执183号",
// "(2026)183", "2026 183" or "2026年执183号", in the widths and spacings
// ParseCaseNo accepts. The serial must be there; the parts given must be
// in the order of a case number. ok is false when s is not such a number
// (a name, say), so that the caller searches it otherwise.
func ParseCaseNoQuery(s string, types []string) (q CaseNoQuery, ok bool) {
	// Spaces separate a year from a serial ("2026 183") before they are
	// dropped, so read them first: fold widths, then split on spaces.
	fields := strings.FieldsFunc(strings.Map(func(r rune) rune {
		if f := width.LookupRune(r).Folded(); f != 0 {
			r = f
		}
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s), unicode.IsSpace)
	if len(fields) == 0 {
		return q, false
	}
	r := []rune(strings.Join(fields, ""))
	// A leading bare year counts only when something marks where it ends:
	// a space, 年, or a case type or court after it.
	bareYearEnds := len(fields) > 1 && len([]rune(fields[0])) == 4 && strings.IndexFunc(fields[0], func(r rune) bool { return !isDigit(r) }) < 0

	p := caseNoParser{r: r}
	types = prepareTypes(types)
	switch {
	case p.eat(isOpenBracket):
		year := p.digits()
		if len(year) != 4 || !p.eat(isCloseBracket) {
			return q, false
		}
		q.Year = atoi(year)
	case isDigit(p.peek()):
		start := p.pos
		year := p.digits()
		if bareYearEnds {
			year, p.pos = fields[0], start+4
		}
		next := p.peek()
		if len(year) == 4 && (bareYearEnds || next == '年' || (p.pos < len(p.r) && !isDigit(next))) {
			q.Year = atoi(year)
			p.eat(func(r rune) bool { return r == '年' })
		} else {
			p.pos = start
		}
	}
	if q.Year != 0 && (q.Year < minCaseYear || q.Year > maxCaseYear) {
		return q, false
	}

	rest := string(p.r[p.pos:])
	for _, prefix := range courtPrefixes {
		if !strings.HasPrefix(rest, prefix) {
			continue
		}
		p.pos += utf8.RuneCountInString(prefix)
		digits := p.digits()
		if len(digits) > maxCourtDigits || p.pos == len(p.r) || isDigit(p.peek()) {
			return q, false
		}
		q.Court = prefix + digits
		break
	}

	start := p.pos
	for p.pos < len(p.r) && !isDigit(p.r[p.pos]) {
		p.pos++
	}
	if run := string(p.r[start:p.pos]); run != "" {
		if !slices.Contains(types, run) {
			return q, false
		}
		q.Type = run
	}

	serial := strings.TrimLeft(p.digits(), "0")
	if serial == "" || len(serial) > maxSerialDigits {
		return q, false
	}
	q.Serial = atoi(serial)
	p.eat(func(r rune) bool { return r == '号' || r == '號' })
	if p.pos < len(p.r) {
		return q, false
	}
	return q, true
}

package deadline

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// Calendar tells working days from rest days under the State Council's
// yearly holiday arrangement: Saturdays and Sundays rest unless listed as
// adjusted working days (调休上班); listed holidays rest. A nil *Calendar
// knows only weekends.
type Calendar struct {
	days  map[int]calendarDay
	years map[int]bool
}

type calendarDay struct {
	rest bool
	name string
	line int // where it was defined, to name both lines when two disagree
}

// maxRange bounds one line's range, so a mistyped year (2026-10-01~2027-10-08)
// is caught instead of resting a whole year.
const maxRange = 366

// maxProblems caps the bad lines reported at once.
const maxProblems = 20

func newCalendar() *Calendar {
	return &Calendar{days: map[int]calendarDay{}, years: map[int]bool{}}
}

// key avoids using time.Time inside a map key.
func key(d domain.Date) int { return d.Year()*10000 + int(d.Month())*100 + d.Day() }

// ParseCalendar reads a holiday arrangement a court can keep in a text or
// CSV file, one day or range per line:
//
//	# 2026年国庆节
//	2026-10-01~2026-10-07,休,国庆节
//	2026-10-10,班,国庆节调休
//
// The kind is 休/休息/放假/holiday or 班/上班/workday; the name is optional.
// Blank lines and text after # are ignored; full-width ，and ～ are accepted.
// Every bad line is reported, by number, in one ErrInvalid error.
func ParseCalendar(r io.Reader) (*Calendar, error) {
	c := newCalendar()
	var problems []string
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if msg := c.parseLine(line, n); msg != "" {
			problems = append(problems, fmt.Sprintf("第%d行：%s", n, msg))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading calendar: %w", err)
	}
	if len(problems) > 0 {
		return nil, domain.Invalid("calendar", "节假日安排有误："+joinProblems(problems))
	}
	return c, nil
}

// parseLine adds one line's days to c, or returns what is wrong with it.
func (c *Calendar) parseLine(line string, n int) string {
	fields := strings.Split(strings.ReplaceAll(line, "，", ","), ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	if len(fields) < 2 {
		return fmt.Sprintf("“%s”缺少类型，应为“2026-10-01,休,国庆节”或“2026-09-27,班,国庆节调休”", line)
	}
	from, to, msg := parseRange(fields[0])
	if msg != "" {
		return msg
	}
	rest, ok := parseKind(fields[1])
	if !ok {
		return fmt.Sprintf("类型“%s”无法识别，应为“休”或“班”", fields[1])
	}
	name := strings.Join(fields[2:], ",")
	for d := from; !d.After(to); d = d.AddDays(1) {
		if old, ok := c.days[key(d)]; ok && old.rest != rest {
			return fmt.Sprintf("%s已在第%d行标为“%s”，与本行矛盾", d, old.line, kindName(old.rest))
		}
	}
	for d := from; !d.After(to); d = d.AddDays(1) {
		if old, ok := c.days[key(d)]; ok && name == "" {
			name = old.name
		}
		c.days[key(d)] = calendarDay{rest: rest, name: name, line: n}
		c.years[d.Year()] = true
	}
	return ""
}

func parseRange(s string) (from, to domain.Date, msg string) {
	s = strings.ReplaceAll(s, "～", "~")
	a, b, isRange := strings.Cut(s, "~")
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	from, err := domain.ParseDate(a)
	if err != nil {
		return from, to, fmt.Sprintf("日期“%s”无效，应为“2026-10-01”这样的格式", a)
	}
	if !isRange {
		return from, from, ""
	}
	to, err = domain.ParseDate(b)
	if err != nil {
		return from, to, fmt.Sprintf("日期“%s”无效，应为“2026-10-01”这样的格式", b)
	}
	switch {
	case to.Before(from):
		return from, to, fmt.Sprintf("日期范围“%s”的结束日早于开始日", s)
	case from.DaysUntil(to) >= maxRange:
		return from, to, fmt.Sprintf("日期范围“%s”超过一年，请检查年份", s)
	}
	return from, to, ""
}

func parseKind(s string) (rest, ok bool) {
	switch strings.ToLower(s) {
	case "休", "休息", "放假", "假", "holiday", "rest":
		return true, true
	case "班", "上班", "工作", "workday", "work":
		return false, true
	}
	return false, false
}

func kindName(rest bool) string {
	if rest {
		return "休"
	}
	return "班"
}

func joinProblems(problems []string) string {
	if len(problems) > maxProblems {
		more := len(problems) - maxProblems
		problems = append(problems[:maxProblems:maxProblems], fmt.Sprintf("另有%d处错误未列出", more))
	}
	return strings.Join(problems, "；")
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d domain.Date) bool {
	if c != nil {
		if day, ok := c.days[key(d)]; ok {
			return !day.rest
		}
	}
	w := d.Weekday()
	return w != time.Saturday && w != time.Sunday
}

// NextWorkday returns d if it is a working day, else the first working day
// after it. It always ends: past the listed days only weekends rest.
func (c *Calendar) NextWorkday(d domain.Date) domain.Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkdays returns the n-th working day after d, d itself not counted;
// a negative n counts back. AddWorkdays(d, 0) is d.
func (c *Calendar) AddWorkdays(d domain.Date, n int) domain.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// Note returns the name given to d in the arrangement (国庆节, 春节调休),
// or "" if d is not listed.
func (c *Calendar) Note(d domain.Date) string {
	if c == nil {
		return ""
	}
	return c.days[key(d)].name
}

// Covers reports whether the calendar lists any day of year y. A year it
// does not cover is judged by weekends alone, which is wrong around every
// holiday, so callers should warn.
func (c *Calendar) Covers(y int) bool { return c != nil && c.years[y] }

// Merge returns a new calendar with c's days overlaid by other's: where both
// list a day, other wins, so a court's own file corrects the built-in one.
// Neither c nor other changes.
func (c *Calendar) Merge(other *Calendar) *Calendar {
	m := newCalendar()
	for _, src := range []*Calendar{c, other} {
		if src != nil {
			maps.Copy(m.days, src.days)
			maps.Copy(m.years, src.years)
		}
	}
	return m
}

// workdaysIn counts the working days from a to b, both included.
func (c *Calendar) workdaysIn(a, b domain.Date) int {
	n := 0
	for d := a; !d.After(b); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

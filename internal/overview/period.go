package overview

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// PeriodKind is how a period was chosen.
type PeriodKind string

// The kinds of period the cockpit counts over.
const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodYear    PeriodKind = "year"
	PeriodRange   PeriodKind = "range"
)

// Period is the span of days the figures count over, both ends included.
type Period struct {
	Kind     PeriodKind
	From, To domain.Date
}

// Month is the calendar month m of year y.
func Month(y int, m time.Month) Period {
	from := domain.NewDate(y, m, 1)
	return Period{PeriodMonth, from, from.AddMonths(1).AddDays(-1)}
}

// Quarter is quarter q (1–4) of year y.
func Quarter(y, q int) Period {
	from := domain.NewDate(y, time.Month(3*q-2), 1)
	return Period{PeriodQuarter, from, from.AddMonths(3).AddDays(-1)}
}

// Year is the calendar year y.
func Year(y int) Period {
	return Period{PeriodYear, domain.NewDate(y, 1, 1), domain.NewDate(y, 12, 31)}
}

// Range is the days from one date to another, both included.
func Range(from, to domain.Date) Period { return Period{PeriodRange, from, to} }

var (
	yearRE    = regexp.MustCompile(`^(\d{4})$`)
	quarterRE = regexp.MustCompile(`^(\d{4})-?[Qq]([1-4])$`)
	monthRE   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
)

// ParsePeriod reads a period as the page and the API write it: 2026 (a
// year), 2026-Q2 (a quarter), 2026-03 (a month), or 2026-01-01~2026-03-31
// (days, both included; "至" or ".." may stand for "~"). "" is the
// current month on today.
func ParsePeriod(s string, today domain.Date) (Period, error) {
	s = strings.TrimSpace(s)
	bad := domain.Invalid("period", "统计期间应写作 2026（年）、2026-Q2（季度）、2026-03（月）或 2026-01-01~2026-03-31（起止日期）")
	switch {
	case s == "":
		return Month(today.Year(), today.Month()), nil
	case yearRE.MatchString(s):
		y, _ := strconv.Atoi(s)
		if y < 2000 || y > 2100 {
			return Period{}, bad
		}
		return Year(y), nil
	case quarterRE.MatchString(s):
		m := quarterRE.FindStringSubmatch(s)
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		if y < 2000 || y > 2100 {
			return Period{}, bad
		}
		return Quarter(y, q), nil
	case monthRE.MatchString(s):
		from, _, err := domain.ParseMonth(s)
		if err != nil || from.Year() < 2000 || from.Year() > 2100 {
			return Period{}, bad
		}
		return Month(from.Year(), from.Month()), nil
	}
	for _, sep := range []string{"~", "至", ".."} {
		a, b, ok := strings.Cut(s, sep)
		if !ok {
			continue
		}
		from, err1 := domain.ParseDate(strings.TrimSpace(a))
		to, err2 := domain.ParseDate(strings.TrimSpace(b))
		if err1 != nil || err2 != nil {
			return Period{}, bad
		}
		if to.Before(from) {
			return Period{}, domain.Invalid("period", "统计期间的结束日期早于开始日期")
		}
		if from.DaysUntil(to) > 3*366 {
			return Period{}, domain.Invalid("period", "统计期间不得超过三年")
		}
		return Range(from, to), nil
	}
	return Period{}, bad
}

// String writes the period as ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case PeriodYear:
		return strconv.Itoa(p.From.Year())
	case PeriodQuarter:
		return fmt.Sprintf("%d-Q%d", p.From.Year(), (int(p.From.Month())+2)/3)
	case PeriodMonth:
		return p.From.String()[:7]
	}
	return p.From.String() + "~" + p.To.String()
}

// Label is the period in words: 2026年, 2026年第二季度, 2026年3月,
// 2026年1月1日至2026年3月31日.
func (p Period) Label() string {
	switch p.Kind {
	case PeriodYear:
		return fmt.Sprintf("%d年", p.From.Year())
	case PeriodQuarter:
		return fmt.Sprintf("%d年第%s季度", p.From.Year(), []string{"一", "二", "三", "四"}[(int(p.From.Month())-1)/3])
	case PeriodMonth:
		return fmt.Sprintf("%d年%d月", p.From.Year(), p.From.Month())
	}
	return p.From.Chinese() + "至" + p.To.Chinese()
}

// Until is the period's last day as known on today: its end, or today
// when the period has not ended.
func (p Period) Until(today domain.Date) domain.Date {
	if today.Before(p.To) {
		return today
	}
	return p.To
}

// Started reports whether the period has begun on today.
func (p Period) Started(today domain.Date) bool { return !today.Before(p.From) }

// Months are the calendar months the period touches, YYYY-MM, in order.
func (p Period) Months() []string {
	var out []string
	for m := domain.NewDate(p.From.Year(), p.From.Month(), 1); !m.After(p.To); m = m.AddMonths(1) {
		out = append(out, m.String()[:7])
	}
	return out
}

// Contains reports whether day d is within the period.
func (p Period) Contains(d domain.Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// TrendMonths are the n calendar months ending with the month of the
// period's last day, oldest first: the months of the cockpit's trend.
func (p Period) TrendMonths(n int) []Period {
	last := domain.NewDate(p.To.Year(), p.To.Month(), 1)
	out := make([]Period, n)
	for i := range n {
		m := last.AddMonths(i - n + 1)
		out[i] = Month(m.Year(), m.Month())
	}
	return out
}

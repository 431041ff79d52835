package report

import (
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
)

// Kinds are the kinds of report, by the period they cover, in order.
var Kinds = []overview.PeriodKind{overview.PeriodMonth, overview.PeriodQuarter, overview.PeriodYear}

// KindLabel is a kind of report in words: 月报, 季报, 年报.
func KindLabel(k overview.PeriodKind) string {
	switch k {
	case overview.PeriodMonth:
		return "月报"
	case overview.PeriodQuarter:
		return "季报"
	case overview.PeriodYear:
		return "年报"
	}
	return string(k)
}

// ParsePeriod reads the period of a report as the cockpit writes one —
// 2026-03, 2026-Q1 or 2026 —; a range of days is not a report's period.
func ParsePeriod(s string) (overview.Period, error) {
	bad := domain.Invalid("period", "报告期间应为一个月（2026-03）、一个季度（2026-Q1）或一年（2026）")
	if s == "" {
		return overview.Period{}, bad
	}
	p, err := overview.ParsePeriod(s, domain.Date{})
	if err != nil || p.Kind == overview.PeriodRange {
		return overview.Period{}, bad
	}
	return p, nil
}

// Of is the period of kind k that contains day d.
func Of(k overview.PeriodKind, d domain.Date) overview.Period {
	switch k {
	case overview.PeriodQuarter:
		return overview.Quarter(d.Year(), (int(d.Month())+2)/3)
	case overview.PeriodYear:
		return overview.Year(d.Year())
	}
	return overview.Month(d.Year(), d.Month())
}

// Previous is the period of the same kind just before p.
func Previous(p overview.Period) overview.Period { return Of(p.Kind, p.From.AddDays(-1)) }

// LastEnded is the latest period of kind k that has ended before today:
// the report now owed.
func LastEnded(k overview.PeriodKind, today domain.Date) overview.Period {
	return Previous(Of(k, today))
}

// Ended reports whether period p is over on today.
func Ended(p overview.Period, today domain.Date) bool { return p.To.Before(today) }

// CheckPeriod checks that a court may draft a report of p on today: a
// month, quarter or year that has begun. It is submitted once p is over.
func CheckPeriod(p overview.Period, today domain.Date) error {
	if p.Kind == overview.PeriodRange || p.From.IsZero() {
		return domain.Invalid("period", "报告期间应为一个月、一个季度或一年")
	}
	if today.Before(p.From) {
		return domain.Invalid("period", "报告期间尚未开始，不能起草该期间的报告")
	}
	return nil
}

// CheckSubmitPeriod checks that a report of p may be submitted on today:
// after its period is over, when its figures are complete.
func CheckSubmitPeriod(p overview.Period, today domain.Date) error {
	if !Ended(p, today) {
		return domain.Errorf(domain.ErrConflict, "报告期间%s尚未结束，期间结束后方可报送。", p.Label())
	}
	return nil
}

// Choices are the periods a court picks a report from on today, latest
// first: the months of the last year, the last four quarters and the last
// two years that have begun, the current ones first.
func Choices(today domain.Date) []overview.Period {
	var out []overview.Period
	add := func(k overview.PeriodKind, n int) {
		p := Of(k, today)
		for range n {
			out = append(out, p)
			p = Previous(p)
		}
	}
	add(overview.PeriodMonth, 13)
	add(overview.PeriodQuarter, 5)
	add(overview.PeriodYear, 3)
	return out
}

// DueRules say by when a report is due: by the given day of the month that
// follows its period (a day past that month's end is its last day). The
// whole installation — a province — shares them: they are the provincial
// court's instruction, not a court's own setting.
type DueRules struct {
	Month, Quarter, Year int
}

// DefaultDueRules: a month's report by the 10th of the next month, a
// quarter's by the 15th of the month after it, a year's by 31 January.
func DefaultDueRules() DueRules { return DueRules{Month: 10, Quarter: 15, Year: 31} }

// Validate checks each day is a day of a month.
func (r DueRules) Validate() error {
	for _, x := range []struct {
		flag string
		day  int
	}{{"--report-due-monthly", r.Month}, {"--report-due-quarterly", r.Quarter}, {"--report-due-yearly", r.Year}} {
		if x.day < 1 || x.day > 31 {
			return fmt.Errorf("%s %d: want a day of the month, 1 to 31", x.flag, x.day)
		}
	}
	return nil
}

// Due is the day a report of p is due.
func (r DueRules) Due(p overview.Period) domain.Date {
	day := r.Month
	switch p.Kind {
	case overview.PeriodQuarter:
		day = r.Quarter
	case overview.PeriodYear:
		day = r.Year
	}
	next := domain.NewDate(p.To.Year(), p.To.Month(), 1).AddMonths(1)
	last := next.AddMonths(1).AddDays(-1).Day()
	return domain.NewDate(next.Year(), next.Month(), min(day, last))
}

// Late reports whether a report of p not submitted is late on today.
func (r DueRules) Late(p overview.Period, today domain.Date) bool { return today.After(r.Due(p)) }

// LatestDue is the latest period of kind k whose report was due before
// today: where a court that has not submitted is late.
func (r DueRules) LatestDue(k overview.PeriodKind, today domain.Date) overview.Period {
	p := LastEnded(k, today)
	for !r.Late(p, today) {
		p = Previous(p)
	}
	return p
}

// Text says the rules in words, for the pages.
func (r DueRules) Text() string {
	return fmt.Sprintf("月报于次月%d日前、季报于季度结束后次月%d日前、年报于次年1月%d日前报送上一级法院", r.Month, r.Quarter, r.Year)
}

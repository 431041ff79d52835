package visit

import (
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// DrawDeadline is the day by which the daily sample of month ("2026-04")
// is owed: the first day of the second month after it, the draw being due
// in the month after the closings. ok is false for a month that cannot be
// read.
func DrawDeadline(month string) (domain.Date, bool) {
	m, _, err := domain.ParseMonth(month)
	if err != nil {
		return domain.Date{}, false
	}
	return m.AddMonths(2), true
}

// DrawnOnTime reports whether month's daily sample, drawn at at, was drawn
// by its deadline (Beijing time): what the cockpit's 按时抽取率 counts.
func DrawnOnTime(month string, at time.Time) bool {
	d, ok := DrawDeadline(month)
	if !ok {
		return false
	}
	due := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, domain.Beijing)
	return at.Before(due)
}

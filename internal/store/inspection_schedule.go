package store

import "github.com/zhilian/zhilian/internal/domain"

// The periods a campaign repeats on.
const (
	ScheduleQuarterly  = "quarterly"
	ScheduleHalfYearly = "half_yearly"
	ScheduleYearly     = "yearly"
)

// ScheduleLabel names a period in Chinese.
func ScheduleLabel(s string) string {
	switch s {
	case ScheduleQuarterly:
		return "每季度"
	case ScheduleHalfYearly:
		return "每半年"
	case ScheduleYearly:
		return "每年"
	}
	return "不重复"
}

// NextRun is the day after from on which a campaign repeating on schedule
// is made again: three, six or twelve months on.
func NextRun(schedule string, from domain.Date) domain.Date {
	months := map[string]int{ScheduleQuarterly: 3, ScheduleHalfYearly: 6, ScheduleYearly: 12}[schedule]
	return from.AddMonths(months)
}

// DuePeriod returns the period of the campaign a template repeating on
// schedule makes on today, given the template's period from–to and its
// next run next: the latest run day on or before today starts it, and it
// lasts as long as the template's (a whole quarter, half-year or year
// when the template's was); after is the run day following it. ok
// is false when no run is due. A server that was off for several periods
// makes the current period's campaign only: campaigns for periods already
// past would be work nobody can still do on time.
func DuePeriod(schedule string, from, to, next, today domain.Date) (start, end, after domain.Date, ok bool) {
	if schedule == "" || next.IsZero() || today.Before(next) {
		return start, end, after, false
	}
	start = next
	for {
		n := NextRun(schedule, start)
		if today.Before(n) || !n.After(start) {
			break
		}
		start = n
	}
	after = NextRun(schedule, start)
	end = start.AddDays(from.DaysUntil(to))
	if to == NextRun(schedule, from).AddDays(-1) {
		end = after.AddDays(-1) // a whole quarter (half-year, year) stays whole
	}
	return start, end, after, true
}

// nextRun is the next_on column of a campaign repeating on schedule from
// from: NULL for one that does not repeat.
func nextRun(schedule string, from domain.Date) any {
	if schedule == "" {
		return nil
	}
	return NextRun(schedule, from)
}

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

package tracking

import (
	"slices"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// RecState is where a recommendation stands for the statistics: open,
// closed (every item accepted) or overdue (an item past its deadline and
// not accepted).
type RecState string

// Recommendation states for the statistics.
const (
	RecOpen    RecState = "open"
	RecClosed  RecState = "closed"
	RecOverdue RecState = "overdue"
)

// Label returns the Chinese name of the state.
func (s RecState) Label() string {
	switch s {
	case RecOpen:
		return "整改中"
	case RecClosed:
		return "已销号"
	case RecOverdue:
		return "逾期"
	}
	return string(s)
}

// RecItem is what RecStateOf reads of one rectification item.
type RecItem struct {
	State    oversight.ItemState
	Deadline domain.Date
}

// RecStateOf is the state of a recommendation whose rectification has
// deadline due and items on today: overdue when an item, or the
// rectification without items, is past its deadline and not accepted;
// closed when it has items and all are accepted; otherwise open.
func RecStateOf(due domain.Date, items []RecItem, today domain.Date) RecState {
	if len(items) == 0 {
		if oversight.Overdue(oversight.StatePending, due, today) {
			return RecOverdue
		}
		return RecOpen
	}
	if slices.ContainsFunc(items, func(it RecItem) bool { return oversight.Overdue(it.State, it.Deadline, today) }) {
		return RecOverdue
	}
	if !slices.ContainsFunc(items, func(it RecItem) bool { return it.State != oversight.StateClosed }) {
		return RecClosed
	}
	return RecOpen
}

// DaysToDecision is how many days a tracking took from candidate (since)
// to its decision (at, Beijing time); -1 when it is not decided.
func DaysToDecision(since domain.Date, at time.Time) int {
	if at.IsZero() || since.IsZero() {
		return -1
	}
	return max(since.DaysUntil(domain.DateOf(at, domain.Beijing)), 0)
}

// Median is the median of days (the lower middle of an even count); 0 for
// none.
func Median(days []int) int {
	if len(days) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(days))
	return s[(len(s)-1)/2]
}

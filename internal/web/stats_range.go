package web

import (
	"net/url"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// statsMonths reads a statistics page's month range, from and to as
// YYYY-MM (typed as text, so that no browser shows its own language's
// month names); the default is the twelve months up to today's. A month
// that cannot be read, or a range that ends before it starts, is refused
// beside its field with the range as typed, never silently replaced.
func statsMonths(q url.Values, today domain.Date) (from, to string, err error) {
	from, to = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	fe := domain.FieldErrors{}
	if to == "" {
		to = today.String()[:7]
	} else if _, _, err := domain.ParseMonth(to); err != nil {
		fe.Add("to", "截止月份应写作 年-月，如 2026-10")
	}
	if from == "" {
		if last, _, err := domain.ParseMonth(to); err == nil {
			from = last.AddMonths(-11).String()[:7]
		}
	} else if _, _, err := domain.ParseMonth(from); err != nil {
		fe.Add("from", "起始月份应写作 年-月，如 2026-01")
	}
	if len(fe) == 0 && from > to {
		fe.Add("from", "起始月份"+from+"晚于截止月份"+to+"，请改正")
	}
	return from, to, fe.Err()
}

package synth

import (
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// calendar holds every day of the window, so that the generator does date
// arithmetic on indexes rather than through package time.
type calendar struct {
	days    []domain.Date // days[0] is the start of the window, the last is today
	workday []bool
	cum     []float64 // cumulative filing weights
	total   float64
}

// monthWeights shape filings over the year: fewer in February (Spring
// Festival) and in December, when courts close rather than file, and in
// October (National Day); a rush after the holidays.
var monthWeights = [13]float64{0, 1.05, 0.7, 1.15, 1.05, 1.0, 1.05, 1.05, 1.0, 1.05, 0.9, 1.0, 0.85}

// springFestival gives the lunar new year, whose week of holiday moves
// with the lunar calendar.
var springFestival = map[int]domain.Date{
	2015: domain.NewDate(2015, 2, 19), 2016: domain.NewDate(2016, 2, 8), 2017: domain.NewDate(2017, 1, 28),
	2018: domain.NewDate(2018, 2, 16), 2019: domain.NewDate(2019, 2, 5), 2020: domain.NewDate(2020, 1, 25),
	2021: domain.NewDate(2021, 2, 12), 2022: domain.NewDate(2022, 2, 1), 2023: domain.NewDate(2023, 1, 22),
	2024: domain.NewDate(2024, 2, 10), 2025: domain.NewDate(2025, 1, 29), 2026: domain.NewDate(2026, 2, 17),
	2027: domain.NewDate(2027, 2, 6), 2028: domain.NewDate(2028, 1, 26), 2029: domain.NewDate(2029, 2, 13),
	2030: domain.NewDate(2030, 2, 3), 2031: domain.NewDate(2031, 1, 23), 2032: domain.NewDate(2032, 2, 11),
	2033: domain.NewDate(2033, 1, 31), 2034: domain.NewDate(2034, 2, 19), 2035: domain.NewDate(2035, 2, 8),
}

func newCalendar(start, today domain.Date) calendar {
	n := start.DaysUntil(today) + 1
	c := calendar{days: make([]domain.Date, n), workday: make([]bool, n), cum: make([]float64, n)}
	for i := range n {
		d := start.AddDays(i)
		w := filingWeight(d)
		c.days[i], c.workday[i] = d, w > 0
		c.total += w
		c.cum[i] = c.total
	}
	if c.total == 0 { // a window with no working day: file on any day
		for i := range n {
			c.workday[i] = true
			c.total++
			c.cum[i] = c.total
		}
	}
	return c
}

// filingWeight is the relative number of cases filed on d: none at
// weekends and public holidays.
func filingWeight(d domain.Date) float64 {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return 0
	}
	m, day := d.Month(), d.Day()
	switch {
	case m == time.January && day == 1,
		m == time.May && day <= 5,
		m == time.October && day <= 7:
		return 0
	}
	w := monthWeights[m]
	if sf, ok := springFestival[d.Year()]; ok {
		switch k := sf.DaysUntil(d); {
		case k >= -1 && k <= 6:
			return 0
		case k >= -7 && k < -1, k > 6 && k <= 14:
			w *= 0.6 // nobody starts a case just before the holiday, and work resumes slowly
		}
	}
	return w
}

func (c *calendar) today() int { return len(c.days) - 1 }

func (c *calendar) weight(i int) float64 {
	if i == 0 {
		return c.cum[0]
	}
	return c.cum[i] - c.cum[i-1]
}

// workdayOnOrBefore moves day i back to a working day, but not before
// floor. Days past the window are returned as they are: they are in the
// future, and the caller drops them.
func (c *calendar) workdayOnOrBefore(i, floor int) int {
	for i > floor && i < len(c.days) && !c.workday[i] {
		i--
	}
	return i
}

package domain

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day with no time of day or zone: filing dates,
// closing dates, legal deadlines. The zero Date means "no date". It is
// stored as the text YYYY-MM-DD on both engines, which sorts and compares
// correctly as text.
type Date struct{ t time.Time }

// NewDate returns the date y-m-d; out-of-range values normalise as in
// time.Date.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("parsing date %q: %w", s, ErrInvalid)
	}
	return Date{t}, nil
}

// MustDate is ParseDate for literals in tests and tables; it panics on a
// bad literal.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// ParseMonth checks YYYY-MM and returns its first day and the next month's.
func ParseMonth(month string) (from, to Date, err error) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return from, to, Invalid("month", "月份应写作 YYYY-MM，如 2026-10")
	}
	from = NewDate(t.Year(), t.Month(), 1)
	return from, from.AddMonths(1), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// Append appends String's YYYY-MM-DD to b, without a string between.
func (d Date) Append(b []byte) []byte {
	if d.IsZero() {
		return b
	}
	return d.t.AppendFormat(b, "2006-01-02")
}

// Chinese returns 2021年3月5日.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.t.Year(), d.t.Month(), d.t.Day())
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return d.t }

// Year, Month, Day and Weekday give the parts of d.
func (d Date) Year() int             { return d.t.Year() }
func (d Date) Month() time.Month     { return d.t.Month() }
func (d Date) Day() int              { return d.t.Day() }
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths returns d plus n months. As in Chinese procedural law, a period
// in months ends on the same day of the month; when that month is shorter,
// on its last day (2021-01-31 plus one month is 2021-02-28).
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return NewDate(first.Year(), first.Month(), min(day, last))
}

// Before, After and Equal compare days.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }
func (d Date) After(e Date) bool  { return d.t.After(e.t) }
func (d Date) Equal(e Date) bool  { return d.t.Equal(e.t) }

// DaysUntil returns the number of days from d to e (negative if e is
// earlier).
func (d Date) DaysUntil(e Date) int { return int(e.t.Sub(d.t).Hours() / 24) }

// Value stores d as YYYY-MM-DD, or NULL for the zero Date.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date stored as text (or as a time by a driver that parses
// it).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
		return nil
	}
	return fmt.Errorf("scanning date from %T", src)
}

func (d *Date) scanString(s string) error {
	if s == "" {
		*d = Date{}
		return nil
	}
	if len(s) > 10 {
		s = s[:10]
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalText writes YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; empty gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error { return d.scanString(string(b)) }

// Beijing is Asia/Shanghai, the time zone courts work in: stored times are
// UTC and shown, and turned into dates, in Beijing time. (A fixed UTC+8
// stands in where no zone database exists; China has no daylight saving.)
var Beijing = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

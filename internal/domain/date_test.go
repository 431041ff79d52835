package domain

import (
	"errors"
	"testing"
)

func TestParseMonth(t *testing.T) {
	for month, want := range map[string][2]string{
		"2026-10": {"2026-10-01", "2026-11-01"},
		"2026-12": {"2026-12-01", "2027-01-01"},
	} {
		from, to, err := ParseMonth(month)
		if err != nil || from.String() != want[0] || to.String() != want[1] {
			t.Errorf("%s: %s, %s, %v; want %s, %s", month, from, to, err, want[0], want[1])
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-1", "2026-10-01", "十月"} {
		if _, _, err := ParseMonth(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v, want ErrInvalid", bad, err)
		}
	}
}

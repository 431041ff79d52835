package domain

import (
	"errors"
	"strings"
	"testing"
)

// A case from any edge is checked the same way: limits first, then what
// every case must have.
func TestCaseValidate(t *testing.T) {
	ok := func() *Case {
		return &Case{Number: "（2026）鲁0102执1号", FiledOn: MustDate("2026-01-05"), Parties: []Party{{Name: "甲公司"}}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	for field, change := range map[string]func(*Case){
		"officer":   func(c *Case) { c.Officer = strings.Repeat("张", 101) },
		"parties":   func(c *Case) { c.Parties = make([]Party, 101) },
		"party":     func(c *Case) { c.Parties[0].Name = " " },
		"case_no":   func(c *Case) { c.Number = "" },
		"filed_on":  func(c *Case) { c.FiledOn = Date{} },
		"closed_on": func(c *Case) { c.ClosedOn = MustDate("2025-12-31") },
		"amount":    func(c *Case) { c.Amount = -1 },
	} {
		c := ok()
		change(c)
		var e *Error
		err := c.Validate()
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

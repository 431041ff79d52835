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
		return &Case{No: CaseNo{Year: 2026, Court: "鲁0102", Type: "执", Serial: 1}, Number: "（2026）鲁0102执1号", FiledOn: MustDate("2026-01-05"), Parties: []Party{{Name: "甲公司"}}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	// Issue 13, point 16: a number of another year than the filing.
	c := ok()
	c.FiledOn = MustDate("2025-12-30")
	if err := c.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "案号年度（2026）与立案日期2025-12-30的年份不一致") {
		t.Errorf("number of another year: %v", err)
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

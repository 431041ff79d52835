package deadline

import (
	"errors"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// A pause and an extension say what is missing, field by field.
func TestLedgerValidate(t *testing.T) {
	filed := domain.MustDate("2025-03-01")
	good := Pause{Kind: "中止执行", Basis: "中止裁定", Start: domain.MustDate("2025-04-01")}
	if err := good.Validate(filed); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		p     Pause
		field string
	}{
		"no kind":           {Pause{Basis: "x", Start: good.Start}, "kind"},
		"no basis":          {Pause{Kind: "x", Start: good.Start}, "basis"},
		"before filing":     {Pause{Kind: "x", Basis: "x", Start: domain.MustDate("2025-02-01")}, "start"},
		"ends before start": {Pause{Kind: "x", Basis: "x", Start: good.Start, End: domain.MustDate("2025-03-15")}, "end"},
	} {
		var ve *domain.ValidationError
		if err := c.p.Validate(filed); !errors.As(err, &ve) || ve.Fields[c.field] == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := (Extension{Amount: 3, Unit: CalendarMonths, ApprovedOn: filed, Basis: "审批表"}).Validate(); err != nil {
		t.Fatal(err)
	}
	var ve *domain.ValidationError
	if err := (Extension{Amount: 40}).Validate(); !errors.As(err, &ve) || ve.Fields["months"] == "" || ve.Fields["approved_on"] == "" || ve.Fields["basis"] == "" {
		t.Fatalf("a bad extension: %v", err)
	}
}

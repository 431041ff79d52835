package trip

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

func field(err error) string {
	var e *domain.Error
	if errors.As(err, &e) {
		return e.Field
	}
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		for f := range ve.Fields {
			return f
		}
	}
	return ""
}

// The forms of the trip reports refuse what the seed's forms need filled,
// naming the field.
func TestFormChecks(t *testing.T) {
	today := domain.MustDate("2026-11-20")
	dep := time.Date(2026, 11, 2, 8, 0, 0, 0, domain.Beijing)
	plan := func() *Plan {
		return &Plan{CaseNumbers: []string{"（2026）鲁0102执1号"}, Destinations: []string{"110101"}, DepartAt: dep, ReturnAt: dep.Add(48 * time.Hour), Task: " 查控 "}
	}
	if p := plan(); p.Validate() != nil || p.Task != "查控" {
		t.Fatalf("a good plan: %v %q", p.Validate(), p.Task)
	}
	answers := Answers{}
	for _, it := range Items {
		answers[it.Code] = false
	}
	annex1 := func() *Annex1Input {
		return &Annex1Input{ReturnedOn: today, Answers: answers, Attested: true}
	}
	if err := annex1().Validate(today); err != nil {
		t.Fatalf("a good 附件1: %v", err)
	}
	// Several destinations (issue 13, point 15): blanks dropped, each a
	// division, none twice, at most MaxDestinations.
	if p := plan(); func() error { p.Destinations = []string{" 110101", "", "370203 "}; return p.Validate() }() != nil || len(p.Destinations) != 2 || p.Destinations[1] != "370203" {
		t.Fatalf("two destinations: %v", p.Destinations)
	}
	for name, ds := range map[string][]string{
		"none":      {"", " "},
		"twice":     {"370203", "370203"},
		"a bad one": {"370203", "379999"},
		"too many":  strings.Fields("110101 110102 110105 110106 110107 110108 110109 110111 110112 110113 110114"),
	} {
		p := plan()
		p.Destinations = ds
		if err := p.Validate(); field(err) != "destination" {
			t.Errorf("destinations %s: %v", name, err)
		}
	}
	for want, err := range map[string]error{
		"cases":       func() error { p := plan(); p.CaseNumbers = nil; return p.Validate() }(),
		"destination": func() error { p := plan(); p.Destinations = []string{"379999"}; return p.Validate() }(),
		"return_at":   func() error { p := plan(); p.ReturnAt = dep; return p.Validate() }(),
		"task":        func() error { p := plan(); p.Task = " "; return p.Validate() }(),
		"companions":  func() error { p := plan(); p.Companions = strings.Repeat("张", 201); return p.Validate() }(),
		"attest":      func() error { a := annex1(); a.Attested = false; return a.Validate(today) }(),
		"returned_on": func() error { a := annex1(); a.ReturnedOn = today.AddDays(1); return a.Validate(today) }(),
		"explanation": (&Annex2Input{Attested: true}).Validate(),
		"content":     func() error { _, _, err := CheckRequirement(true, " ", ""); return err }(),
		"reason":      func() error { _, err := CheckCancelReason(""); return err }(),
		"talk_place": func() error {
			tk := Talk{On: today, Content: "提醒", Statement: "接受"}
			return tk.Validate(today, today)
		}(),
		"talk_on": func() error {
			tk := Talk{On: today.AddDays(1), Place: "办公室", Content: "提醒", Statement: "接受"}
			return tk.Validate(today, today)
		}(),
		"case_7": func() error {
			a := annex1()
			_, err := a.Accounts([]Case{{ID: 7, Number: "（2026）鲁0102执1号"}})
			return err
		}(),
	} {
		if got := field(err); got != want {
			t.Errorf("want a refusal of %s, got %v", want, err)
		}
	}
}

func TestPastWarning(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, domain.Beijing)
	for _, c := range []struct {
		name        string
		depart, ret time.Time
		warn        bool
	}{
		{"to come", now.Add(24 * time.Hour), now.Add(48 * time.Hour), false},
		{"under way", now.Add(-24 * time.Hour), now.Add(24 * time.Hour), false},
		{"already over", now.Add(-48 * time.Hour), now.Add(-24 * time.Hour), true},
		{"left over a month ago, back later", now.AddDate(0, -1, -1), now.Add(24 * time.Hour), true},
		{"the year mistyped", time.Date(2020, 11, 30, 8, 0, 0, 0, domain.Beijing), time.Date(2020, 12, 2, 8, 0, 0, 0, domain.Beijing), true},
		{"no dates yet", time.Time{}, time.Time{}, false},
	} {
		if got := PastWarning(c.depart, c.ret, now) != ""; got != c.warn {
			t.Errorf("%s: warning %v, want %v", c.name, got, c.warn)
		}
	}
}

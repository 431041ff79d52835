package courts

import (
	"strings"
	"sync"
)

// divisionIndex is every division's full name, by code, and the codes in
// order, for ResolveDivision.
var divisionIndex = sync.OnceValue(func() []Division {
	ds, err := Divisions()
	if err != nil {
		return nil
	}
	out := make([]Division, 0, len(ds))
	for _, d := range ds {
		if n := DivisionName(d.Code); n != "" {
			out = append(out, Division{Code: d.Code, Name: n, Parent: d.Parent, Level: d.Level})
		}
	}
	return out
})

// ResolveDivision is the GB/T 2260 code that text names: a code; a full
// name (山东省济南市历下区); or the end of exactly one full name
// (济南市历下区, 历下区 where no other county bears it). It returns "" when
// text names none or several.
func ResolveDivision(text string) string {
	text = strings.Join(strings.Fields(text), "")
	if text == "" {
		return ""
	}
	if DivisionName(text) != "" {
		return text
	}
	found := ""
	for _, d := range divisionIndex() {
		switch {
		case d.Name == text:
			return d.Code
		case strings.HasSuffix(d.Name, text):
			if found != "" {
				return "" // several: the user must say which
			}
			found = d.Code
		}
	}
	return found
}

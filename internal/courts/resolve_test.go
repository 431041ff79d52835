package courts

import "testing"

func TestResolveDivision(t *testing.T) {
	for in, want := range map[string]string{
		"370102":    "370102",
		"山东省济南市历下区": "370102",
		"济南市历下区":    "370102",
		" 济南市 历下区 ": "370102",
		"历下区":       "370102",
		"青岛市市北区":    "370203",
		"市北区":       "370203", // only 青岛 has one
		"鼓楼区":       "",       // several cities
		"不存在的地方":    "",
		"":          "",
		"999999":    "",
	} {
		if got := ResolveDivision(in); got != want {
			t.Errorf("ResolveDivision(%q) = %q, want %q", in, got, want)
		}
	}
}

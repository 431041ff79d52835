package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every text area wears the shared style (full width, three lines at
// least), and the number inputs (一岗双责's year) are styled like the
// selects beside them, so the two line up (issue 17).
func TestTextareasAndNumbersShareTheFormStyle(t *testing.T) {
	css, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"textarea, .textarea {", `input[type="number"]`, "min-height: calc(3 * 1.6em"} {
		if !strings.Contains(string(css), want) {
			t.Errorf("app.css lacks %q", want)
		}
	}
	pages, _ := filepath.Glob("templates/*.html")
	tag := regexp.MustCompile(`<textarea[^>]*>`)
	n := 0
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tag.FindAllString(string(b), -1) {
			n++
			if !strings.Contains(m, `class="textarea`) {
				t.Errorf("%s: %s lacks the shared class", p, m)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d text areas found", n)
	}
}

package web

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestWriteEscapedAsEscapeHTML holds writeEscaped to escapeHTML, the
// escaping of html/template's text, over every byte that is escaped,
// Chinese text, broken UTF-8 and random strings made of them.
func TestWriteEscapedAsEscapeHTML(t *testing.T) {
	parts := []string{"&", "'", "<", ">", `"`, "\x00", "a", "法院", "\xff", "\xe6\xb3", " ", "/visits?court=J01&from=2026-01", "&amp;"}
	cases := []string{"", "plain", "<script>alert('x')</script>", "a\x00b", "&&&", "末尾&"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var s string
		for range r.IntN(8) {
			s += parts[r.IntN(len(parts))]
		}
		cases = append(cases, s)
	}
	var b bytes.Buffer
	for _, s := range cases {
		b.Reset()
		b.WriteString("prefix")
		writeEscaped(&b, s)
		if got, want := b.String(), "prefix"+escapeHTML(s); got != want {
			t.Fatalf("writeEscaped(%q) = %q, want %q", s, got, want)
		}
	}
}

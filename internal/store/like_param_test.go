package store

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoBareLikeParameter holds the store's statements to a LIKE pattern
// given as CAST(? AS TEXT), never as a bare parameter. SQLite plans a
// statement whose LIKE pattern is a bare parameter again at every new
// binding, so the statement cache (stmtCache) would keep a statement that is
// re-planned on every request all the same. The cast changes no plan: no
// column the store matches with LIKE has a NOCASE index, so the LIKE
// optimisation the re-planning serves never applies.
func TestNoBareLikeParameter(t *testing.T) {
	bare := regexp.MustCompile(`(?i)\bLIKE\s+(\?|\$[0-9]+)`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for i, line := range strings.Split(string(src), "\n") {
			if bare.MatchString(line) {
				t.Errorf("%s:%d: a LIKE pattern is a bare parameter; write LIKE CAST(? AS TEXT): %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
	if checked < 10 {
		t.Fatalf("read %d source files; the test runs in the wrong directory", checked)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/bench"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestBenchCommand runs a small `zhilian bench` on the test engine and
// checks its JSON: the import beside its raw baseline, and every page
// loaded as a signed-in client with only 200s, beside its own SQL. A
// second run on the same database is refused.
func TestBenchCommand(t *testing.T) {
	dsn := testdb.EmptyDSN(t)
	profiles := filepath.Join(t.TempDir(), "profiles") // made by the bench
	code, out, errs := cli(t, "", "bench", "--db", dsn, "--cases", "2000", "--duration", "1s", "--conns", "4", "--json", "--cpuprofile", profiles)
	if code != 0 {
		t.Fatalf("bench: exit %d\n%s", code, lastLines(errs, 30))
	}
	var rep struct {
		Engine string `json:"engine"`
		Import map[string]float64
		Steps  []struct {
			Name    string  `json:"name"`
			Seconds float64 `json:"seconds"`
		} `json:"steps"`
		Pages []map[string]any `json:"pages"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, out)
	}
	if want := testdb.Engine(); rep.Engine != want {
		t.Errorf("engine %q, want %q", rep.Engine, want)
	}
	if rep.Import["rows"] != 2000 {
		t.Errorf("import rows %v, want 2000", rep.Import["rows"])
	}
	for _, k := range []string{"seconds", "raw_seconds", "ratio", "rss_mb"} {
		if v, ok := rep.Import[k]; !ok || v <= 0 {
			t.Errorf("import %s = %v (present %v), want a positive figure", k, v, ok)
		}
	}
	var steps []string
	for _, s := range rep.Steps {
		steps = append(steps, s.Name)
	}
	for _, s := range []string{"draw", "focused-scan", "patrol"} {
		if !slices.Contains(steps, s) {
			t.Errorf("steps %v lack %s", steps, s)
		}
	}
	var names []string
	for _, p := range rep.Pages {
		name, _ := p["name"].(string)
		names = append(names, name)
		for _, k := range []string{"p50_ms", "p95_ms", "p99_ms", "rps", "raw_ms", "ratio", "requests"} {
			if v, ok := p[k].(float64); !ok || v <= 0 {
				t.Errorf("page %s: %s = %v, want a positive number", name, k, p[k])
			}
		}
		if p["errors"] != float64(0) {
			t.Errorf("page %s: %v requests did not answer 200", name, p["errors"])
		}
		if p["p50_ms"].(float64) > p["p95_ms"].(float64) || p["p95_ms"].(float64) > p["p99_ms"].(float64) {
			t.Errorf("page %s: percentiles out of order: %v", name, p)
		}
	}
	if !slices.Equal(names, bench.PageNames) {
		t.Errorf("pages %v, want bench.PageNames %v", names, bench.PageNames)
	}
	for _, want := range []string{"home-command", "home-bureau", "home-watchdog", "home-officer", "case-list", "search-number", "search-name", "case-detail", "stats", "api-cases"} {
		if !slices.Contains(names, want) {
			t.Errorf("pages %v lack %s", names, want)
		}
		for _, ext := range []string{".pprof", ".raw.pprof", ".sql"} {
			if st, err := os.Stat(filepath.Join(profiles, want+ext)); err != nil || st.Size() == 0 {
				t.Errorf("no %s of %s: %v", ext, want, err)
			}
		}
	}

	// The detail page's load cycles over many cases; its baseline replays
	// each case's own statements, not the first case's over and over.
	if b, err := os.ReadFile(filepath.Join(profiles, "case-detail.sql")); err != nil {
		t.Error(err)
	} else if n := strings.Count(string(b), "-- path: /cases/"); n < 100 {
		t.Errorf("case-detail.sql traces %d paths, want each of the page's cases", n)
	}

	code, _, errs = cli(t, "", "bench", "--db", dsn, "--cases", "100", "--duration", "1s")
	if code == 0 || !strings.Contains(errs, "fresh database") {
		t.Errorf("bench on a database with data: exit %d, %s; want a refusal", code, errs)
	}
}

// TestBenchSomePages loads only the pages --pages names, in the bench's
// order, and refuses a name that is not a page before building anything.
func TestBenchSomePages(t *testing.T) {
	dsn := testdb.EmptyDSN(t)
	code, _, errs := cli(t, "", "bench", "--db", dsn, "--cases", "100", "--duration", "1s", "--pages", "case-detail,nope")
	if code == 0 || !strings.Contains(errs, `no page "nope"`) {
		t.Errorf("bench --pages with an unknown page: exit %d, %s; want a refusal", code, lastLines(errs, 5))
	}
	code, out, errs := cli(t, "", "bench", "--db", dsn, "--cases", "500", "--duration", "1s", "--conns", "2", "--json", "--pages", "stats,case-detail")
	if code != 0 {
		t.Fatalf("bench --pages: exit %d\n%s", code, lastLines(errs, 30))
	}
	var rep struct {
		Pages []struct {
			Name     string `json:"name"`
			Requests int    `json:"requests"`
		} `json:"pages"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, out)
	}
	var names []string
	for _, p := range rep.Pages {
		names = append(names, p.Name)
		if p.Requests == 0 {
			t.Errorf("page %s: no requests", p.Name)
		}
	}
	if want := []string{"case-detail", "stats"}; !slices.Equal(names, want) {
		t.Errorf("pages %v, want %v", names, want)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

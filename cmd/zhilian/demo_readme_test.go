package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
)

// TestREADMEDescribesTheDemo (issue 17): the README's account of what
// `zhilian demo` creates — courts with staff, accounts, cases, the cases
// of 鲁0102 and of the other courts — is what the demo creates. It said every court had 60 cases while 历下
// had 600, and later 4,080 cases in all when there were 4,686. (How the
// others' cases fall on each court is left out: the generator's draws
// follow the calendar up to the day it runs.)
func TestREADMEDescribesTheDemo(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	said := map[string]string{
		"courts with staff": `([0-9,]+) courts with staff`,
		"accounts":          `accounts per court \(([0-9,]+) in all\)`,
		"cases":             `([0-9,]+) synthetic enforcement cases`,
		"cases of 鲁0102":    `\(鲁0102\), has ([0-9,]+) of them`,
		"cases elsewhere":   `the other ([0-9,]+) \(60 times`,
	}
	counts := map[string]string{
		"courts with staff": "SELECT COUNT(DISTINCT court_id) FROM users",
		"accounts":          "SELECT COUNT(*) FROM users",
		"cases":             "SELECT COUNT(*) FROM cases",
		"cases of 鲁0102":    "SELECT COUNT(*) FROM cases k JOIN courts c ON c.id = k.court_id WHERE c.code = '鲁0102'",
		"cases elsewhere":   "SELECT COUNT(*) FROM cases k JOIN courts c ON c.id = k.court_id WHERE c.code <> '鲁0102'",
	}
	dir, _, err := demoTemplateDir()
	if err != nil {
		t.Fatalf("seeding the shared demo: %v", err)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "zhilian.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for what, re := range said {
		m := regexp.MustCompile(re).FindStringSubmatch(text)
		if m == nil {
			t.Errorf("the README does not say the demo's %s (%s)", what, re)
			continue
		}
		want, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		if err != nil {
			t.Errorf("the README's %s: %q", what, m[1])
			continue
		}
		var n int
		if err := db.WriteDB().QueryRow(counts[what]).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("the README says %d %s, the demo creates %d", want, what, n)
		}
	}
}

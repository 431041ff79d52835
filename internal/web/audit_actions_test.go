package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goSources returns the text of every non-test Go file under the module's
// internal and cmd directories, by path.
func goSources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			b, err := os.ReadFile(p)
			out[filepath.ToSlash(p)] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 100 {
		t.Fatalf("only %d sources found", len(out))
	}
	return out
}

// TestEveryAuditActionLabelled scans the source for every audit action the
// code writes — Action: "…" literals, actions assigned to a variable named
// action, the names handed to the helpers that audit, and the kinds of the
// mechanisms' events written as a prefix and a kind — and fails on one
// the audit page would show as a code.
func TestEveryAuditActionLabelled(t *testing.T) {
	src := goSources(t)
	literal := []*regexp.Regexp{
		regexp.MustCompile(`Action:\s*"([a-z][a-z_.]*[a-z_])"`),
		regexp.MustCompile(`\baction\b[^\n]*?=[^\n]*?"([a-z_]+\.[a-z_.]+)"`),
		regexp.MustCompile(`(?s)(?:changeReview|removeSecondFactor)\(ctx,.*?"([a-z_]+\.[a-z_.]+)"`),
	}
	prefixed := regexp.MustCompile(`Action:\s*"([a-z][a-z_.]*\.)"\s*\+`)
	helper := regexp.MustCompile(`(?:auditFinding|auditTarget)\(ctx, \w+, \w+, "([a-z_]+)"`)
	// Where each prefix's kinds are declared: the package's directory and
	// the constants' type.
	kinds := map[string][][2]string{
		"visit.":          {{"../../internal/visit/", "EventKind"}},
		"tracking.":       {{"../../internal/tracking/", "EventKind"}},
		"patrol.finding.": {{"../../internal/tracking/", "FindingEventKind"}},
		"inspection.":     {{"../../internal/inspection/", "Event"}, {"../../internal/inspection/", "FindingAction"}},
	}
	actions := map[string]string{} // action → where written
	for p, s := range src {
		for _, re := range literal {
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				actions[m[1]] = p
			}
		}
		for _, m := range helper.FindAllStringSubmatch(s, -1) {
			actions["inspection."+m[1]] = p
		}
		for _, m := range prefixed.FindAllStringSubmatch(s, -1) {
			decl, ok := kinds[m[1]]
			if !ok {
				t.Errorf("%s writes actions %q+kind: teach this test where the kinds are declared", p, m[1])
				continue
			}
			n := 0
			for _, d := range decl {
				re := regexp.MustCompile(`\s\w+\s+` + d[1] + `\s*=\s*"([a-z_]+)"`)
				for q, text := range src {
					if strings.HasPrefix(q, d[0]) {
						for _, k := range re.FindAllStringSubmatch(text, -1) {
							actions[m[1]+k[1]] = p
							n++
						}
					}
				}
			}
			if n == 0 {
				t.Errorf("no kinds found for %q", m[1])
			}
		}
	}
	if len(actions) < 80 {
		t.Fatalf("only %d actions found: the scan is broken", len(actions))
	}
	for a, p := range actions {
		if l := actionLabel(a); l == a || l == "" {
			t.Errorf("audit action %q (written in %s) has no Chinese label", a, p)
		}
	}
	for _, a := range []string{"visit.sms_reply", "visit.link_answer", "login"} {
		if _, ok := actions[a]; !ok {
			t.Errorf("the scan misses %q", a)
		}
	}
	if got := actionLabel("visit.sms_reply"); got != "当事人回访：登记短信回复" {
		t.Errorf("visit.sms_reply: %q", got)
	}
}

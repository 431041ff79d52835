package app

import (
	"fmt"
	"os"

	"github.com/zhilian/zhilian/internal/tracking"
)

// PatrolRules reads the 网上巡查 rule table from path (CSV: code,title,
// parameters,basis,enabled), or returns the built-in table when path is
// empty.
func PatrolRules(path string) (tracking.PatrolRules, error) {
	if path == "" {
		return tracking.DefaultPatrolRules(), nil
	}
	f, err := os.Open(path) //nolint:gosec // the operator names the file
	if err != nil {
		return nil, fmt.Errorf("patrol rules: %w", err)
	}
	defer f.Close()
	rules, err := tracking.ParsePatrolRules(f)
	if err != nil {
		return nil, fmt.Errorf("patrol rules %s: %w", path, err)
	}
	return rules, nil
}

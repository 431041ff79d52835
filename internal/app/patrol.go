package app

import (
	"fmt"
	"os"

	"github.com/zhilian/zhilian/internal/overview"
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

// OverviewTargets reads the cockpit's targets and bands from path (CSV:
// key,target,amber) over the defaults, or returns the defaults when path
// is empty. A bad file stops the start-up with every bad line named.
func OverviewTargets(path string) (overview.Targets, error) {
	if path == "" {
		return overview.DefaultTargets(), nil
	}
	f, err := os.Open(path) //nolint:gosec // the operator names the file
	if err != nil {
		return nil, fmt.Errorf("overview targets: %w", err)
	}
	defer f.Close()
	t, err := overview.ParseTargets(f)
	if err != nil {
		return nil, fmt.Errorf("overview targets %s: %w", path, err)
	}
	return t, nil
}

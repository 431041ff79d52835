package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// The leaders' cockpit (issue 18) must show courts that run well, courts
// close to their targets and courts far from them. The synthetic cases
// all come from one generator, so the demo gives each court a record of
// its own: the outcomes of its cases are shaped as a diligent court's
// (tierGreen: cases with property executed within the limit, petition
// cases concluded, 终本 only after the three months and after the
// investigation, old cases closed), a nearly diligent one's (tierAmber: the
// same, but one case with property in five closed late) or left as the
// generator makes them (tierRed). The cockpit then computes its figures
// from those cases like any others.
type tier int

const (
	tierRed tier = iota
	tierGreen
	tierAmber
)

// courtTiers gives every intermediate court, in the directory's order, the
// tiers red, green, amber in turn, and its basic courts its own — but for
// the flagship court's parent, whose basic courts take them in turn too,
// so that drilling down from it shows all three. The flagship court keeps
// its busy docket as generated.
func courtTiers(courts []*domain.Court) map[string]tier {
	out := map[string]tier{}
	flagshipParent := ""
	for _, c := range courts {
		if c.Code == FlagshipCourt {
			flagshipParent = c.ParentCode
		}
	}
	i, under := 0, map[string]int{}
	for _, c := range courts {
		switch c.Level {
		case domain.LevelIntermediate:
			out[c.Code] = tier(i % 3)
			i++
		case domain.LevelBasic:
			if c.ParentCode == flagshipParent {
				out[c.Code] = tier(under[c.ParentCode] % 3)
				under[c.ParentCode]++
			}
		}
	}
	for _, c := range courts {
		if _, ok := out[c.Code]; !ok && c.Level == domain.LevelBasic {
			out[c.Code] = out[c.ParentCode]
		}
	}
	out[FlagshipCourt] = tierRed
	return out
}

// shape gives case c the outcome of a court of tier t on today, drawing
// from r; i counts the court's cases with property, for the amber tier's
// one in five.
func (t tier) shape(c *domain.Case, today domain.Date, r *rand.Rand, i *int) {
	if t == tierRed {
		return
	}
	closeOn := func(days int) bool {
		on := c.FiledOn.AddDays(days)
		if on.After(today) {
			return false
		}
		c.ClosedOn = on
		return true
	}
	enforce := slices.Contains(overview.EnforcementTypes, c.No.Type)
	switch {
	case c.Petition:
		// Concluded, within the limit where it has one.
		c.ClosedOn, c.ClosingMode = domain.Date{}, ""
		if closeOn(between(r, 20, 80)) {
			c.ClosingMode = "执行完毕"
		}
	case enforce && c.HasProperty && c.PropertyKnown:
		*i++
		if t == tierAmber && *i%5 == 0 {
			// Closed late: 执行完毕 well after the six months (or still open).
			c.ClosedOn, c.ClosingMode = domain.Date{}, ""
			if closeOn(between(r, 200, 300)) {
				c.ClosingMode = "执行完毕"
			}
			return
		}
		// Within the limit (three months for 非诉, six otherwise).
		c.ClosedOn, c.ClosingMode = domain.Date{}, ""
		if closeOn(between(r, 20, 80)) {
			c.ClosingMode = "执行完毕"
		}
	case c.ClosingMode == tracking.ClosingTermination || enforce && !c.Closed() && c.FiledOn.AddDays(150).Before(today):
		// 终本 after the three months 法〔2016〕373号 requires; an old open
		// case without property ends so too.
		c.ClosedOn, c.ClosingMode = domain.Date{}, ""
		if closeOn(between(r, 100, 150)) {
			c.ClosingMode = tracking.ClosingTermination
		}
	}
}

func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// SeedOverview runs the patrol over every demo court as the daily job
// would, so that the cockpit's 终本合格率 stands on the patrol's findings
// from the first page, and logs each intermediate court's status on the
// cockpit. A rerun on the same day finds nothing new.
func SeedOverview(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	all, err := db.Courts(ctx, sys)
	if err != nil {
		return err
	}
	today := db.Today()
	rules := db.PatrolRules
	if rules == nil {
		rules = tracking.DefaultPatrolRules()
	}
	for _, c := range Courts(all) {
		if _, err := db.RunPatrol(ctx, sys, c.Code, today, rules); err != nil {
			return fmt.Errorf("demo patrol of %s: %w", c.Code, err)
		}
	}
	kids, err := db.OverviewChildren(ctx, sys, "鲁", overview.Year(today.Year()))
	if err != nil {
		return err
	}
	n := map[overview.Status]int{}
	for _, k := range kids {
		n[k.Status(overview.DefaultTargets())]++
	}
	log.Info("demo cockpit", "green", n[overview.StatusGreen], "amber", n[overview.StatusAmber], "red", n[overview.StatusRed])
	return nil
}

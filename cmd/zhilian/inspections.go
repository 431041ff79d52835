package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

const inspectionsUsage = `usage:
  zhilian inspections draw --db DB CAMPAIGN [--json]
  zhilian inspections verify --db DB CAMPAIGN`

func cmdInspections(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return &exitError{2, errors.New(inspectionsUsage)}
	}
	switch args[0] {
	case "draw":
		return inspectionsDraw(ctx, e, args[1:])
	case "verify":
		return inspectionsVerify(ctx, e, args[1:])
	}
	return &exitError{2, errors.New(inspectionsUsage)}
}

// flagsFirst moves flags before the campaign's number, so that both
// "draw 3 --json" and "draw --json 3" parse.
func flagsFirst(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--db" || a == "-db":
			flags = append(flags, a)
			if i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		case strings.HasPrefix(a, "-"):
			flags = append(flags, a)
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

func campaignArg(fs interface {
	NArg() int
	Arg(int) string
}) (int64, error) {
	if fs.NArg() != 1 {
		return 0, &exitError{2, errors.New(inspectionsUsage)}
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return 0, &exitError{2, fmt.Errorf("campaign id %q is not a number", fs.Arg(0))}
	}
	return id, nil
}

// inspectionsDraw draws a case review's cases (once: a campaign drawn
// before is printed as it stands) and prints the record anyone needs to
// recompute it.
func inspectionsDraw(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "inspections draw")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the draw as JSON")
	if err := fs.Parse(flagsFirst(args)); err != nil {
		return err
	}
	id, err := campaignArg(fs)
	if err != nil {
		return err
	}
	d, err := openStore(ctx, e, db)
	if err != nil {
		return err
	}
	defer d.Close()
	sys := domain.SystemViewer("cli")
	if _, err := d.DrawInspection(ctx, sys, id); err != nil {
		return err
	}
	ds, err := d.InspectionDraws(ctx, sys, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, struct {
			Campaign int64                  `json:"campaign"`
			Strata   []store.InspectionDraw `json:"strata"`
		}{id, ds})
	}
	for _, s := range ds {
		name := s.CourtName
		if s.OfficerKey != "" {
			name += " " + s.Officer
		}
		fmt.Fprintf(e.stdout, "%s %s: population %d (sha256 %s), seed %s (commitment %s), %d drawn:\n", s.Stratum(), name, len(s.Population),
			s.PopulationHash, s.Seed, s.Commitment, s.Size)
		for _, n := range s.Selected {
			fmt.Fprintln(e.stdout, "  "+n)
		}
	}
	return nil
}

// inspectionsVerify recomputes every stratum of a campaign's draw (per
// court, or per officer within each court) and exits 0 only if all match.
func inspectionsVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "inspections verify")
	db := dbFlag(fs)
	if err := fs.Parse(flagsFirst(args)); err != nil {
		return err
	}
	id, err := campaignArg(fs)
	if err != nil {
		return err
	}
	d, err := openStore(ctx, e, db)
	if err != nil {
		return err
	}
	defer d.Close()
	ds, err := d.InspectionDraws(ctx, domain.SystemViewer("cli"), id)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		return &exitError{3, fmt.Errorf("campaign %d has no draw to verify", id)}
	}
	res := store.VerifyDraws(ds)
	codes := make([]string, 0, len(res))
	for c := range res {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var bad []string
	for _, c := range codes {
		if res[c] != nil {
			bad = append(bad, c+": "+res[c].Error())
		}
	}
	if len(bad) > 0 {
		return &exitError{3, fmt.Errorf("campaign %d does NOT verify:\n%s", id, strings.Join(bad, "\n"))}
	}
	fmt.Fprintf(e.stdout, "campaign %d verified: in each of %d strata (courts, or officers within courts) the seed matches its commitment, the population its hash, and the drawn cases are the ones the rule gives\n",
		id, len(ds))
	return nil
}

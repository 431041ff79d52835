package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

const visitsUsage = `usage:
  zhilian visits draw --db DB --court CODE --month YYYY-MM [--json] [--rate 0.05] [--rounding ceil|round|floor]
  zhilian visits verify --db DB BATCH`

func cmdVisits(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return &exitError{2, errors.New(visitsUsage)}
	}
	switch args[0] {
	case "draw":
		return visitsDraw(ctx, e, args[1:])
	case "verify":
		return visitsVerify(ctx, e, args[1:])
	}
	return &exitError{2, errors.New(visitsUsage)}
}

type drawJSON struct {
	Batch          int64    `json:"batch"`
	Court          string   `json:"court"`
	Month          string   `json:"month"`
	Created        bool     `json:"created"`
	Population     int      `json:"population"`
	Excluded       int      `json:"excluded"`
	Sample         int      `json:"sample"`
	Rate           float64  `json:"rate"`
	Rounding       string   `json:"rounding"`
	Method         string   `json:"method"`
	Seed           string   `json:"seed"`
	SeedCommitment string   `json:"seed_commitment"`
	PopulationHash string   `json:"population_hash"`
	Selected       []string `json:"selected"`
}

func visitsDraw(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "visits draw")
	db := dbFlag(fs)
	court := fs.String("court", "", "court code, e.g. 鲁0102")
	month := fs.String("month", "", "the month whose closed cases are drawn, YYYY-MM")
	asJSON := fs.Bool("json", false, "print one JSON object")
	rule := visit.DefaultDrawRule()
	fs.Float64Var(&rule.Rate, "rate", envFloat("ZHILIAN_VISIT_RATE", rule.Rate), "share of the closed cases drawn")
	fs.StringVar(&rule.Rounding, "rounding", getenv("ZHILIAN_VISIT_ROUNDING", rule.Rounding), "ceil, round or floor")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *court == "" || *month == "" {
		return &exitError{2, errors.New(visitsUsage)}
	}
	if err := rule.Validate(); err != nil {
		return err
	}
	d, err := openDB(ctx, e, db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	b, created, err := d.DrawBatch(ctx, operator("visits draw"), *court, *month, rule)
	if err != nil {
		return err
	}
	_, cases, err := d.BatchByID(ctx, domain.SystemViewer("cli"), b.ID)
	if err != nil {
		return err
	}
	out := drawJSON{Batch: b.ID, Court: b.CourtCode, Month: b.Month, Created: created, Population: b.PopulationCount, Excluded: b.ExcludedCount,
		Sample: b.SampleSize, Rate: b.Rule.Rate, Rounding: b.Rule.Rounding, Method: visit.DrawMethod, Seed: b.Seed, SeedCommitment: b.Commitment,
		PopulationHash: b.PopulationHash, Selected: []string{}}
	for _, bc := range cases {
		if bc.Selected {
			out.Selected = append(out.Selected, bc.Number)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	verb := "drawn"
	if !created {
		verb = "already drawn"
	}
	fmt.Fprintf(e.stdout, "batch %d (%s %s) %s: %d of %d cases selected, %d excluded\n", b.ID, b.CourtCode, b.Month, verb, b.SampleSize, b.PopulationCount, b.ExcludedCount)
	for _, n := range out.Selected {
		fmt.Fprintln(e.stdout, "  "+n)
	}
	return nil
}

func visitsVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "visits verify")
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{2, errors.New(visitsUsage)}
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return &exitError{2, fmt.Errorf("batch id %q is not a number", fs.Arg(0))}
	}
	d, err := openStore(ctx, e, db)
	if err != nil {
		return err
	}
	defer d.Close()
	b, err := d.VerifyBatch(ctx, domain.SystemViewer("cli"), id)
	if err != nil {
		return &exitError{3, fmt.Errorf("batch %d does NOT verify: %w", id, err)}
	}
	fmt.Fprintf(e.stdout, "batch %d (%s %s) verified: the seed matches its commitment, the population of %d cases its hash, and the %d selected cases are the ones the rule gives\n",
		id, b.CourtCode, b.Month, b.PopulationCount, b.SampleSize)
	return nil
}

func envFloat(key string, def float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(key), 64); err == nil {
		return f
	}
	return def
}

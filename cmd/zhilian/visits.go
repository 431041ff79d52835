package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

const visitsUsage = `usage:
  zhilian visits draw --db DB --court CODE --month YYYY-MM [--supplement] [--json] [--rate 0.05] [--rounding ceil|round|floor]
                      [--case-types 执,执恢] [--closing-modes 执行完毕,…]
  zhilian visits verify --db DB BATCH
  zhilian visits focus --db DB --court CODE [--date YYYY-MM-DD] [--json] [--focus-window 2160h]`

func cmdVisits(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return &exitError{2, errors.New(visitsUsage)}
	}
	switch args[0] {
	case "draw":
		return visitsDraw(ctx, e, args[1:])
	case "verify":
		return visitsVerify(ctx, e, args[1:])
	case "focus":
		return visitsFocus(ctx, e, args[1:])
	}
	return &exitError{2, errors.New(visitsUsage)}
}

// drawRuleFlags sets *r to the draw's rule from the environment and then
// visit.DefaultDrawRule, and declares the flags that change it (prefix
// "visit-" for serve, "" for visits draw): *r holds the flags' values once
// fs is parsed.
func drawRuleFlags(fs *flag.FlagSet, prefix string, r *visit.DrawRule) {
	*r = visit.DefaultDrawRule()
	r.Rate = envFloat("ZHILIAN_VISIT_RATE", r.Rate)
	r.Rounding = getenv("ZHILIAN_VISIT_ROUNDING", r.Rounding)
	if v := os.Getenv("ZHILIAN_VISIT_CASE_TYPES"); v != "" {
		r.CaseTypes = splitComma(v)
	}
	if v := os.Getenv("ZHILIAN_VISIT_CLOSING_MODES"); v != "" {
		r.ClosingModes = splitComma(v)
	}
	fs.Float64Var(&r.Rate, prefix+"rate", r.Rate, "share of a month's 执结 执行实施 cases drawn for return visits")
	fs.StringVar(&r.Rounding, prefix+"rounding", r.Rounding, "rounding of the sample size: ceil, round or floor")
	fs.Func(prefix+"case-types", "comma-separated 执行实施 case types drawn (default 执,执恢; or ZHILIAN_VISIT_CASE_TYPES)", func(v string) error {
		r.CaseTypes = splitComma(v)
		return nil
	})
	fs.Func(prefix+"closing-modes", "comma-separated closing modes counted as 执结 (default the six of 法发〔2014〕26号; or ZHILIAN_VISIT_CLOSING_MODES)", func(v string) error {
		r.ClosingModes = splitComma(v)
		return nil
	})
}

// focusRuleFlags sets *r to the focused scan's rule and declares the flag
// of its window.
func focusRuleFlags(fs *flag.FlagSet, prefix string, r *visit.FocusRule) {
	*r = visit.DefaultFocusRule()
	r.Window = envDuration("ZHILIAN_VISIT_FOCUS_WINDOW", r.Window)
	fs.DurationVar(&r.Window, prefix+"focus-window", r.Window, "how long after closing a closed case is still visited for a focused criterion")
	r.DailyCapacity = envInt("ZHILIAN_VISIT_FOCUS_CAPACITY", r.DailyCapacity)
	fs.IntVar(&r.DailyCapacity, prefix+"focus-capacity", r.DailyCapacity, "cases per court the focused scan turns into visits a day, the most urgent first; the rest wait in the court's queue (0: no limit)")
}

// visitConfigFlags sets *c to the escalation's deadlines and phone
// attempts from the environment and then visit.DefaultConfig, and declares
// the flags that change them.
func visitConfigFlags(fs *flag.FlagSet, c *visit.Config) {
	*c = visit.DefaultConfig()
	fs.BoolVar(&c.PhoneOnNoReply, "visit-phone-on-no-reply", os.Getenv("ZHILIAN_VISIT_PHONE_ON_NO_REPLY") != "0", "phone the party when the SMS goes unanswered")
	fs.DurationVar(&c.ReplyWindow, "visit-reply-window", envDuration("ZHILIAN_VISIT_REPLY_WINDOW", c.ReplyWindow), "how long a party has to reply to the SMS")
	fs.DurationVar(&c.PhoneDeadline, "visit-phone-deadline", envDuration("ZHILIAN_VISIT_PHONE_DEADLINE", c.PhoneDeadline), "time for the command centre's phone visit")
	fs.IntVar(&c.PhoneAttempts, "visit-phone-attempts", envInt("ZHILIAN_VISIT_PHONE_ATTEMPTS", c.PhoneAttempts), "calls that reach nobody (未能联系) before the visit goes to the consultation")
	fs.DurationVar(&c.PhoneRetry, "visit-phone-retry", envDuration("ZHILIAN_VISIT_PHONE_RETRY", c.PhoneRetry), "time to the next call after one that reached nobody")
	fs.DurationVar(&c.ConsultDeadline, "visit-consult-deadline", envDuration("ZHILIAN_VISIT_CONSULT_DEADLINE", c.ConsultDeadline), "time for the consultation of the three bodies")
	fs.DurationVar(&c.OnsiteDeadline, "visit-onsite-deadline", envDuration("ZHILIAN_VISIT_ONSITE_DEADLINE", c.OnsiteDeadline), "time for the on-site visit")
}

func splitComma(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

type drawJSON struct {
	Batch          int64    `json:"batch"`
	Kind           string   `json:"kind"`
	Seq            int      `json:"seq"`
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
	supplement := fs.Bool("supplement", false, "draw a supplement (补充抽取) over the cases closed in the month that reached the system after its draw")
	rule := new(visit.DrawRule)
	drawRuleFlags(fs, "", rule)
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
	var b *store.Batch
	created := true
	if *supplement {
		b, err = d.DrawSupplement(ctx, operator("visits draw"), *court, *month, *rule)
	} else {
		b, created, err = d.DrawBatch(ctx, operator("visits draw"), *court, *month, *rule)
	}
	if err != nil {
		return err
	}
	_, cases, err := d.BatchByID(ctx, domain.SystemViewer("cli"), b.ID)
	if err != nil {
		return err
	}
	out := drawJSON{Batch: b.ID, Kind: b.Kind, Seq: b.Seq, Court: b.CourtCode, Month: b.Month, Created: created, Population: b.PopulationCount, Excluded: b.ExcludedCount,
		Sample: b.SampleSize, Rate: b.Rule.Rate, Rounding: b.Rule.Rounding, Method: visit.DrawMethod, Seed: b.Seed, SeedCommitment: b.Commitment,
		PopulationHash: b.PopulationHash, Selected: []string{}}
	for _, bc := range cases {
		if bc.Selected {
			out.Selected = append(out.Selected, bc.Number)
		}
	}
	if *asJSON {
		return printJSON(e, out)
	}
	verb := "drawn"
	if !created {
		verb = "already drawn"
	}
	fmt.Fprintf(e.stdout, "batch %d (%s %s, %s) %s: %d of %d cases selected, %d excluded\n", b.ID, b.CourtCode, b.Month, b.Kind, verb, b.SampleSize, b.PopulationCount, b.ExcludedCount)
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

type focusJSON struct {
	Court   string          `json:"court"`
	Date    string          `json:"date"`
	Created int             `json:"visits_created"`
	Merged  int             `json:"reasons_merged"`
	Cases   []focusCaseJSON `json:"cases"`
}

type focusCaseJSON struct {
	CaseNo     string   `json:"case_no"`
	Reasons    []string `json:"reasons"`
	ReasonKeys []string `json:"reason_keys"`
	Started    []string `json:"started"`
}

// visitsFocus runs the focused scan for one court as the daily job would
// on a date, and says which cases meet which criteria and what it started.
func visitsFocus(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "visits focus")
	db := dbFlag(fs)
	court := fs.String("court", "", "court code, e.g. 鲁0102")
	date := fs.String("date", "", "the day the scan runs as, YYYY-MM-DD (default today, Beijing time)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	var rule visit.FocusRule
	focusRuleFlags(fs, "", &rule)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *court == "" || fs.NArg() != 0 {
		return &exitError{2, errors.New(visitsUsage)}
	}
	if err := rule.Validate(); err != nil {
		return err
	}
	scan := store.FocusScan{Court: *court, Rule: rule, List: true}
	if *date != "" {
		var err error
		if scan.Today, err = domain.ParseDate(*date); err != nil {
			return &exitError{2, fmt.Errorf("--date %q: %w", *date, err)}
		}
	}
	d, err := openDB(ctx, e, db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.CourtByCode(ctx, *court); err != nil {
		return fmt.Errorf("court %s: %w", *court, err)
	}
	if scan.Today.IsZero() {
		scan.Today = d.Today()
	}
	rep, err := d.ScanFocused(ctx, scan)
	if err != nil {
		return err
	}
	out := focusJSON{Court: *court, Date: scan.Today.String(), Created: rep.Created, Merged: rep.Merged, Cases: []focusCaseJSON{}}
	for _, c := range rep.Cases {
		fc := focusCaseJSON{CaseNo: c.Number, ReasonKeys: c.Reasons, Started: []string{}}
		for _, r := range c.Reasons {
			fc.Reasons = append(fc.Reasons, visit.FocusReasons[r])
		}
		for _, r := range c.Started {
			fc.Started = append(fc.Started, visit.FocusReasons[r])
		}
		out.Cases = append(out.Cases, fc)
	}
	if *asJSON {
		return printJSON(e, out)
	}
	fmt.Fprintf(e.stdout, "focused scan of %s on %s: %d cases meet a criterion; %d visits started, %d reasons joined open visits\n",
		out.Court, out.Date, len(out.Cases), out.Created, out.Merged)
	for _, c := range out.Cases {
		fmt.Fprintf(e.stdout, "  %s  %s\n", c.CaseNo, strings.Join(c.Reasons, "；"))
	}
	return nil
}

// printJSON prints v as one line of JSON, Chinese as it is.
func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func envFloat(key string, def float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(key), 64); err == nil {
		return f
	}
	return def
}

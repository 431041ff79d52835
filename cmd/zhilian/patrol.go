package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
)

type patrolFindingJSON struct {
	CaseNo  string `json:"case_no"`
	Rule    string `json:"rule"`
	Title   string `json:"title"`
	Aspect  string `json:"aspect"`
	Subject string `json:"subject,omitempty"`
	Detail  string `json:"detail"`
}

type patrolJSON struct {
	Court    string              `json:"court"`
	Date     string              `json:"date"`
	Cases    int                 `json:"cases"`
	New      int                 `json:"new"`
	Reopened int                 `json:"reopened"`
	Resolved int                 `json:"resolved"`
	Findings []patrolFindingJSON `json:"findings"`
}

// cmdPatrol runs the 网上巡查 rules over one court as the daily job does,
// stores the findings and prints what the rules produce on the day.
func cmdPatrol(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "patrol")
	db := dbFlag(fs)
	court := fs.String("court", "", "court code, e.g. 鲁0102")
	date := fs.String("date", "", "the day the rules look from, YYYY-MM-DD (default today, Beijing time)")
	asJSON := fs.Bool("json", false, `print {"findings":[{"case_no","rule","title",…}]} as JSON`)
	rulesFile := fs.String("patrol-rules", os.Getenv("ZHILIAN_PATROL_RULES"), "CSV table of patrol rules changing the defaults (code,title,parameters,basis,enabled)")
	timeRules := fs.String("rules", os.Getenv("ZHILIAN_RULES"), "CSV table of time-limit rules replacing the defaults, as serve takes it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *court == "" || fs.NArg() > 0 {
		return &exitError{2, errors.New("usage: zhilian patrol --db DB --court CODE [--date YYYY-MM-DD] [--json] [--patrol-rules FILE]")}
	}
	rules, err := app.PatrolRules(*rulesFile)
	if err != nil {
		return err
	}
	if err := db.existing(); err != nil {
		return err
	}
	st, err := app.OpenDB(ctx, *db.config(&app.Config{AuditAlg: getenv("ZHILIAN_AUDIT_HASH", "sha256"), RulesFile: *timeRules}), e.log)
	if err != nil {
		return err
	}
	defer st.Close()
	on := st.Today()
	if *date != "" {
		if on, err = domain.ParseDate(*date); err != nil {
			return &exitError{2, fmt.Errorf("--date: %w", err)}
		}
	}
	run, err := st.RunPatrol(ctx, domain.SystemViewer("cli:patrol"), *court, on, rules)
	if err != nil {
		return err
	}
	out := patrolJSON{Court: run.Court, Date: run.On.String(), Cases: run.Cases, New: run.New, Reopened: run.Reopened, Resolved: run.Resolved,
		Findings: []patrolFindingJSON{}}
	for _, f := range run.Findings {
		out.Findings = append(out.Findings, patrolFindingJSON{CaseNo: f.CaseNo, Rule: f.Rule, Title: f.Title, Aspect: f.Aspect.Label(), Subject: f.Subject, Detail: f.Detail})
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(e.stdout, "%s %s 网上巡查：案件 %d 件，问题 %d 项（新发现 %d，再次出现 %d，已消除 %d）\n", out.Court, out.Date, out.Cases, len(out.Findings), out.New, out.Reopened, out.Resolved)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "案号\t规则\t问题\t说明")
	for _, f := range out.Findings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.CaseNo, f.Rule, f.Title, f.Detail)
	}
	return tw.Flush()
}

// importActs stores the enforcement acts of a CSV or XLSX file as the
// page's upload does: each case the file names gets the file's acts.
func importActs(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import acts")
	db := dbFlag(fs)
	cfg := baseConfig(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{2, errors.New(importUsage)}
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	rows, err := importer.ReadActs(bytes.NewReader(data), int64(len(data)), 512<<20, importer.DefaultMaxRows, cfg.CaseTypes)
	if err != nil {
		return err
	}
	if err := db.existing(); err != nil {
		return err
	}
	st, err := app.OpenDB(ctx, *db.config(cfg), e.log)
	if err != nil {
		return err
	}
	defer st.Close()
	var good []store.ActRow
	var refused []store.ActRowError
	for _, r := range rows {
		if r.Err != nil {
			refused = append(refused, store.ActRowError{Row: r.Row, CaseNo: r.CaseNo, Message: domain.UserMessage(r.Err)})
			continue
		}
		good = append(good, store.ActRow{Row: r.Row, CaseNo: r.CaseNo, Act: r.Act})
	}
	res, err := st.ImportActs(ctx, domain.SystemViewer("cli:import"), good)
	if err != nil {
		return err
	}
	refused = append(refused, res.Refused...)
	fmt.Fprintf(e.stdout, "%d rows: acts of %d cases stored (%d changed, %d unchanged), %d acts; %d rows refused\n",
		len(rows), res.Cases, res.Changed, res.Unchanged, res.Acts, len(refused))
	for _, r := range refused {
		fmt.Fprintf(e.stderr, "row %d %s: %s\n", r.Row, r.CaseNo, r.Message)
	}
	return nil
}

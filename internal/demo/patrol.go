package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// patrolCase is a demo case made to trip one patrol rule.
type patrolCase struct {
	rule     string
	filedAgo int // days before today
	amount   int64
	closed   int // days before today, 0 if open
	mode     string
	nodes    map[domain.NodeKind]int // days after filing
	acts     []demoAct
	pause    *deadline.Pause // its kind and basis; it runs from the 10th to the 40th day after filing
}

type demoAct struct {
	kind  tracking.ActKind
	after int // days after filing
	fen   int64
}

// patrolCases trip each shipped rule once (issue 15).
var patrolCases = []patrolCase{
	{rule: tracking.RuleFundsPayout, filedAgo: 120, amount: 20_000_000, nodes: map[domain.NodeKind]int{domain.NodeNotice: 1, domain.NodeInvestigation: 10},
		acts: []demoAct{{tracking.ActNotice, 1, 0}, {tracking.ActDeduct, 50, 8_000_000}, {tracking.ActFundsIn, 52, 8_000_000}}},
	{rule: tracking.RuleTerminationPrecond, filedAgo: 100, amount: 5_000_000, closed: 20, mode: tracking.ClosingTermination,
		nodes: map[domain.NodeKind]int{domain.NodeNotice: 2, domain.NodeInvestigation: 15},
		acts:  []demoAct{{tracking.ActNotice, 2, 0}, {tracking.ActReportOrder, 2, 0}, {tracking.ActQuery, 3, 0}}},
	{rule: tracking.RuleAuctionReserve, filedAgo: 150, amount: 80_000_000, nodes: map[domain.NodeKind]int{domain.NodeNotice: 1, domain.NodeInvestigation: 12},
		acts: []demoAct{{tracking.ActNotice, 1, 0}, {tracking.ActSeal, 10, 100_000_000}, {tracking.ActAppraisal, 40, 100_000_000}, {tracking.ActAuction, 90, 60_000_000}}},
	{rule: tracking.RuleOverSeizure, filedAgo: 40, amount: 10_000_000, nodes: map[domain.NodeKind]int{domain.NodeNotice: 1, domain.NodeInvestigation: 8},
		acts: []demoAct{{tracking.ActNotice, 1, 0}, {tracking.ActSeal, 5, 50_000_000}}},
	{rule: tracking.RuleNodeLate, filedAgo: 60, amount: 3_000_000, nodes: map[domain.NodeKind]int{domain.NodeNotice: 9, domain.NodeInvestigation: 20},
		acts: []demoAct{{tracking.ActNotice, 9, 0}}},
	{rule: tracking.RuleLedgerBasis, filedAgo: 90, amount: 6_000_000, nodes: map[domain.NodeKind]int{domain.NodeNotice: 1, domain.NodeInvestigation: 10},
		acts:  []demoAct{{tracking.ActNotice, 1, 0}},
		pause: &deadline.Pause{Kind: "审计、评估", Basis: "委托评估函（未见评估报告）"}},
}

// SeedPatrol gives the flagship court a case tripping each patrol rule,
// runs the patrol over the court as the daily job would, and has its
// command centre confirm one finding and dismiss another with a reason.
// Once: a court with findings is left alone.
func SeedPatrol(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	const code = FlagshipCourt
	if _, err := db.CourtByCode(ctx, code); err != nil {
		return nil // not a demo court
	}
	if p, err := db.Findings(ctx, sys, store.FindingFilter{Court: code, Page: store.PageReq{Size: 1}}); err != nil || p.Total > 0 {
		return err
	}
	off, _, err := db.UserForLogin(ctx, Username(code, "officer1"))
	if err != nil {
		return fmt.Errorf("demo patrol: %w", err)
	}
	cc, _, err := db.UserForLogin(ctx, Username(code, "command1"))
	if err != nil {
		return fmt.Errorf("demo patrol: %w", err)
	}
	today := db.Today()
	ids := map[string]int64{}
	err = db.Update(ctx, sys, func(tx *store.Tx) error {
		for i, pc := range patrolCases {
			filed := today.AddDays(-pc.filedAgo)
			k := &domain.Case{No: domain.CaseNo{Year: filed.Year(), Court: code, Type: "执", Serial: 9001 + i}, FiledOn: filed, Amount: pc.amount,
				Officer: off.Name, Department: off.Department, HasProperty: true, PropertyKnown: true, ClosingMode: pc.mode,
				Parties: []domain.Party{{Role: domain.Applicant, Name: "巡查申请人" + name(i+1)}, {Role: domain.Respondent, Name: "巡查被执行人" + name(i+1)}}}
			if pc.closed > 0 {
				k.ClosedOn = today.AddDays(-pc.closed)
			}
			for kind, after := range pc.nodes {
				k.Nodes = append(k.Nodes, domain.Node{Kind: kind, On: filed.AddDays(after)})
			}
			res, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil)
			if err != nil {
				return err
			}
			if res[0].Err != nil {
				return fmt.Errorf("demo patrol case %s: %w", k.Number, res[0].Err)
			}
			var acts []tracking.Act
			for _, a := range pc.acts {
				acts = append(acts, tracking.Act{Kind: a.kind, On: filed.AddDays(a.after), Amount: a.fen})
			}
			if _, err := tx.ReplaceCaseActs(ctx, k.ID, acts); err != nil {
				return err
			}
			if pc.pause != nil {
				p := *pc.pause
				p.Start, p.End = filed.AddDays(10), filed.AddDays(40)
				if err := tx.AddPause(ctx, k.ID, p); err != nil {
					return err
				}
			}
			ids[pc.rule] = k.ID
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo patrol cases: %w", err)
	}
	run, err := db.RunPatrol(ctx, sys, code, today, tracking.DefaultPatrolRules())
	if err != nil {
		return fmt.Errorf("demo patrol: %w", err)
	}
	ccv := domain.ViewerFor(cc, "demo")
	decide := func(rule string, ev tracking.FindingEventKind, reason string) error {
		fs, err := db.FindingsForCase(ctx, sys, ids[rule])
		if err != nil {
			return err
		}
		for _, f := range fs {
			if f.Rule == rule {
				return db.DecideFinding(ctx, ccv, f.ID, ev, reason)
			}
		}
		return fmt.Errorf("demo patrol: no %s finding", rule)
	}
	if err := decide(tracking.RuleAuctionReserve, tracking.FindingConfirm, ""); err != nil {
		return err
	}
	if err := decide(tracking.RuleOverSeizure, tracking.FindingDismiss, "查封房产为整体不可分物，经执行局审批。"); err != nil {
		return err
	}
	log.Info("demo patrol", "court", code, "cases", run.Cases, "findings", len(run.Findings))
	return nil
}

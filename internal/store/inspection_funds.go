package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/tracking"
)

// The money pre-check of a 执行案款管理情况 campaign: for each court in
// scope, the money its cases held past the limit of the patrol rule
// funds_payout (法发〔2017〕6号's thirty days unless the rule table says
// otherwise) at some time within the campaign's period — asked of
// tracking.FundsHeldPastLimit, the rule itself, over the enforcement acts
// 案款到账 and 案款发放 — so that the reviewers know which cases and sums to
// look at before they score.

// FundsLine is one receipt held past its limit.
type FundsLine struct {
	CaseID     int64
	CaseNo     string
	Officer    string
	Department string
	tracking.HeldFunds
	DaysOver int // days past the limit, as of the check (or until paid out)
}

// AmountText is the sum as a page prints it.
func (l FundsLine) AmountText() string {
	if l.Amount == 0 {
		return "金额未报送"
	}
	return domain.FormatAmount(l.Amount) + "元"
}

// CourtFunds is one court's money held past its limit.
type CourtFunds struct {
	CourtCode  string
	CourtName  string
	Department string
	Lines      []FundsLine
	Amount     int64 // fen, all the receipts
	StillHeld  int   // receipts not paid out as of the check
	HeldAmount int64 // fen, of those
}

// FundsCheck is a campaign's money pre-check.
type FundsCheck struct {
	On     domain.Date // the day it looks from: the period's end, or today before then
	Days   int         // the limit, in days after the money came
	Courts []CourtFunds
	Count  int
	Amount int64
}

// AmountText is the sum of all the receipts, printed.
func (f *FundsCheck) AmountText() string { return YuanText(f.Amount) }

// HeldText is the sum still held, printed.
func (c CourtFunds) HeldText() string { return YuanText(c.HeldAmount) }

// YuanText prints fen as yuan.
func YuanText(fen int64) string { return domain.FormatAmount(fen) + "元" }

// InspectionFunds returns the money pre-check of campaign id, for whoever
// sees the whole campaign; nil for a campaign of another theme.
func (db *DB) InspectionFunds(ctx context.Context, v domain.Viewer, id int64) (*FundsCheck, error) {
	in, err := inspectionRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	if !in.Full {
		return nil, domain.Errorf(domain.ErrForbidden, "案款预查只供工作组和组织法院及上级法院的执行局、纪检监察组、监察室查看。")
	}
	return fundsCheck(ctx, db, in, db.today(), db.PatrolRules.FundsPayoutDays())
}

func fundsCheck(ctx context.Context, q querier, in *Inspection, today domain.Date, days int) (*FundsCheck, error) {
	if in.Theme != inspection.ThemeMoney {
		return nil, nil
	}
	fc := &FundsCheck{On: in.To, Days: days}
	if today.Before(in.To) {
		fc.On = today
	}
	type actRow struct {
		caseID            int64
		no, officer, dept string
		act               tracking.Act
	}
	for _, s := range in.Scope {
		rows, err := collect(ctx, q, func(row scanner) (r actRow, err error) {
			err = row.Scan(&r.caseID, &r.no, &r.officer, &r.dept, &r.act.Kind, &r.act.On, &r.act.Amount, &r.act.Note)
			return r, err
		}, `SELECT k.id, k.number, k.officer, k.department, a.kind, a.on_date, a.amount, a.note FROM case_acts a JOIN cases k ON k.id = a.case_id
			WHERE k.court_id = ? AND (? = '' OR k.department = ?) AND a.kind IN (?, ?) AND a.on_date <= ? ORDER BY k.id, a.on_date, a.position`,
			s.CourtID, s.Department, s.Department, tracking.ActFundsIn, tracking.ActFundsOut, fc.On)
		if err != nil {
			return nil, fmt.Errorf("reading the acts of %s: %w", s.CourtName, err)
		}
		cf := CourtFunds{CourtCode: s.CourtCode, CourtName: s.CourtName, Department: s.Department}
		for i := 0; i < len(rows); {
			j := i
			var acts []tracking.Act
			for ; j < len(rows) && rows[j].caseID == rows[i].caseID; j++ {
				acts = append(acts, rows[j].act)
			}
			for _, h := range tracking.FundsHeldPastLimit(acts, days, fc.On) {
				if !h.Held() && h.PaidOn.Before(in.From) {
					continue // paid out, late, before the period began
				}
				r := rows[i]
				cf.Lines = append(cf.Lines, FundsLine{CaseID: r.caseID, CaseNo: r.no, Officer: r.officer, Department: r.dept, HeldFunds: h, DaysOver: h.DaysOver(fc.On)})
				cf.Amount += h.Amount
				if h.Held() {
					cf.StillHeld++
					cf.HeldAmount += h.Amount
				}
			}
			i = j
		}
		fc.Count += len(cf.Lines)
		fc.Amount += cf.Amount
		fc.Courts = append(fc.Courts, cf)
	}
	return fc, nil
}

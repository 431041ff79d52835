package store_test

import (
	"errors"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// The money pre-check of a 执行案款管理情况 campaign lists, per court in
// scope, the receipts held past the funds_payout limit within the period —
// still held, or paid out late within it — and not those paid in time,
// paid late before the period, or not yet due; the limit is the rule
// table's; the 通报's figures carry it.
func TestInspectionFunds(t *testing.T) {
	f := newInspectionFixture(t)
	db := f.db
	sys := domain.SystemViewer("t")
	d := domain.MustDate
	acts := map[string][]tracking.Act{
		"（2025）鲁0102执51号": {{Kind: tracking.ActFundsIn, On: d("2026-01-10"), Amount: 100000}, {Kind: tracking.ActFundsOut, On: d("2026-02-01"), Amount: 100000}}, // in time
		"（2025）鲁0102执52号": {{Kind: tracking.ActFundsIn, On: d("2026-01-05"), Amount: 200000}},                                                                    // still held
		"（2025）鲁0102执53号": {{Kind: tracking.ActFundsIn, On: d("2025-10-01"), Amount: 50000}, {Kind: tracking.ActFundsOut, On: d("2025-12-01"), Amount: 50000}},   // late, before the period
		"（2025）鲁0102执54号": {{Kind: tracking.ActFundsIn, On: d("2025-12-01"), Amount: 30000}, {Kind: tracking.ActFundsOut, On: d("2026-02-15"), Amount: 30000}},   // late, within it
		"（2025）鲁0103执51号": {{Kind: tracking.ActFundsIn, On: d("2026-03-20"), Amount: 70000}},                                                                     // not yet due
	}
	err := db.Update(ctx, sys, func(tx *store.Tx) error {
		for no, as := range acts {
			n, _ := domain.ParseCaseNo(no, domain.DefaultCaseTypes)
			k := &domain.Case{No: n, FiledOn: d("2025-09-01"), Officer: f.officer.Name, Department: "执行一庭"}
			if _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); err != nil {
				return err
			}
			if _, err := tx.ReplaceCaseActs(ctx, k.ID, as); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fc, err := db.InspectionFunds(ctx, f.leader, f.id)
	if err != nil {
		t.Fatal(err)
	}
	if fc.Days != 30 || fc.On.String() != "2026-03-31" || fc.Count != 2 || fc.Amount != 230000 || len(fc.Courts) != 2 {
		t.Fatalf("pre-check %+v", fc)
	}
	c := fc.Courts[0]
	if c.CourtCode != "鲁0102" || len(c.Lines) != 2 || c.StillHeld != 1 || c.HeldAmount != 200000 || len(fc.Courts[1].Lines) != 0 {
		t.Fatalf("鲁0102 %+v, 鲁0103 %+v", c, fc.Courts[1])
	}
	for _, l := range c.Lines {
		switch l.CaseNo {
		case "（2025）鲁0102执52号":
			if !l.Held() || l.Due.String() != "2026-02-04" || l.DaysOver != 55 || l.Officer != f.officer.Name {
				t.Errorf("held line %+v", l)
			}
		case "（2025）鲁0102执54号":
			if l.Held() || l.PaidOn.String() != "2026-02-15" || l.DaysOver != 46 {
				t.Errorf("late line %+v", l)
			}
		default:
			t.Errorf("line %+v", l)
		}
	}
	// The rule table's limit counts: at 20 days, the first case's 22 are late.
	rules := tracking.DefaultPatrolRules()
	for i := range rules {
		if rules[i].Code == tracking.RuleFundsPayout {
			rules[i].Params["days"] = "20"
		}
	}
	db.PatrolRules = rules
	if fc, err := db.InspectionFunds(ctx, f.leader, f.id); err != nil || fc.Days != 20 || fc.Count != 3 {
		t.Fatalf("at 20 days %+v: %v", fc, err)
	}
	db.PatrolRules = nil
	rep, err := db.InspectionReport(ctx, f.leader, f.id)
	if err != nil || rep.Funds == nil || rep.Funds.Count != 2 {
		t.Fatalf("the 通报's pre-check %+v: %v", rep, err)
	}
	for _, cf := range rep.Courts {
		if want := map[string]int{"鲁0102": 2, "鲁0103": 0}[cf.CourtCode]; cf.FundsHeld != want {
			t.Errorf("通报 figures of %s: %d held", cf.CourtCode, cf.FundsHeld)
		}
	}
	// Only whoever sees the whole campaign; the officer and the court in
	// scope do not.
	for _, v := range []domain.Viewer{f.officer, f.bureau0102} {
		if _, err := db.InspectionFunds(ctx, v, f.id); !errors.Is(err, domain.ErrForbidden) && !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s reads the pre-check: %v", v.Username, err)
		}
	}
}

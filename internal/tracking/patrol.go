package tracking

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
)

// CaseFacts is what the patrol reads of one case: the case with its nodes,
// its pause ledger and extensions, and its enforcement acts.
type CaseFacts struct {
	Case       *domain.Case
	Pauses     []deadline.Pause
	Extensions []deadline.Extension
	Acts       []Act
}

// Finding is what a patrol rule found on a case. Rule and Subject name it
// within the case: the same problem found on another day has the same
// Subject, so that a rerun does not count it twice.
type Finding struct {
	CaseID  int64
	CaseNo  string
	Rule    string
	Subject string // what in the case the finding is about ("" for the case as a whole)
	Title   string
	Aspect  Aspect
	Detail  string
}

// Key is the finding's stable key within its case.
func (f Finding) Key() string { return f.Rule + "|" + f.Subject }

// ClosingTermination is the closing mode the termination rule checks.
const ClosingTermination = "终结本次执行程序"

// Patrol runs every rule of the table that is on over one case, as of the
// day on: acts and nodes dated after it are not yet known. It is a pure
// function of its arguments; limits gives the time-limit rules for the
// node rules.
func (t PatrolRules) Patrol(f CaseFacts, limits *deadline.Limits, on domain.Date) []Finding {
	c := f.Case
	acts := make([]Act, 0, len(f.Acts))
	for _, a := range f.Acts {
		if !a.On.After(on) {
			acts = append(acts, a)
		}
	}
	slices.SortStableFunc(acts, func(a, b Act) int { return a.On.Time().Compare(b.On.Time()) })
	var out []Finding
	for _, r := range t {
		if !r.On {
			continue
		}
		emit := func(subject, detail string) {
			out = append(out, Finding{CaseID: c.ID, CaseNo: c.Number, Rule: r.Code, Subject: subject, Title: r.Title, Aspect: AspectOf(r.Code), Detail: detail})
		}
		switch r.Code {
		case RuleFundsPayout:
			checkFundsPayout(acts, r.int("days"), on, emit)
		case RuleTerminationPrecond:
			checkTermination(c, acts, r.int("months"), on, emit)
		case RuleAuctionReserve:
			checkAuctionReserve(acts, r.int("percent"), emit)
		case RuleOverSeizure:
			checkOverSeizure(c, acts, r.hundredths("ratio"), on, emit)
		case RuleNodeLate:
			checkNodes(f, limits, on, emit)
		case RuleLedgerBasis:
			checkLedger(f, acts, limits, on, emit)
		}
	}
	return out
}

type emitter func(subject, detail string)

func yuan(fen int64) string { return domain.FormatAmount(fen) + "元" }

func ofKind(acts []Act, kinds ...ActKind) []Act {
	var out []Act
	for _, a := range acts {
		if slices.Contains(kinds, a.Kind) {
			out = append(out, a)
		}
	}
	return out
}

// HeldFunds is a receipt of case money paid out later than its limit, or
// not paid out and past it: what the rule funds_payout finds.
type HeldFunds struct {
	Received domain.Date
	Amount   int64       // fen; 0 when the receipt carries no amount
	Due      domain.Date // the last day to pay it out
	PaidOn   domain.Date // zero while it is still held
	Subject  string      // the receipt within its case, stable across runs
}

// Held reports whether the money is still held as of the day the rule ran.
func (h HeldFunds) Held() bool { return h.PaidOn.IsZero() }

// DaysOver is how many days past its limit the money was held, as of on.
func (h HeldFunds) DaysOver(on domain.Date) int {
	if !h.PaidOn.IsZero() {
		on = h.PaidOn
	}
	return h.Due.DaysUntil(on)
}

// FundsHeldPastLimit is the rule funds_payout: it matches payouts to
// receipts first in, first out — a receipt is paid out on the day the
// payouts together reach the receipts up to it; with any amount missing,
// acts are matched one for one — and returns the receipts paid out more
// than days after they came, or not paid out and past that, as of on
// (acts after on are not yet known). The daily patrol and the money
// pre-check of special inspections both ask it.
func FundsHeldPastLimit(acts []Act, days int, on domain.Date) []HeldFunds {
	var known []Act
	for _, a := range acts {
		if !a.On.After(on) {
			known = append(known, a)
		}
	}
	slices.SortStableFunc(known, func(a, b Act) int { return a.On.Time().Compare(b.On.Time()) })
	in, out := ofKind(known, ActFundsIn), ofKind(known, ActFundsOut)
	byCount := false
	for _, a := range append(slices.Clone(in), out...) {
		if a.Amount == 0 {
			byCount = true
		}
	}
	size := func(a Act) int64 {
		if byCount {
			return 1
		}
		return a.Amount
	}
	var held []HeldFunds
	var target int64
	seen := map[string]int{}
	for _, r := range in {
		target += size(r)
		var paid int64
		var paidOn domain.Date
		for _, p := range out {
			if paid += size(p); paid >= target {
				paidOn = p.On
				break
			}
		}
		due := r.On.AddDays(days)
		subject := r.On.String() + "/" + fmt.Sprint(r.Amount)
		seen[subject]++
		if n := seen[subject]; n > 1 {
			subject += fmt.Sprintf("#%d", n)
		}
		if paidOn.IsZero() && on.After(due) || !paidOn.IsZero() && paidOn.After(due) {
			held = append(held, HeldFunds{Received: r.On, Amount: r.Amount, Due: due, PaidOn: paidOn, Subject: subject})
		}
	}
	return held
}

// checkFundsPayout emits a finding for each receipt FundsHeldPastLimit
// returns.
func checkFundsPayout(acts []Act, days int, on domain.Date, emit emitter) {
	for _, h := range FundsHeldPastLimit(acts, days, on) {
		amount := ""
		if h.Amount > 0 {
			amount = yuan(h.Amount)
		}
		if h.Held() {
			emit(h.Subject, fmt.Sprintf("案款%s于%s到账，至%s已%d日未发放（应于%s前发放）。如有经批准延缓发放的情形，可核实后排除。", amount, h.Received, on, h.Received.DaysUntil(on), h.Due))
		} else {
			emit(h.Subject, fmt.Sprintf("案款%s于%s到账，%s才发放，超过到账后%d日（应于%s前发放）。如有经批准延缓发放的情形，可核实后排除。", amount, h.Received, h.PaidOn, days, h.Due))
		}
	}
}

// checkTermination checks a case closed by 终结本次执行程序 against the
// conditions of 法〔2016〕373号, each missing one a finding of its own.
func checkTermination(c *domain.Case, acts []Act, months int, on domain.Date, emit emitter) {
	if c.ClosingMode != ClosingTermination || !c.Closed() || c.ClosedOn.After(on) {
		return
	}
	before := func(kinds ...ActKind) bool {
		for _, a := range ofKind(acts, kinds...) {
			if !a.On.After(c.ClosedOn) {
				return true
			}
		}
		return false
	}
	node := func(k domain.NodeKind) bool {
		for _, n := range c.Nodes {
			if n.Kind == k && !n.On.After(c.ClosedOn) {
				return true
			}
		}
		return false
	}
	if earliest := c.FiledOn.AddMonths(months); !c.ClosedOn.After(earliest) {
		emit("three_months", fmt.Sprintf("%s立案，%s即以终结本次执行程序结案，未超过立案之日起%d个月（第一条第四项）。", c.FiledOn, c.ClosedOn, months))
	}
	// A case for which the case system reported no act at all is not
	// judged on its acts: the absence of data is no violation, and would
	// otherwise bury the report under every 终本 case of an old import.
	if len(acts) == 0 {
		return
	}
	closed := fmt.Sprintf("%s以终结本次执行程序结案，", c.ClosedOn)
	if !before(ActNotice) && !node(domain.NodeNotice) {
		emit("notice", closed+"此前未见发出执行通知（第一条第一项）。")
	}
	if !before(ActReportOrder) {
		emit("report_order", closed+"此前未见责令被执行人报告财产（报告财产令，第一条第一项）。")
	}
	if !before(ActRestrictSpending) {
		emit("restrict_spending", closed+"此前未见发出限制消费令（第一条第二项）。")
	}
	if !before(ActQuery, ActInvestigation) && !node(domain.NodeInvestigation) {
		emit("investigation", closed+"此前未见财产调查（查询）记录，不能认定已穷尽财产调查措施（第一条第三项）。")
	}
	if !before(ActInterview) {
		emit("interview", closed+"此前未见约谈申请执行人、听取其对终结本次执行程序的意见。")
	}
}

// checkAuctionReserve compares the starting price of the first auction
// after each appraisal with the appraised value. Later rounds of the same
// property (流拍后再拍) are priced from the round before, not from the
// appraisal, and are not checked here.
func checkAuctionReserve(acts []Act, percent int, emit emitter) {
	var appraisal *Act
	checked := false
	for i := range acts {
		a := &acts[i]
		switch {
		case a.Kind == ActAppraisal && a.Amount > 0:
			appraisal, checked = a, false
		case a.Kind == ActAuction && a.Amount > 0 && appraisal != nil && !checked:
			checked = true
			if a.Amount*100 < appraisal.Amount*int64(percent) {
				emit(a.On.String()+"/"+fmt.Sprint(a.Amount), fmt.Sprintf("%s拍卖起拍价%s，为%s评估价%s的%s，低于%d%%。",
					a.On, yuan(a.Amount), appraisal.On, yuan(appraisal.Amount), percentOf(a.Amount, appraisal.Amount), percent))
			}
		}
	}
}

// percentOf writes a/b as a percentage with one decimal, rounded down.
func percentOf(a, b int64) string {
	p := a * 1000 / b
	return fmt.Sprintf("%d.%d%%", p/10, p%10)
}

// checkOverSeizure compares what an open case holds (查封、扣押、冻结, by
// the amounts recorded) with its claim.
func checkOverSeizure(c *domain.Case, acts []Act, ratio int64, on domain.Date, emit emitter) {
	if c.Amount <= 0 || (c.Closed() && !c.ClosedOn.After(on)) {
		return
	}
	var held int64
	for _, a := range ofKind(acts, ActSeal, ActDistrain, ActFreeze) {
		held += a.Amount
	}
	if held*100 > c.Amount*ratio {
		emit("", fmt.Sprintf("查封、扣押、冻结财产价值合计%s，为执行标的%s的%s，超过设定的%s倍。",
			yuan(held), yuan(c.Amount), percentOf(held, c.Amount), ratioText(ratio)))
	}
}

func ratioText(hundredths int64) string {
	s := fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)
	return strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "0"), "0"), ".")
}

// checkNodes lists every process node late or missing against the
// time-limit table, and the case itself past its limit.
func checkNodes(f CaseFacts, limits *deadline.Limits, on domain.Date, emit emitter) {
	if limits == nil {
		return
	}
	c := f.Case
	for _, n := range limits.Timeline(c, f.Pauses, on) {
		switch {
		case n.Late:
			emit("node:"+string(n.Kind), fmt.Sprintf("“%s”于%s完成，晚于期限%s（%s）。", n.Kind, n.On, n.Due, n.Limit))
		case n.Missing:
			emit("node:"+string(n.Kind), fmt.Sprintf("“%s”至%s尚未完成，期限已于%s届满（%s）。", n.Kind, on, n.Due, n.Limit))
		}
	}
	res, rule, ok := limits.ForCase(c, f.Extensions, f.Pauses, on)
	if !ok || res.Running || res.Due.IsZero() {
		return
	}
	switch {
	case c.Closed() && !c.ClosedOn.After(on):
		if c.ClosedOn.After(res.Due) {
			emit("case", fmt.Sprintf("%s结案，晚于%s期限%s。", c.ClosedOn, rule.Name, res.Due))
		}
	case on.After(res.Due):
		emit("case", fmt.Sprintf("至%s未结案，%s期限已于%s届满。", on, rule.Name, res.Due))
	}
}

// placeholderBases are what people write when they have no basis.
var placeholderBases = []string{"无", "暂无", "/", "-", "—", "略", "待补", "无依据", "n/a", "na"}

func noBasis(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "" || slices.Contains(placeholderBases, s)
}

// pauseActs names, per pause kind, the acts that must lie within a pause
// of that kind: a pause for appraisal with no appraisal is not one.
var pauseActs = map[string][]ActKind{
	"审计、评估": {ActAppraisal},
	"拍卖、变卖": {ActAuction, ActSale},
}

// checkLedger lists pauses and extensions without a basis: no basis
// written, a pause for an appraisal or auction with no such act in it, an
// extension approved only after the limit it extends had run out.
func checkLedger(f CaseFacts, acts []Act, limits *deadline.Limits, on domain.Date, emit emitter) {
	for _, p := range f.Pauses {
		if p.Start.After(on) {
			continue
		}
		subject := "pause:" + p.Kind + ":" + p.Start.String()
		end := p.End
		if end.IsZero() || end.After(on) {
			end = on
		}
		if noBasis(p.Basis) {
			emit(subject, fmt.Sprintf("%s起“%s”不计入执行期限，未写明依据。", p.Start, p.Kind))
			continue
		}
		if kinds, ok := pauseActs[p.Kind]; ok {
			found := false
			for _, a := range ofKind(acts, kinds...) {
				if !a.On.Before(p.Start) && !a.On.After(end) {
					found = true
				}
			}
			if !found {
				var names []string
				for _, k := range kinds {
					names = append(names, k.Label())
				}
				emit(subject, fmt.Sprintf("%s至%s以“%s”为由不计入执行期限，期间未见%s行为。", p.Start, end, p.Kind, strings.Join(names, "或")))
			}
		}
	}
	var rule deadline.Rule
	var ok bool
	if limits != nil {
		rule, ok = limits.CaseRule(f.Case)
	}
	exts := slices.Clone(f.Extensions)
	slices.SortStableFunc(exts, func(a, b deadline.Extension) int { return a.ApprovedOn.Time().Compare(b.ApprovedOn.Time()) })
	for i, e := range exts {
		if e.ApprovedOn.After(on) {
			continue
		}
		subject := "extension:" + e.ApprovedOn.String()
		if noBasis(e.Basis) {
			emit(subject, fmt.Sprintf("%s批准延长执行期限%d%s，未写明批准依据。", e.ApprovedOn, e.Amount, e.Unit))
			continue
		}
		if !ok {
			continue
		}
		res := deadline.ComputeDue(rule, f.Case.FiledOn, exts[:i], f.Pauses, limits.Calendar, e.ApprovedOn)
		if !res.Running && e.ApprovedOn.After(res.Due) {
			emit(subject, fmt.Sprintf("%s批准延长执行期限%d%s，原期限已于%s届满，延长应在期限届满前报批。", e.ApprovedOn, e.Amount, e.Unit, res.Due))
		}
	}
}

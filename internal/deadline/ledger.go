package deadline

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// Pause is a period that does not count toward the limit: 中止执行、暂缓执行、
// 公告送达、审计评估、拍卖变卖、向上级法院请示… Start and End are both days on
// which the clock stands still; the zero End means the pause still runs.
type Pause struct {
	Kind, Basis string
	Start, End  domain.Date
}

// Validate checks a pause of a case filed on filedOn before it is
// recorded: every field a person must give, in order.
func (p Pause) Validate(filedOn domain.Date) error {
	fe := domain.FieldErrors{}
	if strings.TrimSpace(p.Kind) == "" {
		fe.Add("kind", "请选择事由")
	}
	if strings.TrimSpace(p.Basis) == "" {
		fe.Add("basis", "请填写依据（如裁定书、审批表）")
	}
	if p.Start.IsZero() {
		fe.Add("start", "请填写起始日期")
	} else if p.Start.Before(filedOn) {
		fe.Add("start", "起始日期早于立案日期")
	}
	if !p.End.IsZero() && p.End.Before(p.Start) {
		fe.Add("end", "结束日期早于起始日期")
	}
	return fe.Err()
}

// PauseKinds are the usual periods that do not count toward the limit.
var PauseKinds = []string{"中止执行", "暂缓执行", "审计、评估", "拍卖、变卖", "公告送达", "委托执行", "向上级法院请示", "执行和解履行期间", "其他依法不计入的期间"}

// Extension is an approved extension of the limit.
type Extension struct {
	Amount     int
	Unit       Unit
	ApprovedOn domain.Date
	Basis      string
}

// Validate checks an extension before it is recorded.
func (e Extension) Validate() error {
	fe := domain.FieldErrors{}
	if e.Amount <= 0 || e.Amount > 36 {
		fe.Add("months", "延长期限应为1至36个月")
	}
	if e.ApprovedOn.IsZero() {
		fe.Add("approved_on", "请填写批准日期")
	}
	if strings.TrimSpace(e.Basis) == "" {
		fe.Add("basis", "请填写批准依据")
	}
	return fe.Err()
}

// Ledger steps, in the order they appear.
const (
	StepStart     = "起算日"
	StepPeriod    = "法定期限"
	StepExtension = "延长"
	StepPause     = "扣除"
	StepHoliday   = "顺延节假日"
	StepDue       = "届满日"
	StepNote      = "提示"
)

// LedgerLine is one step of the computation, for people to check.
type LedgerLine struct {
	Step  string      // one of the Step constants
	Date  domain.Date // the date this step arrives at, if any
	Text  string      // the step in Chinese
	Basis string      // the legal basis of the step, if any
}

// Result is a computed limit.
type Result struct {
	Due        domain.Date
	Running    bool // a pause runs today: the clock is stopped, and Due moves on each day it lasts
	PausedDays int  // pause days deducted: calendar days, or working days for a working-day rule
	Lines      []LedgerLine
	// quiet: the caller wants the date, not the explanation (Due).
	quiet bool
}

func (r *Result) add(step string, d domain.Date, basis, format string, args ...any) {
	if r.quiet {
		return
	}
	r.Lines = append(r.Lines, LedgerLine{Step: step, Date: d, Text: fmt.Sprintf(format, args...), Basis: basis})
}

// span is a closed range of days.
type span struct{ from, to domain.Date }

// Compute returns when rule falls due for a period that began on start, as
// the package documentation describes; today ends open pauses. cal may be
// nil (weekends only). An invalid rule or a zero start gives a zero Due and
// a line saying why.
func Compute(rule Rule, start domain.Date, ext []Extension, pauses []Pause, cal *Calendar, today domain.Date) Result {
	return compute(Result{}, rule, start, ext, pauses, cal, today)
}

// Due is Compute's Due and Running without the ledger's lines, for the
// callers that only compare dates (a case page's timeline asks it for
// every node, and writing the lines was half of that).
func Due(rule Rule, start domain.Date, ext []Extension, pauses []Pause, cal *Calendar, today domain.Date) (due domain.Date, running bool) {
	res := compute(Result{quiet: true}, rule, start, ext, pauses, cal, today)
	return res.Due, res.Running
}

func compute(res Result, rule Rule, start domain.Date, ext []Extension, pauses []Pause, cal *Calendar, today domain.Date) Result {
	if err := rule.Validate(); err != nil {
		res.add(StepNote, domain.Date{}, "", "期限规则“%s”不完整，无法计算。", rule.Name)
		return res
	}
	if start.IsZero() {
		res.add(StepNote, domain.Date{}, "", "尚无%s日期，无法计算。", rule.From)
		return res
	}
	res.add(StepStart, start.AddDays(1), basisCPL85,
		"%s日为%s；期间开始的日不计算在期间内，自次日%s起算。", rule.From, start.Chinese(), start.AddDays(1).Chinese())

	due := advance(start, rule.Amount, rule.Unit, cal)
	res.add(StepPeriod, due, rule.Basis, "%s，期限%s，至%s届满。", rule.Name, rule.Unit.amount(rule.Amount), due.Chinese())

	exts := slices.Clone(ext)
	slices.SortStableFunc(exts, func(a, b Extension) int { return cmp.Compare(a.ApprovedOn.String(), b.ApprovedOn.String()) })
	for _, e := range exts {
		if e.Amount <= 0 || !e.Unit.valid() {
			res.add(StepNote, domain.Date{}, e.Basis, "%s批准的延长期限不完整，已忽略。", e.ApprovedOn.Chinese())
			continue
		}
		next := advance(due, e.Amount, e.Unit, cal)
		res.add(StepExtension, next, e.Basis, "%s批准延长%s，届满日由%s延至%s。",
			e.ApprovedOn.Chinese(), e.Unit.amount(e.Amount), due.Chinese(), next.Chinese())
		due = next
	}

	spans := pauseSpans(pauses, today, &res)
	nominal := due
	// The least date D with D = nominal + (pause days in the period up to D):
	// each pass can only add days, and pauses are bounded, so it ends.
	for {
		res.PausedDays = countPaused(spans, start, due, rule.Unit, cal)
		next := extend(nominal, res.PausedDays, rule.Unit, cal)
		if next.Equal(due) {
			break
		}
		due = next
	}
	// A pause that began after the period ran out stops nothing.
	res.Running = today.After(start) && !today.After(due) &&
		slices.ContainsFunc(pauses, func(p Pause) bool { return runsOn(p, today) })
	explainPauses(&res, pauses, spans, today, start, due, rule.Unit, cal)
	if res.PausedDays > 0 {
		res.add(StepPause, due, "", "共扣除%s，届满日由%s顺延至%s。",
			pausedAmount(res.PausedDays, rule.Unit), nominal.Chinese(), due.Chinese())
	}

	if !cal.IsWorkday(due) {
		next := cal.NextWorkday(due)
		res.add(StepHoliday, next, basisCPL85, "%s为%s，以其后第一个工作日%s为届满日。", due.Chinese(), restName(cal, due), next.Chinese())
		due = next
	}
	if !cal.Covers(due.Year()) {
		res.add(StepNote, domain.Date{}, "", "日历未载入%d年国务院节假日安排，该年仅按周末判断休息日，请载入当年通知后复核。", due.Year())
	}
	res.Due = due
	if res.Running {
		res.add(StepDue, due, "", "届满日为%s（不计入期间尚未结束，按计至今日%s计算，此后每日顺延）。", due.Chinese(), today.Chinese())
	} else {
		res.add(StepDue, due, "", "届满日为%s。", due.Chinese())
	}
	return res
}

// advance returns the end of n units counted from the day after d.
func advance(d domain.Date, n int, u Unit, cal *Calendar) domain.Date {
	switch u {
	case CalendarMonths:
		return d.AddMonths(n)
	case Workdays:
		return cal.AddWorkdays(d, n)
	}
	return d.AddDays(n)
}

// extend pushes d on by n paused days, counted as the rule counts them.
func extend(d domain.Date, n int, u Unit, cal *Calendar) domain.Date {
	if u == Workdays {
		return cal.AddWorkdays(d, n)
	}
	return d.AddDays(n)
}

func runsOn(p Pause, today domain.Date) bool {
	return !today.IsZero() && !p.Start.IsZero() && !p.Start.After(today) && (p.End.IsZero() || !p.End.Before(today))
}

// pauseSpans returns the union of the pauses as sorted, disjoint spans,
// open pauses ending today; unusable pauses are noted and left out.
func pauseSpans(pauses []Pause, today domain.Date, res *Result) []span {
	var spans []span
	for _, p := range pauses {
		s, ok := spanOf(p, today)
		if !ok {
			if p.Start.IsZero() || (!p.End.IsZero() && p.End.Before(p.Start)) {
				res.add(StepNote, domain.Date{}, p.Basis, "%s的起止日期有误，已忽略。", p.Kind)
			}
			continue
		}
		spans = append(spans, s)
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.from.String(), b.from.String()) })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && !s.from.After(merged[n-1].to.AddDays(1)) {
			if s.to.After(merged[n-1].to) {
				merged[n-1].to = s.to
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// spanOf returns the days p stops the clock, or false if none.
func spanOf(p Pause, today domain.Date) (span, bool) {
	if p.Start.IsZero() {
		return span{}, false
	}
	end := p.End
	if end.IsZero() {
		if today.IsZero() {
			return span{}, false
		}
		end = today
	}
	if end.Before(p.Start) {
		return span{}, false
	}
	return span{p.Start, end}, true
}

// countPaused counts the paused days inside the period (start, due].
func countPaused(spans []span, start, due domain.Date, u Unit, cal *Calendar) int {
	n := 0
	for _, s := range spans {
		n += daysIn(s, start, due, u, cal)
	}
	return n
}

// daysIn counts the days of s inside (start, due]: working days for a
// working-day rule, else calendar days.
func daysIn(s span, start, due domain.Date, u Unit, cal *Calendar) int {
	from, to := s.from, s.to
	if !from.After(start) {
		from = start.AddDays(1)
	}
	if to.After(due) {
		to = due
	}
	if to.Before(from) {
		return 0
	}
	if u == Workdays {
		return cal.workdaysIn(from, to)
	}
	return from.DaysUntil(to) + 1
}

// explainPauses writes one line per pause, and one for any overlap.
func explainPauses(res *Result, pauses []Pause, merged []span, today, start, due domain.Date, u Unit, cal *Calendar) {
	sum := 0
	for _, p := range pauses {
		s, ok := spanOf(p, today)
		if !ok {
			switch {
			case !p.Start.IsZero() && p.End.IsZero() && today.IsZero():
				res.add(StepNote, domain.Date{}, p.Basis, "%s尚未结束，但未提供当日日期，暂不扣除。", p.Kind)
			case !p.Start.IsZero() && p.End.IsZero():
				res.add(StepPause, domain.Date{}, p.Basis, "%s自%s开始，尚未届至，暂不扣除。", p.Kind, p.Start.Chinese())
			}
			continue
		}
		period := fmt.Sprintf("%s（%s至%s）", p.Kind, s.from.Chinese(), s.to.Chinese())
		if p.End.IsZero() {
			period = fmt.Sprintf("%s（%s起，尚未结束，计至今日%s）", p.Kind, s.from.Chinese(), s.to.Chinese())
		}
		n := daysIn(s, start, due, u, cal)
		sum += n
		switch {
		case n > 0:
			res.add(StepPause, domain.Date{}, p.Basis, "%s不计入期限，期间内计%s。", period, pausedAmount(n, u))
		case s.from.After(due):
			res.add(StepPause, domain.Date{}, p.Basis, "%s在期限届满之后，不予扣除。", period)
		case !s.to.After(start):
			res.add(StepPause, domain.Date{}, p.Basis, "%s在起算之前，不予扣除。", period)
		default:
			res.add(StepPause, domain.Date{}, p.Basis, "%s期间内无工作日，不予扣除。", period)
		}
	}
	if over := sum - countPaused(merged, start, due, u, cal); over > 0 {
		res.add(StepPause, domain.Date{}, "", "上述期间重叠%s，只扣除一次。", pausedAmount(over, u))
	}
}

func pausedAmount(n int, u Unit) string {
	if u == Workdays {
		return fmt.Sprintf("%d个工作日", n)
	}
	return fmt.Sprintf("%d日", n)
}

// restName says why d is not a working day.
func restName(cal *Calendar, d domain.Date) string {
	if name := cal.Note(d); name != "" {
		return "法定休假日（" + name + "）"
	}
	return "休息日（星期" + []string{"日", "一", "二", "三", "四", "五", "六"}[d.Weekday()] + "）"
}

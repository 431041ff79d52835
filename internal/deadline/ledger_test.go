package deadline

import (
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func d(s string) domain.Date { return domain.MustDate(s) }

func mustRule(t *testing.T, code string) Rule {
	t.Helper()
	r, ok := FindRule(DefaultRules(), code)
	if !ok {
		t.Fatalf("no default rule %q", code)
	}
	return r
}

func TestCompute(t *testing.T) {
	cal := BuiltinCalendar()
	sixMonths := mustRule(t, "enforce_property")
	threeMonths := mustRule(t, "enforce_nonlitigation")
	threeDays := mustRule(t, "notice_respondent")
	fiveWorkdays := Rule{Code: "w5", Name: "五个工作日", Amount: 5, Unit: Workdays, From: FromFiling, Basis: "测试"}
	tenDays := Rule{Code: "d10", Name: "十日", Amount: 10, Unit: CalendarDays, From: FromFiling, Basis: "测试"}

	tests := []struct {
		name    string
		rule    Rule
		start   string
		ext     []Extension
		pauses  []Pause
		cal     *Calendar
		today   string
		due     string
		running bool
		paused  int
	}{
		{
			// Filed Mon 2025-03-10; six months end on the same day of the
			// month, 2025-09-10 (Wed, a working day).
			name: "plain six months", rule: sixMonths, start: "2025-03-10", cal: cal, today: "2025-04-01",
			due: "2025-09-10",
		},
		{
			// The start day is not counted: 2025-03-03 + 10 days = 2025-03-13
			// (day 1 is 03-04, day 10 is 03-13).
			name: "days start the day after", rule: tenDays, start: "2025-03-03", cal: cal, today: "2025-03-03",
			due: "2025-03-13",
		},
		{
			// 2025-03-10 + 6 months = 2025-09-10; extended 3 months runs on
			// from there: 2025-12-10 (Wed).
			name: "extension of three months", rule: sixMonths, start: "2025-03-10", cal: cal, today: "2025-09-05",
			ext: []Extension{{Amount: 3, Unit: CalendarMonths, ApprovedOn: d("2025-09-03"), Basis: "院长批准"}},
			due: "2025-12-10",
		},
		{
			// Pauses 04-01..04-20 (20 days) and 04-15..04-30 (16 days)
			// overlap on 04-15..04-20; their union 04-01..04-30 is 30 days,
			// not 36. 2025-09-10 + 30 = 2025-10-10 (Fri, a working day).
			name: "two overlapping pauses count once", rule: sixMonths, start: "2025-03-10", cal: cal, today: "2025-06-01",
			pauses: []Pause{
				{Kind: "中止执行", Start: d("2025-04-01"), End: d("2025-04-20")},
				{Kind: "暂缓执行", Start: d("2025-04-15"), End: d("2025-04-30")},
			},
			due: "2025-10-10", paused: 30,
		},
		{
			// 中止 from 05-01 still runs on today 05-20: 05-01..05-20 is 20
			// days so far. 2025-09-10 + 20 = 2025-09-30 (Tue); the clock is
			// stopped.
			name: "pause running today", rule: sixMonths, start: "2025-03-10", cal: cal, today: "2025-05-20",
			pauses: []Pause{{Kind: "中止执行", Start: d("2025-05-01")}},
			due:    "2025-09-30", running: true, paused: 20,
		},
		{
			// 2025-04-01 + 6 months = 2025-10-01, in the 国庆、中秋 holiday
			// 10-01..10-08; the next working day is Thu 2025-10-09.
			name: "due on a holiday moves past it", rule: sixMonths, start: "2025-04-01", cal: cal, today: "2025-04-01",
			due: "2025-10-09",
		},
		{
			// Materials received Sun 2025-09-28 (a 调休 working day);
			// + 3 days = 2025-10-01, a holiday, so 2025-10-09.
			name: "three days into the National Day holiday", rule: threeDays, start: "2025-09-28", cal: cal, today: "2025-09-28",
			due: "2025-10-09",
		},
		{
			// After 春节 (01-28..02-04), from Wed 02-05: 02-06 (1), 02-07 (2),
			// Sat 02-08 调休上班 (3), Mon 02-10 (4), Tue 02-11 (5).
			// Weekends alone would give 02-12.
			name: "adjusted Saturday is a working day", rule: fiveWorkdays, start: "2025-02-05", cal: cal, today: "2025-02-05",
			due: "2025-02-11",
		},
		{
			// Same rule with weekends only (no calendar): 02-06, 02-07,
			// 02-10, 02-11, 02-12.
			name: "no calendar knows weekends only", rule: fiveWorkdays, start: "2025-02-05", cal: nil, today: "2025-02-05",
			due: "2025-02-12",
		},
		{
			// From Thu 2025-09-25: 09-26 (1), Sun 09-28 调休 (2), 09-29 (3),
			// 09-30 (4), 10-09 (5). The pause 09-29..10-08 holds 2 working
			// days (09-29, 09-30), which push the end 2 working days past
			// 10-09: 10-10 (1), Sat 10-11 调休 (2).
			name: "working-day rule deducts only paused working days", rule: fiveWorkdays, start: "2025-09-25", cal: cal, today: "2025-10-20",
			pauses: []Pause{{Kind: "暂缓执行", Start: d("2025-09-29"), End: d("2025-10-08")}},
			due:    "2025-10-11", paused: 2,
		},
		{
			// Due 2025-09-10; a pause 10-01..10-31 begins after the period
			// ran out and does not count.
			name: "pause after the due date does not count", rule: sixMonths, start: "2025-03-10", cal: cal, today: "2025-11-15",
			pauses: []Pause{{Kind: "中止执行", Start: d("2025-10-01"), End: d("2025-10-31")}},
			due:    "2025-09-10",
		},
		{
			// A pause 09-01..09-30 begins with 10 days left (09-01..09-10)
			// and stops the clock throughout: all 30 days count.
			// 2025-09-10 + 30 = 2025-10-10.
			name: "pause straddling the due date counts in full", rule: sixMonths, start: "2025-03-10", cal: cal, today: "2025-11-15",
			pauses: []Pause{{Kind: "审计评估", Start: d("2025-09-01"), End: d("2025-09-30")}},
			due:    "2025-10-10", paused: 30,
		},
		{
			// A pause opened after the period ran out stops nothing, so the
			// clock is not running.
			name: "open pause after the due date", rule: sixMonths, start: "2025-03-10", cal: cal, today: "2025-10-20",
			pauses: []Pause{{Kind: "中止执行", Start: d("2025-10-15")}},
			due:    "2025-09-10",
		},
		{
			// 2025-08-31 + 6 months: 2026-02 has no 31st, so its last day,
			// 2026-02-28. That is a Saturday but a 春节调休 working day in
			// the 2026 notice, so it stays.
			name: "month end, ending on an adjusted Saturday", rule: sixMonths, start: "2025-08-31", cal: cal, today: "2025-09-01",
			due: "2026-02-28",
		},
		{
			// Without the 2026 notice 2026-02-28 is a plain Saturday, so the
			// period ends Mon 2026-03-02.
			name: "month end, weekends only", rule: sixMonths, start: "2025-08-31", cal: nil, today: "2025-09-01",
			due: "2026-03-02",
		},
		{
			// 2025-08-31 + 3 months = 2025-11-30, a Sunday: Mon 2025-12-01.
			name: "month end on a Sunday", rule: threeMonths, start: "2025-08-31", cal: cal, today: "2025-09-01",
			due: "2025-12-01",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compute(tt.rule, d(tt.start), tt.ext, tt.pauses, tt.cal, d(tt.today))
			if got.Due.String() != tt.due || got.Running != tt.running || got.PausedDays != tt.paused {
				t.Errorf("Compute = due %s running %v paused %d, want due %s running %v paused %d\n%s",
					got.Due, got.Running, got.PausedDays, tt.due, tt.running, tt.paused, ledgerText(got))
			}
			if last := got.Lines[len(got.Lines)-1]; last.Step != StepDue || !last.Date.Equal(got.Due) {
				t.Errorf("last line = %+v, want the due date", last)
			}
			// Due, without the lines, reaches the same date.
			if due, running := Due(tt.rule, d(tt.start), tt.ext, tt.pauses, tt.cal, d(tt.today)); due.String() != tt.due || running != tt.running {
				t.Errorf("Due = %s running %v, want %s running %v", due, running, tt.due, tt.running)
			}
		})
	}
}

func TestComputeLedger(t *testing.T) {
	got := Compute(mustRule(t, "enforce_property"), d("2025-04-01"), nil,
		[]Pause{
			{Kind: "中止执行", Basis: "第十三条", Start: d("2025-05-01"), End: d("2025-05-10")},
			{Kind: "暂缓执行", Start: d("2025-05-06"), End: d("2025-05-15")},
		},
		BuiltinCalendar(), d("2025-06-01"))
	// 2025-10-01 + 15 (05-01..05-15) = 2025-10-16, a Thursday.
	if got.Due.String() != "2025-10-16" {
		t.Fatalf("due = %s, want 2025-10-16\n%s", got.Due, ledgerText(got))
	}
	text := ledgerText(got)
	for _, want := range []string{
		"立案日为2025年4月1日", "自次日2025年4月2日起算",
		"期限6个月，至2025年10月1日届满",
		"中止执行（2025年5月1日至2025年5月10日）不计入期限，期间内计10日",
		"重叠5日，只扣除一次",
		"共扣除15日，届满日由2025年10月1日顺延至2025年10月16日",
		"届满日为2025年10月16日",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ledger lacks %q:\n%s", want, text)
		}
	}
}

func TestComputeHolidayLine(t *testing.T) {
	got := Compute(mustRule(t, "enforce_property"), d("2025-04-01"), nil, nil, BuiltinCalendar(), d("2025-04-01"))
	text := ledgerText(got)
	if !strings.Contains(text, "2025年10月1日为法定休假日（国庆节、中秋节），以其后第一个工作日2025年10月9日为届满日") {
		t.Errorf("ledger lacks the holiday step:\n%s", text)
	}
}

func TestComputeWarnsOutsideCalendar(t *testing.T) {
	got := Compute(mustRule(t, "enforce_property"), d("2026-09-01"), nil, nil, BuiltinCalendar(), d("2026-09-01"))
	if !strings.Contains(ledgerText(got), "日历未载入2027年") {
		t.Errorf("no warning for 2027:\n%s", ledgerText(got))
	}
}

func TestComputeRejectsBadInput(t *testing.T) {
	if got := Compute(Rule{Name: "空"}, d("2025-01-02"), nil, nil, nil, d("2025-01-02")); !got.Due.IsZero() {
		t.Errorf("invalid rule gave due %s", got.Due)
	}
	if got := Compute(mustRule(t, "enforce_property"), domain.Date{}, nil, nil, nil, d("2025-01-02")); !got.Due.IsZero() {
		t.Errorf("zero start gave due %s", got.Due)
	}
	// A pause ending before it starts is ignored, and said so.
	got := Compute(mustRule(t, "enforce_property"), d("2025-03-10"), nil,
		[]Pause{{Kind: "中止执行", Start: d("2025-05-10"), End: d("2025-05-01")}}, BuiltinCalendar(), d("2025-06-01"))
	if got.Due.String() != "2025-09-10" || !strings.Contains(ledgerText(got), "起止日期有误") {
		t.Errorf("bad pause: due %s\n%s", got.Due, ledgerText(got))
	}
}

func ledgerText(r Result) string {
	var b strings.Builder
	for _, l := range r.Lines {
		b.WriteString(l.Step + "｜" + l.Text + "\n")
	}
	return b.String()
}

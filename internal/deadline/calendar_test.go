package deadline

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestParseCalendar(t *testing.T) {
	const file = "\ufeff# 本院维护的节假日安排\n" +
		"\n" +
		"2026-10-01~2026-10-07,休,国庆节\n" +
		"2026-10-10,班,国庆节调休   # 周六上班\n" +
		"2026-09-20，上班，国庆节调休\n" +
		"2026-06-19～2026-06-21, 放假\n" +
		"2027-01-01,holiday,New Year\n" +
		"2027-01-02,休息\n" +
		"2027-01-04,workday\n"
	cal, err := ParseCalendar(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		day  string
		work bool
		note string
	}{
		{"2026-09-30", true, ""},          // Wednesday
		{"2026-10-01", false, "国庆节"},      // listed holiday
		{"2026-10-07", false, "国庆节"},      // end of range
		{"2026-10-08", true, ""},          // Thursday after the range
		{"2026-10-10", true, "国庆节调休"},     // Saturday made a working day
		{"2026-10-11", false, ""},         // Sunday
		{"2026-09-20", true, "国庆节调休"},     // full-width commas
		{"2026-06-20", false, ""},         // full-width tilde, no name
		{"2027-01-01", false, "New Year"}, // English kind
		{"2027-01-04", true, ""},          // a Monday listed as workday changes nothing
	} {
		if got := cal.IsWorkday(d(tt.day)); got != tt.work {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.work)
		}
		if got := cal.Note(d(tt.day)); got != tt.note {
			t.Errorf("Note(%s) = %q, want %q", tt.day, got, tt.note)
		}
	}
	if !cal.Covers(2026) || !cal.Covers(2027) || cal.Covers(2025) {
		t.Errorf("Covers: 2026 %v, 2027 %v, 2025 %v", cal.Covers(2026), cal.Covers(2027), cal.Covers(2025))
	}
}

func TestParseCalendarErrors(t *testing.T) {
	const file = "# 错误示例\n" + // 1
		"2026-10-01,休,国庆节\n" + // 2
		"2026-13-01,休,不存在的月份\n" + // 3
		"\n" + // 4
		"2026-10-02,调休\n" + // 5: unknown kind
		"2026-10-03\n" + // 6: no kind
		"2026-10-08~2026-10-01,休\n" + // 7: range backwards
		"2026-09-30~2026-10-01,班\n" + // 8: contradicts line 2
		"2026-01-01~2027-01-05,休\n" + // 9: more than a year
		"2026-10-04,休,国庆节\n" // 10: fine
	_, err := ParseCalendar(strings.NewReader(file))
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	msg := domain.UserMessage(err)
	for _, want := range []string{
		"第3行：日期“2026-13-01”无效",
		"第5行：类型“调休”无法识别",
		"第6行：“2026-10-03”缺少类型",
		"第7行：日期范围“2026-10-08~2026-10-01”的结束日早于开始日",
		"第8行：2026-10-01已在第2行标为“休”，与本行矛盾",
		"第9行：日期范围“2026-01-01~2027-01-05”超过一年",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	for _, bad := range []string{"第2行：", "第10行：", "第1行：", "第4行："} {
		if strings.Contains(msg, bad) {
			t.Errorf("message blames a good line (%s):\n%s", bad, msg)
		}
	}
}

func TestParseCalendarCapsProblems(t *testing.T) {
	_, err := ParseCalendar(strings.NewReader(strings.Repeat("bad\n", 25)))
	if msg := domain.UserMessage(err); !strings.Contains(msg, "第20行") || strings.Contains(msg, "第21行") || !strings.Contains(msg, "另有5处错误未列出") {
		t.Errorf("message = %s", msg)
	}
}

func TestBuiltinCalendar(t *testing.T) {
	cal := BuiltinCalendar()
	rest := []string{
		"2025-01-01", "2025-01-28", "2025-02-04", "2025-04-04", "2025-04-06", "2025-05-01", "2025-05-05",
		"2025-05-31", "2025-06-02", "2025-10-01", "2025-10-08",
		"2026-01-01", "2026-01-03", "2026-02-15", "2026-02-23", "2026-04-06", "2026-05-05", "2026-06-19",
		"2026-09-25", "2026-09-27", "2026-10-01", "2026-10-07",
	}
	work := []string{
		"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11", // 2025 调休上班
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10", // 2026 调休上班
		"2025-01-27", "2025-10-09", "2026-02-24", "2026-10-08", // first days back
	}
	for _, s := range rest {
		if cal.IsWorkday(d(s)) {
			t.Errorf("%s should be a rest day", s)
		}
	}
	for _, s := range work {
		if !cal.IsWorkday(d(s)) {
			t.Errorf("%s should be a working day", s)
		}
	}
	// 国庆 2026 is seven days, 春节 2026 nine.
	if n := 7 - cal.workdaysIn(d("2026-10-01"), d("2026-10-07")); n != 7 {
		t.Errorf("国庆 2026 rest days = %d, want 7", n)
	}
	if n := cal.workdaysIn(d("2026-02-15"), d("2026-02-23")); n != 0 {
		t.Errorf("春节 2026 has %d working days, want 0", n)
	}
	if !cal.Covers(2025) || !cal.Covers(2026) || cal.Covers(2027) {
		t.Error("built-in calendar should cover exactly 2025 and 2026")
	}
}

func TestWorkdayArithmetic(t *testing.T) {
	cal := BuiltinCalendar()
	for _, tt := range []struct {
		name string
		got  domain.Date
		want string
	}{
		{"NextWorkday of a working day is itself", cal.NextWorkday(d("2025-09-30")), "2025-09-30"},
		{"NextWorkday skips 国庆", cal.NextWorkday(d("2025-10-01")), "2025-10-09"},
		{"NextWorkday of an adjusted Sunday is itself", cal.NextWorkday(d("2025-09-28")), "2025-09-28"},
		{"AddWorkdays 0", cal.AddWorkdays(d("2025-10-01"), 0), "2025-10-01"},
		// 09-26 (1), Sun 09-28 (2), 09-29 (3), 09-30 (4), 10-09 (5)
		{"AddWorkdays across 国庆", cal.AddWorkdays(d("2025-09-25"), 5), "2025-10-09"},
		// back from 10-09: 09-30 (1), 09-29 (2), Sun 09-28 (3)
		{"AddWorkdays backwards", cal.AddWorkdays(d("2025-10-09"), -3), "2025-09-28"},
		{"nil calendar knows weekends", (*Calendar)(nil).NextWorkday(d("2025-10-04")), "2025-10-06"},
	} {
		if tt.got.String() != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestMerge(t *testing.T) {
	builtin := BuiltinCalendar()
	court, err := ParseCalendar(strings.NewReader("2025-10-09,休,本院补休\n2027-01-01,休,元旦\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := builtin.Merge(court)
	if m.IsWorkday(d("2025-10-09")) || m.Note(d("2025-10-09")) != "本院补休" {
		t.Error("court file should override the built-in calendar")
	}
	if m.IsWorkday(d("2025-10-01")) || !m.IsWorkday(d("2025-10-11")) {
		t.Error("merge lost built-in days")
	}
	if !m.Covers(2025) || !m.Covers(2027) {
		t.Error("merge lost covered years")
	}
	if !builtin.IsWorkday(d("2025-10-09")) || builtin.Covers(2027) {
		t.Error("merge changed its receiver")
	}
	if (*Calendar)(nil).Merge(court).IsWorkday(d("2027-01-01")) {
		t.Error("merge onto nil lost the other calendar")
	}
}

package web

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// TestDueWords: a deadline counted in Beijing dates from today.
func TestDueWords(t *testing.T) {
	today := domain.MustDate("2026-03-10")
	for _, c := range []struct {
		due     string
		overdue bool
		want    string
	}{
		{"", false, ""},
		{"2026-03-13", false, "3天后到期"},
		{"2026-03-11", false, "1天后到期"},
		{"2026-03-10", false, "今天到期"},
		{"2026-03-10", true, "今天已到期"},
		{"2026-03-08", true, "逾期2天"},
		{"2026-02-28", true, "逾期10天"},
		{"2026-04-09", false, "30天后到期"},
	} {
		var d domain.Date
		if c.due != "" {
			d = domain.MustDate(c.due)
		}
		if got := dueWords(d, today, c.overdue); got != c.want {
			t.Errorf("dueWords(%q, overdue %v) = %q, want %q", c.due, c.overdue, got, c.want)
		}
	}
}

// TestGroupTodos: by kind in the page's order, overdue first and then by
// deadline, five lines shown and the rest counted; courts named once the
// to-dos span another court than the user's.
func TestGroupTodos(t *testing.T) {
	today := domain.MustDate("2026-03-10")
	var ts []todo
	for i := range 7 {
		ts = append(ts, todo{Kind: todoVisits, Owed: "电话回访", About: string(rune('A' + i)), Court: "历下区人民法院", Due: today.AddDays(i)})
	}
	ts = append(ts, todo{Kind: todoVisits, Owed: "电话回访", About: "late", Court: "历下区人民法院", Due: today.AddDays(-2), Overdue: true},
		todo{Kind: todoTracking, Owed: "组织会商", About: "k", Court: "历下区人民法院"})
	l := groupTodos(ts, today, "历下区人民法院", map[todoKind]bool{todoVisits: true})
	if len(l.Groups) != 2 || l.Groups[0].Kind != todoTracking || l.Groups[1].Kind != todoVisits || l.Total != 9 || l.Courts {
		t.Fatalf("groups: %+v", l)
	}
	g := l.Groups[1]
	if g.Count != 8 || g.More != 3 || len(g.Lines) != 5 || !g.Capped {
		t.Fatalf("visits: count %d more %d lines %d", g.Count, g.More, len(g.Lines))
	}
	if g.Lines[0].About != "late" || g.Lines[0].DueText != "逾期2天" || g.Lines[1].About != "A" || g.Lines[1].DueText != "今天到期" || g.Lines[2].DueText != "1天后到期" {
		t.Errorf("order: %+v", g.Lines)
	}
	if l := groupTodos(append(ts, todo{Kind: todoClues, Court: "济南市中级人民法院"}), today, "历下区人民法院", nil); !l.Courts {
		t.Error("to-dos of two courts do not name them")
	}
}

// TestTimesAndNames: times to the minute in Beijing time; prints name
// people without their usernames.
func TestTimesAndNames(t *testing.T) {
	if got := formatTime(time.Date(2026, 3, 9, 16, 5, 59, 0, time.UTC)); got != "2026-03-10 00:05" {
		t.Errorf("formatTime: %q", got)
	}
	for in, want := range map[string]string{"张伟（zhangwei）": "张伟", "测试lx.cc（lx.cc）": "测试lx.cc", "当事人（回访链接）": "当事人（回访链接）", "张伟": "张伟", "": "", "测试lx.dg（lx.dg）（派驻纪检监察组）": "测试lx.dg（派驻纪检监察组）"} {
		if got := nameOnly(in); got != want {
			t.Errorf("nameOnly(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEveryPrintHasItsButton: each printable page (one with the screen
// bar) has the 打印 button and the script behind it.
func TestEveryPrintHasItsButton(t *testing.T) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		b, err := fs.ReadFile(templateFS, f)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, `class="screen-bar"`) {
			n++
			if !strings.Contains(s, `data-print>打印</button>`) || !strings.Contains(s, `{{asset "print.js"}}`) {
				t.Errorf("%s has no 打印 button", f)
			}
		}
	}
	if n < 7 {
		t.Errorf("only %d printable pages found", n)
	}
}

// TestFindingsAbout: the open findings counted up to todoLimit+1 read as
// their number, and past todoLimit as “100项以上”.
func TestFindingsAbout(t *testing.T) {
	for n, want := range map[int]string{1: "1项待核实", todoLimit: "100项待核实", todoLimit + 1: "100项以上待核实"} {
		if got := findingsAbout(n); got != want {
			t.Errorf("findingsAbout(%d) = %q, want %q", n, got, want)
		}
	}
}

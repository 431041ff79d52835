package web

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"testing"
)

// TestOptionsHTML: the options a select gets, values and labels escaped,
// the chosen one selected.
func TestOptionsHTML(t *testing.T) {
	got := string(optionsHTML([]option{{Value: "鲁0102", Label: "鲁0102 历下区"}, {Value: `"><script>`, Label: "<b>&", Selected: true}}))
	want := `<option value="鲁0102">鲁0102 历下区</option><option value="&#34;&gt;&lt;script&gt;" selected>&lt;b&gt;&amp;</option>`
	if got != want {
		t.Errorf("optionsHTML:\n got %s\nwant %s", got, want)
	}
	if optionsHTML(nil) != "" {
		t.Error("no options gave text")
	}
}

// statsRowsHTML is writeStatsRows's rows as a string.
func statsRowsHTML(rows []statsRow, total statsRow) string {
	var b bytes.Buffer
	writeStatsRows(&b, rows, total)
	return b.String()
}

// TestStatsRowsHTML: the statistics rows written by hand escape every
// text as the template did, link each row to its drill-down, say when
// there is none, and end with the total.
func TestWriteStatsRows(t *testing.T) {
	row := statsRow{Label: `<b>历下&"`, Drill: `/visits?court=鲁0102&x="><script>`, Visits: 3, SMSSent: 2, Replied: 1, ReplyRate: "50.0%",
		Satisfied: 1, SatisfactionRate: "100.0%", Closed: 2}
	got := string(statsRowsHTML([]statsRow{row}, statsRow{Visits: 3, ReplyRate: "50.0%"}))
	want := `<tr><td><a href="/visits?court=鲁0102&amp;x=&#34;&gt;&lt;script&gt;">&lt;b&gt;历下&amp;&#34;</a></td>` +
		`<td class="col-num">3</td><td class="col-num">2</td><td class="col-num">1</td><td class="col-num">50.0%</td>` +
		`<td class="col-num">1</td><td class="col-num">0</td><td class="col-num">100.0%</td><td class="col-num">0</td>` +
		`<td class="col-num">0</td><td class="col-num">0</td><td class="col-num">2</td></tr>` + "\n" +
		`<tr class="row-total"><td>合计</td><td class="col-num">3</td><td class="col-num">0</td><td class="col-num">0</td><td class="col-num">50.0%</td>` +
		`<td class="col-num">0</td><td class="col-num">0</td><td class="col-num"></td><td class="col-num">0</td>` +
		`<td class="col-num">0</td><td class="col-num">0</td><td class="col-num">0</td></tr>` + "\n"
	if got != want {
		t.Errorf("statsRowsHTML:\n got %s\nwant %s", got, want)
	}
	if got := string(statsRowsHTML(nil, statsRow{})); !strings.Contains(got, "所选期间没有回访") || !strings.Contains(got, "合计") {
		t.Errorf("no rows: %s", got)
	}
}

// TestCaseRowsHTML: the case list's rows written by hand are what the
// template's range over them wrote (less the blanks between tags), every
// text escaped, each state's badge and the empty list's line.
func TestCaseRowsHTML(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`{{range .}}
      <tr{{if .Overdue}} class="row-warn"{{end}}>
        <td class="mono case-no"><a href="/cases/{{.ID}}">{{.Number}}</a></td>
        <td>{{.Court}}</td>
        <td class="col-date">{{.FiledOn}}</td>
        <td>{{.Officer}}</td>
        <td>{{.Department}}</td>
        <td class="col-num">{{.Amount}}</td>
        <td class="col-status">{{if .Closed}}<span class="badge badge-muted">已结</span>{{else}}<span class="badge badge-info">未结</span>{{end}}</td>
        <td class="col-date">{{if .Closed}}{{.ClosedOn}}{{else if .Stopped}}<span class="badge badge-muted">期限中止</span>{{else if .Overdue}}<span class="badge badge-danger">超期 {{.DueOn}}</span>{{else}}{{.DueOn}}{{end}}</td>
        <td>{{range .Flags}}<span class="tag">{{.}}</span> {{end}}</td>
      </tr>
    {{else}}
      <tr><td colspan="9" class="empty">没有符合条件的案件</td></tr>
    {{end}}`))
	rows := []caseRow{
		{ID: 7, Number: `（2024）鲁0102执<1>号`, Court: `历下&"区"`, FiledOn: "2024-01-02", Officer: "<script>", Department: "执行一庭", Amount: "1,000.00",
			DueOn: "2024-07-02", Overdue: true, Flags: []string{"信访", "<督办>"}},
		{ID: 8, Number: "（2024）鲁0102执2号", Closed: true, ClosedOn: "2024-03-01", DueOn: "2024-07-02"},
		{ID: 9, Number: "（2024）鲁0102执3号", Stopped: true, Overdue: true, DueOn: "2024-07-02"},
		{ID: 10, Number: "（2024）鲁0102执4号", DueOn: "2024-07-02"},
	}
	squeeze := regexp.MustCompile(`>\s+<|>\s+$|^\s+<`)
	norm := func(s string) string {
		return squeeze.ReplaceAllStringFunc(strings.TrimSpace(s), func(m string) string { return strings.Join(strings.Fields(m), "") })
	}
	for _, rs := range [][]caseRow{rows, nil} {
		var want strings.Builder
		if err := tmpl.Execute(&want, rs); err != nil {
			t.Fatal(err)
		}
		if got := norm(string(caseRowsHTML(rs))); got != norm(want.String()) {
			t.Errorf("caseRowsHTML:\n got %s\nwant %s", got, norm(want.String()))
		}
	}
}

// TestPercent: a rate is written as fmt's "%.1f%%" wrote it, rounding
// included.
func TestPercent(t *testing.T) {
	for _, f := range []float64{0, 0.05, 0.15, 33.349999, 33.35, 50, 66.66666, 99.95, 100} {
		if got, want := percent(f), fmt.Sprintf("%.1f%%", f); got != want {
			t.Errorf("percent(%v) = %q, want %q", f, got, want)
		}
	}
}

package web

import (
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

// TestStatsRowsHTML: the statistics rows written by hand escape every
// text as the template did, link each row to its drill-down, say when
// there is none, and end with the total.
func TestStatsRowsHTML(t *testing.T) {
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

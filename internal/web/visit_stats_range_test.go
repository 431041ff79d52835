package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The statistics refuse a range that ends before it starts, beside the
// field, with the range as typed; the trend covers every month of the
// range, those without visits at zero (issue 17).
func TestVisitStatsRangeAndMonths(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	cc := e.browser().loggedIn("lx.cc")
	r := cc.get("/visit-stats?from=2026-09&to=2026-03")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `<p class="field-error" id="err-from">起始月份2026-09晚于截止月份2026-03`) ||
		!strings.Contains(r.body, `value="2026-09"`) || !strings.Contains(r.body, `value="2026-03"`) {
		t.Fatalf("reversed range: %d", r.status)
	}
	if r := cc.get("/visit-stats.xlsx?from=2026-09&to=2026-03"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("reversed range exported: %d", r.status)
	}
	// A month that is not one is said too, not replaced by the default.
	if r := cc.get("/visit-stats?from=2026-01&to=2026-13"); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `<p class="field-error" id="err-to">截止月份应写作 年-月，如 2026-10`) || !strings.Contains(r.body, `value="2026-13"`) {
		t.Fatalf("unreadable month: %d", r.status)
	}
	r = cc.get("/visit-stats?from=2025-11&to=2026-10")
	m := regexp.MustCompile(`(?s)<script type="application/json" id="stats-data">(.*?)</script>`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("stats: %d", r.status)
	}
	var chart struct {
		Months []string `json:"months"`
		Visits []int    `json:"visits"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &chart); err != nil {
		t.Fatal(err)
	}
	if len(chart.Months) != 12 || chart.Months[0] != "2025-11" || chart.Months[11] != "2026-10" || len(chart.Visits) != 12 {
		t.Fatalf("trend months %v visits %v", chart.Months, chart.Visits)
	}
}

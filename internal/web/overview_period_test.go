package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestOverviewPeriodAndTrend (issue 17): on the cockpit a backwards
// range is refused beside its field, as typed, and not exported; the
// trend has every one of the twelve months up to the period's end, each
// indicator a value or null for each, months without anything counted
// included.
func TestOverviewPeriodAndTrend(t *testing.T) {
	e := newEnv(t)
	overviewCases(t, e.app.DB)
	testdb.AddUser(t, e.app.DB, "ovp.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	g := e.browser().loggedIn("ovp.grp")

	const back = "2026-03-05~2026-01-01"
	if r := g.get("/overview?court=鲁01&scope=subtree&period=" + back); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="err-period">统计期间的结束日期早于开始日期`) || !strings.Contains(r.body, `value="`+back+`"`) {
		t.Errorf("a backwards range: %d\n%s", r.status, r.body)
	}
	if r := g.get("/overview.xlsx?court=鲁01&scope=subtree&period=" + back); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a backwards range exported: %d", r.status)
	}

	r := g.get("/overview?court=鲁01&scope=subtree&period=2026-Q2")
	m := regexp.MustCompile(`(?s)<script type="application/json" id="overview-data">(.*?)</script>`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("the cockpit of 2026-Q2: %d", r.status)
	}
	var chart struct {
		Months []string `json:"months"`
		Series []struct {
			Name string     `json:"name"`
			Data []*float64 `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &chart); err != nil {
		t.Fatal(err)
	}
	want := "2025-07 2025-08 2025-09 2025-10 2025-11 2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06"
	if strings.Join(chart.Months, " ") != want || len(chart.Series) == 0 {
		t.Fatalf("the trend's months %v, want %s", chart.Months, want)
	}
	for _, s := range chart.Series {
		if len(s.Data) != 12 {
			t.Errorf("%s: %d points, want 12", s.Name, len(s.Data))
		}
	}
}

package api_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The cockpit as JSON: one object per mechanism and the four core
// indicators with name, value and target, the store's numbers; no clues
// or dispositions for the bureau; refused to everyone else and for a
// court beside. The watchdogs ask with a token of their own
// (web.TestOverviewWatchdogAPI).
func TestOverviewAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	year := db.Today().Year()
	bu := testdb.AddUser(t, db, "ov.bureau", "鲁01", "执行局", domain.RoleBureau)
	grp := domain.ViewerFor(testdb.AddUser(t, db, "ov.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "ov.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "ov.cc", "鲁01", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "ov.bur02", "鲁02", "执行局", domain.RoleBureau)
	body := fmt.Sprintf(`{"cases": [{"case_no": "（%[1]d）鲁0102执1号", "filed_on": "%[1]d-01-05", "closed_on": "%[1]d-01-20", "closing_mode": "执行完毕", "has_property": true},
		{"case_no": "（%[1]d）鲁0102执2号", "filed_on": "%[1]d-01-05", "petition": true}]}`, year)
	if status, out := e.call("POST", "/api/v1/cases", e.token("ov.bureau"), body); status != 200 {
		t.Fatalf("posting cases: %d %v", status, out)
	}
	if _, err := db.RecordDisposition(ctx, grp, "鲁0102", oversight.Disposition{Person: "ov.off", Form: 1, Measure: "谈话提醒", Basis: "b", Decider: "d",
		DecidedOn: db.Today()}); err != nil {
		t.Fatal(err)
	}
	bureau := e.token("ov.bureau")
	want, err := db.OverviewFigures(ctx, domain.ViewerFor(bu, ""), "鲁01", true, overview.Year(year))
	if err != nil {
		t.Fatal(err)
	}
	status, out := e.call("GET", "/api/v1/overview?court=鲁01&year="+strconv.Itoa(year), bureau, "")
	if status != 200 {
		t.Fatalf("the bureau: %d %v", status, out)
	}
	for _, k := range []string{"visits", "trips", "tracking", "inspections", "oversight"} {
		if _, ok := out[k].(map[string]any); !ok {
			t.Errorf("%s: %v", k, out[k])
		}
	}
	inds, _ := out["indicators"].([]any)
	wantInds := want.Indicators(overview.DefaultTargets())
	if len(inds) != 4 {
		t.Fatalf("indicators: %v", out["indicators"])
	}
	for i, x := range inds {
		ind := x.(map[string]any)
		w := wantInds[i]
		if ind["name"] != w.Name || ind["target"] != w.Target.Value || ind["numerator"] != float64(w.Ratio.Num) || ind["denominator"] != float64(w.Ratio.Den) ||
			ind["status"] != string(w.Status) {
			t.Errorf("indicator %d: %v, want %s %+v %v %s", i, ind, w.Name, w.Ratio, w.Target.Value, w.Status)
		}
		if v, ok := w.Value(); ok && ind["value"] != float64(int(v*10+0.5))/10 || !ok && ind["value"] != nil {
			t.Errorf("indicator %d value %v, want %v", i, ind["value"], v)
		}
	}
	if ind := inds[0].(map[string]any); ind["name"] != "有财产可供执行案件法定期限内实际执结率" || ind["target"] != 90.0 {
		t.Errorf("the first indicator: %v", ind)
	}
	if ind := inds[3].(map[string]any); ind["value"] != 50.0 || ind["target"] != 80.0 || ind["status"] != "red" {
		t.Errorf("近三年执行案件整体执结率: %v", ind)
	}
	if o := out["oversight"].(map[string]any); o["dispositions"] != nil || o["clues"] != nil || o["complaints"] != 0.0 {
		t.Errorf("the bureau's oversight: %v", o)
	}
	if r, _ := out["trips"].(map[string]any)["on_time"].(map[string]any); r == nil || r["target"] != 100.0 || r["value"] != nil {
		t.Errorf("a rate with nothing to count: %v", out["trips"])
	}

	// A court below, over a quarter.
	status, out = e.call("GET", fmt.Sprintf("/api/v1/overview?court=鲁0102&period=%d-Q1", year), bureau, "")
	if status != 200 || out["court"].(map[string]any)["code"] != "鲁0102" || out["period"] != fmt.Sprintf("%d-Q1", year) {
		t.Fatalf("the bureau on 鲁0102: %d %v", status, out)
	}
	for _, c := range []struct {
		user, path string
		status     int
	}{
		{"ov.off", "/api/v1/overview", 403}, {"ov.cc", "/api/v1/overview", 403}, {"ov.bur02", "/api/v1/overview?court=鲁01", 403},
		{"ov.bureau", "/api/v1/overview?year=26", 422}, {"ov.bureau", "/api/v1/overview?court=鲁9", 404},
	} {
		if status, out := e.call("GET", c.path, e.token(c.user), ""); status != c.status {
			t.Errorf("%s %s: %d %v", c.user, c.path, status, out)
		}
	}
}

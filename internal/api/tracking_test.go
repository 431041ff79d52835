package api_test

import (
	"context"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The candidates and trackings through the API: the seed's labels and
// since-dates for the bureau; refused for the command centre and the
// case's officer.
func TestTrackingAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	testdb.AddUser(t, e.app.DB, "tk.bureau", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, e.app.DB, "tk.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, e.app.DB, "tk.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	body := `{"cases": [{"case_no": "（2026）鲁0102执9号", "filed_on": "2026-01-05", "officer": "tk.off", "department": "执行一庭",
		"social_impact": true, "public_opinion": true}]}`
	if status, out := e.call("POST", "/api/v1/cases", e.token("tk.bureau"), body); status != 200 {
		t.Fatalf("posting the case: %d %v", status, out)
	}
	if _, err := e.app.DB.RefreshCandidates(ctx, domain.SystemViewer("t"), "鲁0102"); err != nil {
		t.Fatal(err)
	}
	today := e.app.DB.Today().String()
	status, out := e.call("GET", "/api/v1/tracking/candidates?court=鲁0102", e.token("tk.bureau"), "")
	items, _ := out["items"].([]any)
	if status != 200 || len(items) != 1 {
		t.Fatalf("candidates: %d %v", status, out)
	}
	it := items[0].(map[string]any)
	rs, _ := it["reasons"].([]any)
	if it["case_no"] != "（2026）鲁0102执9号" || len(rs) != 2 || rs[0] != "有较大社会影响" || rs[1] != "可能引发重大舆情" || it["state"] != "candidate" {
		t.Fatalf("the candidate: %v", it)
	}
	if d := it["details"].([]any)[0].(map[string]any); d["since"] != today {
		t.Fatalf("since: %v, want %s", d, today)
	}
	status, out = e.call("GET", "/api/v1/tracking?court=鲁0102", e.token("tk.bureau"), "")
	if items, _ := out["items"].([]any); status != 200 || len(items) != 1 || items[0].(map[string]any)["state_label"] != "待评估" {
		t.Fatalf("trackings: %d %v", status, out)
	}
	for _, u := range []string{"tk.cc", "tk.off"} {
		for _, p := range []string{"/api/v1/tracking/candidates", "/api/v1/tracking"} {
			if status, _ := e.call("GET", p, e.token(u), ""); status != 403 {
				t.Errorf("%s %s: %d", u, p, status)
			}
		}
	}
}

package api_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestCaseActions posts cases with their enforcement acts (issue 15): a
// posted list replaces the case's acts, the same list again changes
// nothing, a case without the key keeps them, and a bad act rejects its
// case alone.
func TestCaseActions(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "lx.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	cc := e.token("lx.cc")
	const body = `{"cases": [
	  {"case_no": "（2026）鲁0102执1号", "filed_on": "2026-01-05", "amount": "100000",
	   "actions": [{"kind": "查封", "on": "2026-01-10", "amount": "300000", "note": "房产一套"},
	               {"kind": "funds_in", "on": "2026-02-01", "amount": 5000.5}]},
	  {"case_no": "（2026）鲁0102执2号", "filed_on": "2026-01-05", "actions": [{"kind": "喝茶", "on": "2026-01-10"}]},
	  {"case_no": "（2026）鲁0102执3号", "filed_on": "2026-01-05", "actions": [{"kind": "冻结", "on": "2025-12-10"}]}
	]}`
	status, out := e.call("POST", "/api/v1/cases", cc, body)
	if status != 200 || out["added"] != 1.0 || out["rejected"] != 2.0 {
		t.Fatalf("post: %d %v", status, out)
	}
	var why []string
	for _, x := range out["errors"].([]any) {
		m := x.(map[string]any)
		if m["field"] != "actions" {
			t.Errorf("error %v is not about the actions", m)
		}
		why = append(why, m["message"].(string))
	}
	if j := strings.Join(why, "|"); !strings.Contains(j, "喝茶") || !strings.Contains(j, "早于立案日期") {
		t.Errorf("errors: %s", j)
	}
	path := "/api/v1/cases/" + url.PathEscape("（2026）鲁0102执1号")
	actions := func() []any {
		t.Helper()
		_, one := e.call("GET", path, cc, "")
		list, _ := one["actions"].([]any)
		return list
	}
	got := actions()
	if len(got) != 2 {
		t.Fatalf("actions: %v", got)
	}
	first, second := got[0].(map[string]any), got[1].(map[string]any)
	if first["kind"] != "seal" || first["amount"] != "300000.00" || first["note"] != "房产一套" || second["kind"] != "funds_in" || second["amount"] != "5000.50" {
		t.Fatalf("actions: %v", got)
	}
	// The same post again: nothing changes.
	if _, out := e.call("POST", "/api/v1/cases", cc, body); out["unchanged"] != 1.0 || out["updated"] != 0.0 {
		t.Fatalf("again: %v", out)
	}
	// The case without "actions" keeps them; with a new list, the list replaces.
	if _, out := e.call("POST", "/api/v1/cases", cc, `{"cases": [{"case_no": "（2026）鲁0102执1号", "filed_on": "2026-01-05", "amount": "100000"}]}`); out["unchanged"] != 1.0 {
		t.Fatalf("without actions: %v", out)
	}
	if len(actions()) != 2 {
		t.Fatal("a case posted without actions lost them")
	}
	_, out = e.call("POST", "/api/v1/cases", cc, `{"cases": [{"case_no": "（2026）鲁0102执1号", "filed_on": "2026-01-05", "amount": "100000",
		"actions": [{"kind": "案款发放", "on": "2026-02-10", "amount": "5000.50"}]}]}`)
	if out["updated"] != 1.0 {
		t.Fatalf("a new list: %v", out)
	}
	if got := actions(); len(got) != 1 || got[0].(map[string]any)["kind"] != "funds_out" {
		t.Fatalf("after replacing: %v", got)
	}
}

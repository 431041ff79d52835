package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Issue 14: complaints are posted and listed by the API with the pages'
// permissions, and what concerns the token's user is neither listed nor
// counted.
func TestComplaintsAPI(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	testdb.AddUser(t, db, "ap.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "ap.off", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleBureau)
	testdb.AddUser(t, db, "ap.named", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "ap.bureau", "鲁01", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "ap.plain", "鲁0102", "执行一庭", domain.RoleOfficer)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执8号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: "测试ap.off", Department: "执行一庭"}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	cc := e.token("ap.cc")
	if status, body := e.call("POST", "/api/v1/complaints", cc, `{"kind": "petition", "channel": "来访", "received_on": "2026-01-10", "content": "拖延执行", "cases": ["（2026）鲁0102执8号"]}`); status != http.StatusUnprocessableEntity ||
		body["fields"] == nil {
		t.Fatalf("a petition without its level: %d %v", status, body)
	}
	status, body := e.call("POST", "/api/v1/complaints", cc, `{"kind": "petition", "channel": "来访", "received_on": "2026-01-10", "content": "拖延执行",
		"cases": ["(2026)鲁0102执8号"], "staff": ["ap.named"], "level": "province", "repeat": 1, "person_phone": "13700000000", "categories": ["C1"]}`)
	if status != http.StatusCreated || body["id"] == nil {
		t.Fatalf("posting: %d %v", status, body)
	}
	if status, _ := e.call("POST", "/api/v1/complaints", e.token("ap.plain"), `{}`); status != http.StatusForbidden {
		t.Errorf("an officer posts: %d", status)
	}
	for user, want := range map[string]float64{"ap.bureau": 1, "ap.cc": 1, "ap.off": 0, "ap.named": 0} {
		status, body := e.call("GET", "/api/v1/complaints", e.token(user), "")
		if status != 200 || body["total"] != want {
			t.Errorf("%s lists: %d %v, want %v", user, status, body["total"], want)
		}
		if want == 1 {
			c := body["complaints"].([]any)[0].(map[string]any)
			if c["strong"] != true || c["phone_masked"] != "137****0000" || c["content"] != "拖延执行" {
				t.Errorf("%s reads %v", user, c)
			}
		}
	}
	if status, _ := e.call("GET", "/api/v1/complaints", e.token("ap.plain"), ""); status != http.StatusForbidden {
		t.Errorf("an officer lists: %d", status)
	}
}

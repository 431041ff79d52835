package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

type env struct {
	t   *testing.T
	app *app.App
	srv *httptest.Server
}

func newEnv(t *testing.T) *env {
	a, err := app.Open(context.Background(), app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Web.Handler())
	t.Cleanup(srv.Close)
	return &env{t, a, srv}
}

func (e *env) token(username string) string {
	e.t.Helper()
	var tok string
	err := e.app.DB.Update(context.Background(), domain.SystemViewer("t"), func(tx *store.Tx) error {
		var err error
		tok, err = tx.CreateAPIToken(context.Background(), username, "test", 0)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) call(method, path, token, body string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		e.t.Fatalf("%s %s: not JSON: %s", method, path, b)
	}
	return res.StatusCode, out
}

const batch = `{"cases": [
  {"case_no": "(2024)鲁0102执1号", "filed_on": "2024-03-01", "officer": "测试officer", "department": "执行一庭", "amount": "12345.67", "has_property": true,
   "parties": [{"role": "applicant", "name": "张三", "phone": "+86 138-1234-5678"}, {"role": "respondent", "name": "某公司", "org": true}],
   "nodes": [{"kind": "执行通知", "on": "2024-03-20"}]},
  {"case_no": "（2024）鲁0102执恢２号", "filed_on": "2024-03-02", "amount": 800, "petition": true, "supervised_by": "济南市中级人民法院"},
  {"case_no": "（2024）鲁0202执3号", "filed_on": "2024-03-03"},
  {"case_no": "鲁0102执4号", "filed_on": "2024-03-04"},
  {"case_no": "（2024）鲁0102执5号", "filed_on": "2024-03-05", "parties": [{"role": "applicant", "name": "李四", "phone": "12345"}]}
]}`

func TestCasesAPI(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "lx.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	officer := testdb.AddUser(t, e.app.DB, "officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, e.app.DB, "qd.bureau", "鲁02", "执行局", domain.RoleBureau)
	cc := e.token("lx.cc")

	status, out := e.call("POST", "/api/v1/cases", cc, batch)
	if status != 200 || out["added"] != 2.0 || out["rejected"] != 3.0 {
		t.Fatalf("post: %d %v", status, out)
	}
	errs := out["errors"].([]any)
	var why []string
	for _, x := range errs {
		m := x.(map[string]any)
		why = append(why, m["message"].(string))
	}
	joined := strings.Join(why, " | ")
	for _, want := range []string{"无权导入鲁0202", "年份", "手机号码无效"} {
		if !strings.Contains(joined, want) {
			t.Errorf("errors %q lack %q", joined, want)
		}
	}
	// Idempotent.
	if _, out := e.call("POST", "/api/v1/cases", cc, batch); out["unchanged"] != 2.0 || out["added"] != 0.0 {
		t.Fatalf("second post: %v", out)
	}

	// The command centre sees both; the officer only its own; Qingdao none.
	if _, out := e.call("GET", "/api/v1/cases?sort=number", cc, ""); out["total"] != 2.0 {
		t.Fatalf("command centre list: %v", out)
	}
	_, out = e.call("GET", "/api/v1/cases", e.token("officer"), "")
	cases := out["cases"].([]any)
	if len(cases) != 1 || cases[0].(map[string]any)["officer"] != officer.Name {
		t.Fatalf("officer list: %v", out)
	}
	if _, out := e.call("GET", "/api/v1/cases", e.token("qd.bureau"), ""); out["total"] != 0.0 {
		t.Fatalf("Qingdao list: %v", out)
	}

	// One case, asked for in another spelling; the phone only masked.
	status, one := e.call("GET", "/api/v1/cases/"+url.PathEscape("(2024)鲁0102执1号"), cc, "")
	if status != 200 || one["case_no"] != "（2024）鲁0102执1号" || one["amount"] != "12345.67" || one["due_on"] != "2024-09-02" {
		t.Fatalf("get: %d %v", status, one)
	}
	raw, _ := json.Marshal(one)
	if strings.Contains(string(raw), "13812345678") || !strings.Contains(string(raw), "138****5678") {
		t.Fatalf("phone in API output: %s", raw)
	}
	if status, _ := e.call("GET", "/api/v1/cases/"+url.PathEscape("（2024）鲁0102执1号"), e.token("qd.bureau"), ""); status != 404 {
		t.Fatalf("out-of-scope case: %d", status)
	}
	if status, _ := e.call("GET", "/api/v1/cases?after=bogus", cc, ""); status != 422 {
		t.Fatalf("bad cursor: %d", status)
	}
	if status, out := e.call("POST", "/api/v1/cases", cc, `{"cases": []}`); status != 422 || out["error"] != "invalid" {
		t.Fatalf("empty batch: %d %v", status, out)
	}
	if status, _ := e.call("POST", "/api/v1/cases", cc, `not json`); status != 422 {
		t.Fatalf("bad body: %d", status)
	}
}

func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t)
	res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/v1/cases", "/api/v1/cases/{caseNo}", "/api/v1/me"} {
		if doc.Paths[p] == nil {
			t.Errorf("openapi lacks %s", p)
		}
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
}

package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

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
	for _, p := range []string{"/api/v1/cases", "/api/v1/cases/{caseNo}", "/api/v1/me", "/api/v1/complaints"} {
		if doc.Paths[p] == nil {
			t.Errorf("openapi lacks %s", p)
		}
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
}

// A partial post changes only the fields it carries; over-long fields are
// refused (issue 10: a 1 MB party name was accepted, and a post with only
// the closing date deleted the parties and zeroed the amount).
func TestPartialPostAndLimits(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "lx.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	cc := e.token("lx.cc")
	if status, out := e.call("POST", "/api/v1/cases", cc, batch); status != 200 || out["added"] != 2.0 {
		t.Fatalf("post: %d %v", status, out)
	}
	partial := `{"cases": [{"case_no": "（2024）鲁0102执1号", "closed_on": "2024-10-08", "closing_mode": "执行完毕"}]}`
	if status, out := e.call("POST", "/api/v1/cases", cc, partial); status != 200 || out["updated"] != 1.0 {
		t.Fatalf("partial post: %d %v", status, out)
	}
	_, one := e.call("GET", "/api/v1/cases/"+url.PathEscape("（2024）鲁0102执1号"), cc, "")
	parties, _ := one["parties"].([]any)
	nodes, _ := one["nodes"].([]any)
	if one["closed_on"] != "2024-10-08" || one["amount"] != "12345.67" || len(parties) != 2 || len(nodes) != 1 || one["officer"] != "测试officer" {
		t.Fatalf("after a partial post: %v", one)
	}
	// Keys match without regard to case, as encoding/json reads them.
	if status, _ := e.call("POST", "/api/v1/cases", cc, `{"cases": [{"case_no": "（2024）鲁0102执1号", "Amount": "500"}]}`); status != 200 {
		t.Fatalf("capitalised key: %d", status)
	}
	if _, one := e.call("GET", "/api/v1/cases/"+url.PathEscape("（2024）鲁0102执1号"), cc, ""); one["amount"] != "500.00" && one["amount"] != "500" {
		t.Fatalf("a capitalised amount was dropped: %v", one["amount"])
	}
	// A field sent empty is a change, not an absence.
	if status, _ := e.call("POST", "/api/v1/cases", cc, `{"cases": [{"case_no": "（2024）鲁0102执1号", "parties": []}]}`); status != 200 {
		t.Fatalf("clearing parties: %d", status)
	}
	if _, one := e.call("GET", "/api/v1/cases/"+url.PathEscape("（2024）鲁0102执1号"), cc, ""); one["parties"] != nil {
		t.Fatalf("parties sent empty were kept: %v", one["parties"])
	}
	long := strings.Repeat("名", 101)
	for field, body := range map[string]string{
		"party":   `{"cases": [{"case_no": "（2024）鲁0102执6号", "filed_on": "2024-03-06", "parties": [{"role": "applicant", "name": "` + long + `"}]}]}`,
		"officer": `{"cases": [{"case_no": "（2024）鲁0102执6号", "filed_on": "2024-03-06", "officer": "` + long + `"}]}`,
	} {
		status, out := e.call("POST", "/api/v1/cases", cc, body)
		if status != 422 || !strings.Contains(fmt.Sprint(out["errors"]), "不超过100字") {
			t.Errorf("over-long %s: %d %v", field, status, out)
		}
	}
	if status, out := e.call("POST", "/api/v1/cases", cc, `{"cases": [{"case_no": "（2024）鲁0102执6号", "filed_on": "2024-03-06", "parties": [{"role": "applicant", "name": "`+strings.Repeat("x", 1<<20)+`"}]}]}`); status != 422 {
		t.Errorf("a 1 MB party name: %d %v", status, out["rejected"])
	}
}

// Tokens expire, end with a password change or a disabled account, and
// are revoked one by one.
func TestTokenLifetime(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := testdb.AddUser(t, e.app.DB, "lx.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	tok := e.token("lx.cc")
	if status, _ := e.call("GET", "/api/v1/me", tok, ""); status != 200 {
		t.Fatalf("fresh token: %d", status)
	}
	real := e.app.DB.Now
	e.app.DB.Now = func() time.Time { return real().Add(store.DefaultTokenTTL + time.Minute) }
	if status, _ := e.call("GET", "/api/v1/me", tok, ""); status != 401 {
		t.Fatalf("a token past 90 days: %d", status)
	}
	e.app.DB.Now = real
	ts, err := e.app.DB.APITokens(ctx, domain.SystemViewer("t"), "lx.cc")
	if err != nil || len(ts) != 1 || ts[0].LastUsedAt.IsZero() {
		t.Fatalf("token list: %+v %v", ts, err)
	}
	// One token revoked, the other untouched.
	tok2 := e.token("lx.cc")
	if err := e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { return tx.RevokeAPIToken(ctx, ts[0].ID) }); err != nil {
		t.Fatal(err)
	}
	if status, _ := e.call("GET", "/api/v1/me", tok2, ""); status != 200 {
		t.Fatalf("the other token after a revocation: %d", status)
	}
	// A password change ends every token of the user.
	v := domain.ViewerFor(u, "")
	if err := e.app.Auth.ChangePassword(ctx, v, nil, testdb.Password, "Changed#2026xy"); err != nil {
		t.Fatal(err)
	}
	if status, _ := e.call("GET", "/api/v1/me", tok2, ""); status != 401 {
		t.Fatalf("a token after the password change: %d", status)
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func TestLoginPageAndHome(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "lixia.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	b := e.browser()

	r := b.get("/")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Fatalf("home without login: %d %s", r.status, r.header.Get("Location"))
	}
	r = b.get("/login")
	for _, want := range []string{"执廉", `name="username"`, `name="password"`, "登录"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	b.loggedIn("lixia.officer")
	r = b.get("/")
	for _, want := range []string{"测试lixia.officer", "济南市历下区人民法院", "执行干警", "待办事项", "暂无待办事项", "当事人回访", "外出执行情况报告"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	// Mechanisms without pages are not links.
	if strings.Contains(r.body, `href="/visits`) || strings.Contains(r.body, "/admin/users") || strings.Contains(r.body, `href="/audit"`) {
		t.Error("officer's navigation links to pages it cannot use")
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	r := e.browser().get("/login")
	h := r.header
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", h)
	}
	if strings.Contains(r.body, "<script>") || strings.Contains(r.body, "style=") || strings.Contains(r.body, "onclick") {
		t.Error("login page has inline script or style, which the CSP blocks")
	}
	// Assets are embedded and served under hashed names.
	i := strings.Index(r.body, "/static/app.")
	if i < 0 {
		t.Fatal("no hashed stylesheet link")
	}
	path := r.body[i : i+strings.IndexByte(r.body[i:], '"')]
	if a := e.browser().get(path); a.status != 200 || !strings.Contains(a.header.Get("Cache-Control"), "immutable") {
		t.Fatalf("asset %s: %d %v", path, a.status, a.header)
	}
}

func TestSessionCookie(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "cookie.user", "鲁0102", "执行一庭", domain.RoleOfficer)
	r := e.browser().login("cookie.user", testdb.Password)
	c := r.header.Get("Set-Cookie")
	if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") || strings.Contains(c, "Secure") {
		t.Fatalf("cookie over plain HTTP: %s", c)
	}
	// A new session id at every login.
	r2 := e.browser().login("cookie.user", testdb.Password)
	if strings.Split(c, ";")[0] == strings.Split(r2.header.Get("Set-Cookie"), ";")[0] {
		t.Fatal("two logins got the same session id")
	}
}

func TestWrongPasswordStormLocks(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "victim", "鲁0102", "执行一庭", domain.RoleOfficer)
	for _, name := range []string{"victim", "nobody-here"} {
		b := e.browser()
		for i := 1; i <= 5; i++ {
			r := b.login(name, "Wrong-pass1")
			want := "用户名或密码错误"
			if i == 5 {
				want = "锁定15分钟"
			}
			if !strings.Contains(r.body, want) {
				t.Fatalf("%s attempt %d: %d, want %q in the page", name, i, r.status, want)
			}
		}
		// Locked: the right password does not help, and the answer is the
		// same whether or not the user exists.
		r := b.login(name, testdb.Password)
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "锁定") {
			t.Fatalf("%s after lock: %d", name, r.status)
		}
	}
	// The lock ends after 15 minutes.
	real := e.app.DB.Now
	e.app.DB.Now = func() time.Time { return real().Add(16 * time.Minute) }
	e.browser().loggedIn("victim")
	e.app.DB.Now = real

	// Every attempt is in the audit trail, failures included.
	recs, err := e.app.DB.ListAudit(context.Background(), domain.SystemViewer("t"), store.AuditFilter{Action: "login", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	fails := 0
	for _, r := range recs {
		if !r.Success {
			fails++
		}
	}
	if fails != 12 {
		t.Fatalf("%d failed logins audited, want 12", fails)
	}
}

func TestLogoutAndDisableEndSessions(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "root.admin", "鲁", "信息技术处", domain.RoleAdmin)
	officer := testdb.AddUser(t, e.app.DB, "leaving", "鲁0102", "执行一庭", domain.RoleOfficer)

	b := e.browser().loggedIn("leaving")
	if r := b.post("/logout", nil); r.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.status)
	}
	if r := b.get("/"); r.status != http.StatusSeeOther {
		t.Fatalf("after logout: %d", r.status)
	}

	b = e.browser().loggedIn("leaving")
	admin := e.browser().loggedIn("root.admin")
	if r := admin.post(fmt.Sprintf("/admin/users/%d/disable", officer.ID), nil); r.status != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", r.status, r.body)
	}
	if r := b.get("/"); r.status != http.StatusSeeOther {
		t.Fatalf("disabled user still served: %d", r.status)
	}
	if r := e.browser().login("leaving", testdb.Password); r.status != http.StatusUnauthorized {
		t.Fatalf("disabled user logged in: %d", r.status)
	}
}

func TestCrossSitePostRefused(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "root.admin", "鲁", "信息技术处", domain.RoleAdmin)
	victim := testdb.AddUser(t, e.app.DB, "target", "鲁0102", "执行一庭", domain.RoleOfficer)
	b := e.browser().loggedIn("root.admin")
	req, _ := http.NewRequest("POST", e.srv.URL+fmt.Sprintf("/admin/users/%d/disable", victim.ID), nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := b.do(req); r.status != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", r.status)
	}
	u, err := e.app.DB.UserByID(context.Background(), domain.SystemViewer("t"), victim.ID)
	if err != nil || u.Disabled {
		t.Fatalf("cross-site post changed the user: %v %v", u, err)
	}
}

func TestRolePages(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "root.admin", "鲁", "信息技术处", domain.RoleAdmin)
	testdb.AddUser(t, e.app.DB, "jn.watch", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, e.app.DB, "lixia.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	tests := []struct {
		user, path string
		status     int
	}{
		{"root.admin", "/admin/users", 200},
		{"root.admin", "/admin/courts", 200},
		{"root.admin", "/admin/courts/鲁72", 200},
		{"root.admin", "/audit", 403}, // separation of duties
		{"jn.watch", "/audit", 200},
		{"jn.watch", "/admin/users", 403},
		{"lixia.officer", "/admin/users", 403},
		{"lixia.officer", "/audit", 403},
		{"lixia.officer", "/account/password", 200},
		{"lixia.officer", "/no/such/page", 404},
	}
	browsers := map[string]*browser{}
	for _, tt := range tests {
		b := browsers[tt.user]
		if b == nil {
			b = e.browser().loggedIn(tt.user)
			browsers[tt.user] = b
		}
		r := b.get(tt.path)
		if r.status != tt.status {
			t.Errorf("%s GET %s = %d, want %d", tt.user, tt.path, r.status, tt.status)
		}
		if r.status >= 400 && !strings.Contains(r.body, "返回首页") {
			t.Errorf("%s GET %s: error page not rendered", tt.user, tt.path)
		}
	}
	r := browsers["jn.watch"].get("/audit")
	if !strings.Contains(r.body, "审计链完整") || !strings.Contains(r.body, "登录") {
		t.Errorf("audit page: %s", r.body)
	}
}

func TestAdminCreatesUser(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "jn.admin", "鲁01", "信息技术处", domain.RoleAdmin)
	b := e.browser().loggedIn("jn.admin")
	form := url.Values{"username": {"new.officer"}, "name": {"王强"}, "court": {"鲁0102"}, "department": {"执行一庭"}, "password": {"weak"}}
	r := b.post("/admin/users", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "密码至少12位") || !strings.Contains(r.body, "王强") {
		t.Fatalf("weak password: %d", r.status)
	}
	for pw, want := range map[string]string{"x.New.officer.1": "不得包含用户名", "Abc王强12345678": "不得包含姓名", "Password2026!": "过于常见"} {
		form.Set("password", pw)
		if r := b.post("/admin/users", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, want) {
			t.Fatalf("password %q accepted, or not with %q: %d", pw, want, r.status)
		}
	}
	// The system administrator gives no roles: a role in the form is
	// refused, not quietly granted.
	form.Set("password", "Strong#2026ab")
	form.Set("role", "officer")
	if r := b.post("/admin/users", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "角色由安全管理员授予") {
		t.Fatalf("admin's role grant: %d", r.status)
	}
	form.Del("role")
	form.Set("court", "鲁0202") // Qingdao: sideways for a Jinan administrator
	if r := b.post("/admin/users", form); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("sideways court: %d", r.status)
	}
	form.Set("court", "鲁0102")
	form.Set("mobile", "1370000")
	if r := b.post("/admin/users", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "手机号码应为11位") {
		t.Fatalf("bad mobile: %d", r.status)
	}
	form.Set("mobile", "137 0000 0007")
	r = b.post("/admin/users", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	r = b.get(r.header.Get("Location"))
	if !strings.Contains(r.body, "已新建用户") || !strings.Contains(r.body, "王强") || !strings.Contains(r.body, "已登记 137****0007") || strings.Contains(r.body, "13700000007") {
		t.Fatalf("user page after create: %s", r.body)
	}
	nb := e.browser()
	if r := nb.login("new.officer", "Strong#2026ab"); r.status != http.StatusSeeOther {
		t.Fatalf("new user cannot log in: %d", r.status)
	}
	// The administrator chose the first password: the user replaces it
	// before anything else.
	if r := nb.get("/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/password" {
		t.Fatalf("a new account's first page: %d %s", r.status, r.header.Get("Location"))
	}
	if r := nb.post("/account/password", url.Values{"current": {"Strong#2026ab"}, "password": {"Own#choice2026"}, "confirm": {"Own#choice2026"}}); r.status != http.StatusSeeOther {
		t.Fatalf("first change: %d %s", r.status, r.body)
	}
	if r := nb.get("/"); !strings.Contains(r.body, "尚未授予角色") || strings.Contains(r.body, `href="/cases"`) {
		t.Fatal("a new user without roles is not told so, or reaches cases")
	}
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "changer", "鲁0102", "执行一庭", domain.RoleOfficer)
	other := e.browser().loggedIn("changer")
	b := e.browser().loggedIn("changer")
	if r := b.post("/account/password", url.Values{"current": {"bad"}, "password": {"Newpass#2026x"}, "confirm": {"Newpass#2026x"}}); !strings.Contains(r.body, "当前密码不正确") {
		t.Fatalf("wrong current password: %d", r.status)
	}
	// The wrong current password was counted and audited.
	if a, err := e.app.DB.BeginAttempt(context.Background(), "changer", 100, time.Minute); err != nil || a.N != 2 {
		t.Fatalf("wrong current password not counted: %+v %v", a, err)
	}
	if recs, _ := e.app.DB.ListAudit(context.Background(), domain.SystemViewer("t"), store.AuditFilter{Action: "login", Limit: 10}); len(recs) == 0 || recs[0].Success || !strings.Contains(recs[0].Detail, "修改密码时当前密码错误") {
		t.Fatalf("wrong current password not audited: %+v", recs)
	}
	if r := b.post("/account/password", url.Values{"current": {testdb.Password}, "password": {"Newpass#2026x"}, "confirm": {"Newpass#2026x"}}); r.status != http.StatusSeeOther {
		t.Fatalf("change: %d %s", r.status, r.body)
	}
	if r := b.get("/"); r.status != 200 {
		t.Fatal("this session should survive its own password change")
	}
	if r := other.get("/"); r.status != http.StatusSeeOther {
		t.Fatal("other sessions should end at a password change")
	}
	if r := e.browser().login("changer", "Newpass#2026x"); r.status != http.StatusSeeOther {
		t.Fatal("new password does not work")
	}
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	if r := b.get("/healthz"); r.status != 200 || r.body != "ok\n" {
		t.Fatalf("healthz: %d %q", r.status, r.body)
	}
	b.login("x", "y")
	// Without a token configured /metrics is not on the main address; with
	// one it answers only to its bearer.
	if r := b.get("/metrics"); r.status != http.StatusNotFound {
		t.Fatalf("metrics without a token configured: %d", r.status)
	}
	e.app.Web.MetricsToken = "scrape-secret"
	if r := b.get("/metrics"); r.status != http.StatusUnauthorized {
		t.Fatalf("metrics without the bearer token: %d", r.status)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer scrape-secret")
	r := b.do(req)
	if r.status != 200 || !strings.Contains(r.body, `zhilian_http_requests_total{method="GET",route="GET /healthz",code="2xx"} 1`) ||
		!strings.Contains(r.body, `zhilian_logins_total{result="bad"} 1`) || !strings.Contains(r.header.Get("Content-Type"), "version=0.0.4") {
		t.Fatalf("metrics:\n%s", r.body)
	}
	e.app.DB.Close()
	if r := b.get("/healthz"); r.status != http.StatusServiceUnavailable {
		t.Fatalf("healthz with the database closed: %d", r.status)
	}
}

func TestTLSCookiesAndHSTS(t *testing.T) {
	a, err := app.Open(context.Background(), app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.Web.TLS = true
	srv := httptest.NewTLSServer(a.Web.Handler())
	defer srv.Close()
	testdb.AddUser(t, a.DB, "tls.user", "鲁0102", "执行一庭", domain.RoleOfficer)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(url.Values{"username": {"tls.user"}, "password": {testdb.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	c := res.Header.Get("Set-Cookie")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") {
		t.Fatalf("login over TLS: %d, cookie %q", res.StatusCode, c)
	}
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatal("no HSTS over TLS")
	}
}

// TestCookiesBehindTLSProxy: a proxy that terminates TLS says so in
// X-Forwarded-Proto, and the cookies are Secure then; the same header from
// a peer that is not a trusted proxy changes nothing.
func TestCookiesBehindTLSProxy(t *testing.T) {
	a, err := app.Open(context.Background(), app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.Web.TrustProxy = true
	a.Web.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	srv := httptest.NewServer(a.Web.Handler())
	defer srv.Close()
	testdb.AddUser(t, a.DB, "proxy.user", "鲁0102", "执行一庭", domain.RoleOfficer)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	login := func() *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(url.Values{"username": {"proxy.user"}, "password": {testdb.Password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https, http") // the user's hop first
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	res := login()
	if c := res.Header.Get("Set-Cookie"); res.StatusCode != http.StatusSeeOther || !strings.Contains(c, "Secure") || res.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("behind a TLS proxy: %d, cookie %q, HSTS %q", res.StatusCode, c, res.Header.Get("Strict-Transport-Security"))
	}
	a.Web.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.9.9.0/24")}
	res = login()
	if c := res.Header.Get("Set-Cookie"); res.StatusCode != http.StatusSeeOther || strings.Contains(c, "Secure") || res.Header.Get("Strict-Transport-Security") != "" {
		t.Fatalf("X-Forwarded-Proto from an untrusted peer: %d, cookie %q", res.StatusCode, c)
	}
}

func TestCourtAdministration(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "jn.admin", "鲁01", "信息技术处", domain.RoleAdmin)
	b := e.browser().loggedIn("jn.admin")
	r := b.get("/admin/courts")
	if !strings.Contains(r.body, "济南市历下区人民法院") || strings.Contains(r.body, "青岛市市南区人民法院") || strings.Contains(r.body, `mono">鲁</td>`) {
		t.Fatal("court list not limited to the administrator's subtree")
	}
	if r := b.get("/admin/courts/鲁0202"); r.status != http.StatusNotFound {
		t.Fatalf("sideways court page: %d", r.status)
	}
	if r := b.post("/admin/courts/鲁0102", url.Values{"name": {""}, "divisions": {"3701"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "6位行政区划代码") {
		t.Fatalf("bad court edit: %d", r.status)
	}
	if r := b.post("/admin/courts/鲁0102", url.Values{"name": {"济南市历下区人民法院"}, "divisions": {"370102；370103"}}); r.status != http.StatusSeeOther {
		t.Fatalf("court edit: %d %s", r.status, r.body)
	}
	c, _ := e.app.DB.CourtByCode(context.Background(), "鲁0102")
	if strings.Join(c.Divisions, ";") != "370102;370103" {
		t.Fatalf("divisions %v", c.Divisions)
	}
	if r := b.post("/admin/courts/鲁0102/departments", url.Values{"name": {"执行三庭"}, "kind": {"enforcement"}}); r.status != http.StatusSeeOther {
		t.Fatalf("department add: %d", r.status)
	}
	if r := b.get("/admin/courts/鲁0102"); !strings.Contains(r.body, "执行三庭") || !strings.Contains(r.body, "已添加部门") {
		t.Fatal("department not shown after adding")
	}
	if r := b.post("/admin/courts/鲁0102/departments", url.Values{"name": {"执行四庭"}, "kind": {"bogus"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("department with bad kind: %d", r.status)
	}
	// Migrating again keeps the administrator's correction.
	if err := app.Migrate(context.Background(), e.app.DB, e.app.Log); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.app.DB.CourtByCode(context.Background(), "鲁0102"); len(c.Divisions) != 2 {
		t.Fatalf("migrate overwrote the correction: %v", c.Divisions)
	}
}

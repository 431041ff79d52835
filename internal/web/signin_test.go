// Signing in: the second factor, lock-out and throttles, resets and the
// password policy (issue 10).

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// An administrator's reset forces a change at the next login, is
// audited, and is texted to a user with a mobile; the temporary password
// opens nothing but the change-password page.
func TestPasswordResetForcesChange(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	testdb.AddUser(t, e.app.DB, "lx.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	o := testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	o.Mobile = "13700000009"
	if err := e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { return tx.UpdateUser(ctx, o) }); err != nil {
		t.Fatal(err)
	}
	a := e.browser().loggedIn("lx.admin")
	userPage := fmt.Sprintf("/admin/users/%d", o.ID)
	r := a.postFrom(userPage, userPage+"/password", url.Values{"_form": {"reset"}, "password": {"short"}})
	refilledForm(t, r, userPage, []string{`<p class="field-error" id="err-password">`}, []string{`aria-invalid="true" aria-describedby="err-password"`})
	if strings.Contains(r.body, `value="short"`) {
		t.Error("a password typed is shown again")
	}
	if r := a.post(fmt.Sprintf("/admin/users/%d/password", o.ID), url.Values{"password": {"Reset#pass2026"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	b := e.browser()
	if r := b.login("lx.officer", "Reset#pass2026"); r.status != http.StatusSeeOther {
		t.Fatalf("login with the reset password: %d", r.status)
	}
	if r := b.get("/cases"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/password" {
		t.Fatalf("before changing: %d %s", r.status, r.header.Get("Location"))
	}
	if r := b.post("/trips", url.Values{}); r.status != http.StatusForbidden {
		t.Fatalf("a form before changing: %d", r.status)
	}
	if r := b.get("/account/password"); !strings.Contains(r.body, "已由管理员重置") {
		t.Fatal("the change-password page does not say why")
	}
	if r := b.post("/account/password", url.Values{"current": {"Reset#pass2026"}, "password": {"Mine#pass2026x"}, "confirm": {"Mine#pass2026x"}}); r.status != http.StatusSeeOther {
		t.Fatalf("change: %d %s", r.status, r.body)
	}
	if r := b.get("/cases"); r.status != 200 {
		t.Fatalf("after changing: %d", r.status)
	}
	var n int
	e.app.DB.WriteDB().QueryRow("SELECT COUNT(*) FROM sms_outbox WHERE kind = 'notice' AND body LIKE '%由管理员重置%'").Scan(&n)
	if n != 1 {
		t.Fatalf("%d reset notices queued, want 1", n)
	}
	recs, _ := e.app.DB.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "user.password_reset", Limit: 5})
	if len(recs) != 1 || !strings.Contains(recs[0].Detail, "下次登录须修改密码") || !strings.Contains(recs[0].Detail, "已短信通知本人") {
		t.Fatalf("reset audit: %+v", recs)
	}
}

// The second factor: required for the watchdogs and the administrators,
// enrolled at first login, each code once, recovery codes once, wrong
// codes counted towards the lock-out, a lost factor reset by a security
// administrator; a pending session reaches nothing else.
func TestSecondFactor(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	w := testdb.AddUser(t, e.app.DB, "jn.watch", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, e.app.DB, "jn.sec", "鲁01", "信息技术处", domain.RoleSecurityAdmin)
	testdb.AddUser(t, e.app.DB, "jn.sec2", "鲁01", "信息技术处", domain.RoleSecurityAdmin)

	b := e.browser()
	if r := b.login("jn.watch", testdb.Password); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login/2fa" {
		t.Fatalf("password of a watchdog: %d %s", r.status, r.header.Get("Location"))
	}
	for _, p := range []string{"/", "/audit", "/visits", "/account/password"} {
		if r := b.get(p); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login/2fa" {
			t.Errorf("pending session GET %s: %d %s", p, r.status, r.header.Get("Location"))
		}
	}
	if r := b.post("/trips", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("pending session posts: %d", r.status)
	}
	page := b.get("/login/2fa")
	if !strings.Contains(page.body, "data:image/png;base64,") || !strings.Contains(page.body, "绑定动态口令") {
		t.Fatal("no enrolment with a QR code")
	}
	if r := b.post("/login/2fa", url.Values{"action": {"enrol"}, "code": {"000000"}}); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong enrolment code: %d", r.status)
	}
	m := secretRE.FindStringSubmatch(b.get("/login/2fa").body)
	if m == nil || !strings.Contains(page.body, m[1]) {
		t.Fatal("the enrolment page showed another secret when shown again")
	}
	e.secrets["jn.watch"] = m[1]
	r := b.post("/login/2fa", url.Values{"action": {"enrol"}, "code": {e.code("jn.watch")}})
	codes := recoveryRE.FindAllStringSubmatch(r.body, -1)
	if r.status != 200 || len(codes) != 10 {
		t.Fatalf("enrolment: %d, %d recovery codes", r.status, len(codes))
	}
	if r := b.get("/audit"); r.status != 200 {
		t.Fatalf("after enrolment: %d", r.status)
	}
	// The same code does not open a second session.
	used := e.code("jn.watch")
	b2 := e.browser()
	b2.login("jn.watch", testdb.Password)
	if r := b2.post("/login/2fa", url.Values{"code": {used}}); r.status != http.StatusSeeOther {
		t.Fatalf("fresh code: %d", r.status)
	}
	b3 := e.browser()
	b3.login("jn.watch", testdb.Password)
	if r := b3.post("/login/2fa", url.Values{"code": {used}}); r.status != http.StatusUnauthorized {
		t.Fatalf("replayed code: %d", r.status)
	}
	// A recovery code works once.
	if r := b3.post("/login/2fa", url.Values{"code": {strings.ToUpper(codes[0][1])}}); r.status != http.StatusSeeOther {
		t.Fatalf("recovery code: %d %s", r.status, r.body)
	}
	b4 := e.browser()
	b4.login("jn.watch", testdb.Password)
	if r := b4.post("/login/2fa", url.Values{"code": {codes[0][1]}}); r.status != http.StatusUnauthorized {
		t.Fatalf("recovery code twice: %d", r.status)
	}
	// Wrong codes lock the name like wrong passwords: the password and
	// the codes count together until the sign-in completes (b4 counted 2).
	var last resp
	for range 3 {
		last = b4.post("/login/2fa", url.Values{"code": {"123456"}})
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "锁定") || strings.Count(last.body, "</html>") != 1 {
		t.Fatalf("wrong codes: %d, %d pages in the answer", last.status, strings.Count(last.body, "</html>"))
	}
	if r := b4.get("/login/2fa"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Fatalf("the session outlived the lock: %d", r.status)
	}
	if r := e.browser().login("jn.watch", testdb.Password); r.status != http.StatusTooManyRequests {
		t.Fatalf("password during the lock: %d", r.status)
	}
	// The security administrator resets the lost factor; the user enrols
	// afresh.
	if err := e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { return tx.Unlock(ctx, w.ID) }); err != nil {
		t.Fatal(err)
	}
	// A watchdog's factor is reset by two security administrators: one
	// asks, another approves; neither alone.
	sec := e.browser().loggedIn("jn.sec")
	if r := sec.post(fmt.Sprintf("/admin/users/%d/2fa/reset", w.ID), nil); r.status != http.StatusForbidden {
		t.Fatalf("one security administrator resets a watchdog's factor: %d", r.status)
	}
	if r := sec.post(fmt.Sprintf("/admin/users/%d/requests", w.ID), url.Values{"kind": {"mfa"}, "reason": {"本人手机遗失，书面申请"}}); r.status != http.StatusSeeOther {
		t.Fatalf("request: %d %s", r.status, r.body)
	}
	reqs, _ := e.app.DB.AccountRequests(ctx, domain.SystemViewer("t"), true, w.ID)
	if len(reqs) != 1 {
		t.Fatalf("%d pending requests", len(reqs))
	}
	if r := sec.post(fmt.Sprintf("/admin/requests/%d/approve", reqs[0].ID), nil); r.status != http.StatusForbidden {
		t.Fatalf("the requester approves: %d", r.status)
	}
	sec2 := e.browser().loggedIn("jn.sec2")
	if r := sec2.post(fmt.Sprintf("/admin/requests/%d/approve", reqs[0].ID), nil); r.status != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	if r := b.get("/"); r.status != http.StatusSeeOther {
		t.Fatal("the user's session outlived the reset")
	}
	nb := e.browser()
	nb.login("jn.watch", testdb.Password)
	if r := nb.get("/login/2fa"); !strings.Contains(r.body, "绑定动态口令") {
		t.Fatal("after a reset the user does not enrol again")
	}
	recs, _ := e.app.DB.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "mfa.reset", Limit: 5})
	if len(recs) != 1 {
		t.Fatalf("reset audited %d times", len(recs))
	}
	// An officer needs none, but may opt in.
	testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	ob := e.browser().loggedIn("lx.officer")
	r = ob.get("/account/2fa")
	m = secretRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("an officer cannot opt in")
	}
	e.secrets["lx.officer"] = m[1]
	if r := ob.post("/account/2fa/enrol", url.Values{"code": {e.code("lx.officer")}}); len(recoveryRE.FindAllString(r.body, -1)) != 10 {
		t.Fatalf("opting in: %d", r.status)
	}
	if r := e.browser().login("lx.officer", testdb.Password); r.header.Get("Location") != "/login/2fa" {
		t.Fatal("an officer who opted in is not asked for a code")
	}
	if r := ob.post("/account/2fa/recovery", url.Values{"code": {e.code("lx.officer")}}); len(recoveryRE.FindAllString(r.body, -1)) != 10 {
		t.Fatalf("new recovery codes: %d", r.status)
	}
	if r := ob.post("/account/2fa/remove", url.Values{"code": {"000000"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("removal with a wrong code: %d", r.status)
	}
	if r := ob.post("/account/2fa/remove", url.Values{"code": {e.code("lx.officer")}}); r.status != http.StatusSeeOther {
		t.Fatalf("removal: %d %s", r.status, r.body)
	}
	if r := e.browser().login("lx.officer", testdb.Password); r.header.Get("Location") != "/" {
		t.Fatal("after removal the officer is still asked for a code")
	}
	// A watchdog cannot give it up.
	wb := e.browser().loggedIn("jn.watch")
	if r := wb.post("/account/2fa/remove", url.Values{"code": {e.code("jn.watch")}}); r.status != http.StatusForbidden {
		t.Fatalf("a watchdog removes the second factor: %d", r.status)
	}
}

// The demo turns the requirement off, and every page says so.
func TestDemoBannerWithoutSecondFactor(t *testing.T) {
	a, err := app.Open(context.Background(), app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams, Demo: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	e := newEnvFor(t, a)
	testdb.AddUser(t, a.DB, "jn.watch", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	b := e.browser()
	if r := b.get("/login"); !strings.Contains(r.body, "演示系统") {
		t.Fatal("no banner on the login page")
	}
	if r := b.login("jn.watch", testdb.Password); r.header.Get("Location") != "/" {
		t.Fatalf("demo watchdog: %s", r.header.Get("Location"))
	}
	if r := b.get("/audit"); !strings.Contains(r.body, "演示系统") {
		t.Fatal("no banner on the pages")
	}
}

// Finding 4: no redirect after login leaves the site.
func TestLoginRedirectStaysHome(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	for next, want := range map[string]string{
		"/\t/evil.example":     "/",
		"/\n/evil.example":     "/",
		"//evil.example":       "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"/%09/evil.example":    "/%09/evil.example", // a path of this site, as the browser keeps it
		"/cases?q=1":           "/cases?q=1",
		"/login?next=/":        "/",
	} {
		r := e.browser().post("/login", url.Values{"username": {"lx.officer"}, "password": {testdb.Password}, "next": {next}})
		if got := r.header.Get("Location"); got != want {
			t.Errorf("next=%q: Location %q, want %q", next, got, want)
		}
	}
}

// Finding 5: the lock lasts fifteen minutes from the fifth failure,
// attempts during it do not move it; a client address failing with many
// names is throttled; an expired lock does not block signing.
func TestLockOutFixedAndThrottle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := testdb.AddUser(t, e.app.DB, "victim", "鲁0102", "执行一庭", domain.RoleOfficer)
	start := time.Now()
	at := start
	e.app.DB.Now = func() time.Time { return at }
	for range 5 {
		e.browser().login("victim", "Wrong-pass2026")
	}
	u1, _ := e.app.DB.UserByID(ctx, domain.SystemViewer("t"), u.ID)
	want := start.Add(15 * time.Minute)
	if d := u1.LockedUntil.Sub(want); d < -time.Millisecond || d > time.Millisecond {
		t.Fatalf("locked until %v, want %v", u1.LockedUntil, want)
	}
	// One attempt every 14 minutes does not hold the lock.
	at = start.Add(14 * time.Minute)
	if r := e.browser().login("victim", "Wrong-pass2026"); r.status != http.StatusTooManyRequests {
		t.Fatalf("during the lock: %d", r.status)
	}
	if u2, _ := e.app.DB.UserByID(ctx, domain.SystemViewer("t"), u.ID); !u2.LockedUntil.Equal(u1.LockedUntil) {
		t.Fatalf("an attempt during the lock moved it to %v", u2.LockedUntil)
	}
	at = start.Add(15*time.Minute + time.Second)
	b := e.browser().loggedIn("victim")
	// Signing after an expired lock works.
	for range 5 {
		e.browser().login("victim", "Wrong-pass2026")
	}
	at = start.Add(31 * time.Minute)
	v := domain.ViewerFor(u, "127.0.0.1")
	if err := e.app.Auth.ConfirmPassword(ctx, v, testdb.Password); err != nil {
		t.Fatalf("signing after an expired lock: %v", err)
	}
	_ = b
}

// A client address failing with many names is throttled, whatever the
// names: twenty failures, then even a right password from there waits.
func TestSignInThrottlePerAddress(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "victim", "鲁0102", "执行一庭", domain.RoleOfficer)
	// Successes do not count: a court signs in from one address.
	for range 30 {
		e.browser().loggedIn("victim")
	}
	for i := range 20 {
		if r := e.browser().login(fmt.Sprintf("nobody%d", i), "Wrong-pass2026"); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, r.status)
		}
	}
	if r := e.browser().login("victim", testdb.Password); r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "过于频繁") {
		t.Fatalf("after twenty failures from one address: %d", r.status)
	}
}

// --password-max-age: a privileged account with an older password must
// change it first; an officer is not held to it.
func TestPasswordMaxAge(t *testing.T) {
	e := newEnv(t)
	e.app.Auth.Policy.PasswordMaxAge = 90 * 24 * time.Hour
	testdb.AddUser(t, e.app.DB, "jn.watch", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	if r := e.browser().loggedIn("jn.watch").get("/audit"); r.status != 200 {
		t.Fatalf("a fresh password: %d", r.status)
	}
	real := e.app.DB.Now
	e.app.DB.Now = func() time.Time { return real().Add(91 * 24 * time.Hour) }
	defer func() { e.app.DB.Now = real }()
	w := e.browser().loggedIn("jn.watch")
	if r := w.get("/audit"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/password" {
		t.Fatalf("an old password of a watchdog: %d %s", r.status, r.header.Get("Location"))
	}
	if r := w.get("/account/password"); !strings.Contains(r.body, "已使用超过90天") {
		t.Fatal("the change-password page does not say why")
	}
	if r := e.browser().loggedIn("lx.officer").get("/"); r.status != 200 {
		t.Fatalf("an officer's old password: %d", r.status)
	}
}

// Review findings: parallel failures cannot outrun the address throttle;
// a 16 KB name is refused without becoming a lock-out key.
func TestThrottleUnderParallelFailures(t *testing.T) {
	e := newEnv(t)
	statuses := parallel(60, func(i int) int { return e.browser().login(fmt.Sprintf("spray%d", i), "Wrong-pass2026").status })
	if statuses[http.StatusUnauthorized] > 20 || statuses[http.StatusTooManyRequests] < 40 {
		t.Fatalf("60 failures at once from one address: %v, want at most 20 checked", statuses)
	}
	e2 := newEnv(t)
	if r := e2.browser().login(strings.Repeat("x", 16<<10)[:16000], "Wrong-pass2026"); r.status != http.StatusUnauthorized {
		t.Fatalf("a 16 KB name: %d", r.status)
	}
	var n int
	e2.app.DB.WriteDB().QueryRow("SELECT COUNT(*) FROM login_failures").Scan(&n)
	if n != 0 {
		t.Fatalf("a 16 KB name made %d lock-out rows", n)
	}
}

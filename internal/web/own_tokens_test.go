package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

var ownTokenRE = regexp.MustCompile(`id="new-token">(zl_[A-Za-z0-9_-]+)<`)

// A watchdog reads the API with a token it issued itself under a fresh
// code of its authenticator: refused input is answered beside its field
// and spends nothing, a token lasts 8 hours at most, its user can revoke
// it, nobody else can, and an account without a second factor or an
// administrator gets none this way.
func TestOwnAPITokens(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	testdb.AddUser(t, db, "tk.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "tk.off", "鲁01", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "tk.adm", "鲁01", "信息中心", domain.RoleAdmin)
	api := func(token string) int {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/clues", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	tokens := func() int {
		var n int
		if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM api_tokens").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	grp := e.browser().loggedIn("tk.grp")
	if r := grp.get("/account/tokens"); r.status != 200 || !strings.Contains(r.body, "当前动态口令") {
		t.Fatalf("the page: %d", r.status)
	}
	if r := grp.post("/account/tokens", url.Values{"name": {"核查脚本"}, "hours": {"9"}, "code": {e.code("tk.grp")}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "自签令牌有效期为1至8小时") {
		t.Fatalf("9 hours: %d", r.status)
	}
	if r := grp.post("/account/tokens", url.Values{"name": {"核查脚本"}, "hours": {"8"}, "code": {"000000x"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "验证码不正确或已使用") {
		t.Fatalf("a wrong code: %d", r.status)
	}
	if n := tokens(); n != 0 {
		t.Fatalf("refused forms stored %d tokens", n)
	}
	r := grp.post("/account/tokens", url.Values{"name": {"核查脚本"}, "hours": {"8"}, "code": {e.code("tk.grp")}})
	m := ownTokenRE.FindStringSubmatch(r.body)
	if r.status != 200 || m == nil {
		t.Fatalf("issuing: %d %s", r.status, r.body)
	}
	token := m[1]
	if got := api(token); got != http.StatusOK {
		t.Fatalf("the watchdog's own token on /api/v1/clues: %d", got)
	}
	// Shown once: the list has the token's row, never the token.
	if r := grp.get("/account/tokens"); strings.Contains(r.body, token) || !strings.Contains(r.body, "核查脚本") {
		t.Errorf("the list shows the token again or misses its row")
	}

	// An unmarked token of the same account (as the operator's CLI would
	// have made before the role was granted) does not pass.
	if _, err := db.WriteDB().Exec(e.rebind("UPDATE api_tokens SET second_factor = ?"), false); err != nil {
		t.Fatal(err)
	}
	if got := api(token); got != http.StatusUnauthorized {
		t.Errorf("an unmarked watchdog token: %d, want 401", got)
	}
	if _, err := db.WriteDB().Exec(e.rebind("UPDATE api_tokens SET second_factor = ?"), true); err != nil {
		t.Fatal(err)
	}

	// Nobody else revokes it; its user does, and it stops at once.
	var id string
	if err := db.WriteDB().QueryRow("SELECT CAST(id AS TEXT) FROM api_tokens").Scan(&id); err != nil {
		t.Fatal(err)
	}
	off := e.browser().loggedIn("tk.off")
	if r := off.post("/account/tokens/"+id+"/revoke", nil); r.status != http.StatusNotFound {
		t.Errorf("another user revoking: %d, want 404", r.status)
	}
	if got := api(token); got != http.StatusOK {
		t.Fatalf("after another's refused revoke: %d", got)
	}

	// It expires after the hours asked for.
	clock := db.Now
	db.Now = func() time.Time { return clock().Add(8*time.Hour + time.Minute) }
	if got := api(token); got != http.StatusUnauthorized {
		t.Errorf("after 8 hours: %d, want 401", got)
	}
	db.Now = clock
	if r := grp.post("/account/tokens/"+id+"/revoke", nil); r.status != http.StatusSeeOther {
		t.Fatalf("revoking: %d", r.status)
	}
	if got := api(token); got != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d, want 401", got)
	}

	// An officer without an authenticator is told to bind one; an
	// administrator gets no business token.
	if r := off.get("/account/tokens"); !strings.Contains(r.body, "须先") {
		t.Errorf("the officer's page does not ask for an authenticator")
	}
	if r := off.post("/account/tokens", url.Values{"hours": {"8"}, "code": {"123456"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("an officer without an authenticator: %d", r.status)
	}
	adm := e.browser().loggedIn("tk.adm")
	if r := adm.post("/account/tokens", url.Values{"hours": {"8"}, "code": {e.code("tk.adm")}}); r.status != http.StatusForbidden {
		t.Errorf("an administrator: %d, want 403", r.status)
	}
	if n := tokens(); n != 1 {
		t.Errorf("%d tokens stored, want 1", n)
	}
}

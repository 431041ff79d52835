package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// postFrom posts form to path as a browser does from the page at from:
// with the Referer that Referrer-Policy same-origin lets through.
func (b *browser) postFrom(from, path string, form url.Values) resp {
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Referer", b.e.srv.URL+from)
	return b.do(req)
}

// refilledForm checks a failed post's answer: 422, the form's page (not
// the bare error page), the address set back to from, each wanted
// message, and each kept value.
func refilledForm(t *testing.T, r resp, from string, msgs, kept []string) {
	t.Helper()
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422:\n%s", r.status, r.body)
	}
	if strings.Contains(r.body, "请求无法完成") {
		t.Errorf("a user's mistake got the bare error page:\n%s", r.body)
	}
	if !strings.Contains(r.body, `data-form-url="`+from+`"`) {
		t.Errorf("the address is not set back to %s", from)
	}
	for _, m := range msgs {
		if !strings.Contains(r.body, m) {
			t.Errorf("page lacks message %q", m)
		}
	}
	for _, k := range kept {
		if !strings.Contains(r.body, k) {
			t.Errorf("page lost the input %q", k)
		}
	}
}

func TestFormRefillVisitDraw(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	cc := e.browser().loggedIn("lx.cc")
	r := cc.postFrom("/visit-batches", "/visit-batches", url.Values{"month": {"2026-13"}})
	refilledForm(t, r, "/visit-batches", []string{`<p class="field-error" id="err-month">月份应写作 YYYY-MM`}, []string{`value="2026-13"`, `aria-invalid="true" aria-describedby="err-month"`})
	// Without a page to go back to (no Referer) the plain error page
	// still answers, with the same status.
	if r := cc.post("/visit-batches", url.Values{"month": {"2026-13"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("without referer: %d", r.status)
	}
	// A referer from elsewhere is not followed.
	req, _ := http.NewRequest("POST", e.srv.URL+"/visit-batches", strings.NewReader("month=2026-13"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", "https://evil.example/visit-batches")
	if r := cc.do(req); strings.Contains(r.body, "data-form-url") {
		t.Error("a foreign referer became the form's address")
	}
}

package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestDivisionsEndpoint: the picker's list names every division in full
// with its code and pinyin initials, is cached by the browser and revalidated by ETag; a
// failed trip form shows the destination as a name, never a code.
func TestDivisionsEndpoint(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "dv.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	b := e.browser().loggedIn("dv.off")
	r := b.get("/divisions.json")
	var ds []struct{ C, N, P string }
	if r.status != 200 || json.Unmarshal([]byte(r.body), &ds) != nil || len(ds) < 3000 {
		t.Fatalf("divisions: %d, %d entries", r.status, len(ds))
	}
	found := false
	for _, d := range ds {
		found = found || d.C == "370102" && d.N == "山东省济南市历下区" && d.P == "sdjnlx sdsjnslxq"
	}
	etag := r.header.Get("ETag")
	if !found || etag == "" || !strings.Contains(r.header.Get("Cache-Control"), "max-age=") || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("历下区 %v, ETag %q, Cache-Control %q", found, etag, r.header.Get("Cache-Control"))
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/divisions.json", nil)
	req.Header.Set("If-None-Match", etag)
	if r := b.do(req); r.status != http.StatusNotModified || r.body != "" {
		t.Fatalf("revalidation: %d", r.status)
	}
	// Compressed for a browser that takes it, the same list in a fifth.
	for _, enc := range []string{"gzip, deflate, br", "identity"} {
		req, _ := http.NewRequest("GET", e.srv.URL+"/divisions.json", nil)
		req.Header.Set("Accept-Encoding", enc)
		r := b.do(req)
		body := []byte(r.body)
		if enc != "identity" {
			z, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil || r.header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("not compressed: %v %q", err, r.header.Get("Content-Encoding"))
			}
			plain, _ := io.ReadAll(z)
			if len(body)*4 > len(plain) {
				t.Errorf("compressed to %d of %d bytes", len(body), len(plain))
			}
			body = plain
		}
		var again []struct{ C, N, P string }
		if json.Unmarshal(body, &again) != nil || len(again) != len(ds) || r.header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("%s: %d entries, Vary %q", enc, len(again), r.header.Get("Vary"))
		}
	}
	if r := e.browser().get("/divisions.json"); r.status == 200 {
		t.Fatal("the divisions are served to a stranger")
	}
	// A code sent by an old page comes back as its name when the form
	// fails for another reason.
	r = b.post("/trips", url.Values{"cases": {"乱写的案号"}, "destination": {"370203"}, "depart_at": {"2026-09-29T08:00"}, "return_at": {"2026-09-30T18:00"}, "task": {"查封"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="山东省青岛市市北区"`) {
		t.Fatalf("failed form: %d", r.status)
	}
}

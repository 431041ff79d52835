package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// env is the whole program behind an httptest server.
type env struct {
	t   *testing.T
	app *app.App
	srv *httptest.Server
	// secrets are the TOTP secrets of the users who enrolled in this test,
	// and steps the last time step each used.
	secrets map[string]string
	steps   map[string]int64
	queueOn bool
}

// startQueue starts the app's job queue, without its periodic jobs, for
// tests whose pages enqueue work (case imports).
func (e *env) startQueue() {
	e.t.Helper()
	if e.queueOn {
		return
	}
	if err := e.app.Queue.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.queueOn = true
	e.t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.app.Queue.Stop(sctx); err != nil {
			e.t.Error(err)
		}
	})
}

func newEnv(t *testing.T) *env {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams, Jobs: jobs.Config{NoPeriodic: true}, UploadDir: t.TempDir()}, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return newEnvFor(t, a)
}

// newEnvFor serves an app opened by the test.
func newEnvFor(t *testing.T, a *app.App) *env {
	t.Helper()
	srv := httptest.NewServer(a.Web.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, app: a, srv: srv, secrets: map[string]string{}, steps: map[string]int64{}}
}

// code returns a TOTP code of username's authenticator that has not been
// used yet, as the phone shows it: of the current step, or the next one
// the server accepts — the step before only with ten seconds of it to
// spare, or a loaded machine sees it expire between code and request. When every step the server accepts was used, the
// server's clock moves on 30 seconds rather than the test waiting.
func (e *env) code(username string) string {
	e.t.Helper()
	secret, ok := e.secrets[username]
	if !ok {
		e.t.Fatalf("%s has not enrolled in this test", username)
	}
	for {
		now := e.app.DB.Now()
		cur := auth.Step(now)
		lo := cur
		if time.Unix((cur+1)*30, 0).Sub(now) > 10*time.Second {
			lo = cur - 1
		}
		step := max(lo, e.steps[username]+1)
		if step <= cur+1 {
			e.steps[username] = step
			c, err := auth.Code(secret, step)
			if err != nil {
				e.t.Fatal(err)
			}
			return c
		}
		clock := e.app.DB.Now
		e.app.DB.Now = func() time.Time { return clock().Add(30 * time.Second) }
	}
}

// browser is a client with its own cookies that does not follow
// redirects, and sends the headers a same-origin browser form post sends.
type browser struct {
	e      *env
	client *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	status int
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) resp {
	b.e.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, string(body), res.Header}
}

func (b *browser) get(path string) resp {
	req, _ := http.NewRequest("GET", b.e.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) resp {
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *browser) login(username, password string) resp {
	return b.post("/login", url.Values{"username": {username}, "password": {password}})
}

// loggedIn signs in and fails the test if that does not work. A user who
// needs a second factor enrols at the first login, reading the secret off
// the enrolment page as a person would type it into the phone, and types
// a fresh code at later ones.
func (b *browser) loggedIn(username string) *browser {
	b.e.t.Helper()
	r := b.login(username, testdb.Password)
	loc := r.header.Get("Location")
	if r.status == http.StatusSeeOther && strings.HasPrefix(loc, "/login/2fa") {
		r = b.passSecondFactor(username)
		loc = r.header.Get("Location")
	}
	if r.status != http.StatusSeeOther || loc != "/" {
		b.e.t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	return b
}

var (
	secretRE   = regexp.MustCompile(`data-testid="totp-secret">([A-Z2-7]+)<`)
	recoveryRE = regexp.MustCompile(`<li>([a-z2-9]{5}-[a-z2-9]{5})</li>`)
)

// rebind writes a test's own SQL for the engine under test.
func (e *env) rebind(q string) string {
	if e.app.DB.Engine != store.Postgres {
		return q
	}
	for i := 1; strings.Contains(q, "?"); i++ {
		q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
	}
	return q
}

// passSecondFactor answers the code page, or enrols; it returns a
// redirect to the home page on success.
func (b *browser) passSecondFactor(username string) resp {
	b.e.t.Helper()
	page := b.get("/login/2fa")
	if m := secretRE.FindStringSubmatch(page.body); m != nil {
		b.e.secrets[username] = m[1]
		r := b.post("/login/2fa", url.Values{"action": {"enrol"}, "code": {b.e.code(username)}})
		if r.status != http.StatusOK || !strings.Contains(r.body, "recovery-codes") {
			b.e.t.Fatalf("enrolling %s: %d %s", username, r.status, r.body)
		}
		return resp{status: http.StatusSeeOther, header: http.Header{"Location": {"/"}}}
	}
	return b.post("/login/2fa", url.Values{"action": {"code"}, "code": {b.e.code(username)}})
}

// testWriter sends the program's warnings and errors to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

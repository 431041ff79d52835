package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/auth"
)

// walker drives one browser through a running zhilian, failing the test
// with the server's output when a step does not complete.
type walker struct {
	t   *testing.T
	ctx context.Context
	p   *proc
	pw  string
	// secrets are the TOTP secrets of users who enrolled in this walk,
	// read off the enrolment page; steps the last time step each used.
	secrets map[string]string
	steps   map[string]int64
}

func (w *walker) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, actions...); err != nil {
		w.t.Fatalf("%s: %v\n%s", what, err, w.p.output())
	}
}

func (w *walker) text(sel string) string {
	w.t.Helper()
	s, err := chromedp.Run(w.ctx, chromedp.Text(css(sel)))
	if err != nil {
		w.t.Fatalf("reading %s: %v", sel, err)
	}
	return s
}

// login signs user in. A user whose role needs a second factor enrols at
// the first login — the secret read off the page as a person types it
// into the phone, the recovery codes acknowledged — and types a fresh
// code at later ones.
func (w *walker) login(user string) {
	w.t.Helper()
	w.run("login "+user,
		chromedp.Navigate(w.p.url+"/login"),
		chromedp.WaitVisible(css(`input[name="username"]`)),
		chromedp.SendKeys(css(`input[name="username"]`), user),
		chromedp.SendKeys(css(`input[name="password"]`), w.pw),
		chromedp.Submit(css(`input[name="password"]`)),
		chromedp.WaitVisible(css(`.page-title, .mfa-card`)),
	)
	loc, err := chromedp.Run(w.ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/login/2fa") {
		return
	}
	enrol, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="totp-secret"]') !== null`))
	if err != nil {
		w.t.Fatal(err)
	}
	if enrol {
		if w.secrets == nil {
			w.secrets, w.steps = map[string]string{}, map[string]int64{}
		}
		w.secrets[user] = strings.TrimSpace(w.text(`[data-testid="totp-secret"]`))
	}
	w.run("second factor of "+user,
		chromedp.SendKeys(css(`#code`), w.code(user)),
		chromedp.Submit(css(`#code`)),
		chromedp.WaitVisible(css(`.page-title, [data-testid="recovery-codes"]`)),
	)
	if enrol {
		w.run("recovery codes of "+user, chromedp.Click(css(`.mfa-card a.btn-primary`)), chromedp.WaitVisible(css(`.page-title`)))
	}
}

// code is the code user's phone shows now, one not used before.
func (w *walker) code(user string) string {
	w.t.Helper()
	secret, ok := w.secrets[user]
	if !ok {
		w.t.Fatalf("%s has not enrolled in this walk", user)
	}
	for {
		now := time.Now()
		cur := auth.Step(now)
		// The step before stays good until this step ends: take it only
		// with time to spare, or a loaded machine sees it expire.
		lo := cur
		if time.Unix((cur+1)*30, 0).Sub(now) > 10*time.Second {
			lo = cur - 1
		}
		if step := max(lo, w.steps[user]+1); step <= cur+1 {
			w.steps[user] = step
			c, err := auth.Code(secret, step)
			if err != nil {
				w.t.Fatal(err)
			}
			return c
		}
		time.Sleep(time.Second)
	}
}

func (w *walker) logout() {
	w.t.Helper()
	w.run("logout", chromedp.Submit(css(`form.logout-form`)), chromedp.WaitVisible(css(`input[name="username"]`)))
}

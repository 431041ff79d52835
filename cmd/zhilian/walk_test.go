package main

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// walker drives one browser through a running zhilian, failing the test
// with the server's output when a step does not complete.
type walker struct {
	t   *testing.T
	ctx context.Context
	p   *proc
	pw  string
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

func (w *walker) login(user string) {
	w.t.Helper()
	w.run("login "+user,
		chromedp.Navigate(w.p.url+"/login"),
		chromedp.WaitVisible(css(`input[name="username"]`)),
		chromedp.SendKeys(css(`input[name="username"]`), user),
		chromedp.SendKeys(css(`input[name="password"]`), w.pw),
		chromedp.Submit(css(`input[name="password"]`)),
		chromedp.WaitVisible(css(`.page-title`)),
	)
}

func (w *walker) logout() {
	w.t.Helper()
	w.run("logout", chromedp.Submit(css(`form.logout-form`)), chromedp.WaitVisible(css(`input[name="username"]`)))
}

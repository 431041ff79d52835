package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/testdb"
)

// axeSource is axe-core, vendored for this test only (testdata/axe).
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeRun runs axe-core on the page for WCAG 2.1 A and AA and returns the
// violations of impact serious or critical.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
  .then(r => JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary.split('\n').slice(1, 3).join(' '))}))))`

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// TestAccessibilityOfEveryRole (issue 17): every role's home page and the
// pages its navigation leads to, checked with axe-core against WCAG 2.1
// AA; any serious or critical violation fails the test, listed by page.
func TestAccessibilityOfEveryRole(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Axe#2026core"
	users := []struct{ name, full, court, dept, role string }{
		{"a.officer", "无障碍干警", "鲁0102", "执行一庭", "officer"},
		{"a.head", "无障碍庭长", "鲁0102", "执行一庭", "dept_head"},
		{"a.cc", "无障碍指挥", "鲁0102", "执行指挥中心", "command_center"},
		{"a.bureau", "无障碍局长", "鲁0102", "执行局", "bureau"},
		{"a.group", "无障碍纪检", "鲁0102", "派驻纪检监察组", "discipline_group"},
		{"a.office", "无障碍监察", "鲁0102", "监察室", "supervision_office"},
		{"a.admin", "无障碍管理", "鲁0102", "信息技术处", "admin"},
		{"a.sec", "无障碍安全", "鲁0102", "信息技术处", "security_admin"},
		{"a.audit", "无障碍审计", "鲁0102", "信息技术处", "auditor"},
	}
	for _, u := range users {
		if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", u.name, "--name", u.full, "--court", u.court,
			"--department", u.dept, "--role", u.role, "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 6*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}

	var found []string
	checked := 0
	check := func(who, path string) {
		t.Helper()
		if !strings.HasSuffix(path, ")") {
			w.run("open "+path, chromedp.Navigate(p.url+path), chromedp.WaitReady(css(`body`)))
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axeSource+";true")); err != nil {
			t.Fatalf("injecting axe-core: %v", err)
		}
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", path, err)
		}
		var vs []axeViolation
		if err := json.Unmarshal([]byte(out), &vs); err != nil {
			t.Fatalf("axe's answer on %s: %v", path, err)
		}
		checked++
		for _, v := range vs {
			found = append(found, fmt.Sprintf("%s %s: [%s] %s (%s)\n      %s", who, path, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n      ")))
		}
	}

	// Forms and pages beyond each role's navigation.
	extra := map[string][]string{
		"officer":            {"/trips/new", "/account/password", "/account/2fa", "/messages", "/search?q=2026", "/help", "/help/start", "/help/tracking", "/help/visits", "/help/inspections", "/help/trips", "/help/oversight"},
		"command_center":     {"/complaints/new", "/cases/import"},
		"discipline_group":   {"/clues/new", "/dispositions/new"},
		"supervision_office": {"/rectifications/new", "/inspections/new"},
		"admin":              {"/admin/users/new", "/admin/notices"},
	}
	// The login page, before anyone signs in.
	check("-", "/login")
	for _, u := range users {
		w.login(u.name)
		links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('nav.sidenav a.nav-item')].map(a => a.getAttribute('href'))`))
		if err != nil {
			t.Fatal(err)
		}
		check(u.role, "/")
		seen := map[string]bool{"/": true}
		for _, l := range links {
			if !seen[l] && strings.HasPrefix(l, "/") {
				seen[l] = true
				check(u.role, l)
			}
		}
		for _, l := range extra[u.role] {
			if !seen[l] {
				seen[l] = true
				check(u.role, l)
			}
		}
		if u.role == "officer" {
			// A form shown again with its errors beside the fields.
			w.run("post the empty trip form", chromedp.Navigate(p.url+"/trips/new"), chromedp.WaitVisible(css(`#t-task`)),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('#t-task').form.noValidate = true`),
				chromedp.Submit(css(`#t-task`)), chromedp.WaitVisible(css(`.field-error`)))
			check(u.role, "/trips/new (422)")
		}
		w.logout()
	}
	if checked < 30 {
		t.Fatalf("only %d pages checked", checked)
	}
	if len(found) > 0 {
		t.Fatalf("%d serious or critical WCAG 2.1 AA violations on %d pages checked:\n%s", len(found), checked, strings.Join(found, "\n"))
	}
	t.Logf("%d pages checked, no serious or critical violation", checked)
}

package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/store"
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

// layoutProbe finds on the page what issue 17 saw in daily use: a text
// area narrower than its field (an unstyled box), and a group of filter
// links that does not mark exactly one as the current one, in words
// (aria-current) and to the eye (bold, its own colour).
const layoutProbe = `(() => {
  const out = [];
  for (const t of document.querySelectorAll('textarea')) {
    if (t.offsetParent === null) continue;
    const field = t.closest('.field, td, li, .card') || t.parentElement;
    const room = Math.min(field.clientWidth - 2, 300);
    if (t.offsetWidth < room || getComputedStyle(t).fontFamily !== getComputedStyle(document.body).fontFamily)
      out.push('narrow or unstyled text area ' + (t.id || t.name) + ': ' + t.offsetWidth + 'px of ' + field.clientWidth + 'px');
  }
  for (const g of document.querySelectorAll('nav.chips')) {
    const cur = g.querySelectorAll('[aria-current="page"]');
    if (cur.length !== 1) { out.push('filter links "' + g.getAttribute('aria-label') + '" mark ' + cur.length + ' current'); continue; }
    const other = [...g.querySelectorAll('a')].find(a => a !== cur[0]);
    const cs = getComputedStyle(cur[0]);
    if (Number(cs.fontWeight) < 600 || (other && getComputedStyle(other).backgroundColor === cs.backgroundColor))
      out.push('filter link "' + cur[0].textContent + '" does not look current');
  }
  return out;
})()`

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

	a := &axeChecker{t: t, w: w}
	check := a.check
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
	a.finish(30)
}

// axeChecker runs axe-core on the page a walker shows and collects what
// it finds, page by page.
type axeChecker struct {
	t       *testing.T
	w       *walker
	found   []string
	checked int
}

// check opens path (unless it ends in “)”: the page the browser shows
// already) and runs axe-core and layoutProbe on it.
func (a *axeChecker) check(who, path string) {
	t := a.t
	t.Helper()
	if !strings.HasSuffix(path, ")") {
		a.w.run("open "+path, chromedp.Navigate(a.w.p.url+path), chromedp.WaitReady(css(`body`)))
	}
	if _, err := chromedp.Run(a.w.ctx, chromedp.Evaluate[any](axeSource+";true")); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	out, err := chromedp.Run(a.w.ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", path, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe's answer on %s: %v", path, err)
	}
	a.checked++
	odd, err := chromedp.Run(a.w.ctx, chromedp.Evaluate[[]string](layoutProbe))
	if err != nil {
		t.Fatalf("layout on %s: %v", path, err)
	}
	for _, o := range odd {
		a.found = append(a.found, fmt.Sprintf("%s %s: %s", who, path, o))
	}
	if os.Getenv("ZHILIAN_AXE_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "axe %s %s %s\n", who, path, time.Now().Format("15:04:05.000"))
	}
	for _, v := range vs {
		a.found = append(a.found, fmt.Sprintf("%s %s: [%s] %s (%s)\n      %s", who, path, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n      ")))
	}
}

// finish fails the test on any violation found or when fewer than least
// pages were checked.
func (a *axeChecker) finish(least int) {
	a.t.Helper()
	if a.checked < least {
		a.t.Fatalf("only %d pages checked", a.checked)
	}
	if len(a.found) > 0 {
		a.t.Fatalf("%d serious or critical WCAG 2.1 AA violations or layout faults on %d pages checked:\n%s", len(a.found), a.checked, strings.Join(a.found, "\n"))
	}
	a.t.Logf("%d pages checked, no serious or critical violation, no layout fault", a.checked)
}

// recordRE is a record page of each mechanism, or a page of one (its
// work, a sheet, a print); a record's kind is its path with numbers as #.
var recordRE = regexp.MustCompile(`^/(cases|visits|visit-batches|trips|trip-reviews|tracking|inspections|complaints|clues|dispositions|rectifications|annex2)/[0-9]+(/(work|minutes|report|notice|print|edit|checklist|targets/[0-9]+))?$`)

var digitsRE = regexp.MustCompile(`/[0-9]+`)

// TestAccessibilityOnDemoData (issue 17): the same check on the demo
// province, so that tables with rows, pagers, badges, charts and forms
// filled with records are checked too. Each demo role of 鲁0102 (and the
// High Court's watchdog and bureau, who see a province) opens its home
// page, every page of its navigation and the first record of each kind
// those pages link to; every kind of record — a case, a visit, a trip, a
// tracking, an inspection, a complaint, a clue, a disposition, a
// rectification — is checked by some role.
func TestAccessibilityOnDemoData(t *testing.T) {
	begun := time.Now()
	const pw = "Demo#axe2026"
	p, dir := sharedDemo(t, pw)
	defer p.stop(t)
	seeded := time.Since(begun)
	// A working group's page: the demo's liaison of the 纪检监察组 is a
	// member of its groups.
	db, err := store.Open(context.Background(), filepath.Join(dir, "zhilian.db"))
	if err != nil {
		t.Fatal(err)
	}
	var group int64
	err = db.WriteDB().QueryRow(`SELECT m.tracking_id FROM tracking_members m JOIN users u ON u.id = m.user_id
		WHERE u.username = 'lu0102.discipline_liaison' ORDER BY m.tracking_id LIMIT 1`).Scan(&group)
	if err != nil {
		t.Fatalf("the demo's working group: %v", err)
	}
	// The party's public page: the link of the first question sent.
	var sealed string
	err = db.WriteDB().QueryRow("SELECT link_sealed FROM sms_outbox WHERE kind = 'question' AND link_sealed <> '' ORDER BY id LIMIT 1").Scan(&sealed)
	db.Close()
	if err != nil {
		t.Fatalf("no question with a party link: %v", err)
	}
	token := openDemoSealed(t, dir, sealed)
	ctx := newBrowser(t, 12*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	a := &axeChecker{t: t, w: w}

	// The party, signed in as no one: the questions, the questions shown
	// again with what is missing, and the page of a link that is gone.
	a.check("当事人", "/v/"+token)
	w.run("post the party's empty answers", chromedp.Navigate(p.url+"/v/"+token), chromedp.WaitVisible(css(`form.m-form`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('form.m-form').noValidate = true`),
		chromedp.Submit(css(`form.m-form`)), chromedp.WaitVisible(css(`.m-error`)))
	a.check("当事人", "/v/… (422)")
	a.check("当事人", "/v/0000000000000000")

	users := []string{"lu0102.officer1", "lu0102.head1", "lu0102.command1", "lu0102.bureau", "lu0102.discipline_liaison",
		"lu0102.supervision", "lu0102.admin", "lu0102.security1", "lu0102.auditor", "lu.discipline", "lu.bureau"}
	extra := map[string][]string{
		"lu0102.officer1":           {"/trips/new", "/trips/mapping", "/search?q=183", "/messages", "/forms/annex1", "/forms/annex2", "/forms/annex3"},
		"lu0102.head1":              {"/trips/accountability", "/trip-reviews", "/trips/accountability?print=1"},
		"lu0102.command1":           {"/visit-batches", "/visit-stats", "/complaints/new"},
		"lu0102.bureau":             {"/tracking/stats", "/visit-stats", "/trips/accountability", "/visit-batches"},
		"lu0102.discipline_liaison": {"/clues/new", "/dispositions/new", "/tracking/stats", fmt.Sprintf("/tracking/%d/work", group)},
		"lu0102.supervision":        {"/rectifications/new", "/inspections/new"},
		"lu0102.admin":              {"/admin/users/new", "/admin/notices", "/admin/unmatched-officers"},
		// A figure's own trend, and records a figure drills down to.
		"lu.discipline": {"/overview/trend?key=oversight.dispositions", "/trip-reviews?court=%E9%B2%8101&reason=contradicted&reason=unreported",
			"/clues?court=%E9%B2%8101&period=" + strconv.Itoa(time.Now().Year()),
			"/visit-batches?court=%E9%B2%8101&kind=daily&from=" + strconv.Itoa(time.Now().Year()) + "-01&to=" + strconv.Itoa(time.Now().Year()) + "-12",
			"/inspections?court=%E9%B2%8101&sheets=graded&period=" + strconv.Itoa(time.Now().Year()),
			"/tracking?court=%E9%B2%8101&findings=1&period=" + strconv.Itoa(time.Now().Year()),
			"/rectifications?court=%E9%B2%8101&source=inspection&items=overdue"},
	}
	links := func() []string {
		l, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))`))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	kinds := map[string]string{} // kind → the first user who checked one
	for _, u := range users {
		w.login(u)
		nav, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('nav.sidenav a.nav-item')].map(a => a.getAttribute('href'))`))
		if err != nil {
			t.Fatal(err)
		}
		pages := append([]string{"/"}, nav...)
		pages = append(pages, extra[u]...)
		seen := map[string]bool{}
		// The pages, then the first record of each kind they link to,
		// then the first page of each kind those records link to.
		for depth := 0; depth < 3 && len(pages) > 0; depth++ {
			var next []string
			for _, l := range pages {
				if seen[l] || !strings.HasPrefix(l, "/") {
					continue
				}
				seen[l] = true
				a.check(u, l)
				if depth > 0 {
					if k := digitsRE.ReplaceAllString(l, "/#"); kinds[k] == "" {
						kinds[k] = u
					}
				}
				for _, r := range links() {
					r, _, _ = strings.Cut(r, "?")
					if recordRE.MatchString(r) && !seen[r] && !seen[digitsRE.ReplaceAllString(r, "/#")] {
						seen[digitsRE.ReplaceAllString(r, "/#")] = true
						next = append(next, r)
					}
				}
			}
			pages = next
		}
		// Print pages have no header: sign out from the home page.
		w.run("home", chromedp.Navigate(p.url+"/"), chromedp.WaitVisible(css(`form.logout-form`)))
		w.logout()
	}
	// Every kind of record, and the prints: the visit's 附件3, the trip's
	// 附件1 and 附件2, the inspection's report, the rectification's notice
	// and report, the working group's minutes.
	for _, k := range []string{"cases", "visits", "trips", "tracking", "inspections", "complaints", "clues", "dispositions", "rectifications", "trip-reviews", "visit-batches",
		"visits/#/print", "trips/#/print", "annex2", "inspections/#/report", "rectifications/#/notice", "rectifications/#/report", "tracking/#/minutes"} {
		if k = "/" + k; !strings.Contains(k[1:], "/") {
			k += "/#"
		}
		if kinds[k] == "" {
			t.Errorf("no %s record page checked: %v", k, kinds)
		}
	}
	t.Logf("record pages checked: %v", slices.Sorted(maps.Keys(kinds)))
	a.finish(100)
	t.Logf("demo ready in %s, all checked in %s", seeded.Round(time.Second), time.Since(begun).Round(time.Second))
}

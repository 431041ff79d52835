package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/demo"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
)

func postLogin(t *testing.T, base, username, password string) int {
	t.Helper()
	_, code := session(t, base, username, password)
	return code
}

// session logs in and returns the client holding the session cookie.
func session(t *testing.T, base, username, password string) (*http.Client, int) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"username": {username}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return client, res.StatusCode
}

func getBody(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

var accountRE = regexp.MustCompile(`(?m)^\S+\s+(lu[0-9]*\.[a-z_0-9]+)\s+`)

// The README's first command: `zhilian demo` on a fresh directory builds
// the demo province, prints the URL and one account per role, every demo
// account logs in with the printed password, and a second run reuses the
// data.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	const password = "Demo#pass2026"
	p := start(t, "demo", "--data", dir, "--addr", "127.0.0.1:0", "--password", password)
	waitFor(t, p, "按 Ctrl+C 退出")
	out := p.output()
	if !strings.Contains(out, password) {
		t.Fatalf("demo does not show the password:\n%s", out)
	}
	var printed []string
	for _, m := range accountRE.FindAllStringSubmatch(out, -1) {
		printed = append(printed, m[1])
	}
	roles := map[string]bool{}
	for _, r := range domain.Roles {
		if strings.Contains(out, r.Label()) {
			roles[string(r)] = true
		}
	}
	if len(printed) < len(domain.Roles) || len(roles) != len(domain.Roles) {
		t.Fatalf("demo printed accounts %v for roles %v: want one per role\n%s", printed, roles, out)
	}
	for _, u := range printed {
		if code := postLogin(t, p.url, u, password); code != http.StatusSeeOther {
			t.Errorf("printed account %s cannot log in: %d", u, code)
		}
	}
	// Every staff role at a sample of demo courts, the railway and maritime
	// courts included.
	for _, court := range []string{"鲁", "鲁01", "鲁0102", "鲁71", "鲁7101", "鲁72", "鲁17"} {
		for _, key := range []string{"officer1", "head2", "command1", "bureau_liaison", "discipline_liaison", "supervision", "admin"} {
			if code := postLogin(t, p.url, demo.Username(court, key), password); code != http.StatusSeeOther {
				t.Errorf("demo account %s cannot log in: %d", demo.Username(court, key), code)
			}
		}
	}
	browserLogin(t, p.url, printed[2], password) // the command centre: it sees the court's cases

	// The simulator plays the network and the parties: receipts and
	// replies come back and move the demo's visits on.
	db, err := store.Open(context.Background(), filepath.Join(dir, "zhilian.db"))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := db.SMSStats(context.Background())
		var matched int
		db.WriteDB().QueryRow("SELECT COUNT(*) FROM sms_inbox WHERE status = 'matched'").Scan(&matched)
		if err == nil && c.ByStatus[sms.StatusDelivered] > 0 && matched > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no delivered message and matched reply in the demo: %+v %v", c, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	db.Close()
	admin, _ := session(t, p.url, demo.Username("鲁", "admin"), password)
	if body := getBody(t, admin, p.url+"/admin/sms"); !strings.Contains(body, "simulator") || !strings.Contains(body, "正常") || !strings.Contains(body, "已送达") {
		t.Errorf("the administrator's gateway page:\n%s", body)
	}
	// The demo's administrator opens the SMS templates: every message, the
	// court's signature, previews, and the text to register.
	if body := getBody(t, admin, p.url+"/admin/sms/templates"); !strings.Contains(body, "回访询问（是否执行完毕、是否满意）") || !strings.Contains(body, "【山东省高级人民法院】") {
		t.Errorf("the administrator's template page:\n%s", body)
	}
	if body := getBody(t, admin, p.url+"/admin/sms/templates/visit.question_link"); !strings.Contains(body, "报备文本") || !strings.Contains(body, "/v/{2}") {
		t.Errorf("the template's page:\n%s", body)
	}
	cc, _ := session(t, p.url, demo.Username("鲁0102", "command1"), password)
	for body := ""; !strings.Contains(body, "已送达") || !strings.Contains(body, "您好，这里是执行回访"); {
		if time.Now().After(deadline) {
			t.Fatalf("the command centre's SMS page lacks delivered questions:\n%s", body)
		}
		time.Sleep(200 * time.Millisecond)
		body = getBody(t, cc, p.url+"/sms")
	}
	demoPublicURL(t, p.url, dir, cc)
	p.stop(t)

	db, err = store.Open(context.Background(), filepath.Join(dir, "zhilian.db"))
	if err != nil {
		t.Fatal(err)
	}
	// Trips in every state of the fourth mechanism.
	for what, q := range map[string]string{
		"leaving without requirements": "SELECT COUNT(*) FROM trips WHERE status = 'planned' AND req_given IS NULL AND depart_at > CURRENT_TIMESTAMP",
		"requirement after departure":  "SELECT COUNT(*) FROM trips WHERE req_at > depart_at",
		"overdue":                      "SELECT COUNT(*) FROM trips WHERE status IN ('planned', 'returned') AND out_of_jurisdiction AND report_due < '" + time.Now().Format("2006-01-02") + "'",
		"reported late":                "SELECT COUNT(*) FROM trip_reports WHERE late",
		"with 有":                       "SELECT COUNT(*) FROM trip_reports WHERE any_yes",
		"not truthful":                 "SELECT COUNT(*) FROM trip_reviews WHERE reason = 'contradicted'",
		"concluded":                    "SELECT COUNT(*) FROM trip_reviews WHERE concluded_at IS NOT NULL",
		"within jurisdiction":          "SELECT COUNT(*) FROM trips WHERE NOT out_of_jurisdiction",
		"附件2":                          "SELECT COUNT(*) FROM trip_reports WHERE kind = 'annex2'",
		// Issue 13: a supplementary draw, a closed petition case visited, a
		// head's own trip, a trip that did not take place, per-case accounts.
		"head's own trip":                        "SELECT COUNT(*) FROM trips WHERE leader_role <> 'dept_head'",
		"the court's posts (issue 14)":           "SELECT COUNT(*) FROM court_posts p JOIN courts c ON c.id = p.court_id WHERE c.code = '鲁0102' HAVING COUNT(*) = 5",
		"several destinations":                   "SELECT COUNT(*) FROM (SELECT trip_id FROM trip_destinations GROUP BY trip_id HAVING COUNT(*) > 1) d",
		"未成行":                                    "SELECT COUNT(*) FROM trips WHERE not_taken",
		"案件执行情况":                                 "SELECT COUNT(*) FROM trip_reports WHERE case_accounts <> ''",
		"escalated visit printed whole":          "SELECT COUNT(*) FROM visits WHERE outcome = 'onsite_done' AND (SELECT COUNT(*) FROM visit_answers a WHERE a.visit_id = visits.id) >= 4",
		"supplementary draw":                     "SELECT COUNT(*) FROM visit_batches WHERE kind = 'supplement' AND seq = 1",
		"petitions, a clear lead":                "SELECT COUNT(*) FROM complaints WHERE lead = 'clear' AND (SELECT COUNT(*) FROM complaint_cases x JOIN complaints m ON m.id = x.complaint_id WHERE m.kind = 'petition' GROUP BY x.case_id ORDER BY COUNT(*) DESC LIMIT 1) >= 2",
		"rectification 已销号 with a rule":          "SELECT COUNT(*) FROM rectification_items WHERE state = 'closed' AND rule_title <> ''",
		"rectification 逾期":                       "SELECT COUNT(*) FROM rectification_items WHERE state <> 'closed' AND deadline < '" + time.Now().Format("2006-01-02") + "'",
		"clues in each state":                    "SELECT COUNT(DISTINCT state) FROM clues HAVING COUNT(DISTINCT state) = 3",
		"a clue from a clear lead":               "SELECT COUNT(*) FROM clues l JOIN complaints m ON m.id = l.source_id WHERE l.source = 'complaint' AND m.lead = 'clear'",
		"tracking candidates of all five scopes": "SELECT COUNT(DISTINCT scope) FROM candidate_reasons WHERE ended_on IS NULL HAVING COUNT(DISTINCT scope) = 5",
		"a tracking in each state":               "SELECT COUNT(DISTINCT state) FROM trackings HAVING COUNT(DISTINCT state) = 10",
		"a disagreement decided by the co-leaders": `SELECT COUNT(*) FROM trackings t WHERE t.decided_by = 'co_leaders' AND t.state IN ('tracked', 'tracking')
			AND (SELECT COUNT(DISTINCT track) FROM tracking_leader_decisions d WHERE d.tracking_id = t.id) = 2`,
		"a tracked case with records of each aspect": "SELECT COUNT(*) FROM (SELECT tracking_id FROM tracking_records GROUP BY tracking_id HAVING COUNT(DISTINCT aspect) = 4) x",
		"a tracking interview":                       "SELECT COUNT(*) FROM tracking_interviews",
		"a recommendation accepted": `SELECT COUNT(*) FROM tracking_recommendations tr JOIN rectification_items i ON i.rectification_id = tr.rectification_id
			WHERE i.state = 'closed'`,
		"a closed tracking with its report": "SELECT COUNT(*) FROM trackings t JOIN tracking_closings c ON c.tracking_id = t.id WHERE t.state = 'closed'",
		"dispositions of each form":         "SELECT COUNT(DISTINCT form) FROM dispositions HAVING COUNT(DISTINCT form) = 4",
		"a first-form talk":                 "SELECT COUNT(*) FROM disposition_talks t JOIN dispositions p ON p.id = t.disposition_id WHERE p.form = 1",
		"closed petition visit":             "SELECT COUNT(*) FROM visit_reasons r JOIN cases k ON k.id = r.case_id WHERE r.reason = 'petition' AND k.closed_on IS NOT NULL",
		// Issue 15: findings of each shipped patrol rule, one confirmed and
		// one dismissed.
		"patrol findings of each rule": "SELECT COUNT(DISTINCT rule) FROM patrol_findings HAVING COUNT(DISTINCT rule) = 6",
		"patrol finding confirmed":     "SELECT COUNT(*) FROM patrol_findings WHERE state = 'confirmed'",
		"patrol finding dismissed":     "SELECT COUNT(*) FROM patrol_findings WHERE state = 'dismissed' AND reason <> ''",
		// Issue 16: a finished case review with its draw, grades and 通报,
		// a 案款 campaign in 整改 with items overdue, a scheduled 司法巡查.
		"case review finished with a draw": `SELECT COUNT(*) FROM inspection_campaigns i WHERE i.kind = 'case_review' AND i.state = 'done'
			AND EXISTS (SELECT 1 FROM inspection_draws d WHERE d.campaign_id = i.id)
			AND (SELECT COUNT(DISTINCT grade) FROM inspection_targets t WHERE t.campaign_id = i.id) >= 3
			AND EXISTS (SELECT 1 FROM inspection_findings f WHERE f.campaign_id = i.id AND f.state = 'kept' AND f.answer <> '' AND f.rect_id IS NOT NULL)`,
		"案款 campaign in 整改 with items overdue": `SELECT COUNT(*) FROM inspection_campaigns i JOIN inspection_findings f ON f.campaign_id = i.id
			JOIN rectification_items ri ON ri.rectification_id = f.rect_id
			WHERE i.theme = 'money' AND i.state = 'rectify' AND ri.state <> 'closed' AND ri.deadline < '` + time.Now().Format("2006-01-02") + "'",
		"scheduled 司法巡查": "SELECT COUNT(*) FROM inspection_campaigns WHERE kind = 'patrol' AND schedule <> '' AND next_on IS NOT NULL",
		// Issue 18: a periodic report submitted and signed, and a court
		// beside it that has not submitted its report of that month.
		"a 运行情况报告 submitted and signed": "SELECT COUNT(*) FROM run_reports WHERE state = 'submitted' AND content_hash <> '' AND snapshot <> ''",
		"a court below late with its report": `SELECT COUNT(*) FROM run_reports r JOIN courts c ON c.id = r.court_id JOIN courts s ON s.parent_id = c.parent_id AND s.id <> c.id
			WHERE r.state = 'submitted' AND NOT EXISTS (SELECT 1 FROM run_reports x WHERE x.court_id = s.id AND x.period = r.period AND x.state = 'submitted')`,
		// Issue 13 point 10: a trip with two travellers, each filing his
		// own 附件1.
		"two travellers each filing": `SELECT COUNT(*) FROM trips t WHERE (SELECT COUNT(*) FROM trip_travellers tt WHERE tt.trip_id = t.id) >= 2
			AND (SELECT COUNT(DISTINCT r.officer_id) FROM trip_reports r WHERE r.trip_id = t.id AND r.kind = 'annex1' AND r.supplements IS NULL) >= 2`,
		// Issue 18: early warnings from the demo's own records, one
		// waiting, one accepted as a 预警约谈 with its talk, one dismissed
		// with its reason.
		"warning proposed": "SELECT COUNT(*) FROM integrity_warnings WHERE state = 'proposed'",
		"warning accepted as a 预警约谈": `SELECT COUNT(*) FROM integrity_warnings w JOIN dispositions p ON p.id = w.disposition_id
			JOIN disposition_talks dt ON dt.disposition_id = p.id WHERE w.state = 'accepted' AND p.form = 1 AND p.measure = '预警约谈' AND dt.kind = '预警约谈'`,
		"warning dismissed": "SELECT COUNT(*) FROM integrity_warnings WHERE state = 'dismissed' AND decision_note <> ''",
	} {
		var n int
		if err := db.WriteDB().QueryRow(q).Scan(&n); err != nil || n == 0 {
			t.Errorf("demo trips %s: %d %v", what, n, err)
		}
	}
	// The finished case review's draw recomputes, court by court, and its
	// 通报 ranks the courts.
	var done int64
	if err := db.WriteDB().QueryRow("SELECT id FROM inspection_campaigns WHERE kind = 'case_review' AND state = 'done'").Scan(&done); err != nil {
		t.Fatalf("the finished case review: %v", err)
	}
	draws, err := db.InspectionDraws(context.Background(), domain.SystemViewer("t"), done)
	if err != nil || len(draws) != 2 {
		t.Fatalf("the finished case review's draws: %d %v", len(draws), err)
	}
	for court, err := range store.VerifyDraws(draws) {
		if err != nil {
			t.Errorf("the demo draw of %s does not verify: %v", court, err)
		}
	}
	if rep, err := db.InspectionReport(context.Background(), domain.SystemViewer("t"), done); err != nil || len(rep.Courts) != 2 || rep.Kept != 1 || rep.Courts[0].Rank != 1 {
		t.Errorf("the finished case review's 通报: %+v %v", rep, err)
	}
	var money int64
	if err := db.WriteDB().QueryRow("SELECT id FROM inspection_campaigns WHERE theme = 'money' AND state = 'rectify'").Scan(&money); err != nil {
		t.Fatalf("the money review: %v", err)
	}
	if fc, err := db.InspectionFunds(context.Background(), domain.SystemViewer("t"), money); err != nil || fc.Count < 2 {
		t.Errorf("the money review's pre-check: %+v %v", fc, err)
	}
	users, _, err := db.Users(context.Background(), domain.SystemViewer("t"), store.UserFilter{Page: store.PageReq{All: true}})
	db.Close()
	if err != nil || len(users) < 900 {
		t.Fatalf("demo users: %d, %v", len(users), err)
	}
	courts := map[string]bool{}
	for _, u := range users {
		courts[u.CourtCode] = true
		if u.Disabled {
			t.Errorf("demo account %s is disabled", u.Username)
		}
	}
	for _, c := range []string{"鲁", "鲁01", "鲁71", "鲁72"} {
		if !courts[c] {
			t.Errorf("no demo staff at %s", c)
		}
	}

	// A second run reuses the database: same users, the password still
	// works, nothing is created twice.
	p = start(t, "demo", "--data", dir, "--addr", "127.0.0.1:0", "--password", password)
	waitFor(t, p, "按 Ctrl+C 退出")
	if code := postLogin(t, p.url, printed[0], password); code != http.StatusSeeOther {
		t.Fatalf("second run: login %d", code)
	}
	p.stop(t)
	db, _ = app.OpenStore(context.Background(), app.Config{DB: filepath.Join(dir, "zhilian.db")}, nil)
	again, _, _ := db.Users(context.Background(), domain.SystemViewer("t"), store.UserFilter{Page: store.PageReq{All: true}})
	res, _ := db.VerifyAudit(context.Background())
	db.Close()
	if len(again) != len(users) || !res.OK {
		t.Fatalf("second run: %d users (was %d), audit %+v", len(again), len(users), res)
	}
}

func waitFor(t *testing.T, p *proc, text string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(p.output(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in output:\n%s", text, p.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// browserLogin drives Debian's Chromium through the login page and checks
// the home page a demo user sees.
func browserLogin(t *testing.T, base, username, password string) {
	t.Helper()
	bctx := newBrowser(t, 60*time.Second)
	err := chromedp.Do(bctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(css(`input[name="username"]`)),
		chromedp.SendKeys(css(`input[name="username"]`), username),
		chromedp.SendKeys(css(`input[name="password"]`), password),
		chromedp.Click(css(`button[type="submit"]`)),
		chromedp.WaitVisible(css(`.page-title`)),
	)
	if err != nil {
		t.Fatalf("browser login as %s: %v", username, err)
	}
	title, err := chromedp.Run(bctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	heading, err := chromedp.Run(bctx, chromedp.Text(css(`.page-title`)))
	if err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(bctx, chromedp.Text(css(`body`)))
	if err != nil {
		t.Fatal(err)
	}
	screenshot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if heading != "首页" || !strings.Contains(body, "待办事项") || !strings.Contains(body, "济南市历下区人民法院") || !strings.Contains(body, "退出") {
		t.Fatalf("home page in the browser: title %q, heading %q, body:\n%s", title, heading, body)
	}
	if dir := os.Getenv("ZHILIAN_SCREENSHOTS"); dir != "" {
		// For people to look at: the main pages as this user sees them.
		os.WriteFile(filepath.Join(dir, "home.png"), screenshot, 0o644)
		for _, step := range []struct {
			name string
			go_  chromedp.Action[chromedp.Void]
		}{
			{"cases", chromedp.Navigate(base + "/cases")},
			{"case", chromedp.Click(css(`td.mono a`))},
			{"import", chromedp.Navigate(base + "/cases/import")},
			{"visits", chromedp.Navigate(base + "/visits?kind=daily&step=consultation")},
			{"visit", chromedp.Click(css(`td.col-actions a`))},
			{"visit-print", chromedp.Click(css(`a[href$="/print"]`))},
			{"batches", chromedp.Navigate(base + "/visit-batches")},
			{"batch", chromedp.Click(css(`td.col-actions a`))},
		} {
			name := step.name
			if err := chromedp.Do(bctx, step.go_, chromedp.WaitReady(css(`body`))); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644)
		}
	}
}

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// newBrowser starts Debian's Chromium headless for the test, with a
// profile of its own, and returns a tab that lives as long as the test or
// timeout.
func newBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	chromium := os.Getenv("ZHILIAN_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("browser test needs Chromium at %s (make test installs it): %v", chromium, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1366, 768),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	bctx, cancel = context.WithTimeout(bctx, timeout)
	t.Cleanup(cancel)
	return bctx
}

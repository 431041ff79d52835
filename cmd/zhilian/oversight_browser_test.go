package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/testdb"
)

// Oversight followed through in the browser (issue 14): the command
// centre registers a complaint naming an officer; the discipline group
// assesses it 有明确线索, registers a clue from it, assigns himself,
// records a verification step, concludes 谈话提醒 (形态一) and records the
// talk; the officer concerned is shown none of it. The supervision office
// addresses a suggestion to the bureau, the bureau makes the officer
// responsible for an item, the officer reports and submits it, and the
// office accepts it: 已销号.
func TestOversightInTheBrowser(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Over#2026xyz"
	for _, u := range []struct{ name, full, dept, role string }{
		{"o.cc", "督办指挥", "执行指挥中心", "command_center"}, {"o.group", "督办纪检", "派驻纪检监察组", "discipline_group"},
		{"o.office", "督办监察", "监察室", "supervision_office"}, {"o.bureau", "督办局长", "执行局", "bureau"},
		{"o.officer", "被反映干警", "执行一庭", "officer"},
	} {
		if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", u.name, "--name", u.full, "--court", "鲁0102",
			"--department", u.dept, "--role", u.role, "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 3*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	run, text, login, logout := w.run, w.text, w.login, w.logout
	location := func() string {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(loc, p.url)
	}
	const complainant, content = "赵反映", "承办人收受申请执行人购物卡两张"

	login("o.cc")
	run("register the complaint",
		chromedp.Navigate(p.url+"/complaints/new"),
		chromedp.WaitVisible(css(`#c-content`)),
		chromedp.SetValue(css(`#c-channel`), "12368热线"),
		chromedp.SendKeys(css(`#c-name`), complainant),
		chromedp.SendKeys(css(`#c-phone`), "13900000001"),
		chromedp.SendKeys(css(`#c-staff`), "o.officer"),
		chromedp.SendKeys(css(`#c-content`), content),
		chromedp.Click(css(`input[name="categories"][value="C3"]`)),
		chromedp.Submit(css(`#c-content`)),
		chromedp.WaitNotPresent(css(`#c-content`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, content) || !strings.Contains(body, "被反映干警") || !strings.Contains(body, "尚未评估") {
		t.Fatalf("complaint page: %s", body)
	}
	complaintURL := location()
	logout()

	login("o.group")
	run("assess the lead",
		chromedp.Navigate(p.url+"/complaints"),
		chromedp.Click(css(`a[href="`+complaintURL+`"]`)),
		chromedp.WaitVisible(css(`#a-note`)),
		chromedp.Click(css(`input[name="lead"][value="clear"]`)),
		chromedp.SendKeys(css(`#a-note`), "反映对象、时间、事项具体，可查证"),
		chromedp.Submit(css(`#a-note`)),
		chromedp.WaitVisible(css(`a[href^="/clues/new"]`)),
	)
	if body := text("main"); !strings.Contains(body, "有明确线索：反映对象、时间、事项具体") {
		t.Fatalf("after the assessment: %s", body)
	}
	run("register the clue from the complaint",
		chromedp.Click(css(`a[href^="/clues/new"]`)),
		chromedp.WaitVisible(css(`#l-summary`)),
		chromedp.SendKeys(css(`#l-persons`), "o.officer"),
		chromedp.SendKeys(css(`#l-summary`), "反映承办人收受购物卡"),
		chromedp.Submit(css(`#l-summary`)),
		chromedp.WaitNotPresent(css(`#l-summary`)),
		chromedp.WaitVisible(css(`#c-verifier`)),
	)
	if body := text("main"); !strings.Contains(body, "被反映干警") || !strings.Contains(body, "未指定") {
		t.Fatalf("clue page: %s", body)
	}
	if src, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('a[href="`+complaintURL+`"]') !== null`)); err != nil || !src {
		t.Fatalf("the clue does not link its complaint %s: %v", complaintURL, err)
	}
	clueURL := location()
	run("assign himself",
		chromedp.SendKeys(css(`#c-verifier`), "o.group"),
		chromedp.Submit(css(`#c-verifier`)),
		chromedp.WaitVisible(css(`#c-note`)),
	)
	run("record a verification step",
		chromedp.SendKeys(css(`#c-note`), "调取监控，询问申请执行人，购物卡已退还"),
		chromedp.Submit(css(`#c-note`)),
		chromedp.WaitVisible(css(`#c-concl`)),
	)
	run("conclude 谈话提醒",
		chromedp.SetValue(css(`#c-concl`), "谈话提醒"),
		chromedp.SendKeys(css(`#c-basis`), "情节轻微，已主动退还，予以谈话提醒"),
		chromedp.Submit(css(`#c-basis`)),
		chromedp.WaitNotPresent(css(`#c-concl`)),
		chromedp.WaitVisible(css(`a[href^="/dispositions/"]`)),
	)
	if body := text("main"); !strings.Contains(body, "调取监控") || !strings.Contains(body, "谈话提醒（第一种形态") || !strings.Contains(body, "已办结") {
		t.Fatalf("after the conclusion: %s", body)
	}
	run("record the talk",
		chromedp.Click(css(`a[href^="/dispositions/"]`)),
		chromedp.WaitVisible(css(`#t-content`)),
		chromedp.SendKeys(css(`#t-place`), "纪检监察组谈话室"),
		chromedp.SendKeys(css(`#t-part`), "督办纪检、被反映干警"),
		chromedp.SendKeys(css(`#t-content`), "指出收受购物卡的问题，要求严守廉洁纪律"),
		chromedp.SendKeys(css(`#t-st`), "认识到错误"),
		chromedp.SendKeys(css(`#t-com`), "今后不再收受"),
		chromedp.Submit(css(`#t-content`)),
		chromedp.WaitVisible(css(`.prop strong`)),
	)
	if body := text("main"); !strings.Contains(body, "第一种形态") || !strings.Contains(body, "纪检监察组谈话室") || !strings.Contains(body, "表态承诺：今后不再收受") ||
		!strings.Contains(body, "问题线索") {
		t.Fatalf("after the talk: %s", body)
	}
	dispositionURL := location()
	logout()

	// The officer concerned, in the same browser, is shown none of it.
	login("o.officer")
	for _, u := range []string{complaintURL, clueURL, dispositionURL} {
		run("officer tries "+u, chromedp.Navigate(p.url+u), chromedp.WaitVisible(css(`.error-card`)))
		if body := text("body"); strings.Contains(body, complainant) || strings.Contains(body, "购物卡") || strings.Contains(body, "督办纪检") || strings.Contains(body, "谈话提醒") {
			t.Fatalf("the officer sees %s: %s", u, body)
		}
	}
	for _, u := range []string{"/complaints", "/clues", "/dispositions"} {
		run("officer lists "+u, chromedp.Navigate(p.url+u), chromedp.WaitVisible(css(`main`)))
		if body := text("body"); strings.Contains(body, complainant) || strings.Contains(body, "购物卡") || strings.Contains(body, "谈话提醒") {
			t.Fatalf("the officer's %s: %s", u, body)
		}
	}
	logout()

	login("o.office")
	run("the suggestion",
		chromedp.Navigate(p.url+"/rectifications/new"),
		chromedp.WaitVisible(css(`#s-improve`)),
		chromedp.SendKeys(css(`#s-problem`), "案款发放不及时，当事人多次反映"),
		chromedp.SendKeys(css(`#s-evidence`), "回访记录"),
		chromedp.SendKeys(css(`#s-improve`), "建立案款到账提醒和限期发放制度"),
		chromedp.Submit(css(`#s-improve`)),
		chromedp.WaitNotPresent(css(`#s-improve`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "建立案款到账提醒") || !strings.Contains(body, "尚未分解整改事项") {
		t.Fatalf("suggestion page: %s", body)
	}
	rectURL := location()
	logout()

	login("o.bureau")
	run("open the rectification", chromedp.Navigate(p.url+rectURL), chromedp.WaitVisible(css(`#i-task`)))
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const s = document.querySelector('#i-resp');
		const o = [...s.options].find(o => o.text.includes('被反映干警'));
		if (!o) return false;
		s.value = o.value;
		return true;
	})()`)); err != nil || !ok {
		t.Fatalf("the officer is not among the responsible persons: %v\n%s", err, text("main"))
	}
	run("add an item",
		chromedp.SendKeys(css(`#i-unit`), "执行一庭"),
		chromedp.SendKeys(css(`#i-task`), "梳理在账案款，逐案限期发放"),
		chromedp.Submit(css(`#i-task`)),
		chromedp.WaitVisible(css(`h2.card-title .badge`)),
	)
	if body := text("main"); !strings.Contains(body, "执行一庭 · 被反映干警") || !strings.Contains(body, "待整改") {
		t.Fatalf("after the item: %s", body)
	}
	logout()

	login("o.officer")
	run("report and submit",
		chromedp.Navigate(p.url+"/rectifications"),
		chromedp.Click(css(`a[href="`+rectURL+`"]`)),
		chromedp.WaitVisible(css(`textarea[name="measures"]`)),
		chromedp.SendKeys(css(`textarea[name="measures"]`), "逐案核对在账案款，已全部发放"),
		chromedp.SendKeys(css(`textarea[name="outcome"]`), "在账超期案款清零"),
		chromedp.SendKeys(css(`input[name="rule_title"]`), "案款发放管理办法"),
		chromedp.SendKeys(css(`input[name="rule_number"]`), "鲁0102执〔2026〕1号"),
		chromedp.SetValue(css(`input[name="rule_on"]`), time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")),
		chromedp.Click(css(`button[name="submit"][value="1"]`)),
		chromedp.WaitNotPresent(css(`textarea[name="measures"]`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "待验收") || !strings.Contains(body, "案款发放管理办法") {
		t.Fatalf("after the submission: %s", body)
	}
	logout()

	login("o.office")
	run("accept",
		chromedp.Navigate(p.url+rectURL),
		chromedp.WaitVisible(css(`button[name="decision"][value="accept"]`)),
		chromedp.Click(css(`button[name="decision"][value="accept"]`)),
		chromedp.WaitNotPresent(css(`button[name="decision"][value="accept"]`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "已销号") || !strings.Contains(body, "在账超期案款清零") {
		t.Fatalf("after the acceptance: %s", body)
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/testdb"
)

// A case review walked through the browser (issue 16), after the users and
// two closed cases are made: the bureau of 鲁01 organises it with the
// group of the three bodies, draws (the draw verifies on the page) and
// assigns the two cases to the two watchdogs across courts; each declares
// and scores, one records a finding about the officer; the officer answers
// it from his to-dos; the leader sums up, keeps the finding and turns it
// into a rectification, issues the 通报 and moves to 整改; the officer
// reports, the 监察室 accepts the item, and the leader finishes.
func TestInspectionInTheBrowser(t *testing.T) {
	started := time.Now()
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Insp#2026xyz"
	for _, u := range []struct{ name, full, court, dept, role string }{
		{"i.lead", "评查组长", "鲁01", "执行局", "bureau"}, {"i.grp", "评查纪检", "鲁01", "派驻纪检监察组", "discipline_group"},
		{"i.sup", "评查监察", "鲁01", "监察室", "supervision_office"}, {"i.off", "评查承办人", "鲁0102", "执行一庭", "officer"},
	} {
		if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", u.name, "--name", u.full, "--court", u.court,
			"--department", u.dept, "--role", u.role, "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	var b strings.Builder
	b.WriteString("案号,立案日期,承办人,承办部门,结案日期,结案方式,申请执行人,申请执行人电话\n")
	for i := 1; i <= 2; i++ {
		filed := now.AddDate(0, 0, -200)
		fmt.Fprintf(&b, "（%d）鲁0102执%d号,%s,评查承办人,执行一庭,%s,执行完毕,李强%d,1380000001%d\n", filed.Year(), 700+i,
			filed.Format("2006-01-02"), now.AddDate(0, 0, -20-i).Format("2006-01-02"), i, i)
	}
	file := filepath.Join(t.TempDir(), "closed.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatal(out, errs)
	}
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 3*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	run, text, login, logout := w.run, w.text, w.login, w.logout
	js := func(what, script string) {
		t.Helper()
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil || !ok {
			t.Fatalf("%s: %v\n%s", what, err, text("main"))
		}
	}
	// clear removes the flash of the last step, so that waiting for the
	// next one waits for the page the next step brings.
	clear := func() {
		t.Helper()
		js("clear the flash", `(() => { document.querySelectorAll('.flash').forEach(e => e.remove()); return true; })()`)
	}
	state := func(want string) {
		t.Helper()
		if got := strings.TrimSpace(text("#insp-state")); got != want {
			t.Fatalf("campaign in %s, want %s:\n%s", got, want, text("main"))
		}
	}

	login("i.lead")
	run("the form", chromedp.Navigate(p.url+"/inspections/new"), chromedp.WaitVisible(css(`#i-title`)))
	js("the group", `(() => { document.querySelectorAll('input[name="member"]').forEach(c => c.checked = true); return document.querySelectorAll('input[name="member"]').length === 3; })()`)
	run("organise",
		chromedp.SendKeys(css(`#i-title`), "执行案款管理情况交叉评查"),
		chromedp.SendKeys(css(`#i-courts`), "鲁0102"),
		chromedp.SendKeys(css(`#i-plan`), "抽取鲁0102近三个月执结案件，交叉评查。"),
		chromedp.SetValue(css(`#i-per`), "2"),
		chromedp.Submit(css(`#i-title`)),
		chromedp.WaitVisible(css(`#insp-draw`)),
	)
	state("筹备")
	campaign, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	campaign = strings.TrimPrefix(campaign, p.url)
	clear()
	run("draw", chromedp.Click(css(`#insp-draw`)), chromedp.WaitVisible(css(`.flash-success`)))
	if body := text("main"); strings.Count(body, "随机抽取") < 2 || !strings.Contains(body, "一致") || strings.Contains(body, "不一致") {
		t.Fatalf("after the draw: %s", body)
	}
	for i, who := range []string{"评查纪检", "评查监察"} {
		clear()
		js("assign "+who, fmt.Sprintf(`(() => {
			const f = document.querySelectorAll('form[action$="/assign"]')[%d];
			const s = f.querySelector('select'); const o = [...s.options].find(o => o.text === %q);
			if (!o) return false; s.value = o.value; f.requestSubmit(); return true; })()`, i, who))
		run("assigned "+who, chromedp.WaitVisible(css(`.flash-success`)))
	}
	clear()
	run("start", chromedp.Click(css(`form[action$="/move"] button`)), chromedp.WaitVisible(css(`.flash-success`)))
	state("实施")
	logout()

	var findingPage string
	for _, rv := range []struct {
		user    string
		deduct  bool
		finding bool
	}{{"i.grp", true, true}, {"i.sup", false, false}} {
		login(rv.user)
		run(rv.user+" opens his sheet from the to-dos", chromedp.Navigate(p.url+"/"), chromedp.Click(css(`a[href*="/targets/"]`)), chromedp.WaitVisible(css(`#declare`)))
		run(rv.user+" declares", chromedp.Click(css(`#declare`)), chromedp.WaitVisible(css(`#submit-sheet`)))
		if rv.finding {
			clear()
			run("record a finding about the officer",
				chromedp.SetValue(css(`#category`), "执行案款管理"),
				chromedp.SendKeys(css(`#text`), "案款到账后超过三十日未发放，无延缓发放审批。"),
				chromedp.Click(css(`#add-finding`)),
				chromedp.WaitVisible(css(`p[id^="finding-"]`)),
			)
		}
		if rv.deduct {
			run("deduct", chromedp.SetValue(css(`#deduction_0`), "5"), chromedp.SendKeys(css(`#note_0`), "发放超期"))
		}
		run(rv.user+" submits", chromedp.SendKeys(css(`#onsite`), "调阅电子卷宗"), chromedp.Click(css(`#submit-sheet`)), chromedp.WaitVisible(css(`#sheet-grade`)))
		if g := text("#sheet-grade"); g != "优秀" {
			t.Fatalf("%s's sheet graded %s", rv.user, g)
		}
		logout()
	}

	login("i.off")
	run("the officer's to-do", chromedp.Navigate(p.url+"/"), chromedp.Click(css(`a[href*="#finding-"]`)), chromedp.WaitVisible(css(`textarea[name="answer"]`)))
	if body := text("main"); strings.Contains(body, "调阅电子卷宗") || strings.Contains(body, "抽取记录") || strings.Contains(body, "发放超期") {
		t.Fatalf("the officer sees the reviewers' work: %s", body)
	}
	findingPage = campaign
	clear()
	run("answer",
		chromedp.SendKeys(css(`textarea[name="answer"]`), "申请执行人账户被冻结，无法发放，已于次月发放。"),
		chromedp.Submit(css(`textarea[name="answer"]`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	logout()

	login("i.lead")
	run("sum up", chromedp.Navigate(p.url+findingPage), chromedp.Click(css(`form[action$="/move"] button`)), chromedp.WaitVisible(css(`input[name="reason"]`)))
	state("汇总")
	run("keep the finding", chromedp.SendKeys(css(`input[name="reason"]`), "账户冻结不影响提存，申辩不成立。"), chromedp.Submit(css(`input[name="reason"]`)),
		chromedp.WaitVisible(css(`input[name="task"]`)))
	run("rectify", chromedp.SendKeys(css(`input[name="task"]`), "立即发放并建立案款台账"), chromedp.Submit(css(`input[name="task"]`)),
		chromedp.WaitVisible(css(`a[href^="/rectifications/"]`)))
	clear()
	run("the 通报, then 整改", chromedp.Click(css(`form[action$="/move"] button`)), chromedp.WaitVisible(css(`.flash-success`)))
	state("整改")
	run("read the 通报", chromedp.Navigate(p.url+campaign+"/report"), chromedp.WaitVisible(css(`.sheet-title`)))
	if body := text("main"); !strings.Contains(body, "执行案款管理情况交叉评查") || !strings.Contains(body, "执行案款管理问题1个") || !strings.Contains(body, "立即发放") && !strings.Contains(body, "案款到账后超过三十日") {
		t.Fatalf("the 通报: %s", body)
	}
	run("back to the campaign", chromedp.Navigate(p.url+campaign), chromedp.WaitVisible(css(`#insp-state`)))
	logout()

	login("i.off")
	run("report the item",
		chromedp.Navigate(p.url+"/rectifications"),
		chromedp.Click(css(`a[href^="/rectifications/"]`)),
		chromedp.WaitVisible(css(`textarea[name="measures"]`)),
		chromedp.SendKeys(css(`textarea[name="measures"]`), "案款已全部发放，建立台账"),
		chromedp.SendKeys(css(`textarea[name="outcome"]`), "超期案款清零"),
		chromedp.Click(css(`button[name="submit"][value="1"]`)),
		chromedp.WaitNotPresent(css(`textarea[name="measures"]`)),
	)
	rect, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	logout()

	login("i.sup")
	run("accept", chromedp.Navigate(rect), chromedp.Click(css(`button[name="decision"][value="accept"]`)),
		chromedp.WaitNotPresent(css(`button[name="decision"][value="accept"]`)))
	if body := text("main"); !strings.Contains(body, "已销号") {
		t.Fatalf("after the acceptance: %s", body)
	}
	logout()

	login("i.lead")
	clear()
	run("finish", chromedp.Navigate(p.url+campaign), chromedp.Click(css(`form[action$="/move"] button`)), chromedp.WaitVisible(css(`.flash-success`)))
	state("完成")
	t.Logf("walked in %s", time.Since(started).Round(time.Second))
}

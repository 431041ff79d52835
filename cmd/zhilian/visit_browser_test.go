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

// One visit walked in the browser, as the people who do it would: the
// command centre draws last month's batch, texts the party, registers the
// reply 不满意 and the phone visit on the 附件3 form; the bureau, the
// discipline group and the supervision office each give their decision
// from their to-do list; the group records the on-site visit.
func TestVisitInTheBrowser(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Walk#2026xyz"
	for _, u := range []struct{ name, dept, role string }{
		{"w.cc", "执行指挥中心", "command_center"}, {"w.bureau", "执行局", "bureau"},
		{"w.group", "派驻纪检监察组", "discipline_group"}, {"w.office", "监察室", "supervision_office"}, {"w.officer", "执行一庭", "officer"},
	} {
		if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", u.name, "--name", "步行"+u.role, "--court", "鲁0102",
			"--department", u.dept, "--role", u.role, "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	// Two cases closed last month, by the server's clock.
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	var b strings.Builder
	b.WriteString("案号,立案日期,承办人,承办部门,结案日期,结案方式,申请执行人,申请执行人电话\n")
	for i := 1; i <= 2; i++ {
		fmt.Fprintf(&b, "（%d）鲁0102执%d号,%s,步行officer,执行一庭,%s,执行完毕,王芳%d,1380000000%d\n", last.Year(), i, last.AddDate(0, -3, 0).Format("2006-01-02"), last.AddDate(0, 0, 9+i).Format("2006-01-02"), i, i)
	}
	file := filepath.Join(t.TempDir(), "closed.csv")
	os.WriteFile(file, []byte(b.String()), 0o600)
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatal(out, errs)
	}
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 3*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	run, text, login, logout := w.run, w.text, w.login, w.logout

	login("w.cc")
	var visitURL string
	run("draw", chromedp.Navigate(p.url+"/visit-batches"), chromedp.Submit(css(`#b-month`)), chromedp.WaitVisible(css(`.verify-ok`)))
	if body := text("main"); !strings.Contains(body, "复核通过") || !strings.Contains(body, "入选案件") {
		t.Fatalf("batch page: %s", body)
	}
	run("open the visit", chromedp.Navigate(p.url+"/visits"), chromedp.Click(css(`td.col-actions a`)),
		chromedp.WaitReady(css(`input[name="event"][value="start"], #v-reply`)))
	// The start_visits job may have texted the party already; if not, the
	// command centre does it from the page.
	notStarted, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[name="event"][value="start"]') !== null`))
	if err != nil {
		t.Fatal(err)
	}
	if notStarted {
		run("send the SMS", chromedp.Submit(css(`input[name="event"][value="start"]`)), chromedp.WaitVisible(css(`#v-reply`)))
	}
	run("register the reply", chromedp.SendKeys(css(`#v-reply`), "不满意，案款一直没给"), chromedp.Submit(css(`#v-reply`)),
		chromedp.WaitReady(css(`input[name="event"][value="phone_recorded"]`)), chromedp.WaitVisible(css(`input[name="satisfied"][value="no"]`)))
	run("record the phone visit",
		chromedp.Click(css(`input[name="satisfied"][value="no"]`)),
		chromedp.Click(css(`input[name="item"][value="C1.6"]`)),
		chromedp.Click(css(`input[name="item"][value="C3.2"]`)),
		chromedp.SendKeys(css(`textarea[name="text"]`), "电话中反映承办人接受吃请"),
		chromedp.Submit(css(`textarea[name="text"]`)),
		// The next page has no phone form: waiting for a flash alone could
		// catch the previous page's.
		chromedp.WaitNotPresent(css(`input[name="event"][value="phone_recorded"]`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "待会商") || !strings.Contains(body, "接受当事人吃请") {
		t.Fatalf("after the phone visit: %s", body)
	}
	visitURL, err = chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	logout()

	// Each body has the consultation on its to-do list; the supervision
	// office records the consultation of the three at once.
	for _, u := range []string{"w.bureau", "w.group", "w.office"} {
		login(u)
		if home := text("main"); !strings.Contains(home, "会商回访情况") {
			t.Fatalf("%s's to-do list: %s", u, home)
		}
		if u != "w.office" {
			logout()
		}
	}
	run("the consultation", chromedp.Click(css(`td a[href^="/visits/"]`)), chromedp.WaitVisible(css(`#k-conclusion`)),
		chromedp.SendKeys(css(`#k-part-bureau`), "执行局 甲"), chromedp.SendKeys(css(`#k-person-bureau`), "执行局 甲"),
		chromedp.SendKeys(css(`#k-part-discipline_group`), "纪检监察组 乙"), chromedp.SendKeys(css(`#k-person-discipline_group`), "纪检监察组 乙"),
		chromedp.SendKeys(css(`#k-part-supervision_office`), "监察室 丙"), chromedp.SendKeys(css(`#k-person-supervision_office`), "监察室 丙"),
		chromedp.SendKeys(css(`#k-conclusion`), "同意实地回访"),
		chromedp.Submit(css(`#k-conclusion`)), chromedp.WaitNotPresent(css(`#k-conclusion`)), chromedp.WaitVisible(css(`.flash-success`)))
	if body := text("main"); !strings.Contains(body, "会商记录") || !strings.Contains(body, "监察室 丙") {
		t.Fatalf("after the consultation: %s", body)
	}
	logout()
	login("w.group")
	run("on-site visit", chromedp.Navigate(visitURL), chromedp.WaitVisible(css(`#o-measures`)),
		chromedp.SendKeys(css(`#o-measures`), "约谈承办人，督促发放案款"), chromedp.SendKeys(css(`#o-suggestions`), "健全案款发放提醒"),
		chromedp.Submit(css(`#o-measures`)), chromedp.WaitNotPresent(css(`#o-measures`)), chromedp.WaitVisible(css(`.flash-success`)))
	if body := text("main"); !strings.Contains(body, "实地回访完成") || !strings.Contains(body, "约谈承办人") {
		t.Fatalf("after the on-site visit: %s", body)
	}
	logout()
	// The officer of the case, in the same browser, is shown none of it.
	login("w.officer")
	run("officer tries the visit", chromedp.Navigate(visitURL), chromedp.WaitVisible(css(`.error-card`)))
	if body := text("main"); strings.Contains(body, "吃请") || strings.Contains(body, "王芳") {
		t.Fatalf("the officer sees the visit: %s", body)
	}
}

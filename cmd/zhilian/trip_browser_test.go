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

// One trip walked in the browser: the officer registers it before
// departure with a colleague from the court's staff, the department head
// gives the discipline requirements from the to-do list, the officer
// files 附件1 answering 有 to one item and signs, his colleague files and
// signs his own, and the alert reaches the discipline group, who
// concludes.
func TestTripInTheBrowser(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Trip#2026xyz"
	for _, u := range []struct{ name, full, dept, role string }{
		{"t.off", "外出officer", "执行一庭", "officer"}, {"t.head", "外出head", "执行一庭", "dept_head"}, {"t.group", "外出group", "派驻纪检监察组", "discipline_group"},
		{"t.mate", "外出mate", "执行二庭", "officer"},
	} {
		if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", u.name, "--name", u.full, "--court", "鲁0102",
			"--department", u.dept, "--role", u.role, "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	bj := time.FixedZone("CST", 8*3600)
	now := time.Now().In(bj)
	number := fmt.Sprintf("（%d）鲁0102执1号", now.Year())
	csv := "案号,立案日期,承办人,承办部门,申请执行人,申请执行人电话\n" + number + "," + now.AddDate(0, -2, 0).Format("2006-01-02") + ",外出officer,执行一庭,王芳,13800000001\n"
	file := filepath.Join(t.TempDir(), "open.csv")
	os.WriteFile(file, []byte(csv), 0o600)
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatal(out, errs)
	}
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 3*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	run, text, login, logout := w.run, w.text, w.login, w.logout

	// Leaving in a few minutes, back a few minutes later, today.
	depart, back := now.Add(3*time.Minute), now.Add(6*time.Minute)
	login("t.off")
	run("register",
		chromedp.Navigate(p.url+"/trips/new"),
		chromedp.WaitVisible(css(`#t-cases`)),
		chromedp.SendKeys(css(`#t-cases`), number),
		// The destination by its name, as typed: the picker offers the
		// full name from /divisions.json.
		chromedp.SendKeys(css(`#t-dest`), "青岛市市北"),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="t-dest-suggest"]/li[.="山东省青岛市市北区"]`)),
		chromedp.SendKeys(css(`#t-dest`), "区"),
		chromedp.SetValue(css(`#t-depart`), depart.Format("2006-01-02T15:04")),
		chromedp.SetValue(css(`#t-return`), back.Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.Search(`//label[contains(., "外出mate")]/input[@name="travellers"]`)),
		chromedp.SendKeys(css(`#t-companions`), "协助执行的公安民警李四"),
		chromedp.SendKeys(css(`#t-task`), "查封被执行人在青岛的房产"),
		chromedp.Submit(css(`#t-task`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "本法院辖区之外，须报告") || !strings.Contains(body, "山东省青岛市市北区") || !strings.Contains(body, "外出mate（执行二庭）") {
		t.Fatalf("trip page: %s", body)
	}
	tripURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	logout()

	login("t.head")
	run("the requirement from the to-do list",
		chromedp.Click(css(`a[href="`+strings.TrimPrefix(tripURL, p.url)+`"]`)),
		chromedp.WaitVisible(css(`input[name="given"][value="yes"]`)),
		chromedp.Click(css(`input[name="given"][value="yes"]`)),
		chromedp.SendKeys(css(`#r-content`), "严守办案纪律，不得接受当事人宴请"),
		chromedp.Submit(css(`#r-content`)),
		chromedp.WaitNotPresent(css(`#r-content`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "严守办案纪律") || strings.Contains(body, "视为未提出") {
		t.Fatalf("after the requirement: %s", body)
	}
	logout()

	login("t.off")
	actions := []chromedp.Action[chromedp.Void]{chromedp.Navigate(tripURL), chromedp.WaitVisible(css(`input[name="T1"][value="no"]`))}
	for i := 1; i <= 7; i++ {
		v := "no"
		if i == 2 {
			v = "yes"
		}
		actions = append(actions, chromedp.Click(css(fmt.Sprintf(`input[name="T%d"][value="%s"]`, i, v))))
	}
	actions = append(actions,
		chromedp.SetValue(css(`#p-returned`), back.Format("2006-01-02")),
		// 案件执行情况: one account per case of the trip.
		chromedp.SendKeys(css(`textarea[name^="case_"]`), "查封被执行人名下房产一处"),
		chromedp.SendKeys(css(`#p-explain`), "当事人送土特产一箱，已当场退还"),
		chromedp.Click(css(`input[name="attest"]`)),
		chromedp.SendKeys(css(`#sign-pw`), pw),
		chromedp.Submit(css(`#p-explain`)),
		// The next page offers a supplement with the same form: wait for
		// the filed report instead.
		chromedp.WaitVisible(css(`.report .badge-success`)),
	)
	run("file 附件1", actions...)
	if body := text("main"); !strings.Contains(body, "签名有效") || !strings.Contains(body, "有　是否接受有关单位、人员的礼品礼金") || strings.Contains(body, "报告审查") ||
		!strings.Contains(body, "查封被执行人名下房产一处") {
		t.Fatalf("after the report: %s", body)
	}
	logout()

	// The colleague files and signs his own, from his list of trips.
	login("t.mate")
	mine := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(p.url + "/trips"),
		chromedp.Click(css(`a[href="` + strings.TrimPrefix(tripURL, p.url) + `"]`)),
		chromedp.WaitVisible(css(`input[name="T1"][value="no"]`)),
	}
	for i := 1; i <= 7; i++ {
		mine = append(mine, chromedp.Click(css(fmt.Sprintf(`input[name="T%d"][value="no"]`, i))))
	}
	mine = append(mine,
		chromedp.SetValue(css(`#p-returned`), back.Format("2006-01-02")),
		chromedp.SendKeys(css(`textarea[name^="case_"]`), "协助查封，制作现场笔录"),
		chromedp.Click(css(`input[name="attest"]`)),
		chromedp.SendKeys(css(`#sign-pw`), pw),
		chromedp.Submit(css(`#p-explain`)),
		chromedp.WaitVisible(css(`.report .badge-success`)),
	)
	run("the colleague files his own 附件1", mine...)
	if body := text("main"); !strings.Contains(body, "协助查封，制作现场笔录") || strings.Contains(body, "查封被执行人名下房产一处") || !strings.Contains(body, "已报告") {
		t.Fatalf("after the colleague's report: %s", body)
	}
	logout()

	login("t.group")
	if home := text("main"); !strings.Contains(home, "审查外出报告（报告单有“有”项）") || !strings.Contains(home, "外出officer赴山东省青岛市市北区") {
		t.Fatalf("the group's home: %s", home)
	}
	run("conclude the review",
		chromedp.Click(css(`a[href^="/trip-reviews/"]`)),
		chromedp.WaitVisible(css(`form[action$="/conclude"] input[name="text"]`)),
		chromedp.SendKeys(css(`form[action$="/conclude"] input[name="text"]`), "已退还，予以提醒"),
		chromedp.Submit(css(`form[action$="/conclude"] input[name="text"]`)),
		chromedp.WaitNotPresent(css(`form[action$="/conclude"]`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "已退还，予以提醒") || !strings.Contains(body, "派驻纪检监察组") {
		t.Fatalf("after the conclusion: %s", body)
	}
	if dir := os.Getenv("ZHILIAN_SCREENSHOTS"); dir != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, "trip.png"), png, 0o644)
		}
	}
}

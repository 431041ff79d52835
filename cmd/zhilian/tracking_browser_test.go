package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/testdb"
)

// One key case walked in the browser from candidate to closing report
// (issue 15): a case imported flagged 有较大社会影响 is a candidate; the
// bureau refreshes the list and evaluates it 建议跟踪 (after a form
// refused beside its field) and records the consultation; the bureau,
// the discipline group and the supervision office each state 同意, so the
// case is tracked and the minutes print; the office forms the working
// group, refused first for naming the case's own officer; a member writes
// a record, decides the node finding, interviews the applicant and
// recommends to the bureau, whose rectification is then listed; the
// leader writes the closing report and the tracking ends. The officer of
// the case — who also serves the bureau, so he is offered for the group —
// and his department head get nothing of it.
func TestTrackingInTheBrowser(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Track#2026xyz"
	for _, u := range []struct {
		name, full, dept string
		roles            []string
	}{
		{"k.bur", "跟踪执行局", "执行局", []string{"bureau"}}, {"k.grp", "跟踪纪检", "派驻纪检监察组", []string{"discipline_group"}},
		{"k.sup", "跟踪监察", "监察室", []string{"supervision_office"}},
		{"k.off", "承办干警", "执行一庭", []string{"officer", "bureau"}}, {"k.head", "执行一庭庭长", "执行一庭", []string{"dept_head"}},
	} {
		args := []string{"users", "add", "--db", dsn, "--username", u.name, "--name", u.full, "--court", "鲁0102", "--department", u.dept, "--password-stdin"}
		for _, r := range u.roles {
			args = append(args, "--role", r)
		}
		if code, _, errs := cli(t, pw+"\n", args...); code != 0 {
			t.Fatal(errs)
		}
	}
	bj := time.FixedZone("CST", 8*3600)
	now := time.Now().In(bj)
	today := now.Format("2006-01-02")
	number := fmt.Sprintf("（%d）鲁0102执7号", now.Year())
	csv := "案号,立案日期,承办人,承办部门,申请执行人,申请执行人电话,被执行人,较大社会影响\n" +
		number + "," + now.AddDate(0, -2, 0).Format("2006-01-02") + ",承办干警,执行一庭,孙建华,13800000007,某置业有限公司,是\n"
	file := filepath.Join(t.TempDir(), "key.csv")
	os.WriteFile(file, []byte(csv), 0o600)
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatal(out, errs)
	}
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 2*time.Minute)
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
	// fieldError is the message shown beside the field sel, in the same
	// .field (or fieldset), or "".
	fieldError := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const f = document.querySelector(`+"`"+sel+"`"+`)?.closest('.field, fieldset, form');
			return f?.querySelector('.field-error')?.textContent ?? '';
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// stale marks the page on screen, so that a wait after a submission
	// sees only the page that answers it (both may show a flash).
	stale := chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`document.body.dataset.stale = "1"; true`)(ctx, tg)
		return chromedp.Void{}, err
	})
	flashed := chromedp.WaitVisible(css(`body:not([data-stale]) .flash-success`))
	has := func(sel string) bool {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(`+"`"+sel+"`"+`) !== null`))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	// pick chooses the option of select sel whose text holds label.
	pick := func(sel, label string) {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const s = document.querySelector(`+"`"+sel+"`"+`);
			const o = s && [...s.options].find(o => o.text.includes(`+"`"+label+"`"+`));
			if (!o) return false;
			s.value = o.value;
			return true;
		})()`))
		if err != nil || !ok {
			t.Fatalf("%s has no option %s: %v\n%s", sel, label, err, text("main"))
		}
	}

	// The bureau refreshes the candidates and finds the case with its
	// reason in the seed's words, since today.
	login("k.bur")
	run("refresh the candidates",
		chromedp.Navigate(p.url+"/tracking"),
		stale,
		chromedp.Submit(css(`form[action="/tracking/refresh"] button`)),
		flashed,
	)
	if flash := text(".flash-success"); !strings.Contains(flash, "已更新重点执行案件候选") {
		t.Fatalf("after the refresh: %s", flash)
	}
	row := `//table//tr[td[contains(., "` + number + `")]]`
	rowText, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(row)))
	if err != nil {
		t.Fatalf("no candidate row for %s: %v\n%s", number, err, text("main"))
	}
	if !strings.Contains(rowText, "有较大社会影响（自"+today+"）") || !strings.Contains(rowText, "执行一庭") || !strings.Contains(rowText, "待评估") {
		t.Fatalf("candidate row: %s", rowText)
	}
	run("open the candidate", chromedp.Click(chromedp.Search(row+`//a[text()="查看"]`)), chromedp.WaitVisible(css(`#e-reasoning`)))
	trackURL := location()
	if body := text("main"); !strings.Contains(body, number+" 待评估") || !strings.Contains(body, "有较大社会影响") || !strings.Contains(body, "尚未评估（应于") {
		t.Fatalf("candidate page: %s", body)
	}

	run("an evaluation without its result",
		chromedp.SendKeys(css(`#e-reasoning`), "标的大，社会关注度高"),
		stale,
		chromedp.Submit(css(`#e-reasoning`)),
		chromedp.WaitVisible(css(`.field-error`)),
	)
	if msg := fieldError(`input[name="result"]`); msg != "请选择评估结果：建议跟踪或不予跟踪" {
		t.Fatalf("beside 评估结果: %q\n%s", msg, text("main"))
	}
	if msg := fieldError(`#s-media`); msg != "请为“媒体关注”评分（0至5）" {
		t.Fatalf("beside 媒体关注: %q", msg)
	}
	run("evaluate 建议跟踪",
		chromedp.SendKeys(css(`#s-amount`), "5"),
		chromedp.SendKeys(css(`#s-parties`), "4"),
		chromedp.SendKeys(css(`#s-media`), "5"),
		chromedp.SendKeys(css(`#s-complaints`), "2"),
		chromedp.SendKeys(css(`#s-findings`), "1"),
		chromedp.Click(css(`input[name="result"][value="track"]`)),
		chromedp.SendKeys(css(`#e-reasoning`), "标的大，社会关注度高，建议列入跟踪"),
		stale,
		chromedp.Submit(css(`#e-reasoning`)),
		chromedp.WaitVisible(css(`#c-minutes`)),
	)
	if body := text("main"); !strings.Contains(body, "建议跟踪，待会商") || !strings.Contains(body, "已登记综合评估：建议跟踪。") || !strings.Contains(body, "标的大，社会关注度高，建议列入跟踪") ||
		!strings.Contains(body, "评估人") || !strings.Contains(body, "跟踪执行局") {
		t.Fatalf("after the evaluation: %s", body)
	}
	run("record the consultation",
		chromedp.SendKeys(css(`#c-place`), "执行局会议室"),
		chromedp.SendKeys(css(`#c-bureau`), "跟踪执行局"),
		chromedp.SendKeys(css(`#c-discipline_group`), "跟踪纪检"),
		chromedp.SendKeys(css(`#c-supervision_office`), "跟踪监察"),
		chromedp.SendKeys(css(`#c-minutes`), "三家会商，一致认为本案应列入重点案件跟踪监督"),
		stale,
		chromedp.Submit(css(`#c-minutes`)),
		chromedp.WaitNotPresent(css(`#c-minutes`)),
		chromedp.WaitVisible(css(`form[action$="/opinion"] textarea`)),
	)
	if body := text("main"); !strings.Contains(body, "会商中") || !strings.Contains(body, "执行局会议室") || !strings.Contains(body, "待登记") {
		t.Fatalf("after the consultation: %s", body)
	}
	// opinion states body's 同意 on the tracking page it is on.
	opinion := func(body, label, words string) {
		t.Helper()
		form := `form[action$="/opinion"]:has(input[name="role"][value="` + body + `"])`
		run(label+" 同意",
			chromedp.WaitVisible(css(form+` textarea[name="opinion"]`)),
			chromedp.Click(css(form+` input[name="agree"][value="yes"]`)),
			chromedp.SendKeys(css(form+` textarea[name="opinion"]`), words),
			stale,
			chromedp.Submit(css(form+` textarea[name="opinion"]`)),
			chromedp.WaitNotPresent(css(form)),
			flashed,
		)
		if page := text("main"); !strings.Contains(page, "已登记"+label+"会商意见。") || !strings.Contains(page, words) {
			t.Fatalf("after the opinion of %s: %s", label, page)
		}
	}
	opinion("bureau", "执行局", "同意跟踪，执行局派员参加")
	logout()

	// The two watchdogs each find the opinion owed on their home page.
	for _, b := range []struct{ user, role, label, words string }{
		{"k.grp", "discipline_group", "派驻纪检监察组", "同意，纪检监察组专责监督"},
		{"k.sup", "supervision_office", "监察室", "同意，监察室派员参加"},
	} {
		login(b.user)
		if home := text("main"); !strings.Contains(home, "会商意见（"+b.label+"）") || !strings.Contains(home, number) {
			t.Fatalf("%s's home: %s", b.user, home)
		}
		run(b.user+" opens the to-do", chromedp.Click(css(`main a[href="`+trackURL+`"]`)), chromedp.WaitVisible(css(`h1.page-title`)))
		opinion(b.role, b.label, b.words)
		if b.user == "k.grp" {
			logout()
		}
	}
	if body := text("main"); !strings.Contains(body, "决定跟踪，待组成工作小组") {
		t.Fatalf("after three 同意: %s", body)
	}
	run("print the minutes", chromedp.Click(css(`a[href="`+trackURL+`/minutes"]`)), chromedp.WaitVisible(css(`main.sheet`)))
	if sheet := text("main.sheet"); !strings.Contains(sheet, "重点案件会商纪要") || !strings.Contains(sheet, "案号："+number) ||
		!strings.Contains(sheet, "有较大社会影响（自"+today+"）") || !strings.Contains(sheet, "建议跟踪（综合得分") ||
		!strings.Contains(sheet, "意见：同意。同意跟踪，执行局派员参加（跟踪执行局") || !strings.Contains(sheet, "意见：同意。同意，纪检监察组专责监督（跟踪纪检") ||
		!strings.Contains(sheet, "意见：同意。同意，监察室派员参加（跟踪监察") || !strings.Contains(sheet, "三家会商，一致认为") ||
		!strings.Contains(sheet, "决定跟踪，待组成工作小组") {
		t.Fatalf("minutes: %s", sheet)
	}

	// The office forms the group; naming the case's officer is refused.
	groupTo := now.AddDate(0, 2, 0).Format("2006-01-02")
	member := func(name, role string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(css(`select[aria-label="`+name+`派员单位"]`), role)
	}
	run("a group with the case's officer",
		chromedp.Navigate(p.url+trackURL),
		chromedp.WaitVisible(css(`#g-plan`)),
		member("承办干警", "bureau"), member("跟踪执行局", "bureau"), member("跟踪纪检", "discipline_group"), member("跟踪监察", "supervision_office"),
		chromedp.Click(css(`input[aria-label="跟踪纪检任组长"]`)),
		chromedp.SetValue(css(`#g-to`), groupTo),
		chromedp.SendKeys(css(`#g-plan`), "调阅卷宗，网上巡查，询问当事人"),
		stale,
		chromedp.Submit(css(`#g-plan`)),
		chromedp.WaitVisible(css(`form[action$="/group"] .field-error`)),
	)
	if msg := text(`form[action$="/group"] .field-error`); msg != "承办干警承办或曾承办本案，应当回避，不能担任工作小组成员" {
		t.Fatalf("beside the members: %q", msg)
	}
	run("form the group",
		member("跟踪执行局", "bureau"), member("跟踪纪检", "discipline_group"), member("跟踪监察", "supervision_office"),
		chromedp.Click(css(`input[aria-label="跟踪纪检任组长"]`)),
		chromedp.SetValue(css(`#g-to`), groupTo),
		chromedp.SendKeys(css(`#g-plan`), "调阅卷宗，网上巡查，询问当事人"),
		stale,
		chromedp.Submit(css(`#g-plan`)),
		chromedp.WaitNotPresent(css(`#g-plan`)),
		flashed,
	)
	if body := text("main"); !strings.Contains(body, number+" 跟踪中") || !strings.Contains(body, "工作小组已组成，开始跟踪监督。") ||
		!strings.Contains(body, today+" 至 "+groupTo) || !strings.Contains(body, "跟踪纪检\t派驻纪检监察组\t组长") || strings.Contains(body, "承办干警") {
		t.Fatalf("after the group: %s", body)
	}

	// A member at work: a record, the node finding, an interview, a
	// recommendation to the bureau.
	run("open the work page", chromedp.Click(css(`a[href="`+trackURL+`/work"]`)), chromedp.WaitVisible(css(`#r-content`)))
	workURL := location()
	if body := text("main"); !strings.Contains(body, "跟踪纪检（派驻纪检监察组，组长）") || !strings.Contains(body, "工作方案：调阅卷宗") || !strings.Contains(body, "暂无跟踪记录。") {
		t.Fatalf("work page: %s", body)
	}
	run("a record",
		chromedp.SetValue(css(`#r-aspect`), "process"),
		chromedp.SetValue(css(`#r-kind`), "process"),
		chromedp.SendKeys(css(`#r-content`), "调阅卷宗，执行通知书已送达，财产调查已完成"),
		stale,
		chromedp.Submit(css(`#r-content`)),
		flashed,
	)
	if body := text("#records"); !strings.Contains(body, "流程管理\t了解执行流程\t调阅卷宗，执行通知书已送达") || !strings.Contains(body, "跟踪监察") {
		t.Fatalf("records after the record: %s\n%s", body, text("main"))
	}
	// Filed two months ago with no node since, the case is late on its
	// execution notice and its property search: the member confirms the
	// first and dismisses the second with a reason.
	findingForm := func(node string) string {
		return `//td[text()="` + node + `"]/following-sibling::td//form[contains(@action, "/work/finding")]`
	}
	if process := text("#process"); !strings.Contains(process, "“执行通知”尚未完成，期限已于") || !strings.Contains(process, "“财产查控”尚未完成，期限已于") {
		t.Fatalf("the node findings: %s", process)
	}
	run("confirm the execution notice",
		chromedp.SendKeys(chromedp.Search(findingForm("执行通知")+`//input[@name="reason"]`), "卷宗中未见执行通知书"),
		stale,
		chromedp.Click(chromedp.Search(findingForm("执行通知")+`//button[@value="confirm"]`)),
		flashed,
	)
	run("dismiss the property search",
		chromedp.SendKeys(chromedp.Search(findingForm("财产查控")+`//input[@name="reason"]`), "网络查控已于立案次日发起，系统未回传节点"),
		stale,
		chromedp.Click(chromedp.Search(findingForm("财产查控")+`//button[@value="dismiss"]`)),
		flashed,
	)
	if body := text("#process"); !strings.Contains(body, "确认：“执行通知”尚未完成") || !strings.Contains(body, "理由：卷宗中未见执行通知书") ||
		!strings.Contains(body, "排除：“财产查控”尚未完成") || !strings.Contains(body, "理由：网络查控已于立案次日发起") || has(`form[action$="/work/finding"]`) {
		t.Fatalf("after the findings: %s", body)
	}
	pick(`#i-party`, "孙建华")
	run("interview the applicant",
		chromedp.SetValue(css(`#i-mode`), "phone"),
		chromedp.Click(css(`input[name="answer"][value="1"]`)),
		chromedp.SendKeys(css(`#i-text`), "承办人工作认真"),
		chromedp.SendKeys(css(`#i-notes`), "电话询问申请执行人，对执行过程满意"),
		stale,
		chromedp.Submit(css(`#i-notes`)),
		flashed,
	)
	if body := text("#records"); !strings.Contains(body, "询问案件当事人") || !strings.Contains(body, "电话询问申请执行人") || !strings.Contains(body, "孙建华") {
		t.Fatalf("records after the interview: %s\n%s", body, text("main"))
	}
	const advice = "建立重点案件节点提醒，按期送达执行通知"
	run("recommend to the bureau",
		chromedp.SetValue(css(`#c-aspect`), "process"),
		chromedp.SetValue(css(`#c-to`), "bureau"),
		chromedp.SendKeys(css(`#c-problem`), "执行节点未按期完成"),
		chromedp.SendKeys(css(`#c-improve`), advice),
		stale,
		chromedp.Submit(css(`#c-improve`)),
		flashed,
	)
	if body := text("#recommendations"); !strings.Contains(body, "整改中 1 · 已销号 0 · 逾期 0") || !strings.Contains(body, "执行局\t执行节点未按期完成\t"+advice) {
		t.Fatalf("recommendations: %s\n%s", body, text("main"))
	}
	run("the rectification", chromedp.Click(css(`#recommendations a[href^="/rectifications/"]`)), chromedp.WaitVisible(css(`h1.page-title`)))
	rectURL := location()
	if body := text("main"); !strings.Contains(body, advice) || !strings.Contains(body, "执行节点未按期完成") {
		t.Fatalf("rectification page: %s", body)
	}
	run("the rectifications list", chromedp.Navigate(p.url+"/rectifications"), chromedp.WaitVisible(css(`a[href="`+rectURL+`"]`)))
	logout()

	// The bureau, addressed, finds it on its own list.
	login("k.bur")
	run("the bureau's rectifications", chromedp.Navigate(p.url+"/rectifications"), chromedp.WaitVisible(css(`a[href="`+rectURL+`"]`)))
	logout()

	// The leader writes the closing report.
	login("k.grp")
	run("the closing report",
		chromedp.Navigate(p.url+workURL),
		chromedp.WaitVisible(css(`#z-summary`)),
		chromedp.SendKeys(css(`#z-summary`), "工作小组调阅卷宗、询问当事人，发现执行节点超期一项"),
		chromedp.SendKeys(css(`#z-conc`), "执行行为总体规范，已建议执行局建立节点提醒"),
		stale,
		chromedp.Submit(css(`#z-conc`)),
		chromedp.WaitNotPresent(css(`#z-summary`)),
		flashed,
	)
	if body := text("main"); !strings.Contains(body, "已出具跟踪监督报告，跟踪结束。") || !strings.Contains(body, number+" 跟踪监督 已结束") || !strings.Contains(body, "出具人") {
		t.Fatalf("after the report: %s", body)
	}
	run("print the report", chromedp.Click(css(`a[href="`+trackURL+`/report"]`)), chromedp.WaitVisible(css(`main.sheet`)))
	if sheet := text("main.sheet"); !strings.Contains(sheet, "重点执行案件跟踪监督报告") || !strings.Contains(sheet, "案号："+number) ||
		!strings.Contains(sheet, "跟踪纪检（派驻纪检监察组，组长）") || !strings.Contains(sheet, "工作小组调阅卷宗、询问当事人") ||
		!strings.Contains(sheet, "“执行通知”尚未完成") || !strings.Contains(sheet, "排除：“财产查控”尚未完成") || !strings.Contains(sheet, "致执行局："+advice) || !strings.Contains(sheet, "执行行为总体规范") {
		t.Fatalf("report: %s", sheet)
	}
	run("the list", chromedp.Navigate(p.url+"/tracking"), chromedp.WaitVisible(css(`h1.page-title`)))
	done, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(`(//table)[last()]//tr[td[1][text()="`+number+`"]]`)))
	if err != nil || !strings.Contains(done, "已结束") || !strings.Contains(done, "三家会商一致") {
		t.Fatalf("the tracked cases: %q %v\n%s", done, err, text("main"))
	}
	logout()

	// The case's officer and his department head get nothing of it.
	for _, u := range []string{"k.off", "k.head"} {
		login(u)
		// The to-do list: the officer is of the bureau too, but the
		// recommendation about his own case is kept from him, to-do and all.
		if has(`main section.card:not(.welcome-card) a[href^="/tracking"]`) {
			t.Fatalf("%s's to-dos link a tracking: %s", u, text("main"))
		}
		if todos := text("main section.card:not(.welcome-card)"); !strings.HasPrefix(strings.TrimSpace(todos), "待办事项") || strings.Contains(todos, number) || strings.Contains(todos, "会商") || strings.Contains(todos, "工作小组") ||
			strings.Contains(todos, "综合评估") || strings.Contains(todos, "跟踪监督") || strings.Contains(todos, "执行节点未按期完成") {
			t.Fatalf("%s's to-dos: %s", u, todos)
		}
		for _, path := range []string{trackURL, workURL, trackURL + "/minutes", trackURL + "/report"} {
			run(u+" tries "+path, chromedp.Navigate(p.url+path), chromedp.WaitReady(css(`body`)))
			if body := text("body"); !has(`.error-card`) || strings.Contains(body, number) || strings.Contains(body, "跟踪纪检") || strings.Contains(body, "会商") || strings.Contains(body, "调阅卷宗") {
				t.Fatalf("%s sees %s: %s", u, path, body)
			}
		}
		run(u+" lists the trackings", chromedp.Navigate(p.url+"/tracking"), chromedp.WaitVisible(css(`main`)))
		if body := text("body"); strings.Contains(body, number) {
			t.Fatalf("%s's /tracking: %s", u, body)
		}
		logout()
	}
}

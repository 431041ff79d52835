package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/testdb"
)

// An officer's integrity record walked in the browser (issue 18): three of
// his cases with property are long past their time limit; the 纪检监察组
// opens the officer list, runs the rules, opens his record, sees the
// proposed warning and accepts it as a 预警约谈 with its talk, and the
// disposition is on the register of the four forms.
func TestIntegrityInTheBrowser(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Lian#2026xyz"
	for _, u := range []struct{ name, full, dept, role string }{
		{"i.group", "档案group", "派驻纪检监察组", "discipline_group"}, {"i.off", "档案officer", "执行一庭", "officer"},
	} {
		if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", u.name, "--name", u.full, "--court", "鲁0102",
			"--department", u.dept, "--role", u.role, "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	filed := time.Now().AddDate(-2, 0, 0)
	csv := "案号,立案日期,承办人,承办部门,有财产可供执行,申请执行人,申请执行人电话\n"
	for i := 1; i <= 3; i++ {
		csv += fmt.Sprintf("（%d）鲁0102执%d号,%s,档案officer,执行一庭,是,王芳,1380000000%d\n", filed.Year(), i, filed.Format("2006-01-02"), i)
	}
	file := filepath.Join(t.TempDir(), "open.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatal(out, errs)
	}
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 3*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	run, text, login := w.run, w.text, w.login

	login("i.group")
	run("the officer list, the rules run now",
		chromedp.Navigate(p.url+"/integrity"),
		chromedp.WaitVisible(css(`form[action="/integrity/evaluate"] button`)),
		chromedp.Click(css(`form[action="/integrity/evaluate"] button`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "预警规则已运行") || !strings.Contains(body, "档案officer") || !strings.Contains(body, "有财产案件长期未结") {
		t.Fatalf("the list: %s", body)
	}
	axe(t, ctx, "the officer list")
	run("his record",
		chromedp.Click(chromedp.Search(`//table//a[contains(., "档案officer")]`)),
		chromedp.WaitVisible(css(`#warnings`)),
	)
	if body := text("main"); !strings.Contains(body, "档案officer 的廉政档案") || !strings.Contains(body, "有财产案件长期未结") || !strings.Contains(body, "待研判") ||
		!strings.Contains(body, "法定期限届满") {
		t.Fatalf("the record: %s", body)
	}
	axe(t, ctx, "the record")
	run("accept without a place",
		chromedp.Click(css(`details.warning-forms > summary`)),
		chromedp.WaitVisible(css(`form[action$="/accept"] input[name="place"]`)),
		chromedp.SendKeys(css(`form[action$="/accept"] input[name="participants"]`), "档案group、档案officer"),
		chromedp.Submit(css(`form[action$="/accept"] input[name="participants"]`)),
		chromedp.WaitVisible(css(`form[action$="/accept"] .field-error`)),
	)
	if msg := text(`form[action$="/accept"]`); !strings.Contains(msg, "请填写地点") || !strings.Contains(msg, "请填写谈话内容") {
		t.Fatalf("the refused acceptance: %s", msg)
	}
	axe(t, ctx, "the record with a refused acceptance")
	run("accept the warning as a 预警约谈",
		chromedp.SendKeys(css(`form[action$="/accept"] input[name="place"]`), "派驻纪检监察组谈话室"),
		chromedp.SendKeys(css(`form[action$="/accept"] textarea[name="content"]`), "三件有财产案件长期未执结，提醒依法及时执行"),
		chromedp.SendKeys(css(`form[action$="/accept"] textarea[name="statement"]`), "将在一个月内制定执行计划"),
		chromedp.Submit(css(`form[action$="/accept"] textarea[name="content"]`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "已记录预警约谈") || !strings.Contains(body, "已预警约谈") || strings.Contains(body, "采纳并记录预警约谈") {
		t.Fatalf("after the acceptance: %s", body)
	}
	run("the register of the four forms",
		chromedp.Navigate(p.url+"/dispositions"),
		chromedp.WaitVisible(css(`table`)),
	)
	if body := text("main"); !strings.Contains(body, "档案officer") || !strings.Contains(body, "预警约谈") || !strings.Contains(body, "第一种形态") {
		t.Fatalf("the dispositions: %s", body)
	}
	run("the disposition and its talk",
		chromedp.Click(chromedp.Search(`//table//a[contains(., "查看")]`)),
		chromedp.WaitVisible(css(`.breadcrumb`)),
	)
	if body := text("main"); !strings.Contains(body, "廉政档案预警") || !strings.Contains(body, "派驻纪检监察组谈话室") || !strings.Contains(body, "将在一个月内制定执行计划") {
		t.Fatalf("the disposition: %s", body)
	}
}

// axe fails the test on any serious or critical WCAG 2.1 AA violation of
// the page the tab shows (axe-core, as TestAccessibilityOfEveryRole).
func axe(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axeSource+";true")); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", what, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe's answer on %s: %v", what, err)
	}
	for _, v := range vs {
		t.Errorf("%s: [%s] %s (%s)\n      %s", what, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n      "))
	}
}

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/testdb"
)

// A form error in the browser (issue 17): the officer posts the new-trip
// form with a case number the system cannot read and no task. The form
// comes back with each message beside its field, what he typed still in
// the boxes, the first wrong field focused, and the address bar showing
// the form's URL, not the post's; a reload asks for the empty form.
func TestFormErrorInTheBrowser(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Form#2026err"
	if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", "f.officer", "--name", "表单干警", "--court", "鲁0102",
		"--department", "执行一庭", "--role", "officer", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 2*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	w.login("f.officer")
	w.run("post the trip form with mistakes",
		chromedp.Navigate(p.url+"/trips/new"),
		chromedp.WaitVisible(css(`#t-task`)),
		// The browser's own checks would stop a blank task first; the
		// server's are what is tested here.
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#t-task').form.noValidate = true`),
		chromedp.SendKeys(css(`#t-cases`), "执行九九号"),
		chromedp.SendKeys(css(`#t-companions`), "协助人员张三"),
		chromedp.Submit(css(`#t-task`)),
		chromedp.WaitVisible(css(`#err-task`)),
	)
	type fieldState struct {
		URL, Focused, CasesErr, TaskErr, Cases, Companions, TaskDescribed string
		CasesBeside, TaskBeside                                           bool
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[fieldState](`(() => {
		const q = s => document.querySelector(s);
		return {URL: location.pathname, Focused: document.activeElement.id,
			CasesErr: q('#err-cases') ? q('#err-cases').textContent : '', TaskErr: q('#err-task').textContent,
			Cases: q('#t-cases').value, Companions: q('#t-companions').value,
			TaskDescribed: q('#t-task').getAttribute('aria-describedby') || '',
			CasesBeside: q('#t-cases').closest('.field').contains(q('#err-cases')),
			TaskBeside: q('#t-task').closest('.field').contains(q('#err-task'))};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if st.URL != "/trips/new" {
		t.Errorf("the address bar shows %s, want the form's /trips/new", st.URL)
	}
	if !strings.Contains(st.CasesErr, "案号无法识别：执行九九号") || !st.CasesBeside {
		t.Errorf("case number message %q beside its field: %v", st.CasesErr, st.CasesBeside)
	}
	if !strings.Contains(st.TaskErr, "请填写执行的任务") || !st.TaskBeside || st.TaskDescribed != "err-task" {
		t.Errorf("task message %q beside its field %v, described by %q", st.TaskErr, st.TaskBeside, st.TaskDescribed)
	}
	if st.Cases != "执行九九号" || st.Companions != "协助人员张三" {
		t.Errorf("input lost: cases %q, companions %q", st.Cases, st.Companions)
	}
	if st.Focused != "t-cases" {
		t.Errorf("focus on %q, want the first wrong field t-cases", st.Focused)
	}
	w.run("reload", chromedp.Reload(), chromedp.WaitVisible(css(`#t-task`)))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.field-error').length`)); err != nil || n != 0 {
		t.Errorf("a reload shows %d errors (%v): it posted again", n, err)
	}
}

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The demo's administrator of 鲁0102 on the SMS templates (issue 20): he
// opens 短信模板 from his navigation and sees every message with a preview
// under the court's signature; on the satisfaction question he types a
// text that drops 是否执行完毕 and 是否满意, which comes back with the
// reason beside the text and what he typed kept; a text of three messages
// previews with its flag and is not saved; a text that keeps the meaning
// is saved with the provider's template ID, and the list shows it as the
// court's own with the ID.
func TestSMSTemplatesInTheBrowser(t *testing.T) {
	const pw = "Demo#sms2026tpl"
	p, _ := sharedDemo(t, pw)
	defer p.stop(t)
	ctx := newBrowser(t, 3*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	w.login("lu0102.admin")

	row := `tr[id="tpl-visit.question"]`
	w.run("open 短信模板 from the navigation",
		chromedp.Click(css(`nav.sidenav a.nav-item[href="/admin/sms/templates"]`)),
		chromedp.WaitVisible(css(row)))
	if s := w.text(row); !strings.Contains(s, "回访询问（是否执行完毕、是否满意）") || !strings.Contains(s, "【") || !strings.Contains(s, "是否执行完毕") {
		t.Errorf("the question's row: %q", s)
	}
	if s := w.text(`#sms-templates`); !strings.Contains(s, "不满意事项询问") || !strings.Contains(s, "再次询问") || !strings.Contains(s, "外出报告需审查") {
		t.Errorf("the list lacks messages: %q", s)
	}

	bad := "您的案件{案号}办得如何？请回复：1 满意；2 不满意。"
	w.run("edit the question without its meaning",
		chromedp.Click(css(row+` a`)),
		chromedp.WaitVisible(css(`#tpl-body`)),
		chromedp.SetValue(css(`#tpl-body`), bad),
		chromedp.Click(css(`#tpl-body`)), // a person's focus on the field
		chromedp.Submit(css(`#tpl-body`)),
		chromedp.WaitVisible(css(`#err-body`)))
	type state struct {
		Err, Body     string
		Beside, Saved bool
	}
	read := func() state {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
			const q = s => document.querySelector(s);
			return {Err: q('#err-body') ? q('#err-body').textContent : '', Body: q('#tpl-body').value,
				Beside: !!q('#err-body') && q('#tpl-body').closest('.field').contains(q('#err-body')),
				Saved: document.body.textContent.includes('短信模板已保存')};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := read(); !strings.Contains(s.Err, "回访询问须保留原意") || !s.Beside || s.Body != bad || s.Saved {
		t.Errorf("a text without 是否执行完毕、是否满意: %+v", s)
	}

	good := "{法院}执行回访：您的案件{案号}是否执行完毕？您对执行过程是否满意？请回复：1 满意；2 不满意。"
	long := good + strings.Repeat("请您如实反映情况，感谢您的支持。", 5)
	w.run("preview a text of three messages",
		chromedp.SetValue(css(`#tpl-body`), long),
		chromedp.Click(css(`button[name="action"][value="preview"]`)),
		chromedp.WaitVisible(css(`#tpl-too-long`)))
	if s := w.text(`#tpl-preview`); !strings.Contains(s, "执行回访：您的案件（") || !strings.Contains(s, "3 条短信") {
		t.Errorf("the preview: %q", s)
	}

	w.run("save a text that keeps the meaning, with the template ID",
		chromedp.SetValue(css(`#tpl-body`), good),
		chromedp.SetValue(css(`#tpl-id`), "2026001"),
		chromedp.Click(css(`#tpl-body`)),
		chromedp.Submit(css(`#tpl-body`)),
		chromedp.WaitVisible(css(`.flash-success`)))
	if s := read(); s.Err != "" || s.Body != good {
		t.Errorf("after saving: %+v", s)
	}
	if s := w.text(`.page-sub`); !strings.Contains(s, "来源：本院设置") {
		t.Errorf("the saved text's source: %q", s)
	}
	if s := w.text(`#tpl-registration`); !strings.Contains(s, "{1}执行回访：您的案件{2}是否执行完毕") {
		t.Errorf("the text to register: %q", s)
	}
	w.run("back to the list", chromedp.Navigate(p.url+"/admin/sms/templates"), chromedp.WaitVisible(css(row)))
	if s := w.text(row); !strings.Contains(s, "本院设置") || !strings.Contains(s, "2026001") || !strings.Contains(s, "执行回访：您的案件") {
		t.Errorf("the question's row after saving: %q", s)
	}
}

package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/zhilian/zhilian/internal/domain"
)

// chartPoints reads the option ECharts draws in the element with id: the
// category axis and the length of every series.
const chartPoints = `(id => { const o = echarts.getInstanceByDom(document.getElementById(id)).getOption();
  return {axis: (o.xAxis && o.xAxis[0].data) || [], series: o.series.map(s => s.data.length),
    label: (o.series[0].label && o.series[0].label.formatter) || ''}; })`

type chartSeen struct {
	Axis   []string
	Series []int
	Label  string
}

// Statistics and display in the browser, on the demo province (issue 17):
// both statistics pages draw twelve months up to this one, the months
// without any at zero, and pies whose labels give the number and the
// share; their months are typed as text (no browser's own month names);
// a backwards range is said in Chinese beside the field with the range
// as typed, on the page's own address; 一岗双责's year, month and buttons
// stand on one line, the year shown in its field; the trip list's filter links show the current one;
// an officer finds 济南市历下区 by its pinyin initials in the destination
// picker and picks it with the mouse, or the keyboard, and the open
// picker passes axe-core.
func TestStatisticsAndDisplayInTheBrowser(t *testing.T) {
	const pw = "Demo#shows2026"
	p, _ := sharedDemo(t, pw)
	defer p.stop(t)
	ctx := newBrowser(t, 4*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	w.login("lu0102.bureau")
	shots := os.Getenv("ZHILIAN_SCREENSHOTS")
	shot := func(name string) {
		if shots == "" {
			return
		}
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(shots, name+".png"), b, 0o644)
	}

	now := time.Now().In(domain.Beijing)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, domain.Beijing)
	var twelve []string
	for i := 11; i >= 0; i-- {
		twelve = append(twelve, first.AddDate(0, -i, 0).Format("2006-01"))
	}
	chart := func(id string) chartSeen {
		t.Helper()
		w.run("chart "+id, chromedp.WaitVisible(css(`#`+id+` canvas`)))
		c, err := chromedp.Run(ctx, chromedp.Evaluate[chartSeen](chartPoints+`('`+id+`')`))
		if err != nil {
			t.Fatalf("chart %s: %v", id, err)
		}
		return c
	}
	for _, page := range []struct{ path, from, to, trend, pie, unit string }{
		{"/visit-stats", "#s-from", "#s-to", "trend-chart", "category-chart", "次"},
		{"/tracking/stats", "#t-from", "#t-to", "month-chart", "rec-chart", "条"},
	} {
		w.run("open "+page.path, chromedp.Navigate(p.url+page.path), chromedp.WaitVisible(css(page.from)))
		c := chart(page.trend)
		if strings.Join(c.Axis, " ") != strings.Join(twelve, " ") || len(c.Series) == 0 {
			t.Errorf("%s: the trend's months %v, want %v", page.path, c.Axis, twelve)
		}
		for i, n := range c.Series {
			if n != 12 {
				t.Errorf("%s: series %d has %d points, want 12", page.path, i, n)
			}
		}
		if pie := chart(page.pie); !strings.Contains(pie.Label, "{c}"+page.unit) || !strings.Contains(pie.Label, "{d}%") {
			t.Errorf("%s: the pie's labels %q give no number and share", page.path, pie.Label)
		}
		month, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input')].filter(i => ['month', 'week', 'date'].includes(i.type)).map(i => i.id)
			.concat([...document.querySelectorAll('`+page.from+`, `+page.to+`')].filter(i => i.type !== 'text' || !/^\d{4}-\d{2}$/.test(i.value)).map(i => i.id + '=' + i.value))`))
		if err != nil || len(month) > 0 {
			t.Errorf("%s: month fields that depend on the browser's language, or not YYYY-MM: %v %v", page.path, month, err)
		}
		shot(strings.ReplaceAll(strings.Trim(page.path, "/"), "/", "-"))
		// A backwards range, typed.
		w.run("a backwards range on "+page.path,
			chromedp.SetValue(css(page.from), "2026-09"), chromedp.SetValue(css(page.to), "2026-03"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('`+page.from+`').form.noValidate = true`),
			chromedp.Submit(css(page.from)), chromedp.WaitVisible(css(`#err-from`)))
		msg := w.text(`#err-from`)
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		kept, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('`+page.from+`').value + ' ' + document.querySelector('`+page.to+`').value`))
		if msg != "起始月份2026-09晚于截止月份2026-03，请改正" || kept != "2026-09 2026-03" || !strings.Contains(loc, page.path+"?") {
			t.Errorf("%s: backwards range: %q, fields %q, at %s", page.path, msg, kept, loc)
		}
	}

	// 一岗双责: the fields and buttons on one line, of one height.
	w.run("accountability", chromedp.Navigate(p.url+"/trips/accountability"), chromedp.WaitVisible(css(`#a-year`)))
	shot("trips-accountability")
	if y, _ := chromedp.Run(ctx, chromedp.Value(css(`#a-year`))); y != now.Format("2006") {
		t.Errorf("accountability's year field holds %q, not the year shown", y)
	}
	boxes, err := chromedp.Run(ctx, chromedp.Evaluate[[][]float64](`[...document.querySelectorAll('#a-year, #a-month, form.filters .btn')].map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })`))
	if err != nil || len(boxes) != 5 {
		t.Fatalf("accountability's form: %v %v", boxes, err)
	}
	for _, b := range boxes[1:] {
		if math.Abs(b[0]-boxes[0][0]) > 1 || math.Abs(b[1]-boxes[0][1]) > 1 {
			t.Errorf("accountability's fields and buttons are not aligned: %v", boxes)
			break
		}
	}
	labels, _ := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll('label[for=a-year], label[for=a-month]')].map(e => e.getBoundingClientRect().top)`))
	if len(labels) != 2 || math.Abs(labels[0]-labels[1]) > 1 {
		t.Errorf("accountability's labels: %v", labels)
	}

	// The trip list's filter links: the current one marked, in words and
	// to the eye, and it follows a click.
	w.run("trips", chromedp.Navigate(p.url+"/trips"), chromedp.WaitVisible(css(`nav.chips`)))
	current := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const c = [...document.querySelectorAll('nav.chips [aria-current="page"]')];
			const o = document.querySelector('nav.chips a:not([aria-current])');
			return c.map(e => e.textContent).join('|') + (c.length === 1 && Number(getComputedStyle(c[0]).fontWeight) >= 600
			  && getComputedStyle(c[0]).backgroundColor !== getComputedStyle(o).backgroundColor ? '' : ' (looks like the others)'); })()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if c := current(); c != "全部" {
		t.Errorf("trip list's current filter: %q", c)
	}
	w.run("filter overdue trips", chromedp.Click(css(`nav.chips a[href*="status=overdue"]`)), chromedp.WaitVisible(css(`nav.chips a[href*="status=overdue"][aria-current="page"]`)))
	if c := current(); c != "报告逾期" {
		t.Errorf("trip list's current filter after the click: %q", c)
	}
	shot("trips-overdue")
	w.logout()

	// The destination picker, by pinyin initials.
	w.login("lu0102.officer1")
	option := func(name string) chromedp.Search {
		return chromedp.Search(`//ul[@id="t-dest-suggest"]/li[.="` + name + `"]`)
	}
	w.run("jnlx", chromedp.Navigate(p.url+"/trips/new"), chromedp.WaitVisible(css(`#t-dest`)),
		chromedp.SendKeys(css(`#t-dest`), "jnlx"), chromedp.WaitVisible(option("山东省济南市历下区")))
	shot("trip-destination-pinyin")
	a := &axeChecker{t: t, w: w}
	a.check("lu0102.officer1", "/trips/new (picker open)")
	w.run("pick 济南市历下区", chromedp.Click(option("山东省济南市历下区")), chromedp.WaitNotVisible(css(`#t-dest-suggest`)))
	if v, _ := chromedp.Run(ctx, chromedp.Value(css(`#t-dest`))); v != "山东省济南市历下区" {
		t.Errorf("picked by mouse: %q", v)
	}
	w.run("jnslxq by the keyboard", chromedp.Evaluate[chromedp.Void](`document.querySelector("#t-dest").value = ""`), chromedp.SendKeys(css(`#t-dest`), "jnslxq"),
		chromedp.WaitVisible(option("山东省济南市历下区")), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitNotVisible(css(`#t-dest-suggest`)))
	if v, _ := chromedp.Run(ctx, chromedp.Value(css(`#t-dest`))); v != "山东省济南市历下区" {
		t.Errorf("picked by the keyboard: %q", v)
	}
	a.finish(1)
}

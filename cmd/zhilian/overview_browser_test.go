package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The leaders' cockpit in the browser on the demo province (issue 18):
// the High Court's discipline group opens 四项机制运行总览 from the
// navigation, finds the intermediate courts ranked with red, amber and
// green among them, on the province's map too, and the trend drawn, drills down to 济南市中级人民法院,
// then to 济南市历下区人民法院, to an officer's integrity record there and
// a warning accepted as a 预警约谈, and from a figure of the court to the
// list of the records it counts.
func TestOverviewInTheBrowser(t *testing.T) {
	const pw = "Cockpit#2026"
	p, _ := sharedDemo(t, pw)
	defer p.stop(t)
	// Four minutes, as the other walks on the demo: on the shared 2-core
	// machine under -race the walk took over two (its last step failed on
	// the deadline twice at load average 13–17).
	ctx := newBrowser(t, 4*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	run, text := w.run, w.text
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	heading := func(want string) {
		t.Helper()
		run("the cockpit of "+want, chromedp.WaitVisible(css(`#overview-heading`)))
		if h := text("#overview-heading"); !strings.HasPrefix(h, want) {
			t.Fatalf("heading %q, want %s…", h, want)
		}
	}

	w.login("lu.discipline")
	run("open the cockpit from the navigation",
		chromedp.Click(css(`.sidenav a[href="/overview"]`)),
		chromedp.WaitVisible(css(`#children`)),
		chromedp.WaitVisible(css(`#overview-trend[data-drawn]`)),
	)
	heading("山东省高级人民法院及辖区法院")
	for _, s := range []string{"green", "amber", "red"} {
		if n := count(`#children .status-` + s); n == 0 {
			t.Errorf("no %s court among the intermediate courts:\n%s", s, text("#children"))
		}
	}
	// The province's map: the sixteen prefectures' courts placed (济南's
	// on 莱芜市 too, merged into it in 2019, which the map draws apart), in
	// red, amber and green as the table ranks them.
	run("the province's map", chromedp.WaitVisible(css(`#overview-map[data-drawn]`)))
	placed, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function () {
		var box = document.getElementById("overview-map");
		return [box.getAttribute("data-placed")].concat(echarts.getInstanceByDom(box).getOption().series[0].data.filter(function (d) { return d.court; }).map(function (d) { return d.status; }));
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(placed) != 18 || placed[0] != "17" {
		t.Errorf("the map placed %v", placed)
	}
	for _, s := range []string{"green", "amber", "red"} {
		if !slices.Contains(placed, s) {
			t.Errorf("no %s court on the map: %v", s, placed)
		}
	}
	if n := count(`#indicators tbody tr`); n != 4 {
		t.Errorf("%d core indicators", n)
	}
	if !strings.Contains(text("#indicators"), "分子：") {
		t.Error("the indicators come without their definitions")
	}

	run("drill down to 济南市中级人民法院",
		chromedp.Click(css(`#children a[href*="court=%E9%B2%8101&"]`)),
		chromedp.WaitVisible(css(`nav.breadcrumb[aria-label="上级法院"]`)),
	)
	heading("济南市中级人民法院及辖区法院")
	if rows := count(`#children tbody tr`); rows < 3 {
		t.Errorf("济南 shows %d basic courts", rows)
	}
	run("drill down to 济南市历下区人民法院",
		chromedp.Click(css(`#children a[href*="court=%E9%B2%810102&"]`)),
		chromedp.WaitNotPresent(css(`#children`)),
	)
	heading("济南市历下区人民法院")
	if crumbs := text(`nav.breadcrumb`); !strings.Contains(crumbs, "山东省高级人民法院") || !strings.Contains(crumbs, "济南市中级人民法院") {
		t.Errorf("the way back up: %q", crumbs)
	}
	// From the court to its officers' integrity records, to a warning
	// waiting there, accepted as a 预警约谈 (issue 18's walk).
	cockpit, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	run("the court's integrity records",
		chromedp.Click(css(`#overview-integrity`)),
		chromedp.WaitVisible(css(`input[name="pending"]`)),
	)
	list, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	// The officers with a warning waiting (the list's own filter), loaded
	// as an address so that no row of the unfiltered list is clicked.
	run("only those with a warning waiting",
		chromedp.Navigate(list+"&pending=1"),
		chromedp.WaitVisible(css(`input[name="pending"]:checked`)),
		chromedp.WaitVisible(css(`table tbody tr td a[href^="/integrity/"]`)),
	)
	run("an officer's record with a warning waiting",
		chromedp.Click(css(`table tbody tr td a[href^="/integrity/"]`)),
		chromedp.WaitVisible(css(`#warnings details.warning-forms > summary`)),
	)
	if body := text("main"); !strings.Contains(body, "的廉政档案") || !strings.Contains(body, "待研判") {
		t.Fatalf("the record: %s", body)
	}
	run("accept the warning as a 预警约谈",
		chromedp.Click(css(`#warnings details.warning-forms > summary`)),
		chromedp.WaitVisible(css(`form[action$="/accept"] input[name="place"]`)),
		chromedp.SendKeys(css(`form[action$="/accept"] input[name="place"]`), "省法院纪检监察组谈话室"),
		chromedp.SendKeys(css(`form[action$="/accept"] input[name="participants"]`), "省法院纪检监察组、承办人"),
		chromedp.SendKeys(css(`form[action$="/accept"] textarea[name="content"]`), "提醒其严守廉洁纪律"),
		chromedp.SendKeys(css(`form[action$="/accept"] textarea[name="statement"]`), "接受提醒"),
		chromedp.Submit(css(`form[action$="/accept"] textarea[name="content"]`)),
		chromedp.WaitVisible(css(`.flash-success`)),
	)
	if body := text("main"); !strings.Contains(body, "已记录预警约谈") {
		t.Fatalf("after the acceptance: %s", body)
	}
	run("back to 历下's cockpit", chromedp.Navigate(cockpit), chromedp.WaitVisible(css(`#overview-heading`)))
	heading("济南市历下区人民法院")
	run("from the complaints figure to their list",
		chromedp.Click(css(`#section-oversight tr[data-key="oversight.complaints"] a`)),
		chromedp.WaitVisible(css(`.page-title`)),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loc, p.url+"/complaints?") || !strings.Contains(loc, "kind=complaint") {
		t.Errorf("the records: %s", loc)
	}
	if title := text(".page-title"); !strings.Contains(title, "投诉") {
		t.Errorf("the records page: %q", title)
	}
}

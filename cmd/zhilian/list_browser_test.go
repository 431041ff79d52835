package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// A list over 1,000 rows read to its end in the browser (issue 17): the
// user list of 1,051 accounts says so, and following 下一页 from page to
// page at 200 a page shows every account once, the last page marked
// current, with no 下一页 after it; the 末页 link lands on the same page.
func TestLongListInTheBrowser(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "List#2026xyz"
	if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", "l.admin", "--name", "名单管理员", "--court", "鲁",
		"--department", "信息技术处", "--role", "admin", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	db, err := app.OpenStore(context.Background(), app.Config{DB: dsn, Key: testdb.Key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	courts := []string{"鲁0102", "鲁0103", "鲁0202"}
	for i := range 1050 {
		testdb.AddUser(t, db, fmt.Sprintf("l.u%04d", i), courts[i%len(courts)], "执行一庭", domain.RoleOfficer)
	}
	db.Close()

	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	ctx := newBrowser(t, 4*time.Minute)
	w := &walker{t: t, ctx: ctx, p: p, pw: pw}
	w.login("l.admin")
	w.run("the user list", chromedp.Navigate(p.url+"/admin/users?size=200&sort=username"), chromedp.WaitVisible(css(`nav.pager`)))
	if s := w.text(".pager-count"); !strings.Contains(s, "共 1051 条") || !strings.Contains(s, "第 1/6 页") {
		t.Fatalf("the count: %q", s)
	}
	seen := map[string]bool{}
	var last string
	for page := 1; ; page++ {
		names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('table tbody tr td:first-child')].map(td => td.textContent.trim())`))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if seen[n] {
				t.Fatalf("page %d shows %s again", page, n)
			}
			if n < last {
				t.Fatalf("page %d: %s after %s", page, n, last)
			}
			seen[n], last = true, n
		}
		cur := w.text(`.pager-pages a[aria-current="page"]`)
		if cur != fmt.Sprint(page) {
			t.Fatalf("page %d marked %q", page, cur)
		}
		more, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('.pager a[rel="next"]') !== null`))
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			if page != 6 {
				t.Fatalf("no 下一页 on page %d", page)
			}
			break
		}
		w.run(fmt.Sprintf("下一页 from page %d", page), chromedp.Click(css(`.pager a[rel="next"]`)),
			chromedp.WaitVisible(css(fmt.Sprintf(`.pager-pages a[aria-current="page"][href*="page=%d&"]`, page+1))))
	}
	if len(seen) != 1051 {
		t.Fatalf("read %d accounts to the end, want 1051", len(seen))
	}
	w.run("back to the first page, then 末页",
		chromedp.Click(css(`.pager a[href*="page=1&"]`)),
		chromedp.WaitVisible(css(`.pager-pages a[aria-current="page"][href*="page=1&"]`)),
		chromedp.Click(css(`.pager-pages a:last-child`)),
		chromedp.WaitVisible(css(`.pager-pages a[aria-current="page"][href*="page=6&"]`)),
	)
	if s := w.text(".pager-count"); !strings.Contains(s, "第 1001–1051 条") {
		t.Fatalf("the last page: %q", s)
	}
}

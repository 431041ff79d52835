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
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// Daily use in the browser (issue 17): the bureau types part of a case
// number in the header's search box and finds the case — not its 执恢
// namesake — and a fragment of a party's name finds the party; the
// command centre's home page shows the two phone visits of one case as
// two lines naming their parties, under 当事人回访 with the count, the
// late one first with 逾期2天, the other 3天后到期; from a to-do it opens
// the phone visit, reveals the number (a tel: link) and the reveal is
// audited.
func TestDailyUseInTheBrowser(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	const pw = "Daily#2026xyz"
	for _, u := range []struct{ name, full, dept, role string }{
		{"d.cc", "日常指挥中心", "执行指挥中心", "command_center"}, {"d.bur", "日常执行局", "执行局", "bureau"},
	} {
		if code, _, errs := cli(t, pw+"\n", "users", "add", "--db", dsn, "--username", u.name, "--name", u.full, "--court", "鲁0102",
			"--department", u.dept, "--role", u.role, "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	// One case closed last month with two parties, drawn: two visits,
	// both waiting for a phone call, one two days late, one due in three
	// days. A namesake 执恢 case that partial search must tell apart.
	bj := time.FixedZone("CST", 8*3600)
	now := time.Now().In(bj)
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	number := fmt.Sprintf("（%d）鲁0102执183号", last.Year())
	namesake := fmt.Sprintf("（%d）鲁0102执恢183号", last.Year())
	ctx := context.Background()
	db, err := app.OpenStore(ctx, app.Config{DB: dsn, Key: testdb.Key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*domain.Case
	for _, c := range []struct{ no, applicant, respondent string }{{number, "王芳", "李强"}, {namesake, "赵敏", "某商贸有限公司"}} {
		no, err := domain.ParseCaseNo(c.no, domain.DefaultCaseTypes)
		if err != nil {
			t.Fatal(err)
		}
		k := &domain.Case{No: no, FiledOn: domain.DateOf(last.AddDate(0, -3, 0), bj), Officer: "日常干警", Department: "执行一庭",
			Parties: []domain.Party{{Role: domain.Applicant, Name: c.applicant, Phone: "13800000001"}, {Role: domain.Respondent, Name: c.respondent, Phone: "13900000002"}}}
		if c.no == number {
			k.ClosedOn, k.ClosingMode = domain.DateOf(last.AddDate(0, 0, 9), bj), "执行完毕"
		}
		cases = append(cases, k)
	}
	sys := domain.SystemViewer("t")
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", last.Format("2006-01"), visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, err := db.Visits(ctx, sys, store.VisitFilter{})
	if err != nil || len(vs) != 2 {
		t.Fatalf("visits: %d, %v", len(vs), err)
	}
	noon := time.Date(now.Year(), now.Month(), now.Day(), 12, 0, 0, 0, bj)
	var lateID int64
	for _, v := range vs {
		due := noon.AddDate(0, 0, 3)
		if v.PartyName == "李强" {
			due, lateID = noon.AddDate(0, 0, -2), v.ID
		}
		if _, err := db.WriteDB().Exec(db.Rebind("UPDATE visits SET step = 'phone_pending', due_at = ? WHERE id = ?"), due.UTC(), v.ID); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	p := start(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer p.stop(t)
	bctx := newBrowser(t, 2*time.Minute)
	w := &walker{t: t, ctx: bctx, p: p, pw: pw}
	run, text, login, logout := w.run, w.text, w.login, w.logout
	stale := chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`document.body.dataset.stale = "1"; true`)(ctx, tg)
		return chromedp.Void{}, err
	})
	search := func(q, wait string) {
		t.Helper()
		run("search "+q,
			chromedp.SendKeys(css(`#global-q`), q),
			stale,
			chromedp.Submit(css(`#global-q`)),
			chromedp.WaitVisible(css(`body:not([data-stale]) `+wait)),
		)
	}

	// 1. The bureau searches from the header.
	login("d.bur")
	search("执183号", `#search-cases`)
	if got := text("#search-cases"); !strings.Contains(got, number) || strings.Contains(got, namesake) || !strings.Contains(got, "共 1 件") {
		t.Fatalf("searching 执183号, the cases: %s", got)
	}
	search("183", `#search-cases`)
	if got := text("#search-cases"); !strings.Contains(got, number) || !strings.Contains(got, namesake) || !strings.Contains(got, "共 2 件") {
		t.Fatalf("searching 183, the cases: %s", got)
	}
	search("芳", `#search-parties`)
	if got := text("#search-parties"); !strings.Contains(got, "王芳") || !strings.Contains(got, "申请执行人") || !strings.Contains(got, number) || strings.Contains(got, "赵敏") {
		t.Fatalf("searching 芳, the parties: %s", got)
	}
	run("open the case found", chromedp.Click(css(`#search-parties a[href^="/cases/"]`)), chromedp.WaitVisible(css(`h1.page-title`)))
	if body := text("main"); !strings.Contains(body, number) || !strings.Contains(body, "王芳") {
		t.Fatalf("the case page: %s", body)
	}
	logout()

	// 2. The command centre's to-dos: two lines of one case, told apart.
	login("d.cc")
	group := `#todos .todo-group[data-kind="当事人回访"]`
	if title := text(group + ` .todo-group-title`); !strings.Contains(title, "当事人回访") || !strings.Contains(title, "2项") {
		t.Fatalf("the group's title: %q\n%s", title, text("main"))
	}
	lines, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('`+group+` tr.todo')].map(tr => tr.innerText)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 {
		t.Fatalf("visit to-do lines: %q", lines)
	}
	for i, want := range []string{"被执行人李强\t逾期2天", "申请执行人王芳\t3天后到期"} {
		if !strings.Contains(lines[i], "电话回访") || !strings.Contains(lines[i], number+" "+want) {
			t.Fatalf("line %d: %q, want %q", i+1, lines[i], want)
		}
	}
	if !strings.Contains(lines[0], "已逾期") || strings.Contains(lines[1], "已逾期") {
		t.Fatalf("the late line is not marked, or the other is: %q", lines)
	}

	// 3. The late visit's to-do leads to its phone visit; the reveal.
	visitPath := fmt.Sprintf("/visits/%d", lateID)
	run("open the late visit", chromedp.Click(css(group+` tr.todo:first-child a[href="`+visitPath+`"]`)), chromedp.WaitVisible(css(`#visit-phone`)))
	if card := text("#visit-phone"); !strings.Contains(card, "李强（被执行人）") || !strings.Contains(card, "139****0002") || strings.Contains(card, "13900000002") || !strings.Contains(card, number) {
		t.Fatalf("the phone card before the reveal: %s", card)
	}
	run("reveal the number",
		stale,
		chromedp.Click(css(`#visit-phone form[action="`+visitPath+`/phone"] button`)),
		chromedp.WaitVisible(css(`body:not([data-stale]) #party-tel`)),
	)
	href, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('#party-tel').getAttribute('href')`))
	if err != nil || href != "tel:13900000002" || text("#party-tel") != "13900000002" {
		t.Fatalf("the revealed number: %q %q %v", text("#party-tel"), href, err)
	}
	if card := text("#visit-phone"); !strings.Contains(card, "已记入审计日志") {
		t.Fatalf("the card after the reveal: %s", card)
	}
	db, err = app.OpenStore(ctx, app.Config{DB: dsn, Key: testdb.Key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.ListAudit(ctx, sys, store.AuditFilter{Action: "phone.view"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || !strings.Contains(recs[0].Actor, "d.cc") || !strings.Contains(recs[0].Detail, "李强") {
		t.Fatalf("the reveal's audit records: %+v", recs)
	}
}

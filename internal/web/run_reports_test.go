package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/docx"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// runReportNarrative is a narrative with every section written.
func runReportNarrative() report.Narrative {
	return report.Narrative{"basic": "本月四项机制运行平稳，重点案件跟踪、当事人回访、专项督察评查、外出执行情况报告均按要求开展。",
		"problems": "个别案件执行款发放不及时。", "rectify": "已建立执行款台账，逐案明确时限。", "next": "继续加强回访和督察。"}
}

// runReportFixture drafts and submits, as bureau, last month's report of
// its court, and returns its id.
func runReportFixture(t *testing.T, db *store.DB, bureau domain.Viewer) int64 {
	t.Helper()
	ctx := context.Background()
	p := report.LastEnded(overview.PeriodMonth, db.Today())
	id, _, err := db.CreateRunReport(ctx, bureau, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveRunReport(ctx, bureau, id, runReportNarrative()); err != nil {
		t.Fatal(err)
	}
	if err := db.SubmitRunReport(ctx, bureau, id, overview.DefaultTargets()); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRunReportPages walks a report through the pages: the bureau of
// 历下 drafts last month's, writes it (a section missing comes back beside
// its field), submits it; its 监察室 reads and cannot submit; the print
// page shows who signed, and the Word file read back holds the figures,
// the narrative and the signature — and nowhere the name of the officer a
// disposition was about, which appears as a count alone. 济南 above sees
// it submitted, reminds the late once a day, returns it with a reason and
// gets its combined report as Word.
func TestRunReportPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	sys := domain.SystemViewer("t")
	testdb.AddUser(t, db, "rp.bur", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "rp.sup", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "rp.bur01", "鲁01", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "rp.bur03", "鲁0103", "执行局", domain.RoleBureau)
	off := testdb.AddUser(t, db, "rp.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	p := report.LastEnded(overview.PeriodMonth, db.Today())
	if _, err := db.RecordDisposition(ctx, sys, "鲁0102", oversight.Disposition{Person: off.Username, Form: 2, Measure: "警告",
		Basis: "测试", Decider: "纪检监察组", DecidedOn: p.From}); err != nil {
		t.Fatal(err)
	}

	bur := e.browser().loggedIn("rp.bur")
	if r := bur.get("/reports/new?period=" + p.String()); r.status != http.StatusOK || !strings.Contains(r.body, `value="`+p.String()+`" selected`) {
		t.Fatalf("the form: %d", r.status)
	}
	r := bur.post("/reports", url.Values{"period": {p.String()}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/reports/") {
		t.Fatalf("drafting: %d %s", r.status, loc)
	}
	home := bur.get("/")
	if !strings.Contains(home.body, "完成并报送月报") || !strings.Contains(home.body, p.Label()+"四项机制运行情况报告") {
		t.Errorf("the bureau's to-dos lack the draft")
	}
	n := runReportNarrative()
	form := url.Values{}
	for _, s := range report.Sections {
		if s.Key != "next" {
			form.Set(report.Field(s.Key), n[s.Key])
		}
	}
	if r := bur.postFrom(loc, loc, form); r.status != http.StatusSeeOther {
		t.Fatalf("saving: %d", r.status)
	}
	r = bur.postFrom(loc, loc+"/submit", url.Values{})
	refilledForm(t, r, loc, []string{"报送前请填写“下一步工作”"}, []string{n["basic"]})
	form.Set("n_next", n["next"])
	if r := bur.postFrom(loc, loc, form); r.status != http.StatusSeeOther {
		t.Fatalf("saving: %d", r.status)
	}
	sup := e.browser().loggedIn("rp.sup")
	if r := sup.post(loc+"/submit", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("the 监察室 submits: %d", r.status)
	}
	if r := bur.post(loc+"/submit", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("submitting: %d %s", r.status, r.body)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/reports/"), 10, 64)
	rep, err := db.RunReport(ctx, sys, id)
	if err != nil || rep.State != report.StateSubmitted {
		t.Fatalf("%+v %v", rep, err)
	}
	show := sup.get(loc)
	for _, want := range []string{"已报送", "校验一致", rep.Signature.Hash, n["rectify"], "第二种形态1人次", "执行核心指标"} {
		if !strings.Contains(show.body, want) {
			t.Errorf("the report's page lacks %q", want)
		}
	}
	if strings.Contains(show.body, `action="`+loc+`/submit"`) || strings.Contains(show.body, `name="n_basic"`) {
		t.Error("the 监察室 is offered to edit or submit")
	}
	print := bur.get(loc + "/print")
	for _, want := range []string{"/static/print.", "data-print", "签署：测试rp.bur（电子签名）", rep.Signature.Hash, "一、基本情况", "四、下一步工作", n["next"]} {
		if !strings.Contains(print.body, want) {
			t.Errorf("the print page lacks %q", want)
		}
	}
	doc := bur.get(loc + "/report.docx")
	if doc.status != http.StatusOK || doc.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Fatalf("the Word file: %d %s", doc.status, doc.header.Get("Content-Type"))
	}
	text, err := docx.Text([]byte(doc.body))
	if err != nil {
		t.Fatal(err)
	}
	content, _ := report.ReadSnapshot(rep.Snapshot)
	ind := content.Section(overview.SectionIndicators)
	for _, want := range []string{content.Title, "一、基本情况", n["basic"], "二、发现的问题", n["problems"], "三、整改落实", n["rectify"], "四、下一步工作", n["next"],
		"本期依照四种形态处置1人次，其中第二种形态1人次。", ind.Figures[3].Name, ind.Figures[3].Value(), "附：四项机制运行主要数据", "当事人回访",
		"签署：测试rp.bur（电子签名）", rep.Signature.Hash, "济南市历下区人民法院"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Word file lacks %q", want)
		}
	}
	for name, body := range map[string]string{"page": show.body, "print": print.body, "Word": text} {
		if strings.Contains(body, off.Name) || strings.Contains(body, off.Username) {
			t.Errorf("the %s names the officer", name)
		}
	}

	above := e.browser().loggedIn("rp.bur01")
	st := above.get("/reports/status?period=" + p.String())
	if st.status != http.StatusOK || !strings.Contains(st.body, "济南市历下区人民法院") || !strings.Contains(st.body, `href="`+loc+`"`) {
		t.Fatalf("the status page: %d", st.status)
	}
	if bad := above.get("/reports/status?period=2026-01-01~2026-01-31"); bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "报告期间应为") {
		t.Errorf("a range of days: %d", bad.status)
	}
	due := report.DefaultDueRules().LatestDue(overview.PeriodMonth, db.Today())
	r = above.post("/reports/remind", url.Values{"period": {due.String()}})
	if r.status != http.StatusSeeOther || !strings.Contains(above.get(r.header.Get("Location")).body, "催报通知") {
		t.Fatalf("reminding: %d", r.status)
	}
	above.post("/reports/remind", url.Values{"period": {due.String()}})
	late := domain.ViewerFor(mustUser(t, db, "rp.bur03"), "")
	if ms, _ := db.Messages(ctx, late, false, 10); len(ms) != 1 || !strings.Contains(ms[0].Title, "催报") {
		t.Errorf("the late court's messages: %+v", ms)
	}
	if h := e.browser().loggedIn("rp.bur03").get("/"); !strings.Contains(h.body, "（上级法院已催报）") {
		t.Error("the late court's to-do does not say it was reminded")
	}
	if r := above.postFrom(loc, loc+"/return", url.Values{"reason": {""}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写退回理由") {
		t.Errorf("returning without a reason: %d", r.status)
	}
	if r := above.post(loc+"/return", url.Values{"reason": {"请补充案款问题的原因分析。"}}); r.status != http.StatusSeeOther {
		t.Fatalf("returning: %d", r.status)
	}
	if page := bur.get(loc); !strings.Contains(page.body, "请补充案款问题的原因分析。") || !strings.Contains(page.body, `name="n_basic"`) {
		t.Error("the returned report is not open to its court")
	}
	comb := above.get("/reports/combined.docx?period=" + p.String())
	ct, err := docx.Text([]byte(comb.body))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"济南市中级人民法院" + p.Label() + "辖区四项机制运行情况汇总报告", "附：各法院报送情况", "济南市历下区人民法院", "已退回", "第二种形态1人次"} {
		if !strings.Contains(ct, want) {
			t.Errorf("the combined Word file lacks %q", want)
		}
	}
	if strings.Contains(ct, off.Name) {
		t.Error("the combined report names the officer")
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// integrityEnv is 鲁0102 with an officer whose record fires two rules
// (three cases with property long past their limit; two complaints of
// category 三 naming him), an officer who is also in the 监察室 and whose
// record fires too, his head, the bureau, the command centre, the court's
// 纪检监察组 and a 纪检监察组 beside; the rules run as the 纪检监察组.
type integrityEnv struct {
	*env
	off, both *domain.User
	grp       *browser
	warnings  map[integrity.RuleID]int64
}

func newIntegrityEnv(t *testing.T) *integrityEnv {
	t.Helper()
	e := &integrityEnv{env: newEnv(t), warnings: map[integrity.RuleID]int64{}}
	db := e.app.DB
	ctx := context.Background()
	sys := domain.SystemViewer("t")
	e.off = testdb.AddUser(t, db, "ig.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	e.both = testdb.AddUser(t, db, "ig.both", "鲁0102", "监察室", domain.RoleOfficer, domain.RoleSupervisionOffice)
	for _, u := range []struct{ name, dept string }{{"ig.head", "执行一庭"}, {"ig.bur", "执行局"}, {"ig.cc", "执行指挥中心"}} {
		role := map[string]domain.Role{"ig.head": domain.RoleDeptHead, "ig.bur": domain.RoleBureau, "ig.cc": domain.RoleCommandCenter}[u.name]
		testdb.AddUser(t, db, u.name, "鲁0102", u.dept, role)
	}
	testdb.AddUser(t, db, "ig.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "ig.beside", "鲁02", "派驻纪检监察组", domain.RoleDisciplineGroup)
	var ks []*domain.Case
	for i, o := range []*domain.User{e.off, e.off, e.off, e.both, e.both, e.both} {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2020）鲁0102执%d号", i+1), domain.DefaultCaseTypes)
		ks = append(ks, &domain.Case{No: no, FiledOn: domain.MustDate("2020-01-06"), Officer: o.Name, Department: "执行一庭", HasProperty: true, PropertyKnown: true})
	}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, ks, nil); return err }); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	for _, d := range []int{40, 10} {
		if _, err := db.RegisterComplaint(ctx, sys, "鲁0102", oversight.Complaint{Kind: oversight.KindComplaint, Channel: "12368热线", ReceivedOn: today.AddDays(-d),
			Staff: []string{e.off.Username}, Content: "反映执行人员接受当事人吃请", Categories: []string{"C3"}}); err != nil {
			t.Fatal(err)
		}
	}
	e.grp = e.browser().loggedIn("ig.grp")
	r := e.grp.post("/integrity/evaluate", url.Values{"court": {"鲁0102"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != integrity.ListPath("鲁0102") {
		t.Fatalf("evaluate: %d %s", r.status, r.header.Get("Location"))
	}
	ws, err := db.IntegrityWarnings(ctx, sys, e.off.ID)
	if err != nil || len(ws) != 2 {
		t.Fatalf("warnings %v %v", ws, err)
	}
	for _, w := range ws {
		e.warnings[w.Rule] = w.ID
	}
	return e
}

// A watchdog lists the court's officers, opens a record with its counts,
// medians, warnings and timeline, dismisses one warning (not without a
// reason) and accepts the other as a 预警约谈 (not without its talk); the
// disposition is on the register.
func TestIntegrityPages(t *testing.T) {
	e := newIntegrityEnv(t)
	g := e.grp
	list := g.get("/integrity?court=鲁0102")
	if list.status != http.StatusOK || !strings.Contains(list.body, "预警规则已运行：干警2人，新提出预警3条。") ||
		!strings.Contains(list.body, fmt.Sprintf(`href="/integrity/%d"`, e.off.ID)) || !strings.Contains(list.body, "有财产案件长期未结") {
		t.Fatalf("the list: %d\n%s", list.status, list.body)
	}
	// The period in force stands in its fields (they were empty).
	def := integrity.LastMonths(e.app.DB.Today(), integrity.DefaultMonths)
	if !strings.Contains(list.body, `value="`+def.From.String()+`"`) || !strings.Contains(list.body, `value="`+def.To.String()+`"`) {
		t.Errorf("the list's period fields do not hold %s", def)
	}
	if r := g.get(fmt.Sprintf("/integrity/%d", e.off.ID)); !strings.Contains(r.body, `id="q-from" name="from" type="date" lang="zh-CN" value="`+def.From.String()+`"`) {
		t.Errorf("the record's period fields do not hold %s", def)
	}
	if r := g.get("/integrity?pending=1&sort=category3&order=desc"); r.status != http.StatusOK || !strings.Contains(r.body, e.off.Name) {
		t.Errorf("the pending list: %d", r.status)
	}
	// A backwards period: said beside its field, as typed, not exported.
	if r := g.get("/integrity?from=2026-06-30&to=2026-01-01"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="err-to">截止日期不能早于起始日期`) ||
		!strings.Contains(r.body, `value="2026-06-30"`) || !strings.Contains(r.body, `value="2026-01-01"`) {
		t.Errorf("a backwards period: %d", r.status)
	}
	if r := g.get("/integrity.xlsx?from=2026-06-30&to=2026-01-01"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a backwards period exported: %d", r.status)
	}
	if r := g.get("/integrity?from=2026-13-01"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "日期格式应为 2026-01-31") {
		t.Errorf("a bad date: %d", r.status)
	}
	if r := g.get("/integrity?court=鲁9999"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "没有代码为“鲁9999”的法院") {
		t.Errorf("a court that is not one: %d", r.status)
	}
	if r := g.get("/integrity?court=鲁01"); r.status != http.StatusForbidden {
		t.Errorf("the court above: %d", r.status)
	}
	x := g.get("/integrity.xlsx?court=鲁0102")
	xf, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatalf("the export: %d %v", x.status, err)
	}
	rows, _ := xf.GetRows("廉政档案")
	if len(rows) != 4 || rows[1][1] != "姓名" || rows[1][4] != "第三类反映" || rows[1][16] != "预警（未撤销）" {
		t.Fatalf("export rows %q", rows)
	}
	for _, row := range rows[2:] {
		if row[1] == e.off.Name && (row[4] != "2" || row[5] != "2" || row[15] != "2") {
			t.Errorf("the officer's row %q", row)
		}
	}

	path := fmt.Sprintf("/integrity/%d", e.off.ID)
	rec := g.get(path)
	for _, want := range []string{e.off.Name + " 的廉政档案", "多次第三类反映", "有财产案件长期未结", "高于中位数", "反映执行不廉或作风不正（附件3第三类）",
		`href="/cases/`, `href="/complaints/`, "采纳并记录预警约谈", "不予约谈"} {
		if !strings.Contains(rec.body, want) {
			t.Errorf("the record lacks %q", want)
		}
	}
	long, c3 := e.warnings[integrity.RuleLongOpen], e.warnings[integrity.RuleCategory3]
	r := g.postFrom(path, fmt.Sprintf("/integrity/warnings/%d/dismiss", long), url.Values{"_form": {fmt.Sprintf("dismiss-%d", long)}, "reason": {"  "}})
	refilledForm(t, r, path, []string{"请写明不予约谈的理由"}, nil)
	r = g.postFrom(path, fmt.Sprintf("/integrity/warnings/%d/dismiss", long), url.Values{"reason": {"三案均已执行和解，分期履行中"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != fmt.Sprintf("%s#warning-%d", path, long) {
		t.Fatalf("dismiss: %d %s", r.status, r.header.Get("Location"))
	}
	form := url.Values{"_form": {fmt.Sprintf("accept-%d", c3)}, "decider": {"派驻纪检监察组"}, "held_on": {e.today()}, "place": {""},
		"participants": {"纪检监察组、" + e.off.Name}, "content": {"就两次被反映接受吃请进行预警约谈"}}
	r = g.postFrom(path, fmt.Sprintf("/integrity/warnings/%d/accept", c3), form)
	refilledForm(t, r, path, []string{"请填写地点"}, []string{"就两次被反映接受吃请进行预警约谈"})
	if n := countDispositions(t, e.env, e.off.ID); n != 0 {
		t.Fatalf("a refused acceptance entered %d dispositions", n)
	}
	form.Set("place", "纪检监察组谈话室")
	r = g.postFrom(path, fmt.Sprintf("/integrity/warnings/%d/accept", c3), form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	rec = g.get(path)
	if !strings.Contains(rec.body, "三案均已执行和解，分期履行中") || !strings.Contains(rec.body, "第一种形态处置") || strings.Contains(rec.body, "采纳并记录预警约谈") {
		t.Errorf("the decided warnings on the record:\n%s", rec.body)
	}
	disp := g.get("/dispositions")
	if !strings.Contains(disp.body, e.off.Name) || !strings.Contains(disp.body, "预警约谈") {
		t.Errorf("the register lacks the 预警约谈")
	}
	m := regexp.MustCompile(`href="/dispositions/(\d+)">第一种形态处置`).FindStringSubmatch(rec.body)
	if m == nil {
		t.Fatal("no link to the disposition")
	}
	if d := g.get("/dispositions/" + m[1]); !strings.Contains(d.body, "廉政档案预警") || !strings.Contains(d.body, "纪检监察组谈话室") {
		t.Errorf("the disposition's page lacks its warning or talk")
	}
	if r := g.postFrom(path, fmt.Sprintf("/integrity/warnings/%d/accept", c3), form); r.status != http.StatusConflict {
		t.Errorf("accepted twice: %d", r.status)
	}
}

func (e *env) today() string { return domain.DateOf(e.app.DB.Now(), domain.Beijing).String() }

func countDispositions(t *testing.T, e *env, user int64) int {
	t.Helper()
	var n int
	if err := e.app.DB.WriteDB().QueryRow(e.rebind("SELECT COUNT(*) FROM dispositions WHERE user_id = ?"), user).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Nothing of the record reaches the officer: not its pages, not his home
// page, to-dos, messages or search — nor his head's, the bureau's or the
// command centre's; an officer who is also a watchdog does not see his own
// record or its to-do, and a watchdog beside sees none.
func TestIntegrityPagesSecrecy(t *testing.T) {
	e := newIntegrityEnv(t)
	path := fmt.Sprintf("/integrity/%d", e.off.ID)
	warning := fmt.Sprintf("/integrity/warnings/%d/dismiss", e.warnings[integrity.RuleLongOpen])
	secret := []string{"廉政档案", "预警", "有财产案件长期未结", "多次第三类反映", "/integrity"}
	for _, who := range []string{"ig.off", "ig.head", "ig.bur", "ig.cc"} {
		b := e.browser().loggedIn(who)
		for _, p := range []string{"/integrity", path, "/integrity.xlsx"} {
			if r := b.get(p); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("%s GET %s: %d", who, p, r.status)
			}
		}
		for _, p := range []string{warning, "/integrity/evaluate"} {
			if r := b.post(p, url.Values{"reason": {"x"}, "court": {"鲁0102"}}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("%s POST %s: %d", who, p, r.status)
			}
		}
		for _, p := range []string{"/", "/messages", "/search?q=" + url.QueryEscape("（2020）鲁0102执1号"), "/search?q=" + url.QueryEscape(e.off.Name)} {
			r := b.get(p)
			if r.status != http.StatusOK {
				t.Errorf("%s %s: %d", who, p, r.status)
			}
			for _, s := range secret {
				if strings.Contains(r.body, s) {
					t.Errorf("%s's %s says %q", who, p, s)
				}
			}
		}
	}
	both := e.browser().loggedIn("ig.both")
	if r := both.get(fmt.Sprintf("/integrity/%d", e.both.ID)); r.status != http.StatusNotFound {
		t.Errorf("a watchdog's own record: %d", r.status)
	}
	if r := both.get("/integrity"); r.status != http.StatusOK || strings.Contains(r.body, fmt.Sprintf(`href="/integrity/%d"`, e.both.ID)) ||
		!strings.Contains(r.body, fmt.Sprintf(`href="/integrity/%d"`, e.off.ID)) {
		t.Errorf("a watchdog's list: %d", r.status)
	}
	home := both.get("/")
	if !strings.Contains(home.body, e.off.Name+"：多次第三类反映") || strings.Contains(home.body, e.both.Name+"：") {
		t.Errorf("the to-dos of an officer who is a watchdog:\n%s", home.body)
	}
	if home := e.grp.get("/"); !strings.Contains(home.body, e.both.Name+"：有财产案件长期未结") || !strings.Contains(home.body, "研判廉政预警") {
		t.Errorf("the court's 纪检监察组 lacks the to-do about him")
	}
	beside := e.browser().loggedIn("ig.beside")
	if r := beside.get(path); r.status != http.StatusNotFound {
		t.Errorf("a watchdog beside: %d", r.status)
	}
	if r := beside.post(warning, url.Values{"reason": {"x"}}); r.status != http.StatusNotFound {
		t.Errorf("a watchdog beside dismisses: %d", r.status)
	}
}

// The rules an installation sets with --warning-rules take effect and are
// shown read-only: a category-三 rule of three reports does not fire on
// two, and the page says the file's reason and parameters.
func TestIntegrityRulesConfigured(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "rules.json")
	if err := os.WriteFile(file, []byte(`[{"id": "category3", "count": 3, "reason": "本院规则：多次被反映不廉"}, {"id": "long_open", "enabled": false}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams, Jobs: jobs.Config{NoPeriodic: true},
		UploadDir: dir, WarningRulesFile: file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	e := &integrityEnv{env: newEnvFor(t, a)}
	db := a.DB
	ctx := context.Background()
	off := testdb.AddUser(t, db, "ir.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "ir.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	today := domain.DateOf(db.Now(), domain.Beijing)
	for _, d := range []int{40, 10} {
		if _, err := db.RegisterComplaint(ctx, domain.SystemViewer("t"), "鲁0102", oversight.Complaint{Kind: oversight.KindComplaint, Channel: "来信",
			ReceivedOn: today.AddDays(-d), Staff: []string{off.Username}, Content: "反映吃请", Categories: []string{"C3"}}); err != nil {
			t.Fatal(err)
		}
	}
	g := e.browser().loggedIn("ir.grp")
	if r := g.post("/integrity/evaluate", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("evaluate: %d", r.status)
	}
	r := g.get("/integrity")
	for _, want := range []string{"预警规则已运行：干警1人，新提出预警0条。", "本院规则：多次被反映不廉", "次数（件数、份数）3，期间6个月", "停用"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
}

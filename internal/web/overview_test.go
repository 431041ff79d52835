package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// overviewCases gives 鲁0102 and 鲁0103 closed and open cases filed this
// year, so that the cockpit of 鲁01 has figures to show for both.
func overviewCases(t *testing.T, db *store.DB) {
	t.Helper()
	today := db.Today()
	var ks []*domain.Case
	for i, c := range []struct {
		court  string
		closed bool
		mode   string
	}{{"鲁0102", true, "执行完毕"}, {"鲁0102", false, ""}, {"鲁0102", true, "终结本次执行程序"}, {"鲁0103", true, "执行完毕"}} {
		no, err := domain.ParseCaseNo(fmt.Sprintf("（%d）%s执%d号", today.Year(), c.court, i+1), domain.DefaultCaseTypes)
		if err != nil {
			t.Fatal(err)
		}
		k := &domain.Case{No: no, FiledOn: domain.NewDate(today.Year(), 1, 2), Officer: "某", Department: "执行一庭", HasProperty: true, PropertyKnown: true, Petition: i == 1}
		if c.closed {
			k.ClosedOn, k.ClosingMode = domain.NewDate(today.Year(), 1, 3), c.mode
		}
		ks = append(ks, k)
	}
	err := db.Update(context.Background(), domain.SystemViewer("t"), func(tx *store.Tx) error {
		_, err := tx.UpsertCases(context.Background(), ks, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The cockpit: the watchdogs and the bureau of a court and above see it,
// with every figure's definition, its status against its target, a link
// to its records, the courts below ranked and linked to their own
// cockpits; the export holds the same numbers as the store; nobody else,
// and no court beside, gets in; a period that is none is said beside its
// field.
func TestOverviewPage(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	overviewCases(t, db)
	grp := domain.ViewerFor(testdb.AddUser(t, db, "ov.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "ov.bur", "鲁01", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "ov.grp02", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "ov.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "ov.cc", "鲁01", "执行指挥中心", domain.RoleCommandCenter)
	if _, err := db.RecordDisposition(ctx, grp, "鲁0102", oversight.Disposition{Person: "ov.off", Form: 2, Measure: "警告", Basis: "b", Decider: "d",
		DecidedOn: db.Today()}); err != nil {
		t.Fatal(err)
	}
	year := strconv.Itoa(db.Today().Year())
	want, err := db.OverviewFigures(ctx, grp, "鲁01", true, overview.Year(db.Today().Year()))
	if err != nil {
		t.Fatal(err)
	}
	if want.Core.ThreeYearClosed != (overview.Ratio{Num: 3, Den: 4}) {
		t.Fatalf("the store's figures: %+v", want.Core)
	}

	g := e.browser().loggedIn("ov.grp")
	r := g.get("/overview")
	if r.status != 200 {
		t.Fatalf("the cockpit: %d %s", r.status, r.body)
	}
	// The watchdogs go on from the court to its officers' integrity records.
	if !strings.Contains(r.body, `id="overview-integrity" href="/integrity?court=`) {
		t.Error("the watchdog's cockpit has no way to the integrity records")
	}
	for _, s := range []string{
		"济南市中级人民法院及辖区法院，" + year + "年",
		// Each indicator with its value, target, status, definition and records.
		`<td>近三年执行案件整体执结率</td><td class="col-num">75.0%</td><td class="col-num">3/4</td>`, "≥80%", "status-red",
		overview.Defs[len(overview.Defs)-1].Help(),
		`href="/cases?court=%E9%B2%8101&amp;overdue=1"`,
		// The courts below, each a link to its own cockpit, ranked.
		`<a href="/overview?court=%E9%B2%810102&amp;period=` + year + `&amp;scope=subtree">济南市历下区人民法院</a>`,
		// A figure of each mechanism, its definition, its records.
		"短信回复率", "分子：已发送短信且当事人回复的回访人次", "/visit-stats?", "按期报告率", `/trips?court=%E9%B2%8101&amp;period=` + year + `&amp;status=overdue`, `/trips?court=%E9%B2%8101&amp;period=` + year + `"`,
		"候选待决定", "/tracking?court=", "督察整改逾期", "/rectifications?court=", "四种形态处置", "/dispositions?court=%E9%B2%8101&amp;from=" + year + "-01-01&amp;to=" + year + "-12-31",
		`id="overview-data"`, "echarts.min.", "运行总览</a>",
	} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the cockpit lacks %q", s)
		}
	}
	// A trip figure's records: the trip list narrowed to the court and the
	// period, saying so; a period that is none is refused.
	if r := g.get("/trips?court=鲁0102&period=" + year); r.status != 200 || !strings.Contains(r.body, "仅显示：济南市历下区人民法院及辖区法院，"+year+"年出发的异地执行。") {
		t.Errorf("the narrowed trip list: %d", r.status)
	}
	if r := g.get("/trips?court=鲁0102&period=2026-13"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("the trip list over a period that is none: %d", r.status)
	}
	if !strings.Contains(r.body, `/trip-reviews?court=%E9%B2%8101&amp;period=`+year+`&amp;reason=contradicted&amp;reason=unreported`) {
		t.Error("不如实报告 does not lead to its reviews")
	}
	if r := g.get("/trip-reviews?court=鲁0102&period=" + year + "&reason=contradicted&reason=unreported"); r.status != 200 ||
		!strings.Contains(r.body, "仅显示：济南市历下区人民法院及辖区法院，"+year+"年出发的外出执行，与当事人反映不符（不如实报告）") {
		t.Errorf("the narrowed reviews: %d", r.status)
	}
	if r := g.get("/dispositions?court=鲁0102&from=" + year + "-01-01&to=" + year + "-12-31"); r.status != 200 ||
		!strings.Contains(r.body, "仅显示：济南市历下区人民法院及辖区法院，决定日期 "+year+"-01-01 至 "+year+"-12-31") || !strings.Contains(r.body, `<input type="hidden" name="court" value="鲁0102">`) {
		t.Errorf("the narrowed dispositions: %d", r.status)
	}
	if !strings.Contains(r.body, `/clues?court=%E9%B2%8101&amp;period=`+year+`"`) {
		t.Error("问题线索 does not lead to its court's clues of the period")
	}
	if r := g.get("/clues?court=鲁0102&period=" + year); r.status != 200 || !strings.Contains(r.body, "仅显示：济南市历下区人民法院及辖区法院，"+year+"年登记。") {
		t.Errorf("the narrowed clues: %d", r.status)
	}
	if !strings.Contains(r.body, `/complaints?court=%E9%B2%8101&amp;kind=complaint&amp;period=`+year+`"`) {
		t.Error("投诉举报 does not lead to its court's complaints of the period")
	}
	if r := g.get("/complaints?court=鲁0102&kind=complaint&period=" + year); r.status != 200 || !strings.Contains(r.body, "仅显示："+year+"年收到。") ||
		!strings.Contains(r.body, `<input type="hidden" name="period" value="`+year+`">`) {
		t.Errorf("the narrowed complaints: %d", r.status)
	}
	if r := g.get("/dispositions?from=2026-13-01"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("the dispositions from a day that is none: %d", r.status)
	}
	if r := g.get("/trip-reviews?reason=none"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("the reviews for a reason that is none: %d", r.status)
	}
	// The drill-down: the basic court's own cockpit, and the way back up.
	if r := g.get("/overview?court=鲁0102&scope=subtree&period=" + year); r.status != 200 || !strings.Contains(r.body, "济南市历下区人民法院及辖区法院") ||
		!strings.Contains(r.body, `<nav class="breadcrumb" aria-label="上级法院"><a href="/overview?court=%E9%B2%8101`) || strings.Contains(r.body, `id="children"`) {
		t.Errorf("鲁0102's cockpit: %d", r.status)
	}
	if r := g.get("/overview?scope=self&period=" + year); r.status != 200 || !strings.Contains(r.body, "济南市中级人民法院（本院）") ||
		!strings.Contains(r.body, `<td>近三年执行案件整体执结率</td><td class="col-num">—</td><td class="col-num">0/0</td>`) {
		t.Errorf("鲁01 alone: %d", r.status)
	}
	if r := g.get("/overview?period=2026-13"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="err-period">统计期间应写作`) || !strings.Contains(r.body, `value="2026-13"`) {
		t.Errorf("a period that is none: %d", r.status)
	}

	// The export: the indicators' counts are the store's; every court
	// below has its row.
	x := g.get("/overview.xlsx?court=鲁01&scope=subtree&period=" + year)
	if x.status != 200 || !strings.Contains(x.header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("the export: %d", x.status)
	}
	xf, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	rows, err := xf.GetRows("核心指标")
	if err != nil {
		t.Fatal(err)
	}
	inds := want.Indicators(overview.DefaultTargets())
	if len(rows) != 3+len(inds) {
		t.Fatalf("核心指标 has %d rows", len(rows))
	}
	for i, ind := range inds {
		row := rows[3+i]
		if row[0] != ind.Name || row[1] != ind.Text() || row[2] != strconv.Itoa(ind.Ratio.Num) || row[3] != strconv.Itoa(ind.Ratio.Den) || row[5] != ind.Status.Label() {
			t.Errorf("export row %v, store %s %s %+v %s", row, ind.Name, ind.Text(), ind.Ratio, ind.Status.Label())
		}
	}
	kids, err := xf.GetRows("下级法院")
	if err != nil {
		t.Fatal(err)
	}
	children, err := db.OverviewChildren(ctx, grp, "鲁01", overview.Year(db.Today().Year()))
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) != 1+len(children) || kids[1][0] != "1" {
		t.Fatalf("下级法院: %d rows, first %v", len(kids), kids[1])
	}
	col := -1
	for i, h := range kids[0] {
		if h == "近三年执行案件整体执结率" {
			col = i
		}
	}
	for _, c := range children {
		for _, row := range kids[1:] {
			if row[1] == c.Court.Name {
				if got, wantText := row[col], c.Read(overview.Defs[len(overview.Defs)-1], overview.DefaultTargets()).Text(); got != wantText {
					t.Errorf("%s: %s in the export, %s in the store", c.Court.Name, got, wantText)
				}
			}
		}
	}
	for _, sheet := range []string{"当事人回访", "异地执行报告", "重点案件跟踪", "专项督察评查", "监督问责", "趋势", "目标值"} {
		if rows, err := xf.GetRows(sheet); err != nil || len(rows) < 2 {
			t.Errorf("sheet %s: %d rows, %v", sheet, len(rows), err)
		}
	}
	if rows, _ := xf.GetRows("监督问责"); !strings.Contains(fmt.Sprint(rows), "第二种形态") {
		t.Errorf("the watchdogs' export lacks the dispositions: %v", rows)
	}

	// The bureau: no clues or dispositions, on the page or in the export.
	b := e.browser().loggedIn("ov.bur")
	if r := b.get("/overview"); r.status != 200 || strings.Contains(r.body, "四种形态处置</td>") || !strings.Contains(r.body, "问题线索和四种形态处置只由纪检监察组、监察室查看") {
		t.Errorf("the bureau's cockpit: %d", r.status)
	} else if strings.Contains(r.body, "/integrity") || strings.Contains(r.body, "廉政档案") {
		t.Error("the bureau's cockpit leads to the integrity records")
	}
	bx := b.get("/overview.xlsx")
	if bf, err := excelize.OpenReader(strings.NewReader(bx.body)); err != nil {
		t.Errorf("the bureau's export: %v", err)
	} else {
		if rows, _ := bf.GetRows("监督问责"); strings.Contains(fmt.Sprint(rows), "形态") {
			t.Errorf("the bureau's export has the dispositions")
		}
		bf.Close()
	}

	// Nobody else; no court beside or above.
	for _, c := range []struct{ user, path string }{
		{"ov.off", "/overview"}, {"ov.cc", "/overview"}, {"ov.grp02", "/overview?court=鲁01"}, {"ov.grp02", "/overview.xlsx?court=鲁01"},
		{"ov.grp", "/overview?court=" + url.QueryEscape("鲁02")},
	} {
		if r := e.browser().loggedIn(c.user).get(c.path); r.status != http.StatusForbidden {
			t.Errorf("%s on %s: %d", c.user, c.path, r.status)
		}
	}
	if r := e.browser().loggedIn("ov.off").get("/"); strings.Contains(r.body, `href="/overview"`) {
		t.Error("the officer is offered the cockpit")
	}
}

// A watchdog asks /api/v1/overview with a token it issued itself: the
// same figures as the store's, with the dispositions the bureau does not
// get; a watchdog of a court below is refused the court above.
func TestOverviewWatchdogAPI(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	overviewCases(t, db)
	grp := domain.ViewerFor(testdb.AddUser(t, db, "ow.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "ow.sup", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "ow.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	if _, err := db.RecordDisposition(ctx, grp, "鲁0102", oversight.Disposition{Person: "ow.off", Form: 1, Measure: "谈话提醒", Basis: "b", Decider: "d",
		DecidedOn: db.Today()}); err != nil {
		t.Fatal(err)
	}
	own := func(user string) string {
		b := e.browser().loggedIn(user)
		r := b.post("/account/tokens", url.Values{"name": {"总览"}, "hours": {"1"}, "code": {e.code(user)}})
		m := ownTokenRE.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("%s issuing a token: %d", user, r.status)
		}
		return m[1]
	}
	call := func(token, path string) (int, string) {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var sb strings.Builder
		if _, err := io.Copy(&sb, res.Body); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, sb.String()
	}
	year := db.Today().Year()
	want, err := db.OverviewFigures(ctx, grp, "鲁01", true, overview.Year(year))
	if err != nil {
		t.Fatal(err)
	}
	status, body := call(own("ow.grp"), fmt.Sprintf("/api/v1/overview?court=%s&year=%d", url.QueryEscape("鲁01"), year))
	var out struct {
		Oversight struct {
			Dispositions []struct {
				Label string
				Count int
			}
		}
		Indicators []struct {
			Name        string
			Numerator   int
			Denominator int
			Target      float64
		}
	}
	if status != 200 || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("the watchdog: %d %s", status, body)
	}
	if len(out.Oversight.Dispositions) != 4 || out.Oversight.Dispositions[0].Count != want.Oversight.Dispositions[0].N || out.Oversight.Dispositions[0].Count != 1 {
		t.Errorf("dispositions: %+v", out.Oversight.Dispositions)
	}
	for i, ind := range want.Indicators(overview.DefaultTargets()) {
		if got := out.Indicators[i]; got.Name != ind.Name || got.Numerator != ind.Ratio.Num || got.Denominator != ind.Ratio.Den || got.Target != ind.Target.Value {
			t.Errorf("indicator %d: %+v, want %s %+v", i, got, ind.Name, ind.Ratio)
		}
	}
	if status, _ := call(own("ow.sup"), "/api/v1/overview?court="+url.QueryEscape("鲁01")); status != http.StatusForbidden {
		t.Errorf("鲁0102's 监察室 on 鲁01: %d", status)
	}
}

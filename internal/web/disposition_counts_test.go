package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The dispositions page counts by court and department, by month or year,
// and exports what it counts; the export is the watchdogs' like the page,
// and a watchdog disposed of finds nothing of his in it.
func TestDispositionCountPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	grp := domain.ViewerFor(testdb.AddUser(t, db, "dc.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "dc.sup", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "dc.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "dc.bur", "鲁0102", "执行局", domain.RoleBureau)
	today := domain.DateOf(db.Now(), domain.Beijing)
	for who, measure := range map[string]string{"dc.off": "谈话提醒", "dc.sup": "批评教育"} {
		if _, err := db.RecordDisposition(ctx, grp, "鲁0102", oversight.Disposition{Person: who, Form: 1, Measure: measure, Basis: "b", Decider: "d",
			DecidedOn: today}); err != nil {
			t.Fatal(err)
		}
	}
	year := today.String()[:4]
	g := e.browser().loggedIn("dc.grp")
	r := g.get("/dispositions?by=department&period=year")
	if r.status != 200 || !strings.Contains(r.body, "<th>部门</th>") || !strings.Contains(r.body, "<td>执行一庭</td><td>"+year+"</td>") ||
		!strings.Contains(r.body, "<td>监察室</td><td>"+year+"</td>") || !strings.Contains(r.body, `href="/dispositions/counts.xlsx?by=department&amp;period=year"`) {
		t.Fatalf("the counts by department and year: %d %s", r.status, r.body)
	}
	if r := g.get("/dispositions?year=26"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="err-year">年度应写作四位数字`) || !strings.Contains(r.body, `value="26"`) {
		t.Errorf("a year that is not one: %d", r.status)
	}
	if r := g.get("/dispositions/counts.xlsx?year=26"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("an export for a year that is not one: %d", r.status)
	}
	if r := g.get("/dispositions"); strings.Contains(r.body, "<th>部门</th>") || !strings.Contains(r.body, "<td>"+today.String()[:7]+"</td>") {
		t.Errorf("the counts by court and month")
	}
	sheet := func(b *browser) [][]string {
		t.Helper()
		x := b.get("/dispositions/counts.xlsx?by=department&period=year")
		if x.status != 200 || !strings.Contains(x.header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("the export: %d", x.status)
		}
		xf, err := excelize.OpenReader(strings.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		defer xf.Close()
		rows, err := xf.GetRows("四种形态统计")
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows := sheet(g)
	if len(rows) != 4 || strings.Join(rows[1], ",") != "法院,部门,年度,形态,措施,人次" || strings.Join(rows[2], ",") != "济南市历下区人民法院,执行一庭,"+year+",第一种形态,谈话提醒,1" {
		t.Fatalf("the export's rows: %q", rows)
	}
	if rows := sheet(e.browser().loggedIn("dc.sup")); len(rows) != 3 || strings.Contains(strings.Join(rows[2], ","), "批评教育") {
		t.Errorf("the watchdog disposed of exports his own: %q", rows)
	}
	for _, who := range []string{"dc.off", "dc.bur"} {
		if r := e.browser().loggedIn(who).get("/dispositions/counts.xlsx?by=department"); r.status != http.StatusForbidden || strings.Contains(r.body, "谈话提醒") {
			t.Errorf("%s exports the counts: %d", who, r.status)
		}
	}
}

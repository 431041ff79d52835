package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Every figure of the cockpit has its 12-month trend: the cockpit links
// each to it; a rate gives each month's value with its counts and target
// (三年执结率: the four cases filed on 2 January, three closed on the 3rd,
// 3/4 in every month of the year so far, nothing in those to come); a breakdown its parts month by month
// (the one disposition recorded today in this month, none in the others);
// the export has the same table. The bureau gets no trend of the
// dispositions; the officer, a court beside and a figure that is none get
// nothing.
func TestOverviewFigureTrend(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	overviewCases(t, db)
	grp := domain.ViewerFor(testdb.AddUser(t, db, "tr.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "tr.bur", "鲁01", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "tr.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "tr.bur02", "鲁02", "执行局", domain.RoleBureau)
	today := db.Today()
	if _, err := db.RecordDisposition(ctx, grp, "鲁0102", oversight.Disposition{Person: "tr.off", Form: 2, Measure: "警告", Basis: "b", Decider: "d",
		DecidedOn: today}); err != nil {
		t.Fatal(err)
	}
	year := strconv.Itoa(today.Year())
	thisMonth := overview.Month(today.Year(), today.Month()).String()

	g := e.browser().loggedIn("tr.grp")
	cockpit := g.get("/overview?period=" + year)
	for _, def := range overview.Defs {
		if !strings.Contains(cockpit.body, `href="/overview/trend?court=%E9%B2%8101&amp;key=`+def.Key+`&amp;`) {
			t.Errorf("the cockpit has no trend for %s", def.Key)
		}
	}

	r := g.get("/overview/trend?court=鲁01&scope=subtree&period=" + year + "&key=" + overview.KeyThreeYearClosed)
	if r.status != 200 {
		t.Fatalf("the trend: %d %s", r.status, r.body)
	}
	if n := strings.Count(r.body, `<tr data-month="`); n != 12 {
		t.Errorf("%d months", n)
	}
	rowOf := func(body, month string) string {
		i := strings.Index(body, `<tr data-month="`+month+`">`)
		if i < 0 {
			return ""
		}
		return body[i : i+strings.Index(body[i:], "</tr>")]
	}
	for m := 1; m <= 12; m++ {
		row := rowOf(r.body, overview.Month(today.Year(), time.Month(m)).String())
		if time.Month(m) > today.Month() {
			// A month still to come counts nothing.
			if !strings.Contains(row, `—</td>`) || !strings.Contains(row, `0/0</td>`) {
				t.Errorf("month %d, to come: %s", m, row)
			}
			continue
		}
		if !strings.Contains(row, `75.0%</td>`) || !strings.Contains(row, `3/4</td>`) || !strings.Contains(row, "≥80%") {
			t.Errorf("month %d of 近三年执行案件整体执结率: %s", m, row)
		}
	}
	if !strings.Contains(r.body, `id="figure-trend-data"`) || !strings.Contains(r.body, `"target":80`) {
		t.Error("the trend has no chart")
	}

	r = g.get("/overview/trend?court=鲁01&period=" + year + "&key=oversight.dispositions")
	if r.status != 200 {
		t.Fatalf("the dispositions' trend: %d", r.status)
	}
	for m := 1; m <= 12; m++ {
		p := overview.Month(today.Year(), time.Month(m)).String()
		cell := rowOf(r.body, p)
		if has := strings.Contains(cell, "第二种形态 1"); has != (p == thisMonth) {
			t.Errorf("dispositions in %s: %s", p, cell)
		}
	}
	x := g.get("/overview/trend.xlsx?court=鲁01&period=" + year + "&key=oversight.dispositions")
	xf, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatalf("the export: %d %v", x.status, err)
	}
	rows, err := xf.GetRows("趋势")
	xf.Close()
	if err != nil || len(rows) != 3+12 {
		t.Fatalf("the export's rows: %d %v", len(rows), err)
	}
	for _, row := range rows[3:] {
		if want := row[0] == thisMonth; (row[1] == "1") != want || want && !strings.Contains(row[2], "第二种形态 1") {
			t.Errorf("export row %v", row)
		}
	}

	b := e.browser().loggedIn("tr.bur")
	if r := b.get("/overview/trend?key=oversight.dispositions"); r.status != http.StatusForbidden {
		t.Errorf("the bureau on the dispositions' trend: %d", r.status)
	}
	if r := b.get("/overview/trend.xlsx?key=oversight.clues"); r.status != http.StatusForbidden {
		t.Errorf("the bureau on the clues' trend export: %d", r.status)
	}
	if r := b.get("/overview/trend?key=trips.on_time"); r.status != 200 {
		t.Errorf("the bureau on the trips' trend: %d", r.status)
	}
	for _, c := range []struct {
		user, path string
		status     int
	}{
		{"tr.off", "/overview/trend?key=trips.on_time", http.StatusForbidden},
		{"tr.off", "/overview/trend?court=鲁0102&key=oversight.complaints", http.StatusForbidden},
		{"tr.bur02", "/overview/trend?court=鲁01&key=trips.on_time", http.StatusForbidden},
		{"tr.grp", "/overview/trend?key=visits.none", http.StatusNotFound},
	} {
		if r := e.browser().loggedIn(c.user).get(c.path); r.status != c.status {
			t.Errorf("%s on %s: %d", c.user, c.path, r.status)
		}
	}
}

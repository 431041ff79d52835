package web_test

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestListExportKeepsFilters: a list page's export link carries the
// page's filters and not its page, size or order, and the file holds what
// those filters find.
func TestListExportKeepsFilters(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	grp := domain.ViewerFor(testdb.AddUser(t, db, "le.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "le.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "le.off2", "鲁0102", "执行二庭", domain.RoleOfficer)
	today := domain.DateOf(db.Now(), domain.Beijing)
	for who, d := range map[string]oversight.Disposition{
		"le.off":  {Form: 1, Measure: "谈话提醒"},
		"le.off2": {Form: 2, Measure: "警告"},
	} {
		d.Person, d.Basis, d.Decider, d.DecidedOn = who, "b", "d", today
		if _, err := db.RecordDisposition(ctx, grp, "鲁0102", d); err != nil {
			t.Fatal(err)
		}
	}
	g := e.browser().loggedIn("le.grp")
	r := g.get("/dispositions?form=2&by=department&page=2&size=20&sort=person&order=desc")
	m := regexp.MustCompile(`href="(/dispositions/counts\.xlsx[^"]*)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no export link:\n%s", r.body)
	}
	link := html.UnescapeString(m[1])
	if link != "/dispositions/counts.xlsx?by=department&form=2" {
		t.Fatalf("export link %q", link)
	}
	x := g.get(link)
	xf, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatalf("the export: %d %v", x.status, err)
	}
	defer xf.Close()
	rows, err := xf.GetRows("四种形态统计")
	if err != nil {
		t.Fatal(err)
	}
	all := ""
	for _, row := range rows {
		all += strings.Join(row, ",") + "\n"
	}
	if len(rows) != 3 || !strings.Contains(all, "执行二庭") || !strings.Contains(all, "警告") || strings.Contains(all, "谈话提醒") {
		t.Fatalf("the export holds more than the filter finds:\n%s", all)
	}
}

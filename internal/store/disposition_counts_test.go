package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The watchdogs count dispositions by court or by the person's
// department, by month or by year (issue 14), in the register's scope: a
// watchdog disposed of counts nothing of his, an officer nothing at all.
func TestDispositionCountsByDepartment(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 3, 20, 2, 0, 0, 0, time.UTC) }
	grp := domain.ViewerFor(testdb.AddUser(t, db, "grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	above := domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	sup := domain.ViewerFor(testdb.AddUser(t, db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	off := domain.ViewerFor(testdb.AddUser(t, db, "a1", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	testdb.AddUser(t, db, "a2", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "b1", "鲁0102", "执行二庭", domain.RoleOfficer)
	for _, d := range []struct {
		who, on, measure string
		form             oversight.Form
	}{
		{"a1", "2026-02-03", "谈话提醒", 1}, {"a2", "2026-02-10", "谈话提醒", 1}, {"a2", "2026-03-01", "谈话提醒", 1},
		{"b1", "2026-03-02", "警告", 2}, {"b1", "2025-12-30", "谈话提醒", 1}, {"sup", "2026-03-05", "批评教育", 1},
	} {
		if _, err := db.RecordDisposition(ctx, grp, "鲁0102", oversight.Disposition{Person: d.who, Form: d.form, Measure: d.measure, Basis: "b",
			Decider: "鲁0102纪检监察组", DecidedOn: domain.MustDate(d.on)}); err != nil {
			t.Fatal(err)
		}
	}
	got := func(v domain.Viewer, f store.DispositionFilter, g store.CountGroup) string {
		t.Helper()
		cs, err := db.DispositionCountsBy(ctx, v, f, g)
		if err != nil {
			t.Fatal(err)
		}
		var s string
		for _, c := range cs {
			s += fmt.Sprintf("%s|%s|%s|%d|%s|%d\n", c.Court, c.Department, c.Period, c.Form, c.Measure, c.N)
		}
		return s
	}
	const court = "济南市历下区人民法院"
	for _, tt := range []struct {
		name string
		v    domain.Viewer
		f    store.DispositionFilter
		g    store.CountGroup
		want string
	}{
		{"by department and month", above, store.DispositionFilter{Year: "2026"}, store.CountGroup{Department: true},
			court + "|执行一庭|2026-02|1|谈话提醒|2\n" + court + "|执行一庭|2026-03|1|谈话提醒|1\n" + court + "|执行二庭|2026-03|2|警告|1\n" +
				court + "|监察室|2026-03|1|批评教育|1\n"},
		{"by department and year", grp, store.DispositionFilter{Form: 1}, store.CountGroup{Department: true, Year: true},
			court + "|执行一庭|2026|1|谈话提醒|3\n" + court + "|执行二庭|2025|1|谈话提醒|1\n" + court + "|监察室|2026|1|批评教育|1\n"},
		{"by court and year", grp, store.DispositionFilter{}, store.CountGroup{Year: true},
			court + "||2025|1|谈话提醒|1\n" + court + "||2026|1|批评教育|1\n" + court + "||2026|1|谈话提醒|3\n" + court + "||2026|2|警告|1\n"},
		{"the watchdog disposed of", sup, store.DispositionFilter{}, store.CountGroup{Department: true, Year: true},
			court + "|执行一庭|2026|1|谈话提醒|3\n" + court + "|执行二庭|2025|1|谈话提醒|1\n" + court + "|执行二庭|2026|2|警告|1\n"},
	} {
		if s := got(tt.v, tt.f, tt.g); s != tt.want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.name, s, tt.want)
		}
	}
	if _, err := db.DispositionCountsBy(ctx, off, store.DispositionFilter{}, store.CountGroup{Department: true}); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("an officer counts: %v", err)
	}
}

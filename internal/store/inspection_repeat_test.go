package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
)

func TestDuePeriod(t *testing.T) {
	d := domain.MustDate
	for _, c := range []struct {
		name, schedule, from, to, next, today string
		start, end, after                     string // "" when nothing is due
	}{
		{"not yet", store.ScheduleQuarterly, "2026-01-01", "2026-03-31", "2026-04-01", "2026-03-31", "", "", ""},
		{"no schedule", "", "2026-01-01", "2026-03-31", "2026-04-01", "2026-05-01", "", "", ""},
		{"a whole quarter stays whole", store.ScheduleQuarterly, "2026-01-01", "2026-03-31", "2026-04-01", "2026-04-01", "2026-04-01", "2026-06-30", "2026-07-01"},
		{"a part keeps its length", store.ScheduleHalfYearly, "2026-01-01", "2026-01-31", "2026-07-01", "2026-07-09", "2026-07-01", "2026-07-31", "2027-01-01"},
		{"missed periods are skipped", store.ScheduleQuarterly, "2026-01-01", "2026-03-31", "2026-04-01", "2026-11-02", "2026-10-01", "2026-12-31", "2027-01-01"},
		{"yearly", store.ScheduleYearly, "2026-01-01", "2026-12-31", "2027-01-01", "2027-01-05", "2027-01-01", "2027-12-31", "2028-01-01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start, end, after, ok := store.DuePeriod(c.schedule, d(c.from), d(c.to), d(c.next), d(c.today))
			if ok != (c.start != "") {
				t.Fatalf("due %v", ok)
			}
			if ok && (start.String() != c.start || end.String() != c.end || after.String() != c.after) {
				t.Fatalf("got %s–%s, next %s", start, end, after)
			}
		})
	}
}

// A quarterly campaign makes the next quarter's on its run day, in 筹备,
// on its leader's to-dos, once however often the job runs; it takes the
// latest version of the template's checklist and the active members.
func TestRepeatInspections(t *testing.T) {
	f := newInspectionFixture(t)
	db := f.db
	in := store.InspectionInput{
		Campaign: inspection.Campaign{Kind: inspection.KindPatrol, Theme: inspection.ThemeDiscipline, Title: "执行干警纪律作风司法巡查",
			From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-03-31"), Plan: "每季度巡查一次。"},
		Courts: []string{"鲁0102", "鲁0103"}, MemberIDs: []int64{f.leader.UserID, f.group.UserID, f.office.UserID}, LeaderID: f.leader.UserID,
		PerCourt: 3, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7, Schedule: store.ScheduleQuarterly,
	}
	db.Now = func() time.Time { return time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC) }
	tpl, err := db.CreateInspection(ctx, f.leader, in)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := db.EditChecklist(ctx, f.group, tpl, inspection.Checklist{Name: "纪律作风巡查清单（本院）", Items: []inspection.Item{
		{Title: "外出执行报告", Points: 100, Deduction: "每缺一份扣10分", Basis: "附件1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.RepeatInspections(ctx); err != nil || n != 0 {
		t.Fatalf("before the run day: %d %v", n, err)
	}
	db.Now = func() time.Time { return time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC) }
	for run := 0; run < 2; run++ {
		n, err := db.RepeatInspections(ctx)
		if err != nil || n != 1-run {
			t.Fatalf("run %d made %d: %v", run, n, err)
		}
	}
	list, err := db.Inspections(ctx, f.leader)
	if err != nil {
		t.Fatal(err)
	}
	var made *store.Inspection
	for _, c := range list {
		if c.ID != tpl && c.Kind == inspection.KindPatrol {
			if made != nil {
				t.Fatalf("two campaigns made")
			}
			made = c
		}
	}
	if made == nil || made.State != inspection.StatePrep || made.From.String() != "2026-04-01" || made.To.String() != "2026-06-30" ||
		made.Title != "执行干警纪律作风司法巡查（2026-04-01至2026-06-30）" || made.ChecklistID != edited || len(made.Scope) != 2 || len(made.Members) != 3 ||
		inspection.Leader(made.Members).UserID != f.leader.UserID || made.Schedule != "" || made.Plan != "每季度巡查一次。" {
		t.Fatalf("made %+v", made)
	}
	tplRow, err := db.Inspection(ctx, f.leader, tpl)
	if err != nil || tplRow.NextOn.String() != "2026-07-01" {
		t.Fatalf("the template's next run %s: %v", tplRow.NextOn, err)
	}
	// Editing the template keeps its next run unless the schedule changes.
	in.Campaign.Plan = "每季度巡查一次，重点查外出执行报告。"
	if err := db.UpdateInspection(ctx, f.leader, tpl, in); err != nil {
		t.Fatal(err)
	}
	if row, _ := db.Inspection(ctx, f.leader, tpl); row.NextOn.String() != "2026-07-01" {
		t.Fatalf("an edit moved the next run to %s", row.NextOn)
	}
	in.Schedule = store.ScheduleYearly
	if err := db.UpdateInspection(ctx, f.leader, tpl, in); err != nil {
		t.Fatal(err)
	}
	if row, _ := db.Inspection(ctx, f.leader, tpl); row.NextOn.String() != "2027-01-01" {
		t.Fatalf("a new schedule's next run %s", row.NextOn)
	}
	in.Schedule = store.ScheduleQuarterly
	if err := db.UpdateInspection(ctx, f.leader, tpl, in); err != nil {
		t.Fatal(err)
	}
	todos, err := db.InspectionTodos(ctx, f.leader)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, td := range todos {
		found = found || td.ID == made.ID && strings.Contains(td.Title, "完成筹备")
	}
	if !found {
		t.Fatalf("the leader's to-dos lack the made campaign: %+v", todos)
	}
	// The next quarter, the next one; its title does not pile up periods.
	db.Now = func() time.Time { return time.Date(2026, 7, 2, 2, 0, 0, 0, time.UTC) }
	if n, err := db.RepeatInspections(ctx); err != nil || n != 1 {
		t.Fatalf("next quarter made %d: %v", n, err)
	}
	list, _ = db.Inspections(ctx, f.leader)
	if list[0].Title != "执行干警纪律作风司法巡查（2026-07-01至2026-09-30）" {
		t.Fatalf("next quarter's title %q", list[0].Title)
	}
}

package jobs_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The daily job makes a quarterly campaign's next quarter once: the job
// worked twice on the run day leaves one new campaign, in 筹备.
func TestInspectionSchedulesJob(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC) }
	vf := func(u *domain.User) domain.Viewer { return domain.ViewerFor(u, "") }
	lead := vf(testdb.AddUser(t, db, "sch.lead", "鲁01", "执行局", domain.RoleBureau))
	grp := vf(testdb.AddUser(t, db, "sch.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup))
	sup := vf(testdb.AddUser(t, db, "sch.sup", "鲁01", "监察室", domain.RoleSupervisionOffice))
	if _, err := db.CreateInspection(ctx, lead, store.InspectionInput{
		Campaign: inspection.Campaign{Kind: inspection.KindSupervision, Theme: inspection.ThemeMoney, Title: "案款管理专项督察",
			From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-03-31")},
		Courts: []string{"鲁0102"}, MemberIDs: []int64{lead.UserID, grp.UserID, sup.UserID}, LeaderID: lead.UserID,
		PerCourt: 3, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7, Schedule: store.ScheduleQuarterly,
	}); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC) }
	q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet()}, jobs.Config{NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	sub, cancel := q.Client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	for round := 0; round < 2; round++ {
		if _, err := q.Client.Insert(ctx, jobs.InspectionSchedulesArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-sub:
			if ev.Kind != river.EventKindJobCompleted || ev.Job.Kind != "inspection_schedules" {
				t.Fatalf("%s job %s: %v", ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("round %d: the job did not run within 30s", round)
		}
	}
	list, err := db.Inspections(ctx, lead)
	if err != nil || len(list) != 2 || list[0].State != inspection.StatePrep || list[0].From.String() != "2026-04-01" {
		t.Fatalf("campaigns after the job: %d %v", len(list), err)
	}
}

package jobs_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The daily job runs the early-warning rules over every court: worked
// twice, it proposes the warning its facts fire once.
func TestIntegrityWarningsJob(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC) }
	off := testdb.AddUser(t, db, "iw.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	grp := domain.ViewerFor(testdb.AddUser(t, db, "iw.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	var cases []*domain.Case
	for i := 1; i <= 3; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2024）鲁0102执%d号", i), domain.DefaultCaseTypes)
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate("2024-01-05"), Officer: off.Name, Department: "执行一庭", HasProperty: true, PropertyKnown: true})
	}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}
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
		if _, err := q.Client.Insert(ctx, jobs.IntegrityWarningsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-sub:
			if ev.Kind != river.EventKindJobCompleted || ev.Job.Kind != "integrity_warnings" {
				t.Fatalf("%s job %s: %v", ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("round %d: the job did not run within 30s", round)
		}
	}
	ws, err := db.IntegrityWarnings(ctx, grp, off.ID)
	if err != nil || len(ws) != 1 || ws[0].Rule != "long_open" || !strings.HasPrefix(ws[0].ProposedBy, "系统") {
		t.Fatalf("warnings after the job: %+v %v", ws, err)
	}
}

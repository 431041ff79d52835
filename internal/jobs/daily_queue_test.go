package jobs_test

import (
	"sort"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The daily scans go to the daily queue whoever inserts them (the periodic
// schedule at a server's start, the patrol for its courts) and run there
// one at a time, beside a default queue of four workers; the frequent
// light jobs stay on the default queue. Run together at a first start over
// a million cases, the scans took the server past issue 19's memory goal.
func TestDailyScansRunOneAtATime(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	var cases []*domain.Case
	for _, n := range []string{"（2026）鲁0102执1号", "（2026）鲁0103执1号", "（2026）鲁0104执1号"} {
		no, _ := domain.ParseCaseNo(n, domain.DefaultCaseTypes)
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05")})
	}
	err := db.Update(ctx, sys, func(tx *store.Tx) error {
		_, err := tx.UpsertCases(ctx, cases, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet()}, jobs.Config{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	daily := map[string]bool{
		"patrol": true, "patrol_court": true, "focused_visits": true, "tracking_candidates": true,
		"integrity_warnings": true, "recompute_deadlines": true, "draw_visits": true, "verify_audit": true,
		"inspection_schedules": true, "trip_reminders": true, "rectification_reminders": true,
		"start_visits": false, "reply_windows": false, "resume_imports": false,
	}
	sub, cancel := q.Client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if err := q.Start(ctx); err != nil { // the periodic jobs run on start
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	courts := 0
	left := len(daily) - 1 + len(cases) // one patrol_court a court
	deadline := time.After(60 * time.Second)
	for left > 0 {
		select {
		case ev := <-sub:
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("%s job %s: %v", ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
			if _, ok := daily[ev.Job.Kind]; ok {
				left--
			}
			if ev.Job.Kind == "patrol_court" {
				courts++
			}
		case <-deadline:
			t.Fatalf("%d jobs did not run within 60s", left)
		}
	}
	if courts != len(cases) {
		t.Fatalf("%d court patrols for %d courts", courts, len(cases))
	}
	res, err := q.Client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateCompleted).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	var runs []*rivertype.JobRow
	for _, j := range res.Jobs {
		want := river.QueueDefault
		if daily[j.Kind] {
			want = jobs.DailyQueue
			runs = append(runs, j)
		}
		if j.Queue != want {
			t.Errorf("%s ran on queue %q, want %q", j.Kind, j.Queue, want)
		}
	}
	if len(runs) != len(daily)-3-1+len(cases) {
		t.Fatalf("%d daily runs listed", len(runs))
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].AttemptedAt.Before(*runs[j].AttemptedAt) })
	for i := 1; i < len(runs); i++ {
		if runs[i].AttemptedAt.Before(*runs[i-1].FinalizedAt) {
			t.Errorf("%s started at %s, before %s ended at %s", runs[i].Kind, runs[i].AttemptedAt.Format(time.StampMicro),
				runs[i-1].Kind, runs[i-1].FinalizedAt.Format(time.StampMicro))
		}
	}
}

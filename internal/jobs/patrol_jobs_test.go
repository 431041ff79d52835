package jobs_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
)

// The daily patrol enqueues one run per court with cases, and each run
// stores the court's findings; working the day's job twice adds nothing.
func TestPatrolJob(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC) }
	sys := domain.SystemViewer("test")
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05")}
	err := db.Update(ctx, sys, func(tx *store.Tx) error {
		if _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); err != nil {
			return err
		}
		_, err := tx.ReplaceCaseActs(ctx, k.ID, []tracking.Act{{Kind: tracking.ActFundsIn, On: domain.MustDate("2026-03-01"), Amount: 100}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rules := tracking.DefaultPatrolRules()
	for i := range rules {
		rules[i].On = rules[i].Code == tracking.RuleFundsPayout
	}
	q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet()}, jobs.Config{NoPeriodic: true, PatrolRules: rules})
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
		if _, err := q.Client.Insert(ctx, jobs.PatrolArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"patrol": true, "patrol_court": round == 0} // the day's court run is unique
		deadline := time.After(30 * time.Second)
		for len(want) > 0 {
			select {
			case ev := <-sub:
				if ev.Kind != river.EventKindJobCompleted {
					t.Fatalf("%s job %s: %v", ev.Job.Kind, ev.Kind, ev.Job.Errors)
				}
				if _, ok := want[ev.Job.Kind]; !ok || (!want[ev.Job.Kind] && ev.Job.Kind == "patrol_court") {
					t.Fatalf("unexpected %s job in round %d", ev.Job.Kind, round)
				}
				delete(want, ev.Job.Kind)
				if ev.Job.Kind == "patrol" && round == 1 {
					delete(want, "patrol_court")
				}
			case <-deadline:
				t.Fatalf("round %d: jobs %v did not run within 30s", round, want)
			}
		}
	}
	p, err := db.Findings(ctx, sys, store.FindingFilter{})
	if err != nil || len(p.Findings) != 1 || p.Findings[0].Rule != tracking.RuleFundsPayout || p.Findings[0].FirstFound.String() != "2026-05-01" {
		t.Fatalf("findings after the job: %+v, %v", p, err)
	}
	if n := countJobs(t, db, "patrol_court"); n != 1 {
		t.Fatalf("%d court runs for one court and day", n)
	}
}

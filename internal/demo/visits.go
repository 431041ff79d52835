package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

// SeedVisits draws last month's batch for every demo court and plays the
// visits into every state of the escalation, so that a demo month shows
// each path: waiting, texted, satisfied by SMS, dissatisfied and waiting
// for the phone, satisfied on the phone, in consultation, on site, done.
// It runs once: a database with batches is left alone.
func SeedVisits(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	if bs, err := db.Batches(ctx, sys, 1); err != nil || len(bs) > 0 {
		return err
	}
	today := db.Today()
	month := domain.NewDate(today.Year(), today.Month(), 1).AddMonths(-1).String()[:7]
	all, err := db.Courts(ctx, sys)
	if err != nil {
		return err
	}
	// A demo month draws more than 5%, so that every court has visits to
	// show; the batch pages state the rate used.
	rule := visit.DrawRule{Rate: 0.3, Rounding: "ceil", MinOne: true}
	for _, c := range Courts(all) {
		if _, _, err := db.DrawBatch(ctx, sys, c.Code, month, rule); err != nil {
			return fmt.Errorf("demo draw %s: %w", c.Code, err)
		}
	}
	vs, err := db.Visits(ctx, sys, store.VisitFilter{Limit: 500})
	if err != nil {
		return err
	}
	cfg := visit.DefaultConfig()
	no := false
	yes := true
	reply := func(s string) visit.Event {
		r, _ := visit.ParseSatisfaction(s)
		return visit.Event{Kind: visit.EventSMSReply, Reply: r}
	}
	start := visit.Event{Kind: visit.EventStart}
	complaint := &visit.Answers{Satisfied: &no, Items: []string{"C1.6", "C3.4"}, Text: "案款发放慢，承办人推诿接待"}
	decide := func(role domain.Role, person string) visit.Event {
		return visit.Event{Kind: visit.EventConsultDecision, Role: role, Person: person, Opinion: "同意派员实地回访"}
	}
	paths := [][]visit.Event{
		{},
		{start},
		{start, reply("满意")},
		{start, reply("不满意，钱还没拿到")},
		{start, reply("不知道")},
		{start, reply("2"), {Kind: visit.EventPhoneRecorded, Answers: &visit.Answers{Satisfied: &yes, Text: "电话沟通后表示满意"}}},
		{start, reply("不满意"), {Kind: visit.EventPhoneRecorded, Answers: complaint}, decide(domain.RoleBureau, "执行局 王建国")},
		{start, reply("不满意"), {Kind: visit.EventPhoneRecorded, Answers: complaint}, decide(domain.RoleBureau, "执行局 王建国"),
			decide(domain.RoleDisciplineGroup, "纪检监察组 李红"), decide(domain.RoleSupervisionOffice, "监察室 赵明")},
		{start, reply("不满意"), {Kind: visit.EventPhoneRecorded, Answers: complaint}, decide(domain.RoleBureau, "执行局 王建国"),
			decide(domain.RoleDisciplineGroup, "纪检监察组 李红"), decide(domain.RoleSupervisionOffice, "监察室 赵明"),
			{Kind: visit.EventOnsiteRecorded, Role: domain.RoleDisciplineGroup, Measures: "约谈承办人，督促三日内发放案款", Suggestions: "执行局完善案款发放提醒机制"}},
	}
	// Paths are dealt per court, so each court's first visits take
	// different paths.
	seen := map[int64]int{}
	for _, vi := range vs {
		i := seen[vi.CourtID]
		seen[vi.CourtID]++
		for _, ev := range paths[i%len(paths)] {
			if _, err := db.ApplyVisitEvent(ctx, sys, vi.ID, ev, cfg); err != nil {
				return fmt.Errorf("demo visit %d %s: %w", vi.ID, ev.Kind, err)
			}
		}
	}
	n, err := db.ScanFocused(ctx, 90*24*time.Hour)
	if err != nil {
		return err
	}
	log.Info("demo visits created", "month", month, "daily", len(vs), "focused", n)
	return nil
}

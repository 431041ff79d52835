package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

// EnlargedRate is the rate of the demo's one enlarged batch
// (演示用扩大抽样), above the document's 5 %.
const EnlargedRate = 0.5

// SeedVisits draws last month's batch for every demo court and plays the
// visits into every state of the escalation, so that a demo month shows
// each path: waiting, texted, satisfied by SMS, dissatisfied and waiting
// for the phone, satisfied on the phone, in consultation, on site, done.
// cfg is the server's (its PublicURL puts the party's one-time link into
// the questions). It runs once: a database with batches is left alone.
func SeedVisits(ctx context.Context, db *store.DB, log *slog.Logger, cfg visit.Config) error {
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
	// Every court's last month is drawn at the document's 5 %. So that the
	// flagship court also shows every state of a visit, its month before
	// is drawn larger (EnlargedRate); that batch's page labels it
	// 演示用扩大抽样.
	rule := visit.DefaultDrawRule()
	for _, c := range Courts(all) {
		if _, _, err := db.DrawBatch(ctx, sys, c.Code, month, rule); err != nil {
			return fmt.Errorf("demo draw %s: %w", c.Code, err)
		}
	}
	enlarged := rule
	enlarged.Rate = EnlargedRate
	before := domain.NewDate(today.Year(), today.Month(), 1).AddMonths(-2).String()[:7]
	if _, _, err := db.DrawBatch(ctx, sys, FlagshipCourt, before, enlarged); err != nil {
		return fmt.Errorf("demo enlarged draw: %w", err)
	}
	vs, _, err := db.VisitPage(ctx, sys, store.VisitFilter{Page: store.PageReq{Size: 500}})
	if err != nil {
		return err
	}
	no := false
	yes := true
	reply := func(s string) visit.Event {
		r, _ := visit.ParseSatisfaction(s)
		return visit.Event{Kind: visit.EventSMSReply, Reply: r}
	}
	start := visit.Event{Kind: visit.EventStart}
	complaint := &visit.Answers{Satisfied: &no, Items: []string{"C1.6", "C3.4"}, Text: "案款发放慢，承办人推诿接待"}
	consult := visit.Event{Kind: visit.EventConsultation, Role: domain.RoleBureau, Consultation: &visit.Consultation{Date: db.Today(),
		Participants: map[domain.Role]string{domain.RoleBureau: "执行局 王建国、刘洋", domain.RoleDisciplineGroup: "纪检监察组 李红", domain.RoleSupervisionOffice: "监察室 赵明"},
		Conclusion:   "当事人反映案款发放迟延、承办人推诿接待，三家一致同意派员实地回访",
		Persons:      map[domain.Role]string{domain.RoleBureau: "执行局 王建国", domain.RoleDisciplineGroup: "纪检监察组 李红", domain.RoleSupervisionOffice: "监察室 赵明"}}}
	unreached := visit.Event{Kind: visit.EventPhoneUnreached, Reason: "无人接听"}
	paths := [][]visit.Event{
		{},
		// An escalated visit with every stage: SMS 不满意, the categories by
		// SMS, the phone visit, the consultation and the on-site visit.
		{start, reply("不满意"), {Kind: visit.EventCategoriesReply, Categories: []int{1, 3}}, {Kind: visit.EventPhoneRecorded, Answers: complaint}, consult,
			{Kind: visit.EventOnsiteRecorded, Role: domain.RoleDisciplineGroup, Answers: &visit.Answers{Satisfied: &no, Items: []string{"C1.6"}, Text: "实地核实：案款已于回访当日发放"},
				Measures: "约谈承办人，督促三日内发放案款", Suggestions: "执行局完善案款发放提醒机制"}},
		{start},
		{start, reply("满意")},
		{start, reply("不满意，钱还没拿到")},
		{start, reply("不知道")},
		{start, reply("2"), {Kind: visit.EventPhoneRecorded, Answers: &visit.Answers{Satisfied: &yes, Text: "电话沟通后表示满意"}}},
		{start, reply("不满意"), {Kind: visit.EventPhoneRecorded, Answers: complaint}},
		{{Kind: visit.EventStartPhone}, unreached, unreached},
		{start, reply("不满意"), {Kind: visit.EventPhoneRecorded, Answers: complaint}, consult},
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
	if err := lateClosings(ctx, db, month, rule); err != nil {
		return err
	}
	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()})
	if err != nil {
		return err
	}
	log.Info("demo visits created", "month", month, "daily", len(vs), "focused", rep.Created, "merged", rep.Merged)
	return nil
}

// lateClosings shows a supplementary draw (补充抽取): a few open 执 cases
// of 鲁0102 get a closing in the drawn month, as if the case system had
// reported them after the draw, and the month is supplemented by the same
// rule.
func lateClosings(ctx context.Context, db *store.DB, month string, rule visit.DrawRule) error {
	sys := domain.SystemViewer("demo")
	page, err := db.Cases(ctx, sys, store.CaseFilter{Court: "鲁0102", Status: "open", Limit: 200})
	if err != nil {
		return err
	}
	from, _, err := domain.ParseMonth(month)
	if err != nil {
		return err
	}
	var late []*domain.Case
	for _, k := range page.Cases {
		if k.No.Type != "执" || k.FiledOn.After(from) || len(late) == 6 {
			continue
		}
		k.ClosedOn, k.ClosingMode = from.AddDays(27), "执行完毕"
		late = append(late, k)
	}
	if len(late) == 0 {
		return nil
	}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error {
		_, err := tx.UpsertCases(ctx, late, nil)
		return err
	}); err != nil {
		return fmt.Errorf("demo late closings: %w", err)
	}
	if _, err := db.DrawSupplement(ctx, sys, "鲁0102", month, rule); err != nil {
		return fmt.Errorf("demo supplement: %w", err)
	}
	return nil
}

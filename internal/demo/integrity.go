package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// SeedIntegrity runs the early-warning rules of the integrity records
// (廉政档案, issue 18) over the demo province, on the demo's own records —
// return visits answered in 附件3's third category, complaints, cases with
// property long past their time limit — and has 鲁0102's watchdogs decide
// two of the warnings: the 纪检监察组 accepts one of category 三 as a 预警
// 约谈 with its talk, the 监察室 dismisses one of long-open cases with its
// reason; the others wait on their to-dos. Once: a demo with a decided
// warning is left alone.
func SeedIntegrity(ctx context.Context, db *store.DB, log *slog.Logger) error {
	const code = FlagshipCourt
	if _, err := db.CourtByCode(ctx, code); err != nil {
		return nil // not a demo court
	}
	sys := domain.SystemViewer("demo")
	officers, _, err := db.IntegrityOfficers(ctx, sys, store.IntegrityFilter{Court: code, Page: store.PageReq{All: true, Sort: "name"}})
	if err != nil {
		return err
	}
	var proposed []*store.IntegrityWarning
	for _, o := range officers {
		ws, err := db.IntegrityWarnings(ctx, sys, o.ID)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if w.State != integrity.StateProposed {
				return nil // decided before
			}
		}
	}
	res, err := db.EvaluateIntegrity(ctx, sys, "")
	if err != nil {
		return fmt.Errorf("demo warnings: %w", err)
	}
	for _, o := range officers {
		ws, err := db.IntegrityWarnings(ctx, sys, o.ID)
		if err != nil {
			return err
		}
		proposed = append(proposed, ws...)
	}
	user := func(key string) (domain.Viewer, error) {
		u, _, err := db.UserForLogin(ctx, Username(code, key))
		if err != nil {
			return domain.Viewer{}, fmt.Errorf("demo warnings: %s: %w", key, err)
		}
		return domain.ViewerFor(u, "demo"), nil
	}
	group, err := user("discipline")
	if err != nil {
		return err
	}
	sup, err := user("supervision")
	if err != nil {
		return err
	}
	today := db.Today()
	var accepted, dismissed int64
	for _, w := range proposed {
		switch {
		case accepted == 0 && w.Rule == integrity.RuleCategory3:
			_, err = db.AcceptIntegrityWarning(ctx, group, w.ID, integrity.Acceptance{Decider: "派驻纪检监察组", Talk: oversight.Talk{
				HeldOn: today, Place: "派驻纪检监察组谈话室", Participants: "派驻纪检监察组 " + group.Name + "、监察室 " + sup.Name + "、" + w.Person,
				Content:    "近期当事人回访答复和投诉中两次以上反映其执行不廉或作风不正，指出苗头性问题，提醒严守廉洁纪律，不得与当事人同行、同吃、同住，不得接受当事人吃请。",
				Statement:  "与当事人接触中有不注意影响的情况，未接受吃请和财物。",
				Commitment: "严格执行“三同”禁止性规定，接待当事人在办公场所进行，主动接受监督。",
				FollowUpOn: today.AddDays(90)}})
			accepted = w.ID
		case dismissed == 0 && w.Rule == integrity.RuleLongOpen:
			err = db.DismissIntegrityWarning(ctx, sup, w.ID,
				"经核查，所列案件未能执结主要因被执行人财产处置（评估、拍卖）周期较长，未发现承办人违反廉洁纪律的情形，不予约谈；转执行局督促加快办理。")
			dismissed = w.ID
		}
		if err != nil {
			return fmt.Errorf("demo warning %d: %w", w.ID, err)
		}
	}
	log.Info("demo warnings", "proposed", res.Proposed, "accepted", accepted, "dismissed", dismissed)
	return nil
}

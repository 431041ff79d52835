package demo

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// SeedTracking gives 鲁0102 key-case candidates of all five scopes (the
// bureau flags cases 有较大社会影响 and 可能引发重大舆情 ten days ago, so one
// evaluation is overdue; the complaints, petitions, return visits and trip
// reviews of the other seeds supply the rest; the discipline group adds a
// case with its reason) and a tracking in each state: declined, evaluated,
// in consultation, awaiting the co-leaders, tracked by the co-leaders after
// a disagreement (they differed), tracking with its group, closed, not
// tracked, and lapsed. Once: a demo with trackings is left alone.
func SeedTracking(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	if ts, _, err := db.TrackingList(ctx, sys, store.TrackingFilter{Page: store.PageReq{Size: 1}}); err != nil || len(ts) > 0 {
		return err
	}
	const code = "鲁0102"
	if _, err := db.CourtByCode(ctx, code); err != nil {
		return nil // not a demo court
	}
	vs := map[string]domain.Viewer{}
	users := map[string]int64{}
	for _, key := range []string{"bureau", "bureau_liaison", "discipline", "discipline_liaison", "supervision"} {
		u, _, err := db.UserForLogin(ctx, Username(code, key))
		if err != nil {
			return fmt.Errorf("demo tracking: %s: %w", key, err)
		}
		vs[key], users[key] = domain.ViewerFor(u, "demo"), u.ID
	}
	bureau, group, office := vs["bureau"], vs["discipline"], vs["supervision"]
	p, err := db.Cases(ctx, sys, store.CaseFilter{Court: code, Status: "open", Limit: 60})
	if err != nil {
		return fmt.Errorf("demo tracking: %w", err)
	}
	var picks []*domain.Case
	for _, k := range p.Cases {
		if slices.Contains(tracking.ImplementationTypes, k.No.Type) && !k.SocialImpact && !k.PublicOpinion {
			picks = append(picks, k)
		}
	}
	if len(picks) < 12 {
		return nil // too few open cases to show the mechanism
	}
	now := db.Now
	db.Now = func() time.Time { return now().AddDate(0, 0, -10) }
	for i, k := range picks[:11] {
		if err := db.SetCaseFlags(ctx, bureau, k.ID, i%2 == 0, i%2 == 1 || i == 4); err != nil {
			db.Now = now
			return fmt.Errorf("demo flags: %w", err)
		}
	}
	db.Now = now
	if _, err := db.AddCandidateReason(ctx, group, picks[11].Number, "申请执行人系农民工群体，涉及劳动报酬，需跟踪监督案款发放。"); err != nil {
		return fmt.Errorf("demo candidate reason: %w", err)
	}
	if _, err := db.RefreshCandidates(ctx, sys, code); err != nil {
		return fmt.Errorf("demo candidates: %w", err)
	}
	// The eleventh flag was a mistake: withdrawn, its candidate lapses.
	if err := db.SetCaseFlags(ctx, bureau, picks[10].ID, false, false); err != nil {
		return fmt.Errorf("demo flags: %w", err)
	}
	ts, err := db.Trackings(ctx, sys, store.TrackingFilter{Court: code, Step: tracking.StepCandidate})
	if err != nil {
		return err
	}
	byCase := map[int64]int64{}
	for _, t := range ts {
		byCase[t.CaseID] = t.ID
	}
	id := func(i int) int64 { return byCase[picks[i].ID] }
	yes, no := true, false
	evaluate := func(i int, r tracking.Result, why string) step {
		return func() error {
			e, err := tracking.NewEvaluation(db.TrackingConfig.OrDefault().Factors,
				map[string]string{"amount": "4", "parties": "3", "media": "4", "complaints": "2", "findings": "1"}, r, why)
			if err != nil {
				return err
			}
			return db.Evaluate(ctx, bureau, id(i), e)
		}
	}
	consult := func(i int) step {
		return func() error {
			return db.OpenConsultation(ctx, office, id(i), &tracking.Consultation{Date: db.Today(), Place: "执行局第一会议室",
				Participants: map[domain.Role]string{domain.RoleBureau: bureau.Name + "、" + vs["bureau_liaison"].Name,
					domain.RoleDisciplineGroup: group.Name, domain.RoleSupervisionOffice: office.Name},
				Minutes: "执行局通报案件基本情况及综合评估意见，三家逐项讨论案件社会影响、舆情风险和执行难点。"})
		}
	}
	opinions := func(i int, agree ...bool) step {
		return func() error {
			for j, v := range []domain.Viewer{bureau, group, office}[:len(agree)] {
				words := "同意列为重点案件跟踪监督。"
				if !agree[j] {
					words = "案件已进入案款发放阶段，风险可控，不同意跟踪。"
				}
				if err := db.GiveOpinion(ctx, v, id(i), tracking.Bodies()[j], &agree[j], words); err != nil {
					return err
				}
			}
			return nil
		}
	}
	decide := func(i int, bl, dl *bool) step {
		return func() error {
			if err := db.LeaderDecide(ctx, bureau, id(i), oversight.PostBureauLeader, bl, "综合考虑执行进度和人力安排作出决定。"); err != nil {
				return err
			}
			return db.LeaderDecide(ctx, group, id(i), oversight.PostDisciplineLeader, dl, "从严监督，综合舆情风险作出决定。")
		}
	}
	form := func(i int) step {
		return func() error {
			return db.FormGroup(ctx, group, id(i), &tracking.Group{From: db.Today(), To: db.Today().AddDays(90),
				Plan: "每月查看执行流程和网上巡查结果一次，询问申请执行人，期满提出意见建议。",
				Members: []tracking.Member{{UserID: users["bureau_liaison"], Role: domain.RoleBureau},
					{UserID: users["discipline_liaison"], Role: domain.RoleDisciplineGroup, Leader: true},
					{UserID: users["supervision"], Role: domain.RoleSupervisionOffice}}})
		}
	}
	track := "标的额大，当事人人数多，社会关注度高，建议跟踪。"
	paths := [][]step{
		{evaluate(1, tracking.ResultDecline, "案件即将执行完毕，社会影响已消除。")},                                                            // declined
		{evaluate(2, tracking.ResultTrack, track)},                                                                            // evaluated
		{evaluate(3, tracking.ResultTrack, track), consult(3), opinions(3, true)},                                             // in consultation
		{evaluate(4, tracking.ResultTrack, track), consult(4), opinions(4, false, true, true)},                                // awaiting the co-leaders
		{evaluate(5, tracking.ResultTrack, track), consult(5), opinions(5, false, true, true), decide(5, &no, &yes), form(5)}, // co-leaders differ: tracked, tracking
		{evaluate(6, tracking.ResultTrack, track), consult(6), opinions(6, true, true, true), form(6)},                        // all agree, tracking
		{evaluate(7, tracking.ResultTrack, track), consult(7), opinions(7, true, true, true), form(7)},                        // tracking; SeedTrackingWork closes one with its report
		{evaluate(8, tracking.ResultTrack, track), consult(8), opinions(8, false, false, true), decide(8, &no, &no)},          // not tracked
		{evaluate(9, tracking.ResultTrack, track), consult(9), opinions(9, false, true, true), decide(9, &yes, &yes)},         // co-leaders agree: tracked
	}
	for i, path := range paths {
		for _, st := range path {
			if err := st(); err != nil {
				return fmt.Errorf("demo tracking %d: %w", i+1, err)
			}
		}
	}
	log.Info("demo key-case tracking seeded", "candidates", len(ts))
	return nil
}

// step is one step of a demo tracking's path.
type step func() error

package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// SeedClues gives 鲁0102 clues in each state (issue 14) — one from the
// complaint with a clear lead waiting for verification, one being
// verified, three concluded (查无实据了结, 谈话提醒 with its talk, 纪律处分)
// — and dispositions of the third and fourth forms entered directly.
// Once: a demo with clues is left alone.
func SeedClues(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	if _, total, err := db.Clues(ctx, sys, store.ClueFilter{Page: store.PageReq{Size: 1}}); err != nil || total.Total > 0 {
		return err
	}
	const code = "鲁0102"
	if _, err := db.CourtByCode(ctx, code); err != nil {
		return nil // not a demo court
	}
	u, _, err := db.UserForLogin(ctx, Username(code, "discipline"))
	if err != nil {
		return fmt.Errorf("demo clues: %w", err)
	}
	group := domain.ViewerFor(u, "demo")
	if u, _, err = db.UserForLogin(ctx, Username(code, "supervision")); err != nil {
		return fmt.Errorf("demo clues: %w", err)
	}
	verifier := domain.ViewerFor(u, "demo")
	leads, _, err := db.Complaints(ctx, sys, store.ComplaintFilter{Lead: "clear", Court: code, Page: store.PageReq{Size: 1}})
	if err != nil || len(leads) == 0 || len(leads[0].Staff) == 0 {
		return err
	}
	p, err := db.Cases(ctx, sys, store.CaseFilter{Court: code, Status: "open", Limit: 20})
	if err != nil {
		return err
	}
	var officers []string
	for _, k := range p.Cases {
		if k.Officer != "" && !contains(officers, k.Officer) {
			officers = append(officers, k.Officer)
		}
	}
	if len(officers) < 2 {
		return nil
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	named := leads[0].Staff[0].Name
	type clue struct {
		in    oversight.Clue
		steps []string
		vd    *oversight.Verdict
	}
	verdict := func(c oversight.Conclusion, form oversight.Form, measure, basis string) *oversight.Verdict {
		return &oversight.Verdict{Conclusion: c, Form: form, Measure: measure, Basis: basis, DecidedOn: today.AddDays(-1), FollowUpOn: today.AddDays(60)}
	}
	clues := []clue{
		{in: oversight.Clue{Source: oversight.SourceComplaint, SourceID: leads[0].ID, Persons: []string{named}, Summary: "12368热线反映执行人员接受被执行人宴请。",
			DueOn: today.AddDays(25)}},
		{in: oversight.Clue{Source: oversight.SourceOther, SourceRef: "院巡察组移交", Persons: []string{officers[0]}, Summary: "反映执行款发放不及时，疑有截留。",
			DueOn: today.AddDays(10)}, steps: []string{"调取案款收付记录，约谈承办人。"}},
		{in: oversight.Clue{Source: oversight.SourceOther, SourceRef: "匿名来信", Persons: []string{officers[1]}, Summary: "反映执行人员与当事人存在“三同”问题。"},
			steps: []string{"调查走访当事人及同事，未发现“三同”情形。"}, vd: verdict(oversight.NoEvidence, 0, "", "经核查，反映问题不属实。")},
		{in: oversight.Clue{Source: oversight.SourceOther, SourceRef: "督察发现", Persons: []string{officers[0]}, Summary: "执行人员态度生硬、语言粗暴。"},
			steps: []string{"调阅接待录音，询问当事人。"}, vd: verdict(oversight.TalkRemind, 0, "", "反映基本属实，情节轻微，予以谈话提醒。")},
		{in: oversight.Clue{Source: oversight.SourceOther, SourceRef: "上级交办", Persons: []string{officers[1]}, Summary: "违规向当事人透露财产查控信息。"},
			steps: []string{"调取查控系统日志。", "与本人谈话核实。"}, vd: verdict(oversight.Discipline, 2, "警告", "违反工作纪律，给予党内警告处分。")},
	}
	var talkUnder int64
	for _, c := range clues {
		id, err := db.RegisterClue(ctx, group, code, c.in, verifier.Username)
		if err != nil {
			return fmt.Errorf("demo clue: %w", err)
		}
		for i, s := range c.steps {
			if err := db.AddClueStep(ctx, verifier, id, today.AddDays(-5+i), s); err != nil {
				return fmt.Errorf("demo clue step: %w", err)
			}
		}
		if c.vd == nil {
			continue
		}
		if err := db.ConcludeClue(ctx, verifier, id, *c.vd); err != nil {
			return fmt.Errorf("demo clue conclusion: %w", err)
		}
		if c.vd.Conclusion == oversight.TalkRemind {
			ds, _, err := db.Dispositions(ctx, sys, store.DispositionFilter{Clue: id, Page: store.PageReq{All: true}})
			if err != nil || len(ds) == 0 {
				return fmt.Errorf("demo clue disposition: %w", err)
			}
			talkUnder = ds[0].ID
		}
	}
	if err := db.AddTalk(ctx, group, talkUnder, oversight.Talk{Kind: oversight.TalkReminder, HeldOn: today.AddDays(-1), Place: "派驻纪检监察组谈话室",
		Participants: "纪检监察组 李红、监察室 赵明、" + officers[0], Content: "指出接待当事人态度生硬的问题，提醒严守文明执行要求。",
		Statement: "对反映的问题无异议。", Commitment: "今后文明接待，主动接受监督。", FollowUpOn: today.AddDays(30)}); err != nil {
		return fmt.Errorf("demo talk: %w", err)
	}
	for _, d := range []oversight.Disposition{
		{Person: officers[1], Form: 3, Measure: "降职", Basis: "严重违反工作纪律，造成恶劣影响。", Decider: "中共济南市历下区人民法院党组", DecidedOn: today.AddDays(-40)},
		{Person: officers[0], Form: 4, Measure: "移送", Basis: "涉嫌受贿，移送监察机关。", Decider: "派驻纪检监察组", DecidedOn: today.AddDays(-90)},
	} {
		if _, err := db.RecordDisposition(ctx, group, code, d); err != nil {
			return fmt.Errorf("demo disposition: %w", err)
		}
	}
	log.Info("demo clues", "clues", len(clues))
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// SeedInspections gives the intermediate court 鲁01 three campaigns of
// special inspections over its basic courts, organised by a working group
// of its three bodies and walked through the store's own steps:
//
//   - a finished 案件评查 whose draw verifies, with sheets of every grade,
//     the leader's re-check, a finding the officer answered, kept and
//     rectified (the item accepted), a court finding withdrawn, and its 通报;
//   - a 执行案款管理情况 review run two months ago and now in 整改, its
//     officers' rectification items past their deadlines, its money
//     pre-check finding receipts held past their limit;
//   - a 司法巡查 of the courts' discipline, repeated every quarter, in 筹备.
//
// Once: a demo with campaigns is left alone.
func SeedInspections(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	if list, err := db.Inspections(ctx, sys); err != nil || len(list) > 0 {
		return err
	}
	const org = "鲁01"
	if _, err := db.CourtByCode(ctx, org); err != nil {
		return nil // not a demo court
	}
	d := &inspDemo{ctx: ctx, db: db, people: map[int64]domain.Viewer{}}
	var err error
	if d.leader, err = d.viewer(org, "bureau"); err != nil {
		return err
	}
	if d.group, err = d.viewer(org, "discipline"); err != nil {
		return err
	}
	if d.office, err = d.viewer(org, "supervision"); err != nil {
		return err
	}
	for _, code := range []string{"鲁0102", "鲁0103", "鲁0104"} {
		for _, key := range []string{"officer1", "officer2", "officer3", "officer4"} {
			if _, err := d.viewer(code, key); err != nil {
				return err
			}
		}
	}
	if err := d.finished(); err != nil {
		return fmt.Errorf("demo case review: %w", err)
	}
	if err := d.money(); err != nil {
		return fmt.Errorf("demo money review: %w", err)
	}
	if err := d.patrol(); err != nil {
		return fmt.Errorf("demo patrol campaign: %w", err)
	}
	log.Info("demo special inspections seeded", "court", org, "campaigns", 3)
	return nil
}

// inspDemo holds the working group and the officers the demo campaigns
// need.
type inspDemo struct {
	ctx                   context.Context
	db                    *store.DB
	leader, group, office domain.Viewer
	people                map[int64]domain.Viewer // officers by user id
}

func (d *inspDemo) viewer(court, key string) (domain.Viewer, error) {
	u, _, err := d.db.UserForLogin(d.ctx, Username(court, key))
	if err != nil {
		return domain.Viewer{}, fmt.Errorf("demo inspections: %s: %w", Username(court, key), err)
	}
	v := domain.ViewerFor(u, "demo")
	d.people[u.ID] = v
	return v, nil
}

func (d *inspDemo) input(kind inspection.Kind, theme inspection.Theme, title string, from, to domain.Date, courts ...string) store.InspectionInput {
	return store.InspectionInput{
		Campaign: inspection.Campaign{Kind: kind, Theme: theme, Title: title, From: from, To: to,
			Plan: "一、工作目标：及时发现执行工作中存在的问题和不足，提出整改措施。\n二、方法步骤：筹备、实施（交叉评查、现场检查）、汇总（认定问题、印发通报）、整改。\n三、工作要求：评查人员逐项声明无利害关系，严格依据评查表评分，严守工作纪律。"},
		Courts: courts, MemberIDs: []int64{d.leader.UserID, d.group.UserID, d.office.UserID}, LeaderID: d.leader.UserID,
		PerCourt: 3, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7,
	}
}

// review draws campaign id, assigns its targets to the group's watchdogs
// in turn, starts it and has every reviewer declare and score, the
// percentages kept in turn from pcts; it returns the sheets.
func (d *inspDemo) review(id int64, pcts []int) ([]*store.InspectionSheet, error) {
	ctx, db := d.ctx, d.db
	if _, err := db.DrawInspection(ctx, d.group, id); err != nil {
		return nil, err
	}
	targets, err := db.InspectionTargets(ctx, d.leader, id)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("no case closed within the period")
	}
	reviewers := []domain.Viewer{d.group, d.office}
	for i, t := range targets {
		if err := db.AssignReviewer(ctx, d.leader, id, t.ID, reviewers[i%2].UserID); err != nil {
			return nil, err
		}
	}
	if err := db.MoveInspection(ctx, d.leader, id, inspection.EventStart); err != nil {
		return nil, err
	}
	cl, err := db.InspectionChecklist(ctx, d.leader, id)
	if err != nil {
		return nil, err
	}
	var sheets []*store.InspectionSheet
	for i, t := range targets {
		rv := reviewers[i%2]
		if err := db.DeclareNoConflict(ctx, rv, id, t.ID); err != nil {
			return nil, err
		}
		onsite := "调阅电子卷宗和纸质卷宗，核对执行流程节点、案款收发记录。"
		if err := db.SaveSheet(ctx, rv, id, t.ID, demoMarks(&cl.Checklist, pcts[i%len(pcts)]), onsite, true); err != nil {
			return nil, err
		}
		s, err := db.InspectionSheet(ctx, d.leader, id, t.ID)
		if err != nil {
			return nil, err
		}
		if s.Grade.NeedsRecheck() {
			if err := db.RecheckSheet(ctx, d.leader, id, t.ID, true, "扣分有据，维持评定等次。"); err != nil {
				return nil, err
			}
		}
		sheets = append(sheets, s)
	}
	return sheets, nil
}

// reviewerOf returns the viewer who reviewed sheet s.
func (d *inspDemo) reviewerOf(s *store.InspectionSheet) domain.Viewer {
	if s.ReviewerID == d.office.UserID {
		return d.office
	}
	return d.group
}

// withOfficer returns the first sheet whose case has an officer among the
// demo's staff, or nil.
func (d *inspDemo) withOfficer(sheets []*store.InspectionSheet, skip int64) *store.InspectionSheet {
	for _, s := range sheets {
		if _, ok := d.people[s.OfficerID]; ok && s.ID != skip {
			return s
		}
	}
	return nil
}

// finished runs a case review of last quarter over 鲁0102 and 鲁0103 to
// its end.
func (d *inspDemo) finished() error {
	ctx, db := d.ctx, d.db
	today := db.Today()
	in := d.input(inspection.KindCaseReview, inspection.ThemeCampaign, "执行案件质量交叉评查（已完成）", today.AddMonths(-6), today.AddDays(-1), "鲁0102", "鲁0103")
	id, err := db.CreateInspection(ctx, d.leader, in)
	if err != nil {
		return err
	}
	sheets, err := d.review(id, []int{70, 100, 85, 95, 50, 92})
	if err != nil {
		return err
	}
	s := d.withOfficer(sheets, 0)
	if s == nil {
		return fmt.Errorf("no drawn case with a demo officer")
	}
	officer := d.people[s.OfficerID]
	f1, err := db.AddFinding(ctx, d.reviewerOf(s), id, s.ID, inspection.Finding{Category: "执行行为规范", Severity: inspection.SeverityGeneral,
		Text: "未在法定期限内向申请执行人告知财产调查结果，卷宗缺少告知记录。"}, true)
	if err != nil {
		return err
	}
	f2, err := db.AddFinding(ctx, d.reviewerOf(s), id, s.ID, inspection.Finding{Category: "其他", Severity: inspection.SeverityMinor,
		Text: "卷宗目录与卷内材料页码不一致。"}, false)
	if err != nil {
		return err
	}
	if err := db.AnswerFinding(ctx, officer, id, f1, "已电话告知申请执行人，但未形成书面记录；今后按要求留痕。"); err != nil {
		return err
	}
	if err := db.MoveInspection(ctx, d.leader, id, inspection.EventSummarize); err != nil {
		return err
	}
	if err := db.DecideInspectionFinding(ctx, d.leader, id, f1, true, "电话告知未留痕，不能证明已依法告知，维持。"); err != nil {
		return err
	}
	if err := db.DecideInspectionFinding(ctx, d.leader, id, f2, false, "系扫描外包环节差错，已当场更正，撤销。"); err != nil {
		return err
	}
	rid, err := db.RectifyFinding(ctx, d.leader, id, f1, today.AddDays(20), "补充告知并形成书面记录，梳理同类案件。")
	if err != nil {
		return err
	}
	if err := db.MoveInspection(ctx, d.leader, id, inspection.EventRectify); err != nil {
		return err
	}
	r, err := db.Rectification(ctx, officer, rid)
	if err != nil {
		return err
	}
	for _, it := range r.Items {
		if err := db.ReportRectItem(ctx, officer, rid, it.ID, oversight.Report{Measures: "已书面告知申请执行人并入卷；自查同类案件12件，均已补正。",
			Outcome: "告知记录齐全", Submit: true}); err != nil {
			return err
		}
		if err := db.DecideRectItem(ctx, d.office, rid, it.ID, true, ""); err != nil {
			return err
		}
	}
	return db.MoveInspection(ctx, d.leader, id, inspection.EventFinish)
}

// money runs, two months ago, a review of the management of enforcement
// money over 鲁0102 and 鲁0104, left in 整改 with the officers' items past
// their deadlines.
func (d *inspDemo) money() error {
	ctx, db := d.ctx, d.db
	now := db.Now
	defer func() { db.Now = now }()
	at := func(days int) { db.Now = func() time.Time { return now().AddDate(0, 0, days) } }
	if err := d.heldMoney(); err != nil {
		return err
	}
	at(-60)
	today := db.Today()
	in := d.input(inspection.KindCaseReview, inspection.ThemeMoney, "执行案款管理情况专项评查", today.AddMonths(-6), today.AddDays(-1), "鲁0102", "鲁0104")
	id, err := db.CreateInspection(ctx, d.leader, in)
	if err != nil {
		return err
	}
	sheets, err := d.review(id, []int{80, 65, 90})
	if err != nil {
		return err
	}
	var kept []int64
	var skip int64
	for _, text := range []string{"案款到账后超过三十日未发放，无延缓发放审批手续。", "案款发放未经审批，发放凭证不全。"} {
		s := d.withOfficer(sheets, skip)
		if s == nil {
			break
		}
		skip = s.ID
		f, err := db.AddFinding(ctx, d.reviewerOf(s), id, s.ID, inspection.Finding{Category: "执行案款管理", Severity: inspection.SeverityGeneral, Text: text}, true)
		if err != nil {
			return err
		}
		kept = append(kept, f)
	}
	if len(kept) == 0 {
		return fmt.Errorf("no drawn case with a demo officer")
	}
	if err := db.MoveInspection(ctx, d.leader, id, inspection.EventSummarize); err != nil {
		return err
	}
	at(-50) // the officers' time to answer has run
	for _, f := range kept {
		if err := db.DecideInspectionFinding(ctx, d.leader, id, f, true, "逾期未说明、申辩，经核查财务流水属实。"); err != nil {
			return err
		}
		if _, err := db.RectifyFinding(ctx, d.leader, id, f, db.Today().AddDays(20), "立即发放案款，建立案款台账，逐案说明超期原因。"); err != nil {
			return err
		}
	}
	return db.MoveInspection(ctx, d.leader, id, inspection.EventRectify)
}

// heldMoney gives open cases of 鲁0102 and 鲁0104 receipts of case money
// paid out late or not at all, for the money review's pre-check: as of
// two months ago one was paid out 80 days after it came, one has been held
// since 130 days ago.
func (d *inspDemo) heldMoney() error {
	ctx, db := d.ctx, d.db
	sys := domain.SystemViewer("demo")
	today := db.Today()
	return db.Update(ctx, sys, func(tx *store.Tx) error {
		for _, code := range []string{"鲁0102", "鲁0104"} {
			p, err := db.Cases(ctx, sys, store.CaseFilter{Court: code, Status: "open", Limit: 100})
			if err != nil {
				return err
			}
			plans := [][]tracking.Act{
				{{Kind: tracking.ActFundsIn, On: today.AddDays(-160), Amount: 3_560_000}, {Kind: tracking.ActFundsOut, On: today.AddDays(-80), Amount: 3_560_000}},
				{{Kind: tracking.ActFundsIn, On: today.AddDays(-130), Amount: 12_800_000}},
			}
			for _, k := range p.Cases {
				if len(plans) == 0 {
					break
				}
				if k.FiledOn.IsZero() || !k.FiledOn.Before(today.AddDays(-170)) {
					continue
				}
				if _, err := tx.ReplaceCaseActs(ctx, k.ID, plans[0]); err != nil {
					return err
				}
				plans = plans[1:]
			}
		}
		return nil
	})
}

// patrol prepares this quarter's 司法巡查 of the discipline and conduct of
// 鲁0102, 鲁0103 and 鲁0104, repeated every quarter.
func (d *inspDemo) patrol() error {
	today := d.db.Today()
	from := domain.NewDate(today.Year(), time.Month((int(today.Month())-1)/3*3+1), 1)
	in := d.input(inspection.KindPatrol, inspection.ThemeDiscipline, fmt.Sprintf("%d年第%d季度执行干警纪律作风司法巡查", from.Year(), (int(from.Month())+2)/3),
		from, from.AddMonths(3).AddDays(-1), "鲁0102", "鲁0103", "鲁0104")
	in.Schedule = store.ScheduleQuarterly
	id, err := d.db.CreateInspection(d.ctx, d.leader, in)
	if err != nil {
		return err
	}
	_, err = d.db.AddInspectionUnits(d.ctx, d.group, id)
	return err
}

// demoMarks deducts from the checklist's first items until the score is
// about pct per cent of its total, each deduction with its reason.
func demoMarks(cl *inspection.Checklist, pct int) []inspection.Mark {
	marks := make([]inspection.Mark, len(cl.Items))
	off := cl.Total() - cl.Total()*pct/100
	for i, it := range cl.Items {
		if off <= 0 {
			break
		}
		n := min(off, it.Points)
		marks[i] = inspection.Mark{Deduction: n, Note: "评查发现该项不符合要求，扣" + fmt.Sprint(n) + "分。", Evidence: "卷宗第" + fmt.Sprint(i+3) + "页"}
		off -= n
	}
	return marks
}

package demo

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// SeedTrackingWork gives the demo's working groups at 鲁0102 their work
// (issue 15): on the first tracking at 跟踪中, records of each aspect, the
// node findings confirmed or dismissed, an interview of the applicant and
// a recommendation to the bureau followed to 已销号; the second is closed
// by its leader with the closing report. Runs after SeedTracking; once: a
// demo whose trackings have records is left alone.
func SeedTrackingWork(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	const code = "鲁0102"
	if _, err := db.CourtByCode(ctx, code); err != nil {
		return nil // not a demo court
	}
	ts, err := db.Trackings(ctx, sys, store.TrackingFilter{Court: code, Step: tracking.StepTracking})
	if err != nil || len(ts) < 2 {
		return err
	}
	slices.SortFunc(ts, func(a, b *store.Tracking) int { return int(a.ID - b.ID) })
	first, err := db.TrackingWork(ctx, sys, ts[0].ID)
	if err != nil || len(first.Records) > 0 {
		return err
	}
	vs := map[string]domain.Viewer{}
	for _, key := range []string{"bureau", "bureau_liaison", "discipline_liaison", "supervision"} {
		u, _, err := db.UserForLogin(ctx, Username(code, key))
		if err != nil {
			return fmt.Errorf("demo tracking work: %s: %w", key, err)
		}
		vs[key] = domain.ViewerFor(u, "demo")
	}
	bureau, member, leader, office := vs["bureau"], vs["bureau_liaison"], vs["discipline_liaison"], vs["supervision"]
	today := db.Today()
	decideNodes := func(w *store.TrackingWork) error {
		for i, f := range w.Findings {
			d := tracking.FindingDecision{Node: f.Node, Decision: tracking.DecisionConfirm, Reason: "经查看案件流程，情况属实。"}
			if i == 0 {
				d = tracking.FindingDecision{Node: f.Node, Decision: tracking.DecisionDismiss, Reason: "该节点已在纸质卷宗中完成，系统未录入。"}
			}
			if _, err := db.DecideTrackingNode(ctx, office, w.ID, d); err != nil {
				return err
			}
		}
		return nil
	}
	records := []tracking.Record{
		{Aspect: tracking.AspectProcess, Kind: tracking.RecordProcess, Content: "查看执行流程节点，执行通知、报告财产令已按期送达，财产查控晚于期限。"},
		{Aspect: tracking.AspectActs, Kind: tracking.RecordActs, Content: "通过网上巡查系统查看查封、评估、拍卖行为，手续完备。"},
		{Aspect: tracking.AspectDiscipline, Kind: tracking.RecordAnalysis, Content: "走访承办团队，未发现违反纪律作风规定的情形。"},
		{Aspect: tracking.AspectResponse, Kind: tracking.RecordOther, Content: "检索网络舆情，未见负面报道。"},
	}
	for i, r := range records {
		r.On = today
		by := []domain.Viewer{member, leader, office, member}[i]
		if _, err := db.AddTrackingRecord(ctx, by, first.ID, r); err != nil {
			return fmt.Errorf("demo tracking record: %w", err)
		}
	}
	if err := decideNodes(first); err != nil {
		return fmt.Errorf("demo tracking findings: %w", err)
	}
	k, err := db.CaseByID(ctx, sys, first.CaseID)
	if err != nil || len(k.Parties) == 0 {
		return fmt.Errorf("demo tracking interview: %w", err)
	}
	no := false
	if _, err := db.AddTrackingInterview(ctx, leader, first.ID, tracking.Interview{On: today, Mode: tracking.ModePhone, PartyID: k.Parties[0].ID,
		Answers: visit.Answers{Satisfied: &no, Items: []string{"C1.2", "C1.10"}, Text: "查询财产太慢，不知道进展。"},
		Notes:   "当事人反映财产查询迟缓、未告知执行进展，未反映执行人员不廉问题。"}); err != nil {
		return fmt.Errorf("demo tracking interview: %w", err)
	}
	_, rect, err := db.RecommendFromTracking(ctx, leader, first.ID, tracking.Recommendation{Aspect: tracking.AspectProcess, To: tracking.ToBureau,
		Suggestion: oversight.Suggestion{Problem: "财产查控未在期限内完成，未及时向当事人告知执行进展。", Evidence: "流程节点核实及询问申请执行人。",
			Improve: "严格执行财产查控期限，建立执行进展告知制度。", Deadline: today.AddDays(30)}})
	if err != nil {
		return fmt.Errorf("demo tracking recommendation: %w", err)
	}
	item, err := db.AddRectItem(ctx, bureau, rect, oversight.Item{Unit: "执行局", Responsible: bureau.UserID, Deadline: today.AddDays(25),
		Task: "制定执行进展告知办法，逐案告知。"})
	if err != nil {
		return fmt.Errorf("demo tracking rectification: %w", err)
	}
	if err := db.ReportRectItem(ctx, bureau, rect, item, oversight.Report{Measures: "制定执行进展告知办法，已对在办案件逐案告知。", Outcome: "告知率100%。", Submit: true}); err != nil {
		return fmt.Errorf("demo tracking rectification: %w", err)
	}
	if err := db.DecideRectItem(ctx, leader, rect, item, true, ""); err != nil {
		return fmt.Errorf("demo tracking rectification: %w", err)
	}

	second, err := db.TrackingWork(ctx, sys, ts[1].ID)
	if err != nil {
		return err
	}
	if _, err := db.AddTrackingRecord(ctx, member, second.ID, tracking.Record{On: today, Aspect: tracking.AspectProcess, Kind: tracking.RecordProcess,
		Content: "案款已全部发放，执行流程规范。"}); err != nil {
		return fmt.Errorf("demo tracking record: %w", err)
	}
	if err := decideNodes(second); err != nil {
		return fmt.Errorf("demo tracking findings: %w", err)
	}
	if err := db.CloseTrackingWork(ctx, leader, second.ID, tracking.Closing{On: today, Summary: "工作小组查看执行流程、网上巡查执行行为并询问申请执行人，案款已全部发放。",
		Conclusions: "执行流程总体规范，未发现违反纪律作风规定的问题，结束跟踪。"}); err != nil {
		return fmt.Errorf("demo tracking closing: %w", err)
	}
	log.Info("demo tracking work seeded", "tracking", first.ID, "closed", second.ID)
	return nil
}

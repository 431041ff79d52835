package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// SeedRectifications gives 鲁0102 two improvement suggestions from its
// 监察室 (issue 14): one whose item was reported, returned once, reported
// again with a rule made and accepted (已销号), and one issued forty days
// ago whose item is past its deadline (逾期). Once: a demo with
// rectifications is left alone.
func SeedRectifications(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	if rs, err := db.Rectifications(ctx, sys, store.RectFilter{}); err != nil || len(rs) > 0 {
		return err
	}
	const code = "鲁0102"
	if _, err := db.CourtByCode(ctx, code); err != nil {
		return nil // not a demo court
	}
	vs := map[string]domain.Viewer{}
	for _, key := range []string{"supervision", "bureau", "officer1"} {
		u, _, err := db.UserForLogin(ctx, Username(code, key))
		if err != nil {
			return fmt.Errorf("demo rectifications: %s: %w", key, err)
		}
		vs[key] = domain.ViewerFor(u, "demo")
	}
	sup, bureau, off := vs["supervision"], vs["bureau"], vs["officer1"]
	// Both are entered as of forty days ago, so that the second's
	// deadline has passed.
	now := db.Now
	db.Now = func() time.Time { return now().AddDate(0, 0, -40) }
	defer func() { db.Now = now }()
	then := domain.DateOf(db.Now(), domain.Beijing)

	id, err := db.IssueSuggestion(ctx, sup, code, oversight.Suggestion{Problem: "部分执行案件案款发放超过规定期限，未及时通知申请执行人。",
		Evidence: "抽查2026年第一季度执结案件30件，其中6件案款发放超过30日。", Improve: "建立执行案款台账，逐案明确发放时限和责任人，每月通报。",
		Deadline: then.AddDays(30)})
	if err != nil {
		return fmt.Errorf("demo suggestion: %w", err)
	}
	item, err := db.AddRectItem(ctx, bureau, id, oversight.Item{Unit: "执行一庭", Responsible: off.UserID, Deadline: then.AddDays(25), Task: "清理超期未发案款，建立台账。"})
	if err != nil {
		return fmt.Errorf("demo rectification item: %w", err)
	}
	rule := oversight.Rule{Title: "执行案款管理办法", Number: "历下法〔2026〕5号", On: then}
	steps := []func() error{
		func() error {
			return db.ReportRectItem(ctx, off, id, item, oversight.Report{Measures: "已清理超期案款4件。", Outcome: "超期案款已发放4件。", Submit: true})
		},
		func() error {
			return db.DecideRectItem(ctx, sup, id, item, false, "尚有2件未发放，台账未建立。")
		},
		func() error {
			return db.ReportRectItem(ctx, off, id, item, oversight.Report{Measures: "超期案款6件全部发放，建立案款台账，每月通报。",
				Outcome: "超期案款全部发放，台账已运行。", Rule: rule, Submit: true})
		},
		func() error { return db.DecideRectItem(ctx, sup, id, item, true, "") },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("demo rectification: %w", err)
		}
	}
	id2, err := db.IssueSuggestion(ctx, sup, code, oversight.Suggestion{Problem: "外出执行报告存在补报、迟报现象。",
		Improve: "落实“出门讲纪律、回来述廉洁”，外出前后按时报告。", Deadline: then.AddDays(20)})
	if err != nil {
		return fmt.Errorf("demo suggestion: %w", err)
	}
	if _, err := db.AddRectItem(ctx, bureau, id2, oversight.Item{Unit: "执行一庭", Responsible: off.UserID, Deadline: then.AddDays(15),
		Task: "组织学习外出执行报告制度，逐月核对外出记录。"}); err != nil {
		return fmt.Errorf("demo rectification item: %w", err)
	}
	log.Info("demo rectifications", "suggestions", 2)
	return nil
}

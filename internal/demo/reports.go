package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/store"
)

// SeedRunReports gives 济南 (鲁01) a month of periodic reports to follow
// (issue 18): for the latest month whose reports were due before today,
// 历下 (鲁0102) has submitted its report, signed by its bureau; 市中
// (鲁0103) has a draft it has not submitted and 槐荫 (鲁0104) none, both
// late — for 鲁01's bureau to remind and to see in its combined report.
// Once: a demo with reports is left alone.
func SeedRunReports(ctx context.Context, db *store.DB, log *slog.Logger, rules report.DueRules) error {
	viewer := func(code, key string) (domain.Viewer, error) {
		u, _, err := db.UserForLogin(ctx, Username(code, key))
		if err != nil {
			return domain.Viewer{}, fmt.Errorf("demo reports: %s: %w", Username(code, key), err)
		}
		return domain.ViewerFor(u, "demo"), nil
	}
	if _, err := db.CourtByCode(ctx, "鲁0102"); err != nil {
		return nil // not a demo court
	}
	lixia, err := viewer("鲁0102", "bureau")
	if err != nil {
		return err
	}
	if have, _, err := db.RunReportPage(ctx, lixia, store.RunReportFilter{Own: true, Page: store.PageReq{All: true}}); err != nil || len(have) > 0 {
		return err
	}
	shizhong, err := viewer("鲁0103", "discipline")
	if err != nil {
		return err
	}
	p := rules.LatestDue(overview.PeriodMonth, db.Today())
	id, _, err := db.CreateRunReport(ctx, lixia, p)
	if err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	n := report.Narrative{
		"basic": "本月，我院执行局与派驻纪检监察组、监察室按照《关于建立四项机制加强执行廉政建设的意见》，坚持每周会商，对重点执行案件逐案跟踪；" +
			"执行指挥中心按时完成5%执结案件随机抽取和短信回访，不满意案件均转电话回访；外出执行一律出发前讲纪律、返回后述廉洁。",
		"problems": "一是个别案件执行款发放超过规定期限；二是少数外出执行人员返回后未在规定时间内提交报告单；三是回访中有当事人反映执行进度慢，主要原因是财产查控后续措施跟进不及时。",
		"rectify": "对案款发放超期问题，已建立执行案款台账，逐案明确发放时限和责任人；对逾期报告人员由部门负责人谈话提醒；" +
			"对回访反映的问题已逐案核查并答复当事人。依照四种形态处置的情况按件数统计，详见下表。",
		"next": "一是将案款发放时限纳入网上巡查；二是每月通报外出执行报告按期情况；三是对当事人反映强烈的信访案件优先列入重点案件跟踪。",
	}
	if err := db.SaveRunReport(ctx, lixia, id, n); err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	if err := db.SubmitRunReport(ctx, lixia, id, overview.DefaultTargets()); err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	draft, _, err := db.CreateRunReport(ctx, shizhong, p)
	if err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	if err := db.SaveRunReport(ctx, shizhong, draft, report.Narrative{"basic": "本月四项机制运行情况（起草中）。"}); err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	log.Info("demo reports added", "period", p.String(), "due", rules.Due(p).String())
	return nil
}

package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// SeedComplaints gives 鲁0102 a few complaints and petitions (issue 14):
// two petitions on one case within six months (反映强烈), a 12368 call
// naming an officer assessed with a clear lead, and a letter assessed
// without one. Once: a demo with complaints is left alone.
func SeedComplaints(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	if _, total, err := db.Complaints(ctx, sys, store.ComplaintFilter{Page: store.PageReq{Size: 1}}); err != nil || total.Total > 0 {
		return err
	}
	const code = "鲁0102"
	if _, err := db.CourtByCode(ctx, code); err != nil {
		return nil // not a demo court
	}
	viewer := func(key string) (domain.Viewer, error) {
		u, _, err := db.UserForLogin(ctx, Username(code, key))
		if err != nil {
			return domain.Viewer{}, fmt.Errorf("demo complaints: %s: %w", key, err)
		}
		return domain.ViewerFor(u, "demo"), nil
	}
	cc, err := viewer("command1")
	if err != nil {
		return err
	}
	group, err := viewer("discipline")
	if err != nil {
		return err
	}
	p, err := db.Cases(ctx, sys, store.CaseFilter{Court: code, Status: "open", Limit: 3})
	if err != nil {
		return err
	}
	if len(p.Cases) < 2 {
		return nil
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	strong, other := p.Cases[0], p.Cases[1]
	petition := func(daysAgo, repeat int) oversight.Complaint {
		return oversight.Complaint{Kind: oversight.KindPetition, Channel: "来访", ReceivedOn: today.AddDays(-daysAgo), PersonName: "赵秀英",
			PersonPhone: "13905310001", CaseNumbers: []string{strong.Number}, Content: "申请执行人反映案件长期未执行到位，执行法官不接电话。",
			Categories: []string{"C1"}, Level: oversight.LevelCourt, Repeat: repeat}
	}
	items := []struct {
		c    oversight.Complaint
		lead oversight.Lead
		note string
	}{
		{petition(70, 1), "", ""},
		{petition(15, 2), oversight.LeadUnclear, "反映执行进度问题，未指向具体违纪行为，转执行局督促办理。"},
		{oversight.Complaint{Kind: oversight.KindComplaint, Channel: "12368热线", ReceivedOn: today.AddDays(-10), PersonName: "钱建国",
			PersonPhone: "13905310002", CaseNumbers: []string{other.Number}, Staff: []string{other.Officer}, Content: "反映执行人员接受被执行人宴请。",
			Categories: []string{"C3"}}, oversight.LeadClear, "反映人提供了宴请的时间、地点和在场人员，线索明确。"},
		{oversight.Complaint{Kind: oversight.KindComplaint, Channel: "来信", ReceivedOn: today.AddDays(-5), Content: "匿名来信反映执行局工作作风问题，无具体事实。",
			Categories: []string{"C4"}}, oversight.LeadUnclear, "无具体人员和事实。"},
	}
	for _, it := range items {
		id, err := db.RegisterComplaint(ctx, cc, code, it.c)
		if err != nil {
			return fmt.Errorf("demo complaint: %w", err)
		}
		if it.lead != "" {
			if err := db.AssessComplaint(ctx, group, id, it.lead, it.note); err != nil {
				return fmt.Errorf("demo assessment: %w", err)
			}
		}
	}
	log.Info("demo complaints", "complaints", len(items))
	return nil
}

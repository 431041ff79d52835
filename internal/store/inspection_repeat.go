package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
)

// RepeatInspections makes, for every campaign repeating on a schedule
// whose next run has come, the campaign of the period now due, in 筹备 and
// each in a transaction of its own, and returns how many it made. The
// daily job calls it; a second call the same period makes nothing, since
// the template's next run moves on in the same transaction (and only if
// no other run moved it first).
func (db *DB) RepeatInspections(ctx context.Context) (int, error) {
	sys := domain.SystemViewer("inspection schedule")
	today := db.today()
	ids, err := collect(ctx, db, scanID, "SELECT id FROM inspection_campaigns WHERE schedule <> '' AND next_on IS NOT NULL AND next_on <= ? ORDER BY id", today)
	if err != nil {
		return 0, fmt.Errorf("listing scheduled inspections: %w", err)
	}
	made := 0
	var errs []error
	for _, id := range ids {
		n, err := inTx(ctx, db, sys, func(tx *Tx) (int, error) { return tx.repeatInspection(ctx, id, today) })
		if err != nil {
			errs = append(errs, fmt.Errorf("repeating inspection %d: %w", id, err))
		}
		made += n
	}
	return made, errors.Join(errs...)
}

// periodSuffix is the period a made campaign's title ends with.
var periodSuffix = regexp.MustCompile(`（\d{4}-\d{2}-\d{2}至\d{4}-\d{2}-\d{2}）$`)

// repeatInspection makes the campaign of template id due on today: the
// template's kind, theme, scope, working group (its active members),
// plan, settings and the latest version of its checklist, for the period
// now due; the template's next run moves on. The group's leader has the
// preparation on his to-dos and is told. Audited.
func (tx *Tx) repeatInspection(ctx context.Context, id int64, today domain.Date) (int, error) {
	tpl, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return 0, err
	}
	from, to, after, ok := DuePeriod(tpl.Schedule, tpl.From, tpl.To, tpl.NextOn, today)
	if !ok {
		return 0, nil
	}
	res, err := tx.exec(ctx, "UPDATE inspection_campaigns SET next_on = ? WHERE id = ? AND next_on = ?", after, id, tpl.NextOn)
	if err != nil {
		return 0, fmt.Errorf("moving the next run: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, nil // another run made this period's campaign
	}
	checklist := tpl.ChecklistID
	if checklist != 0 {
		if err := tx.queryRow(ctx, `SELECT k.id FROM inspection_checklists k JOIN inspection_checklists t ON t.template_key = k.template_key
			WHERE t.id = ? ORDER BY k.version DESC LIMIT 1`, checklist).Scan(&checklist); err != nil {
			return 0, fmt.Errorf("finding the checklist: %w", translate(err))
		}
	} else if checklist, err = tx.currentChecklist(ctx, tpl.Theme); err != nil {
		return 0, err
	}
	suffix := "（" + from.String() + "至" + to.String() + "）"
	base := []rune(periodSuffix.ReplaceAllString(tpl.Title, ""))
	if n := inspection.MaxTitle - len([]rune(suffix)); len(base) > n {
		base = base[:n]
	}
	title := string(base) + suffix
	now := tx.db.now()
	var nid int64
	if err := tx.queryRow(ctx, `INSERT INTO inspection_campaigns (court_id, kind, theme, theme_name, title, period_from, period_to, plan, checklist_id,
		per_court, per_officer, th_excellent, th_pass, th_flaw, answer_days, cross_court, made_from, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tpl.CourtID, tpl.Kind, tpl.Theme, tpl.ThemeName, title, from, to, tpl.Plan, nullID(checklist), tpl.PerCourt, tpl.PerOfficer, tpl.Thresholds.Excellent,
		tpl.Thresholds.Pass, tpl.Thresholds.Flaw, tpl.AnswerDays, tpl.CrossCourt, id, actorName(tx.v), now, now).Scan(&nid); err != nil {
		return 0, fmt.Errorf("making a scheduled inspection: %w", translate(err))
	}
	c := tpl.Campaign
	c.Members = nil
	for _, m := range tpl.Members {
		var disabled bool
		if err := tx.queryRow(ctx, "SELECT disabled FROM users WHERE id = ?", m.UserID).Scan(&disabled); err != nil {
			return 0, translate(err)
		}
		if !disabled {
			c.Members = append(c.Members, m)
		}
	}
	if err := tx.writeInspectionParts(ctx, nid, &c); err != nil {
		return 0, err
	}
	if lead := inspection.Leader(c.Members).UserID; lead != 0 {
		if err := tx.Notify(ctx, []int64{lead}, oversight.Notice{Kind: oversight.NoticeGeneral, Title: "定期专项督察评查已生成，请组织筹备：" + title,
			Link: fmt.Sprintf("/inspections/%d", nid), CourtID: tpl.CourtID}); err != nil {
			return 0, err
		}
	}
	detail := fmt.Sprintf("按%s周期由督察评查%d生成：%s至%s，工作组%d人", ScheduleLabel(tpl.Schedule), id, from, to, len(c.Members))
	if inspection.GroupProblem(c.Members, tpl.OrganiserPath) != "" {
		detail += "（工作组不完整，需补充）"
	}
	return 1, tx.Audit(ctx, Entry{Action: "inspection.repeat", ObjectType: "inspection", ObjectID: fmt.Sprint(nid), CourtPath: tpl.OrganiserPath, Success: true, Detail: detail})
}

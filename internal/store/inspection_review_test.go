package store_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// Issue 16, the review and what follows: cross-court assignment, the
// declaration before scoring, the grade and the leader's re-check,
// findings answered by the officer and kept or withdrawn, a kept finding
// turned into a rectification and its item in one step, another referred
// as a clue of source kind inspection; who sees which finding; the
// campaign finished once every item is accepted.
func TestInspectionReview(t *testing.T) {
	f := newInspectionFixture(t)
	db := f.db
	// The to-dos of the leader, the two other members and the officer at
	// each stage (InspectionTodos): C is the campaign, 历下/市中 the courts.
	todos := func(when string, want map[string][]string) {
		t.Helper()
		for _, v := range []domain.Viewer{f.leader, f.group, f.office, f.officer} {
			if got := inspectionTodos(t, db, v); !slices.Equal(got, want[v.Username]) {
				t.Errorf("%s, the to-dos of %s:\n%q\nwant\n%q", when, v.Username, got, want[v.Username])
			}
		}
	}
	const prep = "参加筹备（工作方案、评查表、评查对象）：C /inspections/1"
	todos("in preparation", map[string][]string{
		"insp.lead": {"完成筹备（方案、工作组、评查表、评查对象）并开始实施：C /inspections/1"},
		"insp.grp":  {prep}, "insp.sup": {prep},
	})
	if _, err := db.DrawInspection(ctx, f.group, f.id); err != nil {
		t.Fatal(err)
	}
	targets, err := db.InspectionTargets(ctx, f.leader, f.id)
	if err != nil || len(targets) != 6 {
		t.Fatalf("targets %d: %v", len(targets), err)
	}
	// A reviewer of the court reviewed is refused: the 鲁0102 bureau is no
	// member, and 交叉评查 refuses the organiser's own court when in scope.
	if err := db.AssignReviewer(ctx, f.leader, f.id, targets[0].ID, f.bureau0102.UserID); fieldMsg(err, "reviewer") == "" {
		t.Fatalf("a non-member reviews: %v", err)
	}
	if p := inspection.ConflictProblem("/鲁/鲁01/鲁0102/", "执行一庭", "/鲁/鲁01/鲁0102/", "执行二庭", true); !strings.Contains(p, "交叉评查") {
		t.Fatalf("own court under cross-court review: %q", p)
	}
	if err := db.AssignReviewer(ctx, f.group, f.id, targets[0].ID, f.group.UserID); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a member assigns: %v", err)
	}
	reviewers := []domain.Viewer{f.group, f.office}
	for i, tg := range targets {
		if err := db.AssignReviewer(ctx, f.leader, f.id, tg.ID, reviewers[i%2].UserID); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MoveInspection(ctx, f.leader, f.id, inspection.EventStart); err != nil {
		t.Fatal(err)
	}
	const lead = "督促评查、复核瑕疵和不合格评查表，转入汇总：C /inspections/1"
	todos("under way", map[string][]string{
		"insp.lead": {lead},
		"insp.grp":  {"评查：历下（2026）鲁0102执N号执行一庭（C） /inspections/1/targets/1", "评查：历下（2026）鲁0102执N号执行一庭（C） /inspections/1/targets/3", "评查：市中（2026）鲁0103执N号执行一庭（C） /inspections/1/targets/5"},
		"insp.sup":  {"评查：历下（2026）鲁0102执N号执行一庭（C） /inspections/1/targets/2", "评查：市中（2026）鲁0103执N号执行一庭（C） /inspections/1/targets/4", "评查：市中（2026）鲁0103执N号执行一庭（C） /inspections/1/targets/6"},
	})
	cl, err := db.InspectionChecklist(ctx, f.leader, f.id)
	if err != nil {
		t.Fatal(err)
	}
	clean := make([]inspection.Mark, len(cl.Items))
	// No score before the declaration; nobody else scores.
	if err := db.SaveSheet(ctx, f.group, f.id, targets[0].ID, clean, "", true); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("score before the declaration: %v", err)
	}
	for i, tg := range targets {
		if err := db.DeclareNoConflict(ctx, reviewers[i%2], f.id, tg.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveSheet(ctx, f.office, f.id, targets[0].ID, clean, "", true); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("another member scores: %v", err)
	}
	// Sheet 0 (a 鲁0102 case of the officer): 30 points off → 70, 瑕疵.
	bad := make([]inspection.Mark, len(cl.Items))
	bad[1] = inspection.Mark{Deduction: 20, Note: "到账后四个月未发放", Evidence: "财务流水"}
	bad[3] = inspection.Mark{Deduction: 10, Note: "发放无审批"}
	if err := db.SaveSheet(ctx, f.group, f.id, targets[0].ID, []inspection.Mark{{Deduction: 5}}, "", true); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a sheet short of items: %v", err)
	}
	if err := db.SaveSheet(ctx, f.group, f.id, targets[0].ID, bad, "", true); err != nil {
		t.Fatal(err)
	}
	recheck := "复核瑕疵、不合格评查表：历下（2026）鲁0102执N号执行一庭（C） /inspections/1/targets/1"
	todos("a 瑕疵 sheet in", map[string][]string{
		"insp.lead": {lead, recheck},
		"insp.grp":  {"评查：历下（2026）鲁0102执N号执行一庭（C） /inspections/1/targets/3", "评查：市中（2026）鲁0103执N号执行一庭（C） /inspections/1/targets/5"},
		"insp.sup":  {"评查：历下（2026）鲁0102执N号执行一庭（C） /inspections/1/targets/2", "评查：市中（2026）鲁0103执N号执行一庭（C） /inspections/1/targets/4", "评查：市中（2026）鲁0103执N号执行一庭（C） /inspections/1/targets/6"},
	})
	sheet, err := db.InspectionSheet(ctx, f.leader, f.id, targets[0].ID)
	if err != nil || sheet.Score != 70 || sheet.Grade != inspection.GradeFlaw || sheet.Marks[1].Note != "到账后四个月未发放" || !strings.Contains(sheet.NoConflict, "无利害关系") {
		t.Fatalf("sheet %+v: %v", sheet, err)
	}
	if sheet.OfficerID != f.officer.UserID {
		t.Fatalf("the drawn case's officer %d", sheet.OfficerID)
	}
	for i, tg := range targets[1:] {
		if err := db.SaveSheet(ctx, reviewers[(i+1)%2], f.id, tg.ID, clean, "", true); err != nil {
			t.Fatal(err)
		}
	}
	// Findings: one about the officer, one about 鲁0103 (no officer).
	f1, err := db.AddFinding(ctx, f.group, f.id, targets[0].ID, inspection.Finding{Category: "执行案款管理", Severity: inspection.SeverityGeneral, Text: "案款超期未发放"}, true)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := db.AddFinding(ctx, f.group, f.id, targets[0].ID, inspection.Finding{Category: "纪律作风", Severity: inspection.SeveritySerious, Text: "疑似收受当事人财物"}, true)
	if err != nil {
		t.Fatal(err)
	}
	var t0103 store.InspectionTarget
	for _, tg := range targets {
		if tg.CourtCode == "鲁0103" {
			t0103 = tg
		}
	}
	sheet3, err := db.InspectionSheet(ctx, f.leader, f.id, t0103.ID)
	if err != nil {
		t.Fatal(err)
	}
	rev3 := f.group
	if sheet3.ReviewerID == f.office.UserID {
		rev3 = f.office
	}
	f3, err := db.AddFinding(ctx, rev3, f.id, t0103.ID, inspection.Finding{Category: "执行行为规范", Severity: inspection.SeverityMinor, Text: "卷宗装订不规范"}, false)
	if err != nil {
		t.Fatal(err)
	}
	// Summing up waits for the leader's re-check of the 瑕疵 sheet.
	const answer = "对专项督察评查发现的问题说明、申辩：C /inspections/1#finding-"
	todos("findings recorded", map[string][]string{
		"insp.lead": {lead, recheck},
		"insp.off":  {answer + "1 2026-04-08", answer + "2 2026-04-08"},
	})
	if err := db.MoveInspection(ctx, f.leader, f.id, inspection.EventSummarize); !strings.Contains(fieldMsg(err, "reviews"), "复核") {
		t.Fatalf("summarize before the re-check: %v", err)
	}
	if err := db.RecheckSheet(ctx, f.leader, f.id, targets[0].ID, true, "扣分有据"); err != nil {
		t.Fatal(err)
	}
	// What each sees: the officer his two findings and never the sheet;
	// the 鲁0102 bureau its court's; the 鲁0103 finding is not theirs.
	mine, err := db.InspectionFindings(ctx, f.officer, f.id)
	if err != nil || len(mine) != 2 {
		t.Fatalf("the officer sees %d findings: %v", len(mine), err)
	}
	if _, err := db.InspectionSheet(ctx, f.officer, f.id, targets[0].ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("the officer reads the sheet: %v", err)
	}
	court, err := db.InspectionFindings(ctx, f.bureau0102, f.id)
	if err != nil || len(court) != 2 || court[0].CourtCode != "鲁0102" {
		t.Fatalf("the court in scope sees %d: %v", len(court), err)
	}
	// The officer answers one within his time; nobody else does.
	if err := db.AnswerFinding(ctx, f.bureau0102, f.id, f1, "已于次月发放"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("another answers: %v", err)
	}
	if err := db.AnswerFinding(ctx, f.officer, f.id, f1, "申请执行人账户冻结，次月已发放"); err != nil {
		t.Fatal(err)
	}
	if err := db.MoveInspection(ctx, f.leader, f.id, inspection.EventSummarize); err != nil {
		t.Fatal(err)
	}
	todos("summing up", map[string][]string{
		"insp.lead": {"认定问题，印发通报：C /inspections/1", "认定问题（维持或撤销）：C /inspections/1#finding-1", "认定问题（维持或撤销）：C /inspections/1#finding-3"},
		"insp.off":  {answer + "2 2026-04-08"},
	})
	// In 汇总 the leader decides the answered finding and the court's at
	// once; f2 waits for the officer's time to run.
	if err := db.DecideInspectionFinding(ctx, f.leader, f.id, f2, true, "有据"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("decide before the answer's time ran: %v", err)
	}
	if err := db.DecideInspectionFinding(ctx, f.leader, f.id, f1, true, ""); fieldMsg(err, "reason") == "" {
		t.Fatalf("keep without reason: %v", err)
	}
	if err := db.DecideInspectionFinding(ctx, f.leader, f.id, f1, true, "申辩理由不能成立"); err != nil {
		t.Fatal(err)
	}
	if err := db.DecideInspectionFinding(ctx, f.leader, f.id, f3, false, "属装订外包问题，已另行处理"); err != nil {
		t.Fatal(err)
	}
	later := db.Now().AddDate(0, 0, 8)
	db.Now = func() time.Time { return later }
	if err := db.DecideInspectionFinding(ctx, f.leader, f.id, f2, true, "逾期未申辩，经核实属实"); err != nil {
		t.Fatal(err)
	}
	if err := db.MoveInspection(ctx, f.leader, f.id, inspection.EventRectify); !strings.Contains(fieldMsg(err, "findings"), "未交办") {
		t.Fatalf("rectify before follow-up: %v", err)
	}
	// f1 → a rectification with the officer's item, in one step.
	today := domain.DateOf(later, domain.Beijing)
	rid, err := db.RectifyFinding(ctx, f.leader, f.id, f1, today.AddDays(30), "立即发放并建立台账")
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.Rectification(ctx, f.officer, rid)
	if err != nil || r.SourceKind != oversight.SourceInspection || len(r.Items) != 1 || r.Items[0].ResponsibleID != f.officer.UserID || r.Problem != "案款超期未发放" {
		t.Fatalf("rectification %+v: %v", r, err)
	}
	// f2 → a clue, by a watchdog of the group, never the bureau leader.
	if _, err := db.ReferFinding(ctx, f.leader, f.id, f2, "x"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the bureau refers: %v", err)
	}
	cid, err := db.ReferFinding(ctx, f.group, f.id, f2, "涉嫌收受当事人财物，移送核查")
	if err != nil {
		t.Fatal(err)
	}
	l, err := db.Clue(ctx, f.group, cid)
	if err != nil || l.Source != oversight.SourceFinding || l.SourceID != f2 {
		t.Fatalf("clue %+v: %v", l, err)
	}
	// The clue is never shown to the officer nor to the court in scope.
	for _, v := range []domain.Viewer{f.officer, f.bureau0102, f.leader} {
		fs, err := db.InspectionFindings(ctx, v, f.id)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range fs {
			if x.ClueID != 0 {
				t.Errorf("%s sees the clue of finding %d", v.Username, x.ID)
			}
		}
	}
	if fs, _ := db.InspectionFindings(ctx, f.group, f.id); len(fs) != 3 || fs[1].ClueID != cid && fs[0].ClueID != cid {
		t.Errorf("the group's watchdog does not see the referral")
	}
	if err := db.MoveInspection(ctx, f.leader, f.id, inspection.EventRectify); err != nil {
		t.Fatal(err)
	}
	// Finished only when the item is accepted by the organising court's
	// watchdogs.
	if err := db.MoveInspection(ctx, f.leader, f.id, inspection.EventFinish); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("finish with an open item: %v", err)
	}
	item := r.Items[0].ID
	if err := db.ReportRectItem(ctx, f.officer, rid, item, oversight.Report{Measures: "已发放", Outcome: "案款发放完毕", Submit: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.DecideRectItem(ctx, f.office, rid, item, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.MoveInspection(ctx, f.leader, f.id, inspection.EventFinish); err != nil {
		t.Fatal(err)
	}
}

// fieldMsg is the message err gives beside field, or "".
func fieldMsg(err error, field string) string {
	var ve *domain.ValidationError
	var de *domain.Error
	switch {
	case errors.As(err, &ve):
		return ve.Fields[field]
	case errors.As(err, &de) && de.Field == field:
		return de.Message
	}
	return ""
}

// caseSerial is a case number's serial: the draw picks the cases.
var caseSerial = regexp.MustCompile(`执\d+号`)

// inspectionTodos is what InspectionTodos gives v, a line a to-do: its
// title, link and deadline (with "!" when overdue).
func inspectionTodos(t *testing.T, db *store.DB, v domain.Viewer) []string {
	t.Helper()
	todos, err := db.InspectionTodos(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	short := strings.NewReplacer("2026年第一季度执行案款管理案件评查", "C", "济南市历下区人民法院", "历下", "济南市市中区人民法院", "市中")
	var out []string
	for _, td := range todos {
		line := caseSerial.ReplaceAllString(short.Replace(td.Title), "执N号") + " " + td.Href
		if !td.Due.IsZero() {
			line += " " + td.Due.String()
		}
		if td.Overdue {
			line += "!"
		}
		out = append(out, line)
	}
	return out
}

package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// startTracking puts case caseID under tracking with its working group,
// as the consultation and the group's forming would (another part of
// mechanism 1): the group's period runs from from to to; the first
// member leads.
func startTracking(t *testing.T, db *store.DB, caseID int64, from, to string, members ...domain.Viewer) int64 {
	t.Helper()
	id, err := db.OpenTracking(ctx, domain.SystemViewer("t"), caseID, domain.MustDate(from).AddDays(-20))
	if err != nil {
		t.Fatal(err)
	}
	testdb.Exec(t, db, "UPDATE trackings SET state = 'tracking', decided_at = ?, decided_by = 'consultation', group_from = ?, group_to = ?, plan = '方案', started_at = ? WHERE id = ?",
		db.Now().Add(-24*time.Hour), domain.MustDate(from), domain.MustDate(to), db.Now(), id)
	for i, m := range members {
		role := m.Roles[0]
		testdb.Exec(t, db, "INSERT INTO tracking_members (tracking_id, user_id, role, leader) VALUES (?, ?, ?, ?)", id, m.UserID, role, i == 0)
	}
	return id
}

// The working group at work: records of each aspect, node findings
// confirmed or dismissed, an interview pointing to a violation, a focused
// visit ordered, recommendations followed to acceptance, the violations
// handed on as clues, and the closing report — and none of it seen by the
// case's officer or his department head.
func TestTrackingWork(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("t")
	officer := domain.ViewerFor(testdb.AddUser(t, db, "officer", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	head := domain.ViewerFor(testdb.AddUser(t, db, "head", "鲁0102", "执行一庭", domain.RoleDeptHead, domain.RoleBureau), "")
	lead := domain.ViewerFor(testdb.AddUser(t, db, "lead", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	bur := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	sup := domain.ViewerFor(testdb.AddUser(t, db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	other := domain.ViewerFor(testdb.AddUser(t, db, "other", "鲁0102", "执行局", domain.RoleBureau), "")
	above := domain.ViewerFor(testdb.AddUser(t, db, "above", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	k := testCase(t, "（2026）鲁0102执8号", "2026-01-05")
	upsert(t, db, sys, k)
	got, err := db.CaseByNumber(ctx, sys, k.No.String())
	if err != nil || got.OfficerID != officer.UserID {
		t.Fatalf("case %+v %v", got, err)
	}
	id := startTracking(t, db, got.ID, "2026-03-01", "2026-03-09", lead, bur, sup)

	rec := tracking.Record{On: domain.MustDate("2026-03-05"), Aspect: tracking.AspectActs, Kind: tracking.RecordActs, Content: "网上查看查封裁定", Violation: true}
	if _, err := db.AddTrackingRecord(ctx, other, id, rec); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a bureau member outside the group writes: %v", err)
	}
	for _, v := range []domain.Viewer{officer, head, above} {
		if _, err := db.AddTrackingRecord(ctx, v, id, rec); !errors.Is(err, domain.ErrNotFound) && !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("%s writes: %v", v.Username, err)
		}
	}
	actsID, err := db.AddTrackingRecord(ctx, bur, id, rec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddTrackingRecord(ctx, sup, id, tracking.Record{On: domain.MustDate("2026-03-06"), Aspect: tracking.AspectProcess, Kind: tracking.RecordAnalysis, Content: "小组分析"}); err != nil {
		t.Fatal(err)
	}

	w, err := db.TrackingWork(ctx, lead, id)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Me.Leader || len(w.Members) != 3 || len(w.Records) != 2 || len(w.Findings) == 0 || w.Pending.OpenFindings != len(w.Findings) || w.Pending.ViolationsUnsent != 1 {
		t.Fatalf("work %+v", w)
	}
	// The higher court's watchdog reads; the officer, his head and a
	// command centre do not.
	if aw, err := db.TrackingWork(ctx, above, id); err != nil || len(aw.Records) != 2 || aw.Me.Member || len(aw.Actions(above)) != 0 {
		t.Fatalf("above: %v", err)
	}
	for _, v := range []domain.Viewer{officer, head} {
		if _, err := db.TrackingWork(ctx, v, id); !errors.Is(err, domain.ErrNotFound) && !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("%s reads the work: %v", v.Username, err)
		}
	}

	// Each late or missing node: dismissed with a reason, or confirmed.
	first := w.Findings[0].Node
	if _, err := db.DecideTrackingNode(ctx, bur, id, tracking.FindingDecision{Node: first, Decision: tracking.DecisionDismiss}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a dismissal without reason: %v", err)
	}
	if _, err := db.DecideTrackingNode(ctx, bur, id, tracking.FindingDecision{Node: first, Decision: tracking.DecisionDismiss, Reason: "送达回证在纸质卷宗"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DecideTrackingNode(ctx, bur, id, tracking.FindingDecision{Node: first, Decision: tracking.DecisionConfirm}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("deciding a node twice: %v", err)
	}
	for _, f := range w.Findings[1:] {
		if _, err := db.DecideTrackingNode(ctx, sup, id, tracking.FindingDecision{Node: f.Node, Decision: tracking.DecisionConfirm}); err != nil {
			t.Fatal(err)
		}
	}

	// An interview of the applicant reporting 索要当事人财物, and a
	// focused visit ordered for him.
	full, err := db.CaseByID(ctx, sys, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	applicant := full.Parties[0].ID
	no := false
	ivID, err := db.AddTrackingInterview(ctx, lead, id, tracking.Interview{On: domain.MustDate("2026-03-07"), Mode: tracking.ModePhone, PartyID: applicant,
		Notes: "当事人反映执行员索要财物", Answers: visit.Answers{Satisfied: &no, Items: []string{"C3.3"}}})
	if err != nil {
		t.Fatal(err)
	}
	added, err := db.OrderTrackingVisit(ctx, lead, id, tracking.VisitOrder{PartyID: applicant, Reason: "核实索要财物情况"})
	if err != nil || added.Created != 1 {
		t.Fatalf("visit order: %+v %v", added, err)
	}
	vs, err := db.Visits(ctx, sys, store.VisitFilter{CaseID: got.ID})
	if err != nil || len(vs) != 1 || vs[0].PartyID != applicant || vs[0].Reason != visit.ReasonTracking {
		t.Fatalf("visits %+v %v", vs, err)
	}

	// Recommendations: one to the department, whose head answers for it
	// at once, one to the bureau.
	dept := got.DepartmentID
	r1 := tracking.Recommendation{Suggestion: oversight.Suggestion{Problem: "执行通知送达迟延", Improve: "建立送达台账", Deadline: domain.MustDate("2026-04-10")},
		Aspect: tracking.AspectProcess, To: tracking.ToDepartment, DepartmentID: dept, Responsible: bur.UserID}
	if _, _, err := db.RecommendFromTracking(ctx, lead, id, r1); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a responsible person outside the department: %v", err)
	}
	r1.Responsible = head.UserID
	_, rect1, err := db.RecommendFromTracking(ctx, lead, id, r1)
	if err != nil {
		t.Fatal(err)
	}
	r2 := tracking.Recommendation{Suggestion: oversight.Suggestion{Problem: "案款发放不及时", Evidence: "巡查", Improve: "规范案款发放", Deadline: domain.MustDate("2026-04-30")},
		Aspect: tracking.AspectActs, To: tracking.ToBureau}
	_, rect2, err := db.RecommendFromTracking(ctx, bur, id, r2)
	if err != nil {
		t.Fatal(err)
	}
	x2, err := db.Rectification(ctx, other, rect2)
	if err != nil || x2.SourceKind != oversight.SourceRecommendation || x2.Problem != "案款发放不及时" || x2.Improve != "规范案款发放" || !x2.Full {
		t.Fatalf("the bureau reads %+v %v", x2, err)
	}
	// The head sees his item of the first and nothing of the second.
	x1, err := db.Rectification(ctx, head, rect1)
	if err != nil || x1.Full || len(x1.Items) != 1 || x1.Problem != "" || x1.Items[0].Task != "建立送达台账" {
		t.Fatalf("the head reads %+v %v", x1, err)
	}
	if _, err := db.Rectification(ctx, head, rect2); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("the head reads the bureau's recommendation: %v", err)
	}
	if list, err := db.Rectifications(ctx, head, store.RectFilter{}); err != nil || len(list) != 1 || list[0].ID != rect1 {
		t.Fatalf("the head lists %v %v", list, err)
	}
	if list, err := db.Rectifications(ctx, officer, store.RectFilter{}); err != nil || len(list) != 0 {
		t.Fatalf("the officer lists %v %v", list, err)
	}
	// The bureau divides the second; its item is reported, and waits for
	// the group's watchdogs, who accept it.
	item, err := db.AddRectItem(ctx, other, rect2, oversight.Item{Unit: "执行局", Responsible: other.UserID, Deadline: domain.MustDate("2026-04-20"), Task: "制定案款发放规程"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReportRectItem(ctx, other, rect2, item, oversight.Report{Measures: "制定规程", Outcome: "已印发", Submit: true}); err != nil {
		t.Fatal(err)
	}
	todos, err := db.RectToDos(ctx, lead)
	if err != nil || len(todos) != 1 || todos[0].RectID != rect2 || todos[0].Step != "验收整改事项" {
		t.Fatalf("the issuer's to-dos %+v %v", todos, err)
	}
	if err := db.DecideRectItem(ctx, lead, rect2, item, true, ""); err != nil {
		t.Fatal(err)
	}
	w, err = db.TrackingWork(ctx, lead, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Recommendations) != 2 || w.Recommendations[0].State != tracking.RecOpen || w.Recommendations[1].State != tracking.RecClosed {
		t.Fatalf("recommendations %+v", w.Recommendations)
	}
	if iv := w.Interviews[ivID]; iv == nil || iv.PartyName != "张三" || iv.Answers.Answer() != visit.AnswerDissatisfied || len(iv.Answers.Items) != 1 {
		t.Fatalf("interview %+v", iv)
	}

	// The leader owes the report (the period ended yesterday) but may not
	// close before the violations are handed on.
	wt, err := db.TrackingWorkTodos(ctx, lead)
	if err != nil || len(wt) != 2 || !wt[0].Overdue {
		t.Fatalf("the leader's to-dos %+v %v", wt, err)
	}
	if wt, err := db.TrackingWorkTodos(ctx, bur); err != nil || len(wt) != 0 {
		t.Fatalf("a member's to-dos %+v %v", wt, err)
	}
	closing := tracking.Closing{On: domain.MustDate("2026-03-10"), Summary: "跟踪一个月", Conclusions: "发现送达迟延、索要财物线索"}
	if err := db.CloseTrackingWork(ctx, bur, id, closing); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a member closes: %v", err)
	}
	if err := db.CloseTrackingWork(ctx, lead, id, closing); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("closing with violations not handed on: %v", err)
	}
	clue := oversight.Clue{Source: oversight.SourceTracking, SourceID: actsID, Persons: []string{officer.Username}, Summary: "查封裁定违规"}
	if _, err := db.RegisterClue(ctx, above, "鲁0102", clue, ""); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a watchdog outside the group hands on: %v", err)
	}
	clueID, err := db.RegisterClue(ctx, lead, "鲁0102", clue, "")
	if err != nil {
		t.Fatal(err)
	}
	if l, err := db.Clue(ctx, above, clueID); err != nil || l.TrackingID != id {
		t.Fatalf("the clue keeps its link: %+v %v", l, err)
	}
	clue.SourceID = ivID
	if _, err := db.RegisterClue(ctx, sup, "鲁0102", clue, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.CloseTrackingWork(ctx, lead, id, closing); err != nil {
		t.Fatal(err)
	}
	w, err = db.TrackingWork(ctx, above, id)
	if err != nil || w.Step != tracking.StepClosed || w.Closing == nil || w.Closing.Summary != "跟踪一个月" || w.ClosedAt.IsZero() {
		t.Fatalf("after closing %+v %v", w, err)
	}
	if _, err := db.AddTrackingRecord(ctx, bur, id, rec); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a record after closing: %v", err)
	}
	if wt, err := db.TrackingWorkTodos(ctx, lead); err != nil || len(wt) != 0 {
		t.Fatalf("to-dos after closing %+v %v", wt, err)
	}
}

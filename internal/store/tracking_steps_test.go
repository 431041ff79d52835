package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
)

func evaluation(t *testing.T, r tracking.Result) *tracking.Evaluation {
	t.Helper()
	e, err := tracking.NewEvaluation(tracking.DefaultFactors(), map[string]string{"amount": "5", "parties": "4", "media": "3", "complaints": "5", "findings": "1"}, r, "标的大，投诉集中")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func consultation() *tracking.Consultation {
	return &tracking.Consultation{Date: domain.MustDate("2026-03-02"), Place: "第一会议室", Minutes: "三家会商，意见如下",
		Participants: map[domain.Role]string{domain.RoleBureau: "局长甲", domain.RoleDisciplineGroup: "组长乙", domain.RoleSupervisionOffice: "主任丙"}}
}

// The procedure on the store: the bureau evaluates, the bodies consult,
// all agree (tracked) or one disagrees and the co-leaders decide; the
// group is checked (handler excluded, each body, one leader) and formed.
func TestTrackingProcedure(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("t")
	officer := testdb.AddUser(t, db, "officer", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleBureau)
	colleague := testdb.AddUser(t, db, "colleague", "鲁0102", "执行一庭", domain.RoleBureau)
	bureauU := testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau)
	groupU := testdb.AddUser(t, db, "grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	officeU := testdb.AddUser(t, db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	chief := testdb.AddUser(t, db, "chief", "鲁0102", "执行局", domain.RoleBureau)
	head := testdb.AddUser(t, db, "head", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	bureau, group, office := domain.ViewerFor(bureauU, ""), domain.ViewerFor(groupU, ""), domain.ViewerFor(officeU, "")
	for p, u := range map[oversight.Post]int64{oversight.PostBureauLeader: chief.ID, oversight.PostDisciplineLeader: head.ID} {
		if err := db.AppointPost(ctx, sys, "鲁0102", p, u); err != nil {
			t.Fatal(err)
		}
	}
	a, b := testCase(t, "（2026）鲁0102执1号", "2026-01-05"), testCase(t, "（2026）鲁0102执2号", "2026-01-05")
	a.SocialImpact, b.PublicOpinion = true, true
	upsert(t, db, sys, a, b)
	if _, err := db.RefreshCandidates(ctx, sys, "鲁0102"); err != nil {
		t.Fatal(err)
	}
	ida, err := db.OpenTracking(ctx, sys, caseNoID(t, db, a.No.String()), db.Today())
	if err != nil {
		t.Fatal(err)
	}
	idb, err := db.OpenTracking(ctx, sys, caseNoID(t, db, b.No.String()), db.Today())
	if err != nil {
		t.Fatal(err)
	}
	step := func(id int64) tracking.Step {
		t.Helper()
		tr, err := db.Tracking(ctx, sys, id)
		if err != nil {
			t.Fatal(err)
		}
		return tr.Step
	}
	yes, no := true, false

	// Case a: all three agree.
	if err := db.Evaluate(ctx, group, ida, evaluation(t, tracking.ResultTrack)); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a watchdog evaluates: %v", err)
	}
	if err := db.Evaluate(ctx, domain.ViewerFor(officer, ""), ida, evaluation(t, tracking.ResultTrack)); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("the case's officer evaluates: %v", err)
	}
	if err := db.Evaluate(ctx, bureau, ida, evaluation(t, tracking.ResultTrack)); err != nil {
		t.Fatal(err)
	}
	if err := db.OpenConsultation(ctx, office, ida, consultation()); err != nil {
		t.Fatal(err)
	}
	if err := db.GiveOpinion(ctx, bureau, ida, domain.RoleDisciplineGroup, &yes, "同意"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the bureau speaks for the group: %v", err)
	}
	for _, x := range []struct {
		v domain.Viewer
		r domain.Role
	}{{bureau, domain.RoleBureau}, {group, domain.RoleDisciplineGroup}, {office, domain.RoleSupervisionOffice}} {
		if err := db.GiveOpinion(ctx, x.v, ida, x.r, &yes, "同意跟踪"); err != nil {
			t.Fatal(err)
		}
	}
	if s := step(ida); s != tracking.StepTracked {
		t.Fatalf("case a after three agreements: %s", s)
	}

	// Case b: the group disagrees; the co-leaders both decide to track.
	if err := db.Evaluate(ctx, bureau, idb, evaluation(t, tracking.ResultTrack)); err != nil {
		t.Fatal(err)
	}
	if err := db.OpenConsultation(ctx, bureau, idb, consultation()); err != nil {
		t.Fatal(err)
	}
	if err := db.GiveOpinion(ctx, bureau, idb, domain.RoleBureau, &no, "标的不大"); err != nil {
		t.Fatal(err)
	}
	if err := db.GiveOpinion(ctx, group, idb, domain.RoleDisciplineGroup, &yes, "舆情风险高"); err != nil {
		t.Fatal(err)
	}
	if err := db.GiveOpinion(ctx, office, idb, domain.RoleSupervisionOffice, &yes, "同意"); err != nil {
		t.Fatal(err)
	}
	if s := step(idb); s != tracking.StepCoLeaders {
		t.Fatalf("case b after a disagreement: %s", s)
	}
	if err := db.LeaderDecide(ctx, bureau, idb, oversight.PostBureauLeader, &yes, "跟踪"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a bureau member decides as its head: %v", err)
	}
	if err := db.LeaderDecide(ctx, domain.ViewerFor(chief, ""), idb, oversight.PostBureauLeader, &no, "不必跟踪"); err != nil {
		t.Fatal(err)
	}
	if err := db.LeaderDecide(ctx, domain.ViewerFor(head, ""), idb, oversight.PostDisciplineLeader, &yes, "应当跟踪"); err != nil {
		t.Fatal(err)
	}
	page, err := db.TrackingPage(ctx, group, idb)
	if err != nil {
		t.Fatal(err)
	}
	if page.Step != tracking.StepTracked || page.DecidedBy != "co_leaders" || !page.State.Disagree() || page.Consultation == nil || page.Evaluation == nil {
		t.Fatalf("case b after the co-leaders differ: %+v", page.Tracking)
	}
	if !tracking.Allows(page.Actions, tracking.EventFormGroup) || tracking.Allows(page.Actions, tracking.EventEvaluate) {
		t.Fatalf("actions on a tracked case: %+v", page.Actions)
	}

	// The group of case a.
	bad := &tracking.Group{From: domain.MustDate("2026-03-03"), To: domain.MustDate("2026-02-01"), Members: []tracking.Member{
		{UserID: officer.ID, Role: domain.RoleBureau, Leader: true},
		{UserID: colleague.ID, Role: domain.RoleBureau, Leader: true},
		{UserID: groupU.ID, Role: domain.RoleSupervisionOffice},
	}}
	var ve *domain.ValidationError
	err = db.FormGroup(ctx, bureau, ida, bad)
	if !errors.As(err, &ve) {
		t.Fatalf("a bad group: %v", err)
	}
	for _, f := range []string{"members", "members_discipline_group", "leader", "to", "plan"} {
		if ve.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, ve.Fields)
		}
	}
	good := &tracking.Group{From: domain.MustDate("2026-03-03"), To: domain.MustDate("2026-06-30"), Plan: "每月查看执行流程一次", Members: []tracking.Member{
		{UserID: bureauU.ID, Role: domain.RoleBureau},
		{UserID: groupU.ID, Role: domain.RoleDisciplineGroup, Leader: true},
		{UserID: officeU.ID, Role: domain.RoleSupervisionOffice},
	}}
	if err := db.FormGroup(ctx, group, ida, good); err != nil {
		t.Fatal(err)
	}
	page, err = db.TrackingPage(ctx, office, ida)
	if err != nil {
		t.Fatal(err)
	}
	if page.Step != tracking.StepTracking || len(page.Members) != 3 || !page.Members[0].Leader || page.GroupTo != domain.MustDate("2026-06-30") {
		t.Fatalf("case a after the group: %+v %+v", page.Tracking, page.Members)
	}
	if err := db.FormGroup(ctx, group, ida, good); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a second group: %v", err)
	}
}

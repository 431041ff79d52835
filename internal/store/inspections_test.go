package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// inspectionFixture is a case review of 鲁01 over 鲁0102 and 鲁0103 with a
// working group of the three bodies, and closed cases at both courts.
type inspectionFixture struct {
	db                                  *store.DB
	leader, group, office, officer      domain.Viewer
	bureau0102, beside, above, outsider domain.Viewer
	id                                  int64
}

func newInspectionFixture(t *testing.T) *inspectionFixture {
	t.Helper()
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC) }
	f := &inspectionFixture{db: db}
	vf := func(u *domain.User) domain.Viewer { return domain.ViewerFor(u, "") }
	f.leader = vf(testdb.AddUser(t, db, "insp.lead", "鲁01", "执行局", domain.RoleBureau))
	f.group = vf(testdb.AddUser(t, db, "insp.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup))
	f.office = vf(testdb.AddUser(t, db, "insp.sup", "鲁01", "监察室", domain.RoleSupervisionOffice))
	f.officer = vf(testdb.AddUser(t, db, "insp.off", "鲁0102", "执行一庭", domain.RoleOfficer))
	f.bureau0102 = vf(testdb.AddUser(t, db, "insp.bur0102", "鲁0102", "执行局", domain.RoleBureau))
	f.beside = vf(testdb.AddUser(t, db, "insp.bur02", "鲁02", "执行局", domain.RoleBureau))
	f.above = vf(testdb.AddUser(t, db, "insp.sup0", "鲁", "监察室", domain.RoleSupervisionOffice))
	f.outsider = vf(testdb.AddUser(t, db, "insp.cc01", "鲁01", "执行指挥中心", domain.RoleCommandCenter))
	var ks []*domain.Case
	for _, code := range []string{"鲁0102", "鲁0103"} {
		for i := 1; i <= 12; i++ {
			no, _ := domain.ParseCaseNo(fmt.Sprintf("（2026）%s执%d号", code, i), domain.DefaultCaseTypes)
			ks = append(ks, &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), ClosedOn: domain.MustDate("2026-03-10"), ClosingMode: "执行完毕",
				Officer: f.officer.Name, Department: "执行一庭"})
		}
	}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, ks, nil); return err }); err != nil {
		t.Fatal(err)
	}
	in := store.InspectionInput{
		Campaign: inspection.Campaign{Kind: inspection.KindCaseReview, Theme: inspection.ThemeMoney, Title: "2026年第一季度执行案款管理案件评查",
			From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-03-31"), Plan: "交叉评查各基层法院执结案件。"},
		Courts: []string{"鲁0102", "鲁0103"}, MemberIDs: []int64{f.leader.UserID, f.group.UserID, f.office.UserID}, LeaderID: f.leader.UserID,
		PerCourt: 3, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7,
	}
	var err error
	if f.id, err = db.CreateInspection(ctx, f.leader, in); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestInspectionCampaign(t *testing.T) {
	f := newInspectionFixture(t)
	db := f.db
	// Validation: a group without the 监察室, a court outside the subtree.
	bad := store.InspectionInput{Campaign: inspection.Campaign{Kind: inspection.KindPatrol, Theme: inspection.ThemeDiscipline, Title: "巡查",
		From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-03-31")}, Courts: []string{"鲁02"},
		MemberIDs: []int64{f.leader.UserID, f.group.UserID}, LeaderID: f.leader.UserID, PerCourt: 3, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7}
	var ve *domain.ValidationError
	if _, err := db.CreateInspection(ctx, f.leader, bad); !errors.As(err, &ve) || ve.Fields["members"] == "" || ve.Fields["scope"] == "" {
		t.Fatalf("bad campaign: %v", err)
	}
	if _, err := db.CreateInspection(ctx, f.officer, bad); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("an officer organises: %v", err)
	}

	in, err := db.Inspection(ctx, f.leader, f.id)
	if err != nil {
		t.Fatal(err)
	}
	if in.State != inspection.StatePrep || !in.Full || len(in.Scope) != 2 || len(in.Members) != 3 || in.ChecklistID == 0 || in.ChecklistName != "执行案款管理情况评查表" {
		t.Fatalf("campaign %+v", in)
	}
	// Who sees it: the group, the organising court's bodies and above; the
	// bodies of a court in scope see it in part; nobody beside, no officer
	// before a finding names him.
	for _, c := range []struct {
		v         domain.Viewer
		see, full bool
	}{{f.group, true, true}, {f.above, true, true}, {f.outsider, true, true}, {f.bureau0102, true, false}, {f.beside, false, false}, {f.officer, false, false}} {
		got, err := db.Inspection(ctx, c.v, f.id)
		if c.see != (err == nil) || (err == nil && got.Full != c.full) {
			t.Errorf("%s: err %v", c.v.Username, err)
		}
		if !c.see && !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s: %v", c.v.Username, err)
		}
		list, err := db.Inspections(ctx, c.v)
		if err != nil || (len(list) == 1) != c.see {
			t.Errorf("%s lists %d: %v", c.v.Username, len(list), err)
		}
	}
	// Only the leader moves it, and not before the targets are there.
	if err := db.MoveInspection(ctx, f.group, f.id, inspection.EventStart); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a member starts: %v", err)
	}
	if err := db.MoveInspection(ctx, f.leader, f.id, inspection.EventStart); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("start without targets: %v", err)
	}
	// The draw: three per court, provable; a second draw adds nothing.
	if _, err := db.DrawInspection(ctx, f.bureau0102, f.id); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a court in scope draws: %v", err)
	}
	n, err := db.DrawInspection(ctx, f.group, f.id)
	if err != nil || n != 6 {
		t.Fatalf("drew %d: %v", n, err)
	}
	if n, err := db.DrawInspection(ctx, f.group, f.id); err != nil || n != 0 {
		t.Fatalf("drew again %d: %v", n, err)
	}
	ds, err := db.InspectionDraws(ctx, f.leader, f.id)
	if err != nil || len(ds) != 2 || len(ds[0].Population) != 12 || len(ds[0].Selected) != 3 {
		t.Fatalf("draws %+v: %v", ds, err)
	}
	for code, err := range store.VerifyDraws(ds) {
		if err != nil {
			t.Errorf("%s does not verify: %v", code, err)
		}
	}
	for _, no := range ds[1].Population {
		if !slices.Contains(ds[1].Selected, no) {
			ds[1].Selected[0] = no
			break
		}
	}
	if store.VerifyDraws(ds)[ds[1].CourtCode] == nil {
		t.Error("a changed selection verifies")
	}
	if _, err := db.InspectionDraws(ctx, f.bureau0102, f.id); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("a court in scope reads the draw: %v", err)
	}
	// A picked case needs a reason and a court in scope.
	if err := db.PickInspectionCase(ctx, f.office, f.id, "（2026）鲁0102执1号", ""); !errors.As(err, &ve) || ve.Fields["reason"] == "" {
		t.Fatalf("pick without reason: %v", err)
	}
	// Editing the checklist makes a new version for this campaign.
	cl, err := db.InspectionChecklist(ctx, f.leader, f.id)
	if err != nil || cl.Version != 1 {
		t.Fatalf("checklist %+v: %v", cl, err)
	}
	cl.Items = cl.Items[:3]
	cl.Items[0].Points = 40
	if _, err := db.EditChecklist(ctx, f.group, f.id, cl.Checklist); err != nil {
		t.Fatal(err)
	}
	cl2, err := db.InspectionChecklist(ctx, f.leader, f.id)
	if err != nil || cl2.Version != 2 || len(cl2.Items) != 3 || cl2.Key != cl.Key {
		t.Fatalf("edited checklist %+v: %v", cl2, err)
	}
	if _, err := db.EditChecklist(ctx, f.bureau0102, f.id, cl.Checklist); !errors.Is(err, domain.ErrNotFound) && !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a court in scope edits the checklist: %v", err)
	}
}

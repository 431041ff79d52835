package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// Issue 14, complaints and petitions: registered by those who see them,
// never seen by whom they concern, assessed by the watchdogs, and a
// petition marks its case for a focused visit, once per petition.
func TestComplaints(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("t")
	k := testCase(t, "（2026）鲁0102执1号", "2026-01-05")
	// The case's officer also holds the bureau's role; the named member of
	// staff is a watchdog of the court.
	officer := domain.ViewerFor(testdb.AddUser(t, db, "officer", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleBureau), "")
	named := testdb.AddUser(t, db, "named", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	upsert(t, db, sys, k)
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	ccAbove := domain.ViewerFor(testdb.AddUser(t, db, "cc01", "鲁01", "执行指挥中心", domain.RoleCommandCenter), "")
	group01 := domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	office := domain.ViewerFor(testdb.AddUser(t, db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	beside := domain.ViewerFor(testdb.AddUser(t, db, "grp02", "鲁02", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	plain := domain.ViewerFor(testdb.AddUser(t, db, "off2", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	if got, _ := db.CaseByNumber(ctx, sys, k.No.String()); got.OfficerID != officer.UserID {
		t.Fatalf("the case's officer: %d, want %d", got.OfficerID, officer.UserID)
	}

	petition := oversight.Complaint{Kind: oversight.KindPetition, Channel: "来访", ReceivedOn: domain.MustDate("2026-03-01"), PersonName: "张三",
		PersonPhone: "13812345678", CaseNumbers: []string{k.No.String()}, Staff: []string{"named"}, Content: "执行法官拖延", Categories: []string{"C1"},
		Level: oversight.LevelCourt, Repeat: 1}

	// Bad input leaves nothing behind; the messages are per field.
	bad := petition
	bad.CaseNumbers, bad.Staff, bad.Level = []string{"（2026）鲁02执9号"}, []string{"nobody"}, ""
	_, err := db.RegisterComplaint(ctx, cc, "鲁0102", bad)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields["cases"] == "" || ve.Fields["staff"] == "" || ve.Fields["level"] == "" {
		t.Fatalf("bad petition: %v", err)
	}
	if _, err := db.RegisterComplaint(ctx, plain, "鲁0102", petition); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("an officer registers: %v", err)
	}
	if _, err := db.RegisterComplaint(ctx, officer, "鲁0102", petition); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("the officer registers one about his own case: %v", err)
	}
	if _, total, _ := db.Complaints(ctx, sys, store.ComplaintFilter{}); total.Total != 0 {
		t.Fatalf("refused input left %d complaints", total.Total)
	}

	id, err := db.RegisterComplaint(ctx, cc, "鲁0102", petition)
	if err != nil {
		t.Fatal(err)
	}
	complaint := petition
	complaint.Kind, complaint.Channel, complaint.Staff, complaint.CaseNumbers = oversight.KindComplaint, "12368热线", nil, nil
	other, err := db.RegisterComplaint(ctx, cc, "", complaint)
	if err != nil {
		t.Fatal(err)
	}
	var sealed string
	if err := db.WriteDB().QueryRow(db.Rebind("SELECT person_name_sealed FROM complaints WHERE id = ?"), id).Scan(&sealed); err != nil || sealed == "" || sealed == "张三" {
		t.Fatalf("the person is not sealed: %q %v", sealed, err)
	}

	// Who sees what: the one naming the officer and the watchdog is
	// hidden from both, in the list, the count and by id.
	for name, tt := range map[string]struct {
		v    domain.Viewer
		want int
	}{
		"command centre": {cc, 2}, "watchdog above": {group01, 2}, "supervision office": {office, 2}, "bureau": {bureau, 2},
		"command centre above": {ccAbove, 0}, "watchdog beside": {beside, 0}, "named watchdog": {domain.ViewerFor(named, ""), 1}, "officer in the bureau": {officer, 1},
	} {
		ms, total, err := db.Complaints(ctx, tt.v, store.ComplaintFilter{})
		if err != nil || total.Total != tt.want || len(ms) != tt.want {
			t.Errorf("%s sees %d (%d): %v; want %d", name, total.Total, len(ms), err, tt.want)
		}
		_, err = db.Complaint(ctx, tt.v, id)
		if (err == nil) != (tt.want == 2) {
			t.Errorf("%s by id: %v", name, err)
		}
	}
	if _, _, err := db.Complaints(ctx, plain, store.ComplaintFilter{}); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("a plain officer lists complaints: %v", err)
	}
	m, err := db.Complaint(ctx, group01, id)
	if err != nil || m.PersonName != "张三" || m.PhoneMasked != "138****5678" || len(m.Cases) != 1 || len(m.Staff) != 1 || m.Cases[0].Strong {
		t.Fatalf("the petition: %+v %v", m, err)
	}
	if _, total, _ := db.Complaints(ctx, cc, store.ComplaintFilter{Kind: oversight.KindPetition, Channel: "来访", Court: "鲁0102"}); total.Total != 1 {
		t.Errorf("filtered: %d", total.Total)
	}

	// Assessment: the watchdogs that may see it, not the command centre
	// nor the watchdog it names; bad input changes nothing.
	if err := db.AssessComplaint(ctx, cc, id, oversight.LeadClear, "有具体事实"); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("the command centre assesses: %v", err)
	}
	if err := db.AssessComplaint(ctx, domain.ViewerFor(named, ""), id, oversight.LeadUnclear, "无"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the named watchdog assesses: %v", err)
	}
	if err := db.AssessComplaint(ctx, group01, id, "maybe", ""); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("a bad assessment: %v", err)
	}
	if err := db.AssessComplaint(ctx, group01, id, oversight.LeadClear, "有具体时间地点"); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := db.Complaints(ctx, office, store.ComplaintFilter{Lead: "clear"}); total.Total != 1 {
		t.Errorf("clear leads: %d", total.Total)
	}
	if _, total, _ := db.Complaints(ctx, office, store.ComplaintFilter{Lead: "none"}); total.Total != 1 {
		t.Errorf("unassessed: %d (other %d)", total.Total, other)
	}

	// The petition marks the case for a focused visit.
	rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()})
	if err != nil || rep.Created == 0 {
		t.Fatalf("the first petition's scan: %+v %v", rep, err)
	}
	if rep, _ := db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()}); rep.Created+rep.Merged != 0 {
		t.Fatalf("the same petition visited twice: %+v", rep)
	}
	testdb.Exec(t, db, "UPDATE visits SET step = 'closed'")

	// A second petition five months later: visited again, and the case
	// is 反映强烈 — for those who may know.
	now = time.Date(2026, 8, 1, 2, 0, 0, 0, time.UTC)
	second := petition
	second.ReceivedOn, second.Staff, second.Repeat = domain.MustDate("2026-08-01"), nil, 2
	if _, err := db.RegisterComplaint(ctx, office, "鲁0102", second); err != nil {
		t.Fatal(err)
	}
	rep, err = db.ScanFocused(ctx, store.FocusScan{Rule: visit.DefaultFocusRule()})
	if err != nil || rep.Created == 0 {
		t.Fatalf("the second petition's scan: %+v %v", rep, err)
	}
	for name, tt := range map[string]struct {
		v    domain.Viewer
		want bool
	}{
		"watchdog above": {group01, true}, "command centre": {cc, true}, "officer in the bureau": {officer, false},
		"named watchdog": {domain.ViewerFor(named, ""), false}, "plain officer": {plain, false},
	} {
		if got, err := db.StrongReaction(ctx, tt.v, k.ID); err != nil || got != tt.want {
			t.Errorf("%s: strong %v %v, want %v", name, got, err, tt.want)
		}
	}
}

package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
)

// A tracking is opened once per case while open, read by the three bodies
// of the court and the watchdogs above, and hidden from the case's officer
// and department.
func TestTrackingOpenAndRead(t *testing.T) {
	db := testdb.Open(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	sys := domain.SystemViewer("t")
	officer := domain.ViewerFor(testdb.AddUser(t, db, "officer", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleBureau), "")
	head := domain.ViewerFor(testdb.AddUser(t, db, "head", "鲁0102", "执行一庭", domain.RoleDeptHead, domain.RoleBureau), "")
	k := testCase(t, "（2026）鲁0102执7号", "2026-01-05")
	upsert(t, db, sys, k)
	got, err := db.CaseByNumber(ctx, sys, k.No.String())
	if err != nil {
		t.Fatal(err)
	}
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	group01 := domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	bureau01 := domain.ViewerFor(testdb.AddUser(t, db, "bur01", "鲁01", "执行局", domain.RoleBureau), "")
	cc := domain.ViewerFor(testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	if _, err := db.OpenTracking(ctx, cc, got.ID, domain.MustDate("2026-03-01")); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the command centre opens a tracking: %v", err)
	}
	id, err := db.OpenTracking(ctx, sys, got.ID, domain.MustDate("2026-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.OpenTracking(ctx, bureau, got.ID, domain.MustDate("2026-03-02"))
	if err != nil || again != id {
		t.Fatalf("opening again: %d, %v; want %d", again, err, id)
	}
	for _, v := range []domain.Viewer{bureau, group01} {
		tr, st, err := db.TrackingState(ctx, v, id)
		if err != nil {
			t.Fatalf("%s: %v", v.Username, err)
		}
		if tr.Step != tracking.StepCandidate || st.Step != tracking.StepCandidate || tr.CaseNo != k.No.String() || tr.CandidateSince != domain.MustDate("2026-03-01") {
			t.Fatalf("%s reads %+v", v.Username, tr)
		}
		if list, err := db.Trackings(ctx, v, store.TrackingFilter{Court: "鲁0102", Open: true}); err != nil || len(list) != 1 {
			t.Fatalf("%s lists %d, %v", v.Username, len(list), err)
		}
	}
	for _, v := range []domain.Viewer{officer, head, bureau01} {
		if _, err := db.Tracking(ctx, v, id); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("%s reads the tracking: %v", v.Username, err)
		}
		if list, err := db.Trackings(ctx, v, store.TrackingFilter{}); err != nil || len(list) != 0 {
			t.Fatalf("%s lists %d, %v", v.Username, len(list), err)
		}
	}
	if _, err := db.Trackings(ctx, cc, store.TrackingFilter{}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the command centre lists trackings: %v", err)
	}
}

package store_test

import (
	"errors"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestCasesFollowTheirStaff: an account created after the import takes its
// cases at once, and the secrecy that rests on case_officers follows; a
// rename, a move and a disabling take them away again (the seal stays);
// where names repeat in a court the department decides; what matches no
// account is listed for the administrator, whose mapping wins and
// survives later imports.
func TestCasesFollowTheirStaff(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	cmd := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	bureau := testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau)
	admin := testdb.AddUser(t, db, "adm", "鲁01", "信息技术处", domain.RoleAdmin)

	a := testCase(t, "（2026）鲁0102执1号", "2026-01-05")
	a.Officer = "测试late"
	b := testCase(t, "（2026）鲁0102执2号", "2026-01-05")
	b.Officer, b.Department = "同名", "执行二庭"
	c := testCase(t, "（2026）鲁0102执3号", "2026-01-05")
	c.Officer, c.Department = "同名", "执行一庭"
	upsert(t, db, sys, a, b, c)
	focus, err := db.AddFocusedVisit(ctx, domain.ViewerFor(cmd, ""), a.ID, "重点回访")
	if err != nil || focus.Created == 0 {
		t.Fatalf("focused visit: %+v %v", focus, err)
	}

	unmatched := func() map[string]int {
		t.Helper()
		names, _, err := db.UnmatchedOfficers(ctx, domain.ViewerFor(admin, ""))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, n := range names {
			out[n.Officer+"/"+n.Department] = n.Cases
		}
		return out
	}
	if got := unmatched(); got["测试late/执行一庭"] != 1 || got["同名/执行二庭"] != 1 || got["同名/执行一庭"] != 1 {
		t.Fatalf("unmatched before the accounts: %v", got)
	}
	if _, _, err := db.UnmatchedOfficers(ctx, domain.ViewerFor(cmd, "")); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("the command centre reads the unmatched officers: %v", err)
	}

	// The officer's account is made after the import, with the bureau role
	// too: he sees his case at once, and not its return visit.
	late := testdb.AddUser(t, db, "late", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleBureau)
	lv := domain.ViewerFor(late, "")
	if k, err := db.CaseByID(ctx, lv, a.ID); err != nil || k.OfficerID != late.ID {
		t.Fatalf("the new officer's case: %+v %v", k, err)
	}
	visits := func(v domain.Viewer) int {
		t.Helper()
		vs, err := db.Visits(ctx, v, store.VisitFilter{CaseID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}
	if n := visits(lv); n != 0 {
		t.Errorf("the case's officer sees %d return visits of his case", n)
	}
	if n := visits(domain.ViewerFor(bureau, "")); n == 0 {
		t.Error("the bureau does not see the return visit")
	}
	if _, ok := unmatched()["测试late/执行一庭"]; ok {
		t.Error("a matched name is still listed as unmatched")
	}

	// Renamed, the account leaves the case, which is listed again; the
	// seal stays (he was its officer).
	late.Name = "改名"
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { return tx.UpdateUser(ctx, late) }); err != nil {
		t.Fatal(err)
	}
	lv = domain.ViewerFor(late, "")
	if k, _ := db.CaseByID(ctx, sys, a.ID); k.OfficerID != 0 {
		t.Errorf("the renamed account keeps the case")
	}
	if n := visits(lv); n != 0 {
		t.Errorf("the former officer sees %d return visits", n)
	}
	if unmatched()["测试late/执行一庭"] != 1 {
		t.Error("the case of the old name is not listed")
	}
	// Named back, it takes the case again; disabled, it lets go.
	late.Name = "测试late"
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { return tx.UpdateUser(ctx, late) }); err != nil {
		t.Fatal(err)
	}
	if k, err := db.CaseByID(ctx, sys, a.ID); err != nil || k.OfficerID != late.ID {
		t.Fatalf("after the name came back: %+v %v", k, err)
	}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.SetUserDisabled(ctx, late.ID, true); return err }); err != nil {
		t.Fatal(err)
	}
	if k, _ := db.CaseByID(ctx, sys, a.ID); k.OfficerID != 0 {
		t.Errorf("a disabled account keeps the case")
	}

	// Two accounts named 同名: each takes the cases of his department.
	same1 := addNamed(t, db, "same1", "同名", "执行一庭")
	same2 := addNamed(t, db, "same2", "同名", "执行二庭")
	if k, _ := db.CaseByID(ctx, sys, c.ID); k.OfficerID != same1.ID {
		t.Errorf("执行一庭's case went to %d, want %d", k.OfficerID, same1.ID)
	}
	if k, _ := db.CaseByID(ctx, sys, b.ID); k.OfficerID != same2.ID {
		t.Errorf("执行二庭's case went to %d, want %d", k.OfficerID, same2.ID)
	}
	// A third case of 同名 in a department neither is in: ambiguous, so
	// listed; the administrator maps it by hand, and a later import that
	// changes the case keeps the mapping.
	d := testCase(t, "（2026）鲁0102执4号", "2026-01-05")
	d.Officer, d.Department = "同名", "执行三庭"
	upsert(t, db, sys, d)
	if k, _ := db.CaseByID(ctx, sys, d.ID); k.OfficerID != 0 {
		t.Fatalf("an ambiguous name was linked to %d", k.OfficerID)
	}
	if unmatched()["同名/执行三庭"] != 1 {
		t.Fatal("the ambiguous name is not listed")
	}
	av := domain.ViewerFor(admin, "")
	if _, err := db.MapOfficer(ctx, av, d.CourtID, "同名", "执行三庭", cmd.ID+1_000_000); err == nil {
		t.Error("mapped to an account that does not exist")
	}
	if _, err := db.MapOfficer(ctx, domain.ViewerFor(cmd, ""), d.CourtID, "同名", "执行三庭", same2.ID); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("the command centre maps officers: %v", err)
	}
	if n, err := db.MapOfficer(ctx, av, d.CourtID, "同名", "执行三庭", same2.ID); err != nil || n != 1 {
		t.Fatalf("mapping: %d %v", n, err)
	}
	d.Amount += 100
	if n := upsert(t, db, sys, d); n.Updated != 1 {
		t.Fatalf("re-import: %+v", n)
	}
	if k, _ := db.CaseByID(ctx, sys, d.ID); k.OfficerID != same2.ID {
		t.Errorf("after a re-import the mapped case went to %d", k.OfficerID)
	}
	if k, _ := db.CaseByID(ctx, sys, c.ID); k.OfficerID != same1.ID {
		t.Errorf("the mapping of 执行三庭 moved 执行一庭's case to %d", k.OfficerID)
	}
	if _, ok := unmatched()["同名/执行三庭"]; ok {
		t.Error("a mapped name is still listed")
	}
	_, links, err := db.UnmatchedOfficers(ctx, av)
	if err != nil || len(links) != 1 || links[0].UserID != same2.ID || links[0].CreatedBy != admin.Name {
		t.Fatalf("links: %+v %v", links, err)
	}
	// Unmapped, the case goes back to matching by name (none).
	if err := db.UnmapOfficer(ctx, av, d.CourtID, "同名", "执行三庭"); err != nil {
		t.Fatal(err)
	}
	if k, _ := db.CaseByID(ctx, sys, d.ID); k.OfficerID != 0 {
		t.Errorf("after unmapping the case stays with %d", k.OfficerID)
	}
	// Every link and mapping is in the audit trail.
	recs, err := db.ListAudit(ctx, sys, store.AuditFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range recs {
		seen[r.Action]++
	}
	if seen["case.officer_link"] < 5 || seen["officer.map"] != 1 || seen["officer.unmap"] != 1 {
		t.Errorf("audit: %v", seen)
	}
}

func addNamed(t *testing.T, db *store.DB, username, name, dept string) *domain.User {
	t.Helper()
	u := &domain.User{Username: username, Name: name, CourtCode: "鲁0102", Department: dept, Roles: []domain.Role{domain.RoleOfficer}}
	if err := db.Update(ctx, domain.SystemViewer("test"), func(tx *store.Tx) error {
		return tx.CreateUser(ctx, u, "x")
	}); err != nil {
		t.Fatal(err)
	}
	return u
}

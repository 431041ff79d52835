package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestUnmatchedOfficersPage: the administrator sees the officer names no
// account takes (names and counts, no case), maps one by hand, and the
// officer then finds the case in his list; an officer account created
// after the import finds its case with no mapping at all.
func TestUnmatchedOfficersPage(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	admin := testdb.AddUser(t, db, "uo.adm", "鲁01", "信息技术处", domain.RoleAdmin)
	typo := testdb.AddUser(t, db, "uo.typo", "鲁0102", "执行一庭", domain.RoleOfficer)
	var cases []*domain.Case
	for _, c := range []struct{ no, officer string }{
		{"（2026）鲁0102执51号", "测试 uo.typo"}, // written with a space in the case system
		{"（2026）鲁0102执52号", "测试uo.late"},
	} {
		no, _ := domain.ParseCaseNo(c.no, domain.DefaultCaseTypes)
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: c.officer, Department: "执行一庭",
			Parties: []domain.Party{{Role: domain.Applicant, Name: "甲"}, {Role: domain.Respondent, Name: "乙"}}})
	}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}
	adm := e.browser().loggedIn("uo.adm")
	r := adm.get("/admin/unmatched-officers")
	if r.status != http.StatusOK || !strings.Contains(r.body, "测试 uo.typo") || !strings.Contains(r.body, "测试uo.late") {
		t.Fatalf("unmatched page: %d %s", r.status, r.body)
	}
	if strings.Contains(r.body, "执51号") {
		t.Error("the administrator's page shows a case number")
	}
	courtID := strconv.FormatInt(cases[0].CourtID, 10)
	// An account of another court is refused beside the row's choice.
	key := "map-" + courtID + "-测试uo.late-执行一庭"
	r = adm.postFrom("/admin/unmatched-officers", "/admin/unmatched-officers", url.Values{"_form": {key}, "court": {courtID}, "officer": {"测试uo.late"},
		"department": {"执行一庭"}, "user": {strconv.FormatInt(admin.ID, 10)}})
	refilledForm(t, r, "/admin/unmatched-officers", []string{`<p class="field-error" id="err-user">只能关联到该法院在用的账户`}, []string{`aria-invalid="true" aria-describedby="err-user"`})
	if n := strings.Count(r.body, `id="err-user"`); n != 1 {
		t.Errorf("the message shows %d times", n)
	}
	if r := adm.post("/admin/unmatched-officers", url.Values{"court": {courtID}, "officer": {"测试 uo.typo"}, "department": {"执行一庭"},
		"user": {strconv.FormatInt(typo.ID, 10)}}); r.status != http.StatusSeeOther {
		t.Fatalf("mapping: %d %s", r.status, r.body)
	}
	r = adm.get("/admin/unmatched-officers")
	if !strings.Contains(r.body, `id="links"`) || !strings.Contains(r.body, "测试uo.typo（uo.typo）") {
		t.Errorf("the mapping is not listed")
	}
	if r := e.browser().loggedIn("uo.typo").get("/cases"); !strings.Contains(r.body, "（2026）鲁0102执51号") {
		t.Error("the mapped officer does not see his case")
	}
	// The late officer's account, made now, sees his case at once.
	testdb.AddUser(t, db, "uo.late", "鲁0102", "执行一庭", domain.RoleOfficer)
	if r := e.browser().loggedIn("uo.late").get("/cases"); !strings.Contains(r.body, "（2026）鲁0102执52号") {
		t.Error("an officer created after the import does not see his case")
	}
	if r := adm.get("/admin/unmatched-officers"); strings.Contains(r.body, "测试uo.late</td>") {
		t.Error("the late officer is still listed as unmatched")
	}
	// The mapping can be taken back.
	if r := adm.post("/admin/unmatched-officers/remove", url.Values{"court": {courtID}, "officer": {"测试 uo.typo"}, "department": {"执行一庭"}}); r.status != http.StatusSeeOther {
		t.Fatalf("unmapping: %d", r.status)
	}
	if r := e.browser().loggedIn("uo.typo").get("/cases"); strings.Contains(r.body, "（2026）鲁0102执51号") {
		t.Error("the case stays with the officer after unmapping")
	}
}

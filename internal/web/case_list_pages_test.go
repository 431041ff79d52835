package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// addCases files n cases of 鲁0102, case i of amount i*100 yuan, officer
// 测试officer.
func addCases(t *testing.T, db *store.DB, n int) {
	t.Helper()
	var cases []*domain.Case
	for i := 1; i <= n; i++ {
		no, err := domain.ParseCaseNo(fmt.Sprintf("（2025）鲁0102执%d号", i), domain.DefaultCaseTypes)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate("2025-01-01").AddDays(i), Officer: "测试officer", Department: "执行一庭",
			Amount: int64(i) * 100, Parties: []domain.Party{{Role: domain.Applicant, Name: fmt.Sprintf("申请人%d", i)}, {Role: domain.Respondent, Name: "某公司", Org: true}}})
	}
	ctx := context.Background()
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}
}

// TestCaseListPageNumbers: /cases counts what its filters find, pages by
// number and sorts by column, the partial case-number search kept.
func TestCaseListPageNumbers(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "cl.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	addCases(t, e.app.DB, 65)
	cc := e.browser().loggedIn("cl.cc")

	r := cc.get("/cases")
	for _, want := range []string{"共 65 条，第 1–50 条，第 1/2 页", `href="/cases?page=2"`, "执65号", `aria-sort="descending"`, `class="mono case-no"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	// Page 2 by amount, rising, 20 a page: cases 21 to 40.
	r = cc.get("/cases?sort=amount&size=20&page=2")
	if !strings.Contains(r.body, "第 21–40 条，第 2/4 页") || !strings.Contains(r.body, ">（2025）鲁0102执21号<") ||
		!strings.Contains(r.body, ">（2025）鲁0102执40号<") || strings.Contains(r.body, ">（2025）鲁0102执41号<") {
		t.Fatalf("page 2 by amount:\n%s", r.body)
	}
	// The filter form keeps the order and the size.
	if !strings.Contains(r.body, `name="sort" value="amount"`) || !strings.Contains(r.body, `name="size" value="20"`) {
		t.Error("the filter form drops the order or the size")
	}
	// The old order menu's links still work.
	if r := cc.get("/cases?sort=amount_desc"); !strings.Contains(r.body, "共 65 条") || strings.Index(r.body, "执65号") > strings.Index(r.body, "执64号") {
		t.Error("sort=amount_desc is not the highest amount first")
	}
	// A partial number (the serial) searches, and counts what it finds.
	r = cc.get("/cases?q=" + "执6号")
	if !strings.Contains(r.body, "共 1 条") || !strings.Contains(r.body, ">（2025）鲁0102执6号<") {
		t.Fatalf("partial search:\n%s", r.body)
	}
}

// TestCaseListCapped: past the count's cap the case list says “以上”,
// pages up to the cap and no further, a page asked beyond it served as
// the last; a search under the cap counts exactly. The cap is lowered
// through the store's field to reach it with a few rows.
func TestCaseListCapped(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "cap.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	addCases(t, e.app.DB, 75)
	e.app.DB.CaseCountCap = 50
	cc := e.browser().loggedIn("cap.cc")

	r := cc.get("/cases?size=20")
	for _, want := range []string{"共 50 条以上，第 1–20 条，第 1/3 页", "共 50 件以上", `href="/cases?page=3&amp;size=20"`, ">（2025）鲁0102执75号<", ">（2025）鲁0102执56号<"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	if strings.Contains(r.body, "page=4") {
		t.Error("page 1 links a page past the cap")
	}
	// The last page within the cap, and a page asked past it: the 41st
	// to the 50th newest, cases 35 down to 26.
	for _, path := range []string{"/cases?size=20&page=3", "/cases?size=20&page=40"} {
		r := cc.get(path)
		if !strings.Contains(r.body, "共 50 条以上，第 41–50 条，第 3/3 页") || !strings.Contains(r.body, ">（2025）鲁0102执35号<") ||
			!strings.Contains(r.body, ">（2025）鲁0102执26号<") || strings.Contains(r.body, ">（2025）鲁0102执25号<") || strings.Contains(r.body, ">（2025）鲁0102执36号<") {
			t.Errorf("%s:\n%s", path, r.body)
		}
	}
	// A search finding fewer than the cap counts them exactly.
	r = cc.get("/cases?q=" + "执6号")
	if !strings.Contains(r.body, "共 1 条") || strings.Contains(r.body, "以上") {
		t.Errorf("a search under the cap:\n%s", r.body)
	}
	// Without the lowered cap the same list counts every case.
	e.app.DB.CaseCountCap = 0
	if r := cc.get("/cases?size=20"); !strings.Contains(r.body, "共 75 条，第 1–20 条，第 1/4 页") || strings.Contains(r.body, "以上") {
		t.Errorf("uncapped:\n%s", r.body)
	}
}

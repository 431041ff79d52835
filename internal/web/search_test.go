package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestGlobalSearchPage: the header's search finds partial case numbers,
// parties by part of the name and staff, grouped, each in the viewer's
// scope, and never what the watchdogs hold (a complainant's name).
func TestGlobalSearchPage(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	sys := domain.SystemViewer("t")
	testdb.AddUser(t, db, "gs.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "gs.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "gs.qd", "鲁0202", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "gs.adm", "鲁01", "信息技术处", domain.RoleAdmin)
	testdb.AddUser(t, db, "gs.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	var cases []*domain.Case
	for _, c := range []struct{ no, officer, party string }{
		{"（2026）鲁0102执183号", "测试gs.off", "王小明"},
		{"（2026）鲁0102执恢183号", "别人", "刘小明"},
		{"（2026）鲁0202执183号", "某人", "李小明"},
	} {
		no, err := domain.ParseCaseNo(c.no, domain.DefaultCaseTypes)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: c.officer, Department: "执行一庭",
			Parties: []domain.Party{{Role: domain.Applicant, Name: c.party}, {Role: domain.Respondent, Name: "某公司", Org: true}}})
	}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}
	// A complaint whose complainant is also named 小明: the watchdogs'
	// register, never searched.
	if _, err := db.RegisterComplaint(ctx, sys, "鲁0102", oversight.Complaint{Kind: oversight.KindComplaint, Channel: "来信",
		ReceivedOn: domain.DateOf(db.Now(), domain.Beijing), PersonName: "赵小明举报人", Content: "吃拿卡要",
		CaseNumbers: []string{"（2026）鲁0102执183号"}}); err != nil {
		t.Fatal(err)
	}

	get := func(user, q string) string {
		t.Helper()
		r := e.browser().loggedIn(user).get("/search?q=" + url.QueryEscape(q))
		if r.status != http.StatusOK {
			t.Fatalf("%s searching %q: %d", user, q, r.status)
		}
		return r.body
	}
	for _, tt := range []struct {
		user, q  string
		want     []string
		dontWant []string
	}{
		{"gs.cc", "183", []string{"（2026）鲁0102执183号", "（2026）鲁0102执恢183号", "共 2 件"}, []string{"（2026）鲁0202"}},
		{"gs.cc", "执183号", []string{"（2026）鲁0102执183号", "共 1 件"}, []string{"执恢183"}},
		{"gs.cc", "鲁0102执183号", []string{"（2026）鲁0102执183号"}, []string{"执恢183"}},
		{"gs.cc", "(2026)鲁0102执183号", []string{"（2026）鲁0102执183号"}, nil},
		{"gs.off", "183", []string{"（2026）鲁0102执183号", "共 1 件"}, []string{"执恢183"}},
		{"gs.qd", "183", []string{"（2026）鲁0202执183号"}, []string{"（2026）鲁0102"}},
		{"gs.cc", "小明", []string{"王小明", "刘小明", `id="search-parties"`}, []string{"李小明", "赵小明举报人"}},
		{"gs.grp", "小明", []string{"王小明", "刘小明"}, []string{"李小明", "赵小明举报人"}},
		{"gs.cc", "gs.o", []string{`id="search-staff"`, "测试gs.off"}, []string{"测试gs.qd"}},
		{"gs.adm", "小明", []string{"没有找到"}, []string{"王小明", `id="search-cases"`}},
		{"gs.adm", "gs.", []string{"测试gs.off", "/admin/users/"}, []string{`id="search-cases"`}},
	} {
		body := get(tt.user, tt.q)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s searching %q: page lacks %q", tt.user, tt.q, w)
			}
		}
		for _, w := range tt.dontWant {
			if strings.Contains(body, w) {
				t.Errorf("%s searching %q: page shows %q", tt.user, tt.q, w)
			}
		}
	}
	// Two characters inside names, when there are more parties in scope
	// than the walk reads: a plain word of how many were looked through.
	if body := get("gs.cc", "小明"); strings.Contains(body, `id="search-parties-cut"`) {
		t.Error("the walk is said to be cut on a small court")
	}
	db.SearchWalk = 1
	body := get("gs.cc", "小明")
	db.SearchWalk = 0
	if !strings.Contains(body, `id="search-parties-cut"`) || !strings.Contains(body, "只在 1 名当事人中查找") || !strings.Contains(body, "请输入三个字以上") {
		t.Error("a cut walk is not said so")
	}
	// The header carries the box on every page; the case list finds the
	// same partial numbers.
	cc := e.browser().loggedIn("gs.cc")
	if r := cc.get("/"); !strings.Contains(r.body, `action="/search"`) {
		t.Error("the header has no search box")
	}
	if r := cc.get("/cases?q=" + url.QueryEscape("执183号")); !strings.Contains(r.body, "（2026）鲁0102执183号") || strings.Contains(r.body, "执恢183") {
		t.Errorf("the case list does not find 执183号")
	}
}

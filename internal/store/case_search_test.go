package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestCaseSearchPartialNumbers: the case list finds a case number written
// in any part, in the viewer's scope only.
func TestCaseSearchPartialNumbers(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	officer := testdb.AddUser(t, db, "o1", "鲁0102", "执行一庭", domain.RoleOfficer)
	mk := func(no string) *domain.Case {
		k := testCase(t, no, "2026-01-05")
		k.FiledOn = domain.MustDate(fmt.Sprintf("%d-01-05", k.No.Year))
		k.Officer = "别人"
		return k
	}
	mine := mk("（2026）鲁0102执183号")
	mine.Officer = officer.Name
	upsert(t, db, sys, mine, mk("（2026）鲁0102执恢183号"), mk("（2025）鲁0102执183号"), mk("（2026）鲁0103执183号"),
		mk("（2026）鲁0102执18号"), mk("（2026）鲁0102执1830号"))

	numbers := func(v domain.Viewer, q string) string {
		t.Helper()
		p, err := db.Cases(ctx, v, store.CaseFilter{Query: q, Sort: "number"})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var ns []string
		for _, k := range p.Cases {
			ns = append(ns, k.Number)
		}
		slices.Sort(ns)
		return strings.Join(ns, " ")
	}
	for _, tt := range []struct{ q, want string }{
		{"183", "（2025）鲁0102执183号 （2026）鲁0102执183号 （2026）鲁0102执恢183号 （2026）鲁0103执183号"},
		{"183号", "（2025）鲁0102执183号 （2026）鲁0102执183号 （2026）鲁0102执恢183号 （2026）鲁0103执183号"},
		{"执183号", "（2025）鲁0102执183号 （2026）鲁0102执183号 （2026）鲁0103执183号"},
		{"执恢 183", "（2026）鲁0102执恢183号"},
		{"鲁0102执183号", "（2025）鲁0102执183号 （2026）鲁0102执183号"},
		{"(2026)鲁0102执183号", "（2026）鲁0102执183号"},
		{"（2026）鲁0102执183号", "（2026）鲁0102执183号"},
		{"〔２０２６〕鲁０１０２执１８３", "（2026）鲁0102执183号"},
		{"2026 183", "（2026）鲁0102执183号 （2026）鲁0102执恢183号 （2026）鲁0103执183号"},
		{"（2025）183", "（2025）鲁0102执183号"},
		{"18", "（2026）鲁0102执18号"},
		{"1830", "（2026）鲁0102执1830号"},
		{"(2024)183", ""},
	} {
		if got := numbers(sys, tt.q); got != tt.want {
			t.Errorf("search %q found %q, want %q", tt.q, got, tt.want)
		}
	}
	// The officer finds only his own case, however the number is written.
	ov := domain.ViewerFor(officer, "")
	for _, q := range []string{"183", "执183号", "鲁0102执183号", "（2026）鲁0102执183号"} {
		if got := numbers(ov, q); got != "（2026）鲁0102执183号" {
			t.Errorf("officer's search %q found %q", q, got)
		}
	}
}

// TestGlobalSearch: parties by any part of the name and staff by name, in
// scope; the administrator, who reads no cases, finds staff only.
func TestGlobalSearch(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	officer := testdb.AddUser(t, db, "o1", "鲁0102", "执行一庭", domain.RoleOfficer)
	cmd := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	qd := testdb.AddUser(t, db, "qdcc", "鲁0202", "执行指挥中心", domain.RoleCommandCenter)
	admin := testdb.AddUser(t, db, "adm", "鲁01", "信息技术处", domain.RoleAdmin)
	a := testCase(t, "（2026）鲁0102执7号", "2026-01-05")
	a.Officer = officer.Name
	a.Parties[0].Name = "王小明"
	b := testCase(t, "（2026）鲁0102执8号", "2026-01-05")
	b.Parties[0].Name = "小明商贸有限公司"
	c := testCase(t, "（2026）鲁0202执9号", "2026-01-05")
	c.Parties[0].Name = "李小明"
	upsert(t, db, sys, a, b, c)

	search := func(u *domain.User, q string) *store.SearchResult {
		t.Helper()
		v := sys
		if u != nil {
			v = domain.ViewerFor(u, "")
		}
		res, err := db.Search(ctx, v, q, nil)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return res
	}
	parties := func(res *store.SearchResult) string {
		var ns []string
		for _, p := range res.Parties {
			ns = append(ns, p.Name+"@"+p.CaseNumber)
		}
		slices.Sort(ns)
		return strings.Join(ns, " ")
	}
	for _, tt := range []struct {
		u    *domain.User
		want string
	}{
		{nil, "小明商贸有限公司@（2026）鲁0102执8号 李小明@（2026）鲁0202执9号 王小明@（2026）鲁0102执7号"},
		{cmd, "小明商贸有限公司@（2026）鲁0102执8号 王小明@（2026）鲁0102执7号"},
		{officer, "王小明@（2026）鲁0102执7号"},
		{qd, "李小明@（2026）鲁0202执9号"},
	} {
		if got := parties(search(tt.u, "小明")); got != tt.want {
			t.Errorf("%v finds parties %q, want %q", tt.u, got, tt.want)
		}
	}
	// A number searches cases, not parties.
	if res := search(cmd, "执7号"); len(res.Parties) != 0 || res.Cases.Total != 1 || res.Cases.Cases[0].Number != a.Number {
		t.Errorf("number search: %+v", res)
	}
	// Staff by part of the name, in the viewer's court (and below for
	// those who see a subtree); the officer is marked as having cases.
	staff := func(res *store.SearchResult) string {
		var ns []string
		for _, s := range res.Staff {
			ns = append(ns, fmt.Sprintf("%s/%v", s.Name, s.Officer))
		}
		slices.Sort(ns)
		return strings.Join(ns, " ")
	}
	if got := staff(search(cmd, "测试")); got != "测试cc/false 测试o1/true" {
		t.Errorf("command centre finds staff %q", got)
	}
	if got := staff(search(qd, "o1")); got != "" {
		t.Errorf("Qingdao finds Jinan staff %q", got)
	}
	res := search(admin, "测试")
	if res.ReadsCases || res.Cases != nil || len(res.Parties) != 0 {
		t.Errorf("administrator reads cases in search: %+v", res)
	}
	if got := staff(res); got != "测试adm/false 测试cc/false 测试o1/true" {
		t.Errorf("administrator finds staff %q", got)
	}
	// LIKE's wildcards are taken literally.
	if res := search(nil, "%"); len(res.Parties) != 0 || len(res.Staff) != 0 {
		t.Errorf("%% matched: %+v", res)
	}
}

package store_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
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

// TestCaseSearchNameParts: the case list finds a party by any part of its
// name of three characters or more (by the trigram index), in scope; a
// text of one or two characters finds names that start with it there,
// while the global search still finds names holding it anywhere. An
// import that renames a party moves it in the index.
func TestCaseSearchNameParts(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	cmd := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	mk := func(no, name string) *domain.Case {
		k := testCase(t, no, "2026-01-05")
		k.Parties[0].Name = name
		return k
	}
	a, b, c := mk("（2026）鲁0102执1号", "王小明"), mk("（2026）鲁0102执2号", "小明商贸有限公司"), mk("（2026）鲁0202执3号", "济南小明商贸有限公司")
	d, e := mk("（2026）鲁0102执4号", "A%B商行"), mk("（2026）鲁0102执5号", "AxB商行")
	upsert(t, db, sys, a, b, c, d, e)

	list := func(v domain.Viewer, q string) string {
		t.Helper()
		p, err := db.Cases(ctx, v, store.CaseFilter{Query: q, Sort: "number"})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var ns []string
		for _, k := range p.Cases {
			ns = append(ns, strings.TrimPrefix(k.Number, "（2026）"))
		}
		if p.Total != len(ns) {
			t.Errorf("search %q counts %d of %d", q, p.Total, len(ns))
		}
		slices.Sort(ns)
		return strings.Join(ns, " ")
	}
	global := func(v domain.Viewer, q string) string {
		t.Helper()
		res, err := db.Search(ctx, v, q, nil)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var ns []string
		for _, p := range res.Parties {
			ns = append(ns, p.Name)
		}
		slices.Sort(ns)
		return strings.Join(ns, " ")
	}
	cv := domain.ViewerFor(cmd, "")
	for _, tt := range []struct {
		v          domain.Viewer
		q, want    string
		wantGlobal string
	}{
		// Three characters and more: anywhere in the name.
		{sys, "小明商", "鲁0102执2号 鲁0202执3号", "小明商贸有限公司 济南小明商贸有限公司"},
		{sys, "明商贸有限", "鲁0102执2号 鲁0202执3号", "小明商贸有限公司 济南小明商贸有限公司"},
		{sys, "王小明", "鲁0102执1号", "王小明"},
		{cv, "小明商", "鲁0102执2号", "小明商贸有限公司"},
		{cv, "南小明", "", ""},
		{sys, "小明商行", "", ""},
		// LIKE's wildcards are taken literally.
		{sys, "A%B", "鲁0102执4号", "A%B商行"},
		{sys, "B商行", "鲁0102执4号 鲁0102执5号", "A%B商行 AxB商行"},
		// One or two characters: the case list by the start of the name,
		// the global search anywhere in it.
		{sys, "小明", "鲁0102执2号", "王小明 小明商贸有限公司 济南小明商贸有限公司"},
		{sys, "济", "鲁0202执3号", "济南小明商贸有限公司"},
		{cv, "明", "", "小明商贸有限公司 王小明"},
		// An officer by name, whatever its length.
		{sys, "测试officer", "鲁0102执1号 鲁0102执2号 鲁0202执3号 鲁0102执4号 鲁0102执5号", ""},
	} {
		if got := list(tt.v, tt.q); got != strings.Join(sortedNumbers(tt.want), " ") {
			t.Errorf("%s: case list %q found %q, want %q", tt.v.Username, tt.q, got, tt.want)
		}
		want := strings.Fields(tt.wantGlobal)
		slices.Sort(want)
		if got := global(tt.v, tt.q); got != strings.Join(want, " ") {
			t.Errorf("%s: global search %q found %q, want %q", tt.v.Username, tt.q, got, want)
		}
	}
	// Two characters inside names: LIKE over at most SearchWalk parties
	// (those not found by prefix), and the cut said when there are more.
	full, err := db.Search(ctx, sys, "小明", nil)
	if err != nil || full.PartiesCut || len(full.Parties) < 2 {
		t.Fatalf("search 小明 on a small database: %+v, %v", full, err)
	}
	var others int // the parties the walk reads: all but the prefix hits
	if err := db.WriteDB().QueryRowContext(ctx, "SELECT count(*) FROM parties WHERE name NOT LIKE '小明%'").Scan(&others); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		walk int
		cut  bool
	}{{others, false}, {others - 1, true}, {1, true}} {
		db.SearchWalk = tt.walk
		res, err := db.Search(ctx, sys, "小明", nil)
		db.SearchWalk = 0
		if err != nil || res.PartiesCut != tt.cut || res.Parties[0].Name != "小明商贸有限公司" || len(res.Parties) > 1+tt.walk {
			t.Errorf("walk %d of %d: %+v, %v", tt.walk, others, res, err)
		}
		if tt.cut && res.Walked != tt.walk {
			t.Errorf("walk %d: said %d parties were read", tt.walk, res.Walked)
		}
		if !tt.cut && len(res.Parties) != len(full.Parties) {
			t.Errorf("walk %d over all %d: found %d, want %d", tt.walk, others, len(res.Parties), len(full.Parties))
		}
	}
	// Three characters are never cut.
	db.SearchWalk = 1
	res, err := db.Search(ctx, sys, "小明商", nil)
	db.SearchWalk = 0
	if err != nil || res.PartiesCut || len(res.Parties) != 2 {
		t.Errorf("a trigram search cut: %+v, %v", res, err)
	}
	// An import that renames a party: found by the new name, not the old.
	b.Parties[0].Name = "大华商贸有限公司"
	upsert(t, db, sys, b)
	if got := list(sys, "小明商"); got != "鲁0202执3号" {
		t.Errorf("after the rename, 小明商 finds %q", got)
	}
	if got := list(sys, "华商贸"); got != "鲁0102执2号" {
		t.Errorf("after the rename, 华商贸 finds %q", got)
	}
}

// sortedNumbers orders case numbers (without their year) as the case list
// sorted by number does.
func sortedNumbers(s string) []string {
	ns := strings.Fields(s)
	slices.Sort(ns)
	return ns
}

// TestCaseListDensePrefix: a short name prefix that many parties match is
// read case by case and counted from the name index; the list, its total
// and its pages are those of the sparse reading, under every filter.
func TestCaseListDensePrefix(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	cmd := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	var cases []*domain.Case
	for i := 1; i <= 12; i++ {
		court := "鲁0102"
		if i%3 == 0 {
			court = "鲁0202"
		}
		k := testCase(t, fmt.Sprintf("（2026）%s执%d号", court, i), fmt.Sprintf("2026-01-%02d", i))
		switch i % 4 {
		case 0:
			k.Parties[0].Name = "王五"
		case 1:
			k.Parties[1].Name = "张记商行" // a second 张 in the case
		case 2:
			k.Officer = "张伟"
			k.Parties[0].Name = "李四"
		}
		if i > 8 {
			k.ClosedOn = domain.MustDate("2026-03-01")
		}
		cases = append(cases, k)
	}
	upsert(t, db, sys, cases...)
	cv := domain.ViewerFor(cmd, "")

	list := func(v domain.Viewer, f store.CaseFilter) string {
		t.Helper()
		total, out := pageNumbers(t, db, v, f)
		return fmt.Sprintf("%d: %s", total, strings.Join(out, " "))
	}
	for _, v := range []domain.Viewer{sys, cv} {
		for _, f := range []store.CaseFilter{
			{Query: "张"}, {Query: "张伟"}, {Query: "张", Status: "open"}, {Query: "张", Court: "鲁0202"},
			{Query: "王"}, {Query: "张", Sort: "number", Limit: 2}, {Query: "李四", Limit: 1},
		} {
			db.DensePrefix = 0
			sparse := list(v, f)
			db.DensePrefix = 1
			dense := list(v, f)
			db.DensePrefix = 0
			if dense != sparse {
				t.Errorf("%s %+v: dense %s, sparse %s", v.Username, f, dense, sparse)
			}
			if strings.HasPrefix(sparse, "0:") && f.Query == "张" && f.Court == "" {
				t.Errorf("%s %+v found nothing: the test proves nothing", v.Username, f)
			}
		}
	}
	// The count of a dense prefix stops at its own, lower bound.
	db.DensePrefix, db.DenseCountCap = 1, 3
	p, err := db.Cases(ctx, sys, store.CaseFilter{Query: "张"})
	db.DensePrefix, db.DenseCountCap = 0, 0
	if err != nil || p.Total != 3 || !p.Capped {
		t.Errorf("a dense prefix's count past its bound: %+v, %v", p, err)
	}
}

// TestCaseListByNameIDs: a name found inside party names is listed from
// its cases' ids, collected once (DB.SearchIDs): the list, its total and
// its pages, by number and by cursor, are those of the condition read in
// every statement, under every filter and scope, and the trigram look-up
// runs once a request, not once for the count and again for the page.
func TestCaseListByNameIDs(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	cmd := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	var cases []*domain.Case
	for i := 1; i <= 14; i++ {
		court := "鲁0102"
		if i%3 == 0 {
			court = "鲁0202"
		}
		k := testCase(t, fmt.Sprintf("（2026）%s执%d号", court, i), fmt.Sprintf("2026-01-%02d", 20-i%7))
		switch i % 4 {
		case 0:
			k.Parties[0].Name = "枣庄市市场监督管理局"
		case 1:
			k.Parties[1].Name = "山东枣庄市市场监督管理局" // holds it inside
		case 2:
			k.Officer = "市场监督管理" // an officer of that name
		}
		if i > 9 {
			k.ClosedOn = domain.MustDate("2026-03-01")
		}
		k.Petition = i%2 == 0
		cases = append(cases, k)
	}
	upsert(t, db, sys, cases...)
	cv := domain.ViewerFor(cmd, "")

	list := func(v domain.Viewer, f store.CaseFilter) string {
		t.Helper()
		total, out := pageNumbers(t, db, v, f)
		// The same rows again by cursor.
		f.Page, f.After = 0, ""
		var byCursor []string
		for {
			p, err := db.Cases(ctx, v, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			for _, k := range p.Cases {
				byCursor = append(byCursor, k.Number)
			}
			if p.Next == "" {
				break
			}
			f.After = p.Next
		}
		if !slices.Equal(out, byCursor) {
			t.Errorf("%+v: by page %v, by cursor %v", f, out, byCursor)
		}
		return fmt.Sprintf("%d: %s", total, strings.Join(out, " "))
	}
	for _, v := range []domain.Viewer{sys, cv} {
		for _, f := range []store.CaseFilter{
			{Query: "市场监督管理局"}, {Query: "市场监督管理"}, {Query: "枣庄市市场监督管理局", Limit: 2},
			{Query: "市场监督管理", Status: "open", Limit: 3}, {Query: "市场监督管理", Court: "鲁0202"},
			{Query: "市场监督管理", Flags: []string{"petition"}, Sort: "number", Limit: 2},
			{Query: "市场监督管理", Sort: "closed", Desc: true, Limit: 4}, {Query: "管理局", Sort: "amount"},
			{Query: "无此名称的当事人"},
		} {
			db.SearchIDs = -1
			each := list(v, f)
			db.SearchIDs = 0
			byIDs := list(v, f)
			if byIDs != each {
				t.Errorf("%s %+v: by ids %s, by the condition %s", v.Username, f, byIDs, each)
			}
			if strings.HasPrefix(each, "0:") && f.Query == "市场监督管理" && f.Court == "" {
				t.Errorf("%s %+v found nothing: the test proves nothing", v.Username, f)
			}
		}
	}

	// The look-up once a request: the statements that read party names.
	// And on PostgreSQL the names holding the text counted once too.
	var mu sync.Mutex
	lookups, counts := 0, 0
	db.BenchTrace(func(q string, _ []any) {
		mu.Lock()
		defer mu.Unlock()
		if strings.Contains(q, "FROM parties p WHERE") {
			lookups++
		}
		if strings.Contains(q, "SELECT COUNT(*) FROM (SELECT 1 FROM party_names") {
			counts++
		}
	})
	p, err := db.Cases(ctx, sys, store.CaseFilter{Query: "市场监督管理", Limit: 2})
	db.BenchTrace(nil)
	if err != nil || p.Total != 11 || len(p.Cases) != 2 || lookups != 1 || counts > 1 {
		t.Errorf("name search: total %d, %d rows, %d look-ups of party names, %d counts of names (want 11, 2, 1, at most 1): %v", p.Total, len(p.Cases), lookups, counts, err)
	}

	// More matches than the bound, or than the count's cap: the condition
	// in every statement, and a capped count said so.
	db.SearchIDs = 3
	if got, want := list(sys, store.CaseFilter{Query: "市场监督管理"}), "11: "; !strings.HasPrefix(got, want) {
		t.Errorf("past the ids' bound: %s", got)
	}
	db.SearchIDs, db.CaseCountCap = 0, 4
	p, err = db.Cases(ctx, sys, store.CaseFilter{Query: "市场监督管理"})
	db.CaseCountCap = 0
	if err != nil || p.Total != 4 || !p.Capped {
		t.Errorf("past the count's cap: %+v, %v", p, err)
	}
}

// pageNumbers reads the case list of f page by page to its last and
// returns its total and the case numbers in order.
func pageNumbers(t *testing.T, db *store.DB, v domain.Viewer, f store.CaseFilter) (int, []string) {
	t.Helper()
	var out []string
	for page := 1; ; page++ {
		f.Page = page
		p, err := db.Cases(ctx, v, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		for _, k := range p.Cases {
			out = append(out, k.Number)
		}
		if page >= p.Info.Pages {
			return p.Total, out
		}
	}
}

package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestUserListPaged: the user list counts every account, pages them with
// numbered links that keep the search, clamps a page past the end, sorts
// only by its whitelisted keys, bounds the page size, and leaves out the
// 法院 column when every row is of one court.
func TestUserListPaged(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "p.admin", "鲁01", "信息技术处", domain.RoleAdmin)
	for i := range 45 {
		testdb.AddUser(t, e.app.DB, fmt.Sprintf("p.u%02d", i), "鲁0102", "执行一庭", domain.RoleOfficer)
	}
	b := e.browser().loggedIn("p.admin")
	r := b.get("/admin/users?q=p.u&size=20&sort=username")
	for _, want := range []string{"共 45 名用户", "共 45 条，第 1–20 条，第 1/3 页", `aria-current="page">1</a>`,
		`href="/admin/users?order=desc&amp;q=p.u&amp;size=20&amp;sort=username"`, // the heading reverses the order
		`aria-sort="ascending"`, `rel="next"`, "末页", `aria-current="true">20</a>`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("first page lacks %s", want)
		}
	}
	if strings.Contains(r.body, "p.u20") || !strings.Contains(r.body, "p.u19") {
		t.Error("first page holds the wrong rows")
	}
	if strings.Contains(r.body, ">法院</a></th>") {
		t.Error("a 法院 column over one court")
	}
	testdb.AddUser(t, e.app.DB, "p.x", "鲁0103", "执行一庭", domain.RoleOfficer)
	if r := b.get("/admin/users?q=p.&sort=username&order=desc"); !strings.Contains(r.body, ">法院</a></th>") {
		t.Error("no 法院 column over two courts")
	}
	r = b.get("/admin/users?q=p.u&size=20&sort=username&order=desc&page=99")
	if !strings.Contains(r.body, "第 41–45 条，第 3/3 页") || !strings.Contains(r.body, "p.u00") || strings.Contains(r.body, "p.u05") ||
		strings.Contains(r.body, `rel="next"`) || !strings.Contains(r.body, `rel="prev"`) {
		t.Errorf("page past the end not clamped to the last: %s", r.body)
	}
	// An unknown key is ignored, a huge size bounded to 200.
	r = b.get("/admin/users?q=p.u&size=100000&sort=password_hash")
	if r.status != 200 || !strings.Contains(r.body, "共 45 条") || !strings.Contains(r.body, `aria-current="true">200</a>`) || strings.Contains(r.body, "password_hash") {
		t.Errorf("unknown key / huge size: %d", r.status)
	}
}

// TestVisitStepChips: the step filters of the visit list show which is in
// force, the default (进行中) included.
func TestVisitStepChips(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "c.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	b := e.browser().loggedIn("c.cc")
	r := b.get("/visits")
	if !strings.Contains(r.body, `chip chip-current" href="/visits?step=open" aria-current="page">进行中`) || strings.Count(r.body, "chip-current") != 1 {
		t.Errorf("default step not marked: %s", r.body)
	}
	r = b.get("/visits?step=closed")
	if !strings.Contains(r.body, `aria-current="page">已结束`) || strings.Contains(r.body, `aria-current="page">进行中`) {
		t.Error("closed step not marked")
	}
}

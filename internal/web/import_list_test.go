package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestImportHistoryList: the import page lists the user's own imports,
// counted and paged, each linked to its status page; nobody else's.
func TestImportHistoryList(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "lx.cc2", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	cc, _ := importCases(t, e)
	r := cc.get("/cases/import")
	if !strings.Contains(r.body, "我的导入记录") || !strings.Contains(r.body, "file.csv") || !strings.Contains(r.body, "导入完成") || !strings.Contains(r.body, "共 1 条") {
		t.Fatalf("history:\n%s", r.body)
	}
	// More imports than a page: the list pages under its own names.
	u, _, err := e.app.DB.UserForLogin(context.Background(), "lx.cc")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 21; i++ {
		if _, err := e.app.DB.StartImport(context.Background(), domain.ViewerFor(u, ""), fmt.Sprintf("f%02d.csv", i), 10); err != nil {
			t.Fatal(err)
		}
	}
	r = cc.get("/cases/import?isize=20&ipage=2")
	if !strings.Contains(r.body, "共 22 条，第 21–22 条，第 2/2 页") || !strings.Contains(r.body, "file.csv") || !strings.Contains(r.body, "f00.csv") || strings.Contains(r.body, "f20.csv") {
		t.Fatalf("page 2:\n%s", r.body)
	}
	// Another command centre user sees none of them.
	if r := e.browser().loggedIn("lx.cc2").get("/cases/import"); strings.Contains(r.body, "file.csv") || !strings.Contains(r.body, "您还没有导入过") {
		t.Fatal("a colleague sees the imports")
	}
}

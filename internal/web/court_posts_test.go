package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The administrator names the court's co-leaders and liaisons on the
// court's page; the bodies see them on 领导与联络员, with a warning while
// a post is vacant (issue 14).
func TestCourtPostsPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	testdb.AddUser(t, db, "lx.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	chief := testdb.AddUser(t, db, "lx.chief", "鲁0102", "执行局", domain.RoleBureau)
	group := testdb.AddUser(t, db, "lx.group", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "qd.bureau", "鲁0202", "执行局", domain.RoleBureau)

	admin := e.browser().loggedIn("lx.admin")
	page := admin.get("/admin/courts/鲁0102")
	if page.status != 200 || !strings.Contains(page.body, "领导与联络员") || !strings.Contains(page.body, "尚未指定执行局局长") {
		t.Fatalf("court page: %d", page.status)
	}
	// A member without the post's role is refused, beside the field, and
	// nothing is saved.
	if r := admin.post("/admin/courts/鲁0102/posts", url.Values{"post_bureau_leader": {strconv.FormatInt(group.ID, 10)}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "执行局局长应由具有“执行局”角色的人员担任") {
		t.Fatalf("a group member as the bureau's chief: %d", r.status)
	}
	r := admin.post("/admin/courts/鲁0102/posts", url.Values{"post_bureau_leader": {strconv.FormatInt(chief.ID, 10)},
		"post_discipline_leader": {strconv.FormatInt(group.ID, 10)}, "post_discipline_liaison": {strconv.FormatInt(group.ID, 10)}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("saving the posts: %d %s", r.status, r.body)
	}
	view := e.browser().loggedIn("lx.group").get("/court-posts")
	for _, want := range []string{"测试lx.chief", "测试lx.group", "未指定", "尚有 2 个职务未指定"} {
		if !strings.Contains(view.body, want) {
			t.Errorf("领导与联络员 lacks %q", want)
		}
	}
	if r := e.browser().loggedIn("lx.officer").get("/court-posts"); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("an officer reads the posts: %d", r.status)
	}
	if r := e.browser().loggedIn("qd.bureau").get("/court-posts?court=鲁0102"); r.status != http.StatusNotFound {
		t.Errorf("Qingdao's bureau reads Jinan's posts: %d", r.status)
	}
}

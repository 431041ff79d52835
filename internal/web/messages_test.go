package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

var unreadRE = regexp.MustCompile(`id="unread-count"[^>]*>(\d+)<`)

// unreadBadge is the header's count on page body, "" for none.
func unreadBadge(body string) string {
	if m := unreadRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// A liaison reads his messages, with the count in the header of every
// page, and marks them read; he neither sees nor marks another's.
func TestMessageCentre(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	lia := testdb.AddUser(t, db, "ms.lia", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	lib := testdb.AddUser(t, db, "ms.lib", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	send := func(u *domain.User, kind oversight.NoticeKind, title, link string) int64 {
		t.Helper()
		if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error {
			return tx.Notify(ctx, []int64{u.ID}, oversight.Notice{Kind: kind, Title: title, Link: link, CourtID: u.CourtID})
		}); err != nil {
			t.Fatal(err)
		}
		ms, err := db.Messages(ctx, domain.ViewerFor(u, ""), false, 1)
		if err != nil || len(ms) == 0 {
			t.Fatal(ms, err)
		}
		return ms[0].ID
	}
	first := send(lia, oversight.NoticeTripReview, "有一份外出执行情况报告需要审查", "/trip-reviews/1")
	send(lia, oversight.NoticeVisitOnsite, "有一件回访待实地回访", "/visits/2")
	theirs := send(lib, oversight.NoticeGeneral, "给监察室的通知", "/cases/3")

	a := e.browser().loggedIn("ms.lia")
	b := e.browser().loggedIn("ms.lib")
	for _, path := range []string{"/", "/trips", "/account/2fa"} {
		if got := unreadBadge(a.get(path).body); got != "2" {
			t.Errorf("%s: the header says %q unread, want 2", path, got)
		}
	}
	r := a.get("/messages")
	for _, want := range []string{"有一份外出执行情况报告需要审查", `href="/trip-reviews/1"`, "外出报告需核查", "待实地回访", fmt.Sprintf(`action="/messages/%d/read"`, first)} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/messages lacks %q", want)
		}
	}
	if strings.Contains(r.body, "给监察室的通知") {
		t.Error("the liaison sees another's message")
	}

	// Another's message is not there for him.
	if r := a.post(fmt.Sprintf("/messages/%d/read", theirs), nil); r.status != http.StatusNotFound {
		t.Fatalf("marking another's message: %d", r.status)
	}
	if got := unreadBadge(b.get("/").body); got != "1" {
		t.Fatalf("the other's count after the attempt: %q", got)
	}

	if r := a.post(fmt.Sprintf("/messages/%d/read", first), nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/messages" {
		t.Fatalf("mark read: %d %s", r.status, r.header.Get("Location"))
	}
	r = a.get("/messages?unread=1")
	if unreadBadge(r.body) != "1" || strings.Contains(r.body, "有一份外出执行情况报告需要审查") || !strings.Contains(r.body, "有一件回访待实地回访") {
		t.Fatalf("after marking one: %q\n%s", unreadBadge(r.body), r.body)
	}
	if r := a.post("/messages/read-all", nil); r.status != http.StatusSeeOther {
		t.Fatalf("read all: %d", r.status)
	}
	r = a.get("/messages")
	if unreadBadge(r.body) != "" || !strings.Contains(r.body, "已全部标为已读") || !strings.Contains(r.body, "已读") {
		t.Fatalf("after reading all: %q", unreadBadge(r.body))
	}
	if got := unreadBadge(b.get("/").body); got != "1" {
		t.Fatalf("the other's count after read-all: %q", got)
	}
}

// The administrator switches texts per kind; the change is audited.
func TestNoticeSettingsPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	testdb.AddUser(t, e.app.DB, "ns.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	adm := e.browser().loggedIn("ns.admin")
	r := adm.get("/admin/notices")
	for _, want := range []string{"短信通知", "外出报告需核查", `value="trip_review" checked`, `value="visit_onsite">`, "上级法院督办"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/admin/notices lacks %q", want)
		}
	}
	// A kind nobody offered is refused beside the list, the ticks kept.
	r = adm.postFrom("/admin/notices", "/admin/notices", url.Values{"sms": {"visit_onsite", "no_such_kind"}})
	refilledForm(t, r, "/admin/notices", []string{`<p class="field-error" id="err-sms">通知类型“no_such_kind”无法识别`}, []string{`value="visit_onsite" checked`})
	if strings.Contains(r.body, `value="trip_review" checked`) {
		t.Error("the refused form shows the stored ticks, not the typed ones")
	}
	r = adm.post("/admin/notices", url.Values{"sms": {"visit_onsite", "case_supervised"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("saving: %d %s", r.status, r.body)
	}
	on, err := e.app.DB.NoticeSMS(ctx)
	if err != nil || on[oversight.NoticeTripReview] || !on[oversight.NoticeVisitOnsite] || !on[oversight.NoticeCaseSupervised] {
		t.Fatalf("after saving: %v %v", on, err)
	}
	r = adm.get("/admin/notices")
	if !strings.Contains(r.body, `value="visit_onsite" checked`) || strings.Contains(r.body, `value="trip_review" checked`) || !strings.Contains(r.body, "短信通知设置已保存") {
		t.Fatalf("the page after saving:\n%s", r.body)
	}
	var n int
	if err := e.app.DB.WriteDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'notice.sms'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("audited %d times (%v)", n, err)
	}
}

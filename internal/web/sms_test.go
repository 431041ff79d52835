package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// The command centre sees its visits' messages with masked numbers,
// settles one whose fate is unknown and handles a stray reply; the
// administrator sees only the gateway's state and counts; the officer of
// the case and the other roles see none of it.
func TestSMSPages(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "lx.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	testdb.AddUser(t, e.app.DB, "lx.group", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	ctx := context.Background()
	db := e.app.DB
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: "测试lx.officer", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	// The gateway call of the first message ended without an answer.
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	msgs, err := out.Claim(ctx, "t", 10, time.Now(), time.Now().Add(-time.Hour), 5)
	if err != nil || len(msgs) != 1 {
		t.Fatal(msgs, err)
	}
	if err := out.Record(ctx, []sms.Outcome{{ID: msgs[0].ID, Result: sms.ResultUnknown, Reason: "smpp: no answer within 10s"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReceiveReply(ctx, "13900000000", "我是谁的案子？", time.Now(), visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}

	cc := e.browser().loggedIn("lx.cc")
	r := cc.get("/sms")
	for _, want := range []string{"发送结果不明（1）", "（2026）鲁0102执1号", "138****0001", "smpp: no answer", "我是谁的案子？", "139****0000"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/sms lacks %q", want)
		}
	}
	if strings.Contains(r.body, "13800000001") {
		t.Error("/sms shows a full number")
	}
	if r := cc.post(fmt.Sprintf("/sms/%d/decide", msgs[0].ID), url.Values{"decision": {"resend"}}); r.status != http.StatusSeeOther {
		t.Fatalf("decide: %d %s", r.status, r.body)
	}
	if r := cc.post(fmt.Sprintf("/sms/%d/decide", msgs[0].ID), url.Values{"decision": {"resend"}}); r.status != http.StatusConflict {
		t.Fatalf("second decision: %d", r.status)
	}
	if c, _ := db.SMSStats(ctx); c.ByStatus[sms.StatusPending] != 1 || c.ByStatus[sms.StatusUnknown] != 0 {
		t.Fatalf("after resend: %v", c.ByStatus)
	}
	inbox, _ := db.UnmatchedReplies(ctx, domain.SystemViewer("t"), 10)
	if len(inbox) != 1 {
		t.Fatalf("unmatched: %v", inbox)
	}
	if r := cc.post(fmt.Sprintf("/sms/replies/%d/handled", inbox[0].ID), url.Values{"note": {"已电话联系，系误发"}}); r.status != http.StatusSeeOther {
		t.Fatalf("handled: %d %s", r.status, r.body)
	}
	if r := cc.get("/sms"); !strings.Contains(r.body, "没有待处理的回复") || !strings.Contains(r.body, "lx.cc 处理") {
		t.Errorf("after handling: %s", r.body)
	}

	admin := e.browser().loggedIn("lx.admin")
	r = admin.get("/admin/sms")
	for _, want := range []string{"短信网关", "log", "待发送", "发送测试短信"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/admin/sms lacks %q", want)
		}
	}
	for _, secret := range []string{"0001", "鲁0102执1号", "我是谁", "王芳"} {
		if strings.Contains(r.body, secret) {
			t.Errorf("/admin/sms shows %q", secret)
		}
	}
	if r := admin.post("/admin/sms/test", url.Values{"phone": {"1380000"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("bad test number: %d", r.status)
	}
	refilledForm(t, admin.postFrom("/admin/sms", "/admin/sms/test", url.Values{"phone": {"1380000"}, "template": {"visit.categories"}}), "/admin/sms",
		[]string{`<p class="field-error" id="err-phone">`}, []string{`value="1380000"`, `value="visit.categories" selected`})
	r = admin.post("/admin/sms/test", url.Values{"phone": {"13700000007"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/sms?test=test%3A") {
		t.Fatalf("test message: %d %s", r.status, r.header.Get("Location"))
	}
	if r := admin.get(r.header.Get("Location")); !strings.Contains(r.body, "待发送") || !strings.Contains(r.body, `id="sms-test"`) {
		t.Errorf("the test message's state is not shown")
	}
	if r := admin.get("/admin/sms?test=visit:1:0:question"); strings.Contains(r.body, `id="sms-test"`) {
		t.Errorf("the admin reads a visit message's state")
	}
	if r := admin.get("/sms"); r.status != http.StatusForbidden {
		t.Errorf("admin /sms: %d", r.status)
	}

	// Secrecy: the officer of the case, and roles that do not text
	// parties, get nothing.
	for _, user := range []string{"lx.officer", "lx.group"} {
		b := e.browser().loggedIn(user)
		for _, p := range []string{"/sms", "/admin/sms"} {
			if r := b.get(p); r.status != http.StatusForbidden || strings.Contains(r.body, "0001") || strings.Contains(r.body, "我是谁") {
				t.Errorf("%s GET %s: %d", user, p, r.status)
			}
		}
		if r := b.post(fmt.Sprintf("/sms/%d/decide", msgs[0].ID), url.Values{"decision": {"phone"}}); r.status != http.StatusForbidden {
			t.Errorf("%s decides: %d", user, r.status)
		}
	}
}

// A message that will not open under the key is set aside as failed, its
// visit goes to the phone, the administrator is told, and the others still
// go out (issue 11: one unreadable message held 1,088 pending forever).
func TestUnreadableMessageSetAside(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "lx.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	ctx := context.Background()
	db := e.app.DB
	closedCase(t, db, "（2026）鲁0102执21号", "测试lx.officer")
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	var msgs []store.NewSMS
	for i := range 5 {
		msgs = append(msgs, store.NewSMS{Phone: fmt.Sprintf("1370000000%d", i), Body: "测试", Key: fmt.Sprint("t", i)})
	}
	if err := db.QueueSMS(ctx, domain.SystemViewer("t"), msgs); err != nil {
		t.Fatal(err)
	}
	// The visit's message was sealed under another key (a restored
	// database started with the wrong one, before the check existed).
	db.WriteDB().Exec("UPDATE sms_outbox SET phone_sealed = 'sm4gcm:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE visit_id IS NOT NULL")
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	got, err := out.Claim(ctx, "t", 10, time.Now(), time.Now().Add(-time.Hour), 5)
	if err != nil || len(got) != 5 {
		t.Fatalf("claim beside an unreadable message: %d messages, %v", len(got), err)
	}
	c, _ := db.SMSStats(ctx)
	if c.Unreadable != 1 || c.ByStatus[sms.StatusFailed] != 1 {
		t.Fatalf("counts after the claim: %+v", c)
	}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	if vs[0].State.Step != visit.StepPhonePending {
		t.Fatalf("the visit of the unreadable message is at %s, want the phone", vs[0].State.Step)
	}
	if r := e.browser().loggedIn("lx.admin").get("/admin/sms"); !strings.Contains(r.body, `id="sms-unreadable"`) {
		t.Error("the administrator is not told")
	}
	recs, _ := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "sms.unreadable", Limit: 5})
	if len(recs) != 1 {
		t.Fatalf("%d audit records of the unreadable message", len(recs))
	}
}

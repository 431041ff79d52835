package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// Every message has a template once, each default passes its own check,
// and none is left without a court's name variable to use.
func TestSMSCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, tp := range store.SMSCatalog() {
		if seen[tp.Name] || tp.Label == "" || tp.To == "" {
			t.Errorf("template %q: twice, or without label or recipient", tp.Name)
		}
		seen[tp.Name] = true
		if err := tp.Validate(tp.Default); err != nil {
			t.Errorf("%s: default refused: %v", tp.Name, err)
		}
		if _, ok := tp.Var(domain.SMSCourtVar.Name); !ok {
			t.Errorf("%s has no {法院}", tp.Name)
		}
	}
	for _, k := range oversight.NoticeKinds {
		if _, ok := store.SMSTemplateNamed((oversight.Notice{Kind: k}).Template()); !ok {
			t.Errorf("notice kind %s has no template", k)
		}
	}
}

// A court's administrator sets his court's texts, template IDs and
// signature; a court below takes them until it sets its own; a bad text
// is refused beside its field and nothing changes; another court's
// administrator sees none of it. Every change is audited.
func TestSMSTemplateSettings(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	admin := domain.ViewerFor(testdb.AddUser(t, db, "adm01", "鲁01", "信息技术处", domain.RoleAdmin), "")
	below := domain.ViewerFor(testdb.AddUser(t, db, "adm0102", "鲁0102", "信息技术处", domain.RoleAdmin), "")
	beside := domain.ViewerFor(testdb.AddUser(t, db, "adm02", "鲁02", "信息技术处", domain.RoleAdmin), "")
	officer := domain.ViewerFor(testdb.AddUser(t, db, "off01", "鲁01", "执行一庭", domain.RoleOfficer), "")

	text := "{法院}回访：您的案件{案号}是否执行完毕？对执行过程是否满意？请回复1表示满意，回复2表示不满意。"
	if err := db.SaveSMSTemplate(ctx, admin, admin.CourtID, visit.TemplateQuestion, text, "1234567"); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSMSSignature(ctx, admin, admin.CourtID, "【济南中院】"); err != nil {
		t.Fatal(err)
	}
	got, err := db.SMSTemplates(ctx, below, below.CourtID)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := got.Template(visit.TemplateQuestion)
	if q.Body != text || q.ProviderID != "1234567" || q.Source != store.SMSTextInherited || q.FromCourt != "济南市中级人民法院" {
		t.Fatalf("inherited: %+v", q)
	}
	if got.Signature.Own || got.Signature.Signature != "济南市历下区人民法院" {
		t.Fatalf("a court's signature is its own: %+v", got.Signature)
	}
	if a, _ := got.Template(visit.TemplateAskAgain); a.Source != store.SMSTextDefault || a.Body != a.Default {
		t.Fatalf("untouched: %+v", a)
	}

	// Refused: the meaning dropped, a bad ID; nothing changes.
	for _, tt := range []struct{ body, id, field, msg string }{
		{"您的案件{案号}办得如何？请回复：1 满意；2 不满意。", "", "body", "是否执行完毕"},
		{"案件是否执行完毕，是否满意？请回复：1 满意；2 不满意。", "", "body", "{案号}"},
		{text, "12 34", "provider_id", "模板ID"},
	} {
		err := db.SaveSMSTemplate(ctx, below, below.CourtID, visit.TemplateQuestion, tt.body, tt.id)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.Fields[tt.field], tt.msg) {
			t.Errorf("%q: want %s on %s, got %v", tt.body, tt.msg, tt.field, err)
		}
	}
	if err := db.SaveSMSSignature(ctx, admin, admin.CourtID, "【中】"); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("a one-character signature: %v", err)
	}
	own := "抱歉未能识别。案件{案号}是否执行完毕、是否满意？请回复：1 满意；2 不满意。"
	if err := db.SaveSMSTemplate(ctx, below, below.CourtID, visit.TemplateAskAgain, own, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ = db.SMSTemplates(ctx, below, below.CourtID); func() bool {
		a, _ := got.Template(visit.TemplateAskAgain)
		return a.Source != store.SMSTextOwn || a.Body != own
	}() {
		t.Fatal("the court's own text is not in force")
	}
	if err := db.ResetSMSTemplate(ctx, below, below.CourtID, visit.TemplateAskAgain); err != nil {
		t.Fatal(err)
	}
	if got, _ = db.SMSTemplates(ctx, below, below.CourtID); func() bool { a, _ := got.Template(visit.TemplateAskAgain); return a.Source != store.SMSTextDefault }() {
		t.Fatal("reset kept the court's text")
	}

	// Scope: the court above from below, a court beside, a non-administrator.
	if _, err := db.SMSTemplates(ctx, below, admin.CourtID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a court below read the court above: %v", err)
	}
	if err := db.SaveSMSTemplate(ctx, beside, admin.CourtID, visit.TemplateQuestion, text, ""); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a court beside wrote: %v", err)
	}
	if _, err := db.SMSTemplates(ctx, officer, officer.CourtID); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("an officer read the templates: %v", err)
	}
	if _, err := db.SMSTemplates(ctx, admin, below.CourtID); err != nil {
		t.Errorf("the court above reads the court below: %v", err)
	}
	var n int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action IN ('sms.template', 'sms.template_reset', 'sms.signature')").Scan(&n); err != nil || n != 4 {
		t.Fatalf("audited %d changes (%v), want 4", n, err)
	}
}

// A text queued at a court is its template there: the court's text (or
// the one above), under its signature, with the template's name, the
// provider's ID and the parameters kept beside it.
func TestSMSRenderedPerCourt(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	admin := domain.ViewerFor(testdb.AddUser(t, db, "adm01", "鲁01", "信息技术处", domain.RoleAdmin), "")
	if err := db.SaveSMSTemplate(ctx, admin, admin.CourtID, "sms.test", "{法院}网关测试。", "88"); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSMSSignature(ctx, admin, admin.CourtID, "济南中院"); err != nil {
		t.Fatal(err)
	}
	below, err := db.CourtByCode(ctx, "鲁0102")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.QueueSMS(ctx, admin, []store.NewSMS{{Phone: "13700000001", Template: "sms.test", Key: "k1"},
		{Phone: "13700000002", Template: "sms.test", CourtID: below.ID, Key: "k2"}}); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"k1": "【济南中院】济南市中级人民法院网关测试。|sms.test|88|济南中院|[{\"name\":\"法院\",\"value\":\"济南市中级人民法院\"}]",
		"k2": "【济南市历下区人民法院】济南市历下区人民法院网关测试。|sms.test|88|济南市历下区人民法院|[{\"name\":\"法院\",\"value\":\"济南市历下区人民法院\"}]",
	} {
		var got string
		if err := db.WriteDB().QueryRow(db.Rebind("SELECT body || '|' || template || '|' || template_id || '|' || sign_name || '|' || params FROM sms_outbox WHERE idempotency_key = ?"), key).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", key, got, want)
		}
	}
	// Beside the administrator's scope, or without a template: refused.
	beside, _ := db.CourtByCode(ctx, "鲁02")
	if err := db.QueueSMS(ctx, admin, []store.NewSMS{{Phone: "13700000003", Template: "sms.test", CourtID: beside.ID, Key: "k3"}}); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("queued at a court beside: %v", err)
	}
	if err := db.QueueSMS(ctx, admin, []store.NewSMS{{Phone: "13700000003", Body: "自由文本", Key: "k4"}}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("an administrator queued free text: %v", err)
	}
}

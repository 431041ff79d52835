package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// A court's administrator sees every template with the text in force, a
// preview and its length; edits one, sees a refused text come back with
// the reason beside the field, previews without saving, saves, sets the
// signature and restores the default. A court beside him and the other
// roles see nothing.
func TestSMSTemplatePages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	testdb.AddUser(t, db, "st.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	testdb.AddUser(t, db, "st.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	beside, err := db.CourtByCode(context.Background(), "鲁02")
	if err != nil {
		t.Fatal(err)
	}
	admin := e.browser().loggedIn("st.admin")
	r := admin.get("/admin/sms/templates")
	for _, want := range []string{"短信签名（济南市历下区人民法院）", "【济南市历下区人民法院】", "回访询问（是否执行完毕、是否满意）", "不满意事项询问",
		"外出报告需审查", "登录密码已被重置", "短信网关测试", "系统默认", `href="/admin/sms/templates"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/admin/sms/templates lacks %q", want)
		}
	}
	if !strings.Contains(r.body, "（2026）鲁0102执1234号，案件是否执行完毕") {
		t.Error("no preview with sample values")
	}

	edit := "/admin/sms/templates/visit.question"
	r = admin.get(edit)
	for _, want := range []string{"报备文本", "您好，这里是执行回访。您的案件{1}，案件是否执行完毕", "{1} = {案号}", "{案号}", "必须", `id="tpl-multi"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("%s lacks %q", edit, want)
		}
	}
	bad := "您的案件{案号}办得如何？"
	refilledForm(t, admin.postFrom(edit, edit, url.Values{"body": {bad}, "provider_id": {"1001"}}), edit,
		[]string{`<p class="field-error" id="err-body">回访询问须保留原意`}, []string{bad, `value="1001"`})

	text := "{法院}回访：案件{案号}是否执行完毕？是否满意？请回复：1 满意；2 不满意。"
	r = admin.post(edit, url.Values{"body": {text}, "action": {"preview"}})
	if r.status != http.StatusOK || !strings.Contains(r.body, "【济南市历下区人民法院】济南市历下区人民法院回访：案件（2026）鲁0102执1234号是否执行完毕？") ||
		!strings.Contains(r.body, "{1}回访：案件{2}是否执行完毕") {
		t.Fatalf("preview: %d", r.status)
	}
	if r := admin.get("/admin/sms/templates"); strings.Contains(r.body, "本院设置") {
		t.Fatal("the preview saved the text")
	}
	long := text + strings.Repeat("请您如实反映情况，感谢支持。", 6)
	if r := admin.post(edit, url.Values{"body": {long}, "action": {"preview"}}); !strings.Contains(r.body, `id="tpl-too-long"`) {
		t.Error("a text of three messages is not flagged")
	}
	if r := admin.post(edit, url.Values{"body": {text}, "provider_id": {"1001"}}); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	refilledForm(t, admin.postFrom("/admin/sms/templates", "/admin/sms/signature", url.Values{"signature": {"中"}, "_form": {"signature"}}), "/admin/sms/templates",
		[]string{`<p class="field-error" id="err-signature">签名须为2至12个字`}, []string{`value="中"`})
	if r := admin.post("/admin/sms/signature", url.Values{"signature": {"【历下法院】"}}); r.status != http.StatusSeeOther {
		t.Fatalf("signature: %d", r.status)
	}
	r = admin.get("/admin/sms/templates")
	for _, want := range []string{"本院设置", "1001", "当前签名：<strong>【历下法院】", "【历下法院】济南市历下区人民法院回访"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after saving, the list lacks %q", want)
		}
	}
	if r := admin.post(edit, url.Values{"action": {"reset"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.status)
	}
	if r := admin.get("/admin/sms/templates"); strings.Contains(r.body, "本院设置") {
		t.Error("the reset kept the court's text")
	}

	for path, want := range map[string]int{
		fmt.Sprintf("/admin/sms/templates?court=%d", beside.ID): http.StatusNotFound,
		fmt.Sprintf("%s?court=%d", edit, beside.ID):             http.StatusNotFound,
		"/admin/sms/templates/no.such":                          http.StatusNotFound,
	} {
		if r := admin.get(path); r.status != want {
			t.Errorf("%s: %d, want %d", path, r.status, want)
		}
	}
	off := e.browser().loggedIn("st.officer")
	if r := off.get("/admin/sms/templates"); r.status != http.StatusForbidden {
		t.Errorf("an officer: %d", r.status)
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// inspectionPagesFixture is a case review of 鲁01 over 鲁0102 in 筹备, with
// its group of the three bodies, the bureau of the court in scope, an
// officer there, and the command centre of 鲁01 (who sees the campaign
// but is not in its group).
func inspectionPagesFixture(t *testing.T, e *env, prefix string) (id int64, lead, grp, sup *domain.User) {
	t.Helper()
	db := e.app.DB
	lead = testdb.AddUser(t, db, prefix+".lead", "鲁01", "执行局", domain.RoleBureau)
	grp = testdb.AddUser(t, db, prefix+".grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sup = testdb.AddUser(t, db, prefix+".sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, prefix+".cc", "鲁01", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, prefix+".bur0102", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, prefix+".off", "鲁0102", "执行一庭", domain.RoleOfficer)
	today := domain.DateOf(db.Now(), domain.Beijing)
	id, err := db.CreateInspection(context.Background(), domain.ViewerFor(lead, ""), store.InspectionInput{
		Campaign: inspection.Campaign{Kind: inspection.KindCaseReview, Theme: inspection.ThemeMoney, Title: "案款评查（初稿）",
			From: today.AddDays(-90), To: today, Plan: "初稿方案"},
		Courts: []string{"鲁0102"}, MemberIDs: []int64{lead.ID, grp.ID, sup.ID}, LeaderID: lead.ID,
		PerCourt: 3, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	return id, lead, grp, sup
}

// TestInspectionEditPage: the group edits a campaign in 筹备 through the
// form it was organised with, filled in; refused input comes back beside
// its field with what was typed kept and nothing saved; the kind and
// theme stay; nobody outside the group gets the form, and nobody at all
// once the campaign is carried out.
func TestInspectionEditPage(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	id, lead, grp, sup := inspectionPagesFixture(t, e, "ie")
	page := fmt.Sprintf("/inspections/%d", id)
	b := e.browser().loggedIn("ie.grp")
	if r := b.get(page); r.status != 200 || !strings.Contains(r.body, page+"/edit") {
		t.Fatalf("the campaign page offers no edit to the group: %d", r.status)
	}
	r := b.get(page + "/edit")
	if r.status != 200 || !strings.Contains(r.body, `value="案款评查（初稿）"`) || !strings.Contains(r.body, "初稿方案") ||
		!strings.Contains(r.body, `value="鲁0102"`) || !strings.Contains(r.body, fmt.Sprintf(`id="m-%d" checked`, sup.ID)) ||
		!strings.Contains(r.body, `action="`+page+`/edit"`) || !strings.Contains(r.body, `name="kind" disabled`) {
		t.Fatalf("the edit form is not filled in: %d\n%s", r.status, r.body)
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	form := url.Values{"title": {"2026年案款管理专项评查"}, "from": {today.String()}, "to": {today.AddDays(-30).String()},
		"courts": {"鲁0102，鲁0103/执行二庭"}, "plan": {"定稿方案"}, "member": {fmt.Sprint(lead.ID), fmt.Sprint(grp.ID)}, "leader": {fmt.Sprint(grp.ID)},
		"per_court": {"4"}, "answer_days": {"10"}, "th_excellent": {"90"}, "th_pass": {"75"}, "th_flaw": {"60"}, "cross_court": {"1"},
		"kind": {"patrol"}, "theme": {"discipline"}, "per_officer": {"两件"}}
	r = b.post(page+"/edit", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "结束日期不能早于开始日期") || !strings.Contains(r.body, "工作组应当有监察室人员") ||
		!strings.Contains(r.body, `value="两件"`) || !strings.Contains(r.body, "每名承办人抽取件数应在0至100之间") ||
		!strings.Contains(r.body, `value="2026年案款管理专项评查"`) || !strings.Contains(r.body, "定稿方案") || !strings.Contains(r.body, "鲁0103/执行二庭") {
		t.Fatalf("refused edit: %d\n%s", r.status, r.body)
	}
	in, err := db.Inspection(context.Background(), domain.ViewerFor(lead, ""), id)
	if err != nil || in.Title != "案款评查（初稿）" || in.Plan != "初稿方案" {
		t.Fatalf("a refused edit changed the campaign: %+v %v", in, err)
	}
	form.Set("to", today.String())
	form.Set("per_officer", "2")
	form["member"] = append(form["member"], fmt.Sprint(sup.ID))
	if r := b.post(page+"/edit", form); r.status != http.StatusSeeOther || r.header.Get("Location") != page {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	in, err = db.Inspection(context.Background(), domain.ViewerFor(lead, ""), id)
	if err != nil || in.Title != "2026年案款管理专项评查" || in.Plan != "定稿方案" || len(in.Scope) != 2 || in.PerCourt != 4 || in.PerOfficer != 2 || in.AnswerDays != 10 ||
		inspection.Leader(in.Members).UserID != grp.ID || in.Kind != inspection.KindCaseReview || in.Theme != inspection.ThemeMoney {
		t.Fatalf("edited campaign %+v: %v", in, err)
	}
	if r := b.get(page); !strings.Contains(r.body, "随机抽取（每院每名承办人2件）") {
		t.Error("the campaign page does not say the draw is per officer")
	}
	// Outside the group: the command centre sees the campaign but may not
	// edit it; the court in scope and the officer do not get it at all.
	for who, want := range map[string]int{"ie.cc": http.StatusForbidden, "ie.bur0102": http.StatusForbidden, "ie.off": http.StatusNotFound} {
		c := e.browser().loggedIn(who)
		if r := c.get(page + "/edit"); r.status != want {
			t.Errorf("%s gets the edit form: %d", who, r.status)
		}
		if r := c.post(page+"/edit", form); r.status != want {
			t.Errorf("%s posts the edit form: %d", who, r.status)
		}
		if r := c.get(page); strings.Contains(r.body, page+"/edit") {
			t.Errorf("%s is offered the edit", who)
		}
	}
	// Carried out, the campaign is edited by nobody.
	if _, err := db.WriteDB().Exec(fmt.Sprintf("UPDATE inspection_campaigns SET state = 'active' WHERE id = %d", id)); err != nil {
		t.Fatal(err)
	}
	if r := b.get(page); strings.Contains(r.body, page+"/edit") {
		t.Error("the edit is offered in 实施")
	}
	if r := b.get(page + "/edit"); r.status != http.StatusForbidden {
		t.Errorf("the edit form in 实施: %d", r.status)
	}
	if r := b.post(page+"/edit", form); r.status != http.StatusForbidden {
		t.Errorf("an edit in 实施: %d", r.status)
	}
}

// TestInspectionPlanFilePages: the group uploads the plan's files on the
// campaign page in 筹备 (a file of the wrong kind refused beside the
// upload); the page lists them to whoever sees the whole campaign, who
// downloads them; the bureau of the court in scope and an officer get 404
// for the file and see no list, and may not upload.
func TestInspectionPlanFilePages(t *testing.T) {
	e := newEnv(t)
	id, _, _, _ := inspectionPagesFixture(t, e, "ipf")
	page := fmt.Sprintf("/inspections/%d", id)
	g := e.browser().loggedIn("ipf.grp")
	if r := g.get(page); !strings.Contains(r.body, `action="`+page+`/files"`) || !strings.Contains(r.body, `enctype="multipart/form-data"`) {
		t.Fatalf("no upload on the campaign page: %d", r.status)
	}
	if r := g.postStep(page+"/files", nil, map[string][]byte{"方案.txt": []byte("纯文本")}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `<p class="field-error">只能上传PDF、图片或Office文档</p>`+"</form>") {
		t.Fatalf("a text file: %d", r.status)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	if r := g.postStep(page+"/files", nil, map[string][]byte{"工作方案.pdf": pdf}); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	r := g.get(page)
	i := strings.Index(r.body, `<ul id="plan-files"><li><a href="/attachments/`)
	if i < 0 || !strings.Contains(r.body, "工作方案.pdf</a>") {
		t.Fatalf("the page does not list the file:\n%s", r.body)
	}
	href := r.body[i+len(`<ul id="plan-files"><li><a href="`):]
	href = href[:strings.IndexByte(href, '"')]
	for who, want := range map[string]int{"ipf.grp": 200, "ipf.lead": 200, "ipf.cc": 200, "ipf.bur0102": http.StatusNotFound, "ipf.off": http.StatusNotFound} {
		b := e.browser().loggedIn(who)
		r := b.get(href)
		if r.status != want || (want == 200 && r.body != string(pdf)) {
			t.Errorf("%s downloads the plan's file: %d", who, r.status)
		}
		if want != 200 {
			if r := b.get(page); strings.Contains(r.body, "工作方案.pdf") || strings.Contains(r.body, page+"/files") {
				t.Errorf("%s sees the plan's files on the page", who)
			}
			if r := b.postStep(page+"/files", nil, map[string][]byte{"x.pdf": pdf}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("%s uploads: %d", who, r.status)
			}
		}
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/docx"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Issue 16, the review page by page: the leader assigns on the campaign
// page, the reviewer declares and scores on the sheet and records a
// finding; the officer sees the finding about him, never the reviewer's
// notes nor the sheet, and answers it; the bureau of the court in scope
// sees its court's finding and not the sheet; the 通报 is a Word document
// that reads back with the court and the problem, and an XLSX.
func TestInspectionReviewPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	lead := testdb.AddUser(t, db, "ir.lead", "鲁01", "执行局", domain.RoleBureau)
	grp := testdb.AddUser(t, db, "ir.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sup := testdb.AddUser(t, db, "ir.sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "ir.bur0102", "鲁0102", "执行局", domain.RoleBureau)
	off := testdb.AddUser(t, db, "ir.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "ir.off2", "鲁0102", "执行一庭", domain.RoleOfficer)
	today := domain.DateOf(db.Now(), domain.Beijing)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执7号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: today.AddDays(-200), ClosedOn: today.AddDays(-10), ClosingMode: "执行完毕", Officer: off.Name, Department: "执行一庭"}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	lv := domain.ViewerFor(lead, "")
	id, err := db.CreateInspection(ctx, lv, store.InspectionInput{Campaign: inspection.Campaign{Kind: inspection.KindCaseReview, Theme: inspection.ThemeMoney,
		Title: "案款评查", From: today.AddDays(-90), To: today, Plan: "交叉评查"}, Courts: []string{"鲁0102"},
		MemberIDs: []int64{lead.ID, grp.ID, sup.ID}, LeaderID: lead.ID, PerCourt: 3, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DrawInspection(ctx, lv, id); err != nil {
		t.Fatal(err)
	}
	ts, err := db.InspectionTargets(ctx, lv, id)
	if err != nil || len(ts) != 1 {
		t.Fatalf("targets %d: %v", len(ts), err)
	}
	page := fmt.Sprintf("/inspections/%d", id)
	sheet := fmt.Sprintf("%s/targets/%d", page, ts[0].ID)
	b := e.browser().loggedIn("ir.lead")
	if r := b.get(page); !strings.Contains(r.body, `name="reviewer"`) {
		t.Fatalf("no assignment on the leader's page: %d", r.status)
	}
	if r := b.post(sheet+"/assign", url.Values{"reviewer": {fmt.Sprint(grp.ID)}}); r.status != http.StatusSeeOther {
		t.Fatalf("assign: %d %s", r.status, r.body)
	}
	if r := b.post(page+"/move", url.Values{"event": {"start"}}); r.status != http.StatusSeeOther {
		t.Fatalf("start: %d", r.status)
	}
	rv := e.browser().loggedIn("ir.grp")
	if r := rv.get("/"); !strings.Contains(r.body, sheet) {
		t.Error("the reviewer's home page has no to-do for the sheet")
	}
	if r := rv.get(sheet); r.status != 200 || !strings.Contains(r.body, "声明无利害关系") || strings.Contains(r.body, `name="deduction_0"`) {
		t.Fatalf("the sheet before the declaration: %d", r.status)
	}
	if r := rv.post(sheet+"/declare", nil); r.status != http.StatusSeeOther {
		t.Fatalf("declare: %d", r.status)
	}
	form := url.Values{"items": {"5"}, "deduction_1": {"20"}, "note_1": {"到账后四个月未发放的扣分理由"}, "deduction_3": {"10"}, "note_3": {"发放无审批"}, "submit": {"1"}}
	if r := rv.post(sheet+"/sheet", url.Values{"items": {"5"}, "deduction_1": {"20"}, "submit": {"1"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "扣分时请写明扣分理由") {
		t.Fatalf("a deduction without a note: %d", r.status)
	}
	if r := rv.post(sheet+"/sheet", form); r.status != http.StatusSeeOther {
		t.Fatalf("sheet: %d %s", r.status, r.body)
	}
	if r := rv.post(sheet+"/finding", url.Values{"category": {"执行案款管理"}, "severity": {"general"}, "about": {"officer"}, "text": {"案款超期四个月未发放"}}); r.status != http.StatusSeeOther {
		t.Fatalf("finding: %d %s", r.status, r.body)
	}
	if r := rv.get(sheet); !strings.Contains(r.body, "瑕疵") || !strings.Contains(r.body, "案款超期四个月未发放") {
		t.Fatalf("the submitted sheet: %d", r.status)
	}
	// The officer: his finding and its answer form, no notes, no sheet.
	ob := e.browser().loggedIn("ir.off")
	r := ob.get(page)
	if r.status != 200 || !strings.Contains(r.body, "案款超期四个月未发放") || !strings.Contains(r.body, "提交说明、申辩") || strings.Contains(r.body, "扣分理由") {
		t.Fatalf("the officer's page: %d", r.status)
	}
	if r := ob.get("/"); !strings.Contains(r.body, "说明、申辩") {
		t.Error("the officer's home page has no to-do for his answer")
	}
	if r := ob.get(sheet); r.status != http.StatusNotFound {
		t.Fatalf("the officer reads the sheet: %d", r.status)
	}
	fs, err := db.InspectionFindings(ctx, lv, id)
	if err != nil || len(fs) != 1 {
		t.Fatalf("findings %d: %v", len(fs), err)
	}
	if r := ob.post(fmt.Sprintf("%s/findings/%d/answer", page, fs[0].ID), url.Values{"answer": {"账户冻结，次月已发放"}}); r.status != http.StatusSeeOther {
		t.Fatalf("answer: %d %s", r.status, r.body)
	}
	// Another officer of the court sees nothing; the court's bureau sees
	// the finding and the answer, not the sheet.
	if r := e.browser().loggedIn("ir.off2").get(page); r.status != http.StatusNotFound {
		t.Errorf("another officer: %d", r.status)
	}
	bb := e.browser().loggedIn("ir.bur0102")
	if r := bb.get(page); !strings.Contains(r.body, "账户冻结，次月已发放") || strings.Contains(r.body, "扣分理由") || strings.Contains(r.body, "提交说明、申辩") {
		t.Errorf("the court in scope's page: %d", r.status)
	}
	for _, p := range []string{sheet, page + "/report", page + "/report.docx"} {
		if r := bb.get(p); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Errorf("the court in scope gets %s: %d", p, r.status)
		}
	}
	// The leader re-checks, sums up, keeps the finding; the 通报.
	if r := b.post(sheet+"/recheck", url.Values{"confirm": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("recheck: %d %s", r.status, r.body)
	}
	if r := b.post(page+"/move", url.Values{"event": {"summarize"}}); r.status != http.StatusSeeOther {
		t.Fatalf("summarize: %d", r.status)
	}
	if r := b.post(fmt.Sprintf("%s/findings/%d/keep", page, fs[0].ID), url.Values{"reason": {"申辩理由不能成立"}}); r.status != http.StatusSeeOther {
		t.Fatalf("keep: %d", r.status)
	}
	if r := b.post(fmt.Sprintf("%s/findings/%d/rectify", page, fs[0].ID), url.Values{"deadline": {today.AddDays(30).String()}, "task": {"立即发放"}}); r.status != http.StatusSeeOther {
		t.Fatalf("rectify: %d %s", r.status, r.body)
	}
	if r := b.get(page + "/report"); r.status != 200 || !strings.Contains(r.body, "关于案款评查情况的通报") || !strings.Contains(r.body, "历下") {
		t.Fatalf("the printable 通报: %d", r.status)
	}
	r = b.get(page + "/report.docx")
	if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "wordprocessingml") {
		t.Fatalf("the Word 通报: %d", r.status)
	}
	text, err := docx.Text([]byte(r.body))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"关于案款评查情况的通报", "执行案款管理问题1个", "案款超期四个月未发放", "待整改", "瑕疵1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Word 通报 lacks %q:\n%s", want, text)
		}
	}
	if r := b.get(page + "/report.xlsx"); r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") || !strings.HasPrefix(r.body, "PK") {
		t.Fatalf("the XLSX: %d", r.status)
	}
}

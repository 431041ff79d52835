package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

func TestVisitBatchPages(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "jn.watch", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	ctx := context.Background()
	var batch []*domain.Case
	for i := 1; i <= 30; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2026）鲁0102执%d号", i), domain.DefaultCaseTypes)
		batch = append(batch, &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: "测试lx.officer",
			Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: fmt.Sprintf("138000000%02d", i)}}})
	}
	err := e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, batch, nil); return err })
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := e.app.DB.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule())
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/visit-batches/%d", b.ID)

	watch := e.browser().loggedIn("jn.watch")
	if r := watch.get("/visit-batches"); !strings.Contains(r.body, "2026-10") || !strings.Contains(r.body, path) {
		t.Fatalf("batch list: %s", r.body)
	}
	r := watch.get(path)
	for _, want := range []string{"复核通过", b.Seed, b.Commitment, "hmac-sha256-v1", "HMAC-SHA256", "入选案件"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("batch page lacks %q", want)
		}
	}
	// The officer whose cases were drawn sees nothing of the visits.
	officer := e.browser().loggedIn("lx.officer")
	for _, p := range []string{"/visits", "/visit-batches", path} {
		if r := officer.get(p); r.status != http.StatusForbidden {
			t.Errorf("officer GET %s: %d", p, r.status)
		}
	}
	if r := officer.get("/"); strings.Contains(r.body, `href="/visits"`) {
		t.Error("officer's home links to the visits")
	}
	if r := e.browser().loggedIn("lx.cc").get("/"); !strings.Contains(r.body, `href="/visits"`) {
		t.Error("command centre's home does not link to the visits")
	}
	testdb.Exec(t, e.app.DB, "UPDATE visit_batch_cases SET selected = NOT selected WHERE batch_id = ?", b.ID)
	if r := watch.get(path); !strings.Contains(r.body, "复核未通过") {
		t.Fatal("tampered batch shown as verified")
	}
}

// A visit walked through the pages: SMS, a 不满意 reply, the phone visit
// with 附件3 items, the three bodies' decisions, the on-site record.
// Every visit page is closed to the officer of the case.
func TestVisitWalkAndSecrecy(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "lx.bureau", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, e.app.DB, "lx.group", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, e.app.DB, "lx.office", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	ctx := context.Background()
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: "测试lx.officer", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.app.DB.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, _ := e.app.DB.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	path := fmt.Sprintf("/visits/%d", vs[0].ID)
	act := func(b *browser, form url.Values) {
		t.Helper()
		if r := b.post(path+"/events", form); r.status != http.StatusSeeOther {
			t.Fatalf("%v: %d %s", form, r.status, r.body)
		}
	}
	cc := e.browser().loggedIn("lx.cc")
	if r := cc.get("/visits"); !strings.Contains(r.body, path) || !strings.Contains(r.body, "待回访") {
		t.Fatalf("to-do list: %s", r.body)
	}
	if r := cc.get("/"); !hasTodo(r.body, "开始回访", "（2026）鲁0102执1号 ") || !strings.Contains(r.body, path) {
		t.Fatalf("home to-do: %s", r.body)
	}
	act(cc, url.Values{"event": {"start"}})
	act(cc, url.Values{"event": {"sms_reply"}, "reply": {"不满意！！"}})
	if r := cc.post(path+"/events", url.Values{"event": {"phone_recorded"}, "satisfied": {"yes"}, "item": {"C3.2"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("satisfied with a complaint: %d", r.status)
	}
	act(cc, url.Values{"event": {"phone_recorded"}, "satisfied": {"no"}, "item": {"C3.2", "C1.6"}, "text": {"案款迟迟不发"}})
	r := cc.get(path)
	for _, want := range []string{"不满意！！", "接受当事人吃请", "拖延发放执行款物", "案款迟迟不发", "待会商"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("visit page lacks %q", want)
		}
	}
	if r := e.browser().loggedIn("lx.group").get("/"); !strings.Contains(r.body, "会商回访情况") {
		t.Fatal("the group's home lacks the consultation to-do")
	}
	consult := url.Values{"event": {"consultation"}, "role": {"bureau"}, "consult_date": {e.app.DB.Today().String()}, "conclusion": {"同意实地回访"}}
	for _, b := range visit.ConsultingBodies() {
		consult.Set("participants_"+string(b), b.Label()+"参加人")
		consult.Set("person_"+string(b), b.Label()+"的干部")
	}
	act(e.browser().loggedIn("lx.bureau"), consult)
	act(e.browser().loggedIn("lx.group"), url.Values{"event": {"onsite_recorded"}, "measures": {"约谈承办人"}, "suggestions": {"加强监督"}})
	if r := cc.get(path); !strings.Contains(r.body, "实地回访完成") || !strings.Contains(r.body, "约谈承办人") {
		t.Fatalf("closed visit: %s", r.body)
	}

	// Statistics: the walked visit counts as texted, answered, dissatisfied
	// and escalated to the end; the export agrees.
	r = cc.get("/visit-stats?by=officer")
	for _, want := range []string{"测试lx.officer", "100.0%", "0.0%", "拖延发放执行款物", `id="stats-data"`, "echarts.min."} {
		if !strings.Contains(r.body, want) {
			t.Errorf("statistics page lacks %q", want)
		}
	}
	x := cc.get("/visit-stats.xlsx?by=court")
	xf, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	cells, _ := xf.GetRows("回访统计")
	if len(cells) < 3 || cells[2][0] != "济南市历下区人民法院" || cells[2][1] != "1" || cells[2][10] != "1" {
		t.Fatalf("export rows %v", cells)
	}
	if d, _ := xf.GetRows("不满意事项"); len(d) < 2 || d[0][0] != "类别" || d[1][1] != "（合计）" {
		t.Fatalf("export's second sheet %v", d)
	}

	// The command centre can add a case to the focused visits by hand.
	if r := cc.post(fmt.Sprintf("/cases/%d/focus", vs[0].CaseID), url.Values{"note": {"当事人多次来电"}}); r.status != http.StatusSeeOther {
		t.Fatalf("manual focus: %d %s", r.status, r.body)
	}
	if r := cc.get("/visits?kind=focused"); !strings.Contains(r.body, "执行指挥中心决定重点回访") {
		t.Fatal("manual focused visit not listed")
	}

	// Secrecy, page by page: the officer of the case gets nothing.
	officer := e.browser().loggedIn("lx.officer")
	for _, p := range []string{"/visits", "/visits?step=closed", path, "/visit-batches", "/visit-stats", "/visit-stats.xlsx", path + "/print"} {
		if r := officer.get(p); r.status != http.StatusForbidden || strings.Contains(r.body, "吃请") || strings.Contains(r.body, "王芳") {
			t.Errorf("officer GET %s: %d", p, r.status)
		}
	}
	if r := officer.post(path+"/events", url.Values{"event": {"manual_close"}, "role": {"officer"}, "reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("officer POST events: %d", r.status)
	}
	for _, p := range []string{"/", "/cases", fmt.Sprintf("/cases/%d", vs[0].CaseID)} {
		if r := officer.get(p); strings.Contains(r.body, "吃请") || strings.Contains(r.body, "不满意") || strings.Contains(r.body, "/visits/") {
			t.Errorf("officer's %s shows visit content", p)
		}
	}
}

// The party's one-time link: shows only court and case number, takes the
// whole 附件3 form once, then is gone; the answers print on 附件3.
func TestPartyLinkAndPrint(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	ctx := context.Background()
	no, _ := domain.ParseCaseNo("（2026）鲁0102执7号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: "测试lx.officer", Amount: 123456,
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.app.DB.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, _ := e.app.DB.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	id := vs[0].ID
	cfg := visit.DefaultConfig()
	cfg.PublicURL = "https://zhilian.example.court"
	if _, err := e.app.DB.ApplyVisitEvent(ctx, domain.SystemViewer("t"), id, visit.Event{Kind: visit.EventStart}, cfg); err != nil {
		t.Fatal(err)
	}
	// The stored text shows the link masked; the sender gets the token.
	var stored string
	e.app.DB.WriteDB().QueryRowContext(ctx, "SELECT body FROM sms_outbox").Scan(&stored)
	if !strings.Contains(stored, "/v/"+store.LinkMask+" ") {
		t.Fatalf("stored SMS text %q does not mask the link", stored)
	}
	msgs, err := (&store.SMSOutbox{DB: e.app.DB}).Claim(ctx, "t", 10, time.Now(), time.Now().Add(-time.Hour), 5)
	if err != nil || len(msgs) != 1 {
		t.Fatal(msgs, err)
	}
	body := msgs[0].Body
	i := strings.Index(body, "/v/")
	if i < 0 || !strings.Contains(body, "https://zhilian.example.court/v/") || !strings.Contains(body, "案件是否执行完毕，对案件执行过程是否满意") {
		t.Fatalf("SMS body %q", body)
	}
	token := strings.Fields(body[i+3:])[0]
	party := e.browser()
	r := party.get("/v/" + token)
	if r.status != 200 || !strings.Contains(r.body, "济南市历下区人民法院") || !strings.Contains(r.body, "（2026）鲁0102执7号") {
		t.Fatalf("link page: %d", r.status)
	}
	for _, secret := range []string{"王芳", "测试lx.officer", "1,234.56", "138"} {
		if strings.Contains(r.body, secret) {
			t.Errorf("link page shows %q", secret)
		}
	}
	for _, want := range []string{"与当事人存在“三同”问题", "应移送追究拒执犯罪而未移送", "反映外部非正常干预问题"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("link page lacks %q", want)
		}
	}
	if r := party.post("/v/"+token, url.Values{"item": {"C3.1"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("answer without satisfaction: %d", r.status)
	}
	r = party.post("/v/"+token, url.Values{"satisfied": {"no"}, "item": {"C3.1", "C2.3"}, "text": {"低价拍卖了我的房子"}})
	if r.status != 200 || !strings.Contains(r.body, "感谢您的反馈") {
		t.Fatalf("answer: %d %s", r.status, r.body)
	}
	if r := party.get("/v/" + token); r.status != http.StatusNotFound || !strings.Contains(r.body, "已使用或已过期") {
		t.Fatalf("used link: %d", r.status)
	}
	if r := party.post("/v/"+token, url.Values{"satisfied": {"yes"}}); r.status != http.StatusNotFound {
		t.Fatalf("second answer: %d", r.status)
	}
	vi, _, _ := e.app.DB.VisitByID(ctx, domain.SystemViewer("t"), id)
	if vi.State.Step != visit.StepPhonePending {
		t.Fatalf("visit after the link answer: %s", vi.State.Step)
	}
	var queued int
	e.app.DB.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sms_outbox").Scan(&queued)
	if queued != 1 {
		t.Fatalf("%d messages: the follow-up question is not needed when the form was answered", queued)
	}
	cc := e.browser().loggedIn("lx.cc")
	p := cc.get(fmt.Sprintf("/visits/%d/print", id))
	for _, want := range []string{"执行案件短信回访情况反馈单", "（2026）鲁0102执7号", "王芳", "138****0001", "☑", "低价拍卖了我的房子"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("附件3 print lacks %q", want)
		}
	}
	// The timeline names the link's answer in Chinese, with no empty role.
	if r := cc.get(fmt.Sprintf("/visits/%d", id)); !strings.Contains(r.body, "当事人通过回访链接作答") || strings.Contains(r.body, "link_answer") || strings.Contains(r.body, "（）") {
		t.Errorf("the timeline shows a code or an empty role:\n%s", r.body)
	}
	if r := e.browser().loggedIn("lx.officer").get(fmt.Sprintf("/visits/%d/print", id)); r.status != http.StatusForbidden {
		t.Fatalf("officer prints the visit: %d", r.status)
	}
	if r := cc.get("/forms/annex3"); r.status != 200 || strings.Contains(r.body, "☑") {
		t.Fatalf("blank 附件3: %d", r.status)
	}
	// An unknown token says the same as a used one, and guessing is slowed.
	limited := 0
	for i := 0; i < 40; i++ {
		r := party.get(fmt.Sprintf("/v/guess%d", i))
		if r.status == http.StatusTooManyRequests {
			limited++
		} else if r.status != http.StatusNotFound {
			t.Fatalf("guess: %d", r.status)
		}
	}
	if limited == 0 {
		t.Fatal("40 guesses in a row were not rate-limited")
	}
}

// The visit page shows exactly the buttons visit.Actions allows: the
// bureau may close a visit before the consultation, so it sees the close
// form, and closing works (issue 12: the store allowed it, the page hid
// it); an officer-only viewer sees no form at all.
func TestVisitButtonsFollowActions(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "lx.bureau", "鲁0102", "执行局", domain.RoleBureau)
	ctx := context.Background()
	closedCase(t, e.app.DB, "（2026）鲁0102执31号", "测试lx.officer")
	if _, _, err := e.app.DB.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, _ := e.app.DB.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	page := fmt.Sprintf("/visits/%d", vs[0].ID)
	b := e.browser().loggedIn("lx.bureau")
	r := b.get(page)
	if !strings.Contains(r.body, `name="event" value="manual_close"`) || strings.Contains(r.body, `value="start"`) {
		t.Fatalf("the bureau's buttons on a new visit:\n%s", r.body)
	}
	if r := b.post(page+"/events", url.Values{"event": {"manual_close"}, "role": {"bureau"}, "reason": {"当事人已撤回申请"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the bureau closes: %d %s", r.status, r.body)
	}
	if r := e.browser().loggedIn("lx.cc").get(page); strings.Contains(r.body, `value="manual_close"`) {
		t.Error("a closed visit still offers closing")
	}
}

// 附件3 tells the whole visit (issue 13, point 9): a party who answered
// 不满意 and then texted "1" chose category 1 — it is not a 满意; every
// stage prints on its own sheet with who recorded it, and the
// consultation (recorded once, by the case's court) and the on-site
// measures follow.
func TestAnnex3PrintsEveryStage(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "lx.dg", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, e.app.DB, "jn.dg", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	ctx := context.Background()
	db := e.app.DB
	no, _ := domain.ParseCaseNo("（2026）鲁0102执8号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: "测试lx.officer",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000008"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	id := vs[0].ID
	cfg := visit.DefaultConfig()
	if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("t"), id, visit.Event{Kind: visit.EventStart}, cfg); err != nil {
		t.Fatal(err)
	}
	db.WriteDB().ExecContext(ctx, "UPDATE sms_outbox SET status = 'delivered'")
	// 不满意 queues the follow-up; the "1" that comes before its receipt
	// answers the follow-up, not the first question.
	for _, body := range []string{"不满意", "1"} {
		if got, err := db.ReceiveReply(ctx, "13800000008", body, time.Now(), cfg); err != nil || got != id {
			t.Fatalf("reply %q: visit %d, %v", body, got, err)
		}
	}
	var sat sql.NullBool
	db.WriteDB().QueryRowContext(ctx, db.Rebind("SELECT satisfied FROM visits WHERE id = ?"), id).Scan(&sat)
	if !sat.Valid || sat.Bool {
		t.Fatalf("the visit counts as satisfied %v after 不满意 and \"1\"", sat)
	}
	cc := e.browser().loggedIn("lx.cc")
	if r := cc.post(fmt.Sprintf("/visits/%d/events", id), url.Values{"event": {"phone_recorded"}, "satisfied": {"no"}, "item": {"C1.6"}, "text": {"电话中仍表示不满意"}}); r.status != http.StatusSeeOther {
		t.Fatalf("phone visit: %d %s", r.status, r.body)
	}
	consult := url.Values{"event": {"consultation"}, "role": {"discipline_group"}, "consult_date": {db.Today().String()}, "conclusion": {"三家会商，派员实地回访"}}
	for _, b := range visit.ConsultingBodies() {
		consult.Set("participants_"+string(b), b.Label()+"参加人")
		consult.Set("person_"+string(b), b.Label()+"回访人")
	}
	// The higher court's watchdog sees the visit and its form, but the
	// consultation is not his to record.
	higher := e.browser().loggedIn("jn.dg")
	if r := higher.get(fmt.Sprintf("/visits/%d", id)); r.status != 200 || strings.Contains(r.body, `value="consultation"`) {
		t.Fatalf("the higher watchdog's visit page: %d", r.status)
	}
	if r := higher.get("/"); strings.Contains(r.body, "会商回访情况") {
		i := strings.Index(r.body, "会商回访情况")
		t.Fatalf("the higher watchdog has the lower court's consultation on his to-do list: %s", r.body[max(0, i-300):i+100])
	}
	if r := dgHome(e); !strings.Contains(r, "会商回访情况") {
		t.Fatal("the court's own watchdog lacks the consultation to-do")
	}
	if r := higher.post(fmt.Sprintf("/visits/%d/events", id), consult); r.status != http.StatusForbidden {
		t.Fatalf("the higher watchdog records the consultation: %d", r.status)
	}
	dg := e.browser().loggedIn("lx.dg")
	bad := url.Values{}
	for k, v := range consult {
		bad[k] = v
	}
	bad.Set("person_supervision_office", "")
	if r := dg.post(fmt.Sprintf("/visits/%d/events", id), bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写监察室指派的实地回访人员") {
		t.Fatalf("consultation without the office's person: %d", r.status)
	}
	// From the visit page, the form comes back with what was typed and the
	// message beside the empty field, under no other field (issue 17).
	from := fmt.Sprintf("/visits/%d", id)
	r := dg.postFrom(from, from+"/events", bad)
	refilledForm(t, r, from, []string{`<p class="field-error" id="err-person_supervision_office">请填写监察室指派的实地回访人员</p>`},
		[]string{`>三家会商，派员实地回访</textarea>`, `value="` + visit.ConsultingBodies()[0].Label() + `回访人"`, `value="` + visit.ConsultingBodies()[2].Label() + `参加人"`})
	if strings.Count(r.body, `class="field-error"`) != 1 || strings.Contains(r.body, "会商意见") {
		t.Errorf("the empty person's message is shown elsewhere too:\n%s", r.body)
	}
	if r := dg.post(fmt.Sprintf("/visits/%d/events", id), consult); r.status != http.StatusSeeOther {
		t.Fatalf("consultation: %d %s", r.status, r.body)
	}
	if r := dg.post(fmt.Sprintf("/visits/%d/events", id), url.Values{"event": {"onsite_recorded"}, "measures": {"约谈承办人"}, "suggestions": {"完善案款发放提醒"},
		"satisfied": {"yes"}, "text": {"实地回访后表示满意"}}); r.status != http.StatusSeeOther {
		t.Fatalf("on-site: %d %s", r.status, r.body)
	}
	p := cc.get(fmt.Sprintf("/visits/%d/print", id))
	sheets := strings.Split(p.body, `<main class="sheet`)[1:]
	if len(sheets) != 5 {
		t.Fatalf("%d sheets, want four stages and the follow-up:\n%s", len(sheets), p.body)
	}
	for i, want := range []struct{ title, checked, notChecked string }{
		{"第1次 短信回复", "☑</span>2、不满意", "☑</span>1、满意"},
		{"第2次 短信回复（不满意事项）", "☑</span>1、", "☑</span>1、满意"},
		{"第3次 电话回访", "☑</span>2、不满意", "☑</span>1、满意"},
		{"第4次 实地回访", "☑</span>1、满意", "☑</span>2、不满意"},
	} {
		if !strings.Contains(sheets[i], want.title) || !strings.Contains(sheets[i], want.checked) || strings.Contains(sheets[i], want.notChecked) {
			t.Errorf("sheet %d lacks %q / %q or shows %q:\n%s", i+1, want.title, want.checked, want.notChecked, sheets[i])
		}
	}
	if !strings.Contains(sheets[2], "测试lx.cc") || !strings.Contains(sheets[0], "当事人自行答复") {
		t.Error("the sheets do not say who recorded them")
	}
	if strings.Contains(p.body, "（lx.cc）") || strings.Contains(p.body, "（lx.dg）") {
		i := strings.Index(p.body, "（lx.")
		t.Errorf("the print names a recorder by username: %s", p.body[max(0, i-300):i+50])
	}
	if !strings.Contains(p.body, `<button type="button" class="btn-print" data-print>打印</button>`) || !strings.Contains(p.body, "/static/print.") {
		t.Error("the print has no 打印 button")
	}
	for _, want := range []string{"会商结论", "三家会商，派员实地回访", "监察室回访人", "工作措施", "约谈承办人", "完善案款发放提醒", "实地回访完成"} {
		if !strings.Contains(sheets[4], want) {
			t.Errorf("the follow-up sheet lacks %q", want)
		}
	}
}

// dgHome is the home page of 鲁0102's discipline group in the print test.
func dgHome(e *env) string { return e.browser().loggedIn("lx.dg").get("/").body }

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/trip"
)

// A trip through the pages: registered by the officer, the head's
// requirement, 附件1 with a 有 answer, the alert on the head's and the
// group's home pages, their handling, the printed form. The officer never
// sees the review.
func TestTripPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	clock := time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing)
	db.Now = func() time.Time { return clock }
	testdb.AddUser(t, db, "lx.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "lx.head", "鲁0102", "执行一庭", domain.RoleDeptHead)
	testdb.AddUser(t, db, "lx.group", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "lx.other", "鲁0102", "执行二庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "lx.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), Officer: "测试lx.off", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}

	off := e.browser().loggedIn("lx.off")
	// The form carries no divisions: the picker fetches them.
	if r := off.get("/trips/new"); r.status != 200 || !strings.Contains(r.body, `data-divisions="/divisions.json"`) || strings.Contains(r.body, "370203") || len(r.body) > 40000 {
		t.Fatalf("new trip form: %d, %d bytes", r.status, len(r.body))
	}
	// A name typed, not picked, is taken.
	form := url.Values{"cases": {"(2026)鲁0102执1号"}, "destination": {"青岛市市北区"}, "depart_at": {"2026-09-29T08:00"}, "return_at": {"2026-09-30T18:00"},
		"companions": {"李四"}, "task": {"查封被执行人房产"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("destination", "青岛")
	if r := off.post("/trips", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请从列表中选择目的地") || !strings.Contains(r.body, "查封被执行人房产") {
		t.Fatalf("bad destination: %d", r.status)
	}
	// Several mistakes at once: each is marked beside its field, and the
	// offending lines stay as typed (issue 17).
	bad.Set("cases", "(2026)鲁0102执1号\n执行九九号")
	bad.Set("return_at", "2026-09-28T08:00")
	bad.Set("task", "")
	refilledForm(t, off.postFrom("/trips/new", "/trips", bad), "/trips/new",
		[]string{`id="err-cases">案号无法识别：执行九九号</p>`, `id="err-destination">请从列表中选择目的地`, `id="err-return_at">返回时间应晚于出发时间</p>`, `id="err-task">请填写执行的任务`},
		[]string{"执行九九号</textarea>", `value="青岛"`, `value="2026-09-28T08:00"`, `value="李四"`})
	r := off.post("/trips", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	path := r.header.Get("Location")
	if r := off.get(path); !strings.Contains(r.body, "本法院辖区之外，须报告") || !strings.Contains(r.body, "2026-10-10") {
		t.Fatalf("trip page: %s", r.body)
	}

	head := e.browser().loggedIn("lx.head")
	if r := head.get("/"); !hasTodo(r.body, "提出纪律要求", "测试lx.off赴山东省青岛市市北区（") {
		t.Fatal("the head's home lacks the requirement to-do")
	}
	// A mistake is marked beside its field, the input kept (issue 17).
	r = head.postFrom(path, path+"/requirement", url.Values{"_form": {"requirement"}, "content": {"不得接受当事人吃请"}, "leader": {"张局长"}})
	refilledForm(t, r, path, []string{`<p class="field-error" id="err-given">请选择是否提出纪律要求`}, []string{`>不得接受当事人吃请</textarea>`, `value="张局长"`})
	// Nothing recorded yet prints neither box ticked, not ☑无.
	if r := off.get(path + "/print"); r.status != 200 || !strings.Contains(r.body, "有 无<br>☐ ☐</span><span>领导提出纪律要求") {
		t.Errorf("the unrecorded requirement prints ticked: %d", r.status)
	}
	if r := head.post(path+"/requirement", url.Values{"given": {"yes"}, "content": {"不得接受当事人吃请"}}); r.status != http.StatusSeeOther {
		t.Fatalf("requirement: %d %s", r.status, r.body)
	}
	if r := e.browser().loggedIn("lx.other").get(path); r.status != http.StatusNotFound {
		t.Errorf("another department's officer sees the trip: %d", r.status)
	}

	clock = time.Date(2026, 10, 9, 9, 0, 0, 0, domain.Beijing)
	off = e.browser().loggedIn("lx.off") // sessions ended with the days gone by
	head = e.browser().loggedIn("lx.head")
	if r := off.get("/"); !hasTodo(r.body, "填写外出执行情况报告单", "赴山东省青岛市市北区（") {
		t.Fatalf("the officer's home lacks the report to-do: %s", r.body)
	}
	report := url.Values{"returned_on": {"2026-09-30"}, "explanation": {"返程搭乘申请人车辆"}}
	for _, it := range trip.Items {
		report.Set(it.Code, "no")
	}
	report.Set("T1", "yes")
	kc, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), no.String())
	caseField := fmt.Sprintf("case_%d", kc.ID)
	if r := off.get(path); !strings.Contains(r.body, `name="`+caseField+`"`) || !strings.Contains(r.body, "案件执行情况") {
		t.Fatal("the report form asks no 案件执行情况")
	}
	if r := off.post(path+"/report", report); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "以上情况真实准确") {
		t.Fatalf("unsigned report: %d", r.status)
	}
	report.Set("_form", "report")
	explanation := report.Get("explanation")
	report.Set("explanation", "返程途中说明")
	refilledForm(t, off.postFrom(path, path+"/report", report), path, []string{`<p class="field-error" id="err-attest">请确认`},
		[]string{`>返程途中说明</textarea>`, `aria-invalid="true" aria-describedby="err-attest"`})
	report.Set("explanation", explanation)
	report.Set("attest", "yes")
	report.Set("password", "not-my-password")
	if r := off.post(path+"/report", report); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "签名密码不正确") {
		t.Fatalf("signed with a wrong password: %d", r.status)
	}
	if _, reports, _ := db.TripByID(ctx, domain.SystemViewer("t"), tripID(t, path)); len(reports) != 0 {
		t.Fatal("a report filed with a wrong password")
	}
	report.Set("password", testdb.Password)
	if r := off.post(path+"/report", report); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写（2026）鲁0102执1号的案件执行情况") ||
		!strings.Contains(r.body, "返程搭乘申请人车辆") {
		t.Fatalf("a report without 案件执行情况: %d", r.status)
	}
	report.Set(caseField, "查封被执行人名下房产一处，已送达查封裁定")
	if r := off.post(path+"/report", report); r.status != http.StatusSeeOther {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	if r := off.get(path); !strings.Contains(r.body, "签名有效") || !strings.Contains(r.body, "<strong>有</strong>") || strings.Contains(r.body, "报告审查") ||
		!strings.Contains(r.body, "已送达查封裁定") {
		t.Fatalf("the officer's trip page after the report: %s", r.body)
	}
	// Filed: the 补报 form is folded away, and nothing asks for one.
	if r := off.get(path); !strings.Contains(r.body, `<details class="supplement-form">`) || strings.Contains(r.body, `id="supplement-asked"`) {
		t.Error("after filing, the supplement form is not folded, or a supplement is asked")
	}
	// A review that found the report contradicted asks for a truthful
	// supplement: the officer is told so, without a word of what
	// contradicted it, and the form opens.
	tripID := strings.TrimPrefix(path, "/trips/")
	if _, err := e.app.DB.WriteDB().Exec(e.rebind(`INSERT INTO trip_reviews (trip_id, court_id, officer_id, report_id, reason, detail, opened_at)
		SELECT t.id, t.court_id, r.officer_id, r.id, 'contradicted', '当事人反映往返车费由其报销', ? FROM trips t JOIN trip_reports r ON r.trip_id = t.id WHERE t.id = ?`),
		e.app.DB.Now(), tripID); err != nil {
		t.Fatal(err)
	}
	if r := off.get(path); !strings.Contains(r.body, `id="supplement-asked"`) || !strings.Contains(r.body, `<details class="supplement-form" open>`) ||
		strings.Contains(r.body, "车费由其报销") {
		t.Error("the officer asked to supplement is not told, the form stays folded, or what contradicted the report shows")
	}
	if _, err := e.app.DB.WriteDB().Exec(e.rebind("DELETE FROM trip_reviews WHERE reason = 'contradicted' AND trip_id = ?"), tripID); err != nil {
		t.Fatal(err)
	}

	// The alert reaches the head and the group at once.
	if r := head.get("/"); !hasTodo(r.body, "处理外出报告（报告单有“有”项）", "测试lx.off") {
		t.Fatal("the head's home lacks the alert")
	}
	group := e.browser().loggedIn("lx.group")
	r = group.get("/")
	if !hasTodo(r.body, "审查外出报告（报告单有“有”项）", "测试lx.off") {
		t.Fatal("the group's home lacks the alert")
	}
	review := regexp.MustCompile(`/trip-reviews/(\d+)`).FindStringSubmatch(r.body)
	if review == nil {
		t.Fatal("no review link")
	}
	// The head's talk reminder is a record: date, place, content, the
	// officer's statement.
	talk := url.Values{"talk_on": {"2026-10-09"}, "talk_place": {"执行一庭办公室"}, "talk_content": {"已谈话提醒"}, "back": {path}}
	if r := head.post(review[0]+"/talk", talk); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写本人陈述") {
		t.Fatalf("a talk without the officer's statement: %d", r.status)
	}
	talk.Set("talk_statement", "本人已自行支付车费")
	if r := head.post(review[0]+"/talk", talk); r.status != http.StatusSeeOther {
		t.Fatalf("head's talk: %d %s", r.status, r.body)
	}
	if r := head.get(path); !strings.Contains(r.body, "执行一庭办公室") || !strings.Contains(r.body, "本人已自行支付车费") || !strings.Contains(r.body, "谈话日期") {
		t.Fatal("the head's trip page lacks the talk record")
	}
	if r := group.post(review[0]+"/conclude", url.Values{"text": {"费用已自行承担，予以提醒"}}); r.status != http.StatusSeeOther {
		t.Fatalf("conclusion: %d %s", r.status, r.body)
	}
	if r := group.get(path); !strings.Contains(r.body, "已谈话提醒") || !strings.Contains(r.body, "费用已自行承担") {
		t.Fatal("the group's trip page lacks the handling")
	}
	// Secrecy: the officer sees neither the review nor its conclusion.
	for _, p := range []string{"/", "/trips", path, "/trip-reviews", review[0], path + "/print"} {
		r := off.get(p)
		if strings.Contains(r.body, "已谈话提醒") || strings.Contains(r.body, "予以提醒") || strings.Contains(r.body, "审查外出报告") || strings.Contains(r.body, "执行一庭办公室") {
			t.Errorf("the officer's %s shows the review (%d)", p, r.status)
		}
	}
	if r := off.get("/trip-reviews"); r.status != http.StatusForbidden {
		t.Errorf("the officer lists reviews: %d", r.status)
	}
	if r := e.browser().loggedIn("lx.admin").get("/trips"); r.status != http.StatusForbidden {
		t.Errorf("the admin lists trips: %d", r.status)
	}

	// The printed 附件1, filled; the blank forms.
	r = off.get(path + "/print")
	for _, want := range []string{"济南市历下区人民法院执行工作人员外出执行情况报告单", "山东省青岛市市北区", "☑ ☐", trip.Annex1Attestation, "签名：", "测试lx.off", "SHA-256",
		"案件执行情况", "（2026）鲁0102执1号：查封被执行人名下房产一处，已送达查封裁定"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("附件1 lacks %q", want)
		}
	}
	// A trip that will not happen is cancelled by its officer before
	// departure and owes nothing; nobody else cancels it.
	form.Set("destination", "110105")
	form.Set("depart_at", "2026-10-12T08:00")
	form.Set("return_at", "2026-10-13T18:00")
	r = off.post("/trips", form)
	later := r.header.Get("Location")
	if r := head.post(later+"/cancel", url.Values{"reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("the head cancels the officer's trip: %d", r.status)
	}
	if r := off.post(later+"/cancel", url.Values{"reason": {""}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("cancel without a reason: %d", r.status)
	}
	refilledForm(t, off.postFrom(later, later+"/cancel", url.Values{"_form": {"cancel"}, "reason": {strings.Repeat("长", 201)}}), later,
		[]string{`<p class="field-error" id="err-reason">请填写取消原因`}, []string{`value="` + strings.Repeat("长", 201) + `"`})
	if r := off.post(later+"/cancel", url.Values{"reason": {"案件已和解"}}); r.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", r.status, r.body)
	}
	if r := off.get(later); !strings.Contains(r.body, "已取消") || strings.Contains(r.body, `name="T1"`) || !strings.Contains(r.body, "案件已和解") {
		t.Error("the cancelled trip still asks for a report")
	}
	if r := off.post(path+"/cancel", url.Values{"reason": {"x"}}); r.status != http.StatusConflict {
		t.Errorf("cancelling a reported trip: %d", r.status)
	}
	// One past its departure: the officer may not cancel it, the head
	// marks it 未成行 and it stays in the figures.
	form.Set("depart_at", "2026-10-08T08:00")
	form.Set("return_at", "2026-10-08T18:00")
	// A trip in the past is taken only as a confirmed 补登 (issue 17).
	if r := off.post("/trips", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "如确为补登") || !strings.Contains(r.body, `name="backfill"`) {
		t.Fatalf("a past trip without 确认补登: %d", r.status)
	}
	form.Set("backfill", "yes")
	r = off.post("/trips", form)
	form.Del("backfill")
	gone := r.header.Get("Location")
	if r := off.get(gone); strings.Contains(r.body, "取消该外出") {
		t.Error("the officer is offered to cancel a trip past its departure")
	}
	if r := off.post(gone+"/cancel", url.Values{"reason": {"未去"}}); r.status != http.StatusConflict || !strings.Contains(r.body, "未成行") {
		t.Errorf("the officer cancels a trip past its departure: %d", r.status)
	}
	if r := head.get(gone); !strings.Contains(r.body, "标记未成行") {
		t.Error("the head is not offered to mark the trip 未成行")
	}
	if r := head.post(gone+"/cancel", url.Values{"reason": {""}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写未成行的原因") {
		t.Errorf("未成行 without a reason: %d", r.status)
	}
	if r := head.post(gone+"/cancel", url.Values{"reason": {"当日改派他人，本人未成行"}}); r.status != http.StatusSeeOther {
		t.Fatalf("未成行: %d %s", r.status, r.body)
	}
	if r := off.get(gone); !strings.Contains(r.body, "未成行") || !strings.Contains(r.body, "当日改派他人") || strings.Contains(r.body, `name="T1"`) {
		t.Error("the trip marked 未成行")
	}

	// 一岗双责: two trips (one 未成行, marked before its due date), the
	// requirement before departure of one, reported on time.
	r = head.get("/trips/accountability?year=2026")
	flat := strings.Join(strings.Fields(r.body), "")
	if !strings.Contains(r.body, "测试lx.head") || !strings.Contains(flat, `<tdclass="col-num">2</td><tdclass="col-num">1</td><tdclass="col-num">1</td><tdclass="col-num">0</td><tdclass="col-num">0</td>`) ||
		!strings.Contains(r.body, "未成行") {
		t.Fatalf("accountability: %s", r.body)
	}
	x := head.get("/trips/accountability.xlsx?year=2026")
	xf, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	cells, _ := xf.GetRows("一岗双责")
	if len(cells) != 3 || cells[2][1] != "执行一庭" || cells[2][3] != "2" || cells[1][4] != "外出人次" || cells[2][4] != "2" || cells[2][6] != "1" || cells[1][11] != "未成行" || cells[2][11] != "1" {
		t.Fatalf("export %v", cells)
	}
	if r := head.get("/trips/accountability?year=2026&print=1"); !strings.Contains(r.body, "一岗双责”情况汇总（2026年）") {
		t.Fatal("the printable duty summary")
	}
	if r := off.get("/trips/accountability"); r.status != http.StatusForbidden {
		t.Errorf("the officer reads the accountability: %d", r.status)
	}
	if r := off.get("/trips/mapping"); !strings.Contains(r.body, "接受当事人吃请") || !strings.Contains(r.body, "是否接受有关单位、人员的礼品礼金") {
		t.Error("the mapping page")
	}
	for _, p := range []string{"/forms/annex1", "/forms/annex2"} {
		if r := off.get(p); r.status != 200 || !strings.Contains(r.body, "本人愿承担一切责任") {
			t.Errorf("%s: %d", p, r.status)
		}
	}
}

func tripID(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(path, "/trips/%d", &id); err != nil {
		t.Fatalf("trip path %q: %v", path, err)
	}
	return id
}

// 附件2 through the pages: the officer of a closed case files it with a
// password signature, 未做到 needs what; a colleague sees none of it.
func TestAnnex2Page(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	testdb.AddUser(t, db, "lx.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "lx.other", "鲁0102", "执行二庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "lx.office", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执9号", domain.DefaultCaseTypes)
	today := db.Today()
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: today.AddDays(-3), ClosingMode: "执行完毕", Officer: "测试lx.off", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	c, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), no.String())
	path := fmt.Sprintf("/annex2/%d", c.ID)
	off := e.browser().loggedIn("lx.off")
	if r := off.get("/"); !hasTodo(r.body, "填写全程廉洁情况报告单", "（2026）鲁0102执9号") || !strings.Contains(r.body, path) {
		t.Fatal("the officer's home lacks the 附件2 to-do")
	}
	if r := off.get(path); !strings.Contains(r.body, trip.Annex2Statement) || !strings.Contains(r.body, "sign-pw") {
		t.Fatalf("the form: %d", r.status)
	}
	form := url.Values{"fulfilled": {"no"}, "attest": {"yes"}, "password": {testdb.Password}}
	if r := off.post(path, form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "未做到的，请在说明事项中写明违反的事项") {
		t.Fatalf("未做到 without what: %d", r.status)
	}
	form.Set("explanation", "曾接受当事人土特产，已退还")
	form.Set("password", "wrong")
	if r := off.post(path, form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "签名密码不正确") {
		t.Fatalf("wrong password: %d", r.status)
	}
	form.Set("password", testdb.Password)
	if r := off.post(path, form); r.status != http.StatusSeeOther {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	if r := off.get(path); !strings.Contains(r.body, "<strong>未做到</strong>") || !strings.Contains(r.body, "签名有效") || strings.Contains(r.body, "报告审查") {
		t.Fatalf("after filing: %s", r.body)
	}
	if r := off.get(path + "/print"); !strings.Contains(r.body, "济南市历下区人民法院执行工作人员案件执行全程廉洁情况报告单") || !strings.Contains(r.body, "未做到（√）") {
		t.Errorf("附件2 print: %d", r.status)
	}
	if r := e.browser().loggedIn("lx.office").get(path); !strings.Contains(r.body, "全程廉洁报告“未做到”") || !strings.Contains(r.body, "已退还") {
		t.Error("the supervision office does not see the review")
	}
	if r := e.browser().loggedIn("lx.other").get(path); strings.Contains(r.body, "已退还") || strings.Contains(r.body, "签名有效") {
		t.Error("a colleague sees the report")
	}
}

// A department head's own trip through the pages (issue 13 point 12): his
// department's other head is not asked for his requirement, the court's
// bureau is, and gives it.
func TestHeadOwnTripPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	db.Now = func() time.Time { return time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing) }
	testdb.AddUser(t, db, "lx.head", "鲁0102", "执行一庭", domain.RoleDeptHead)
	testdb.AddUser(t, db, "lx.cohead", "鲁0102", "执行一庭", domain.RoleDeptHead)
	testdb.AddUser(t, db, "lx.bureau", "鲁0102", "执行局", domain.RoleBureau)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), Officer: "测试lx.head", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	head := e.browser().loggedIn("lx.head")
	r := head.post("/trips", url.Values{"cases": {no.String()}, "destination": {"370203"}, "depart_at": {"2026-09-29T08:00"}, "return_at": {"2026-09-30T18:00"},
		"task": {"查封被执行人房产"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	path := r.header.Get("Location")
	if r := head.get(path); !strings.Contains(r.body, "本院执行局领导尚未登记") {
		t.Fatal("the head's trip page does not say who gives the requirement")
	}
	cohead := e.browser().loggedIn("lx.cohead")
	if r := cohead.get("/"); hasTodo(r.body, "提出纪律要求", "测试lx.head") {
		t.Error("the co-head is asked for the head's requirement")
	}
	if r := cohead.post(path+"/requirement", url.Values{"given": {"yes"}, "content": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("the co-head gives the head's requirement: %d", r.status)
	}
	bureau := e.browser().loggedIn("lx.bureau")
	if r := bureau.get("/"); !hasTodo(r.body, "提出纪律要求", "测试lx.head赴山东省青岛市市北区") {
		t.Fatal("the bureau's home lacks the requirement to-do")
	}
	if r := bureau.post(path+"/requirement", url.Values{"given": {"yes"}, "content": {"严守办案纪律"}, "leader": {"王局长"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the bureau's requirement: %d %s", r.status, r.body)
	}
	if r := head.get(path); !strings.Contains(r.body, "领导姓名：王局长") {
		t.Error("the head's trip page lacks the bureau's requirement")
	}
	if r := head.get(path + "/print"); !strings.Contains(r.body, "<br>☑ ☐</span>") {
		t.Error("附件1 lacks the requirement")
	}
}

// A trip to several places (issue 13, point 15): the form takes them in
// order, blanks left out; the trip page says of each whether it lies
// outside the jurisdiction, and one outside makes the trip reportable.
func TestTripSeveralDestinationsPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	db.Now = func() time.Time { return time.Date(2026, 9, 28, 10, 0, 0, 0, domain.Beijing) }
	testdb.AddUser(t, db, "lx.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), Officer: "测试lx.off", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	off := e.browser().loggedIn("lx.off")
	if r := off.get("/trips/new"); strings.Count(r.body, `name="destination"`) < 2 {
		t.Fatalf("the form offers %d destination boxes", strings.Count(r.body, `name="destination"`))
	}
	form := url.Values{"cases": {no.String()}, "destination": {"370102", "", "370203", ""}, "depart_at": {"2026-09-29T08:00"}, "return_at": {"2026-09-30T18:00"},
		"task": {"查封被执行人房产"}}
	r := off.post("/trips", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	page := off.get(r.header.Get("Location")).body
	for _, want := range []string{"山东省济南市历下区（本院辖区之内）", "山东省青岛市市北区（本院辖区之外）", "本法院辖区之外，须报告"} {
		if !strings.Contains(page, want) {
			t.Errorf("trip page lacks %q", want)
		}
	}
	form["destination"] = []string{"370203", "370203"}
	if r := off.post("/trips", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "重复") {
		t.Fatalf("a destination twice: %d", r.status)
	}
}

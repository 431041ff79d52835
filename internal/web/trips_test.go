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
	if r := off.get("/trips/new"); r.status != 200 || !strings.Contains(r.body, `<option value="370203">山东省青岛市市北区</option>`) {
		t.Fatalf("new trip form: %d", r.status)
	}
	form := url.Values{"cases": {"(2026)鲁0102执1号"}, "destination": {"370203"}, "depart_at": {"2026-09-29T08:00"}, "return_at": {"2026-09-30T18:00"},
		"companions": {"李四"}, "task": {"查封被执行人房产"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("destination", "青岛")
	if r := off.post("/trips", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请从列表中选择目的地") || !strings.Contains(r.body, "查封被执行人房产") {
		t.Fatalf("bad destination: %d", r.status)
	}
	r := off.post("/trips", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	path := r.header.Get("Location")
	if r := off.get(path); !strings.Contains(r.body, "本法院辖区之外，须报告") || !strings.Contains(r.body, "2026-10-10") {
		t.Fatalf("trip page: %s", r.body)
	}

	head := e.browser().loggedIn("lx.head")
	if r := head.get("/"); !strings.Contains(r.body, "提出纪律要求：测试lx.off 赴山东省青岛市市北区") {
		t.Fatal("the head's home lacks the requirement to-do")
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
	if r := off.get("/"); !strings.Contains(r.body, "填写外出执行情况报告单：山东省青岛市市北区") {
		t.Fatalf("the officer's home lacks the report to-do: %s", r.body)
	}
	report := url.Values{"returned_on": {"2026-09-30"}, "explanation": {"返程搭乘申请人车辆"}}
	for _, it := range trip.Items {
		report.Set(it.Code, "no")
	}
	report.Set("T1", "yes")
	if r := off.post(path+"/report", report); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "以上情况真实准确") {
		t.Fatalf("unsigned report: %d", r.status)
	}
	report.Set("attest", "yes")
	report.Set("password", "not-my-password")
	if r := off.post(path+"/report", report); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "签名密码不正确") {
		t.Fatalf("signed with a wrong password: %d", r.status)
	}
	if _, reports, _ := db.TripByID(ctx, domain.SystemViewer("t"), tripID(t, path)); len(reports) != 0 {
		t.Fatal("a report filed with a wrong password")
	}
	report.Set("password", testdb.Password)
	if r := off.post(path+"/report", report); r.status != http.StatusSeeOther {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	if r := off.get(path); !strings.Contains(r.body, "签名有效") || !strings.Contains(r.body, "<strong>有</strong>") || strings.Contains(r.body, "报告审查") {
		t.Fatalf("the officer's trip page after the report: %s", r.body)
	}

	// The alert reaches the head and the group at once.
	if r := head.get("/"); !strings.Contains(r.body, "处理外出报告（报告单有“有”项）：测试lx.off") {
		t.Fatal("the head's home lacks the alert")
	}
	group := e.browser().loggedIn("lx.group")
	r = group.get("/")
	if !strings.Contains(r.body, "审查外出报告（报告单有“有”项）：测试lx.off") {
		t.Fatal("the group's home lacks the alert")
	}
	review := regexp.MustCompile(`/trip-reviews/(\d+)`).FindStringSubmatch(r.body)
	if review == nil {
		t.Fatal("no review link")
	}
	if r := head.post(review[0]+"/note", url.Values{"text": {"已谈话提醒"}, "back": {path}}); r.status != http.StatusSeeOther {
		t.Fatalf("head's note: %d %s", r.status, r.body)
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
		if strings.Contains(r.body, "已谈话提醒") || strings.Contains(r.body, "予以提醒") || strings.Contains(r.body, "审查外出报告") {
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
	for _, want := range []string{"济南市历下区人民法院执行工作人员外出执行情况报告单", "山东省青岛市市北区", "☑ ☐", trip.Annex1Attestation, "签名：", "测试lx.off", "SHA-256"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("附件1 lacks %q", want)
		}
	}
	// A trip that did not happen is cancelled by its officer and owes
	// nothing; nobody else cancels it.
	form.Set("destination", "110105")
	r = off.post("/trips", form)
	other := r.header.Get("Location")
	if r := head.post(other+"/cancel", url.Values{"reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("the head cancels the officer's trip: %d", r.status)
	}
	if r := off.post(other+"/cancel", url.Values{"reason": {""}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("cancel without a reason: %d", r.status)
	}
	if r := off.post(other+"/cancel", url.Values{"reason": {"案件已和解，未成行"}}); r.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", r.status, r.body)
	}
	if r := off.get(other); !strings.Contains(r.body, "已取消") || strings.Contains(r.body, `name="T1"`) {
		t.Error("the cancelled trip still asks for a report")
	}
	if r := off.post(path+"/cancel", url.Values{"reason": {"x"}}); r.status != http.StatusConflict {
		t.Errorf("cancelling a reported trip: %d", r.status)
	}

	// 一岗双责: one trip, requirement before departure, reported on time.
	r = head.get("/trips/accountability?year=2026")
	flat := strings.Join(strings.Fields(r.body), "")
	if !strings.Contains(r.body, "测试lx.head") || !strings.Contains(flat, `<tdclass="col-num">1</td><tdclass="col-num">1</td><tdclass="col-num">1</td><tdclass="col-num">0</td>`) {
		t.Fatalf("accountability: %s", r.body)
	}
	x := head.get("/trips/accountability.xlsx?year=2026")
	xf, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	cells, _ := xf.GetRows("一岗双责")
	if len(cells) != 3 || cells[2][1] != "执行一庭" || cells[2][3] != "1" || cells[2][5] != "1" {
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
	if r := off.get("/"); !strings.Contains(r.body, "填写全程廉洁情况报告单：（2026）鲁0102执9号") || !strings.Contains(r.body, path) {
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

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

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// userID finds a user by username.
func userID(t *testing.T, e *env, username string) int64 {
	t.Helper()
	var id int64
	if err := e.app.DB.WriteDB().QueryRow(e.rebind("SELECT id FROM users WHERE username = ?"), username).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return id
}

// startWork puts case caseID under tracking, as the consultation and the
// forming of the group would (the other pages of mechanism 1), with the
// group's period from..to; the first member leads.
func startWork(t *testing.T, e *env, caseID int64, from, to domain.Date, members ...int64) int64 {
	t.Helper()
	db := e.app.DB
	id, err := db.OpenTracking(context.Background(), domain.SystemViewer("t"), caseID, from.AddDays(-20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.WriteDB().Exec(e.rebind(`UPDATE trackings SET state = 'tracking', decided_at = ?, decided_by = 'consultation', group_from = ?, group_to = ?,
		plan = '方案', started_at = ? WHERE id = ?`), db.Now().Add(-48*time.Hour), from, to, db.Now(), id); err != nil {
		t.Fatal(err)
	}
	roles := []domain.Role{domain.RoleDisciplineGroup, domain.RoleBureau, domain.RoleSupervisionOffice}
	for i, m := range members {
		var role string
		if err := db.WriteDB().QueryRow(e.rebind("SELECT role FROM user_roles WHERE user_id = ? ORDER BY role LIMIT 1"), m).Scan(&role); err != nil {
			role = string(roles[i%3])
		}
		if _, err := db.WriteDB().Exec(e.rebind("INSERT INTO tracking_members (tracking_id, user_id, role, leader) VALUES (?, ?, ?, ?)"), id, m, role, i == 0); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// closedTrackingFixture is, for the route matrix, a second case of the
// court at code under tracking whose group (at 鲁01 the matrix's own
// bureau and watchdogs; elsewhere the court's) closed it with its report.
func closedTrackingFixture(t *testing.T, e *env, code string, i int) int64 {
	t.Helper()
	ctx := context.Background()
	db := e.app.DB
	no, _ := domain.ParseCaseNo(fmt.Sprintf("（2026）%s执2号", code), domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), Officer: fmt.Sprintf("测试fx.off%d", i), Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "李四"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	members := []int64{userID(t, e, fmt.Sprintf("fx.grp%d", i)), userID(t, e, fmt.Sprintf("fx.bur%d", i))}
	if i == 0 {
		members = []int64{userID(t, e, "m.discipline_group"), userID(t, e, "m.bureau"), userID(t, e, "m.supervision_office")}
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	id := startWork(t, e, k.ID, today.AddDays(-30), today.AddDays(30), members...)
	if _, err := db.WriteDB().Exec(e.rebind("UPDATE trackings SET state = 'closed', closed_at = ? WHERE id = ?"), db.Now(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.WriteDB().Exec(e.rebind(`INSERT INTO tracking_closings (tracking_id, closed_on, summary, conclusions, by_name, at) VALUES (?, ?, '矩阵测试', '矩阵测试', '组长', ?)`),
		id, today, db.Now()); err != nil {
		t.Fatal(err)
	}
	return id
}

// The working group's page through the browser: a member writes a
// record, confirms a node, asks a party, recommends to a department, and
// the leader closes with the report; and at every step the officer of
// the case and his department head get nothing of it — not the page, not
// the report, not the case page, not the home page — but the head sees
// the recommendation addressed to him, on the rectification pages.
func TestTrackingWorkPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	officer := testdb.AddUser(t, db, "tw.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	head := testdb.AddUser(t, db, "tw.head", "鲁0102", "执行一庭", domain.RoleDeptHead)
	lead := testdb.AddUser(t, db, "tw.lead", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	bur := testdb.AddUser(t, db, "tw.bur", "鲁0102", "执行局", domain.RoleBureau)
	sup := testdb.AddUser(t, db, "tw.sup", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执31号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: officer.Name, Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王五", Phone: "13800001111"}, {Role: domain.Respondent, Name: "某公司", Org: true}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	id := startWork(t, e, k.ID, today.AddDays(-10), today.AddDays(-1), lead.ID, bur.ID, sup.ID)
	work := fmt.Sprintf("/tracking/%d/work", id)

	const secret = "网上查看查封裁定存在问题"
	b := e.browser().loggedIn("tw.bur")
	if r := b.post(work+"/record", url.Values{"on": {today.String()}, "aspect": {"acts"}, "kind": {"acts"}, "content": {secret}, "violation": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("record: %d %s", r.status, r.body)
	}
	if r := b.post(work+"/record", url.Values{"on": {today.String()}, "kind": {"acts"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请选择监督内容") {
		t.Fatalf("a record without aspect: %d", r.status)
	}
	page := b.get(work)
	if page.status != http.StatusOK || !strings.Contains(page.body, secret) || !strings.Contains(page.body, "执行行为规范化") || !strings.Contains(page.body, "流程节点问题") {
		t.Fatalf("work page: %d", page.status)
	}
	if !strings.Contains(page.body, `action="/tracking/`+fmt.Sprint(id)+`/work/finding"`) || strings.Contains(page.body, "出具报告并结束跟踪") {
		t.Fatal("a member sees the node forms and not the closing form")
	}
	// Confirm every late or missing node the page lists.
	for _, node := range []string{"执行通知", "财产查控", "查封扣押冻结", "评估", "拍卖变卖", "案款发放"} {
		if !strings.Contains(page.body, `name="node" value="`+node+`"`) {
			continue
		}
		if r := b.post(work+"/finding", url.Values{"node": {node}, "decision": {"confirm"}}); r.status != http.StatusSeeOther {
			t.Fatalf("confirm %s: %d %s", node, r.status, r.body)
		}
	}
	full, err := db.CaseByID(ctx, domain.SystemViewer("t"), k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := b.post(work+"/interview", url.Values{"on": {today.String()}, "mode": {"phone"}, "party": {fmt.Sprint(full.Parties[0].ID)}, "answer": {"2"},
		"items": {"C3.2"}, "notes": {"当事人称接受吃请"}}); r.status != http.StatusSeeOther {
		t.Fatalf("interview: %d %s", r.status, r.body)
	}
	if r := b.post(work+"/visit", url.Values{"visit_party": {fmt.Sprint(full.Parties[0].ID)}, "visit_reason": {"重点案件跟踪"}}); r.status != http.StatusSeeOther {
		t.Fatalf("visit: %d %s", r.status, r.body)
	}
	if r := b.post(work+"/recommend", url.Values{"aspect": {"process"}, "to": {"department"}, "department": {fmt.Sprint(head.DepartmentID)},
		"responsible": {fmt.Sprint(head.ID)}, "problem": {"送达迟延"}, "improve": {"建立送达台账制度"}, "deadline": {today.AddDays(20).String()}}); r.status != http.StatusSeeOther {
		t.Fatalf("recommend: %d %s", r.status, r.body)
	}
	// The leader must hand the two violations on before closing.
	lb := e.browser().loggedIn("tw.lead")
	closing := url.Values{"closed_on": {today.String()}, "summary": {"跟踪监督情况"}, "conclusions": {"结论"}}
	if r := lb.post(work+"/close", closing); r.status != http.StatusConflict || !strings.Contains(r.body, "未移交问题线索") {
		t.Fatalf("closing before the clues: %d", r.status)
	}
	if r := b.post(work+"/close", closing); r.status != http.StatusForbidden {
		t.Fatalf("a member closes: %d", r.status)
	}
	w, err := db.TrackingWork(ctx, domain.SystemViewer("t"), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range w.Records {
		if rec.Violation {
			if r := lb.post("/clues", url.Values{"court": {"鲁0102"}, "source": {"tracking"}, "source_id": {fmt.Sprint(rec.ID)}, "persons": {"tw.off"},
				"summary": {"移交"}}); r.status != http.StatusSeeOther {
				t.Fatalf("hand on %d: %d %s", rec.ID, r.status, r.body)
			}
		}
	}
	if r := lb.post(work+"/close", closing); r.status != http.StatusSeeOther {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	report := lb.get(fmt.Sprintf("/tracking/%d/report", id))
	if report.status != http.StatusOK || !strings.Contains(report.body, "跟踪监督报告") || !strings.Contains(report.body, "建立送达台账制度") || !strings.Contains(report.body, "已移交问题线索") {
		t.Fatalf("report: %d", report.status)
	}

	// Secrecy: the officer and his head.
	words := []string{secret, "当事人称接受吃请", "跟踪监督情况", "跟踪监督报告"}
	for _, who := range []string{"tw.off", "tw.head"} {
		ob := e.browser().loggedIn(who)
		for _, path := range []string{work, fmt.Sprintf("/tracking/%d/report", id), fmt.Sprintf("/tracking/%d", id), "/tracking/stats"} {
			r := ob.get(path)
			if r.status != http.StatusNotFound && r.status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d", who, path, r.status)
			}
			for _, word := range words[:3] {
				if strings.Contains(r.body, word) {
					t.Errorf("%s GET %s shows %q", who, path, word)
				}
			}
		}
		if r := ob.post(work+"/record", url.Values{"on": {today.String()}, "aspect": {"acts"}, "kind": {"acts"}, "content": {"x"}}); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Errorf("%s writes: %d", who, r.status)
		}
		for _, path := range []string{"/", fmt.Sprintf("/cases/%d", k.ID)} {
			r := ob.get(path)
			for _, word := range words {
				if strings.Contains(r.body, word) {
					t.Errorf("%s GET %s (%d) shows %q", who, path, r.status, word)
				}
			}
			if strings.Contains(r.body, work) {
				t.Errorf("%s GET %s links the work page", who, path)
			}
		}
	}
	// The head sees the item addressed to him, and nothing of the record.
	hb := e.browser().loggedIn("tw.head")
	list := hb.get("/rectifications")
	if list.status != http.StatusOK || strings.Count(list.body, "/rectifications/") == 0 {
		t.Fatalf("the head's rectifications: %d", list.status)
	}
	rect := w.Recommendations
	if len(rect) != 1 {
		t.Fatalf("recommendations %+v", rect)
	}
	rp := hb.get(fmt.Sprintf("/rectifications/%d", rect[0].RectificationID))
	if rp.status != http.StatusOK || !strings.Contains(rp.body, "建立送达台账制度") || strings.Contains(rp.body, secret) {
		t.Fatalf("the head's rectification: %d", rp.status)
	}
	// The head's report on his item: a mistake marked beside the item's
	// own field, what he typed kept (issue 17).
	rectPage := fmt.Sprintf("/rectifications/%d", rect[0].RectificationID)
	m := regexp.MustCompile(`/items/(\d+)/report`).FindStringSubmatch(rp.body)
	if m == nil {
		t.Fatal("the head is offered no report form")
	}
	r := hb.postFrom(rectPage, rectPage+"/items/"+m[1]+"/report", url.Values{"_form": {"report-" + m[1]}, "measures": {""}, "outcome": {"送达台账已建立"}, "submit": {"1"}})
	refilledForm(t, r, rectPage, []string{`<p class="field-error" id="err-measures">请填写整改措施`}, []string{`>送达台账已建立</textarea>`})
	if r := e.browser().loggedIn("tw.off").get(fmt.Sprintf("/rectifications/%d", rect[0].RectificationID)); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
		t.Fatalf("the officer reads the head's item: %d", r.status)
	}
	// Statistics for the bodies, as a page and a workbook.
	st := lb.get("/tracking/stats?court=鲁0102")
	if st.status != http.StatusOK || !strings.Contains(st.body, "流程节点超期或缺失") || !strings.Contains(st.body, "tracking-stats-data") {
		t.Fatalf("stats: %d", st.status)
	}
	x := lb.get("/tracking/stats.xlsx?court=鲁0102")
	if x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") {
		t.Fatalf("stats.xlsx: %d", x.status)
	}
}

// The group leader owes the closing report of a tracking past its period,
// on his home page; a member does not.
func TestTrackingWorkTodos(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	testdb.AddUser(t, db, "td.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	lead := testdb.AddUser(t, db, "td.lead", "鲁0102", "执行局", domain.RoleBureau)
	mem := testdb.AddUser(t, db, "td.mem", "鲁0102", "执行局", domain.RoleBureau)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执32号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: "测试td.off", Department: "执行一庭", Parties: []domain.Party{{Role: domain.Applicant, Name: "王五"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	id := startWork(t, e, k.ID, today.AddDays(-40), today.AddDays(-2), lead.ID, mem.ID)
	home := e.browser().loggedIn("td.lead").get("/")
	if !strings.Contains(home.body, "出具跟踪监督报告") || !strings.Contains(home.body, fmt.Sprintf("/tracking/%d/work", id)) {
		t.Fatalf("the leader's home: %d", home.status)
	}
	if home := e.browser().loggedIn("td.mem").get("/"); strings.Contains(home.body, "出具跟踪监督报告") {
		t.Fatal("a member owes the report")
	}
}

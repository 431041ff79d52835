package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// TestTodosToldApart: two visits of one case are two lines naming their
// parties, in the 当事人回访 group with its count; an overdue one comes
// first and says by how many days.
func TestTodosToldApart(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	db := e.app.DB
	ctx := context.Background()
	no, _ := domain.ParseCaseNo("（2026）鲁0102执61号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: "测试lx.officer", Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}, {Role: domain.Respondent, Name: "李强", Phone: "13800000002"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, err := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	if err != nil || len(vs) != 2 {
		t.Fatalf("visits: %d, %v", len(vs), err)
	}
	// The respondent's visit waits for a phone call since two days.
	late := vs[0]
	if late.PartyName != "李强" {
		late = vs[1]
	}
	if _, err := db.WriteDB().Exec(e.rebind("UPDATE visits SET step = 'phone_pending', due_at = ? WHERE id = ?"), db.Now().AddDate(0, 0, -2), late.ID); err != nil {
		t.Fatal(err)
	}
	body := e.browser().loggedIn("lx.cc").get("/").body
	rows := regexp.MustCompile(`(?s)<tr class="todo[^"]*">.*?</tr>`).FindAllString(body, -1)
	if len(rows) != 2 {
		t.Fatalf("to-do lines: %d\n%s", len(rows), body)
	}
	for i, want := range []string{"电话回访", "开始回访"} {
		if !strings.Contains(rows[i], want) {
			t.Errorf("line %d lacks %q: %s", i, want, rows[i])
		}
	}
	if !strings.Contains(rows[0], "被执行人李强") || !strings.Contains(rows[0], "逾期2天") || !strings.Contains(rows[0], "row-warn") ||
		!strings.Contains(rows[1], "申请执行人王芳") || !strings.Contains(rows[0], "（2026）鲁0102执61号") || !strings.Contains(rows[1], "（2026）鲁0102执61号") {
		t.Errorf("the two visits of one case are not told apart:\n%s\n%s", rows[0], rows[1])
	}
	if !strings.Contains(body, `当事人回访 <span class="card-count">2项</span>`) || !strings.Contains(rows[0], fmt.Sprintf(`href="/visits/%d"`, late.ID)) {
		t.Errorf("no group with its count, or the line does not link its visit:\n%s", body)
	}
	if strings.Contains(body, "<th>法院</th>") {
		t.Error("a user of one court is shown the court on every line")
	}
	// The store's limit keeps the first visits in the page's order, each
	// step's parts read no further than it: the overdue phone visit
	// alone, then both.
	cc := testdb.AddUser(t, db, "lx.cc2", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	for limit, want := range map[int][]int64{1: {late.ID}, 2: {late.ID, vs[0].ID + vs[1].ID - late.ID}, 100: {late.ID, vs[0].ID + vs[1].ID - late.ID}} {
		got, err := db.VisitTodos(ctx, domain.ViewerFor(cc, ""), limit)
		var ids []int64
		for _, v := range got {
			ids = append(ids, v.VisitID)
		}
		if err != nil || fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("VisitTodos up to %d: %v, %v; want %v", limit, ids, err, want)
		}
	}
	// More visits than twice a small limit, their deadlines out of the
	// parts' order, some without: the store keeps its rows cut to the
	// limit as they come, and the cut list is the whole list's head.
	for i, days := range []int{5, -7, 0, 3, -1, 9, -4, 0, 2, -9, 6} {
		var due any
		if days != 0 {
			due = db.Now().AddDate(0, 0, days)
		}
		step := []string{"phone_pending", "new"}[i%2]
		if _, err := db.WriteDB().Exec(e.rebind(`INSERT INTO visits (case_id, kind, court_id, step, due_at, created_by, created_at, updated_at, month)
			SELECT case_id, kind, court_id, ?, ?, created_by, created_at, updated_at, month FROM visits WHERE id = ?`), step, due, late.ID); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.VisitTodos(ctx, domain.ViewerFor(cc, ""), 100)
	if err != nil || len(all) != 13 {
		t.Fatalf("VisitTodos of 13 visits: %d, %v", len(all), err)
	}
	for limit := 1; limit <= 6; limit++ {
		got, err := db.VisitTodos(ctx, domain.ViewerFor(cc, ""), limit)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(all[:limit]) {
			t.Errorf("VisitTodos up to %d:\n%v, %v\nwant the head of\n%v", limit, got, err, all)
		}
	}
}

// TestNoUnderConstruction: every mechanism is built; a role without one
// sees neither 建设中 nor a link to it.
func TestNoUnderConstruction(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "nc.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	testdb.AddUser(t, e.app.DB, "nc.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	for _, u := range []string{"nc.admin", "nc.officer"} {
		body := e.browser().loggedIn(u).get("/").body
		if strings.Contains(body, "建设中") {
			t.Errorf("%s sees 建设中", u)
		}
		if !strings.Contains(body, "外出执行情况报告") {
			t.Errorf("%s does not see the mechanisms named", u)
		}
		if u == "nc.admin" && (strings.Contains(body, `href="/trips"`) || strings.Contains(body, "nav-item is-disabled")) {
			t.Errorf("the administrator is offered a mechanism: %s", body)
		}
		if u == "nc.officer" && !strings.Contains(body, `href="/trips"`) {
			t.Error("the officer has no link to his trips")
		}
	}
}

var todoRowRE = regexp.MustCompile(`(?s)<tr class="todo[^"]*">.*?</tr>`)

// hasTodo reports whether the home page body has a to-do line that owes
// owed (the link's text) and whose object contains about.
func hasTodo(body, owed, about string) bool {
	for _, row := range todoRowRE.FindAllString(body, -1) {
		if strings.Contains(row, ">"+owed+"</a>") && strings.Contains(row, about) {
			return true
		}
	}
	return false
}

package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
	"github.com/zhilian/zhilian/internal/web"
)

// The findings of the outside probe (issue 10), one test each.

// closedCase stores a closed case of 鲁0102 with one applicant and returns
// its id.
func closedCase(t *testing.T, db *store.DB, number, officer string) int64 {
	t.Helper()
	ctx := context.Background()
	no, err := domain.ParseCaseNo(number, domain.DefaultCaseTypes)
	if err != nil {
		t.Fatal(err)
	}
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: officer, Department: "执行一庭",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	return k.ID
}

// Finding 1: the party's one-time token is readable nowhere after the
// message is composed — not in a page, the log provider's log, nor any
// column of any table — yet the party's message carries it and it works.
func TestPartyTokenReadableNowhere(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "lx.group", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, e.app.DB, "lx.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	ctx := context.Background()
	db := e.app.DB
	cfg := visit.DefaultConfig()
	cfg.PublicURL = "https://zhilian.example.court"
	closedCase(t, db, "（2026）鲁0102执3号", "测试lx.officer")
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartNewVisits(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	// The sender's view, through the log provider as `serve --sms log`
	// runs it.
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	msgs, err := out.Claim(ctx, "t", 10, time.Now(), time.Now().Add(-time.Hour), 5)
	if err != nil || len(msgs) != 1 {
		t.Fatal(msgs, err)
	}
	i := strings.Index(msgs[0].Body, "/v/")
	if i < 0 {
		t.Fatalf("the party's message has no link: %q", msgs[0].Body)
	}
	token := strings.Fields(msgs[0].Body[i+3:])[0]
	if len(token) < 40 {
		t.Fatalf("token %q", token)
	}
	var logged bytes.Buffer
	gw := &sms.Log{Log: slog.New(slog.NewTextHandler(&logged, nil))}
	if _, err := gw.Send(ctx, msgs[0]); err != nil {
		t.Fatal(err)
	}
	if err := out.Record(ctx, []sms.Outcome{{ID: msgs[0].ID, Result: sms.ResultSent, ProviderIDs: []string{"p1"}}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logged.String(), token) || !strings.Contains(logged.String(), store.LinkMask) {
		t.Errorf("the log provider's log shows the token, or no masked link:\n%s", logged.String())
	}
	vs, _ := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	pages := map[string][]string{
		"lx.cc":    {"/sms", fmt.Sprintf("/visits/%d", vs[0].ID), fmt.Sprintf("/visits/%d/print", vs[0].ID), "/visits"},
		"lx.group": {fmt.Sprintf("/visits/%d", vs[0].ID), "/audit"},
		"lx.admin": {"/admin/sms"},
	}
	for user, paths := range pages {
		b := e.browser().loggedIn(user)
		for _, p := range paths {
			r := b.get(p)
			if r.status != 200 {
				t.Errorf("%s GET %s: %d", user, p, r.status)
			}
			if strings.Contains(r.body, token) {
				t.Errorf("%s GET %s shows the party's token", user, p)
			}
		}
	}
	if r := e.browser().loggedIn("lx.cc").get("/sms"); !strings.Contains(r.body, "/v/"+store.LinkMask) {
		t.Error("/sms does not show the link masked")
	}
	if where := findInDatabase(t, db, token); len(where) > 0 {
		t.Errorf("the token is stored in clear in %v", where)
	}
	// And it is the party's real link.
	if r := e.browser().get("/v/" + token); r.status != 200 || !strings.Contains(r.body, "（2026）鲁0102执3号") {
		t.Fatalf("the token in the message does not open the party's page: %d", r.status)
	}
}

// findInDatabase returns table.column for every stored value holding s.
func findInDatabase(t *testing.T, db *store.DB, s string) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if db.Engine == store.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
	}
	rows, err := db.WriteDB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 20 {
		t.Fatalf("only %d tables found", len(tables))
	}
	var where []string
	for _, table := range tables {
		rows, err := db.WriteDB().Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if bytes.Contains(v, []byte(s)) {
					where = append(where, table+"."+cols[i])
				}
			}
		}
		rows.Close()
	}
	return where
}

// Finding 2: a basic court's administrator cannot rewrite other courts
// through the directory import; a file with any such row is refused whole.
func TestCourtImportScope(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "lx.admin", "鲁0102", "信息技术处", domain.RoleAdmin)
	b := e.browser().loggedIn("lx.admin")
	ctx := context.Background()
	bad := "code,name,parent,level,divisions\n" +
		"鲁0102,济南市历下区人民法院,鲁01,basic,370102\n" +
		"鲁,被改名的高级法院,,high,370000\n" +
		"鲁0103,济南市市中区人民法院,鲁01,basic,370102;370103\n"
	if r := b.upload("/admin/courts/import", map[string][]byte{"file": []byte(bad)}); r.status != http.StatusForbidden || !strings.Contains(r.body, "不在您管理的范围内") {
		t.Fatalf("out-of-scope import: %d", r.status)
	}
	high, _ := e.app.DB.CourtByCode(ctx, "鲁")
	sibling, _ := e.app.DB.CourtByCode(ctx, "鲁0103")
	own, _ := e.app.DB.CourtByCode(ctx, "鲁0102")
	if high.Name != "山东省高级人民法院" || strings.Join(sibling.Divisions, ";") != "370103" || strings.Join(own.Divisions, ";") != "370102" {
		t.Fatalf("the refused file changed courts: %s, %v, %v", high.Name, sibling.Divisions, own.Divisions)
	}
	// A new court under a sibling is out of scope too.
	if r := b.upload("/admin/courts/import", map[string][]byte{"file": []byte("code,name,parent,level,divisions\n鲁0199,新法院,鲁01,basic,370199\n")}); r.status != http.StatusForbidden {
		t.Fatalf("a court added beside the administrator's: %d", r.status)
	}
	// His own court is his to correct.
	if r := b.upload("/admin/courts/import", map[string][]byte{"file": []byte("code,name,parent,level,divisions\n鲁0102,济南市历下区人民法院,鲁01,basic,370102;370112\n")}); r.status != http.StatusSeeOther {
		t.Fatalf("own court: %d %s", r.status, r.body)
	}
	if own, _ := e.app.DB.CourtByCode(ctx, "鲁0102"); len(own.Divisions) != 2 {
		t.Fatalf("own court not updated: %v", own.Divisions)
	}
}

// Finding 3 and 三员分立: no administrator makes himself (or anyone) a
// watchdog; roles come from a security administrator, the sensitive ones
// only with a second one's approval; nobody changes his own roles; the
// system administrator cannot reset a watchdog's password.
func TestSeparationOfDutiesOnThePages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := testdb.AddUser(t, e.app.DB, "jn.admin", "鲁01", "信息技术处", domain.RoleAdmin)
	sec1 := testdb.AddUser(t, e.app.DB, "jn.sec1", "鲁01", "信息技术处", domain.RoleSecurityAdmin)
	testdb.AddUser(t, e.app.DB, "jn.sec2", "鲁01", "信息技术处", domain.RoleSecurityAdmin)
	watch := testdb.AddUser(t, e.app.DB, "jn.watch", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	officer := testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)

	a := e.browser().loggedIn("jn.admin")
	// The administrator names himself a watchdog through his own form.
	own := url.Values{"name": {admin.Name}, "court": {"鲁01"}, "department": {"信息技术处"}, "role": {"admin", "discipline_group"}}
	if r := a.post(fmt.Sprintf("/admin/users/%d", admin.ID), own); r.status != http.StatusForbidden {
		t.Fatalf("admin edits his own account: %d", r.status)
	}
	// … or someone else's roles.
	form := url.Values{"name": {officer.Name}, "court": {"鲁0102"}, "department": {"执行一庭"}, "role": {"officer", "discipline_group"}}
	if r := a.post(fmt.Sprintf("/admin/users/%d", officer.ID), form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "角色由安全管理员授予") {
		t.Fatalf("admin changes roles: %d", r.status)
	}
	for _, p := range []string{"/admin/users/%d/roles", "/admin/users/%d/2fa/reset"} {
		if r := a.post(fmt.Sprintf(p, officer.ID), url.Values{"role": {"discipline_group"}, "reason": {"x"}}); r.status != http.StatusForbidden {
			t.Fatalf("admin POST %s: %d", p, r.status)
		}
	}
	// The administrator resets no watchdog's password, and reads nothing.
	if r := a.post(fmt.Sprintf("/admin/users/%d/password", watch.ID), url.Values{"password": {"Taken#over2026"}}); r.status != http.StatusForbidden {
		t.Fatalf("admin resets a watchdog's password: %d", r.status)
	}
	for _, p := range []string{"/audit", "/cases", "/visits", "/trips"} {
		if r := a.get(p); r.status != http.StatusForbidden {
			t.Errorf("admin GET %s: %d", p, r.status)
		}
	}
	u, _ := e.app.DB.UserByID(ctx, domain.SystemViewer("t"), admin.ID)
	if len(u.Roles) != 1 || u.Roles[0] != domain.RoleAdmin {
		t.Fatalf("admin's roles became %v", u.Roles)
	}

	s1 := e.browser().loggedIn("jn.sec1")
	// An ordinary role takes effect at once; a sensitive one waits.
	if r := s1.post(fmt.Sprintf("/admin/users/%d/roles", officer.ID), url.Values{"role": {"dept_head"}, "reason": {"鲁0102政治部任命"}}); r.status != http.StatusSeeOther {
		t.Fatalf("grant dept_head: %d %s", r.status, r.body)
	}
	if r := s1.post(fmt.Sprintf("/admin/users/%d/roles", officer.ID), url.Values{"role": {"command_center"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写依据") {
		t.Fatalf("grant without a reason: %d", r.status)
	}
	userPage := fmt.Sprintf("/admin/users/%d", officer.ID)
	refilledForm(t, s1.postFrom(userPage, userPage+"/roles", url.Values{"_form": {"grant"}, "role": {"command_center"}, "reason": {strings.Repeat("依", 201)}}), userPage,
		[]string{`<p class="field-error" id="err-reason">请填写依据`}, []string{`value="command_center" selected`, `value="` + strings.Repeat("依", 201) + `"`})
	if r := s1.post(fmt.Sprintf("/admin/users/%d/roles", officer.ID), url.Values{"role": {"command_center"}, "reason": {"调整至指挥中心"}}); r.status != http.StatusSeeOther {
		t.Fatalf("request command_center: %d %s", r.status, r.body)
	}
	u, _ = e.app.DB.UserByID(ctx, domain.SystemViewer("t"), officer.ID)
	if !u.HasRole(domain.RoleDeptHead) || u.HasRole(domain.RoleCommandCenter) || len(u.PendingRoles) != 1 {
		t.Fatalf("after the grants: roles %v, pending %v", u.Roles, u.PendingRoles)
	}
	// The security administrator changes neither his own roles nor
	// approves his own request; three-role accounts take no other role.
	if r := s1.post(fmt.Sprintf("/admin/users/%d/roles", sec1.ID), url.Values{"role": {"discipline_group"}, "reason": {"x"}}); r.status != http.StatusForbidden {
		t.Fatalf("security admin grants himself: %d", r.status)
	}
	if r := s1.post(fmt.Sprintf("/admin/users/%d/roles", admin.ID), url.Values{"role": {"discipline_group"}, "reason": {"x"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "三员分立") {
		t.Fatalf("watchdog granted to the administrator: %d", r.status)
	}
	grants, _ := e.app.DB.RoleGrants(ctx, domain.SystemViewer("t"), store.GrantFilter{Pending: true})
	if len(grants) != 1 {
		t.Fatalf("pending grants: %d", len(grants))
	}
	if r := s1.post(fmt.Sprintf("/admin/grants/%d/approve", grants[0].ID), nil); r.status != http.StatusForbidden {
		t.Fatalf("requester approves: %d", r.status)
	}
	if r := s1.get("/admin/grants"); strings.Contains(r.body, "批准</button>") {
		t.Error("the requester is offered to approve his own request")
	}
	s2 := e.browser().loggedIn("jn.sec2")
	if r := s2.get("/"); !strings.Contains(r.body, "审批角色授予") {
		t.Error("the second security administrator has no to-do for the request")
	}
	if r := s2.post(fmt.Sprintf("/admin/grants/%d/reject", grants[0].ID), nil); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("reject without a reason: %d", r.status)
	}
	ob := e.browser().loggedIn("lx.officer")
	if r := s2.post(fmt.Sprintf("/admin/grants/%d/approve", grants[0].ID), url.Values{"note": {"同意"}}); r.status != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	if r := s2.post(fmt.Sprintf("/admin/grants/%d/approve", grants[0].ID), nil); r.status != http.StatusConflict {
		t.Fatalf("approve twice: %d", r.status)
	}
	u, _ = e.app.DB.UserByID(ctx, domain.SystemViewer("t"), officer.ID)
	if !u.HasRole(domain.RoleCommandCenter) {
		t.Fatal("approved role not in effect")
	}
	if r := ob.get("/"); r.status != http.StatusSeeOther {
		t.Error("the user's session outlived the grant")
	}
	// Withdrawal is at once.
	if r := s2.post(fmt.Sprintf("/admin/users/%d/roles/command_center/revoke", officer.ID), url.Values{"reason": {"调离"}}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	if u, _ = e.app.DB.UserByID(ctx, domain.SystemViewer("t"), officer.ID); u.HasRole(domain.RoleCommandCenter) {
		t.Fatal("revoked role still held")
	}
	// Each step is in the audit trail.
	recs, _ := e.app.DB.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Limit: 200})
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r.Action] = true
	}
	for _, a := range []string{"role.grant", "role.request", "role.approve", "role.revoke"} {
		if !seen[a] {
			t.Errorf("no %s in the audit trail", a)
		}
	}
}

// Finding 6: parallel requests on PostgreSQL (and SQLite) neither lose a
// failure nor answer a party's link twice.
func TestParallelAttemptsAndLinks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	testdb.AddUser(t, e.app.DB, "victim", "鲁0102", "执行一庭", domain.RoleOfficer)
	statuses := parallel(15, func(int) int { return e.browser().login("victim", "Wrong-pass2026").status })
	if statuses[http.StatusUnauthorized] != 4 || statuses[http.StatusTooManyRequests] != 11 {
		t.Fatalf("15 wrong passwords at once: %v, want 4 × 401 and 11 × 429", statuses)
	}
	if r := e.browser().login("victim", testdb.Password); r.status != http.StatusTooManyRequests {
		t.Fatalf("the right password after them: %d", r.status)
	}
	if a, _ := e.app.DB.BeginAttempt(ctx, "victim", 5, 15*time.Minute); a.N != 17 || a.Allowed {
		t.Fatalf("attempts counted: %+v, want the 17th refused", a)
	}

	caseUsers(t, e)
	closedCase(t, e.app.DB, "（2026）鲁0102执5号", "测试lx.officer")
	if _, _, err := e.app.DB.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.DB.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	vs, _ := e.app.DB.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	token, err := e.app.DB.CreateVisitLink(ctx, domain.SystemViewer("t"), vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	answers := []url.Values{{"satisfied": {"yes"}}, {"satisfied": {"no"}, "item": {"C1.1"}}}
	statuses = parallel(8, func(i int) int { return e.browser().post("/v/"+token, answers[i%2]).status })
	if statuses[http.StatusOK] != 1 {
		t.Fatalf("8 answers at once to one link: %v, want exactly one accepted", statuses)
	}
	var n int
	e.app.DB.WriteDB().QueryRow(e.rebind("SELECT COUNT(*) FROM visit_answers WHERE visit_id = ?"), vs[0].ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d answers stored, want 1", n)
	}
}

// parallel runs f n times at once and counts the statuses it returns.
func parallel(n int, f func(i int) int) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[int]int{}
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			s := f(i)
			mu.Lock()
			out[s]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return out
}

// Finding 7: another court's command centre cannot mark a reply handled.
func TestReplyHandledAcrossCourts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	caseUsers(t, e)
	testdb.AddUser(t, e.app.DB, "sn.cc", "鲁0202", "执行指挥中心", domain.RoleCommandCenter)
	closedCase(t, e.app.DB, "（2026）鲁0102执8号", "测试lx.officer")
	if _, _, err := e.app.DB.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.DB.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	// The party texts after the question was settled: nothing open fits.
	e.app.DB.WriteDB().Exec("UPDATE visits SET step = 'closed'")
	if _, err := e.app.DB.ReceiveReply(ctx, "13800000001", "还有一件事", time.Now(), visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	inbox, _ := e.app.DB.UnmatchedReplies(ctx, domain.SystemViewer("t"), 10)
	if len(inbox) != 1 {
		t.Fatalf("unmatched: %v", inbox)
	}
	other := e.browser().loggedIn("sn.cc")
	if r := other.post(fmt.Sprintf("/sms/replies/%d/handled", inbox[0].ID), url.Values{"note": {"x"}}); r.status != http.StatusNotFound {
		t.Fatalf("another court's command centre: %d", r.status)
	}
	if still, _ := e.app.DB.UnmatchedReplies(ctx, domain.SystemViewer("t"), 10); len(still) != 1 {
		t.Fatal("another court's command centre handled the reply")
	}
	// The case's own officer, in the command centre too, neither sees the
	// reply (it may be about him) nor handles it.
	testdb.AddUser(t, e.app.DB, "lx.officer2", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	e.app.DB.WriteDB().Exec(e.rebind("INSERT INTO case_officers (case_id, user_id) SELECT k.id, u.id FROM cases k, users u WHERE u.username = ?"), "lx.officer2")
	ob := e.browser().loggedIn("lx.officer2")
	if r := ob.get("/sms"); strings.Contains(r.body, "还有一件事") {
		t.Error("the case's officer sees the party's reply")
	}
	if r := ob.post(fmt.Sprintf("/sms/replies/%d/handled", inbox[0].ID), url.Values{"note": {"x"}}); r.status != http.StatusNotFound {
		t.Fatalf("the case's officer handles the reply: %d", r.status)
	}
	own := e.browser().loggedIn("lx.cc")
	long := strings.Repeat("回", 201)
	refilledForm(t, own.postFrom("/sms", fmt.Sprintf("/sms/replies/%d/handled", inbox[0].ID), url.Values{"_form": {fmt.Sprintf("reply-%d", inbox[0].ID)}, "note": {long}}), "/sms",
		[]string{`<p class="field-error" id="err-note">处理说明不能超过200字`}, []string{`value="` + long + `"`})
	if r := own.post(fmt.Sprintf("/sms/replies/%d/handled", inbox[0].ID), url.Values{"note": {"已回电"}}); r.status != http.StatusSeeOther {
		t.Fatalf("own command centre: %d", r.status)
	}
	recs, _ := e.app.DB.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "sms.reply_handled", Limit: 5})
	if len(recs) != 1 || recs[0].CourtPath != "/鲁/鲁01/鲁0102/" {
		t.Fatalf("the audit record names court %q", recs[0].CourtPath)
	}
}

// Finding 8: a case moved to another officer keeps its visits sealed from
// both officers, even one who also sits in the command centre.
func TestSecrecyFollowsEveryOfficer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	testdb.AddUser(t, e.app.DB, "lx.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, e.app.DB, "lx.first", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleCommandCenter)
	testdb.AddUser(t, e.app.DB, "lx.second", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleCommandCenter)
	id := closedCase(t, e.app.DB, "（2026）鲁0102执9号", "测试lx.first")
	if _, _, err := e.app.DB.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	vs, _ := e.app.DB.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	// The case system moves the case to the second officer.
	closedCase(t, e.app.DB, "（2026）鲁0102执9号", "测试lx.second")
	k, _ := e.app.DB.CaseByID(ctx, domain.SystemViewer("t"), id)
	if k.Officer != "测试lx.second" {
		t.Fatalf("case not moved: %s", k.Officer)
	}
	visitPage := fmt.Sprintf("/visits/%d", vs[0].ID)
	for _, user := range []string{"lx.first", "lx.second"} {
		b := e.browser().loggedIn(user)
		if r := b.get(visitPage); r.status != http.StatusNotFound {
			t.Errorf("%s GET %s: %d", user, visitPage, r.status)
		}
		if r := b.get("/visits"); strings.Contains(r.body, "（2026）鲁0102执9号") {
			t.Errorf("%s sees the visit in the list", user)
		}
		if r := b.get("/visit-stats?by=court&from=2026-10&to=2026-12"); strings.Contains(r.body, ">1<") && strings.Contains(r.body, "济南市历下区人民法院") {
			t.Errorf("%s counts the visit in the statistics", user)
		}
	}
	if r := e.browser().loggedIn("lx.cc").get(visitPage); r.status != 200 {
		t.Fatalf("the command centre: %d", r.status)
	}
}

// --trust-proxy: the client is the right-most address of X-Forwarded-For
// that is not a trusted proxy; a request that does not come from a
// trusted proxy is its own client, whatever it claims.
func TestClientAddressBehindProxies(t *testing.T) {
	s := &web.Server{TrustProxy: true, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("127.0.0.1/32")}}
	for _, tt := range []struct {
		peer, xff, want string
	}{
		{"10.0.0.5:4000", "203.0.113.9", "203.0.113.9"},
		{"10.0.0.5:4000", "1.2.3.4, 203.0.113.9", "203.0.113.9"},           // the client wrote 1.2.3.4
		{"10.0.0.5:4000", "1.2.3.4, 203.0.113.9, 10.0.0.7", "203.0.113.9"}, // two proxies
		{"198.51.100.2:4000", "1.2.3.4", "198.51.100.2"},                   // not from a proxy
		{"10.0.0.5:4000", "", "10.0.0.5"},
		{"10.0.0.5:4000", "not-an-address", "10.0.0.5"},
		{"[::ffff:10.0.0.5]:4000", "203.0.113.9", "203.0.113.9"},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = tt.peer
		if tt.xff != "" {
			req.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.RemoteAddr(req); got != tt.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", tt.peer, tt.xff, got, tt.want)
		}
	}
	s.TrustProxy = false
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "10.0.0.5:4000"
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	if got := s.RemoteAddr(req); got != "10.0.0.5" {
		t.Errorf("without --trust-proxy: %s", got)
	}
}

// The security auditor reads and verifies the trail of his courts, with
// the anchor to keep outside the system; he reads nothing else.
func TestAuditorReadsTrail(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "jn.auditor", "鲁01", "信息技术处", domain.RoleAuditor)
	testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	e.browser().loggedIn("lx.officer")
	b := e.browser().loggedIn("jn.auditor")
	r := b.get("/audit")
	for _, want := range []string{"审计链完整", "密钥签封", "zhilian-audit-anchor seq=", "测试lx.officer"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the auditor's audit page lacks %q", want)
		}
	}
	if r := b.get("/"); strings.Contains(r.body, `href="/cases"`) || !strings.Contains(r.body, `href="/audit"`) {
		t.Error("the auditor's navigation")
	}
	// Actions read in Chinese, and are filtered by their Chinese name.
	if strings.Contains(r.body, "如 login") || !strings.Contains(r.body, `<td class="mono">登录</td>`) {
		t.Errorf("the audit page shows action codes:\n%s", r.body)
	}
	if r := b.get("/audit?action=" + url.QueryEscape("登录")); !strings.Contains(r.body, "测试lx.officer") {
		t.Error("filtering by the action's Chinese name finds nothing")
	}
	if r := b.get("/audit?action=" + url.QueryEscape("退出")); strings.Contains(r.body, `<td class="mono">登录</td>`) {
		t.Error("the filter by 退出 shows logins")
	}
	// A range that runs backwards, or a day that cannot be read, is said
	// beside its field, with what was typed, and lists nothing.
	if r := b.get("/audit?from=2026-11-30&to=2026-11-01"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="err-to">截止日期不能早于起始日期`) ||
		!strings.Contains(r.body, `value="2026-11-01"`) || strings.Contains(r.body, "测试lx.officer") {
		t.Errorf("a reversed range: %d", r.status)
	}
	if r := b.get("/audit?from=2026-13-40"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="err-from">日期应写作`) {
		t.Errorf("an unreadable day: %d", r.status)
	}
}

// Review findings: the security administrator edits a sensitive account
// (its mobile) but does not move it to another court; no API token is
// issued to, or accepted from, an account that needs a second factor.
func TestSensitiveAccountsEditsAndTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	testdb.AddUser(t, e.app.DB, "jn.sec", "鲁01", "信息技术处", domain.RoleSecurityAdmin)
	w := testdb.AddUser(t, e.app.DB, "lx.watch", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sec := e.browser().loggedIn("jn.sec")
	form := url.Values{"name": {w.Name}, "court": {"鲁0102"}, "department": {"派驻纪检监察组"}, "mobile": {"13700000001"}}
	if r := sec.post(fmt.Sprintf("/admin/users/%d", w.ID), form); r.status != http.StatusSeeOther {
		t.Fatalf("security administrator edits a watchdog's mobile: %d %s", r.status, r.body)
	}
	form.Set("court", "鲁01")
	if r := sec.post(fmt.Sprintf("/admin/users/%d", w.ID), form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "不能调动法院") {
		t.Fatalf("a watchdog moved up a court: %d", r.status)
	}
	err := e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error {
		_, err := tx.CreateAPIToken(ctx, "lx.watch", "x", 0)
		return err
	})
	if err == nil || !strings.Contains(domain.UserMessage(err), "动态口令") {
		t.Fatalf("a token for a watchdog: %v", err)
	}
	// A token issued while the account was ordinary stops working when a
	// role that needs a second factor arrives.
	o := testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	var tok string
	e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error {
		var err error
		tok, err = tx.CreateAPIToken(ctx, "lx.officer", "x", 0)
		return err
	})
	e.app.DB.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error {
		_, err := tx.GrantRole(ctx, o.ID, domain.RoleSupervisionOffice, "测试")
		return err
	})
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if r := e.browser().do(req); r.status != http.StatusUnauthorized {
		t.Fatalf("the token of an account that now needs a second factor: %d", r.status)
	}
}

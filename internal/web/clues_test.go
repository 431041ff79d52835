package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Issue 14, clues page by page: a watchdog registers one (refused input
// beside its field, nothing saved), assigns it; the verifier sees it on
// his home page, records a step and concludes 谈话提醒, which enters a
// first-form disposition that takes a talk. The person concerned, himself
// a watchdog, sees nothing of it — not the list, its count, the page, the
// disposition, the counts or a to-do — and other roles are refused.
func TestCluePages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	testdb.AddUser(t, db, "cl.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(t, db, "cl.sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "cl.named", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "cl.bur", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "cl.beside", "鲁02", "派驻纪检监察组", domain.RoleDisciplineGroup)
	cid, err := db.RegisterComplaint(ctx, domain.SystemViewer("t"), "鲁0102", oversight.Complaint{Kind: oversight.KindComplaint, Channel: "来信",
		ReceivedOn: domain.DateOf(db.Now(), domain.Beijing), Content: "吃拿卡要"})
	if err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(db.Now(), domain.Beijing).String()

	grp := e.browser().loggedIn("cl.grp")
	complaint := "/complaints/" + strconv64(cid)
	if r := grp.post(complaint+"/assess", url.Values{"lead": {"clear"}, "note": {"有具体事实"}}); r.status != http.StatusSeeOther {
		t.Fatalf("assessing: %d", r.status)
	}
	if r := grp.get(complaint); !strings.Contains(r.body, "/clues/new?source=complaint&amp;id="+strconv64(cid)) {
		t.Errorf("the clear lead has no link to register a clue")
	}
	if r := grp.get("/clues/new?source=complaint&id=1"); r.status != 200 || !strings.Contains(r.body, "回访（不廉或作风不正）") {
		t.Fatalf("the form: %d", r.status)
	}
	form := url.Values{"court": {"鲁0102"}, "source": {"complaint"}, "source_id": {"999"}, "persons": {"cl.named"}, "summary": {"收受财物"}}
	if r := grp.post("/clues", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "投诉举报、信访不存在") {
		t.Fatalf("a missing source: %d", r.status)
	}
	var n int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM clues").Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused input saved %d clues (%v)", n, err)
	}
	form.Set("source_id", strconv64(cid))
	r := grp.post("/clues", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("registering: %d %s", r.status, r.body)
	}
	clue := r.header.Get("Location")
	if r := grp.post(clue+"/assign", url.Values{"verifier": {"cl.named"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "不是反映对象") {
		t.Errorf("the person concerned as verifier: %d", r.status)
	}
	if r := grp.post(clue+"/assign", url.Values{"verifier": {"cl.sup"}}); r.status != http.StatusSeeOther {
		t.Fatalf("assigning: %d", r.status)
	}
	sup := e.browser().loggedIn("cl.sup")
	if r := sup.get("/"); !strings.Contains(r.body, `href="`+clue+`"`) {
		t.Errorf("the verifier's to-do is missing")
	}
	if r := grp.post(clue+"/steps", url.Values{"step_on": {today}, "step_note": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("a step by another than the verifier: %d", r.status)
	}
	if r := sup.post(clue+"/steps", url.Values{"step_on": {today}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请写明核查工作") {
		t.Errorf("an empty step: %d", r.status)
	}
	if r := sup.post(clue+"/steps", url.Values{"step_on": {today}, "step_note": {"调取收支记录"}}); r.status != http.StatusSeeOther {
		t.Fatalf("a step: %d", r.status)
	}
	if r := sup.post(clue+"/conclude", url.Values{"conclusion": {"纪律处分"}, "form": {"2"}, "basis": {"x"}, "decided_on": {today}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请选择该形态的处置措施") {
		t.Errorf("a sanction without its measure: %d", r.status)
	}
	if r := sup.post(clue+"/conclude", url.Values{"conclusion": {"谈话提醒"}, "basis": {"情节轻微"}, "decided_on": {today}}); r.status != http.StatusSeeOther {
		t.Fatalf("concluding: %d %s", r.status, r.body)
	}
	r = grp.get(clue)
	m := regexp.MustCompile(`href="(/dispositions/\d+)"`).FindStringSubmatch(r.body)
	if r.status != 200 || !strings.Contains(r.body, "已办结") || m == nil {
		t.Fatalf("the closed clue: %d", r.status)
	}
	disp := m[1]
	if r := grp.post(disp+"/talks", url.Values{"kind": {"谈话提醒"}, "held_on": {today}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写地点") {
		t.Errorf("an empty talk: %d", r.status)
	}
	if r := grp.post(disp+"/talks", url.Values{"kind": {"谈话提醒"}, "held_on": {today}, "place": {"谈话室"}, "participants": {"甲、乙"},
		"content": {"提醒廉洁自律"}, "commitment": {"立即改正"}}); r.status != http.StatusSeeOther {
		t.Fatalf("a talk: %d", r.status)
	}
	if r := grp.get(disp); !strings.Contains(r.body, "立即改正") {
		t.Errorf("the talk is not shown")
	}
	if r := sup.get("/dispositions?year=" + today[:4]); !strings.Contains(r.body, "共 1 人次") || !strings.Contains(r.body, "第一种形态") {
		t.Errorf("the register and its counts")
	}

	named := e.browser().loggedIn("cl.named")
	if r := named.get("/clues"); r.status != 200 || !strings.Contains(r.body, "共 0 条") || strings.Contains(r.body, "收受财物") {
		t.Errorf("the person concerned lists: %d", r.status)
	}
	if r := named.get("/dispositions"); !strings.Contains(r.body, "共 0 人次") || strings.Contains(r.body, "谈话提醒</td>") {
		t.Errorf("the person concerned sees dispositions or counts")
	}
	for _, p := range []string{clue, disp, "/clues?state=closed"} {
		if r := named.get(p); r.status == 200 && strings.Contains(r.body, "收受财物") || r.status == 200 && strings.Contains(r.body, "情节轻微") {
			t.Errorf("the person concerned reads %s", p)
		}
	}
	if r := named.get(clue); r.status != http.StatusNotFound {
		t.Errorf("the person concerned: %d", r.status)
	}
	if r := named.post(disp+"/talks", url.Values{"kind": {"谈话提醒"}}); r.status != http.StatusNotFound {
		t.Errorf("the person concerned posts a talk: %d", r.status)
	}
	beside := e.browser().loggedIn("cl.beside")
	if r := beside.get(clue); r.status != http.StatusNotFound {
		t.Errorf("a watchdog beside: %d", r.status)
	}
	bur := e.browser().loggedIn("cl.bur")
	for _, p := range []string{"/clues", clue, "/dispositions", disp} {
		if r := bur.get(p); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("the bureau reads %s: %d", p, r.status)
		}
	}
	if r := bur.get("/"); strings.Contains(r.body, `href="/clues"`) {
		t.Errorf("the bureau has the clues link")
	}
}

func strconv64(n int64) string { return strconv.FormatInt(n, 10) }

package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Issue 16, the gaps of the campaign form and the checklist page: the
// form suggests the server's --inspection-answer-within and cross-court
// review; a campaign organised with the switch off relaxes it; the group
// edits the frozen checklist into a new version (a bad row is refused
// beside the table, nothing saved), and nobody else may.
func TestInspectionFormAndChecklist(t *testing.T) {
	a, err := app.Open(context.Background(), app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams, Jobs: jobs.Config{NoPeriodic: true},
		UploadDir: t.TempDir(), InspectionAnswerWithin: 10 * 24 * time.Hour}, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	e := newEnvFor(t, a)
	db := a.DB
	lead := testdb.AddUser(t, db, "ic.lead", "鲁01", "执行局", domain.RoleBureau)
	grp := testdb.AddUser(t, db, "ic.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sup := testdb.AddUser(t, db, "ic.sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "ic.bur0102", "鲁0102", "执行局", domain.RoleBureau)
	b := e.browser().loggedIn("ic.lead")
	r := b.get("/inspections/new")
	if !strings.Contains(r.body, `name="answer_days" type="number" min="1" max="60" value="10"`) || !strings.Contains(r.body, `name="cross_court" value="1" checked`) {
		t.Fatalf("the form does not suggest 10 days and cross-court review:\n%s", r.body)
	}
	today := domain.DateOf(db.Now(), domain.Beijing)
	r = b.post("/inspections", url.Values{"kind": {"patrol"}, "theme": {"discipline"}, "title": {"纪律作风巡查"}, "from": {today.AddDays(-90).String()},
		"to": {today.String()}, "courts": {"鲁0102"}, "plan": {"巡查"}, "member": {fmt.Sprint(lead.ID), fmt.Sprint(grp.ID), fmt.Sprint(sup.ID)},
		"leader": {fmt.Sprint(lead.ID)}, "per_court": {"3"}, "answer_days": {"10"}, "th_excellent": {"90"}, "th_pass": {"75"}, "th_flaw": {"60"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	page := r.header.Get("Location")
	if r := b.get(page); !strings.Contains(r.body, "评查人不评查本部门的案件或单位；说明、申辩期限10日") || !strings.Contains(r.body, `href="`+page+`/checklist"`) {
		t.Fatalf("the campaign page without cross-court review:\n%s", r.body)
	}
	r = b.get(page + "/checklist")
	if r.status != 200 || !strings.Contains(r.body, "执行干警纪律作风情况") || !strings.Contains(r.body, "保存为新版本") || !strings.Contains(r.body, "第1版") {
		t.Fatalf("the checklist page: %d\n%s", r.status, r.body)
	}
	bad := url.Values{"name": {"纪律作风巡查清单"}, "title": {"外出执行报告", "公车使用"}, "points": {"60", "四十"}, "deduction": {"每缺一份扣10分", "违规一次扣20分"},
		"basis": {"附件1", "附件1第5项"}}
	if r := b.post(page+"/checklist", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "第2项的分值应为整数") || !strings.Contains(r.body, "四十") {
		t.Fatalf("a bad row: %d", r.status)
	}
	good := bad
	good["points"] = []string{"60", "40"}
	good["title"] = append(good["title"], "")
	good["points"] = append(good["points"], "")
	if r := b.post(page+"/checklist", good); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	if r := b.get(page); !strings.Contains(r.body, "评查表：纪律作风巡查清单（第2版，共100分）") || !strings.Contains(r.body, "公车使用") {
		t.Fatalf("the campaign after the edit:\n%s", r.body)
	}
	for _, who := range []string{"ic.bur0102"} {
		if r := e.browser().loggedIn(who).get(page + "/checklist"); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("%s edits the checklist: %d", who, r.status)
		}
	}
	var n int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM inspection_checklists WHERE name = '纪律作风巡查清单'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d versions saved: %v", n, err)
	}
}

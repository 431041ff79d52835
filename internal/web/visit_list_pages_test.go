package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestVisitListPastTheOldCap (issue 17): the High Court's watchdog saw
// 300 of 950 visits on /visits, with no count and no paging. With 320
// visits in the province the list counts them all and pages to the
// last, each visit once.
func TestVisitListPastTheOldCap(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	testdb.AddUser(t, db, "vl.dg", "鲁", "派驻纪检监察组", domain.RoleDisciplineGroup)
	addCases(t, db, 320)
	now := time.Date(2026, 5, 3, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= 320; i++ {
		testdb.Exec(t, db, `INSERT INTO visits (id, case_id, kind, court_id, step, created_by, created_at, updated_at, closed_at, month, sms_sent, replied, satisfied)
			SELECT ?, k.id, 'daily', k.court_id, 'closed', 't', ?, ?, ?, '2026-04', TRUE, TRUE, TRUE FROM cases k WHERE k.number = ?`,
			8000+i, now.Add(time.Duration(i)*time.Minute), now, now, fmt.Sprintf("（2025）鲁0102执%d号", i))
	}
	dg := e.browser().loggedIn("vl.dg")
	r := dg.get("/visits?step=all&size=200")
	if !strings.Contains(r.body, "共 320 条，第 1–200 条，第 1/2 页") || !strings.Contains(r.body, `href="/visits?page=2&amp;size=200&amp;step=all"`) {
		t.Fatalf("first page:\n%s", r.body)
	}
	seen := map[string]bool{}
	for _, path := range []string{"/visits?step=all&size=200", "/visits?page=2&size=200&step=all"} {
		body := dg.get(path).body
		for _, part := range strings.Split(body, "（2025）鲁0102执")[1:] {
			no, _, _ := strings.Cut(part, "号")
			seen[no] = true
		}
	}
	if len(seen) != 320 {
		t.Errorf("the two pages show %d of the 320 visits' cases", len(seen))
	}
	if r := dg.get("/visits?page=2&size=200&step=all"); !strings.Contains(r.body, "第 201–320 条，第 2/2 页") {
		t.Errorf("last page:\n%s", r.body)
	}
}

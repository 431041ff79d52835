package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// Issue 19: the cases waiting for a focused visit beyond a court's daily
// capacity are shown on the batches page, per court, with the next ones:
// to the command centre its own court's, to a higher court's bureau and
// watchdogs their subtree's, and never a case to an officer who handled it.
func TestFocusQueueShown(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	db := e.app.DB
	testdb.AddUser(t, db, "fq.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "fq.cc2", "鲁0202", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "fq.watch", "鲁", "派驻纪检监察组", domain.RoleDisciplineGroup)
	handler := testdb.AddUser(t, db, "fq.bureau", "鲁01", "执行局", domain.RoleBureau)
	var cases []*domain.Case
	for i := 1; i <= 5; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2024）鲁0102执%d号", i), domain.DefaultCaseTypes)
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate(fmt.Sprintf("2024-%02d-01", i)), Officer: "某人",
			Petition: i == 4, Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}})
	}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}
	rule := visit.DefaultFocusRule()
	rule.DailyCapacity = 2
	if rep, err := db.ScanFocused(ctx, store.FocusScan{Rule: rule}); err != nil || rep.Waiting != 3 {
		t.Fatalf("scan: %+v %v", rep, err)
	}
	// The petition (4) and the longest open (1) are visited; 2, 3, 5 wait.
	for _, u := range []string{"fq.cc", "fq.watch", "fq.bureau"} {
		r := e.browser().loggedIn(u).get("/visit-batches")
		if r.status != 200 || !strings.Contains(r.body, "重点回访排队") || !strings.Contains(r.body, `<td class="col-num">3</td>`) ||
			!strings.Contains(r.body, "（2024）鲁0102执2号（超过18个月未结的执行案件）<br>（2024）鲁0102执3号") || strings.Contains(r.body, "鲁0102执4号（") {
			t.Fatalf("%s: %d\n%s", u, r.status, r.body)
		}
	}
	if r := e.browser().loggedIn("fq.cc2").get("/visit-batches"); !strings.Contains(r.body, "暂无排队的重点回访案件") || strings.Contains(r.body, "鲁0102执2号") {
		t.Fatalf("another court's command centre sees the queue:\n%s", r.body)
	}
	// A case the viewer handled is neither counted nor named.
	testdb.Exec(t, db, "INSERT INTO case_officers (case_id, user_id) SELECT id, ? FROM cases WHERE number = '（2024）鲁0102执2号'", handler.ID)
	if r := e.browser().loggedIn("fq.bureau").get("/visit-batches"); strings.Contains(r.body, "鲁0102执2号") || !strings.Contains(r.body, `<td class="col-num">2</td>`) {
		t.Fatalf("the bureau sees a case it handled in the queue:\n%s", r.body)
	}
}

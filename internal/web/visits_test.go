package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

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
		batch = append(batch, &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), Officer: "测试lx.officer",
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
	path := fmt.Sprintf("/visits/batches/%d", b.ID)

	watch := e.browser().loggedIn("jn.watch")
	if r := watch.get("/visits"); !strings.Contains(r.body, "2026-10") || !strings.Contains(r.body, path) {
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
	for _, p := range []string{"/visits", path} {
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

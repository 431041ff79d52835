package store_test

import (
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestVisitTodosKeepAGenericPlan (issue 19): a consulting body's to-dos
// are its court's visits awaiting the consultation and the on-site
// visit, the earliest deadline first; and on PostgreSQL the statement
// that reads them is planned once per connection, not on every home
// page. With the steps bound as parameters PostgreSQL costed its
// generic plan for any step against custom plans for the rare ones and
// planned anew on every execution (1.3–2.2 ms of planning for 0.1–0.3 ms
// of execution at a million cases); this test's visits are as skewed:
// one in a hundred awaits the consultation, one in a hundred the
// on-site visit, the rest are closed.
func TestVisitTodosKeepAGenericPlan(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("t")
	upsert(t, db, sys, testCase(t, "（2025）鲁0102执1号", "2025-01-02"))
	caseID := caseNoID(t, db, "（2025）鲁0102执1号")
	var court int64
	if err := db.WriteDB().QueryRowContext(ctx, db.Rebind("SELECT court_id FROM cases WHERE id = ?"), caseID).Scan(&court); err != nil {
		t.Fatal(err)
	}
	const n = 20000
	due := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tx, err := db.WriteDB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	ins, err := tx.PrepareContext(ctx, db.Rebind("INSERT INTO visits (case_id, kind, court_id, step, due_at, created_by, created_at, updated_at) VALUES (?, 'daily', ?, ?, ?, 't', ?, ?)"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		step := "closed"
		switch i % 100 {
		case 0:
			step = "consultation"
		case 1:
			step = "onsite_pending"
		}
		if _, err := ins.ExecContext(ctx, caseID, court, step, due.Add(time.Duration(n-i)*time.Minute), due, due); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "todo.bureau", "鲁0102", "执行局", domain.RoleBureau), "")

	// The first five in deadline order: the latest visits inserted
	// (i = 19,901 consultation, 19,900 … ) have the earliest deadlines.
	todos, err := db.VisitTodos(ctx, bureau, 5)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, td := range todos {
		got = append(got, string(td.Step)+" "+td.Due.UTC().Format("01-02 15:04"))
	}
	want := []string{"onsite_pending 01-01 01:39", "consultation 01-01 01:40", "onsite_pending 01-01 03:19", "consultation 01-01 03:20", "onsite_pending 01-01 04:59"}
	if len(got) != len(want) {
		t.Fatalf("to-dos %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("to-dos %q, want %q", got, want)
		}
	}

	if db.Engine != store.Postgres {
		return
	}
	// One connection runs the statement eight times, as a pooled
	// connection does over eight home pages (pgx prepares it once).
	conn, err := db.WriteDB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	q, args, err := db.VisitTodoQuery(bureau, 100)
	if err != nil {
		t.Fatal(err)
	}
	for range 8 {
		rows, err := conn.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	var generic, custom int
	if err := conn.QueryRowContext(ctx, "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1", q).Scan(&generic, &custom); err != nil {
		t.Fatal(err)
	}
	if generic < 3 {
		t.Errorf("the to-do statement was planned for its parameters %d times and took a generic plan %d times in eight executions; want the generic plan from the sixth on", custom, generic)
	}
}

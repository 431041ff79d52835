package store_test

import (
	"slices"
	"strconv"
	"strings"
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
	insertRows(t, db, "INSERT INTO visits (case_id, kind, court_id, step, due_at, created_by, created_at, updated_at) VALUES (?, 'daily', ?, ?, ?, 't', ?, ?)", n, func(i int) []any {
		step := "closed"
		switch i % 100 {
		case 0:
			step = "consultation"
		case 1:
			step = "onsite_pending"
		}
		return []any{caseID, court, step, due.Add(time.Duration(n-i) * time.Minute), due, due}
	})
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
	if !slices.Equal(got, want) {
		t.Fatalf("to-dos %q, want %q", got, want)
	}

	q, args, err := db.VisitTodoQuery(bureau, 100)
	if err != nil {
		t.Fatal(err)
	}
	keepsGenericPlan(t, db, q, args)
}

// keepsGenericPlan runs q on one connection eight times, as a pooled
// connection does over eight pages (pgx prepares it once), and on
// PostgreSQL checks that the server took its generic plan from the
// sixth time on rather than planning it for its parameters every time.
func keepsGenericPlan(t *testing.T, db *store.DB, q string, args []any) {
	t.Helper()
	if db.Engine != store.Postgres {
		return // SQLite plans a prepared statement once, whatever its parameters
	}
	conn, err := db.WriteDB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for range 8 {
		rows, err := conn.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	var generic, custom int
	if err := conn.QueryRowContext(ctx, "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1", q).Scan(&generic, &custom); err != nil {
		t.Fatalf("%v: %s", err, q)
	}
	if generic < 3 {
		t.Errorf("planned for its parameters %d times and took the generic plan %d times in eight executions; want the generic plan from the sixth on: %s", custom, generic, q)
	}
}

// TestCaseListKeepsAGenericPlan (issue 19): a page of the case list in
// its default order (filed, newest first) is read by one statement that
// PostgreSQL plans once per connection: with the page's size bound as a
// parameter it costed the generic plan for a tenth of the rows, a sort,
// against custom plans walking cases_filed for the page's 51, and planned
// it on every request.
func TestCaseListKeepsAGenericPlan(t *testing.T) {
	db := testdb.Open(t)
	var court int64
	if err := db.WriteDB().QueryRowContext(ctx, db.Rebind("SELECT id FROM courts WHERE code = ?"), "鲁0102").Scan(&court); err != nil {
		t.Fatal(err)
	}
	const n = 20000
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	insertRows(t, db, "INSERT INTO cases (number, year, court_id, type, serial, filed_on, source_hash, created_at, updated_at) VALUES (?, 2025, ?, '执', ?, ?, ?, ?, ?)", n, func(i int) []any {
		i++
		filed := domain.DateOf(at.AddDate(0, 0, -i/20), time.UTC).String()
		return []any{"（2025）鲁0102执" + strconv.Itoa(i) + "号", court, i, filed, strconv.Itoa(i), at, at}
	})
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	// A viewer who sees every court (the province's bureau, or here the
	// system), whose list has no condition but the page's. For a court's
	// bureau, whose court is a parameter, PostgreSQL took the generic plan
	// on this data with the LIMIT bound too (tried).
	sys := domain.SystemViewer("t")
	var list string
	var listArgs []any
	db.BenchTrace(func(q string, args []any) {
		if strings.Contains(q, "ORDER BY k.filed_on DESC, k.id DESC") && !strings.Contains(q, "COUNT(") {
			list, listArgs = q, args
		}
	})
	page, err := db.Cases(ctx, sys, store.CaseFilter{Desc: true, Limit: 50, Page: 1})
	db.BenchTrace(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: 1–19 filed on 2026-01-01, 20–39 the day before,
	// 40–59 the day before that; the same day by id, the highest first:
	// 19 … 1, 39 … 20, 59 … 49.
	if len(page.Cases) != 50 || page.Cases[0].Number != "（2025）鲁0102执19号" || page.Cases[19].Number != "（2025）鲁0102执39号" || page.Cases[49].Number != "（2025）鲁0102执49号" {
		t.Fatalf("first page: %d cases, %s … %s", len(page.Cases), page.Cases[0].Number, page.Cases[len(page.Cases)-1].Number)
	}
	if list == "" {
		t.Fatal("the list's statement was not traced")
	}
	keepsGenericPlan(t, db, list, listArgs)
}

// insertRows inserts n rows by q, the i-th with row(i)'s arguments, in
// one transaction.
func insertRows(t *testing.T, db *store.DB, q string, n int, row func(i int) []any) {
	t.Helper()
	tx, err := db.WriteDB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	ins, err := tx.PrepareContext(ctx, db.Rebind(q))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := ins.ExecContext(ctx, row(i)...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

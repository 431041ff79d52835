package caseimport_test

import (
	"bytes"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// overlapFile is 600 rows in batches of 50 whose row 210 (the fifth
// batch) repeats the number of row 180 (the fourth) with another amount;
// numbers returns the first number of each batch as the file has it.
func overlapFile() (data []byte, firsts []string) {
	var b strings.Builder
	b.WriteString(header)
	number := func(i int) string { return "（2024）鲁0102执" + strconv.Itoa(i) + "号" }
	for i := 1; i <= 600; i++ {
		no, amount := number(i), "100"
		if i == 210 {
			no, amount = number(180), "777"
		}
		if i%50 == 1 {
			firsts = append(firsts, no)
		}
		b.WriteString(no + ",2024-03-01,张伟,执行一庭," + amount + ",有,,,申请人" + strconv.Itoa(i) + ",1380000" + strconv.Itoa(1000+i) + ",被执行人" + strconv.Itoa(i) + ",,否,\n")
	}
	return []byte(b.String()), firsts
}

// importAudits returns the object of each batch's audit record, in the
// chain's order.
func importAudits(t *testing.T, db *store.DB) []string {
	t.Helper()
	return testdb.Strings(t, db, "SELECT object_id FROM audit_log WHERE action = 'case.import' ORDER BY seq")
}

// TestFirstLoadOverlapsBatches: on PostgreSQL a first load writes a batch
// on a connection of its own while the one before it has not committed
// (held here in its audit record), and yet the batches audit and commit
// in the file's order, a case number in two adjacent batches ends as
// the later row has it, and the audit chain holds. On SQLite, one batch
// after the other, the same outcome.
func TestFirstLoadOverlapsBatches(t *testing.T) {
	defer func(n int) { caseimport.DeferIndexesFrom = n }(caseimport.DeferIndexesFrom)
	caseimport.DeferIndexesFrom = 100
	db := testdb.Open(t)
	data, firsts := overlapFile()
	var held *sql.Conn
	if db.Engine == store.Postgres {
		held = holdFirstAudit(t, db)
	}
	type outcome struct {
		res *caseimport.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := caseimport.Load(ctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importOpts(50), nil, 0)
		done <- outcome{res, err}
	}()
	if held != nil {
		// The first batch waits in its audit record; the second, written
		// beside it, waits for it in its own transaction, idle on the
		// server, its rows sent.
		var beside int
		for deadline := time.Now().Add(30 * time.Second); beside == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if err := held.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
				AND state = 'idle in transaction' AND query LIKE 'COPY%'`).Scan(&beside); err != nil {
				t.Fatal(err)
			}
		}
		if beside == 0 {
			t.Error("no batch was written beside the first while it was held")
		}
		if _, err := held.ExecContext(ctx, "SELECT pg_advisory_unlock(1913)"); err != nil {
			t.Fatal(err)
		}
	}
	o := <-done
	if o.err != nil {
		t.Fatal(o.err)
	}
	if o.res.Counts != (store.Counts{Added: 599, Updated: 1}) {
		t.Fatalf("counts %+v, want 599 added and 1 updated", o.res.Counts)
	}
	if n := count(t, db); n != 599 {
		t.Fatalf("%d cases stored, want 599", n)
	}
	k, err := db.CaseByNumber(ctx, domain.SystemViewer("t"), "（2024）鲁0102执180号")
	if err != nil {
		t.Fatal(err)
	}
	if k.Amount != 77700 || len(k.Parties) == 0 || k.Parties[0].Name != "申请人210" {
		t.Errorf("the number of rows 180 and 210: amount %d, parties %+v; want row 210's", k.Amount, k.Parties)
	}
	if got := importAudits(t, db); !slices.Equal(got, firsts) {
		t.Errorf("batches audited in the order %v, want the file's %v", got, firsts)
	}
	if v, err := db.VerifyAudit(ctx); err != nil || !v.OK {
		t.Errorf("audit chain: %+v %v", v, err)
	}
}

// holdFirstAudit makes the first batch of an import wait in its audit
// record for an advisory lock the returned connection holds until it
// unlocks it.
func holdFirstAudit(t *testing.T, db *store.DB) *sql.Conn {
	t.Helper()
	conn, err := db.WriteDB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	for _, q := range []string{
		"SELECT pg_advisory_lock(1913)",
		`CREATE FUNCTION test_hold_audit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NOT EXISTS (SELECT 1 FROM audit_log WHERE action = 'case.import') THEN PERFORM pg_advisory_xact_lock(1913); END IF;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER test_hold_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = 'case.import') EXECUTE FUNCTION test_hold_audit()`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return conn
}

// TestOverlappedBatchFailing: when a batch fails, the one written beside
// it after it is not committed either; the load reports the failure, and
// the batches before it stay.
func TestOverlappedBatchFailing(t *testing.T) {
	defer func(n int) { caseimport.DeferIndexesFrom = n }(caseimport.DeferIndexesFrom)
	caseimport.DeferIndexesFrom = 100
	db := testdb.Open(t)
	data, firsts := overlapFile()
	// The third batch's audit record fails.
	q := map[store.Engine][]string{
		store.Postgres: {
			`CREATE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'test: the third batch fails'; END $$`,
			`CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.object_id = '` + firsts[2] + `') EXECUTE FUNCTION test_fail_audit()`,
		},
		store.SQLite: {
			`CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN NEW.object_id = '` + firsts[2] + `'
			BEGIN SELECT RAISE(ABORT, 'test: the third batch fails'); END`,
		},
	}
	for _, s := range q[db.Engine] {
		if _, err := db.WriteDB().ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	_, err := caseimport.Load(ctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importOpts(50), nil, 0)
	if err == nil || !strings.Contains(err.Error(), "the third batch fails") {
		t.Fatalf("load: %v, want the third batch's failure", err)
	}
	if n := count(t, db); n != 100 {
		t.Errorf("%d cases stored, want the first two batches' 100", n)
	}
	if got := importAudits(t, db); !slices.Equal(got, firsts[:2]) {
		t.Errorf("batches audited %v, want %v", got, firsts[:2])
	}
	if v, err := db.VerifyAudit(ctx); err != nil || !v.OK {
		t.Errorf("audit chain: %+v %v", v, err)
	}
}

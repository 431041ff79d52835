package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
	"github.com/zhilian/zhilian/internal/testdb"
)

// A case import from the page is a job of the queue (issue 12): a server
// stopped in the middle of one gives it back, and the server that starts
// next on the same upload directory finishes it — every case once.
func TestCaseImportSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	db := openKeyed(t, dsn)
	testdb.AddUser(t, db, "imp.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	release := holdSecondBatch(t, db)

	const rows = 30_000
	var file bytes.Buffer
	w := bufio.NewWriter(&file)
	courts := []synth.Court{{Code: "鲁0102", Officers: []synth.Officer{{Name: "张伟", Department: "执行一庭"}}}}
	if err := synth.New(synth.Config{Seed: 11, Today: domain.MustDate("2026-11-01")}, courts).WriteCSV(w, rows); err != nil {
		t.Fatal(err)
	}
	w.Flush()

	uploads := t.TempDir()
	args := []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--sms-quiet", "off", "--upload-dir", uploads, "--shutdown-grace", "1s"}
	p := start(t, args...)
	c, code := session(t, p.url, "imp.cc", testdb.Password)
	if code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "cases.csv")
	fw.Write(file.Bytes())
	mw.Close()
	req, _ := http.NewRequest("POST", p.url+"/cases/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", p.url)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/import/") {
		t.Fatalf("upload: %d %q", res.StatusCode, loc)
	}
	var id int64
	fmt.Sscanf(strings.TrimPrefix(loc, "/cases/import/"), "%d", &id)

	imp := func() *store.Import {
		t.Helper()
		im, err := db.ImportByID(ctx, domain.SystemViewer("t"), id)
		if err != nil {
			t.Fatal(err)
		}
		return im
	}
	// Stop the server once the first batch is committed: the second is
	// held in its transaction meanwhile (holdSecondBatch), so the stop
	// cuts it whatever the speed of the import.
	deadline := time.Now().Add(60 * time.Second)
	for im := imp(); im.Status != store.ImportImporting || im.Counts.Added == 0; im = imp() {
		if im.Status == store.ImportDone || im.Status == store.ImportFailed || time.Now().After(deadline) {
			t.Fatalf("the import ended or never wrote before the stop: %+v", im)
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.stop(t)
	cut := imp()
	if cut.Status == store.ImportDone || !cut.Waiting || !strings.Contains(cut.Message, "服务重启") || cut.Counts.Added >= rows {
		t.Fatalf("after the stop: %s, waiting %v, %q (added %d)", cut.Status, cut.Waiting, cut.Message, cut.Counts.Added)
	}
	release()
	if left, _ := filepath.Glob(filepath.Join(uploads, "upload-*")); len(left) != 1 {
		t.Fatalf("%d files in the upload directory after the stop, want the upload", len(left))
	}

	p = start(t, args...)
	deadline = time.Now().Add(5 * time.Minute)
	im := imp()
	for ; im.Status != store.ImportDone && im.Status != store.ImportFailed; im = imp() {
		if time.Now().After(deadline) {
			t.Fatalf("the import did not finish after the restart: %+v", im)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.stop(t)
	var cases int
	if err := db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM cases").Scan(&cases); err != nil {
		t.Fatal(err)
	}
	t.Logf("stopped at %d of %d cases; after the restart: %s, %d cases, counts %+v", cut.Counts.Added, rows, im.Status, cases, im.Counts)
	if im.Status != store.ImportDone || cases+im.Counts.Rejected < rows || cases > rows {
		t.Fatalf("after the restart: %s %q, %d cases of %d rows (%d rejected)", im.Status, im.Message, cases, rows, im.Counts.Rejected)
	}
	if left, _ := filepath.Glob(filepath.Join(uploads, "upload-*")); len(left) != 0 {
		t.Fatalf("%d files left in the upload directory", len(left))
	}
}

// holdSecondBatch holds every batch of a case import after its first in
// the batch's transaction until the server is stopped (which cancels
// the statement) or release is called: a trigger on the import's
// progress, which each batch writes in its own transaction, fires once
// a batch has been committed. On PostgreSQL it waits for an advisory
// lock this test holds; on SQLite, where nothing waits within a
// statement, it counts to 10^12 through a cross join, which a
// cancelled statement interrupts.
func holdSecondBatch(t *testing.T, db *store.DB) (release func()) {
	t.Helper()
	ctx := context.Background()
	w := db.WriteDB()
	if db.Engine == store.Postgres {
		conn, err := w.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"SELECT pg_advisory_lock(1912)",
			`CREATE FUNCTION test_hold_batch() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN PERFORM pg_advisory_xact_lock(1912); RETURN NEW; END $$`,
			`CREATE TRIGGER test_hold_batch BEFORE UPDATE ON imports FOR EACH ROW
			WHEN (OLD.added > 0 AND NEW.added > OLD.added) EXECUTE FUNCTION test_hold_batch()`,
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		return func() {
			t.Helper()
			for _, q := range []string{"DROP TRIGGER test_hold_batch ON imports", "DROP FUNCTION test_hold_batch()", "SELECT pg_advisory_unlock(1912)"} {
				if _, err := conn.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			conn.Close()
		}
	}
	for _, q := range []string{
		"CREATE TABLE test_hold (x INTEGER)",
		"INSERT INTO test_hold (x) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000) SELECT x FROM c",
		`CREATE TRIGGER test_hold_batch BEFORE UPDATE ON imports WHEN OLD.added > 0 AND NEW.added > OLD.added
		BEGIN SELECT count(*) FROM test_hold a, test_hold b, test_hold c; END`,
	} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		t.Helper()
		for _, q := range []string{"DROP TRIGGER test_hold_batch", "DROP TABLE test_hold"} {
			if _, err := w.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}
}

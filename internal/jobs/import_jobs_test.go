package jobs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

const importCSV = "案号,立案日期,承办人,执行标的金额,申请执行人,被执行人\n" +
	"（2026）鲁0102执1号,2026-01-05,张三,1000,甲公司,乙\n" +
	"（2026）鲁0102执2号,2026-01-06,李四,2000,丙,丁公司\n"

// importFixture is a queue with an import waiting in it, as the page
// leaves one: the file in the upload directory, the job enqueued.
func importFixture(t *testing.T) (*store.DB, *jobs.Queue, int64, string) {
	t.Helper()
	db := testdb.Open(t)
	cc := testdb.AddUser(t, db, "lx.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	dir := t.TempDir()
	path := filepath.Join(dir, "upload-1")
	if err := os.WriteFile(path, []byte(importCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet(), UploadDir: dir}, jobs.Config{NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	id, err := q.StartImport(ctx, domain.ViewerFor(cc, "10.1.1.1"), "cases.csv", int64(len(importCSV)), path, "")
	if err != nil {
		t.Fatal(err)
	}
	return db, q, id, path
}

// waitImport waits until import id has ended and returns it.
func waitImport(t *testing.T, db *store.DB, id int64) *store.Import {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		im, err := db.ImportByID(ctx, domain.SystemViewer("t"), id)
		if err != nil {
			t.Fatal(err)
		}
		if im.Status == store.ImportDone || im.Status == store.ImportFailed {
			return im
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %d did not end: %+v", id, im)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func stopQueue(t *testing.T, q *jobs.Queue) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := q.Stop(sctx); err != nil {
		t.Fatal(err)
	}
}

// An uploaded file is imported by a job of the queue: recorded and
// enqueued together, run for the uploader, the file removed after.
func TestCaseImportJob(t *testing.T) {
	db, q, id, path := importFixture(t)
	im, err := db.ImportByID(ctx, domain.SystemViewer("t"), id)
	if err != nil || !im.Waiting || im.Status != store.ImportChecking {
		t.Fatalf("before the queue runs: %+v %v", im, err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer stopQueue(t, q)
	im = waitImport(t, db, id)
	if im.Status != store.ImportDone || im.Counts.Added != 2 || im.Waiting {
		t.Fatalf("after the job: %+v", im)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the upload is still there: %v", err)
	}
	var actor, addr string
	if err := db.WriteDB().QueryRowContext(ctx, "SELECT actor, remote_addr FROM audit_log WHERE action = 'case.import' ORDER BY seq DESC LIMIT 1").Scan(&actor, &addr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(actor, "lx.cc") || addr != "10.1.1.1" {
		t.Fatalf("the batches were not written for the uploader: %q from %q", actor, addr)
	}
	// An import ends once, with one record, whoever ends it again.
	ends := func() (n int) {
		db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.import_file'").Scan(&n)
		return n
	}
	before := ends()
	if err := db.FinishImport(ctx, domain.SystemViewer("t"), id, store.ImportFailed, "late", ""); err != nil {
		t.Fatal(err)
	}
	if im := waitImport(t, db, id); im.Status != store.ImportDone || ends() != before {
		t.Fatalf("a second end: %s, %d records (was %d)", im.Status, ends(), before)
	}
}

// The import queue is named by the upload directory's instance file:
// the same after a restart (or on a new host name), another for another
// directory.
func TestImportQueueName(t *testing.T) {
	db := testdb.Open(t)
	dir := t.TempDir()
	queue := func(dir string) string {
		q, err := jobs.New(jobs.Deps{DB: db, Policy: auth.DefaultPolicy, Log: quiet(), UploadDir: dir}, jobs.Config{NoPeriodic: true})
		if err != nil {
			t.Fatal(err)
		}
		return q.ImportQueue
	}
	first := queue(dir)
	if again := queue(dir); again != first || !strings.HasPrefix(first, "imports_") {
		t.Fatalf("restarted on the same directory: %s, then %s", first, again)
	}
	if other := queue(t.TempDir()); other == first {
		t.Fatal("two upload directories share a queue")
	}
	if _, err := os.Stat(filepath.Join(dir, ".instance")); err != nil {
		t.Fatal(err)
	}
}

// A worker that dies mid-import (SIGKILL, the machine gone) leaves its job
// looking "running" to the queue and the import without a heartbeat: the
// resume job enqueues it again, another worker takes it over and finishes
// it; one that has died too often is given up with a message.
func TestCaseImportResumedAfterWorkerDied(t *testing.T) {
	db, q, id, _ := importFixture(t)
	if im, err := db.ClaimImport(ctx, id); err != nil || im == nil || im.Attempts != 1 {
		t.Fatalf("claim: %+v %v", im, err)
	}
	// A second claim while the first worker beats takes nothing.
	if im, err := db.ClaimImport(ctx, id); err != nil || im != nil {
		t.Fatalf("claimed twice: %+v %v", im, err)
	}
	if _, err := db.WriteDB().ExecContext(ctx, "UPDATE river_job SET state = 'running', attempt = 1, attempted_at = CURRENT_TIMESTAMP WHERE kind = 'case_import'"); err != nil {
		t.Fatal(err)
	}
	clock := db.Now
	db.Now = func() time.Time { return clock().Add(store.ImportStaleAfter + time.Second) }
	if im, err := db.ImportByID(ctx, domain.SystemViewer("t"), id); err != nil || !im.Stalled || im.Status == store.ImportFailed {
		t.Fatalf("a dead worker's import: %+v %v", im, err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer stopQueue(t, q)
	if _, err := q.Client.Insert(ctx, jobs.ResumeImportsArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	im := waitImport(t, db, id)
	if im.Status != store.ImportDone || im.Counts.Added != 2 {
		t.Fatalf("resumed import: %+v", im)
	}
	if n := countJobs(t, db, "case_import"); n != 2 {
		t.Fatalf("%d import jobs, want the dead one and its successor", n)
	}

	// Given up after MaxImportAttempts.
	db2, q2, id2, _ := importFixture(t)
	if _, err := db2.WriteDB().ExecContext(ctx, fmt.Sprintf("UPDATE imports SET attempts = %d, waiting = FALSE WHERE id = %d", store.MaxImportAttempts, id2)); err != nil {
		t.Fatal(err)
	}
	clock2 := db2.Now
	db2.Now = func() time.Time { return clock2().Add(store.ImportStaleAfter + time.Second) }
	if err := q2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer stopQueue(t, q2)
	im = waitImport(t, db2, id2)
	if im.Status != store.ImportFailed || !strings.Contains(im.Message, "不再自动重试") {
		t.Fatalf("an import that died %d times: %+v", store.MaxImportAttempts, im)
	}
}

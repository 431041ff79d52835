package jobs

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
)

// ImportTimeout is the longest a case import may run: a 512 MB file takes
// well under half of it on the machines we measured.
const ImportTimeout = 2 * time.Hour

// ImportGiveUpAfter is how long an import may wait unfinished before it is
// given up: the server that holds its file went away for good.
const ImportGiveUpAfter = 24 * time.Hour

// importQueue names the import queue of the server whose upload directory
// is dir. The file of an upload lives on the server that took it, so its
// job must run there: each server works its own import queue (the name is
// stable across restarts of the same server), and a job left by a server
// that died waits for it to come back.
func importQueue(dir string) string {
	host, _ := os.Hostname()
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	sum := sha256.Sum256([]byte(host + "\x00" + dir))
	return "imports_" + hex.EncodeToString(sum[:8])
}

// CaseImportArgs runs the import of an uploaded case file. Attempt tells
// apart the job of a first run from one enqueued again after its worker
// died (the dead one's job still looks running to the queue).
type CaseImportArgs struct {
	ImportID int64 `json:"import_id"`
	Attempt  int   `json:"attempt"`
}

// Kind names the job type in the queue.
func (CaseImportArgs) Kind() string { return "case_import" }

// CaseImportWorker works CaseImportArgs.
type CaseImportWorker struct {
	river.WorkerDefaults[CaseImportArgs]
	DB        *store.DB
	Log       *slog.Logger
	CaseTypes []string
}

// Timeout lets an import run longer than the other jobs.
func (w *CaseImportWorker) Timeout(*river.Job[CaseImportArgs]) time.Duration { return ImportTimeout }

// Work claims the import and runs it. A shutdown gives it back to the
// queue (the job is retried when a server of this upload directory runs
// again); whatever else ends it is recorded on the import, and the job
// succeeds: running it again would not change the file.
func (w *CaseImportWorker) Work(ctx context.Context, job *river.Job[CaseImportArgs]) error {
	im, err := w.DB.ClaimImport(ctx, job.Args.ImportID)
	if err != nil {
		return err
	}
	if im == nil {
		return nil // it ended, or another worker runs it
	}
	// The end is recorded for the uploader once the import runs as them.
	actor := domain.SystemViewer("job:case_import")
	end := func(status, msg, report string) error {
		if err := w.DB.FinishImport(context.WithoutCancel(ctx), actor, im.ID, status, msg, report); err != nil {
			return fmt.Errorf("recording the end of import %d: %w", im.ID, err)
		}
		if err := os.Remove(im.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			w.Log.Warn("removing an imported upload", "import", im.ID, "err", err)
		}
		return nil
	}
	if im.Attempts > store.MaxImportAttempts {
		return end(store.ImportFailed, fmt.Sprintf("该文件导入已中断%d次，不再自动重试；请检查文件后重新导入（已导入的批次保留）。", im.Attempts-1), "")
	}
	if im.User == nil || im.User.Disabled {
		return end(store.ImportFailed, "导入人的账号已停用，导入未进行。", "")
	}
	v := domain.ViewerFor(im.User, im.RemoteAddr)
	if !v.CanImportCases() {
		return end(store.ImportFailed, "导入人已无导入案件的权限，导入未进行。", "")
	}
	actor = v
	opts := importer.Options{CaseTypes: w.CaseTypes}
	if im.Mapping != "" {
		if opts.Mapping, err = importer.ParseMapping(strings.NewReader(im.Mapping)); err != nil {
			return end(store.ImportFailed, domain.UserMessage(err), "")
		}
	}
	f, err := os.Open(im.Path)
	if err != nil {
		w.Log.Warn("an upload to import is gone", "import", im.ID, "path", im.Path, "err", err)
		return end(store.ImportFailed, "上传的文件已不在服务器上，请重新导入。", "")
	}
	defer f.Close()
	// The import beats while it runs: a page never shows progress that is
	// not happening, and a worker that dies is replaced.
	stopBeat := w.DB.BeatImport(ctx, im.ID, func(err error) { w.Log.Warn("import heartbeat", "import", im.ID, "err", err) })
	res, err := caseimport.Load(ctx, w.DB, v, f, im.Size, opts, nil, im.ID)
	stopBeat()
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		// A shutdown: what was committed stays, and the rest is done when
		// the job runs again (an import is idempotent).
		if rerr := w.DB.RequeueImport(context.WithoutCancel(ctx), im.ID, "服务重启，导入将在服务恢复后自动继续；已导入的批次保留。"); rerr != nil {
			return errors.Join(err, rerr)
		}
		w.Log.Info("case import given back at shutdown", "import", im.ID)
		return err
	}
	status, msg, report := store.ImportDone, "", ""
	if res != nil {
		report = res.Report()
	}
	if err != nil {
		status, msg = store.ImportFailed, domain.UserMessage(err)
		if errors.Is(err, context.DeadlineExceeded) {
			msg = fmt.Sprintf("导入超过%d小时未完成，已停止；已导入的批次保留，可重新导入该文件（重复导入不会重复记录）。", int(ImportTimeout.Hours()))
		}
		w.Log.Warn("case import failed", "import", im.ID, "err", err)
	}
	return end(status, msg, report)
}

// ResumeImportsArgs enqueues again the imports whose worker died, and gives
// up those that waited a day.
type ResumeImportsArgs struct{}

// Kind names the job type in the queue.
func (ResumeImportsArgs) Kind() string { return "resume_imports" }

// ResumeImportsWorker works ResumeImportsArgs.
type ResumeImportsWorker struct {
	river.WorkerDefaults[ResumeImportsArgs]
	DB     *store.DB
	Log    *slog.Logger
	Client func() *river.Client[*sql.Tx]
}

// Work enqueues a job for each stalled import in the queue of the server
// that holds its file; an equal job already waiting is not doubled.
func (w *ResumeImportsWorker) Work(ctx context.Context, job *river.Job[ResumeImportsArgs]) error {
	rs, err := w.DB.ImportsToResume(ctx)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if w.DB.Now().Sub(r.Started) > ImportGiveUpAfter {
			msg := "导入一天内未能完成（接收文件的服务器可能已停用），已停止；请重新导入该文件。"
			if err := w.DB.FinishImport(ctx, domain.SystemViewer("job:resume_imports"), r.ID, store.ImportFailed, msg, ""); err != nil {
				return err
			}
			continue
		}
		if _, err := w.Client().Insert(ctx, CaseImportArgs{ImportID: r.ID, Attempt: r.Attempts}, importInsertOpts(r.Queue)); err != nil {
			return fmt.Errorf("enqueuing import %d again: %w", r.ID, err)
		}
		w.Log.Info("case import enqueued again", "import", r.ID, "attempt", r.Attempts, "queue", r.Queue)
	}
	return nil
}

func importInsertOpts(queue string) *river.InsertOpts {
	return &river.InsertOpts{Queue: queue, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// StartImport records the import of an uploaded file for v and enqueues its
// job, in one transaction: the import runs on this server's import queue,
// where its file is.
func (q *Queue) StartImport(ctx context.Context, v domain.Viewer, fileName string, size int64, path, mapping string) (int64, error) {
	var id int64
	err := q.db.Update(ctx, v, func(tx *store.Tx) error {
		var err error
		if id, err = tx.StartImport(ctx, fileName, size, store.ImportUpload{Path: path, Mapping: mapping, Queue: q.ImportQueue}); err != nil {
			return err
		}
		return q.Enqueue(ctx, tx, CaseImportArgs{ImportID: id}, importInsertOpts(q.ImportQueue))
	})
	return id, err
}

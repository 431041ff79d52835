package jobs

import (
	"context"
	"crypto/rand"
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
// is dir. The file of an upload lives where the server that took it keeps
// its uploads, so its job must run there: each upload directory has its
// own queue, named by an id kept in the directory (.instance, made on first
// use), which a restarted or redeployed server finds again with the files
// — a container's new host name does not strand them.
func importQueue(dir string) (string, error) {
	if dir == "" {
		return "imports_local", nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("upload directory: %w", err)
	}
	path := filepath.Join(dir, ".instance")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		id := make([]byte, 8)
		if _, err := rand.Read(id); err != nil {
			return "", err
		}
		b = []byte(hex.EncodeToString(id))
		// Written aside and linked into place: a server starting beside
		// this one reads a whole id or none.
		tmp := path + "." + string(b)
		if err := os.WriteFile(tmp, b, 0o600); err != nil {
			return "", fmt.Errorf("upload directory's instance: %w", err)
		}
		err := os.Link(tmp, path)
		os.Remove(tmp)
		if errors.Is(err, os.ErrExist) {
			b, err = os.ReadFile(path) // another server made it first
		}
		if err != nil {
			return "", fmt.Errorf("upload directory's instance: %w", err)
		}
	} else if err != nil {
		return "", fmt.Errorf("upload directory's instance: %w", err)
	}
	id := strings.TrimSpace(string(b))
	if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
		return "", fmt.Errorf("upload directory's instance file %s is damaged: remove it (its waiting imports then fail after a day)", path)
	}
	return "imports_" + id, nil
}

// CaseImportArgs runs the import of an uploaded case file. Attempt (the
// import's claims so far) tells apart the job of a first run from one
// enqueued again after its worker died: the dead one's job still looks
// running to the queue, and River does not insert a job equal to it.
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
func (w *CaseImportWorker) Work(ctx context.Context, job *river.Job[CaseImportArgs]) (err error) {
	im, err := w.DB.ClaimImport(ctx, job.Args.ImportID)
	if err != nil {
		return err
	}
	if im == nil {
		return nil // it ended, or another worker runs it
	}
	// A file that panics the reader (a malformed workbook) fails its
	// import, not the queue, and is not tried again.
	defer func() {
		if p := recover(); p != nil {
			w.Log.Error("case import panicked", "import", im.ID, "panic", p)
			err = w.finish(ctx, domain.SystemViewer("job:case_import"), im, store.ImportFailed, "文件无法读取（格式损坏），导入已停止；请检查文件后重新导入。", "")
		}
	}()
	// The end is recorded for the uploader once the import runs as them.
	actor := domain.SystemViewer("job:case_import")
	end := func(status, msg, report string) error { return w.finish(ctx, actor, im, status, msg, report) }
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
	defer stopBeat() // also if the reader panics
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

// finish records the end of an import for actor and removes its upload.
func (w *CaseImportWorker) finish(ctx context.Context, actor domain.Viewer, im *store.ClaimedImport, status, msg, report string) error {
	if err := w.DB.FinishImport(context.WithoutCancel(ctx), actor, im.ID, status, msg, report); err != nil {
		return fmt.Errorf("recording the end of import %d: %w", im.ID, err)
	}
	if err := os.Remove(im.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		w.Log.Warn("removing an imported upload", "import", im.ID, "err", err)
	}
	return nil
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
		if _, err := w.Client().Insert(ctx, CaseImportArgs{ImportID: r.ID, Attempt: r.Claims}, importInsertOpts(r.Queue)); err != nil {
			return fmt.Errorf("enqueuing import %d again: %w", r.ID, err)
		}
		w.Log.Info("case import enqueued again", "import", r.ID, "after_claims", r.Claims, "queue", r.Queue)
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

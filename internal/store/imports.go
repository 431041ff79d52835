package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// Import is one case file import.
type Import struct {
	ID                                int64
	UserID                            int64
	FileName, Format, Status, Message string
	FileSize, DoneBytes               int64
	RowsRead, ErrorCount              int
	Counts                            Counts
	Report                            string
	StartedAt, FinishedAt             time.Time
	// Waiting: not claimed by a worker yet, or given back at a shutdown.
	Waiting bool
	// Stalled: its worker stopped beating; the queue gives it to another.
	Stalled bool
}

// Import statuses.
const (
	ImportChecking  = "checking"
	ImportImporting = "importing"
	ImportDone      = "done"
	ImportFailed    = "failed"
)

// MaxReportBytes bounds the stored row-error report; the counts stay exact.
const MaxReportBytes = 8 << 20

// ImportUpload is a case file a server took from the page, waiting in
// its upload directory for the import job.
type ImportUpload struct {
	Path    string // the file in the server's upload directory
	Mapping string // the column mapping file as uploaded, or ""
	Queue   string // the import queue of the server that holds the file
}

// StartImport records an import run at once by the command line, and
// returns its id.
func (db *DB) StartImport(ctx context.Context, v domain.Viewer, fileName string, size int64) (int64, error) {
	var id int64
	err := db.Update(ctx, v, func(tx *Tx) error {
		var err error
		id, err = tx.StartImport(ctx, fileName, size, ImportUpload{})
		return err
	})
	return id, err
}

// StartImport records an import for tx's viewer. One with an upload waits
// for a worker of the queue, whose job the caller enqueues in tx.
func (tx *Tx) StartImport(ctx context.Context, fileName string, size int64, up ImportUpload) (int64, error) {
	v := tx.v
	if !v.CanImportCases() {
		return 0, domain.Errorf(domain.ErrForbidden, "只有执行局、执行指挥中心可以导入案件。")
	}
	var id int64
	now := tx.db.now()
	err := tx.queryRow(ctx, `INSERT INTO imports (user_id, court_path, file_name, file_size, status, started_at, heartbeat_at, upload_path, mapping, queue, remote_addr, waiting)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(v.UserID), v.CourtPath, fileName, size, ImportChecking, now, now, up.Path, up.Mapping, up.Queue, v.RemoteAddr, up.Path != "").Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("recording import: %w", translate(err))
	}
	return id, nil
}

// ClaimedImport is an import a worker has taken: its file, its mapping and
// the user it runs for.
type ClaimedImport struct {
	ID                   int64
	User                 *domain.User // nil if the account was deleted
	RemoteAddr, FileName string
	Path, Mapping        string
	Size                 int64
	Attempts             int // claims so far, this one included
	Started              time.Time
}

// MaxImportAttempts is how many workers may take an import in turn before
// it is given up: a file that kills its worker does not do so for ever.
const MaxImportAttempts = 3

// ClaimImport takes import id for a worker: one waiting, or one whose
// worker stopped beating. It returns nil when there is nothing to take —
// the import ended, or another worker runs it.
func (db *DB) ClaimImport(ctx context.Context, id int64) (*ClaimedImport, error) {
	var im *ClaimedImport
	err := db.Update(ctx, domain.SystemViewer("job:case_import"), func(tx *Tx) error {
		im = nil
		now := tx.db.now()
		c := &ClaimedImport{ID: id}
		var uid sql.NullInt64
		err := tx.queryRow(ctx, `UPDATE imports SET waiting = FALSE, attempts = attempts + 1, claims = claims + 1, heartbeat_at = ?, status = ?, message = '', done_bytes = 0, rows_read = 0
			WHERE id = ? AND upload_path <> '' AND status IN (?, ?) AND (waiting OR COALESCE(heartbeat_at, started_at) < ?)
			RETURNING user_id, remote_addr, file_name, file_size, upload_path, mapping, attempts, started_at`,
			now, ImportChecking, id, ImportChecking, ImportImporting, now.Add(-ImportStaleAfter)).
			Scan(&uid, &c.RemoteAddr, &c.FileName, &c.Size, &c.Path, &c.Mapping, &c.Attempts, &c.Started)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("claiming import %d: %w", id, translate(err))
		}
		if uid.Valid {
			u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", uid.Int64))
			if err != nil {
				return fmt.Errorf("loading the importer of import %d: %w", id, err)
			}
			if err := loadRoles(ctx, tx, u); err != nil {
				return err
			}
			c.User = u
		}
		im = c
		return nil
	})
	return im, err
}

// RequeueImport gives a claimed import back at a shutdown: it waits for a
// worker again, and the shutdown does not count as one of its attempts.
func (db *DB) RequeueImport(ctx context.Context, id int64, message string) error {
	return db.Update(ctx, domain.SystemViewer("job:case_import"), func(tx *Tx) error {
		_, err := tx.exec(ctx, "UPDATE imports SET waiting = TRUE, attempts = attempts - 1, message = ?, heartbeat_at = ? WHERE id = ? AND status IN (?, ?)",
			message, tx.db.now(), id, ImportChecking, ImportImporting)
		if err != nil {
			return fmt.Errorf("giving back import %d: %w", id, err)
		}
		return nil
	})
}

// ImportToResume is an import whose worker stopped, or that has waited
// longer than it should: its job is enqueued again (Claims, which only
// grows, tells the jobs of one import apart).
type ImportToResume struct {
	ID      int64
	Claims  int
	Queue   string
	Started time.Time
}

// ImportsToResume returns the unfinished imports of uploads that nobody
// has beaten for ImportStaleAfter: their worker died, or their job waits.
func (db *DB) ImportsToResume(ctx context.Context) ([]ImportToResume, error) {
	out, err := collect(ctx, db, func(row scanner) (r ImportToResume, err error) {
		err = row.Scan(&r.ID, &r.Claims, &r.Queue, &r.Started)
		return r, err
	}, `SELECT id, claims, queue, started_at FROM imports WHERE upload_path <> '' AND status IN (?, ?) AND COALESCE(heartbeat_at, started_at) < ? ORDER BY id`,
		ImportChecking, ImportImporting, db.now().Add(-ImportStaleAfter))
	if err != nil {
		return nil, fmt.Errorf("finding imports to resume: %w", err)
	}
	return out, nil
}

// LiveUploads returns the upload files of imports not yet ended, which a
// starting server must keep.
func (db *DB) LiveUploads(ctx context.Context) (map[string]bool, error) {
	paths, err := collect(ctx, db, scanString, "SELECT upload_path FROM imports WHERE upload_path <> '' AND status IN (?, ?)", ImportChecking, ImportImporting)
	if err != nil {
		return nil, fmt.Errorf("finding live uploads: %w", err)
	}
	live := map[string]bool{}
	for _, p := range paths {
		live[p] = true
	}
	return live, nil
}

// ImportProgress stores progress inside the batch's transaction, so that
// what the page shows is what has been committed.
func (tx *Tx) ImportProgress(ctx context.Context, id int64, status, format string, doneBytes int64, rows int, n Counts, errorCount int) error {
	res, err := tx.exec(ctx, `UPDATE imports SET status = ?, format = ?, done_bytes = ?, rows_read = ?, added = ?, updated = ?, unchanged = ?, rejected = ?, error_count = ?,
		heartbeat_at = ? WHERE id = ? AND status IN (?, ?)`,
		status, format, doneBytes, rows, n.Added, n.Updated, n.Unchanged, n.Rejected, errorCount, tx.db.now(), id, ImportChecking, ImportImporting)
	if err != nil {
		return fmt.Errorf("recording import progress: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		// Given up meanwhile (it waited a day, or was marked dead): this
		// worker stops, and its batch is not committed.
		return domain.Errorf(domain.ErrConflict, "该导入已结束，不再继续。")
	}
	return nil
}

// FinishImport records the end of an import that has not ended yet: done,
// or failed with a message for users. The row-error report is kept up to
// MaxReportBytes.
func (db *DB) FinishImport(ctx context.Context, v domain.Viewer, id int64, status, message, report string) error {
	if len(report) > MaxReportBytes {
		report = report[:MaxReportBytes] + "\n（错误报告过长，已截断）\n"
	}
	return db.Update(ctx, v, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE imports SET status = ?, message = ?, report = ?, finished_at = ? WHERE id = ? AND status IN (?, ?)",
			status, message, report, tx.db.now(), id, ImportChecking, ImportImporting)
		if err != nil {
			return fmt.Errorf("finishing import: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return nil // it ended already (given up, or a worker beat this one to it): one end, one record
		}
		var n Counts
		var file string
		if err := tx.queryRow(ctx, "SELECT file_name, added, updated, unchanged, rejected FROM imports WHERE id = ?", id).Scan(&file, &n.Added, &n.Updated, &n.Unchanged, &n.Rejected); err != nil {
			return translate(err)
		}
		return tx.Audit(ctx, Entry{Action: "case.import_file", ObjectType: "import", ObjectID: fmt.Sprint(id), Success: status == ImportDone,
			Detail: fmt.Sprintf("%s：新增%d，更新%d，未变%d，拒绝%d。%s", file, n.Added, n.Updated, n.Unchanged, n.Rejected, message)})
	})
}

// ImportByID returns an import its user (or the system) may see. An import
// whose process died is shown as failed, not as running.
func (db *DB) ImportByID(ctx context.Context, v domain.Viewer, id int64) (*Import, error) {
	if err := db.FailStaleImports(ctx); err != nil {
		return nil, err
	}
	var im Import
	var uid sql.NullInt64
	var fin sql.NullTime
	var beat sql.NullTime
	err := db.queryRow(ctx, `SELECT id, user_id, file_name, file_size, format, status, message, done_bytes, rows_read, added, updated, unchanged, rejected,
		error_count, report, started_at, finished_at, waiting, heartbeat_at FROM imports WHERE id = ?`, id).Scan(&im.ID, &uid, &im.FileName, &im.FileSize, &im.Format, &im.Status,
		&im.Message, &im.DoneBytes, &im.RowsRead, &im.Counts.Added, &im.Counts.Updated, &im.Counts.Unchanged, &im.Counts.Rejected, &im.ErrorCount,
		&im.Report, &im.StartedAt, &fin, &im.Waiting, &beat)
	if err != nil {
		return nil, fmt.Errorf("loading import %d: %w", id, translate(err))
	}
	im.UserID, im.FinishedAt = uid.Int64, timeOf(fin)
	running := im.Status == ImportChecking || im.Status == ImportImporting
	last := im.StartedAt
	if beat.Valid {
		last = beat.Time
	}
	im.Stalled = running && !im.Waiting && last.Before(db.now().Add(-ImportStaleAfter))
	if !v.System && im.UserID != v.UserID {
		return nil, fmt.Errorf("loading import %d: %w", id, domain.ErrNotFound)
	}
	return &im, nil
}

// ImportStaleAfter is how long a running import may go without a beat
// before it is taken for dead: its process stopped or was killed.
const ImportStaleAfter = 90 * time.Second

// ImportHeartbeat says a running import is alive: the process that runs it
// beats every few seconds, also while it reads the file before writing.
func (db *DB) ImportHeartbeat(ctx context.Context, id int64) error {
	_, err := db.write.ExecContext(ctx, db.rebind("UPDATE imports SET heartbeat_at = ? WHERE id = ? AND status IN (?, ?)"), db.now(), id, ImportChecking, ImportImporting)
	if err != nil {
		return fmt.Errorf("import heartbeat: %w", translate(err))
	}
	return nil
}

// BeatImport beats for a running import until the returned stop is called:
// every sixth of ImportStaleAfter, also while the file is read before any
// write. Errors of a beat go to report.
func (db *DB) BeatImport(ctx context.Context, id int64, report func(error)) (stop func()) {
	beat, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(ImportStaleAfter / 6)
		defer t.Stop()
		for {
			select {
			case <-beat.Done():
				return
			case <-t.C:
				if err := db.ImportHeartbeat(beat, id); err != nil && beat.Err() == nil {
					report(err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// FailStaleImports marks the command line's imports whose beat stopped as
// failed, so that nobody waits for them, and audits each (those from the
// page are resumed by the queue instead). Re-importing the file is safe:
// imports are idempotent. It runs at start-up and whenever an import is
// looked at.
func (db *DB) FailStaleImports(ctx context.Context) error {
	// Most looks find none: a read first, a write only for a stale one.
	var stale bool
	if err := db.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM imports WHERE upload_path = '' AND status IN (?, ?) AND COALESCE(heartbeat_at, started_at) < ?)",
		ImportChecking, ImportImporting, db.now().Add(-ImportStaleAfter)).Scan(&stale); err != nil || !stale {
		return translate(err)
	}
	return db.Update(ctx, domain.SystemViewer("import-watch"), func(tx *Tx) error {
		now := tx.db.now()
		ids, err := collect(ctx, tx, scanID, "SELECT id FROM imports WHERE upload_path = '' AND status IN (?, ?) AND COALESCE(heartbeat_at, started_at) < ?",
			ImportChecking, ImportImporting, now.Add(-ImportStaleAfter))
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.exec(ctx, "UPDATE imports SET status = ?, message = ?, finished_at = ? WHERE id = ? AND status IN (?, ?)",
				ImportFailed, "导入过程中服务已停止；已导入的批次保留，可重新导入该文件（重复导入不会重复记录）。", now, id, ImportChecking, ImportImporting); err != nil {
				return err
			}
			if err := tx.Audit(ctx, Entry{Action: "case.import_file", ObjectType: "import", ObjectID: fmt.Sprint(id), Success: false,
				Detail: "导入进程已停止，标记为失败"}); err != nil {
				return err
			}
		}
		return nil
	})
}

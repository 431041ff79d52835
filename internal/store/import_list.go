package store

import (
	"context"
	"database/sql"

	"github.com/zhilian/zhilian/internal/domain"
)

// ImportSorts are the orders of a user's list of case imports.
var ImportSorts = Sorts{Keys: map[string][]string{"started": {"started_at"}, "file": {"file_name"}},
	Default: "started", DefaultDesc: true, Tie: "id"}

// importListColumns leave out the error report, which only its own
// download reads.
const importListColumns = `id, user_id, file_name, file_size, format, status, message, done_bytes, rows_read, added, updated, unchanged, rejected,
	error_count, started_at, finished_at, waiting`

func scanImportRow(sc scanner) (*Import, error) {
	var im Import
	var uid sql.NullInt64
	var fin sql.NullTime
	err := sc.Scan(&im.ID, &uid, &im.FileName, &im.FileSize, &im.Format, &im.Status, &im.Message, &im.DoneBytes, &im.RowsRead,
		&im.Counts.Added, &im.Counts.Updated, &im.Counts.Unchanged, &im.Counts.Rejected, &im.ErrorCount, &im.StartedAt, &fin, &im.Waiting)
	im.UserID, im.FinishedAt = uid.Int64, timeOf(fin)
	return &im, err
}

// Imports is one page of the case imports v started: an import is seen by
// its user alone (ImportByID), so the history is the viewer's own.
func (db *DB) Imports(ctx context.Context, v domain.Viewer, r PageReq) ([]*Import, PageInfo, error) {
	if err := db.FailStaleImports(ctx); err != nil {
		return nil, PageInfo{}, err
	}
	return listPage(ctx, db, scanImportRow, importListColumns, " FROM imports", "user_id = ?", []any{v.UserID}, r, ImportSorts, "imports")
}

package web

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/store"
)

// importRow is one line of the user's import history.
type importRow struct {
	ID                                       int64
	FileName, Started, Status                string
	Added, Updated, Unchanged, Rejected, Row int
	Failed, Running                          bool
}

// importStatus labels an import's status for its list.
var importStatus = map[string]string{store.ImportChecking: "正在检查文件", store.ImportImporting: "正在导入", store.ImportDone: "导入完成", store.ImportFailed: "导入失败"}

// importHistory reads the page of the viewer's case imports that r asks
// for (the list named with prefix "i", beside the import forms).
func (s *Server) importHistory(r *http.Request, rq *request) ([]importRow, *listing, error) {
	l := newListingAs(r, store.ImportSorts, "i")
	ims, info, err := s.DB.Imports(r.Context(), rq.viewer, l.Req)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]importRow, len(ims))
	for i, im := range ims {
		rows[i] = importRow{ID: im.ID, FileName: im.FileName, Started: formatTime(im.StartedAt), Status: importStatus[im.Status],
			Added: im.Counts.Added, Updated: im.Counts.Updated, Unchanged: im.Counts.Unchanged, Rejected: im.Counts.Rejected, Row: im.RowsRead,
			Failed: im.Status == store.ImportFailed, Running: im.Status == store.ImportChecking || im.Status == store.ImportImporting}
	}
	return rows, l.done(info), nil
}

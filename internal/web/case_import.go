package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
)

// maxUpload is the largest case file accepted: the importer's own limit.
const maxUpload = importer.DefaultMaxBytes

func (s *Server) caseImportForm(w http.ResponseWriter, r *http.Request, rq *request) {
	if !s.canImport(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有执行局、执行指挥中心可以导入案件。"))
		return
	}
	imports, list, err := s.importHistory(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case_import", &page{Title: "导入案件", Data: struct {
		Columns []string
		Imports []importRow
		List    *listing
	}{importer.StandardColumns(), imports, list}})
}

// Importer records an import of an uploaded file and enqueues its job, in
// one transaction (jobs.Queue).
type Importer interface {
	StartImport(ctx context.Context, v domain.Viewer, fileName string, size int64, path, mapping string) (int64, error)
}

// caseImportStart saves the upload to the upload directory (never whole in
// memory), records the import and enqueues its job; the browser goes to
// the import's page, which shows progress until it is done. The job
// survives a restart of the server.
func (s *Server) caseImportStart(w http.ResponseWriter, r *http.Request, rq *request) {
	if !s.canImport(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有执行局、执行指挥中心可以导入案件。"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		s.fail(w, r, domain.Errorf(domain.ErrInvalid, "请通过页面上的表单上传文件。"))
		return
	}
	var tmp *os.File
	var name, mapping string
	defer func() {
		if tmp != nil {
			tmp.Close()
			if err != nil {
				os.Remove(tmp.Name())
			}
		}
	}()
	for {
		var part *multipart.Part
		part, err = mr.NextPart()
		if errors.Is(err, io.EOF) {
			err = nil
			break
		}
		if err != nil {
			s.fail(w, r, domain.Errorf(domain.ErrInvalid, "文件超过%dMB或上传中断，请重试。", maxUpload>>20))
			return
		}
		switch part.FormName() {
		case "file":
			if part.FileName() == "" {
				continue
			}
			if tmp != nil {
				err = domain.Errorf(domain.ErrInvalid, "一次只能导入一个文件。")
				s.fail(w, r, err)
				return
			}
			name = filepath.Base(part.FileName())
			if tmp, err = os.CreateTemp(s.UploadDir, "upload-*"); err != nil {
				s.fail(w, r, err)
				return
			}
			if _, err = io.Copy(tmp, part); err != nil {
				s.fail(w, r, domain.Errorf(domain.ErrInvalid, "文件超过%dMB或上传中断，请重试。", maxUpload>>20))
				return
			}
		case "mapping":
			if part.FileName() == "" {
				continue
			}
			// Checked now, kept as sent: the job parses it again.
			var b []byte
			if b, err = io.ReadAll(io.LimitReader(part, 1<<20+1)); err != nil {
				s.fail(w, r, domain.Errorf(domain.ErrInvalid, "映射文件上传中断，请重试。"))
				return
			}
			if _, err = importer.ParseMapping(bytes.NewReader(b)); err != nil {
				s.fail(w, r, err)
				return
			}
			mapping = string(b)
		}
	}
	if tmp == nil {
		err = domain.Errorf(domain.ErrInvalid, "请选择要导入的案件文件（CSV 或 XLSX）。")
		s.fail(w, r, err)
		return
	}
	st, err := tmp.Stat()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err = tmp.Sync(); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := s.Imports.StartImport(r.Context(), rq.viewer, name, st.Size(), tmp.Name(), mapping)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/import/%d", id), http.StatusSeeOther)
}

type importView struct {
	ID                                         int64
	FileName, Format, Status, Message, Started string
	Running, Failed, Waiting, Stalled          bool
	Percent                                    int
	Rows, ErrorCount                           int
	Counts                                     store.Counts
	HasReport                                  bool
}

func (s *Server) caseImportShow(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	im, err := s.DB.ImportByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := importView{ID: im.ID, FileName: im.FileName, Format: im.Format, Message: im.Message, Started: formatTime(im.StartedAt),
		Running: im.Status == store.ImportChecking || im.Status == store.ImportImporting, Failed: im.Status == store.ImportFailed,
		Rows: im.RowsRead, ErrorCount: im.ErrorCount, Counts: im.Counts, HasReport: im.ErrorCount > 0 && im.Report != "", Waiting: im.Waiting, Stalled: im.Stalled}
	v.Status = map[string]string{store.ImportChecking: "正在检查文件", store.ImportImporting: "正在导入", store.ImportDone: "导入完成", store.ImportFailed: "导入失败"}[im.Status]
	switch {
	case v.Running && im.Waiting:
		v.Status = "正在排队等待导入"
	case im.Stalled:
		v.Status = "导入进程已中断，即将自动继续"
	}
	if im.FileSize > 0 {
		v.Percent = int(im.DoneBytes * 100 / im.FileSize)
	}
	if im.Status == store.ImportDone {
		v.Percent = 100
	}
	if v.Running {
		// A plain meta refresh keeps the page current without any script.
		w.Header().Set("Refresh", "2")
	}
	s.render(w, r, http.StatusOK, "case_import_status", &page{Title: "导入案件", Data: v})
}

func (s *Server) caseImportReport(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	im, err := s.DB.ImportByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("导入错误报告-"+strconv.FormatInt(id, 10)+".csv"))
	io.WriteString(w, im.Report)
}

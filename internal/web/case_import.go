package web

import (
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
	"time"

	"github.com/zhilian/zhilian/internal/caseimport"
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
	s.render(w, r, http.StatusOK, "case_import", &page{Title: "导入案件", Data: struct{ Columns []string }{importer.StandardColumns()}})
}

// caseImportStart saves the upload to a temporary file (never whole in
// memory), records the import and runs it in the background; the browser
// goes to the import's page, which shows progress until it is done.
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
	var name string
	var opts = importer.Options{CaseTypes: s.CaseTypes}
	defer func() {
		if tmp != nil && err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
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
			if opts.Mapping, err = importer.ParseMapping(io.LimitReader(part, 1<<20)); err != nil {
				s.fail(w, r, err)
				return
			}
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
	id, err := s.DB.StartImport(r.Context(), rq.viewer, name, st.Size())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.background(func(ctx context.Context) { s.runImport(ctx, rq.viewer, id, tmp, st.Size(), opts) })
	http.Redirect(w, r, fmt.Sprintf("/cases/import/%d", id), http.StatusSeeOther)
}

// runImport does the import and records how it ended; the temporary file
// goes when it is done.
func (s *Server) runImport(ctx context.Context, v domain.Viewer, id int64, f *os.File, size int64, opts importer.Options) {
	defer os.Remove(f.Name())
	defer f.Close()
	// The import beats while it runs: a page never shows progress that is
	// not happening.
	stopBeat := s.DB.BeatImport(ctx, id, func(err error) { s.Log.Warn("import heartbeat", "import", id, "err", err) })
	defer stopBeat()
	res, err := caseimport.Load(ctx, s.DB, v, f, size, opts, nil, id)
	status, msg, report := store.ImportDone, "", ""
	if res != nil {
		report = res.Report()
	}
	if err != nil {
		status, msg = store.ImportFailed, domain.UserMessage(err)
		if errors.Is(err, context.Canceled) {
			msg = "服务停止，导入中断；已导入的批次保留，可重新导入该文件（重复导入不会重复记录）。"
		}
		s.Log.Warn("case import failed", "import", id, "err", err)
	}
	if err := s.DB.FinishImport(context.WithoutCancel(ctx), v, id, status, msg, report); err != nil {
		s.Log.Error("recording the end of an import", "import", id, "err", err)
	}
}

type importView struct {
	ID                                         int64
	FileName, Format, Status, Message, Started string
	Running, Failed                            bool
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
		Rows: im.RowsRead, ErrorCount: im.ErrorCount, Counts: im.Counts, HasReport: im.ErrorCount > 0 && im.Report != ""}
	v.Status = map[string]string{store.ImportChecking: "正在检查文件", store.ImportImporting: "正在导入", store.ImportDone: "导入完成", store.ImportFailed: "导入失败"}[im.Status]
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

// background runs fn outside the request, with the server's lifetime
// context, and lets shutdown wait for it.
func (s *Server) background(fn func(ctx context.Context)) {
	ctx := s.BaseContext
	if ctx == nil {
		ctx = context.Background()
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		fn(ctx)
	}()
}

// Wait waits up to d for background work (imports) to end after the base
// context was cancelled.
func (s *Server) Wait(d time.Duration) {
	done := make(chan struct{})
	go func() { s.bg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

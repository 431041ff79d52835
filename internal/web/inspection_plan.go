package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// inspectionPlanUpload keeps a file with a campaign's plan and goes back
// to the campaign, or shows it again with the refusal beside the upload.
// Nothing is kept before the store has checked the viewer's right: a
// request it cannot read still asks the store, which refuses it first.
func (s *Server) inspectionPlanUpload(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var f store.FileIn
	r.Body = http.MaxBytesReader(w, r.Body, store.MaxAttachment+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err == nil {
		if file, h, err := r.FormFile("file"); err == nil {
			data, rerr := io.ReadAll(io.LimitReader(file, store.MaxAttachment+1))
			file.Close()
			if rerr != nil {
				s.fail(w, r, domain.Invalid("file", "文件读取失败"))
				return
			}
			f = store.FileIn{Name: h.Filename, Data: data}
		}
	}
	if _, err := s.DB.AddInspectionPlanFile(r.Context(), rq.viewer, id, f); err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderInspection(w, r, rq, http.StatusUnprocessableEntity, fe)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已上传工作方案附件。")
	http.Redirect(w, r, fmt.Sprintf("/inspections/%d#plan", id), http.StatusSeeOther)
}

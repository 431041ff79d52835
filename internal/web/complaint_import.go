package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// Complaints files are small (a court's month of letters and calls):
// read whole, at most this big and this long.
const (
	maxComplaintFile = 10 << 20
	maxComplaintRows = 5000
)

// complaintImport enters the complaints and petitions of an uploaded CSV
// or XLSX file about a court, and shows what went in and which rows did
// not, with the reason.
func (s *Server) complaintImport(w http.ResponseWriter, r *http.Request, rq *request) {
	if !oversight.CanRegister(rq.viewer, rq.viewer.CourtPath) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "您无权登记投诉举报、信访。"))
		return
	}
	data, filename, err := readTableUpload(w, r, maxComplaintFile, "文件")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := strings.TrimSpace(r.FormValue("court"))
	if code == "" {
		code = rq.viewer.CourtCode
	}
	rows, err := importer.ReadComplaints(bytes.NewReader(data), int64(len(data)), maxComplaintFile, maxComplaintRows)
	if err != nil {
		s.fail(w, r, domain.Errorf(domain.ErrInvalid, "%s", domain.UserMessage(err)))
		return
	}
	var good []store.ImportedComplaint
	var refused []store.ComplaintRowError
	for _, row := range rows {
		if row.Err != nil {
			refused = append(refused, store.ComplaintRowError{Row: row.Row, Message: domain.UserMessage(row.Err)})
			continue
		}
		good = append(good, store.ImportedComplaint{Row: row.Row, Complaint: row.Complaint})
	}
	added, more, err := s.DB.ImportComplaints(r.Context(), rq.viewer, code, good)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	refused = append(refused, more...)
	s.render(w, r, http.StatusOK, "complaint_import", &page{Title: "导入投诉举报、信访", Data: struct {
		File    string
		Rows    int
		Added   int
		Refused []store.ComplaintRowError
		Summary string
	}{filename, len(rows), added, refused, fmt.Sprintf("共 %d 行，导入 %d 件，拒绝 %d 行", len(rows), added, len(refused))}})
}

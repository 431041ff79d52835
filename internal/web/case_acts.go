package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// An acts file is read whole and stored in one transaction: at most this
// big and this long (a court's export of a few months of acts). Larger
// exports go in parts, or through the API's actions.
const (
	maxActsFile = 20 << 20
	maxActsRows = 100_000
)

// actsImport stores the enforcement acts of an uploaded CSV or XLSX file
// (案号, 行为, 日期, 金额, 备注): each case's rows replace its acts, as the
// API's actions do; the page shows what went in and which rows did not.
func (s *Server) actsImport(w http.ResponseWriter, r *http.Request, rq *request) {
	if !s.canImport(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有执行局、执行指挥中心可以导入执行行为。"))
		return
	}
	data, filename, err := readTableUpload(w, r, maxActsFile, "执行行为文件")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := importer.ReadActs(bytes.NewReader(data), int64(len(data)), maxActsFile, maxActsRows, s.CaseTypes)
	if err != nil {
		s.fail(w, r, domain.Errorf(domain.ErrInvalid, "%s", domain.UserMessage(err)))
		return
	}
	var good []store.ActRow
	var refused []store.ActRowError
	for _, row := range rows {
		if row.Err != nil {
			refused = append(refused, store.ActRowError{Row: row.Row, CaseNo: row.CaseNo, Message: domain.UserMessage(row.Err)})
			continue
		}
		good = append(good, store.ActRow{Row: row.Row, CaseNo: row.CaseNo, Act: row.Act})
	}
	res, err := s.DB.ImportActs(r.Context(), rq.viewer, good)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	refused = append(refused, res.Refused...)
	s.render(w, r, http.StatusOK, "acts_import", &page{Title: "导入执行行为", Data: struct {
		File    string
		Refused []store.ActRowError
		Summary string
	}{filename, refused, fmt.Sprintf("共 %d 行；%d 件案件的执行行为已导入（其中 %d 件有变化），共 %d 条；拒绝 %d 行",
		len(rows), res.Cases, res.Changed, res.Acts, len(refused))}})
}

type actRow struct{ On, Kind, Amount, Note string }

// casePatrol adds a case's acts, and its patrol findings for those who see
// them, to its page.
func (s *Server) casePatrol(r *http.Request, rq *request, k *domain.Case, d *caseDetail) error {
	acts, err := s.DB.ActsOfCase(r.Context(), k)
	if err != nil {
		return err
	}
	for _, a := range acts {
		row := actRow{On: a.On.String(), Kind: a.Kind.Label(), Note: a.Note}
		if a.Amount > 0 {
			row.Amount = domain.FormatAmount(a.Amount)
		}
		d.Acts = append(d.Acts, row)
	}
	fs, err := s.DB.FindingsOfCase(r.Context(), rq.viewer, k)
	if err != nil {
		return err
	}
	d.ShowFindings = tracking.CanSeeFindings(rq.viewer, k.CourtPath) && !(rq.viewer.UserID != 0 && rq.viewer.UserID == k.OfficerID)
	d.Findings = findingViews(rq.viewer, fs)
	d.Back = fmt.Sprintf("/cases/%d#patrol", k.ID)
	return nil
}

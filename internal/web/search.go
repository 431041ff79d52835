package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// search is the global search of the page header: cases by number in any
// partial form or by officer, parties by any part of their name, staff by
// name, each group limited by the store to what the viewer may read.
func (s *Server) search(w http.ResponseWriter, r *http.Request, rq *request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	res, err := s.DB.Search(r.Context(), rq.viewer, q, s.CaseTypes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type staffRow struct {
		Name, Court, Department, Href string
	}
	d := struct {
		Query      string
		ReadsCases bool
		Cases      []caseRow
		CaseTotal  int
		CasesURL   string
		Parties    any
		PartiesCut bool
		Walked     int
		Staff      []staffRow
		Empty      bool
	}{Query: q, ReadsCases: res.ReadsCases, Parties: res.Parties, PartiesCut: res.PartiesCut, Walked: res.Walked}
	if res.Cases != nil {
		today := s.today()
		for _, k := range res.Cases.Cases {
			d.Cases = append(d.Cases, caseRow{ID: k.ID, Number: k.Number, Court: k.CourtName, FiledOn: k.FiledOn.String(), Officer: k.Officer,
				Department: k.Department, ClosedOn: k.ClosedOn.String(), Closed: k.Closed(), Overdue: k.Overdue(today)})
		}
		d.CaseTotal = res.Cases.Total
		if res.Cases.Next != "" {
			d.CasesURL = "/cases?q=" + url.QueryEscape(q)
		}
	}
	for _, h := range res.Staff {
		row := staffRow{Name: h.Name, Court: h.CourtName, Department: h.Department}
		switch {
		case rq.viewer.ManagesAccounts():
			row.Href = "/admin/users/" + strconv.FormatInt(h.UserID, 10)
		case h.Officer && res.ReadsCases:
			row.Href = "/cases?q=" + url.QueryEscape(h.Name)
		}
		d.Staff = append(d.Staff, row)
	}
	d.Empty = q != "" && len(d.Cases) == 0 && len(res.Parties) == 0 && len(d.Staff) == 0 && !res.PartiesCut
	s.render(w, r, http.StatusOK, "search", &page{Title: "搜索", Data: d})
}

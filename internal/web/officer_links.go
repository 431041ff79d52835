package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// unmatchedOfficers shows the system administrator the officer names in
// the case data that no account takes, each with a form to map it to an
// account of its court, and the mappings already made.
func (s *Server) unmatchedOfficers(w http.ResponseWriter, r *http.Request, rq *request) {
	l := newListing(r, store.Sorts{})
	names, info, links, err := s.DB.UnmatchedOfficerPage(r.Context(), rq.viewer, l.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var courtIDs []int64
	seen := map[int64]bool{}
	for _, n := range names {
		if !seen[n.CourtID] {
			seen[n.CourtID] = true
			courtIDs = append(courtIDs, n.CourtID)
		}
	}
	accounts, err := s.DB.CourtAccounts(r.Context(), rq.viewer, courtIDs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		store.UnmatchedOfficer
		Accounts []store.CourtAccount
	}
	rows := make([]row, len(names))
	for i, n := range names {
		rows[i] = row{n, accounts[n.CourtID]}
	}
	s.render(w, r, http.StatusOK, "unmatched_officers", &page{Title: "承办人账户关联", Data: struct {
		Rows  []row
		Links []store.OfficerLink
		List  *listing
	}{rows, links, l.done(info)}})
}

func formCourtID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("court")), 10, 64)
	return id
}

// mapOfficer records the administrator's mapping of an officer name to an
// account; the cases follow at once.
func (s *Server) mapOfficer(w http.ResponseWriter, r *http.Request, rq *request) {
	user, _ := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	officer := r.PostFormValue("officer")
	n, err := s.DB.MapOfficer(r.Context(), rq.viewer, formCourtID(r), officer, r.PostFormValue("department"), user)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已将承办人“"+strings.TrimSpace(officer)+"”关联到所选账户，"+strconv.Itoa(n)+"件案件随之关联。")
	http.Redirect(w, r, "/admin/unmatched-officers", http.StatusSeeOther)
}

// unmapOfficer removes a mapping; the cases go back to matching by name.
func (s *Server) unmapOfficer(w http.ResponseWriter, r *http.Request, rq *request) {
	officer := r.PostFormValue("officer")
	if strings.TrimSpace(officer) == "" {
		s.fail(w, r, domain.Invalid("officer", "请指明承办人姓名"))
		return
	}
	if err := s.DB.UnmapOfficer(r.Context(), rq.viewer, formCourtID(r), officer, r.PostFormValue("department")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已取消承办人“"+officer+"”的人工关联，案件改按姓名匹配账户。")
	http.Redirect(w, r, "/admin/unmatched-officers", http.StatusSeeOther)
}

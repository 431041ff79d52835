package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/trip"
)

// The forms of the mechanism: 附件2 and the printed 附件1 and 附件2.

// annex2Of loads the case of the path and the 附件2 filed for it.
func (s *Server) annex2Of(r *http.Request, rq *request) (int64, *domain.Case, []*store.TripReport, error) {
	id, err := caseID(r)
	if err != nil {
		return 0, nil, nil, err
	}
	k, err := s.DB.CaseByID(r.Context(), rq.viewer, id)
	if err != nil {
		return 0, nil, nil, err
	}
	reports, err := s.DB.Annex2Reports(r.Context(), rq.viewer, id)
	return id, k, reports, err
}

// annex2Form shows 附件2 for a case: the form for its officer, the filed
// report for those who may see it.
func (s *Server) annex2Form(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderAnnex2(w, r, rq, http.StatusOK, "", "", "")
}

func (s *Server) renderAnnex2(w http.ResponseWriter, r *http.Request, rq *request, status int, msg, fulfilled, explanation string) {
	id, k, reports, err := s.annex2Of(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var rvs []reportView
	for _, rp := range reports {
		rvs = append(rvs, reportViewOf(rp))
	}
	var reviews []reviewView
	if trip.CanSeeReviews(rq.viewer) && k.OfficerID != rq.viewer.UserID {
		rs, err := s.DB.TripReviewsOf(r.Context(), rq.viewer, 0, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		reviews = reviewViews(rs, rq.viewer, s.DB.Today())
	}
	_, isWatch := trip.Concluder(rq.viewer)
	closed := ""
	if !k.ClosedOn.IsZero() {
		closed = k.ClosedOn.String()
	}
	s.render(w, r, status, "annex2", &page{Title: "全程廉洁情况报告单", Error: msg, Data: struct {
		CaseID                 int64
		Number, Filed, Closed  string
		Reports                []reportView
		Reviews                []reviewView
		CanFile                bool
		IsHead, IsWatch        bool
		Fulfilled, Explanation string
		Statement, Attestation string
	}{id, k.No.String(), k.FiledOn.String(), closed, rvs, reviews, k.OfficerID == rq.viewer.UserID && closed != "" && len(rvs) == 0,
		trip.HeadsDepartment(rq.viewer), isWatch,
		fulfilled, explanation, trip.Annex2Statement, trip.Annex2Attestation}})
}

func (s *Server) annex2File(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := caseID(r)
	if err == nil {
		err = s.DB.Annex2Allows(r.Context(), rq.viewer, id)
	}
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fulfilled, explanation := r.PostFormValue("fulfilled"), r.PostFormValue("explanation")
	attested := r.PostFormValue("attest") == "yes"
	switch {
	case fulfilled != "yes" && fulfilled != "no":
		err = domain.Invalid("fulfilled", "请选择“做到”或“未做到”")
	case attested:
		err = s.Auth.ConfirmPassword(r.Context(), rq.viewer, r.PostFormValue("password"))
	}
	if err == nil {
		_, err = s.DB.FileAnnex2(r.Context(), rq.viewer, id, trip.Annex2Input{Fulfilled: fulfilled == "yes", Explanation: explanation, Attested: attested})
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderAnnex2(w, r, rq, http.StatusUnprocessableEntity, joinErrors(fe), fulfilled, explanation)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "全程廉洁情况报告单已签名提交。")
	http.Redirect(w, r, fmt.Sprintf("/annex2/%d", id), http.StatusSeeOther)
}

type printTrip struct {
	Annex, Court, Title, Back, Reporter, Year, Month, Day string
	Blank, Intact                                         bool
	When, Where, Task, Leader                             string
	ReqYes, ReqNo                                         bool
	Items                                                 []itemAnswer
	FromY, FromM, FromD, ToY, ToM, ToD                    string
	Done, NotDone                                         bool
	Statement, Explanation, Attestation, Note, Signed     string
	Hash                                                  string
	// Accounts are 附件1's 案件执行情况; Cases name the trip's cases
	// when the report gives none (a blank form).
	Accounts []trip.CaseAccount
	Cases    []string
}

func ymd(t time.Time) (string, string, string) {
	t = t.In(domain.Beijing)
	return strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Day())
}

func blankItems() []itemAnswer {
	var out []itemAnswer
	for _, it := range trip.Items {
		out = append(out, itemAnswer{Text: it.Text})
	}
	return out
}

// tripPrint prints 附件1 of a trip, filled in from its report (the
// original, or the one named by ?report=).
func (s *Server) tripPrint(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, reports, err := s.DB.TripByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The report named, else the viewer's own original, else the first
	// traveller's: each traveller's 附件1 prints on its own.
	want, _ := strconv.ParseInt(r.URL.Query().Get("report"), 10, 64)
	var rp *store.TripReport
	for _, x := range reports {
		switch {
		case want != 0:
			if x.ID == want {
				rp = x
			}
		case x.Supplements == 0 && (rp == nil || x.OfficerID == rq.viewer.UserID):
			rp = x
		}
	}
	p := printTrip{Annex: "1", Court: t.CourtName, Title: trip.Annex1Title, Back: fmt.Sprintf("/trips/%d", id), Blank: rp == nil, Intact: true,
		When: formatTime(t.DepartAt) + " 至 " + formatTime(t.ReturnAt), Where: t.DestinationName, Task: t.Task,
		Items: blankItems(), Attestation: trip.Annex1Attestation, Note: trip.Annex1Note}
	for _, c := range t.Cases {
		p.Cases = append(p.Cases, c.Number)
	}
	// Nothing recorded prints neither box: the form shows what was
	// recorded, and a blank is not a 无. One recorded after departure
	// counts as none given (视为未提出).
	switch q := t.Requirement; {
	case q == nil:
	case q.Late:
		p.ReqNo = true
	default:
		p.ReqYes, p.ReqNo, p.Leader = q.Given, !q.Given, q.Leader
	}
	if rp != nil {
		v := reportViewOf(rp)
		p.Items, p.Reporter, p.Explanation, p.Intact, p.Signed, p.Hash = v.Items, rp.Signature.Signer, rp.Explanation, rp.Intact, v.Signed, rp.Signature.Hash
		p.Accounts = rp.Accounts
		p.Year, p.Month, p.Day = ymd(rp.Signature.At)
	}
	s.render(w, r, http.StatusOK, "trip_print", &page{Title: trip.Annex1Title, Data: p})
}

// annex2Print prints a case's 附件2, filled in.
func (s *Server) annex2Print(w http.ResponseWriter, r *http.Request, rq *request) {
	id, k, reports, err := s.annex2Of(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(reports) == 0 {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	rp := reports[0]
	court := ""
	if c, err := s.DB.CourtByCode(r.Context(), k.No.Court); err == nil {
		court = c.Name
	}
	p := printTrip{Annex: "2", Court: court, Title: trip.Annex2Title, Back: fmt.Sprintf("/annex2/%d", id), Reporter: rp.Signature.Signer,
		Task: k.No.String(), Statement: trip.Annex2Statement, Explanation: rp.Explanation, Attestation: trip.Annex2Attestation, Note: trip.Annex2Note,
		Intact: rp.Intact, Signed: formatTime(rp.Signature.At), Hash: rp.Signature.Hash}
	p.Year, p.Month, p.Day = ymd(rp.Signature.At)
	if d, err := domain.ParseDate(rp.PeriodFrom); err == nil {
		p.FromY, p.FromM, p.FromD = ymd(d.Time())
	}
	if d, err := domain.ParseDate(rp.PeriodTo); err == nil {
		p.ToY, p.ToM, p.ToD = ymd(d.Time())
	}
	if rp.Fulfilled != nil {
		p.Done, p.NotDone = *rp.Fulfilled, !*rp.Fulfilled
	}
	s.render(w, r, http.StatusOK, "trip_print", &page{Title: trip.Annex2Title, Data: p})
}

// blankAnnex prints 附件1 or 附件2 blank.
func (s *Server) blankAnnex(w http.ResponseWriter, r *http.Request, rq *request) {
	court := "XX 法院"
	if rq.user != nil && rq.user.CourtName != "" {
		court = rq.user.CourtName
	}
	p := printTrip{Court: court, Back: "/trips", Blank: true, Intact: true, Items: blankItems()}
	if r.PathValue("n") == "annex2" {
		p.Annex, p.Title, p.Statement, p.Attestation, p.Note = "2", trip.Annex2Title, trip.Annex2Statement, trip.Annex2Attestation, trip.Annex2Note
	} else {
		p.Annex, p.Title, p.Attestation, p.Note = "1", trip.Annex1Title, trip.Annex1Attestation, trip.Annex1Note
	}
	s.render(w, r, http.StatusOK, "trip_print", &page{Title: p.Title, Data: p})
}

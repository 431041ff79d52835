package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/courts"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

func canSeeTrips(v domain.Viewer) bool {
	return v.HasAny(domain.RoleOfficer, domain.RoleDeptHead, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

func canRegisterTrip(v domain.Viewer) bool {
	return v.HasAny(domain.RoleOfficer, domain.RoleDeptHead, domain.RoleBureau)
}

func canSeeReviews(v domain.Viewer) bool {
	return v.HasAny(domain.RoleDeptHead, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice)
}

type division struct{ Code, Name string }

// divisionList is every division, named in full, for the destination
// picker.
var divisionList = sync.OnceValue(func() []division {
	ds, err := courts.Divisions()
	if err != nil {
		return nil
	}
	var out []division
	for _, d := range ds {
		if n := store.DivisionName(d.Code); n != "" {
			out = append(out, division{d.Code, n})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
})

type tripRow struct {
	*store.Trip
	Depart, Return, Status, ReqLabel string
	Overdue                          bool
}

func (s *Server) tripRow(t *store.Trip) tripRow {
	r := tripRow{Trip: t, Depart: formatTime(t.DepartAt), Return: formatTime(t.ReturnAt), Status: store.TripStatusLabels[t.Status]}
	switch {
	case !t.OutOfJurisdiction:
		r.Status = "辖区内，无需报告"
	case (t.Status == store.TripPlanned || t.Status == store.TripReturned) && t.ReportDue < s.DB.Today().String():
		r.Status, r.Overdue = "报告逾期", true
	}
	switch {
	case t.Requirement == nil:
		r.ReqLabel = "未提出"
	case t.Requirement.Late:
		r.ReqLabel = "出发后补提（视为未提出）"
	case t.Requirement.Given:
		r.ReqLabel = "已提出"
	default:
		r.ReqLabel = "已登记：无"
	}
	return r
}

// tripList lists the trips the user may see.
func (s *Server) tripList(w http.ResponseWriter, r *http.Request, rq *request) {
	status := r.URL.Query().Get("status")
	ts, err := s.DB.Trips(r.Context(), rq.viewer, store.TripFilter{Status: status, Limit: 300})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]tripRow, len(ts))
	for i, t := range ts {
		rows[i] = s.tripRow(t)
	}
	s.render(w, r, http.StatusOK, "trips", &page{Title: "外出执行情况报告", Data: struct {
		Trips       []tripRow
		Status      string
		CanRegister bool
		CanReview   bool
	}{rows, status, canRegisterTrip(rq.viewer), canSeeReviews(rq.viewer)}})
}

type tripForm struct {
	Cases, Companions, Destination, DepartAt, ReturnAt, Task string
	Divisions                                                []division
}

func (s *Server) tripNew(w http.ResponseWriter, r *http.Request, rq *request) {
	if !canRegisterTrip(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有执行人员可以登记外出执行。"))
		return
	}
	s.render(w, r, http.StatusOK, "trip_new", &page{Title: "登记外出执行", Data: tripForm{Divisions: divisionList()}})
}

// parseLocal reads a datetime-local value as Beijing time.
func parseLocal(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(s), domain.Beijing)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (s *Server) tripCreate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := tripForm{Cases: r.PostFormValue("cases"), Companions: r.PostFormValue("companions"), Destination: strings.TrimSpace(r.PostFormValue("destination")),
		DepartAt: r.PostFormValue("depart_at"), ReturnAt: r.PostFormValue("return_at"), Task: r.PostFormValue("task"), Divisions: divisionList()}
	nt := store.NewTrip{Companions: f.Companions, Destination: f.Destination, DepartAt: parseLocal(f.DepartAt), ReturnAt: parseLocal(f.ReturnAt), Task: f.Task}
	var err error
	for _, part := range strings.FieldsFunc(f.Cases, func(r rune) bool { return r == '\n' || r == '；' || r == ';' || r == '、' || r == ',' || r == '，' }) {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		no, perr := domain.ParseCaseNo(part, s.CaseTypes)
		if perr != nil {
			err = domain.Invalid("cases", "案号无法识别："+part)
			break
		}
		nt.CaseNumbers = append(nt.CaseNumbers, no.String())
	}
	var t *store.Trip
	if err == nil {
		t, err = s.DB.CreateTrip(r.Context(), rq.viewer, nt)
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.render(w, r, http.StatusUnprocessableEntity, "trip_new", &page{Title: "登记外出执行", Error: joinErrors(fe), Data: f})
			return
		}
		s.fail(w, r, err)
		return
	}
	if t.OutOfJurisdiction {
		s.flash(w, "已登记。目的地在本院辖区之外，返回后请按时填写外出执行情况报告单。")
	} else {
		s.flash(w, "已登记。目的地在本院辖区之内，无需填写外出执行情况报告单。")
	}
	http.Redirect(w, r, fmt.Sprintf("/trips/%d", t.ID), http.StatusSeeOther)
}

func joinErrors(fe map[string]string) string {
	var ms []string
	for _, m := range fe {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	return strings.Join(ms, "；")
}

type reportView struct {
	*store.TripReport
	Signed string
	Items  []itemAnswer
	Yes    []string
}

type itemAnswer struct {
	No       int
	Code     string
	Text     string
	Yes, No_ bool
	Answered bool
}

func reportViewOf(rp *store.TripReport) reportView {
	v := reportView{TripReport: rp, Signed: formatTime(rp.Signature.At)}
	for i, it := range trip.Items {
		yes, ok := rp.Answers[it.Code]
		v.Items = append(v.Items, itemAnswer{No: i + 1, Code: it.Code, Text: it.Text, Yes: ok && yes, No_: ok && !yes, Answered: ok})
		if ok && yes {
			v.Yes = append(v.Yes, it.Text)
		}
	}
	return v
}

type reviewView struct {
	store.TripReview
	Reason, Opened, HeadAt, ConcludedAt, Role string
}

func reviewViews(rs []store.TripReview) []reviewView {
	out := make([]reviewView, len(rs))
	for i, r := range rs {
		out[i] = reviewView{TripReview: r, Reason: store.ReviewReasons[r.Reason], Opened: formatTime(r.OpenedAt), Role: domain.Role(r.ConcludedRole).Label()}
		if !r.HeadAt.IsZero() {
			out[i].HeadAt = formatTime(r.HeadAt)
		}
		if !r.ConcludedAt.IsZero() {
			out[i].ConcludedAt = formatTime(r.ConcludedAt)
		}
	}
	return out
}

type reportForm struct {
	ReturnedOn  string
	Answers     map[string]string
	Explanation string
}

func (s *Server) tripShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderTrip(w, r, rq, http.StatusOK, "", nil)
}

func (s *Server) renderTrip(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string, form *reportForm) {
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
	var reviews []reviewView
	if canSeeReviews(rq.viewer) && t.OfficerID != rq.viewer.UserID {
		rs, err := s.DB.TripReviewsOf(r.Context(), rq.viewer, id, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		reviews = reviewViews(rs)
	}
	var rvs []reportView
	var original int64
	for _, rp := range reports {
		rvs = append(rvs, reportViewOf(rp))
		if rp.Supplements == 0 {
			original = rp.ID
		}
	}
	if form == nil {
		form = &reportForm{ReturnedOn: domain.DateOf(t.ReturnAt, domain.Beijing).String(), Answers: map[string]string{}}
	}
	mine := t.OfficerID == rq.viewer.UserID
	s.render(w, r, status, "trip", &page{Title: "外出执行", Error: msg, Data: struct {
		Trip            tripRow
		Reports         []reportView
		Reviews         []reviewView
		Original        int64
		Items           []trip.Item
		Form            *reportForm
		CanRequire      bool
		CanReport       bool
		CanSupplement   bool
		CanCancel       bool
		IsHead, IsWatch bool
		RequirementLine string
		Attestation     string
		Note            string
	}{s.tripRow(t), rvs, reviews, original, trip.Items, form,
		rq.viewer.Has(domain.RoleDeptHead) && !mine && t.Requirement == nil && t.DepartmentID == rq.viewer.DepartmentID && t.CourtID == rq.viewer.CourtID && t.Status != store.TripCancelled,
		mine && t.OutOfJurisdiction && original == 0 && t.Status != store.TripCancelled,
		mine && original != 0,
		mine && original == 0 && (t.Status == store.TripPlanned || t.Status == store.TripReturned),
		rq.viewer.Has(domain.RoleDeptHead), rq.viewer.HasAny(domain.RoleDisciplineGroup, domain.RoleSupervisionOffice),
		trip.RequirementLine, trip.Annex1Attestation, trip.Annex1Note}})
}

func (s *Server) tripRequirement(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		given := r.PostFormValue("given")
		if given != "yes" && given != "no" {
			err = domain.Invalid("given", "请选择是否提出纪律要求")
		} else {
			err = s.DB.RecordRequirement(r.Context(), rq.viewer, id, given == "yes", r.PostFormValue("content"), r.PostFormValue("leader"))
		}
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderTrip(w, r, rq, http.StatusUnprocessableEntity, joinErrors(fe), nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "纪律要求已登记。")
	http.Redirect(w, r, fmt.Sprintf("/trips/%d", id), http.StatusSeeOther)
}

func (s *Server) tripReport(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := &reportForm{ReturnedOn: r.PostFormValue("returned_on"), Answers: map[string]string{}, Explanation: r.PostFormValue("explanation")}
	in := store.TripReportInput{Answers: trip.Answers{}, Explanation: form.Explanation, Attested: r.PostFormValue("attest") == "yes"}
	for _, it := range trip.Items {
		switch v := r.PostFormValue(it.Code); v {
		case "yes", "no":
			in.Answers[it.Code] = v == "yes"
			form.Answers[it.Code] = v
		}
	}
	if sup := r.PostFormValue("supplements"); sup != "" {
		in.Supplements, _ = strconv.ParseInt(sup, 10, 64)
	}
	d, derr := domain.ParseDate(form.ReturnedOn)
	if derr == nil {
		in.ReturnedOn = d
	}
	// Signing asks for the password again: the signature is the signer's
	// act, not the open session's.
	err = in.Answers.Validate()
	if err == nil && in.Attested {
		err = s.Auth.ConfirmPassword(r.Context(), rq.viewer, r.PostFormValue("password"))
	}
	if err == nil {
		_, err = s.DB.FileTripReport(r.Context(), rq.viewer, id, in)
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderTrip(w, r, rq, http.StatusUnprocessableEntity, joinErrors(fe), form)
			return
		}
		s.fail(w, r, err)
		return
	}
	if in.Supplements != 0 {
		s.flash(w, "补报已签名提交。")
	} else if len(in.Answers.Yes()) > 0 {
		s.flash(w, "报告单已签名提交。报告中有“有”的事项，已告知部门负责人、派驻纪检监察组和监察室。")
	} else {
		s.flash(w, "报告单已签名提交。")
	}
	http.Redirect(w, r, fmt.Sprintf("/trips/%d", id), http.StatusSeeOther)
}

// tripReviews lists the reviews for the head and the watchdogs.
func (s *Server) tripReviews(w http.ResponseWriter, r *http.Request, rq *request) {
	rs, err := s.DB.TripReviews(r.Context(), rq.viewer, r.URL.Query().Get("open") == "1", 300)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "trip_reviews", &page{Title: "外出报告审查", Data: struct {
		Reviews []reviewView
		Open    bool
	}{reviewViews(rs), r.URL.Query().Get("open") == "1"}})
}

// tripReviewShow sends to the trip or case the review is about.
func (s *Server) tripReviewShow(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := s.DB.TripReviews(r.Context(), rq.viewer, false, 1000)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, rv := range rs {
		if rv.ID == id {
			if rv.TripID != 0 {
				http.Redirect(w, r, fmt.Sprintf("/trips/%d#reviews", rv.TripID), http.StatusSeeOther)
			} else {
				http.Redirect(w, r, fmt.Sprintf("/annex2/%d#reviews", rv.CaseID), http.StatusSeeOther)
			}
			return
		}
	}
	s.fail(w, r, domain.ErrNotFound)
}

func (s *Server) tripReviewAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		if r.PathValue("act") == "conclude" {
			err = s.DB.ConcludeReview(r.Context(), rq.viewer, id, r.PostFormValue("text"))
		} else {
			err = s.DB.NoteReview(r.Context(), rq.viewer, id, r.PostFormValue("text"))
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "已登记。")
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/trips/") && !strings.HasPrefix(back, "/annex2/") {
		back = "/trip-reviews"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

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
	if canSeeReviews(rq.viewer) && k.OfficerID != rq.viewer.UserID {
		rs, err := s.DB.TripReviewsOf(r.Context(), rq.viewer, 0, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		reviews = reviewViews(rs)
	}
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
		rq.viewer.Has(domain.RoleDeptHead), rq.viewer.HasAny(domain.RoleDisciplineGroup, domain.RoleSupervisionOffice),
		fulfilled, explanation, trip.Annex2Statement, trip.Annex2Attestation}})
}

func (s *Server) annex2File(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := caseID(r)
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
		_, err = s.DB.FileAnnex2(r.Context(), rq.viewer, id, store.Annex2Input{Fulfilled: fulfilled == "yes", Explanation: explanation, Attested: attested})
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderAnnex2(w, r, rq, http.StatusUnprocessableEntity, joinErrors(fe), fulfilled, explanation)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "全程廉洁情况报告单已签名提交。")
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
}

func ymd(t time.Time) (string, string, string) {
	t = t.In(domain.Beijing)
	return strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Day())
}

func blankItems() []itemAnswer {
	var out []itemAnswer
	for i, it := range trip.Items {
		out = append(out, itemAnswer{No: i + 1, Code: it.Code, Text: it.Text})
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
	want, _ := strconv.ParseInt(r.URL.Query().Get("report"), 10, 64)
	var rp *store.TripReport
	for _, x := range reports {
		if (want == 0 && x.Supplements == 0) || x.ID == want {
			rp = x
		}
	}
	p := printTrip{Annex: "1", Court: t.CourtName, Title: trip.Annex1Title, Back: fmt.Sprintf("/trips/%d", id), Blank: rp == nil, Intact: true,
		When: formatTime(t.DepartAt) + " 至 " + formatTime(t.ReturnAt), Where: t.DestinationName, Task: t.Task,
		Items: blankItems(), Attestation: trip.Annex1Attestation, Note: trip.Annex1Note}
	if q := t.Requirement; q != nil && !q.Late {
		p.ReqYes, p.ReqNo, p.Leader = q.Given, !q.Given, q.Leader
	} else {
		p.ReqNo = true // none before departure
	}
	if rp != nil {
		v := reportViewOf(rp)
		p.Items, p.Reporter, p.Explanation, p.Intact, p.Signed, p.Hash = v.Items, rp.Signature.Signer, rp.Explanation, rp.Intact, v.Signed, rp.Signature.Hash
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

// tripMapping shows which complaint items of 附件3 contradict which 无 of
// 附件1: the rule the cross-check applies.
func (s *Server) tripMapping(w http.ResponseWriter, r *http.Request, rq *request) {
	if !canSeeTrips(rq.viewer) {
		s.fail(w, r, domain.ErrForbidden)
		return
	}
	type row struct {
		Complaint string
		Items     []string
	}
	var rows []row
	for _, c := range trip.Contradictions {
		it, cat, ok := visit.ItemByCode(c.Complaint)
		if !ok {
			continue
		}
		rw := row{Complaint: cat.Name + "：" + it.Text}
		for _, code := range c.Items {
			rw.Items = append(rw.Items, trip.ItemText(code))
		}
		rows = append(rows, rw)
	}
	s.render(w, r, http.StatusOK, "trip_mapping", &page{Title: "不如实报告对照表", Data: rows})
}

// period reads ?year=&month= (the whole year if no month) as Beijing
// time.
func (s *Server) period(r *http.Request) (from, to time.Time, label string, year, month int) {
	today := s.DB.Today()
	year, month = today.Year(), 0
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	if m, err := strconv.Atoi(r.URL.Query().Get("month")); err == nil && m >= 1 && m <= 12 {
		month = m
	}
	if month == 0 {
		from = time.Date(year, 1, 1, 0, 0, 0, 0, domain.Beijing)
		return from, from.AddDate(1, 0, 0), fmt.Sprintf("%d年", year), year, month
	}
	from = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, domain.Beijing)
	return from, from.AddDate(0, 1, 0), fmt.Sprintf("%d年%d月", year, month), year, month
}

// tripAccountability is the department heads' 一岗双责 record: trips,
// requirements before departure, reports on time, late and missing,
// reports found not truthful and talk reminders held.
func (s *Server) tripAccountability(w http.ResponseWriter, r *http.Request, rq *request) {
	from, to, label, year, month := s.period(r)
	rows, err := s.DB.TripAccountability(r.Context(), rq.viewer, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "trip_accountability"
	if r.URL.Query().Get("print") == "1" {
		name = "trip_duty_print"
	}
	court := ""
	if rq.user != nil {
		court = rq.user.CourtName
	}
	s.render(w, r, http.StatusOK, name, &page{Title: "一岗双责统计", Data: struct {
		Rows        []store.AccountabilityRow
		Label       string
		Year, Month int
		Court       string
		Query       string
	}{rows, label, year, month, court, r.URL.RawQuery}})
}

func (s *Server) tripAccountabilityXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	from, to, label, _, _ := s.period(r)
	rows, err := s.DB.TripAccountability(r.Context(), rq.viewer, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "一岗双责"
	x.SetSheetName("Sheet1", sheet)
	x.SetSheetRow(sheet, "A1", &[]any{"外出执行情况报告 · 部门负责人一岗双责统计（" + label + "）"})
	x.SetSheetRow(sheet, "A2", &[]any{"法院", "部门", "部门负责人", "外出执行（辖区外）", "出发前提出纪律要求", "按时报告", "逾期报告", "未报告", "不如实报告", "谈话提醒"})
	for i, row := range rows {
		x.SetSheetRow(sheet, "A"+strconv.Itoa(i+3), &[]any{row.CourtName, row.Department, row.Heads, row.Trips, row.RequiredBefore, row.OnTime, row.Late, row.Missing,
			row.Contradicted, row.TalksHeld})
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("一岗双责统计-"+label+".xlsx"))
	if err := x.Write(w); err != nil {
		s.Log.Error("writing accountability export", "err", err)
	}
}

func (s *Server) tripCancel(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		err = s.DB.CancelTrip(r.Context(), rq.viewer, id, r.PostFormValue("reason"))
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderTrip(w, r, rq, http.StatusUnprocessableEntity, joinErrors(fe), nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "已取消该外出。")
	http.Redirect(w, r, fmt.Sprintf("/trips/%d", id), http.StatusSeeOther)
}

package web

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zhilian/zhilian/internal/courts"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/trip"
)

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
		if n := courts.DivisionName(d.Code); n != "" {
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
	// Staff names the court's staff who go with the officer.
	Staff string
}

func (s *Server) tripRow(t *store.Trip) tripRow {
	r := tripRow{Trip: t, Depart: formatTime(t.DepartAt), Return: formatTime(t.ReturnAt), Status: trip.StatusLabels[t.Status], Staff: t.TravellerNames()}
	reported := 0
	for _, x := range t.Travellers {
		if x.Reported {
			reported++
		}
	}
	if (t.Status == trip.StatusPlanned || t.Status == trip.StatusReturned) && reported > 0 {
		// Reported once every traveller has filed his own.
		r.Status = fmt.Sprintf("%d/%d人已报告", reported, len(t.Travellers))
	}
	switch {
	case t.Status == trip.StatusNotTaken && t.NotTakenLate:
		r.Status, r.Overdue = "未成行（标记时报告已逾期，计入未报告）", true
	case t.Status == trip.StatusNotTaken || t.Status == trip.StatusCancelled:
	case !t.OutOfJurisdiction:
		r.Status = "辖区内，无需报告"
	case (t.Status == trip.StatusPlanned || t.Status == trip.StatusReturned) && t.ReportDue < s.DB.Today().String():
		r.Status, r.Overdue = "报告逾期", true
		if reported > 0 {
			r.Status = fmt.Sprintf("报告逾期（%d/%d人已报告）", reported, len(t.Travellers))
		}
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
// The cockpit's figures of the trips drill down here with ?court=CODE
// (that court and those below it) and ?period= (the trips the figures
// count, departed in that period).
func (s *Server) tripList(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query()
	status := q.Get("status")
	list := newListing(r, store.TripSorts)
	f := store.TripFilter{Status: status, Page: list.Req}
	d, err := s.readDrill(r, "出发的异地执行")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.CourtPath, f.Departed = d.CourtPath, d.Period
	narrowed := d.Narrowed
	ts, info, err := s.DB.TripPage(r.Context(), rq.viewer, f)
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
		List        *listing
		Narrowed    string
	}{rows, status, trip.CanRegister(rq.viewer), trip.CanSeeReviews(rq.viewer), list.done(info), strings.Join(narrowed, "，")}})
}

type tripForm struct {
	Cases, Companions, DepartAt, ReturnAt, Task string
	// Destinations are the form's destination boxes, the first required.
	Destinations []string
	// Staff are whom the officer may take along; Chosen those ticked.
	Staff  []store.StaffMember
	Chosen map[int64]bool
	// AskBackfill shows the 确认补登 box: the trip lies in the past.
	AskBackfill bool
}

// destinationBoxes is how many destination boxes the new-trip form offers.
const destinationBoxes = 4

// boxes pads the form's destinations to the boxes it shows.
func (f *tripForm) boxes() {
	for len(f.Destinations) < destinationBoxes {
		f.Destinations = append(f.Destinations, "")
	}
}

func (s *Server) tripNew(w http.ResponseWriter, r *http.Request, rq *request) {
	if !trip.CanRegister(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有执行人员可以登记外出执行。"))
		return
	}
	staff, err := s.DB.TripStaff(r.Context(), rq.viewer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := tripForm{Staff: staff}
	f.boxes()
	s.render(w, r, http.StatusOK, "trip_new", &page{Title: "登记外出执行", Data: f})
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
	f := tripForm{Cases: r.PostFormValue("cases"), Companions: r.PostFormValue("companions"), Destinations: r.PostForm["destination"],
		DepartAt: r.PostFormValue("depart_at"), ReturnAt: r.PostFormValue("return_at"), Task: r.PostFormValue("task")}
	codes, names := resolveDestinations(f.Destinations)
	f.Destinations = names
	nt := trip.Plan{Companions: f.Companions, Destinations: codes, DepartAt: parseLocal(f.DepartAt), ReturnAt: parseLocal(f.ReturnAt), Task: f.Task}
	f.boxes()
	// Every wrong field is reported at once, each beside its field, and
	// the form keeps every line as typed (issue 17).
	bad := domain.FieldErrors{}
	f.Chosen = map[int64]bool{}
	for _, v := range r.PostForm["travellers"] {
		id, perr := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if perr != nil || id <= 0 {
			bad.Add("travellers", "所选同行人员不存在")
			continue
		}
		nt.Travellers, f.Chosen[id] = append(nt.Travellers, id), true
	}
	var unknown []string
	for _, part := range strings.FieldsFunc(f.Cases, func(r rune) bool { return r == '\n' || r == '；' || r == ';' || r == '、' || r == ',' || r == '，' }) {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		no, perr := domain.ParseCaseNo(part, s.CaseTypes)
		if perr != nil {
			unknown = append(unknown, part)
			continue
		}
		nt.CaseNumbers = append(nt.CaseNumbers, no.String())
	}
	if len(unknown) > 0 {
		bad.Add("cases", "案号无法识别："+strings.Join(unknown, "、"))
	}
	if msg := trip.PastWarning(nt.DepartAt, nt.ReturnAt, s.DB.Now()); msg != "" && r.PostFormValue("backfill") != "yes" {
		bad.Add("depart_at", msg)
		f.AskBackfill = true
	}
	if len(bad) > 0 {
		// The plan's own checks, so that its messages come with these.
		check := nt
		check.Destinations = slices.Clone(nt.Destinations)
		if len(check.CaseNumbers) == 0 && len(unknown) > 0 {
			check.CaseNumbers = []string{"-"}
		}
		for k, m := range fieldErrors(check.Validate()) {
			bad.Add(k, m)
		}
	}
	var t *store.Trip
	err := bad.Err()
	if err == nil {
		t, err = s.DB.CreateTrip(r.Context(), rq.viewer, nt, s.TripRules)
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			if f.Staff, err = s.DB.TripStaff(r.Context(), rq.viewer); err != nil {
				s.fail(w, r, err)
				return
			}
			s.render(w, r, http.StatusUnprocessableEntity, "trip_new", &page{Title: "登记外出执行", Error: "请修改标出的内容：" + joinErrors(fe),
				Form: formState{Values: r.PostForm, Errors: fe}, FormURL: "/trips/new", Data: f})
			return
		}
		s.fail(w, r, err)
		return
	}
	if t.OutOfJurisdiction && len(t.Travellers) > 1 {
		s.flash(w, r, "已登记。目的地在本院辖区之外，返回后每位外出人员都须按时填写并签名提交本人的外出执行情况报告单。")
	} else if t.OutOfJurisdiction {
		s.flash(w, r, "已登记。目的地在本院辖区之外，返回后请按时填写外出执行情况报告单。")
	} else {
		s.flash(w, r, "已登记。目的地在本院辖区之内，无需填写外出执行情况报告单。")
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
}

// itemAnswer is one line of 附件1 as answered: 有 (Yes), 无 (No) or,
// blank, neither.
type itemAnswer struct {
	Text    string
	Yes, No bool
}

func reportViewOf(rp *store.TripReport) reportView {
	v := reportView{TripReport: rp, Signed: formatTime(rp.Signature.At)}
	for _, it := range trip.Items {
		yes, ok := rp.Answers[it.Code]
		v.Items = append(v.Items, itemAnswer{Text: it.Text, Yes: ok && yes, No: ok && !yes})
	}
	return v
}

type reviewView struct {
	store.TripReview
	Reason, Opened, HeadAt, ConcludedAt, Role string
	// What the viewer may do to the review now (trip.CheckReview).
	CanNote, CanTalk, CanConclude bool
	Today                         string
}

func reviewViews(rs []store.TripReview, v domain.Viewer, today domain.Date) []reviewView {
	out := make([]reviewView, len(rs))
	for i, r := range rs {
		sub := r.Subject()
		out[i] = reviewView{TripReview: r, Reason: trip.ReviewReasons[r.Reason], Opened: formatTime(r.OpenedAt), Role: domain.Role(r.ConcludedRole).Label(),
			CanNote: trip.AllowedReview(trip.ReviewNote, v, sub), CanTalk: trip.AllowedReview(trip.ReviewTalk, v, sub),
			CanConclude: trip.AllowedReview(trip.ReviewConclude, v, sub), Today: today.String()}
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
	// Accounts are the 案件执行情况 as typed, by case id.
	Accounts map[int64]string
}

// caseAccount is one case's 案件执行情况 field of the report form.
type caseAccount struct {
	ID           int64
	Number, Text string
}

func (s *Server) tripShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderTrip(w, r, rq, http.StatusOK, formState{}, nil)
}

// renderTrip shows the trip page; fs is a failed post's form, shown
// again with its input and each field's message.
func (s *Server) renderTrip(w http.ResponseWriter, r *http.Request, rq *request, status int, fs formState, form *reportForm) {
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
	if trip.CanSeeReviews(rq.viewer) && !t.Travels(rq.viewer.UserID) {
		rs, err := s.DB.TripReviewsOf(r.Context(), rq.viewer, id, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		reviews = reviewViews(rs, rq.viewer, s.DB.Today())
	}
	var rvs []reportView
	var original int64
	for _, rp := range reports {
		rvs = append(rvs, reportViewOf(rp))
		if rp.Supplements == 0 && rp.OfficerID == rq.viewer.UserID {
			original = rp.ID // the viewer's own, which his supplement corrects
		}
	}
	if form == nil {
		form = &reportForm{ReturnedOn: domain.DateOf(t.ReturnAt, domain.Beijing).String(), Answers: map[string]string{}}
	}
	var accounts []caseAccount
	for _, c := range t.Cases {
		accounts = append(accounts, caseAccount{ID: c.ID, Number: c.Number, Text: form.Accounts[c.ID]})
	}
	sub := t.Subject(s.DB.Now())
	_, isWatch := trip.Concluder(rq.viewer)
	msg := ""
	if fs.Errors != nil {
		msg = joinErrors(fs.Errors)
	}
	canSupplement := trip.Allowed(trip.Report, rq.viewer, sub) && original != 0
	asked := false
	if canSupplement {
		if asked, err = s.DB.SupplementAsked(r.Context(), rq.viewer, t.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "trip", &page{Title: "外出执行", Error: msg, Form: fs, Data: struct {
		Trip            tripRow
		Reports         []reportView
		Reviews         []reviewView
		Original        int64
		Items           []trip.Item
		Form            *reportForm
		Accounts        []caseAccount
		MaxAccount      int
		CanRequire      bool
		CanReport       bool
		CanSupplement   bool
		SupplementAsked bool // a review asked this officer to report truthfully again
		CanCancel       bool
		CanNotTaken     bool
		LeaderLabel     string
		IsHead, IsWatch bool
		RequirementLine string
		Attestation     string
		Note            string
	}{s.tripRow(t), rvs, reviews, original, trip.Items, form, accounts, trip.MaxCaseAccount,
		trip.Allowed(trip.Require, rq.viewer, sub),
		trip.Allowed(trip.Report, rq.viewer, sub) && t.OutOfJurisdiction && original == 0,
		canSupplement, asked,
		trip.Allowed(trip.Cancel, rq.viewer, sub),
		trip.Allowed(trip.NotTaken, rq.viewer, sub),
		trip.LeaderLabel(t.LeaderRole),
		trip.HeadsDepartment(rq.viewer), isWatch,
		trip.RequirementLine, trip.Annex1Attestation, trip.Annex1Note}})
}

func (s *Server) tripRequirement(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := s.tripAction(w, r, rq, trip.Require)
	if err == nil {
		given := r.PostFormValue("given")
		if given != "yes" && given != "no" {
			err = domain.Invalid("given", "请选择是否提出纪律要求")
		} else {
			err = s.DB.RecordRequirement(r.Context(), rq.viewer, id, given == "yes", r.PostFormValue("content"), r.PostFormValue("leader"))
		}
	}
	s.tripDone(w, r, rq, id, err, nil, "纪律要求已登记。")
}

// tripAction reads the trip of the path and, if v may do a to it now, the
// form: whoever may not is refused before anything he typed is read.
func (s *Server) tripAction(w http.ResponseWriter, r *http.Request, rq *request, a trip.Action) (int64, error) {
	id, err := pathID(r)
	if err == nil {
		err = s.DB.TripAllows(r.Context(), rq.viewer, id, a)
	}
	if err == nil {
		err = parseForm(w, r)
	}
	return id, err
}

// tripDone ends a change to trip id: the trip page again with the form as
// typed on a validation error, the error page on another, else back to
// the trip with done.
func (s *Server) tripDone(w http.ResponseWriter, r *http.Request, rq *request, id int64, err error, form *reportForm, done string) {
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderTrip(w, r, rq, http.StatusUnprocessableEntity, formState{Values: r.PostForm, Errors: fe}, form)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, done)
	http.Redirect(w, r, fmt.Sprintf("/trips/%d", id), http.StatusSeeOther)
}

func (s *Server) tripReport(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := s.tripAction(w, r, rq, trip.Report)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := &reportForm{ReturnedOn: r.PostFormValue("returned_on"), Answers: map[string]string{}, Explanation: r.PostFormValue("explanation"),
		Accounts: map[int64]string{}}
	in := trip.Annex1Input{Answers: trip.Answers{}, Explanation: form.Explanation, Attested: r.PostFormValue("attest") == "yes", CaseAccounts: form.Accounts}
	for key, vals := range r.PostForm {
		if cid, ok := strings.CutPrefix(key, "case_"); ok && len(vals) > 0 {
			if n, err := strconv.ParseInt(cid, 10, 64); err == nil {
				form.Accounts[n] = vals[0]
			}
		}
	}
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
		_, err = s.DB.FileTripReport(r.Context(), rq.viewer, id, in, s.TripRules)
	}
	done := "报告单已签名提交。"
	switch {
	case in.Supplements != 0:
		done = "补报已签名提交。"
	case len(in.Answers.Yes()) > 0:
		done = "报告单已签名提交。报告中有“有”的事项，已告知部门负责人、派驻纪检监察组和监察室。"
	}
	s.tripDone(w, r, rq, id, err, form, done)
}

// tripCancel withdraws a trip that did not happen: its officer cancels
// it before departure; after departure its leader marks it 未成行.
func (s *Server) tripCancel(w http.ResponseWriter, r *http.Request, rq *request) {
	a, done := trip.Cancel, "已取消该外出。"
	if id, err := pathID(r); err == nil && s.DB.TripAllows(r.Context(), rq.viewer, id, trip.NotTaken) == nil {
		a, done = trip.NotTaken, "已标记为未成行。"
	}
	id, err := s.tripAction(w, r, rq, a)
	if err == nil {
		if a == trip.NotTaken {
			err = s.DB.MarkNotTaken(r.Context(), rq.viewer, id, r.PostFormValue("reason"))
		} else {
			err = s.DB.CancelTrip(r.Context(), rq.viewer, id, r.PostFormValue("reason"))
		}
	}
	s.tripDone(w, r, rq, id, err, nil, done)
}

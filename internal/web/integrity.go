package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// The officers' integrity records (廉政档案, issue 18): the list of a
// court's officers with their counts and warnings, each officer's record,
// and the early warnings the watchdogs accept or dismiss. Only the
// watchdogs of the officer's court and the courts above reach any of it;
// the store refuses everyone else, the officer himself first.

// integrityFilter reads the list's filter from the query: court, from,
// to, pending; a bad date is said beside its field and the default
// period is used.
func (s *Server) integrityFilter(r *http.Request) (store.IntegrityFilter, error) {
	q := r.URL.Query()
	p, err := integrity.ParsePeriod(q.Get("from"), q.Get("to"), s.today())
	return store.IntegrityFilter{Court: strings.TrimSpace(q.Get("court")), Period: p, Pending: q.Get("pending") == "1"}, err
}

// periodQuery is the period as a query string for links, "" for the
// default.
func periodQuery(p integrity.Period, def integrity.Period) string {
	if p == def {
		return ""
	}
	return "?" + url.Values{"from": {p.From.String()}, "to": {p.To.String()}}.Encode()
}

// integrityList lists the officers of a court with their counts over
// the period and their warnings.
func (s *Server) integrityList(w http.ResponseWriter, r *http.Request, rq *request) {
	f, bad := s.integrityFilter(r)
	list := newListing(r, store.IntegritySorts)
	f.Page = list.Req
	rows, info, err := s.DB.IntegrityOfficers(r.Context(), rq.viewer, f)
	if fe := fieldErrors(err); fe["court"] != "" {
		// A court that is not one: said beside its field, the viewer's
		// own court listed.
		bad, f.Court = err, ""
		rows, info, err = s.DB.IntegrityOfficers(r.Context(), rq.viewer, f)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if bad != nil {
		status = http.StatusUnprocessableEntity
	}
	courts, err := s.DB.CourtsUnder(r.Context(), rq.viewer.CourtPath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := cmp.Or(f.Court, rq.viewer.CourtCode)
	var options []option
	name := rq.user.CourtName
	for _, c := range courts {
		if c.Code == code {
			name = c.Name
		}
		options = append(options, option{Value: c.Code, Label: c.Code + " " + c.Name, Selected: c.Code == code})
	}
	if len(options) < 2 {
		options = nil
	}
	def := integrity.LastMonths(s.today(), integrity.DefaultMonths)
	s.render(w, r, status, "integrity_list", &page{Title: "廉政档案", Form: queryState(r, bad), Data: map[string]any{
		"Rows": rows, "List": list.done(info), "Kinds": integrity.Kinds, "Filter": f, "Courts": options, "CourtCode": code, "CourtName": name,
		"PeriodQuery": periodQuery(f.Period, def), "Rules": s.DB.Integrity(), "Export": list.Export("/integrity.xlsx"),
		"CanEvaluate": integrity.CanEvaluate(rq.viewer, rq.viewer.CourtPath)}})
}

// integrityXLSX exports the list with its filters: every officer, every
// count.
func (s *Server) integrityXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	f, err := s.integrityFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Page = store.PageReq{All: true, Sort: "name"}
	rows, _, err := s.DB.IntegrityOfficers(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := newWorkbook("廉政档案")
	b.row("廉政档案（" + f.Period.String() + "）")
	head := []any{"法院", "姓名", "部门"}
	for _, k := range integrity.Kinds {
		head = append(head, k.Label())
	}
	b.row(append(head, "待研判预警", "预警（未撤销）")...)
	for _, o := range rows {
		cells := []any{o.CourtName, o.Name, o.Department}
		for _, k := range integrity.Kinds {
			cells = append(cells, o.Counts[k])
		}
		b.row(append(cells, o.Pending, o.Raised)...)
	}
	s.sendWorkbook(w, r, b, "廉政档案.xlsx")
}

// integrityEvaluate runs the early-warning rules over a court and the
// courts below it now, rather than at the daily run.
func (s *Server) integrityEvaluate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	code := strings.TrimSpace(r.PostFormValue("court"))
	res, err := s.DB.EvaluateIntegrity(r.Context(), rq.viewer, code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, fmt.Sprintf("预警规则已运行：干警%d人，新提出预警%d条。", res.Officers, res.Proposed))
	http.Redirect(w, r, integrity.ListPath(code), http.StatusSeeOther)
}

// warningView is a warning on its officer's record, with the forms its
// viewer may use and their state after a failed post.
type warningView struct {
	*store.IntegrityWarning
	CanAccept, CanDismiss bool
	Accept, Dismiss       formState
	Open                  bool // the forms are shown unfolded
}

// integrityShow shows an officer's record over a period.
func (s *Server) integrityShow(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	p, bad := integrity.ParsePeriod(q.Get("from"), q.Get("to"), s.today())
	rec, err := s.DB.IntegrityRecord(r.Context(), rq.viewer, id, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var st formState
	if f := refillFrom(r); f != nil {
		st = f.state
	}
	var ws []warningView
	for _, wr := range rec.Warnings {
		v := warningView{IntegrityWarning: wr, CanAccept: slices.Contains(wr.Actions, integrity.ActAccept),
			CanDismiss: slices.Contains(wr.Actions, integrity.ActDismiss),
			Accept:     st.For(fmt.Sprintf("accept-%d", wr.ID)), Dismiss: st.For(fmt.Sprintf("dismiss-%d", wr.ID))}
		v.Open = v.Accept.Failed() || v.Dismiss.Failed()
		ws = append(ws, v)
	}
	decider := "监察室"
	if rq.viewer.Has(domain.RoleDisciplineGroup) {
		decider = "派驻纪检监察组"
	}
	status := http.StatusOK
	if bad != nil {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "integrity", &page{Title: "廉政档案 " + rec.Officer.Name, Form: queryState(r, bad), Data: map[string]any{
		"R": rec, "Warnings": ws, "Rules": s.DB.Integrity(), "Decider": decider, "Today": s.today().String(),
		"List": integrity.ListPath(rec.Officer.CourtCode)}})
}

// integrityWarningAct accepts a warning as a 预警约谈 (the disposition and
// its talk) or dismisses it with a reason; a mistake comes back beside
// its field on the record.
func (s *Server) integrityWarningAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	wr, err := s.DB.IntegrityWarning(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostFormValue
	back := integrity.Href(integrity.RecWarning, id, wr.UserID)
	switch integrity.Action(r.PathValue("act")) {
	case integrity.ActAccept:
		fe := domain.FieldErrors{}
		a := integrity.Acceptance{Decider: pf("decider"), Talk: oversight.Talk{HeldOn: parseDate(fe, "held_on", pf("held_on")), Place: pf("place"),
			Participants: pf("participants"), Content: pf("content"), Statement: pf("statement"), Commitment: pf("commitment"),
			FollowUpOn: parseDate(fe, "follow_up_on", pf("follow_up_on"))}}
		if len(fe) > 0 {
			// Every field's mistake at once, the dates' first.
			for k, m := range fieldErrors(a.Validate(s.today())) {
				fe.Add(k, m)
			}
			s.fail(w, r, fe.Err())
			return
		}
		did, err := s.DB.AcceptIntegrityWarning(r.Context(), rq.viewer, id, a)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flash(w, r, fmt.Sprintf("已记录预警约谈，登记为第一种形态处置 %d。", did))
	case integrity.ActDismiss:
		if err := s.DB.DismissIntegrityWarning(r.Context(), rq.viewer, id, pf("reason")); err != nil {
			s.fail(w, r, err)
			return
		}
		s.flash(w, r, "已决定不予约谈，理由已记录。")
	default:
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

// complaintView is a complaint as the list and its page show it.
type complaintView struct {
	*store.Complaint
	Kind, Level, Lead string
	Categories        []string
	Strong            bool
}

func viewComplaint(m *store.Complaint) complaintView {
	cv := complaintView{Complaint: m, Kind: m.Kind.Label(), Lead: m.Lead.Label()}
	if m.Kind == oversight.KindPetition {
		cv.Level = fmt.Sprintf("%s · 第%d次", m.Level.Label(), m.Repeat)
	}
	for _, code := range m.Categories {
		if c, ok := visit.CategoryByCode(code); ok {
			cv.Categories = append(cv.Categories, c.Label())
		}
	}
	for _, c := range m.Cases {
		cv.Strong = cv.Strong || c.Strong
	}
	return cv
}

// complaintList lists the complaints and petitions the viewer may see.
func (s *Server) complaintList(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query()
	f := store.ComplaintFilter{Kind: oversight.Kind(q.Get("kind")), Channel: oversight.Channel(q.Get("channel")), Lead: q.Get("lead"),
		Court: strings.TrimSpace(q.Get("court")), Case: strings.TrimSpace(q.Get("case"))}
	// The cockpit's figures drill down with ?period= (received then).
	narrowed := ""
	if period := strings.TrimSpace(q.Get("period")); period != "" {
		p, err := overview.ParsePeriod(period, s.today())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f.Received, narrowed = p, p.Label()+"收到"
	}
	list := newListing(r, store.ComplaintSorts)
	f.Page = list.Req
	ms, info, err := s.DB.Complaints(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var rows []complaintView
	for _, m := range ms {
		rows = append(rows, viewComplaint(m))
	}
	s.render(w, r, http.StatusOK, "complaints", &page{Title: "投诉举报、信访", Data: map[string]any{
		"Narrowed": narrowed,
		"Rows":     rows, "List": list.done(info), "Filter": f, "ShowCourt": manyCourts(ms, func(m *store.Complaint) string { return m.CourtPath }), "Kinds": oversight.Kinds, "Channels": oversight.Channels,
		"CanRegister": oversight.CanRegister(rq.viewer, rq.viewer.CourtPath), "Strong": s.DB.Strong().Describe()}})
}

// complaintForm is the registration form as posted.
type complaintForm struct {
	Court, Kind, Channel, ReceivedOn, PersonName, PersonPhone string
	Cases, Staff, Content, Level, Repeat                      string
	Categories                                                map[string]bool
	Errors                                                    map[string]string
	Kinds                                                     []oversight.Kind
	Channels                                                  []oversight.Channel
	Levels                                                    []oversight.Level
	AllCategories                                             []visit.Category
}

func (s *Server) renderComplaintForm(w http.ResponseWriter, r *http.Request, status int, f complaintForm) {
	f.Kinds, f.Channels, f.Levels, f.AllCategories = oversight.Kinds, oversight.Channels, oversight.Levels, visit.Form()
	if f.Categories == nil {
		f.Categories = map[string]bool{}
	}
	s.render(w, r, status, "complaint_new", &page{Title: "登记投诉举报、信访", Data: f})
}

// complaintNew shows the registration form.
func (s *Server) complaintNew(w http.ResponseWriter, r *http.Request, rq *request) {
	if !oversight.CanRegister(rq.viewer, rq.viewer.CourtPath) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "您无权登记投诉举报、信访。"))
		return
	}
	s.renderComplaintForm(w, r, http.StatusOK, complaintForm{Court: rq.viewer.CourtCode, Kind: string(oversight.KindComplaint),
		ReceivedOn: s.today().String(), Repeat: "1"})
}

// splitList splits a text field of several entries.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '；' || r == ';' || r == '、' || r == ',' || r == '，'
	})
}

// complaintCreate registers a complaint or petition; refused input comes
// back with the messages beside its fields.
func (s *Server) complaintCreate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostFormValue
	f := complaintForm{Court: strings.TrimSpace(pf("court")), Kind: pf("kind"), Channel: pf("channel"), ReceivedOn: pf("received_on"),
		PersonName: pf("person_name"), PersonPhone: pf("person_phone"), Cases: pf("cases"), Staff: pf("staff"), Content: pf("content"),
		Level: pf("level"), Repeat: pf("repeat"), Categories: map[string]bool{}}
	in := oversight.Complaint{Kind: oversight.Kind(f.Kind), Channel: oversight.Channel(f.Channel), PersonName: f.PersonName, PersonPhone: f.PersonPhone,
		Staff: splitList(f.Staff), Content: f.Content, Level: oversight.Level(f.Level)}
	fe := domain.FieldErrors{}
	if f.ReceivedOn != "" {
		d, err := domain.ParseDate(f.ReceivedOn)
		if err != nil {
			fe.Add("received_on", "日期格式应为 2026-01-31")
		}
		in.ReceivedOn = d
	}
	if in.Kind == oversight.KindPetition {
		n, err := strconv.Atoi(strings.TrimSpace(f.Repeat))
		if err != nil {
			fe.Add("repeat", "请填写第几次信访（1至99）")
		}
		in.Repeat = n
	}
	for _, c := range r.PostForm["categories"] {
		in.Categories, f.Categories[c] = append(in.Categories, c), true
	}
	for _, part := range splitList(f.Cases) {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		no, err := domain.ParseCaseNo(part, s.CaseTypes)
		if err != nil {
			fe.Add("cases", "案号无法识别："+part)
			continue
		}
		in.CaseNumbers = append(in.CaseNumbers, no.String())
	}
	var id int64
	err := fe.Err()
	if err == nil {
		id, err = s.DB.RegisterComplaint(r.Context(), rq.viewer, f.Court, in)
	}
	if err != nil {
		if f.Errors = fieldErrors(err); f.Errors != nil {
			s.renderComplaintForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已登记。")
	http.Redirect(w, r, fmt.Sprintf("/complaints/%d", id), http.StatusSeeOther)
}

// complaintShow shows one complaint, and the assessment form to a
// watchdog who may assess it.
func (s *Server) complaintShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderComplaint(w, r, rq, http.StatusOK, nil, "", "")
}

func (s *Server) renderComplaint(w http.ResponseWriter, r *http.Request, rq *request, status int, errs map[string]string, lead, note string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.DB.Complaint(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	may, err := s.DB.MayAssess(r.Context(), rq.viewer, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if lead == "" {
		lead, note = string(m.Lead), m.LeadNote
	}
	s.render(w, r, status, "complaint", &page{Title: m.Kind.Label(), Data: map[string]any{
		"C": viewComplaint(m), "CanAssess": may, "Errors": errs, "LeadValue": lead, "Note": note}})
}

// complaintAssess records a watchdog's assessment of the complaint's lead.
func (s *Server) complaintAssess(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lead, note := r.PostFormValue("lead"), r.PostFormValue("note")
	if err := s.DB.AssessComplaint(r.Context(), rq.viewer, id, oversight.Lead(lead), note); err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderComplaint(w, r, rq, http.StatusUnprocessableEntity, fe, lead, note)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "评估已记录。")
	http.Redirect(w, r, fmt.Sprintf("/complaints/%d", id), http.StatusSeeOther)
}

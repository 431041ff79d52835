package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

type formItem struct {
	Code    string
	No      int
	Text    string
	Checked bool
}

type formCategory struct {
	Code, Name, Heading string
	No                  int
	Items               []formItem
	Checked             bool
}

// answersForm is the 附件3 form as the templates show it.
type answersForm struct {
	Categories []formCategory
	Satisfied  string // yes, no, noreply or ""
	Text       string
	Errors     map[string]string
}

func newAnswersForm(a *visit.Answers) answersForm {
	f := answersForm{}
	var cats, items []string
	if a != nil {
		cats, items, f.Text = a.Categories, a.Items, a.Text
		switch {
		case a.Satisfied == nil:
			f.Satisfied = "noreply"
		case *a.Satisfied:
			f.Satisfied = "yes"
		default:
			f.Satisfied = "no"
		}
	}
	for _, c := range visit.Form() {
		fc := formCategory{Code: c.Code, No: c.No, Name: c.Name, Heading: c.Heading, Checked: slices.Contains(cats, c.Code)}
		for _, it := range c.Items {
			fc.Items = append(fc.Items, formItem{Code: it.Code, No: it.No, Text: it.Text, Checked: slices.Contains(items, it.Code)})
		}
		f.Categories = append(f.Categories, fc)
	}
	return f
}

// answersFromForm reads the 附件3 fields of a posted form.
func answersFromForm(r *http.Request) *visit.Answers {
	a := &visit.Answers{Categories: r.PostForm["category"], Items: r.PostForm["item"], Text: strings.TrimSpace(r.PostFormValue("text"))}
	switch r.PostFormValue("satisfied") {
	case "yes":
		t := true
		a.Satisfied = &t
	case "no":
		f := false
		a.Satisfied = &f
	}
	n := a.Normalize()
	return &n
}

type visitRow struct {
	ID                                           int64
	CaseNumber, Court, Party, Kind, Reason, Step string
	Due                                          string
	Overdue                                      bool
}

func (s *Server) visitRows(vs []*store.Visit) []visitRow {
	now := s.DB.Now()
	out := make([]visitRow, len(vs))
	for i, vi := range vs {
		kind := "日常回访"
		if vi.Kind == "focused" {
			kind = "重点回访"
		}
		step := vi.State.Step.Label()
		if vi.State.Step == visit.StepClosed {
			step += "（" + vi.State.Outcome.Label() + "）"
		}
		d := vi.State.Duty()
		out[i] = visitRow{ID: vi.ID, CaseNumber: vi.CaseNumber, Court: vi.CourtName, Party: vi.PartyRole.Label() + " " + vi.PartyName, Kind: kind,
			Reason: visit.FocusReasons[vi.Reason], Step: step, Due: formatTime(vi.State.Due), Overdue: d.Overdue(now)}
	}
	return out
}

func (s *Server) visitList(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query()
	f := store.VisitFilter{Step: q.Get("step"), Kind: q.Get("kind"), Court: q.Get("court"), From: q.Get("from"), To: q.Get("to")}
	list := newListing(r, store.VisitSorts)
	f.Page = list.Req
	f.DepartmentID, _ = strconv.ParseInt(q.Get("department"), 10, 64)
	f.OfficerID, _ = strconv.ParseInt(q.Get("officer"), 10, 64)
	if f.Step == "" {
		f.Step = "open"
	}
	vs, info, err := s.DB.VisitPage(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var steps []option
	for _, st := range []struct{ v, l string }{{"open", "进行中"}, {"all", "全部"}, {"new", "待回访"}, {"sms_sent", "短信已发送"}, {"phone_pending", "待电话回访"},
		{"consultation", "待会商"}, {"onsite_pending", "待实地回访"}, {"closed", "已结束"}} {
		steps = append(steps, option{Value: st.v, Label: st.l, Selected: st.v == f.Step})
	}
	// The step in force is "open" when none is given: mark it so.
	if q.Get("step") == "" {
		list.query.Set("step", f.Step)
	}
	s.render(w, r, http.StatusOK, "visits", &page{Title: "当事人回访", Data: struct {
		Visits    []visitRow
		Steps     []option
		Kind      string
		Step      string
		CanAdd    bool
		List      *listing
		ShowCourt bool
	}{s.visitRows(vs), steps, f.Kind, f.Step, visit.Runs(rq.viewer), list.done(info), manyCourts(vs, func(v *store.Visit) string { return v.CourtPath })}})
}

type visitEventRow struct {
	At, Label, Actor, Role, Step string
	Lines                        []string
}

func describeEvent(e store.VisitEvent) []string {
	var out []string
	if t, ok := e.Detail["reply"].(string); ok {
		out = append(out, "回复原文：“"+t+"”")
	}
	if a, ok := e.Detail["answers"].(map[string]any); ok {
		if sat, ok := a["Satisfied"].(bool); ok {
			out = append(out, map[bool]string{true: "满意", false: "不满意"}[sat])
		}
		if items, ok := a["Items"].([]any); ok {
			for _, x := range items {
				if code, ok := x.(string); ok {
					if it, c, ok := visit.ItemByCode(code); ok {
						out = append(out, c.Name+"："+it.Text)
					}
				}
			}
		}
		if t, ok := a["Text"].(string); ok && t != "" {
			out = append(out, "说明："+t)
		}
	}
	for _, k := range []struct{ key, label string }{{"person", "指派人员"}, {"opinion", "意见"}, {"measures", "工作措施"}, {"suggestions", "建议"}, {"reason", "理由"}} {
		if v, ok := e.Detail[k.key].(string); ok {
			out = append(out, k.label+"："+v)
		}
	}
	return out
}

func (s *Server) visitShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderVisit(w, r, rq, http.StatusOK, nil, "")
}

func (s *Server) renderVisit(w http.ResponseWriter, r *http.Request, rq *request, status int, form *answersForm, errMsg string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vi, evs, err := s.DB.VisitByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := struct {
		Visit               visitRow
		ID, CaseID          int64
		Step                string
		Duty                string
		People              []string
		Events              []visitEventRow
		Decisions           []struct{ Role, Person, Opinion string }
		CanStart, CanReply  bool
		CanPhone, CanOnsite bool
		RecordAs            []option
		Bodies              []option
		Consultation        *consultView
		Today               string
		CanUnreach          bool
		PhoneAttempts       int
		MaxPhoneAttempts    int
		CanClose            bool
		CloseAs             []option
		Form                answersForm
		Reasons             []string
		Phone               *phoneCard
	}{Visit: s.visitRows([]*store.Visit{vi})[0], ID: vi.ID, CaseID: vi.CaseID, Step: string(vi.State.Step)}
	if d.Phone, err = s.visitPhoneCard(r, rq, vi); err != nil {
		s.fail(w, r, err)
		return
	}
	reasons, err := s.DB.VisitReasons(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, rs := range reasons {
		line := formatTime(rs.At) + " " + visit.FocusReasons[rs.Reason]
		if rs.Note != "" && rs.Note != visit.FocusReasons[rs.Reason] {
			line += "：" + rs.Note
		}
		d.Reasons = append(d.Reasons, line+"（"+rs.By+"）")
	}
	if f := refillFrom(r); form == nil && f != nil {
		// The answers of a failed post, shown again with their messages.
		pr := &http.Request{PostForm: f.state.Values}
		d.Form = newAnswersForm(answersFromForm(pr))
		d.Form.Errors = f.state.Errors
	} else if form != nil {
		d.Form = *form
	} else {
		d.Form = newAnswersForm(nil)
	}
	if duty := vi.State.Duty(); duty != nil {
		var roles []string
		for _, r := range duty.Roles {
			roles = append(roles, r.Label())
		}
		d.Duty = map[visit.Task]string{visit.TaskStart: "发送回访短信或直接电话回访", visit.TaskAwaitReply: "等待当事人回复", visit.TaskPhoneVisit: "电话回访",
			visit.TaskConsultation: "会商", visit.TaskOnsiteVisit: "实地回访"}[duty.Task]
		if len(roles) > 0 {
			d.Duty += "（" + strings.Join(roles, "、") + "）"
		}
		if !duty.Due.IsZero() {
			d.Duty += "，期限 " + formatTime(duty.Due)
		}
		d.People = duty.People
	}
	for _, dec := range vi.State.Decisions {
		d.Decisions = append(d.Decisions, struct{ Role, Person, Opinion string }{dec.Role.Label(), dec.Person, dec.Opinion})
	}
	for _, e := range evs {
		d.Events = append(d.Events, visitEventRow{At: formatTime(e.At), Label: e.Kind.Label(), Actor: e.Actor, Role: e.Role.Label(), Step: e.Step.Label(), Lines: describeEvent(e)})
	}
	// The buttons are exactly what the visit's rules allow this viewer now
	// (visit.Actions); the store applies the same rules to what is posted.
	acts := visit.Actions(vi.State, rq.viewer, vi.CourtPath, s.VisitConfig, s.DB.Now())
	d.CanStart = visit.Allows(acts, visit.EventStart)
	d.CanReply = visit.Allows(acts, visit.EventSMSReply)
	d.CanPhone = visit.Allows(acts, visit.EventPhoneRecorded)
	d.CanOnsite = visit.Allows(acts, visit.EventOnsiteRecorded)
	d.CanUnreach = visit.Allows(acts, visit.EventPhoneUnreached)
	d.PhoneAttempts, d.MaxPhoneAttempts = vi.State.PhoneAttempts, s.VisitConfig.PhoneAttempts
	for _, role := range visit.RolesFor(acts, visit.EventConsultation) {
		d.RecordAs = append(d.RecordAs, option{Value: string(role), Label: role.Label()})
	}
	d.Bodies = consultBodies()
	d.Consultation = consultationOf(evs)
	d.Today = s.today().String()
	for _, role := range visit.RolesFor(acts, visit.EventManualClose) {
		d.CloseAs = append(d.CloseAs, option{Value: string(role), Label: role.Label()})
	}
	d.CanClose = len(d.CloseAs) > 0
	s.render(w, r, status, "visit", &page{Title: "回访 " + vi.CaseNumber, Error: errMsg, Data: d})
}

// consultView is a consultation record as pages show it.
type consultView struct {
	Date, Conclusion, RecordedBy, At string
	Bodies                           []struct{ Body, Participants, Person string }
}

// consultBodies are the three bodies of the consultation form, in order.
func consultBodies() []option {
	var out []option
	for _, b := range visit.ConsultingBodies() {
		out = append(out, option{Value: string(b), Label: b.Label()})
	}
	return out
}

// consultationOf reads the consultation record of a visit from its events.
func consultationOf(evs []store.VisitEvent) *consultView {
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		raw, ok := e.Detail["consultation"].(map[string]any)
		if e.Kind != visit.EventConsultation || !ok {
			continue
		}
		str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
		c := &consultView{Date: str(raw, "date"), Conclusion: str(raw, "conclusion"), RecordedBy: e.Actor + "（" + e.Role.Label() + "）", At: formatTime(e.At)}
		parts, _ := raw["participants"].(map[string]any)
		persons, _ := raw["persons"].(map[string]any)
		for _, b := range visit.ConsultingBodies() {
			c.Bodies = append(c.Bodies, struct{ Body, Participants, Person string }{b.Label(), str(parts, string(b)), str(persons, string(b))})
		}
		return c
	}
	return nil
}

// visitAct applies one event posted from the visit page.
func (s *Server) visitAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ev := visit.Event{Kind: visit.EventKind(r.PostFormValue("event")), Role: domain.Role(r.PostFormValue("role")),
		Person: strings.TrimSpace(r.PostFormValue("person")), Opinion: strings.TrimSpace(r.PostFormValue("opinion")),
		Measures: strings.TrimSpace(r.PostFormValue("measures")), Suggestions: strings.TrimSpace(r.PostFormValue("suggestions")),
		Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	var form *answersForm
	switch ev.Kind {
	case visit.EventSMSReply:
		reply, _ := visit.ParseSatisfaction(r.PostFormValue("reply"))
		ev.Reply = reply
	case visit.EventConsultation:
		c := &visit.Consultation{Conclusion: strings.TrimSpace(r.PostFormValue("conclusion")),
			Participants: map[domain.Role]string{}, Persons: map[domain.Role]string{}}
		if raw := strings.TrimSpace(r.PostFormValue("consult_date")); raw != "" {
			d, err := domain.ParseDate(raw)
			if err != nil {
				s.fail(w, r, domain.Invalid("consult_date", "会商日期应写作 YYYY-MM-DD"))
				return
			}
			c.Date = d
		}
		for _, b := range visit.ConsultingBodies() {
			c.Participants[b] = strings.TrimSpace(r.PostFormValue("participants_" + string(b)))
			c.Persons[b] = strings.TrimSpace(r.PostFormValue("person_" + string(b)))
		}
		ev.Consultation = c
	case visit.EventPhoneRecorded, visit.EventOnsiteRecorded:
		a := answersFromForm(r)
		f := newAnswersForm(a)
		form = &f
		if ev.Kind == visit.EventPhoneRecorded || a.Satisfied != nil || len(a.Items) > 0 || a.Text != "" {
			if err := a.Validate(); err != nil {
				if s.refill(w, r, err) {
					return
				}
				f.Errors = fieldErrors(err)
				s.renderVisit(w, r, rq, http.StatusUnprocessableEntity, form, domain.UserMessage(err))
				return
			}
			ev.Answers = a
		}
	}
	if _, err := s.DB.ApplyVisitEvent(r.Context(), rq.viewer, id, ev, s.VisitConfig); err != nil {
		// A wrong field goes back to the visit page through refill (in
		// s.fail), which keeps every form's input.
		if fieldErrors(err) != nil && s.refill(w, r, err) {
			return
		}
		if fieldErrors(err) != nil || errors.Is(err, domain.ErrConflict) {
			s.renderVisit(w, r, rq, http.StatusUnprocessableEntity, form, domain.UserMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已登记："+ev.Kind.Label()+"。")
	http.Redirect(w, r, fmt.Sprintf("/visits/%d", id), http.StatusSeeOther)
}

func (s *Server) visitFocus(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := caseID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	var added store.FocusAdded
	if err == nil {
		added, err = s.DB.AddFocusedVisit(r.Context(), rq.viewer, id, r.PostFormValue("note"))
	}
	if err != nil {
		if fieldErrors(err) != nil {
			s.renderCase(w, r, rq, http.StatusUnprocessableEntity, nil, domain.UserMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, focusAddedText(added))
	http.Redirect(w, r, "/visits?kind=focused", http.StatusSeeOther)
}

// focusAddedText tells the command centre what a manual listing did, and
// that a party with a visit open is not asked twice.
func focusAddedText(a store.FocusAdded) string {
	switch {
	case a.Merged == 0:
		return fmt.Sprintf("已列入重点回访，新建回访 %d 次。", a.Created)
	case a.Created == 0:
		return fmt.Sprintf("已列入重点回访。当事人已有进行中的回访（%d 人），理由已并入该回访，不再重复发送短信。", a.Merged)
	}
	return fmt.Sprintf("已列入重点回访，新建回访 %d 次；另有 %d 名当事人已有进行中的回访，理由已并入。", a.Created, a.Merged)
}

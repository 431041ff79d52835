package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
)

// readInspectionForm reads the campaign form (new or edited) as posted:
// the values to show again and the input for the store, or the dates it
// could not read, beside their field.
func readInspectionForm(r *http.Request) (inspectionForm, store.InspectionInput, error) {
	pf := r.PostFormValue
	f := inspectionForm{Kind: pf("kind"), Theme: pf("theme"), ThemeName: pf("theme_name"), Title: pf("title"), From: pf("from"), To: pf("to"),
		Plan: pf("plan"), Courts: pf("courts"), Schedule: pf("schedule"), PerCourt: pf("per_court"), PerOfficer: pf("per_officer"), AnswerDays: pf("answer_days"),
		Excellent: pf("th_excellent"), Pass: pf("th_pass"), Flaw: pf("th_flaw"), Members: map[int64]bool{}, CrossCourt: pf("cross_court") != ""}
	f.Leader, _ = strconv.ParseInt(pf("leader"), 10, 64)
	in := store.InspectionInput{
		Campaign: inspection.Campaign{Kind: inspection.Kind(f.Kind), Theme: inspection.Theme(f.Theme), ThemeName: f.ThemeName, Title: f.Title, Plan: f.Plan},
		Courts:   strings.FieldsFunc(f.Courts, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' || r == '、' }),
		LeaderID: f.Leader, PerCourt: atoi(f.PerCourt), PerOfficer: atoi(f.PerOfficer), AnswerDays: atoi(f.AnswerDays), Schedule: f.Schedule, SameCourt: !f.CrossCourt,
		Thresholds: inspection.Thresholds{Excellent: atoi(f.Excellent), Pass: atoi(f.Pass), Flaw: atoi(f.Flaw)},
	}
	if _, err := strconv.Atoi(strings.TrimSpace(f.PerOfficer)); err != nil && strings.TrimSpace(f.PerOfficer) != "" {
		in.PerOfficer = -1 // not a number: refused by the store beside the others, not read as 0
	}
	for _, m := range r.PostForm["member"] {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			in.MemberIDs = append(in.MemberIDs, id)
			f.Members[id] = true
		}
	}
	fe := domain.FieldErrors{}
	var err error
	if in.Campaign.From, err = domain.ParseDate(f.From); err != nil && f.From != "" {
		fe.Add("period", "日期格式应为 2026-01-31")
	}
	if in.Campaign.To, err = domain.ParseDate(f.To); err != nil && f.To != "" {
		fe.Add("period", "日期格式应为 2026-01-31")
	}
	return f, in, fe.Err()
}

// editableInspection loads campaign {id} for its edit form, refusing
// whoever inspection.CanEdit does not let change it now.
func (s *Server) editableInspection(r *http.Request, rq *request) (*store.Inspection, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	in, err := s.DB.Inspection(r.Context(), rq.viewer, id)
	if err != nil {
		return nil, err
	}
	if !inspection.CanEdit(rq.viewer, in.Access()) {
		return nil, domain.Errorf(domain.ErrForbidden, "只有工作组成员可以在筹备阶段修改督察评查。")
	}
	return in, nil
}

// inspectionEdit shows a campaign in 筹备 to its group, in the form it was
// organised with, filled in; its kind and theme are fixed (the checklist
// frozen for them stays).
func (s *Server) inspectionEdit(w http.ResponseWriter, r *http.Request, rq *request) {
	in, err := s.editableInspection(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	courts := make([]string, 0, len(in.Scope))
	for _, sc := range in.Scope {
		c := sc.CourtCode
		if sc.Department != "" {
			c += "/" + sc.Department
		}
		courts = append(courts, c)
	}
	f := inspectionForm{Kind: string(in.Kind), Theme: string(in.Theme), ThemeName: in.ThemeName, Title: in.Title, From: in.From.String(), To: in.To.String(),
		Plan: in.Plan, Courts: strings.Join(courts, "，"), Schedule: in.Schedule, PerCourt: strconv.Itoa(in.PerCourt), PerOfficer: strconv.Itoa(in.PerOfficer), AnswerDays: strconv.Itoa(in.AnswerDays),
		Excellent: strconv.Itoa(in.Thresholds.Excellent), Pass: strconv.Itoa(in.Thresholds.Pass), Flaw: strconv.Itoa(in.Thresholds.Flaw),
		CrossCourt: in.CrossCourt, Members: map[int64]bool{}, Leader: inspection.Leader(in.Members).UserID, ID: in.ID, Keep: in.Members}
	for _, m := range in.Members {
		f.Members[m.UserID] = true
	}
	s.renderInspectionForm(w, r, rq, http.StatusOK, f)
}

// inspectionUpdate saves the edited campaign, or shows the form again
// with the input kept and each refusal beside its field.
func (s *Server) inspectionUpdate(w http.ResponseWriter, r *http.Request, rq *request) {
	in, err := s.editableInspection(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, input, err := readInspectionForm(r)
	f.Kind, f.Theme, f.ThemeName, f.ID, f.Keep = string(in.Kind), string(in.Theme), in.ThemeName, in.ID, in.Members
	if err == nil {
		err = s.DB.UpdateInspection(r.Context(), rq.viewer, in.ID, input)
	}
	if err != nil {
		if f.Errors = fieldErrors(err); f.Errors != nil {
			s.renderInspectionForm(w, r, rq, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已修改督察评查。")
	http.Redirect(w, r, fmt.Sprintf("/inspections/%d", in.ID), http.StatusSeeOther)
}

package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
)

// inspectionList lists the campaigns the viewer sees.
func (s *Server) inspectionList(w http.ResponseWriter, r *http.Request, rq *request) {
	l := newListing(r, store.InspectionSorts)
	f := store.InspectionFilter{Page: l.Req}
	narrowed, err := s.inspectionNarrow(r, &f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, info, err := s.DB.InspectionPageIn(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(list) == 0 && !inspection.CanCreate(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "您没有可查看的专项督察评查。"))
		return
	}
	if f.Graded {
		n, err := s.DB.InspectionSheets(r.Context(), rq.viewer, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		narrowed += fmt.Sprintf("，共%d份评查表", n)
	}
	s.render(w, r, http.StatusOK, "inspections", &page{Title: "专项督察评查", Data: map[string]any{
		"Rows": list, "CanCreate": inspection.CanCreate(rq.viewer), "List": l.done(info), "Narrowed": narrowed, "Graded": f.Graded}})
}

// inspectionNarrow narrows f as the cockpit's figures ask: ?court= (that
// court and those below it), ?period= (campaigns whose period meets it)
// and ?sheets=graded (instead, the campaigns with review sheets of those
// courts' cases graded and submitted in the period). It returns the words
// that say so, "" when not narrowed.
func (s *Server) inspectionNarrow(r *http.Request, f *store.InspectionFilter) (string, error) {
	q := r.URL.Query()
	var court, period string
	if code := strings.TrimSpace(q.Get("court")); code != "" {
		c, err := s.DB.CourtByCode(r.Context(), code)
		if err != nil {
			return "", err
		}
		f.CourtPath, court = c.Path, c.Name+"及辖区法院"
	}
	if v := strings.TrimSpace(q.Get("period")); v != "" {
		p, err := overview.ParsePeriod(v, s.today())
		if err != nil {
			return "", err
		}
		f.Period, period = p, p.Label()
	}
	switch q.Get("sheets") {
	case "":
	case "graded":
		f.Graded = true
	default:
		return "", domain.Errorf(domain.ErrInvalid, "评查表筛选“%s”无效。", q.Get("sheets"))
	}
	var narrowed []string
	switch {
	case f.Graded:
		if court != "" {
			narrowed = append(narrowed, court+"案件")
		}
		if period != "" {
			narrowed = append(narrowed, period+"提交")
		}
		narrowed = append(narrowed, "已评定等次的评查表所在活动")
	default:
		if court != "" {
			narrowed = append(narrowed, court+"组织")
		}
		if period != "" {
			narrowed = append(narrowed, "检查期间与"+period+"有交叉")
		}
	}
	if court == "" && period == "" && !f.Graded {
		return "", nil
	}
	return strings.Join(narrowed, "，"), nil
}

type inspectionForm struct {
	Kind, Theme, ThemeName, Title, From, To, Plan, Courts, Schedule string
	PerCourt, PerOfficer, AnswerDays, Excellent, Pass, Flaw         string
	CrossCourt                                                      bool
	Members                                                         map[int64]bool
	Leader                                                          int64
	// ID is the campaign edited, 0 for a new one; Keep its group, shown
	// even where a member is not a candidate (lent by a higher court).
	ID         int64
	Keep       []inspection.Member
	Candidates []store.InspectionCandidate
	Kinds      []inspection.Kind
	Themes     []inspection.Theme
	Errors     map[string]string
}

func (s *Server) renderInspectionForm(w http.ResponseWriter, r *http.Request, rq *request, status int, f inspectionForm) {
	var err error
	if f.Candidates, err = s.DB.InspectionCandidates(r.Context(), rq.viewer); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range f.Keep {
		if !slices.ContainsFunc(f.Candidates, func(c store.InspectionCandidate) bool { return c.UserID == m.UserID }) {
			f.Candidates = append(f.Candidates, store.InspectionCandidate{UserID: m.UserID, Name: m.Name, Body: m.Body})
		}
	}
	f.Kinds, f.Themes = inspection.Kinds, inspection.Themes
	title := "组织专项督察评查"
	if f.ID != 0 {
		title = "修改专项督察评查"
	}
	s.render(w, r, status, "inspection_new", &page{Title: title, Data: f})
}

// inspectionNew shows the form to one of the three bodies.
func (s *Server) inspectionNew(w http.ResponseWriter, r *http.Request, rq *request) {
	if !inspection.CanCreate(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有执行局、纪检监察组、监察室可以组织专项督察评查。"))
		return
	}
	th := inspection.DefaultThresholds()
	today := s.today()
	s.renderInspectionForm(w, r, rq, http.StatusOK, inspectionForm{Kind: string(inspection.KindCaseReview), Theme: string(inspection.ThemeMoney),
		From: today.AddMonths(-3).String(), To: today.AddDays(-1).String(), PerCourt: "5", PerOfficer: "0", AnswerDays: strconv.Itoa(s.answerDays()), CrossCourt: true,
		Excellent: strconv.Itoa(th.Excellent), Pass: strconv.Itoa(th.Pass), Flaw: strconv.Itoa(th.Flaw),
		Members: map[int64]bool{rq.viewer.UserID: true}, Leader: rq.viewer.UserID})
}

// answerDays is the time to answer a finding the form suggests, in days.
func (s *Server) answerDays() int {
	if d := int(s.InspectionAnswerWithin / (24 * time.Hour)); d > 0 {
		return d
	}
	return 7
}

func atoi(s string) int { n, _ := strconv.Atoi(strings.TrimSpace(s)); return n }

// inspectionCreate opens a campaign.
func (s *Server) inspectionCreate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, in, err := readInspectionForm(r)
	var id int64
	if err == nil {
		id, err = s.DB.CreateInspection(r.Context(), rq.viewer, in)
	}
	if err != nil {
		if f.Errors = fieldErrors(err); f.Errors != nil {
			s.renderInspectionForm(w, r, rq, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已组织专项督察评查，处于筹备阶段。")
	http.Redirect(w, r, fmt.Sprintf("/inspections/%d", id), http.StatusSeeOther)
}

// inspectionShow shows a campaign as the viewer may see it.
func (s *Server) inspectionShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderInspection(w, r, rq, http.StatusOK, nil)
}

func (s *Server) renderInspection(w http.ResponseWriter, r *http.Request, rq *request, status int, errs map[string]string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	in, err := s.DB.Inspection(ctx, rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := map[string]any{"In": in, "Errors": errs, "States": inspection.States, "Schedule": store.ScheduleLabel(in.Schedule)}
	findings, err := s.DB.InspectionFindings(ctx, rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data["Findings"], data["Today"] = findings, s.today().AddDays(30)
	data["May"] = func(acts []inspection.FindingAction, a string) bool {
		return inspection.Allows(acts, inspection.FindingAction(a))
	}
	data["MayT"] = func(acts []inspection.TargetAction, a string) bool {
		return inspection.Allows(acts, inspection.TargetAction(a))
	}
	if in.Full {
		targets, err := s.DB.InspectionTargets(ctx, rq.viewer, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		draws, err := s.DB.InspectionDraws(ctx, rq.viewer, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		facts, err := s.DB.InspectionFacts(ctx, rq.viewer, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var checklist *store.ChecklistVersion
		if in.ChecklistID != 0 {
			if checklist, err = s.DB.InspectionChecklist(ctx, rq.viewer, id); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		funds, err := s.DB.InspectionFunds(ctx, rq.viewer, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		planFiles, err := s.DB.InspectionPlanFiles(ctx, rq.viewer, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data["Targets"], data["Draws"], data["Facts"], data["Checklist"], data["Funds"] = targets, draws, facts, checklist, funds
		data["PlanFiles"] = planFiles
		data["Verified"] = store.VerifyDraws(draws)
		data["Actions"] = inspection.Actions(rq.viewer, in.Access())
		data["CanEdit"] = inspection.CanEdit(rq.viewer, in.Access())
		data["Waiting"] = inspection.Steps(in.State)
	}
	s.render(w, r, status, "inspection", &page{Title: in.Title, Data: data})
}

// inspectionAct runs one of the campaign's POST steps and shows the page
// again with the errors beside their fields, or goes back to it.
func (s *Server) inspectionAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, pf := r.Context(), r.PostFormValue
	var msg string
	switch r.PathValue("act") {
	case "move":
		ev := inspection.Event(pf("event"))
		err = s.DB.MoveInspection(ctx, rq.viewer, id, ev)
		msg = ev.Label() + "：已办理。"
	case "draw":
		var n int
		n, err = s.DB.DrawInspection(ctx, rq.viewer, id)
		msg = fmt.Sprintf("已抽取评查案件%d件。", n)
	case "pick":
		err = s.DB.PickInspectionCase(ctx, rq.viewer, id, pf("case_no"), pf("reason"))
		msg = "已选定评查案件。"
	case "units":
		var n int
		n, err = s.DB.AddInspectionUnits(ctx, rq.viewer, id)
		msg = fmt.Sprintf("已确定督察对象%d个。", n)
	default:
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderInspection(w, r, rq, http.StatusUnprocessableEntity, fe)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/inspections/%d", id), http.StatusSeeOther)
}

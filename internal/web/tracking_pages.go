package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// trackingList shows the candidates of the viewer's reach, with their
// reasons and since when, and the trackings with their state; filters by
// court, scope and step.
func (s *Server) trackingList(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderTrackingList(w, r, rq, http.StatusOK, nil, "")
}

func (s *Server) renderTrackingList(w http.ResponseWriter, r *http.Request, rq *request, status int, errs map[string]string, caseNo string) {
	if !tracking.SeesTracking(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "重点案件跟踪由执行局、纪检监察组、监察室办理。"))
		return
	}
	q := r.URL.Query()
	court := strings.TrimSpace(q.Get("court"))
	scope := tracking.Scope(q.Get("scope"))
	step := tracking.Step(q.Get("step"))
	cl := newListingAs(r, store.CandidateSorts, "c")
	cands, cinfo, err := s.DB.CandidatePage(r.Context(), rq.viewer, store.CandidateFilter{Court: court, Scope: scope}, cl.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tl := newListing(r, store.TrackingSorts)
	tf := store.TrackingFilter{Court: court, Step: step, Page: tl.Req}
	narrowed, err := s.trackingNarrow(r, rq, &tf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ts, info, err := s.DB.TrackingList(r.Context(), rq.viewer, tf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cfg := s.DB.TrackingConfig.OrDefault()
	today := s.today()
	type row struct {
		*store.Candidate
		Due     domain.Date
		Overdue bool
	}
	var rows []row
	for _, c := range cands {
		x := row{Candidate: c}
		if c.Step == tracking.StepCandidate {
			x.Due = cfg.EvaluateBy(c.CandidateSince)
			x.Overdue = x.Due.Before(today)
		}
		rows = append(rows, x)
	}
	s.render(w, r, status, "tracking_list", &page{Title: "重点案件跟踪", Data: map[string]any{
		"Candidates": rows, "Trackings": ts, "Court": court, "Scope": scope, "Step": step, "Scopes": tracking.Scopes, "Steps": tracking.Steps,
		"CanAdd": rq.viewer.HasAny(tracking.Bodies()...), "Errors": errs, "CaseNo": caseNo, "List": tl.done(info), "CList": cl.done(cinfo),
		"ManyCourts": manyCourts(ts, func(t *store.Tracking) string { return t.CourtPath }),
		"Narrowed":   narrowed, "Stage": tf.Stage, "Period": strings.TrimSpace(q.Get("period")), "Findings": tf.Findings != (overview.Period{})}})
}

// trackingNarrow narrows the trackings f finds as the cockpit's figures
// ask: ?stage= (the steps a figure counts together) and ?period= (decided
// to be tracked then, or with ?findings=1 with findings confirmed then,
// counted). With ?court= (read by the list itself) it returns
// the words that say so, "" when not narrowed.
func (s *Server) trackingNarrow(r *http.Request, rq *request, f *store.TrackingFilter) (string, error) {
	q := r.URL.Query()
	var narrowed []string
	if f.Court != "" {
		c, err := s.DB.CourtByCode(r.Context(), f.Court)
		if err != nil {
			return "", err
		}
		narrowed = append(narrowed, c.Name+"及辖区法院")
	}
	if g := tracking.Stage(q.Get("stage")); g != "" {
		if !g.Valid() {
			return "", domain.Errorf(domain.ErrInvalid, "跟踪阶段“%s”无效。", g)
		}
		f.Stage = g
		narrowed = append(narrowed, g.Label())
	}
	if period := strings.TrimSpace(q.Get("period")); period != "" {
		p, err := overview.ParsePeriod(period, s.today())
		if err != nil {
			return "", err
		}
		if q.Get("findings") == "1" {
			f.Findings = p
			n, err := s.DB.TrackingFindingCount(r.Context(), rq.viewer, *f)
			if err != nil {
				return "", err
			}
			narrowed = append(narrowed, fmt.Sprintf("%s确认发现问题的跟踪案件（共%d个问题）", p.Label(), n))
		} else {
			f.Decided = p
			narrowed = append(narrowed, p.Label()+"决定跟踪")
		}
	}
	if len(narrowed) == 0 || f.Stage == "" && f.Decided == (overview.Period{}) && f.Findings == (overview.Period{}) {
		return "", nil
	}
	return strings.Join(narrowed, "，"), nil
}

// trackingRefresh refreshes the candidates of the viewer's court (or the
// court the form names) on demand.
func (s *Server) trackingRefresh(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	code := strings.TrimSpace(r.PostFormValue("court"))
	if code == "" {
		code = rq.viewer.CourtCode
	}
	res, err := s.DB.RefreshCandidates(r.Context(), rq.viewer, code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, fmt.Sprintf("已更新重点执行案件候选：新增理由%d项，终止%d项，新列候选%d件。", res.Added, res.Ended, res.Opened))
	http.Redirect(w, r, "/tracking", http.StatusSeeOther)
}

// trackingAddReason lists a case as 其他需要跟踪监督的案件 for a reason.
func (s *Server) trackingAddReason(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	no := strings.TrimSpace(r.PostFormValue("case"))
	id, err := s.DB.AddCandidateReason(r.Context(), rq.viewer, no, r.PostFormValue("note"))
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderTrackingList(w, r, rq, http.StatusUnprocessableEntity, fe, no)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已列入重点执行案件候选。")
	http.Redirect(w, r, fmt.Sprintf("/tracking/%d", id), http.StatusSeeOther)
}

// trackingShow shows one tracking with the forms its viewer may use now.
func (s *Server) trackingShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderTracking(w, r, rq, http.StatusOK, nil)
}

func (s *Server) renderTracking(w http.ResponseWriter, r *http.Request, rq *request, status int, errs map[string]string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tv, err := s.DB.TrackingPage(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var people []store.GroupPerson
	if tracking.Allows(tv.Actions, tracking.EventFormGroup) {
		if people, err = s.DB.GroupPeople(r.Context(), rq.viewer, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	var opinions, decisions []map[string]any
	for _, b := range tracking.Bodies() {
		o, ok := tv.State.OpinionOf(b)
		a, can := tracking.Find(tv.Actions, tracking.EventOpinion, b, "")
		opinions = append(opinions, map[string]any{"Role": b, "Given": ok, "O": o, "Can": can, "Action": a})
	}
	for _, p := range tracking.CoLeaders() {
		d, ok := tv.State.DecisionOf(p)
		_, can := tracking.Find(tv.Actions, tracking.EventLeaderDecision, "", p)
		decisions = append(decisions, map[string]any{"Post": p, "Given": ok, "D": d, "Can": can})
	}
	cfg := s.DB.TrackingConfig.OrDefault()
	s.render(w, r, status, "tracking", &page{Title: "重点案件跟踪：" + tv.CaseNo, Data: map[string]any{
		"T": tv, "Errors": errs, "Factors": cfg.Factors, "MaxScore": tracking.MaxScore, "Bodies": tracking.Bodies(),
		"Opinions": opinions, "Decisions": decisions, "People": people, "Today": s.today().String(),
		"EvaluateBy": cfg.EvaluateBy(tv.CandidateSince), "Form": r.PostForm,
		"CanEvaluate": tracking.Allows(tv.Actions, tracking.EventEvaluate), "CanConsult": tracking.Allows(tv.Actions, tracking.EventOpenConsult),
		"CanGroup": tracking.Allows(tv.Actions, tracking.EventFormGroup), "Disagree": tv.State.Disagree()}})
}

// trackingAct runs one step of the procedure from a posted form: the page
// offers it only when tracking.Actions does, and so does this handler
// before it reads the form; the store checks again.
func (s *Server) trackingAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	tv, err := s.DB.TrackingPage(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostFormValue
	act := r.PathValue("act")
	var msg string
	switch act {
	case "evaluate":
		if err = allow(tv.Actions, tracking.EventEvaluate, "", ""); err != nil {
			break
		}
		scores := map[string]string{}
		for _, f := range s.DB.TrackingConfig.OrDefault().Factors {
			scores[f.Key] = pf("score_" + f.Key)
		}
		var e *tracking.Evaluation
		if e, err = tracking.NewEvaluation(s.DB.TrackingConfig.OrDefault().Factors, scores, tracking.Result(pf("result")), pf("reasoning")); err == nil {
			err = s.DB.Evaluate(r.Context(), rq.viewer, id, e)
			msg = "已登记综合评估：" + e.Result.Label() + "。"
		}
	case "consult":
		if err = allow(tv.Actions, tracking.EventOpenConsult, "", ""); err != nil {
			break
		}
		c := &tracking.Consultation{Place: pf("place"), Minutes: pf("minutes"), Participants: map[domain.Role]string{}}
		for _, b := range tracking.Bodies() {
			c.Participants[b] = pf("people_" + string(b))
		}
		if c.Date, err = formDate(r, "held_on"); err == nil {
			err = s.DB.OpenConsultation(r.Context(), rq.viewer, id, c)
			msg = "已登记会商，请三家分别登记意见。"
		}
	case "opinion":
		role := domain.Role(pf("role"))
		a, ok := tracking.Find(tv.Actions, tracking.EventOpinion, role, "")
		if !ok {
			err = domain.Errorf(domain.ErrForbidden, "您现在不能登记会商意见。")
			break
		}
		role = a.Role
		err = s.DB.GiveOpinion(r.Context(), rq.viewer, id, role, formYesNo(pf("agree")), pf("opinion"))
		msg = "已登记" + role.Label() + "会商意见。"
	case "decide":
		post := oversight.Post(pf("post"))
		if err = allow(tv.Actions, tracking.EventLeaderDecision, "", post); err != nil {
			break
		}
		err = s.DB.LeaderDecide(r.Context(), rq.viewer, id, post, formYesNo(pf("track")), pf("reason"))
		msg = "已登记" + post.Label() + "的决定。"
	case "group":
		if err = allow(tv.Actions, tracking.EventFormGroup, "", ""); err != nil {
			break
		}
		g := &tracking.Group{Plan: pf("plan")}
		leader, _ := strconv.ParseInt(pf("leader"), 10, 64)
		for key, vals := range r.PostForm {
			uid, perr := strconv.ParseInt(strings.TrimPrefix(key, "member_"), 10, 64)
			if !strings.HasPrefix(key, "member_") || perr != nil || len(vals) == 0 || vals[0] == "" {
				continue
			}
			g.Members = append(g.Members, tracking.Member{UserID: uid, Role: domain.Role(vals[0]), Leader: uid == leader})
		}
		var ferr error
		if g.From, err = formDate(r, "from"); err == nil {
			if g.To, ferr = formDate(r, "to"); ferr != nil {
				err = ferr
			}
		}
		if err == nil {
			err = s.DB.FormGroup(r.Context(), rq.viewer, id, g)
			msg = "工作小组已组成，开始跟踪监督。"
		}
	default:
		err = domain.ErrNotFound
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderTracking(w, r, rq, http.StatusUnprocessableEntity, fe)
			return
		}
		var de *domain.Error
		if errors.As(err, &de) && de.Field != "" {
			s.renderTracking(w, r, rq, http.StatusUnprocessableEntity, map[string]string{de.Field: de.Message})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/tracking/%d", id), http.StatusSeeOther)
}

// allow refuses an action tracking.Actions does not offer: a conflict when
// the viewer could act in that capacity at some other step is not told
// apart here; the store says which.
func allow(actions []tracking.Action, kind tracking.EventKind, role domain.Role, post oversight.Post) error {
	if _, ok := tracking.Find(actions, kind, role, post); ok {
		return nil
	}
	return domain.Errorf(domain.ErrForbidden, "您现在不能办理这一步。")
}

// formYesNo reads a yes/no radio: nil when neither was chosen.
func formYesNo(v string) *bool {
	switch v {
	case "yes":
		b := true
		return &b
	case "no":
		b := false
		return &b
	}
	return nil
}

// trackingMinutes shows the printable minutes 会商纪要 of a tracking's
// consultation.
func (s *Server) trackingMinutes(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tv, err := s.DB.TrackingPage(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if tv.Consultation == nil {
		s.fail(w, r, domain.Errorf(domain.ErrNotFound, "尚未会商。"))
		return
	}
	var opinions []map[string]any
	for _, b := range tracking.Bodies() {
		o, ok := tv.State.OpinionOf(b)
		opinions = append(opinions, map[string]any{"Role": b, "Given": ok, "O": o, "People": tv.Consultation.Participants[b]})
	}
	var decisions []map[string]any
	for _, p := range tracking.CoLeaders() {
		d, ok := tv.State.DecisionOf(p)
		decisions = append(decisions, map[string]any{"Post": p, "Given": ok, "D": d})
	}
	s.render(w, r, http.StatusOK, "tracking_minutes", &page{Title: "重点案件会商纪要", Data: map[string]any{
		"T": tv, "C": tv.Consultation, "Opinions": opinions, "Decisions": decisions, "Disagree": tv.State.Disagree(),
		"Back": fmt.Sprintf("/tracking/%d", id), "Today": s.today().Chinese()}})
}

// caseFlags lets the bureau set a case's 有较大社会影响 and 可能引发重大舆情;
// the case becomes a key-case candidate at once.
func (s *Server) caseFlags(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := caseID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		err = s.DB.SetCaseFlags(r.Context(), rq.viewer, id, r.PostFormValue("social_impact") == "1", r.PostFormValue("public_opinion") == "1")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已保存标注。")
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", id), http.StatusSeeOther)
}

package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// findingView is a finding as the pages show it, with the decisions the
// viewer may take on it now (tracking.FindingActions).
type findingView struct {
	*store.StoredFinding
	RuleTitle, AspectLabel, StateLabel string
	Actions                            []tracking.FindingEventKind
}

func findingViews(v domain.Viewer, fs []*store.StoredFinding) []findingView {
	out := make([]findingView, len(fs))
	for i, f := range fs {
		out[i] = findingView{StoredFinding: f, RuleTitle: f.Title, AspectLabel: f.Aspect.Label(), StateLabel: f.State.Label(),
			Actions: tracking.FindingActions(f.State, v, f.CourtPath)}
	}
	return out
}

type ruleCount struct {
	Code, Title string
	Count       int
}

// patrolList is the court-wide 网上巡查 report: every finding of every case
// of the courts the viewer oversees, by rule, state and aspect.
func (s *Server) patrolList(w http.ResponseWriter, r *http.Request, rq *request) {
	if !tracking.SeesAnyFindings(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "网上巡查结果仅供执行指挥中心、执行局、纪检监察组和监察室查看。"))
		return
	}
	q := r.URL.Query()
	f := store.FindingFilter{Court: q.Get("court"), Rule: q.Get("rule"), State: tracking.FindingState(q.Get("state")), Aspect: tracking.Aspect(q.Get("aspect"))}
	l := newListing(r, store.FindingSorts)
	f.Page = l.Req
	pg, err := s.DB.Findings(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var counts []ruleCount
	for _, rule := range tracking.DefaultPatrolRules() {
		counts = append(counts, ruleCount{rule.Code, rule.Title, pg.ByRule[rule.Code]})
	}
	states := make([]struct {
		State tracking.FindingState
		Count int
	}, len(tracking.FindingStates))
	for i, st := range tracking.FindingStates {
		states[i].State, states[i].Count = st, pg.ByState[st]
	}
	back := "/patrol"
	if enc := r.URL.RawQuery; enc != "" {
		back += "?" + enc
	}
	s.render(w, r, http.StatusOK, "patrol", &page{Title: "网上巡查", Data: struct {
		Filter   store.FindingFilter
		Rows     []findingView
		Total    int
		Shown    int
		Counts   []ruleCount
		States   any
		Aspects  []tracking.Aspect
		AllState []tracking.FindingState
		Back     string
		List     *listing
	}{f, findingViews(rq.viewer, pg.Findings), pg.Total, len(pg.Findings), counts, states,
		[]tracking.Aspect{tracking.AspectProcess, tracking.AspectActs}, tracking.FindingStates, back, l.done(pg.Info)}})
}

// patrolDecide confirms or dismisses a finding and goes back to the page
// it was decided from (the report or the case).
func (s *Server) patrolDecide(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ev, err := tracking.ParseFindingEvent(r.PathValue("act"))
	if err != nil {
		s.fail(w, r, fmt.Errorf("%w: %w", domain.ErrNotFound, err))
		return
	}
	if err := s.DB.DecideFinding(r.Context(), rq.viewer, id, ev, r.PostFormValue("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已"+ev.Label()+"。")
	back := r.PostFormValue("back")
	// Only a path of this site: never another host.
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") {
		back = "/patrol"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

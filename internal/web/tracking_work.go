package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// trackWorkView is the working group's page: the store's view and what
// the viewer may do on it (tracking.WorkActions), one flag per form.
type trackWorkView struct {
	*store.TrackingWork
	Can                                        map[string]bool
	Aspects                                    []tracking.Aspect
	Kinds                                      []tracking.RecordKind
	Modes                                      []tracking.Mode
	Form                                       []visit.Category
	Satisfaction                               []visit.Choice
	People                                     []store.WorkPerson
	Departments                                []store.WorkPerson // one per department, for the addressee select
	Errors                                     map[string]string
	Posted                                     url.Values
	Today, DefaultDeadline, GroupFrom, GroupTo string
	Blockers                                   []string
	Patrol                                     []findingView // the case's 网上巡查 findings
	Back                                       string        // where their forms come back to
	OpenRecommendations, ClosedRecommendations int
	OverdueRecommendations                     int
}

// trackWorkShow shows the working group's page of a tracking.
func (s *Server) trackWorkShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderTrackWork(w, r, rq, http.StatusOK, nil)
}

func (s *Server) renderTrackWork(w http.ResponseWriter, r *http.Request, rq *request, status int, errs map[string]string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tw, err := s.DB.TrackingWork(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := trackWorkView{TrackingWork: tw, Can: map[string]bool{}, Aspects: tracking.Aspects, Kinds: tracking.RecordKinds, Modes: tracking.Modes,
		Form: visit.Form(), Satisfaction: visit.SatisfactionChoices(), Errors: errs, Posted: r.PostForm, Today: s.today().String(),
		DefaultDeadline: s.today().AddDays(30).String(), GroupFrom: tw.GroupFrom.String(), GroupTo: tw.GroupTo.String(),
		Blockers: tracking.CloseBlockers(tw.Pending), Back: fmt.Sprintf("/tracking/%d/work#patrol", id)}
	patrol, err := s.DB.FindingsForCase(r.Context(), rq.viewer, tw.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Patrol = findingViews(rq.viewer, patrol)
	for _, a := range tw.Actions(rq.viewer) {
		v.Can[string(a)] = true
	}
	for _, rec := range tw.Recommendations {
		switch rec.State {
		case tracking.RecClosed:
			v.ClosedRecommendations++
		case tracking.RecOverdue:
			v.OverdueRecommendations++
		default:
			v.OpenRecommendations++
		}
	}
	if v.Can[string(tracking.WorkRecommend)] {
		if v.People, err = s.DB.WorkPeople(r.Context(), rq.viewer, id); err != nil {
			s.fail(w, r, err)
			return
		}
		seen := map[int64]bool{}
		for _, p := range v.People {
			if !seen[p.DepartmentID] {
				seen[p.DepartmentID] = true
				v.Departments = append(v.Departments, p)
			}
		}
	}
	s.render(w, r, status, "tracking_work", &page{Title: "跟踪监督：" + tw.CaseNo, Data: v})
}

// trackWorkAct runs one piece of the group's work from a posted form and
// comes back to the page; refused input shows the page with the
// messages. The page offers only what tracking.WorkActions allows; the
// store checks again.
func (s *Server) trackWorkAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	var msg string
	switch r.PathValue("act") {
	case "record":
		msg, err = s.trackWorkRecord(r, rq, id)
	case "finding":
		msg, err = s.trackWorkFinding(r, rq, id)
	case "interview":
		msg, err = s.trackWorkInterview(r, rq, id)
	case "visit":
		msg, err = s.trackWorkVisit(r, rq, id)
	case "recommend":
		msg, err = s.trackWorkRecommend(r, rq, id)
	case "close":
		msg, err = s.trackWorkClose(r, rq, id)
	default:
		err = domain.ErrNotFound
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderTrackWork(w, r, rq, http.StatusUnprocessableEntity, fe)
			return
		}
		var de *domain.Error
		if errors.As(err, &de) && de.Field != "" {
			s.renderTrackWork(w, r, rq, http.StatusUnprocessableEntity, map[string]string{de.Field: de.Message})
			return
		}
		if errors.Is(err, domain.ErrConflict) && errors.As(err, &de) {
			s.renderTrackWork(w, r, rq, http.StatusConflict, map[string]string{"page": de.Message})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/tracking/%d/work", id), http.StatusSeeOther)
}

package api

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// reasonOut is one scope's reason of a candidate.
type reasonOut struct {
	Label string      `json:"label"`
	Scope string      `json:"scope"`
	Since domain.Date `json:"since"`
	Notes []string    `json:"notes"`
}

// candidateOut is a candidate as the API lists it: reasons holds the
// labels in the seed's words, details the same with since-dates.
type candidateOut struct {
	CaseNo     string      `json:"case_no"`
	Court      string      `json:"court"`
	Reasons    []string    `json:"reasons"`
	Details    []reasonOut `json:"details"`
	TrackingID int64       `json:"tracking_id,omitempty"`
	State      string      `json:"state,omitempty"`
	StateLabel string      `json:"state_label,omitempty"`
}

// listTrackingCandidates answers as the tracking page does: the three
// bodies of the court and the watchdogs of the courts above; never the
// case's officers or department.
func (a *API) listTrackingCandidates(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	cs, err := a.DB.Candidates(r.Context(), v, store.CandidateFilter{Court: r.URL.Query().Get("court")})
	if err != nil {
		a.error(w, r, err)
		return
	}
	out := struct {
		Items []candidateOut `json:"items"`
	}{Items: []candidateOut{}}
	for _, c := range cs {
		o := candidateOut{CaseNo: c.CaseNo, Court: c.CourtCode, Reasons: []string{}, Details: []reasonOut{}, TrackingID: c.TrackingID}
		if c.TrackingID != 0 {
			o.State, o.StateLabel = string(c.Step), c.Step.Label()
		}
		for _, m := range c.Merged {
			o.Reasons = append(o.Reasons, m.Label)
			notes := m.Notes
			if notes == nil {
				notes = []string{}
			}
			o.Details = append(o.Details, reasonOut{Label: m.Label, Scope: string(m.Scope), Since: m.Since, Notes: notes})
		}
		out.Items = append(out.Items, o)
	}
	writeJSON(w, http.StatusOK, out)
}

// trackingOut is a tracking as the API lists it.
type trackingOut struct {
	ID             int64       `json:"id"`
	CaseNo         string      `json:"case_no"`
	Court          string      `json:"court"`
	State          string      `json:"state"`
	StateLabel     string      `json:"state_label"`
	CandidateSince domain.Date `json:"candidate_since"`
	DecidedBy      string      `json:"decided_by,omitempty"`
	GroupFrom      domain.Date `json:"group_from,omitzero"`
	GroupTo        domain.Date `json:"group_to,omitzero"`
}

// listTrackings lists the trackings of a court with their state, to the
// same viewers as the candidates; state filters by one step.
func (a *API) listTrackings(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	q := r.URL.Query()
	ts, err := a.DB.Trackings(r.Context(), v, store.TrackingFilter{Court: q.Get("court"), Step: tracking.Step(q.Get("state"))})
	if err != nil {
		a.error(w, r, err)
		return
	}
	out := struct {
		Items []trackingOut `json:"items"`
	}{Items: []trackingOut{}}
	for _, t := range ts {
		out.Items = append(out.Items, trackingOut{ID: t.ID, CaseNo: t.CaseNo, Court: t.CourtCode, State: string(t.Step), StateLabel: t.Step.Label(),
			CandidateSince: t.CandidateSince, DecidedBy: t.DecidedBy, GroupFrom: t.GroupFrom, GroupTo: t.GroupTo})
	}
	writeJSON(w, http.StatusOK, out)
}

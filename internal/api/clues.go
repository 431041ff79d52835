package api

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// clueOut is a clue as the API lists it.
type clueOut struct {
	ID          int64       `json:"id"`
	Court       string      `json:"court"`
	Source      string      `json:"source"`
	SourceID    int64       `json:"source_id,omitempty"`
	SourceRef   string      `json:"source_ref,omitempty"`
	Persons     []string    `json:"persons"`
	Summary     string      `json:"summary"`
	State       string      `json:"state"`
	Verifier    string      `json:"verifier,omitempty"`
	DueOn       domain.Date `json:"due_on,omitzero"`
	Conclusion  string      `json:"conclusion,omitempty"`
	Form        int         `json:"form,omitempty"`
	ConcludedOn domain.Date `json:"concluded_on,omitzero"`
}

// listClues lists the clues the token's user may see: as the pages, the
// watchdogs of the court and above, never a clue that concerns him.
func (a *API) listClues(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	ls, total, err := a.DB.Clues(r.Context(), v, store.ClueFilter{State: oversight.ClueState(r.URL.Query().Get("state")), Page: store.PageReq{Size: 200}})
	if err != nil {
		a.error(w, r, err)
		return
	}
	out := struct {
		Total int       `json:"total"`
		Clues []clueOut `json:"clues"`
	}{Total: total.Total, Clues: []clueOut{}}
	for _, l := range ls {
		o := clueOut{ID: l.ID, Court: l.CourtCode, Source: string(l.Source), SourceID: l.SourceID, SourceRef: l.SourceRef, Persons: []string{},
			Summary: l.Summary, State: string(l.State), Verifier: l.Verifier, DueOn: l.DueOn, Conclusion: string(l.Conclusion), Form: int(l.Form),
			ConcludedOn: l.ConcludedOn}
		for _, p := range l.Persons {
			o.Persons = append(o.Persons, p.Name)
		}
		out.Clues = append(out.Clues, o)
	}
	writeJSON(w, http.StatusOK, out)
}

package api

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
)

// inspectionOut is a campaign as the API lists it.
type inspectionOut struct {
	ID         int64       `json:"id"`
	Court      string      `json:"court"`
	Kind       string      `json:"kind"`
	KindLabel  string      `json:"kind_label"`
	Theme      string      `json:"theme"`
	ThemeLabel string      `json:"theme_label"`
	Title      string      `json:"title"`
	From       domain.Date `json:"from"`
	To         domain.Date `json:"to"`
	State      string      `json:"state"`
	StateLabel string      `json:"state_label"`
	Schedule   string      `json:"schedule,omitempty"`
	Full       bool        `json:"full"`
}

// listInspections answers as the list page does: the campaigns the token
// user sees (the group, the three bodies of the organising court and
// above in full, a court in scope its part, an officer those with a
// finding about him); one who sees none and organises none is refused.
func (a *API) listInspections(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	list, err := a.DB.Inspections(r.Context(), v)
	if err != nil {
		a.error(w, r, err)
		return
	}
	if len(list) == 0 && !inspection.CanCreate(v) {
		a.error(w, r, domain.Errorf(domain.ErrForbidden, "您没有可查看的专项督察评查。"))
		return
	}
	out := struct {
		Inspections []inspectionOut `json:"inspections"`
	}{Inspections: []inspectionOut{}}
	for _, in := range list {
		out.Inspections = append(out.Inspections, inspectionOut{ID: in.ID, Court: in.CourtCode, Kind: string(in.Kind), KindLabel: in.Kind.Label(),
			Theme: string(in.Theme), ThemeLabel: in.ThemeText(), Title: in.Title, From: in.From, To: in.To, State: string(in.State),
			StateLabel: in.State.Label(), Schedule: in.Schedule, Full: in.Full})
	}
	writeJSON(w, http.StatusOK, out)
}

package api

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// rectItemOut is a rectification item as the API lists it.
type rectItemOut struct {
	ID          int64       `json:"id"`
	Unit        string      `json:"unit"`
	Responsible string      `json:"responsible"`
	Deadline    domain.Date `json:"deadline"`
	Task        string      `json:"task"`
	State       string      `json:"state"`
	Overdue     bool        `json:"overdue"`
	Measures    string      `json:"measures,omitempty"`
	Outcome     string      `json:"outcome,omitempty"`
	RuleTitle   string      `json:"rule_title,omitempty"`
	RuleNumber  string      `json:"rule_number,omitempty"`
	RuleOn      string      `json:"rule_on,omitempty"`
	Files       int         `json:"files"`
}

// rectOut is a rectification as the API lists it.
type rectOut struct {
	ID          int64         `json:"id"`
	Court       string        `json:"court"`
	IssuerCourt string        `json:"issuer_court"`
	SourceKind  string        `json:"source_kind"`
	SourceID    int64         `json:"source_id"`
	Title       string        `json:"title"`
	Problem     string        `json:"problem,omitempty"`
	Improve     string        `json:"improve,omitempty"`
	Deadline    domain.Date   `json:"deadline"`
	Items       []rectItemOut `json:"items"`
}

// listRectifications answers as the list page does: the watchdogs and the
// bureau by court, a responsible person his own items, nobody else.
func (a *API) listRectifications(w http.ResponseWriter, r *http.Request, v domain.Viewer, _ *domain.User) {
	q := r.URL.Query()
	f := store.RectFilter{Court: q.Get("court"), State: oversight.ItemState(q.Get("state"))}
	rs, err := a.DB.Rectifications(r.Context(), v, f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	if len(rs) == 0 && !oversight.SeesRectifications(v) {
		a.error(w, r, domain.Errorf(domain.ErrForbidden, "您没有可查看的整改事项。"))
		return
	}
	today := domain.DateOf(a.DB.Now(), domain.Beijing)
	out := struct {
		Rectifications []rectOut `json:"rectifications"`
	}{Rectifications: []rectOut{}}
	for _, x := range rs {
		o := rectOut{ID: x.ID, Court: x.CourtCode, IssuerCourt: x.IssuerCourtName, SourceKind: string(x.SourceKind), SourceID: x.SourceID, Title: x.Title,
			Deadline: x.Deadline, Items: []rectItemOut{}}
		if x.Full {
			o.Problem, o.Improve = x.Problem, x.Improve
		}
		for _, it := range x.Items {
			io := rectItemOut{ID: it.ID, Unit: it.Unit, Responsible: it.ResponsibleName, Deadline: it.Deadline, Task: it.Task, State: string(it.State),
				Overdue: oversight.Overdue(it.State, it.Deadline, today), Measures: it.Measures, Outcome: it.Outcome, RuleTitle: it.Rule.Title,
				RuleNumber: it.Rule.Number, Files: len(it.Files)}
			if !it.Rule.On.IsZero() {
				io.RuleOn = it.Rule.On.String()
			}
			o.Items = append(o.Items, io)
		}
		out.Rectifications = append(out.Rectifications, o)
	}
	writeJSON(w, http.StatusOK, out)
}

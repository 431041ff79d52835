// Package api serves the JSON API under /api/v1 for the case system and
// scripts. Callers authenticate with a bearer token issued by
// `zhilian tokens create`; every answer is limited to what the token's user
// may see.
package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
)

// API is the /api/v1 handler.
type API struct {
	DB   *store.DB
	Auth *auth.Service
	Log  *slog.Logger
	// RemoteAddr returns the client address as the web server sees it.
	RemoteAddr func(*http.Request) string
	// CaseTypes are the case type codes case numbers may carry.
	CaseTypes []string
	// OverviewTargets are the cockpit's targets; the defaults if nil.
	OverviewTargets overview.Targets
}

// Routes are the API's patterns, for the route matrix test.
func (a *API) Routes() []string {
	var out []string
	for _, r := range a.routes() {
		out = append(out, r.pattern)
	}
	return out
}

type route struct {
	pattern string
	handler http.Handler
}

func (a *API) routes() []route {
	return []route{
		{"GET /api/v1/me", a.token(a.me)},
		{"POST /api/v1/cases", a.token(a.postCases)},
		{"GET /api/v1/cases", a.token(a.listCases)},
		{"GET /api/v1/cases/{caseNo}", a.token(a.getCase)},
		{"GET /api/v1/complaints", a.token(a.listComplaints)},
		{"POST /api/v1/complaints", a.token(a.postComplaint)},
		{"GET /api/v1/rectifications", a.token(a.listRectifications)},
		{"GET /api/v1/inspections", a.token(a.listInspections)},
		{"GET /api/v1/clues", a.token(a.listClues)},
		{"GET /api/v1/tracking/candidates", a.token(a.listTrackingCandidates)},
		{"GET /api/v1/tracking", a.token(a.listTrackings)},
		{"GET /api/v1/overview", a.token(fromReplica(a.getOverview))},
		{"GET /api/v1/openapi.json", http.HandlerFunc(serveOpenAPI)},
		{"/api/v1/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a.error(w, r, domain.ErrNotFound)
		})},
	}
}

// Handler returns the routes.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range a.routes() {
		mux.Handle(r.pattern, r.handler)
	}
	return mux
}

func (a *API) token(h func(http.ResponseWriter, *http.Request, domain.Viewer, *domain.User)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="zhilian"`)
			a.error(w, r, domain.Errorf(domain.ErrUnauthorized, "缺少接口令牌（Authorization: Bearer …）。"))
			return
		}
		u, err := a.Auth.APIUser(r.Context(), strings.TrimSpace(tok))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="zhilian", error="invalid_token"`)
			a.error(w, r, domain.Errorf(domain.ErrUnauthorized, "接口令牌无效或已吊销。"))
			return
		}
		addr := r.RemoteAddr
		if a.RemoteAddr != nil {
			addr = a.RemoteAddr(r)
		}
		v := domain.ViewerFor(u, addr)
		h(w, r, v, u)
	})
}

type meResponse struct {
	Username   string   `json:"username"`
	Name       string   `json:"name"`
	Court      string   `json:"court"`
	CourtName  string   `json:"court_name"`
	Department string   `json:"department"`
	Roles      []string `json:"roles"`
}

func (a *API) me(w http.ResponseWriter, r *http.Request, v domain.Viewer, u *domain.User) {
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	writeJSON(w, http.StatusOK, meResponse{u.Username, u.Name, u.CourtCode, u.CourtName, u.Department, roles})
}

type errorBody struct {
	Error   string            `json:"error"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// error writes err as JSON: a stable code, the user message, and never the
// internal text.
func (a *API) error(w http.ResponseWriter, r *http.Request, err error) {
	status, code := http.StatusInternalServerError, "internal"
	switch {
	case errors.Is(err, domain.ErrNotFound):
		status, code = http.StatusNotFound, "not_found"
	case errors.Is(err, domain.ErrInvalid):
		status, code = http.StatusUnprocessableEntity, "invalid"
	case errors.Is(err, domain.ErrForbidden):
		status, code = http.StatusForbidden, "forbidden"
	case errors.Is(err, domain.ErrUnauthorized):
		status, code = http.StatusUnauthorized, "unauthorized"
	case errors.Is(err, domain.ErrConflict):
		status, code = http.StatusConflict, "conflict"
	case errors.Is(err, domain.ErrStorageFull):
		status, code = http.StatusInsufficientStorage, "storage_full"
	case errors.Is(err, domain.ErrUnavailable):
		status, code = http.StatusServiceUnavailable, "unavailable"
		w.Header().Set("Retry-After", "30")
	}
	if status >= 500 {
		a.Log.Error("api request failed", "path", r.URL.Path, "err", err)
	}
	body := errorBody{Error: code, Message: domain.UserMessage(err)}
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		body.Fields = ve.Fields
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// fromReplica lets an endpoint's reads be answered by the read replica
// (--db-replica): the cockpit's figures, which no call of the API writes
// and reads back.
func fromReplica(h func(http.ResponseWriter, *http.Request, domain.Viewer, *domain.User)) func(http.ResponseWriter, *http.Request, domain.Viewer, *domain.User) {
	return func(w http.ResponseWriter, r *http.Request, v domain.Viewer, u *domain.User) {
		h(w, r.WithContext(store.ReplicaReads(r.Context())), v, u)
	}
}

package web

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/store"
)

type tokenRow struct {
	ID                                  int64
	User, Court, Name                   string
	Created, Expires, LastUsed, Revoked string
	Active                              bool
}

type tokensData struct {
	Tokens []tokenRow
	User   string
}

// tokenList lists the API tokens of the accounts the viewer manages, never
// the tokens themselves.
func (s *Server) tokenList(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderTokens(w, r, rq, http.StatusOK, tokensData{User: r.URL.Query().Get("user")})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, rq *request, status int, d tokensData) {
	ts, err := s.DB.APITokens(r.Context(), rq.viewer, d.User)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.DB.Now()
	for _, t := range ts {
		d.Tokens = append(d.Tokens, tokenRow{ID: t.ID, User: t.UserName + "（" + t.Username + "）", Court: t.CourtName, Name: t.Name,
			Created: formatTime(t.CreatedAt), Expires: formatTime(t.ExpiresAt), LastUsed: formatTime(t.LastUsedAt), Revoked: formatTime(t.RevokedAt),
			Active: t.Active(now)})
	}
	s.render(w, r, status, "tokens", &page{Title: "接口令牌", Data: d})
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error { return tx.RevokeAPIToken(r.Context(), id) }); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "令牌已撤销，立即失效。")
	http.Redirect(w, r, "/admin/tokens", http.StatusSeeOther)
}

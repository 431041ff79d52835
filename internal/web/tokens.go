package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"

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
	List   *listing
	User   string
}

// tokenList lists the API tokens of the accounts the viewer manages, never
// the tokens themselves.
func (s *Server) tokenList(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderTokens(w, r, rq, http.StatusOK, tokensData{User: r.URL.Query().Get("user")})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, rq *request, status int, d tokensData) {
	l := newListing(r, store.TokenSorts)
	ts, info, err := s.DB.APITokenPage(r.Context(), rq.viewer, d.User, l.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.List = l.done(info)
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

type ownTokensData struct {
	Tokens       []tokenRow
	Token        string // the token just issued, shown once
	Enrolled     bool
	Required     bool // the account needs a second factor, so only its own tokens work
	Name, Hours  string
	Errors       map[string]string
	Administrate bool
	List         *listing
}

// ownTokens shows the signed-in user's API tokens and the form that issues
// one under a code of the authenticator.
func (s *Server) ownTokens(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderOwnTokens(w, r, rq, http.StatusOK, ownTokensData{Hours: "8"})
}

func (s *Server) renderOwnTokens(w http.ResponseWriter, r *http.Request, rq *request, status int, d ownTokensData) {
	l := newListing(r, store.TokenSorts)
	ts, info, err := s.DB.OwnAPITokens(r.Context(), rq.viewer, l.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.List = l.done(info)
	now := s.DB.Now()
	for _, t := range ts {
		d.Tokens = append(d.Tokens, tokenRow{ID: t.ID, Name: t.Name, Created: formatTime(t.CreatedAt), Expires: formatTime(t.ExpiresAt),
			LastUsed: formatTime(t.LastUsedAt), Revoked: formatTime(t.RevokedAt), Active: t.Active(now)})
	}
	d.Enrolled, d.Required = rq.user.SecondFactor, rq.user.NeedsSecondFactor()
	d.Administrate = slices.ContainsFunc(rq.user.Roles, domain.Role.IsAdministrative)
	s.render(w, r, status, "account_tokens", &page{Title: "我的接口令牌", Data: d})
}

// issueOwnToken issues a token for the signed-in user after a current code.
func (s *Server) issueOwnToken(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	d := ownTokensData{Name: r.PostFormValue("name"), Hours: r.PostFormValue("hours")}
	hours, err := strconv.Atoi(strings.TrimSpace(d.Hours))
	if err != nil || hours < 1 {
		d.Errors = map[string]string{"hours": "自签令牌有效期为1至8小时"}
		s.renderOwnTokens(w, r, rq, http.StatusUnprocessableEntity, d)
		return
	}
	if !rq.user.SecondFactor {
		d.Errors = map[string]string{"code": "请先绑定动态口令，再签发接口令牌。"}
		s.renderOwnTokens(w, r, rq, http.StatusUnprocessableEntity, d)
		return
	}
	d.Token, err = s.Auth.IssueOwnToken(r.Context(), rq.viewer, r.PostFormValue("code"), d.Name, time.Duration(hours)*time.Hour)
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			d.Errors = fe
			s.renderOwnTokens(w, r, rq, http.StatusUnprocessableEntity, d)
			return
		}
		if errors.Is(err, domain.ErrLocked) {
			s.endLockedSession(w, r, rq)
			return
		}
		s.fail(w, r, err)
		return
	}
	d.Name, d.Hours = "", "8"
	s.renderOwnTokens(w, r, rq, http.StatusOK, d)
}

// revokeOwnToken ends one of the signed-in user's own tokens.
func (s *Server) revokeOwnToken(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error { return tx.RevokeOwnAPIToken(r.Context(), id) }); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "令牌已撤销，立即失效。")
	http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
}

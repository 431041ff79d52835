package web

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

const (
	sessionCookie = "zhilian_session"
	flashCookie   = "zhilian_flash"
)

// request is the signed-in user of a request and its session.
type request struct {
	user   *domain.User
	sess   *store.Session
	viewer domain.Viewer
}

type ctxKey struct{}

func reqFrom(r *http.Request) *request {
	rq, _ := r.Context().Value(ctxKey{}).(*request)
	return rq
}

type handler func(w http.ResponseWriter, r *http.Request, rq *request)

// user wraps a page that needs a signed-in user; others go to the login
// page and come back after.
func (s *Server) user(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		var u *domain.User
		var sess *store.Session
		if err == nil {
			u, sess, err = s.Auth.Session(r.Context(), c.Value)
		}
		if err != nil {
			if !errors.Is(err, domain.ErrUnauthorized) && !errors.Is(err, http.ErrNoCookie) {
				s.fail(w, r, err)
				return
			}
			if c != nil {
				s.clearCookie(w, sessionCookie)
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			} else {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
			}
			return
		}
		rq := &request{user: u, sess: sess, viewer: domain.ViewerFor(u, s.RemoteAddr(r))}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, rq))
		h(w, r, rq)
	})
}

// admin wraps a page for administrators.
func (s *Server) admin(h handler) http.Handler {
	return s.user(func(w http.ResponseWriter, r *http.Request, rq *request) {
		if !rq.viewer.CanAdminister() {
			s.fail(w, r, domain.Errorf(domain.ErrForbidden, "该页面仅供系统管理员使用。"))
			return
		}
		h(w, r, rq)
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.TLS, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.TLS, SameSite: http.SameSiteLaxMode})
}

// flash sets a one-time success message shown on the next page.
func (s *Server) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/", HttpOnly: true, Secure: s.TLS, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return ""
	}
	return string(b)
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

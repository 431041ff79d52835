package web

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"

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

// access is how far a page lets a session in.
type access int

const (
	// full pages need a session past the second factor whose password
	// need not be changed first.
	full access = iota
	// changingPassword is the change-password page: a full session, even
	// one that must change its password.
	changingPassword
	// secondFactor is the code and enrolment page: only a session between
	// password and second factor.
	secondFactor
	// anySession is logging out.
	anySession
)

// user wraps a page that needs a signed-in user; others go to the login
// page and come back after.
func (s *Server) user(h handler) http.Handler { return s.session(full, h) }

// session wraps a page that a session reaches at the given access.
func (s *Server) session(level access, h handler) http.Handler {
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
				s.clearCookie(w, r, sessionCookie)
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
		if level != anySession {
			pending := sess.Stage == store.StageMFA
			switch {
			case level == secondFactor && !pending:
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return
			case level != secondFactor && pending:
				s.detour(w, r, "/login/2fa", "请先完成双因素认证。")
				return
			}
			if must, why := s.Auth.MustChangePassword(u); must && level == full {
				s.detour(w, r, "/account/password", why)
				return
			}
		}
		h(w, r, rq)
	})
}

// detour sends a session that must do something first to the page where
// it does it: a GET is redirected, anything else refused.
func (s *Server) detour(w http.ResponseWriter, r *http.Request, to, why string) {
	if r.Method == http.MethodGet {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	s.fail(w, r, &domain.Error{Code: domain.ErrForbidden, Message: why})
}

// only wraps a page that the signed-in viewer reaches if may says so,
// refused with msg otherwise.
func (s *Server) only(may func(domain.Viewer) bool, msg string, h handler) http.Handler {
	return s.user(func(w http.ResponseWriter, r *http.Request, rq *request) {
		if !may(rq.viewer) {
			s.fail(w, r, &domain.Error{Code: domain.ErrForbidden, Message: msg})
			return
		}
		h(w, r, rq)
	})
}

// admin wraps a page for the system administrator.
func (s *Server) admin(h handler) http.Handler {
	return s.only(domain.Viewer.CanAdminister, "该页面仅供系统管理员使用。", h)
}

// accounts wraps a page of account management, for the system and the
// security administrator; the store decides what each may change.
func (s *Server) accounts(h handler) http.Handler {
	return s.only(domain.Viewer.ManagesAccounts, "该页面仅供系统管理员、安全管理员使用。", h)
}

// security wraps a page for the security administrator.
func (s *Server) security(h handler) http.Handler {
	return s.only(domain.Viewer.CanGrantRoles, "该页面仅供安全管理员使用。", h)
}

// overHTTPS reports whether the user reached the server over HTTPS: its
// own TLS, or a trusted proxy that says so in X-Forwarded-Proto (the proxy
// terminating TLS, as the README describes). Cookies are then Secure.
func (s *Server) overHTTPS(r *http.Request) bool {
	if s.TLS || r.TLS != nil {
		return true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	// Proxies in a chain may each add theirs: the first is what the user
	// reached.
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return s.TrustProxy && s.trusted(host) && strings.EqualFold(strings.TrimSpace(proto), "https")
}

// cookie sets one of the server's cookies: HttpOnly, SameSite=Lax, and
// Secure whenever the user came over HTTPS (plain HTTP is for a loopback
// demo or an intranet without TLS, where a Secure cookie would not come
// back).
func (s *Server) cookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true, //nolint:gosec // G124: Secure is set whenever the request came over HTTPS
		Secure: s.overHTTPS(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	s.cookie(w, r, sessionCookie, token, 0)
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	s.cookie(w, r, name, "", -1)
}

// flash sets a one-time success message shown on the next page.
func (s *Server) flash(w http.ResponseWriter, r *http.Request, msg string) {
	s.cookie(w, r, flashCookie, base64.RawURLEncoding.EncodeToString([]byte(msg)), 60)
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	s.clearCookie(w, r, flashCookie)
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return ""
	}
	return string(b)
}

// safeNext keeps a post-login redirect on this site: a path with no
// scheme, host, backslash or control character (browsers drop tabs and
// newlines, so "/\t/evil.example" would become "//evil.example").
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || strings.ContainsAny(next, "\\") || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") ||
		strings.HasPrefix(u.Path, "/login") || strings.HasPrefix(next, "//") {
		return "/"
	}
	return next
}

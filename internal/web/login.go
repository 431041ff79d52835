package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

type loginData struct {
	Username string
	Next     string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", &page{Title: "登录", Data: loginData{Next: r.URL.Query().Get("next")}})
}

// throttled takes a token of the client address for a sign-in attempt
// (password or code), whatever name it tries, and answers 429 when there
// is none. The token is taken before the secret is checked, so parallel
// attempts cannot outrun the limit; a success gives it back (succeeded),
// so that only failures count.
func (s *Server) throttled(w http.ResponseWriter, r *http.Request) bool {
	if s.loginLimiter.allow(clientKey(s.RemoteAddr(r)), time.Now()) {
		return false
	}
	s.Metrics.ObserveLogin("throttled")
	w.Header().Set("Retry-After", "60")
	s.render(w, r, http.StatusTooManyRequests, "login", &page{Title: "登录", Error: "登录请求过于频繁，请一分钟后再试。", Data: loginData{}})
	return true
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.throttled(w, r) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, domain.Errorf(domain.ErrInvalid, "提交的内容无法解析。"))
		return
	}
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	data := loginData{Username: username, Next: r.PostFormValue("next")}
	if username == "" || password == "" {
		s.render(w, r, http.StatusUnprocessableEntity, "login", &page{Title: "登录", Error: "请输入用户名和密码。", Data: data})
		return
	}
	u, token, err := s.Auth.Login(r.Context(), username, password, s.RemoteAddr(r), r.UserAgent())
	if err != nil {
		status, result := http.StatusUnauthorized, "bad"
		if errors.Is(err, domain.ErrLocked) {
			status, result = http.StatusTooManyRequests, "locked"
			w.Header().Set("Retry-After", strconv.Itoa(int(s.Auth.Policy.LockFor.Seconds())))
		} else if !errors.Is(err, domain.ErrUnauthorized) {
			s.fail(w, r, err)
			return
		}
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Form realm="zhilian"`)
		}
		s.Metrics.ObserveLogin(result)
		s.render(w, r, status, "login", &page{Title: "登录", Error: domain.UserMessage(err), Data: data})
		return
	}
	s.succeeded(r)
	// A new session id at every login; an old cookie of this browser is
	// replaced, not reused.
	s.setSessionCookie(w, r, token)
	s.markFirstLogin(w, r, u)
	next := safeNext(data.Next)
	if s.Auth.NeedsSecondFactor(u) {
		s.Metrics.ObserveLogin("second_factor")
		to := "/login/2fa"
		if next != "/" {
			to += "?next=" + url.QueryEscape(next)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	s.Metrics.ObserveLogin("ok")
	s.Log.Info("login", "user", u.Username, "remote", s.RemoteAddr(r))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// succeeded gives back the token a successful sign-in attempt took.
func (s *Server) succeeded(r *http.Request) {
	s.loginLimiter.refund(clientKey(s.RemoteAddr(r)), time.Now())
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := s.Auth.Logout(r.Context(), rq.viewer, rq.sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

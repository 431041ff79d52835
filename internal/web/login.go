package web

import (
	"errors"
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
)

type loginData struct {
	Username string
	Next     string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", &page{Title: "登录", Data: loginData{Next: r.URL.Query().Get("next")}})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
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
		} else if !errors.Is(err, domain.ErrUnauthorized) {
			s.fail(w, r, err)
			return
		}
		s.Metrics.ObserveLogin(result)
		s.render(w, r, status, "login", &page{Title: "登录", Error: domain.UserMessage(err), Data: data})
		return
	}
	s.Metrics.ObserveLogin("ok")
	s.Log.Info("login", "user", u.Username, "remote", s.RemoteAddr(r))
	// A new session id at every login; an old cookie of this browser is
	// replaced, not reused.
	s.setSessionCookie(w, token)
	http.Redirect(w, r, safeNext(data.Next), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := s.Auth.Logout(r.Context(), rq.viewer, rq.sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearCookie(w, sessionCookie)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

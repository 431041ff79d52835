package web

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
)

type passwordData struct{ Errors map[string]string }

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, rq *request) {
	s.render(w, r, http.StatusOK, "password", &page{Title: "修改密码", Data: passwordData{}})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, rq *request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, domain.Errorf(domain.ErrInvalid, "提交的内容无法解析。"))
		return
	}
	current, password, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
	if password != confirm {
		s.render(w, r, http.StatusUnprocessableEntity, "password", &page{Title: "修改密码", Data: passwordData{Errors: map[string]string{"confirm": "两次输入的新密码不一致"}}})
		return
	}
	if err := s.Auth.ChangePassword(r.Context(), rq.viewer, rq.sess, current, password); err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.render(w, r, http.StatusUnprocessableEntity, "password", &page{Title: "修改密码", Data: passwordData{Errors: fe}})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "密码已修改，您在其他设备上的登录已失效。")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

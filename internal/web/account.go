package web

import (
	"errors"
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
)

type passwordData struct{ Errors map[string]string }

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderPassword(w, r, rq, http.StatusOK, nil)
}

// renderPassword shows the change-password form, saying why when the user
// must change the password before anything else.
func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, rq *request, status int, errs map[string]string) {
	_, why := s.Auth.MustChangePassword(rq.user)
	s.render(w, r, status, "password", &page{Title: "修改密码", Error: why, Data: passwordData{Errors: errs}})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, rq *request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, domain.Errorf(domain.ErrInvalid, "提交的内容无法解析。"))
		return
	}
	current, password, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
	if password != confirm {
		s.renderPassword(w, r, rq, http.StatusUnprocessableEntity, map[string]string{"confirm": "两次输入的新密码不一致"})
		return
	}
	if err := s.Auth.ChangePassword(r.Context(), rq.viewer, rq.sess, current, password); err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderPassword(w, r, rq, http.StatusUnprocessableEntity, fe)
			return
		}
		if errors.Is(err, domain.ErrLocked) {
			s.endLockedSession(w, r, rq)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "密码已修改，您在其他设备上的登录和接口令牌已失效。")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

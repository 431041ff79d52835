package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

type mfaData struct {
	Name, Username string
	// Next is where to go after signing in (a safe local path).
	Next  string
	Enrol *enrolView
	Codes []string
}

// enrolView is an enrolment as a template shows it: the QR code is a
// data: URL made here, which html/template would otherwise refuse.
type enrolView struct {
	Secret string
	QR     template.URL
}

func viewOf(e *auth.Enrolment) *enrolView {
	return &enrolView{Secret: e.Secret, QR: template.URL(e.QR)} // #nosec G203 -- a PNG we encoded
}

// secondFactorForm is the page between password and session: the code
// form, or the enrolment of a user who must have a second factor and has
// none yet.
func (s *Server) secondFactorForm(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderSecondFactor(w, r, rq, http.StatusOK, "")
}

func (s *Server) renderSecondFactor(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) {
	d := mfaData{Name: rq.user.Name, Username: rq.user.Username, Next: safeNext(r.URL.Query().Get("next"))}
	if d.Next == "/" {
		d.Next = ""
	}
	title := "双因素认证"
	if !rq.user.SecondFactor {
		e, err := s.Auth.BeginEnrolment(r.Context(), rq.viewer, rq.sess)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Enrol, title = viewOf(e), "绑定动态口令"
	}
	s.render(w, r, status, "mfa", &page{Title: title, Error: msg, Data: d})
}

func (s *Server) secondFactorPass(w http.ResponseWriter, r *http.Request, rq *request) {
	if s.throttled(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PostFormValue("code")
	next := safeNext(r.URL.Query().Get("next"))
	if r.PostFormValue("action") == "enrol" && !rq.user.SecondFactor {
		codes, err := s.Auth.ConfirmEnrolment(r.Context(), rq.viewer, rq.sess, code)
		if err != nil {
			s.secondFactorFailed(w, r, rq, err)
			return
		}
		s.succeeded(r)
		s.Metrics.ObserveLogin("ok")
		s.render(w, r, http.StatusOK, "mfa", &page{Title: "保存恢复码", Data: mfaData{Codes: codes, Next: next}})
		return
	}
	if err := s.Auth.PassSecondFactor(r.Context(), rq.viewer, rq.sess, code); err != nil {
		s.secondFactorFailed(w, r, rq, err)
		return
	}
	s.succeeded(r)
	s.Metrics.ObserveLogin("ok")
	s.Log.Info("login", "user", rq.user.Username, "remote", s.RemoteAddr(r), "second_factor", true)
	http.Redirect(w, r, next, http.StatusSeeOther) //nolint:gosec // G710: next went through safeNext, a path on this site only
}

// secondFactorFailed shows the form again with the reason, or, once the
// name is locked (which ends the session), the login page.
func (s *Server) secondFactorFailed(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	switch {
	case errors.Is(err, domain.ErrLocked):
		s.Metrics.ObserveLogin("locked")
		s.endLockedSession(w, r, rq) // it shows the login page
	case errors.Is(err, domain.ErrInvalid):
		s.Metrics.ObserveLogin("bad")
		s.renderSecondFactor(w, r, rq, http.StatusUnauthorized, domain.UserMessage(err))
	default:
		s.fail(w, r, err)
	}
}

type account2FAData struct {
	Enrol     *enrolView
	Codes     []string
	CodesLeft int
	Required  bool
	Errors    map[string]string
}

// account2FA shows a signed-in user's second factor: enrolment for one who
// has none, else the recovery codes left, a new set, and removal where no
// role requires it.
func (s *Server) account2FA(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderAccount2FA(w, r, rq, http.StatusOK, account2FAData{})
}

func (s *Server) renderAccount2FA(w http.ResponseWriter, r *http.Request, rq *request, status int, d account2FAData) {
	d.Required = rq.user.NeedsSecondFactor()
	if d.Codes == nil {
		if rq.user.SecondFactor {
			f, err := s.DB.SecondFactorOf(r.Context(), rq.user.ID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.CodesLeft = f.CodesLeft
		} else {
			e, err := s.Auth.BeginEnrolment(r.Context(), rq.viewer, rq.sess)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.Enrol = viewOf(e)
		}
	}
	s.render(w, r, status, "account_2fa", &page{Title: "双因素认证", Data: d})
}

// account2FAAct runs one of the changes of the account page.
func (s *Server) account2FAAct(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PostFormValue("code")
	var codes []string
	var err error
	switch r.PathValue("act") {
	case "enrol":
		if rq.user.SecondFactor {
			err = domain.Errorf(domain.ErrConflict, "该账户已绑定动态口令。")
			break
		}
		codes, err = s.Auth.ConfirmEnrolment(r.Context(), rq.viewer, rq.sess, code)
	case "recovery":
		codes, err = s.Auth.NewRecoveryCodes(r.Context(), rq.viewer, code)
	case "remove":
		if err = s.Auth.RemoveOwnSecondFactor(r.Context(), rq.viewer, rq.sess, code); err == nil {
			s.flash(w, r, "已解除动态口令。")
			http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
			return
		}
	default:
		err = domain.ErrNotFound
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderAccount2FA(w, r, rq, http.StatusUnprocessableEntity, account2FAData{Errors: fe})
			return
		}
		if errors.Is(err, domain.ErrLocked) {
			s.endLockedSession(w, r, rq)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.renderAccount2FA(w, r, rq, http.StatusOK, account2FAData{Codes: codes})
}

// endLockedSession ends the session of a name that just locked (wrong
// codes or current passwords in a session), and shows the login page.
func (s *Server) endLockedSession(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := s.Auth.Logout(r.Context(), rq.viewer, rq.sess); err != nil {
		s.Log.Error("ending a locked session", "err", err)
	}
	s.clearCookie(w, r, sessionCookie)
	w.Header().Set("Retry-After", strconv.Itoa(int(s.Auth.Policy.LockFor.Seconds())))
	s.render(w, r, http.StatusTooManyRequests, "login", &page{Title: "登录", Error: auth.MsgLocked, Data: loginData{}})
}

// userResetSecondFactor is the security administrator's reset of a lost
// authenticator: the user enrols again at the next login.
func (s *Server) userResetSecondFactor(w http.ResponseWriter, r *http.Request, rq *request) {
	s.userAction(w, r, rq, "已重置动态口令，该用户下次登录时须重新绑定。", func(tx *store.Tx, id int64) error {
		return tx.RemoveSecondFactor(r.Context(), id, "")
	})
}

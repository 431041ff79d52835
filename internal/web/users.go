package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

type userRow struct {
	ID                        int64
	Username, Name            string
	Court, Department         string
	Roles                     []string
	Liaison, Disabled, Locked bool
	LastLogin                 string
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query().Get("q")
	users, err := s.DB.Users(r.Context(), rq.viewer, store.UserFilter{Query: q, Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.DB.Now()
	rows := make([]userRow, len(users))
	for i, u := range users {
		rows[i] = userRow{ID: u.ID, Username: u.Username, Name: u.Name, Court: u.CourtName, Department: u.Department,
			Roles: u.RoleLabels(), Liaison: u.Liaison, Disabled: u.Disabled, Locked: u.Locked(now), LastLogin: formatTime(u.LastLoginAt)}
	}
	s.render(w, r, http.StatusOK, "users", &page{Title: "用户管理", Data: struct {
		Users []userRow
		Query string
	}{rows, q}})
}

type formUser struct {
	ID                        int64
	Username, Name            string
	Department                string
	Liaison, Disabled, Locked bool
	// Mobile is the number typed (kept on an error); MobileMasked the one
	// on record.
	Mobile, MobileMasked string
}

type userFormData struct {
	IsNew       bool
	Action      string
	User        formUser
	Courts      []option
	Departments []string
	RoleOptions []option
	Errors      map[string]string
}

// userForm renders the new/edit form for u (whose roles and court are
// preselected).
func (s *Server) userForm(w http.ResponseWriter, r *http.Request, rq *request, status int, u *domain.User, isNew bool, errs map[string]string) {
	courts, err := s.DB.Courts(r.Context(), rq.viewer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := userFormData{IsNew: isNew, Action: "/admin/users", Errors: errs,
		User: formUser{ID: u.ID, Username: u.Username, Name: u.Name, Department: u.Department, Liaison: u.Liaison, Disabled: u.Disabled, Locked: u.Locked(s.DB.Now()),
			Mobile: u.Mobile}}
	if !isNew {
		d.Action = fmt.Sprintf("/admin/users/%d", u.ID)
		if m, err := s.DB.UserMobileMasked(r.Context(), rq.viewer, u.ID); err == nil {
			d.User.MobileMasked = m
		}
	}
	var courtID int64
	for _, c := range courts {
		sel := c.Code == u.CourtCode
		if sel {
			courtID = c.ID
		}
		d.Courts = append(d.Courts, option{Value: c.Code, Label: c.Code + " " + c.Name, Selected: sel})
	}
	if courtID == 0 && len(courts) > 0 {
		courtID = courts[0].ID
	}
	depts, err := s.DB.Departments(r.Context(), courtID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, dp := range depts {
		d.Departments = append(d.Departments, dp.Name)
	}
	for _, role := range domain.Roles {
		d.RoleOptions = append(d.RoleOptions, option{Value: string(role), Label: role.Label(), Selected: u.HasRole(role)})
	}
	title := "编辑用户"
	if isNew {
		title = "新建用户"
	}
	// Errors of the one-button actions (key "_") have no field of their own.
	s.render(w, r, status, "user_form", &page{Title: title, Error: errs["_"], Data: d})
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request, rq *request) {
	s.userForm(w, r, rq, http.StatusOK, &domain.User{CourtCode: rq.user.CourtCode}, true, nil)
}

// userFromForm reads the user fields of the new/edit form.
func userFromForm(r *http.Request) *domain.User {
	u := &domain.User{
		Username:    r.PostFormValue("username"),
		Name:        r.PostFormValue("name"),
		CourtCode:   r.PostFormValue("court"),
		Department:  r.PostFormValue("department"),
		Liaison:     r.PostFormValue("liaison") != "",
		Mobile:      r.PostFormValue("mobile"),
		ClearMobile: r.PostFormValue("clear_mobile") != "",
	}
	for _, v := range r.PostForm["role"] {
		u.Roles = append(u.Roles, domain.Role(v))
	}
	return u
}

func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.ErrInvalid, "提交的内容无法解析。")
	}
	return nil
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	u := userFromForm(r)
	if err := s.Auth.CreateUser(r.Context(), rq.viewer, u, r.PostFormValue("password")); err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.userForm(w, r, rq, http.StatusUnprocessableEntity, u, true, fe)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "已新建用户 "+u.Username+"。")
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", u.ID), http.StatusSeeOther)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.ErrNotFound
	}
	return id, nil
}

func (s *Server) userEdit(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.DB.UserByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.userForm(w, r, rq, http.StatusOK, u, false, nil)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userFromForm(r)
	u.ID = id
	err = s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error { return tx.UpdateUser(r.Context(), u) })
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			old, lerr := s.DB.UserByID(r.Context(), rq.viewer, id)
			if lerr != nil {
				s.fail(w, r, lerr)
				return
			}
			u.Username, u.Disabled = old.Username, old.Disabled
			s.userForm(w, r, rq, http.StatusUnprocessableEntity, u, false, fe)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "已保存。")
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", id), http.StatusSeeOther)
}

// userAction runs a one-button change on a user and returns to its page.
func (s *Server) userAction(w http.ResponseWriter, r *http.Request, rq *request, done string, fn func(tx *store.Tx, id int64) error) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error { return fn(tx, id) }); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, done)
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", id), http.StatusSeeOther)
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request, rq *request) {
	s.userAction(w, r, rq, "账户已停用，其登录已全部失效。", func(tx *store.Tx, id int64) error {
		_, err := tx.SetUserDisabled(r.Context(), id, true)
		return err
	})
}

func (s *Server) userEnable(w http.ResponseWriter, r *http.Request, rq *request) {
	s.userAction(w, r, rq, "账户已启用。", func(tx *store.Tx, id int64) error {
		_, err := tx.SetUserDisabled(r.Context(), id, false)
		return err
	})
}

func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request, rq *request) {
	s.userAction(w, r, rq, "已解除锁定。", func(tx *store.Tx, id int64) error { return tx.Unlock(r.Context(), id) })
}

func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		err = s.Auth.ResetPassword(r.Context(), rq.viewer, id, r.PostFormValue("password"))
	}
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) && errors.Is(err, domain.ErrInvalid) {
			u, lerr := s.DB.UserByID(r.Context(), rq.viewer, id)
			if lerr != nil {
				s.fail(w, r, lerr)
				return
			}
			s.userForm(w, r, rq, http.StatusUnprocessableEntity, u, false, map[string]string{"_": "重置密码失败：" + de.Message})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "密码已重置，该用户的登录已全部失效。")
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", id), http.StatusSeeOther)
}

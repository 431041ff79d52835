package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

type userRow struct {
	ID                        int64
	Username, Name            string
	Court, Department         string
	Roles, Pending            []string
	Liaison, Disabled, Locked bool
	SecondFactor              bool
	LastLogin                 string
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query().Get("q")
	list := newListing(r, store.UserSorts)
	users, info, err := s.DB.Users(r.Context(), rq.viewer, store.UserFilter{Query: q, Page: list.Req})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.DB.Now()
	rows := make([]userRow, len(users))
	for i, u := range users {
		rows[i] = userRow{ID: u.ID, Username: u.Username, Name: u.Name, Court: u.CourtName, Department: u.Department,
			Roles: u.RoleLabels(), Pending: roleLabels(u.PendingRoles), Liaison: u.Liaison, Disabled: u.Disabled, Locked: u.Locked(now),
			SecondFactor: u.SecondFactor, LastLogin: formatTime(u.LastLoginAt)}
	}
	list.Done(info)
	s.render(w, r, http.StatusOK, "users", &page{Title: "用户管理", Data: struct {
		Users     []userRow
		Query     string
		CanAdd    bool
		Security  bool
		List      *listing
		ShowCourt bool
	}{rows, q, rq.viewer.CanAdminister(), rq.viewer.CanGrantRoles(), list, manyCourts(rows, func(u userRow) string { return u.Court })}})
}

type formUser struct {
	ID                        int64
	Username, Name            string
	Department                string
	Roles, Pending            []string
	Liaison, Disabled, Locked bool
	SecondFactor              bool
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
	// CanManage: the viewer may change this account's fields, status and
	// password; CanGrant: its roles (domain.Viewer). Sensitive accounts'
	// passwords and second factors are reset through Requests.
	CanManage, CanGrant, Sensitive bool
	Requests                       []approvalRow
	// Held are the roles held, with the grant form's choices in Grantable;
	// Grants the history and pending requests.
	Held      []option
	Grantable []option
	Grants    []approvalRow
	Errors    map[string]string
}

// approvalRow is a change a second security administrator decides — a
// role grant or an account request — as the approval table shows it.
type approvalRow struct {
	ID                                     int64
	User, Court, Subject, Status, Reason   string
	Requester, Requested, Decider, Decided string
	Note                                   string
	Pending, Mine, Decidable               bool
}

// settle fills in what v may do about the row: withdraw its own request,
// or decide another's about somebody else.
func (r *approvalRow) settle(v domain.Viewer, status string, requestedBy, userID int64) {
	r.Status, r.Pending, r.Mine = domain.GrantStatusLabels[status], status == domain.GrantPending, requestedBy == v.UserID
	r.Decidable = r.Pending && !r.Mine && v.CanGrantRoles() && userID != v.UserID
}

func grantRows(v domain.Viewer, gs []*store.RoleGrant) []approvalRow {
	out := make([]approvalRow, len(gs))
	for i, g := range gs {
		act := "授予"
		if g.Action == "revoke" {
			act = "撤销"
		}
		out[i] = approvalRow{ID: g.ID, User: g.Name + "（" + g.Username + "）", Court: g.CourtName, Subject: act + g.Role.Label(), Reason: g.Reason,
			Requester: g.Requester, Requested: formatTime(g.RequestedAt), Decider: g.Decider, Decided: formatTime(g.DecidedAt), Note: g.Note}
		out[i].settle(v, g.Status, g.RequestedBy, g.UserID)
	}
	return out
}

func roleLabels(rs []domain.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Label()
	}
	return out
}

// userForm renders the new/edit form for u (whose roles and court are
// preselected).
func (s *Server) userForm(w http.ResponseWriter, r *http.Request, rq *request, status int, u *domain.User, isNew bool, errs map[string]string, fs ...formState) {
	courts, err := s.DB.Courts(r.Context(), rq.viewer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := userFormData{IsNew: isNew, Action: "/admin/users", Errors: errs, CanManage: isNew,
		User: formUser{ID: u.ID, Username: u.Username, Name: u.Name, Department: u.Department, Liaison: u.Liaison, Disabled: u.Disabled, Locked: u.Locked(s.DB.Now()),
			Mobile: u.Mobile, Roles: u.RoleLabels(), Pending: roleLabels(u.PendingRoles), SecondFactor: u.SecondFactor}}
	if !isNew {
		d.Action = fmt.Sprintf("/admin/users/%d", u.ID)
		if m, err := s.DB.UserMobileMasked(r.Context(), rq.viewer, u.ID); err == nil {
			d.User.MobileMasked = m
		}
		d.CanManage, d.CanGrant, d.Sensitive = rq.viewer.CanManageAccount(u), rq.viewer.CanGrantRolesTo(u), u.Sensitive()
		reqs, err := s.DB.AccountRequests(r.Context(), rq.viewer, false, u.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Requests = requestRows(rq.viewer, reqs)
		for _, role := range u.Roles {
			d.Held = append(d.Held, option{Value: string(role), Label: role.Label()})
		}
		for _, role := range domain.Roles {
			if !u.HasRole(role) && !slices.Contains(u.PendingRoles, role) {
				label := role.Label()
				if role.NeedsApproval() {
					label += "（须另一名安全管理员审批）"
				}
				d.Grantable = append(d.Grantable, option{Value: string(role), Label: label})
			}
		}
		gs, err := s.DB.RoleGrants(r.Context(), rq.viewer, store.GrantFilter{UserID: u.ID, Limit: 50})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Grants = grantRows(rq.viewer, gs)
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
	title := "编辑用户"
	if isNew {
		title = "新建用户"
	}
	// Errors of the one-button actions (key "_") and of roles have no
	// field of their own on the form.
	msg := errs["_"]
	if msg == "" {
		msg = errs["role"]
	}
	p := &page{Title: title, Error: msg, Data: d}
	if len(fs) > 0 {
		p.Form = fs[0] // a failed grant, revocation or reset (userPageError)
	}
	s.render(w, r, status, "user_form", p)
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
		Mobile:      r.PostFormValue("mobile"),
		ClearMobile: r.PostFormValue("clear_mobile") != "",
	}
	// The form has no roles; roles posted anyway reach the store, which
	// refuses them (roles are granted by the security administrators).
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
	s.flash(w, r, "已新建用户 "+u.Username+"。")
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", u.ID), http.StatusSeeOther)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.ErrNotFound
	}
	return id, nil
}

// postedID reads the record id of a POST from its path and parses its form.
func postedID(w http.ResponseWriter, r *http.Request) (int64, error) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	return id, err
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
	id, err := postedID(w, r)
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
	s.flash(w, r, "已保存。")
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
	s.flash(w, r, done)
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

// userGrantRole grants a role, or asks a second security administrator
// to approve it.
func (s *Server) userGrantRole(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	role := domain.Role(r.PostFormValue("role"))
	var status string
	s.userFormAction(w, r, rq, func(tx *store.Tx, id int64) (string, error) {
		var err error
		status, err = tx.GrantRole(r.Context(), id, role, r.PostFormValue("reason"))
		if status == domain.GrantPending {
			return "已提交授予" + role.Label() + "角色的申请，须由另一名安全管理员审批后生效。", err
		}
		return "已授予" + role.Label() + "角色，该用户的登录已失效，重新登录后生效。", err
	})
}

func (s *Server) userRevokeRole(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	role := domain.Role(r.PathValue("role"))
	s.userFormAction(w, r, rq, func(tx *store.Tx, id int64) (string, error) {
		return "已撤销" + role.Label() + "角色。", tx.RevokeRole(r.Context(), id, role, r.PostFormValue("reason"))
	})
}

// userFormAction runs a change of the user page whose refusal for bad
// input is shown on the page itself.
func (s *Server) userFormAction(w http.ResponseWriter, r *http.Request, rq *request, fn func(tx *store.Tx, id int64) (string, error)) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var done string
	err = s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error {
		var err error
		done, err = fn(tx, id)
		return err
	})
	if err != nil {
		s.userPageError(w, r, rq, id, err)
		return
	}
	s.flash(w, r, done)
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", id), http.StatusSeeOther)
}

// userPageError shows an invalid input's message on the user's page, and
// any other error as an error page.
func (s *Server) userPageError(w http.ResponseWriter, r *http.Request, rq *request, id int64, err error) {
	var de *domain.Error
	fe := fieldErrors(err)
	if fe == nil && !(errors.As(err, &de) && errors.Is(err, domain.ErrInvalid)) {
		s.fail(w, r, err)
		return
	}
	u, lerr := s.DB.UserByID(r.Context(), rq.viewer, id)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	msg := domain.UserMessage(err)
	for _, m := range fe {
		msg = m
	}
	if fe == nil {
		fe = map[string]string{}
	}
	s.userForm(w, r, rq, http.StatusUnprocessableEntity, u, false, map[string]string{"_": msg}, formState{Values: r.PostForm, Errors: fe})
}

// grantList is the security administrators' list of grants awaiting
// approval, with the recent history.
func (s *Server) grantList(w http.ResponseWriter, r *http.Request, rq *request) {
	pending, err := s.DB.RoleGrants(r.Context(), rq.viewer, store.GrantFilter{Pending: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	recent, err := s.DB.RoleGrants(r.Context(), rq.viewer, store.GrantFilter{Limit: 100})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pl, rl := newListingAs(r, store.AccountRequestSorts, "q"), newListingAs(r, store.AccountRequestSorts, "r")
	reqPending, pinfo, err := s.DB.AccountRequestPage(r.Context(), rq.viewer, true, 0, pl.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reqRecent, rinfo, err := s.DB.AccountRequestPage(r.Context(), rq.viewer, false, 0, rl.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "grants", &page{Title: "角色授予审批", Data: struct {
		Pending, Recent                 []approvalRow
		RequestsPending, RequestsRecent []approvalRow
		PendingList, RecentList         *listing
	}{grantRows(rq.viewer, pending), grantRows(rq.viewer, recent), requestRows(rq.viewer, reqPending), requestRows(rq.viewer, reqRecent), pl.done(pinfo), rl.done(rinfo)}})
}

// grantDecide approves, rejects or withdraws a pending grant.
func (s *Server) grantDecide(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := ""
	err = s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error {
		switch r.PathValue("act") {
		case "approve":
			done = "已批准，角色已生效。"
			return tx.DecideGrant(r.Context(), id, true, r.PostFormValue("note"))
		case "reject":
			done = "已驳回。"
			return tx.DecideGrant(r.Context(), id, false, r.PostFormValue("note"))
		case "cancel":
			done = "已撤回申请。"
			return tx.CancelGrant(r.Context(), id)
		}
		return domain.ErrNotFound
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, done)
	back := "/admin/grants"
	if b := r.PostFormValue("back"); strings.HasPrefix(b, "/admin/users/") {
		back = safeNext(b)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err == nil {
		err = s.Auth.ResetPassword(r.Context(), rq.viewer, id, r.PostFormValue("password"))
	}
	if err != nil {
		s.userPageError(w, r, rq, id, fmt.Errorf("重置密码失败：%w", err))
		return
	}
	s.flash(w, r, "密码已重置，该用户的登录和接口令牌已全部失效，下次登录须修改密码。")
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", id), http.StatusSeeOther)
}

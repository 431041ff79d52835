package web

import (
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

func requestRows(v domain.Viewer, rs []*store.AccountRequest) []approvalRow {
	out := make([]approvalRow, len(rs))
	for i, r := range rs {
		out[i] = approvalRow{ID: r.ID, User: r.Name + "（" + r.Username + "）", Court: r.CourtName, Subject: domain.ResetKindLabels[r.Kind], Reason: r.Reason,
			Requester: r.Requester, Requested: formatTime(r.RequestedAt), Decider: r.Decider, Decided: formatTime(r.DecidedAt), Note: r.Note}
		out[i].settle(v, r.Status, r.RequestedBy, r.UserID)
	}
	return out
}

// userRequestReset asks for a sensitive account's password or second
// factor to be reset, for a second security administrator to approve.
func (s *Server) userRequestReset(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	kind := r.PostFormValue("kind")
	s.userFormAction(w, r, rq, func(tx *store.Tx, id int64) (string, error) {
		return "已提交" + domain.ResetKindLabels[kind] + "申请，须由另一名安全管理员审批。", tx.RequestReset(r.Context(), id, kind, r.PostFormValue("reason"))
	})
}

// requestDecide approves, rejects or withdraws a pending reset. An
// approved password reset shows the temporary password once, to the
// approver, who hands it to the user; the user must change it.
func (s *Server) requestDecide(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	temporary := ""
	var req *store.AccountRequest
	err = s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error {
		switch r.PathValue("act") {
		case "approve":
			temporary = auth.TemporaryPassword()
			var err error
			req, err = tx.DecideReset(r.Context(), id, true, r.PostFormValue("note"), auth.HashPassword(temporary, s.Auth.Params))
			return err
		case "reject":
			_, err := tx.DecideReset(r.Context(), id, false, r.PostFormValue("note"), "")
			return err
		case "cancel":
			return tx.CancelReset(r.Context(), id)
		}
		return domain.ErrNotFound
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if req != nil && req.Kind == domain.ResetPassword {
		s.render(w, r, http.StatusOK, "reset_done", &page{Title: "临时密码", Data: struct {
			User, Password string
			UserID         int64
		}{req.Name + "（" + req.Username + "）", temporary, req.UserID}})
		return
	}
	s.flash(w, r, "已处理。")
	back := "/admin/grants"
	if b := r.PostFormValue("back"); strings.HasPrefix(b, "/admin/users/") {
		back = safeNext(b)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

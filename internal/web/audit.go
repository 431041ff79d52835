package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

type auditRow struct {
	Seq                                           int64
	At, Actor, Action, Object, RemoteAddr, Detail string
	Success                                       bool
}

// actionLabels are the Chinese names of audited actions.
var actionLabels = map[string]string{
	"login": "登录", "logout": "退出", "user.create": "新建用户", "user.update": "修改用户",
	"user.disable": "停用用户", "user.enable": "启用用户", "user.unlock": "解除锁定",
	"user.password_reset": "重置密码", "user.password_change": "修改密码", "token.create": "签发接口令牌",
	"court.import": "导入法院目录", "court.update": "修改法院", "department.add": "新增部门",
	"token.revoke": "撤销接口令牌", "role.grant": "授予角色", "role.request": "申请授予角色", "role.approve": "批准授予角色",
	"role.reject": "驳回授予角色", "role.cancel": "撤回授予申请", "role.revoke": "撤销角色", "mfa.enrol": "绑定动态口令",
	"mfa.reset": "重置动态口令", "mfa.remove": "解除动态口令", "mfa.recovery_codes": "重新生成恢复码", "audit.rekey": "审计链启用密钥",
	"case.officer_link": "案件关联承办人账户", "officer.map": "指定承办人账户", "officer.unmap": "取消承办人账户指定",
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request, rq *request) {
	if !rq.viewer.CanReadAudit() {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "审计日志仅供安全审计员、派驻纪检监察组、监察室查阅。"))
		return
	}
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action")}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("from"), domain.Beijing); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("to"), domain.Beijing); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	l := newListing(r, store.AuditSorts)
	recs, info, err := s.DB.AuditPage(r.Context(), rq.viewer, f, l.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	verify, err := s.DB.VerifyAudit(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	anchor, err := s.DB.AuditAnchor(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]auditRow, len(recs))
	for i, rec := range recs {
		label := actionLabels[rec.Action]
		if label == "" {
			label = rec.Action
		}
		obj := rec.ObjectID
		if rec.ObjectType != "" && obj != "" {
			obj = rec.ObjectType + ":" + obj
		}
		rows[i] = auditRow{Seq: rec.Seq, At: formatTime(rec.At), Actor: rec.Actor, Action: label, Object: obj, RemoteAddr: rec.RemoteAddr, Detail: rec.Detail, Success: rec.Success}
	}
	msg := ""
	if !verify.OK {
		msg = "审计链在第 " + strconv.FormatInt(verify.BadSeq, 10) + " 条记录处断裂，可能已被篡改：" + verify.Reason
	}
	s.render(w, r, http.StatusOK, "audit", &page{Title: "审计日志", Data: struct {
		Verify struct {
			OK      bool
			Checked int64
			Message string
		}
		Filters struct{ Actor, Action, From, To string }
		Entries []auditRow
		List    *listing
		Anchor  string
	}{
		Anchor: fmt.Sprintf("zhilian-audit-anchor seq=%d hash=%s at=%s", anchor.Seq, anchor.Hash, anchor.At.UTC().Format(time.RFC3339)),
		Verify: struct {
			OK      bool
			Checked int64
			Message string
		}{verify.OK, verify.Checked, msg},
		Filters: struct{ Actor, Action, From, To string }{f.Actor, f.Action, q.Get("from"), q.Get("to")},
		Entries: rows, List: l.done(info),
	}})
}

// formatTime shows a stored UTC time in Beijing time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Beijing).Format("2006-01-02 15:04:05")
}

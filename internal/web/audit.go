package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/audit"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

type auditRow struct {
	Seq                                           int64
	At, Actor, Action, Object, RemoteAddr, Detail string
	Success                                       bool
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request, rq *request) {
	if !rq.viewer.CanReadAudit() {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "审计日志仅供安全审计员、派驻纪检监察组、监察室查阅。"))
		return
	}
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), Action: actionCode(q.Get("action"))}
	// A date range that cannot be read or runs backwards is said beside
	// its field, not dropped in silence (issue 17).
	bad := domain.FieldErrors{}
	day := func(field string) time.Time {
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, domain.Beijing)
		if err != nil {
			bad.Add(field, "日期应写作 2026-01-31")
		}
		return t
	}
	from, to := day("from"), day("to")
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		bad.Add("to", "截止日期不能早于起始日期")
	}
	status := http.StatusOK
	if len(bad) > 0 {
		status, from, to = http.StatusUnprocessableEntity, time.Time{}, time.Time{}
	}
	f.From = from
	if !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	l := newListing(r, store.AuditSorts)
	var recs []*audit.Record
	var info store.PageInfo
	if len(bad) == 0 {
		var err error
		if recs, info, err = s.DB.AuditPage(r.Context(), rq.viewer, f, l.Req); err != nil {
			s.fail(w, r, err)
			return
		}
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
		label := actionLabel(rec.Action)
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
	s.render(w, r, status, "audit", &page{Title: "审计日志", Form: formState{Values: q, Errors: bad}, Data: struct {
		Verify struct {
			OK      bool
			Checked int64
			Message string
		}
		Filters struct{ Actor, Action, From, To string }
		Entries []auditRow
		Actions []string
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
		Entries: rows, List: l.done(info), Actions: actionNames(),
	}})
}

// formatTime shows a stored UTC time in Beijing time, to the minute: the
// one way every page writes a time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Beijing).Format("2006-01-02 15:04")
}

// usernameSuffix is the “（username）” the store adds to a recorded actor's
// name (store.actorName).
var usernameSuffix = regexp.MustCompile(`（[A-Za-z0-9._@-]+）`)

// nameOnly is a recorded actor without his username, for prints: “张伟”
// for “张伟（zhangwei）”; other words in brackets (“当事人（回访链接）”)
// and a role after the name (“张伟（zhangwei）（派驻纪检监察组）”) stay.
func nameOnly(actor string) string {
	return usernameSuffix.ReplaceAllString(actor, "")
}

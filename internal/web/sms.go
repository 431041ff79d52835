package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

type smsRow struct {
	store.OutboxItem
	StatusLabel, Created, Sent, Kind string
}

var smsKindLabels = map[string]string{"question": "回访询问", "ask_again": "再次询问", "categories": "不满意事项询问", "test": "测试短信", "notice": "工作人员通知"}

func smsRows(items []store.OutboxItem) []smsRow {
	rows := make([]smsRow, len(items))
	for i, it := range items {
		rows[i] = smsRow{OutboxItem: it, StatusLabel: sms.StatusLabels[it.Status], Created: formatTime(it.CreatedAt), Kind: smsKindLabels[it.Kind]}
		if !it.SentAt.IsZero() {
			rows[i].Sent = formatTime(it.SentAt)
		}
	}
	return rows
}

// smsPage is the command centre's view of the visit messages: the ones
// whose fate is unknown, to decide; the replies no open question fitted;
// the latest messages.
func (s *Server) smsPage(w http.ResponseWriter, r *http.Request, rq *request) {
	ctx := r.Context()
	unknown, err := s.DB.Outbox(ctx, rq.viewer, sms.StatusUnknown, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	recent, err := s.DB.Outbox(ctx, rq.viewer, "", 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	replies, err := s.DB.UnmatchedReplies(ctx, rq.viewer, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type replyRow struct {
		store.InboxItem
		Received string
	}
	rr := make([]replyRow, len(replies))
	for i, x := range replies {
		rr[i] = replyRow{x, formatTime(x.ReceivedAt)}
	}
	s.render(w, r, http.StatusOK, "sms", &page{Title: "回访短信", Data: struct {
		Unknown, Recent []smsRow
		Replies         []replyRow
	}{smsRows(unknown), smsRows(recent), rr}})
}

// smsDecide settles a message whose fate is unknown.
func (s *Server) smsDecide(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	decision := r.PostFormValue("decision")
	if err := s.DB.DecideSMS(r.Context(), rq.viewer, id, decision, s.VisitConfig); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, map[string]string{store.DecideResend: "已重新排队发送。", store.DecideArrived: "已确认送出。", store.DecidePhone: "已改为电话回访。"}[decision])
	http.Redirect(w, r, "/sms", http.StatusSeeOther)
}

// smsReplyHandled marks an unmatched reply as dealt with.
func (s *Server) smsReplyHandled(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.DB.HandleReply(r.Context(), rq.viewer, id, r.PostFormValue("note")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已标记为已处理。")
	http.Redirect(w, r, "/sms", http.StatusSeeOther)
}

// smsAdmin shows administrators the gateway's health and the outbox's
// counts — no message, number or reply.
func (s *Server) smsAdmin(w http.ResponseWriter, r *http.Request, rq *request) {
	c, err := s.DB.SMSStats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var h sms.Health
	if s.SMSHealth != nil {
		h = s.SMSHealth()
	}
	type count struct {
		Label string
		N     int
	}
	var counts []count
	for _, st := range []string{sms.StatusPending, sms.StatusSending, sms.StatusSent, sms.StatusDelivered, sms.StatusFailed, sms.StatusExpired, sms.StatusUnknown} {
		counts = append(counts, count{sms.StatusLabels[st], c.ByStatus[st]})
	}
	oldest := ""
	if !c.Oldest.IsZero() {
		oldest = formatTime(c.Oldest) + "（已等待 " + time.Since(c.Oldest).Round(time.Minute).String() + "）"
	}
	lastErrAt := ""
	if !h.LastErrorAt.IsZero() {
		lastErrAt = formatTime(h.LastErrorAt)
	}
	// The administrator's own test message, by its key: where it is now.
	var test struct{ Key, Status, Error string }
	if key := r.URL.Query().Get("test"); strings.HasPrefix(key, "test:") {
		if st, err := s.DB.SMSStatus(r.Context(), key); err == nil {
			test.Key, test.Status, test.Error = key, sms.StatusLabels[st.Status], st.LastError
		}
	}
	s.render(w, r, http.StatusOK, "sms_admin", &page{Title: "短信网关", Data: struct {
		Health     sms.Health
		LastErrAt  string
		Counts     []count
		Queue      int
		Oldest     string
		Unmatched  int
		Unreadable int
		Test       struct{ Key, Status, Error string }
		Templates  []domain.SMSTemplate
	}{h, lastErrAt, counts, c.Pending(), oldest, c.Unmatched, c.Unreadable, test, store.SMSCatalog()}})
}

// smsTest queues a test message to a number the administrator gives, to
// check the gateway end to end: the gateway test, or any template with
// its sample values, at the administrator's court.
func (s *Server) smsTest(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	b := make([]byte, 8)
	rand.Read(b)
	// Any template, with its sample values: a provider that sends by
	// template ID is checked template by template.
	name := r.PostFormValue("template")
	if name == "" {
		name = sms.TemplateTest
	}
	t, ok := store.SMSTemplateNamed(name)
	if !ok {
		s.fail(w, r, domain.Invalid("template", "请选择短信模板"))
		return
	}
	vals := map[string]string{}
	for _, v := range t.Vars {
		if v.Name != domain.SMSCourtVar.Name {
			vals[v.Name] = v.Sample
		}
	}
	if _, ok := t.Var(visit.VarURL); ok {
		vals[visit.VarURL] = strings.TrimSuffix(s.VisitConfig.PublicURL, "/")
	}
	key := "test:" + hex.EncodeToString(b)
	if err := s.DB.QueueSMS(r.Context(), rq.viewer, []store.NewSMS{{Phone: r.PostFormValue("phone"), Template: name, Vars: vals, Key: key}}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "测试短信已排队。")
	http.Redirect(w, r, "/admin/sms?test="+url.QueryEscape(key), http.StatusSeeOther)
}

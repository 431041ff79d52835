package web

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// messageList is the signed-in user's message centre: his own messages,
// unread first.
func (s *Server) messageList(w http.ResponseWriter, r *http.Request, rq *request) {
	unread := r.URL.Query().Get("unread") == "1"
	l := newListing(r, store.MessageSorts)
	ms, info, err := s.DB.MessagePage(r.Context(), rq.viewer, unread, l.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		store.Message
		Label, At string
	}
	rows := make([]row, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, row{m, m.Kind.Label(), formatTime(m.CreatedAt)})
	}
	s.render(w, r, http.StatusOK, "messages", &page{Title: "消息中心", Data: struct {
		Messages   []row
		UnreadOnly bool
		List       *listing
	}{rows, unread, l.done(info)}})
}

// messageRead marks one of the user's messages read, and follows its
// link if asked to.
func (s *Server) messageRead(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.DB.MarkRead(r.Context(), rq.viewer, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/messages", http.StatusSeeOther)
}

// messageReadAll marks all the user's messages read.
func (s *Server) messageReadAll(w http.ResponseWriter, r *http.Request, rq *request) {
	if _, err := s.DB.MarkAllRead(r.Context(), rq.viewer); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已全部标为已读。")
	http.Redirect(w, r, "/messages", http.StatusSeeOther)
}

// noticeSettings is the administrator's page of which kinds of notice
// are also texted.
func (s *Server) noticeSettings(w http.ResponseWriter, r *http.Request, rq *request) {
	on, err := s.DB.NoticeSMS(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type kind struct {
		Kind  oversight.NoticeKind
		Label string
		SMS   bool
	}
	kinds := make([]kind, 0, len(oversight.NoticeKinds))
	for _, k := range oversight.NoticeKinds {
		kinds = append(kinds, kind{k, k.Label(), on[k]})
	}
	s.render(w, r, http.StatusOK, "notice_settings", &page{Title: "消息通知设置", Data: kinds})
}

// noticeSettingsSave switches the texts: each kind ticked on, every other
// kind off.
func (s *Server) noticeSettingsSave(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	on := map[oversight.NoticeKind]bool{}
	for _, k := range r.PostForm["sms"] {
		on[oversight.NoticeKind(k)] = true
	}
	if err := s.DB.SetNoticeSMS(r.Context(), rq.viewer, on); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "短信通知设置已保存。")
	http.Redirect(w, r, "/admin/notices", http.StatusSeeOther)
}

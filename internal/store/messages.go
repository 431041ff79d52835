package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// Message is a notice as its recipient reads it in the message centre.
type Message struct {
	ID        int64
	Kind      oversight.NoticeKind
	Title     string
	Link      string
	CourtID   int64
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
}

// Unread reports whether the message waits to be read.
func (m Message) Unread() bool { return m.ReadAt.IsZero() }

// Notify writes notice n to each of userIDs in the caller's transaction
// and, when the administrator has its kind texted, queues a text to each
// of them who has a mobile on record.
func (tx *Tx) Notify(ctx context.Context, userIDs []int64, n oversight.Notice) error {
	if err := n.Validate(); err != nil {
		return err
	}
	now := tx.db.now()
	msgIDs := make(map[int64]int64, len(userIDs))
	for _, u := range userIDs {
		if _, done := msgIDs[u]; done {
			continue
		}
		var id int64
		if err := tx.queryRow(ctx, `INSERT INTO messages (user_id, court_id, kind, title, link, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			u, n.CourtID, string(n.Kind), strings.TrimSpace(n.Title), n.Link, now).Scan(&id); err != nil {
			return fmt.Errorf("writing a message: %w", translate(err))
		}
		msgIDs[u] = id
	}
	if len(msgIDs) == 0 {
		return nil
	}
	texted, err := tx.noticeTexted(ctx, n.Kind)
	if err != nil || !texted {
		return err
	}
	msg, err := tx.renderSMS(ctx, n.CourtID, n.Template(), n.SMSVars)
	if err != nil {
		return err
	}
	marks, args := make([]string, 0, len(msgIDs)), make([]any, 0, len(msgIDs))
	for u := range msgIDs {
		marks, args = append(marks, "?"), append(args, u)
	}
	tos, err := collect(ctx, tx, scanPhone, `SELECT id, phone_sealed, phone_index FROM users
		WHERE id IN (`+strings.Join(marks, ", ")+`) AND NOT disabled AND phone_sealed <> '' ORDER BY id`, args...)
	if err != nil {
		return err
	}
	for _, t := range tos {
		key := fmt.Sprintf("message:%d", msgIDs[t.id])
		if n.Key != "" {
			key = fmt.Sprintf("%s:%d", n.Key, t.id)
		}
		if _, err := tx.queueNotice(ctx, t.sealed, t.index, msg, key); err != nil {
			return err
		}
	}
	return nil
}

// noticeTexted reports whether the administrator has kind texted.
func (tx *Tx) noticeTexted(ctx context.Context, kind oversight.NoticeKind) (bool, error) {
	var on bool
	err := tx.queryRow(ctx, "SELECT sms FROM notice_settings WHERE kind = ?", string(kind)).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return on, translate(err)
}

const messageColumns = "id, kind, title, link, court_id, created_at, read_at"

func scanMessage(row scanner) (m Message, err error) {
	var kind string
	var read sql.NullTime
	if err = row.Scan(&m.ID, &kind, &m.Title, &m.Link, &m.CourtID, &m.CreatedAt, &read); err != nil {
		return m, err
	}
	m.Kind, m.CreatedAt, m.ReadAt = oversight.NoticeKind(kind), m.CreatedAt.UTC(), timeOf(read)
	return m, nil
}

// Messages lists v's own messages, unread first, then the newest; at
// most limit of them.
func (db *DB) Messages(ctx context.Context, v domain.Viewer, unreadOnly bool, limit int) ([]Message, error) {
	q := "SELECT " + messageColumns + " FROM messages WHERE user_id = ?"
	if unreadOnly {
		q += " AND read_at IS NULL"
	}
	q += " ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT ?"
	return collect(ctx, db, scanMessage, q, v.UserID, limit)
}

// MessageSorts are the orders of the message centre: unread first, then
// the newest, by default.
var MessageSorts = Sorts{Keys: map[string][]string{
	"unread": {"CASE WHEN read_at IS NULL THEN 0 ELSE 1 END", "-id"},
	"time":   {"created_at"},
	"kind":   {"kind"},
}, Default: "unread", Tie: "id"}

// MessagePage lists a page of v's own messages (the unread alone if
// unreadOnly) and counts them.
func (db *DB) MessagePage(ctx context.Context, v domain.Viewer, unreadOnly bool, req PageReq) ([]Message, PageInfo, error) {
	cond := "user_id = ?"
	if unreadOnly {
		cond += " AND read_at IS NULL"
	}
	return listPage(ctx, db, scanMessage, messageColumns, " FROM messages", cond, []any{v.UserID}, req, MessageSorts, "messages")
}

// UnreadCount is how many of v's messages wait to be read, one count on
// an index. The header's badge is the same count, read with the session
// (Session.Unread).
func (db *DB) UnreadCount(ctx context.Context, v domain.Viewer) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM messages WHERE user_id = ? AND read_at IS NULL", v.UserID).Scan(&n)
	return n, translate(err)
}

// MarkRead marks v's message id read; another's message is not found.
func (db *DB) MarkRead(ctx context.Context, v domain.Viewer, id int64) error {
	return db.Update(ctx, v, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE messages SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?", tx.db.now(), id, v.UserID)
		if err != nil {
			return fmt.Errorf("marking a message read: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.ErrNotFound
		}
		return nil
	})
}

// MarkAllRead marks all of v's messages read and reports how many were
// unread.
func (db *DB) MarkAllRead(ctx context.Context, v domain.Viewer) (int, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int, error) {
		res, err := tx.exec(ctx, "UPDATE messages SET read_at = ? WHERE user_id = ? AND read_at IS NULL", tx.db.now(), v.UserID)
		if err != nil {
			return 0, fmt.Errorf("marking messages read: %w", err)
		}
		n, _ := res.RowsAffected()
		return int(n), nil
	})
}

// NoticeSMS is which kinds of notice are texted as well as written.
func (db *DB) NoticeSMS(ctx context.Context) (map[oversight.NoticeKind]bool, error) {
	out := map[oversight.NoticeKind]bool{}
	err := each(ctx, db, func(row scanner) error {
		var kind string
		var on bool
		if err := row.Scan(&kind, &on); err != nil {
			return err
		}
		out[oversight.NoticeKind(kind)] = on
		return nil
	}, "SELECT kind, sms FROM notice_settings")
	return out, err
}

// SetNoticeSMS has the administrator switch texts on for the kinds in on
// and off for every other kind, and records the change.
func (db *DB) SetNoticeSMS(ctx context.Context, v domain.Viewer, on map[oversight.NoticeKind]bool) error {
	if !v.CanAdminister() {
		return domain.Errorf(domain.ErrForbidden, "只有系统管理员可以设置短信通知。")
	}
	for k, yes := range on {
		if yes && !k.Valid() {
			return domain.Invalid("sms", "通知类型“"+string(k)+"”无法识别，请从列表中勾选")
		}
	}
	return db.Update(ctx, v, func(tx *Tx) error {
		var texted []string
		for _, k := range oversight.NoticeKinds {
			if _, err := tx.exec(ctx, "INSERT INTO notice_settings (kind, sms) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET sms = excluded.sms",
				string(k), on[k]); err != nil {
				return fmt.Errorf("setting notice texts: %w", err)
			}
			if on[k] {
				texted = append(texted, k.Label())
			}
		}
		detail := "短信通知：" + strings.Join(texted, "、")
		if len(texted) == 0 {
			detail = "短信通知：无"
		}
		return tx.Audit(ctx, Entry{Action: "notice.sms", ObjectType: "notice_settings", Success: true, Detail: detail})
	})
}

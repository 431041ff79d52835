package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/visit"
)

// SMSCounts is the outbox by status, and the replies waiting for a
// person.
type SMSCounts struct {
	ByStatus  map[string]int
	Unmatched int
	// Unreadable counts messages set aside because they would not open
	// under the key: the administrator checks the key.
	Unreadable int
	Oldest     time.Time // the oldest pending message's creation
}

// Pending is what waits to go out.
func (c SMSCounts) Pending() int {
	return c.ByStatus[sms.StatusPending] + c.ByStatus[sms.StatusSending]
}

// SMSStats counts the outbox for the health panel.
func (db *DB) SMSStats(ctx context.Context) (SMSCounts, error) {
	c := SMSCounts{ByStatus: map[string]int{}}
	err := each(ctx, db, func(row scanner) error {
		var s string
		var n int
		if err := row.Scan(&s, &n); err != nil {
			return err
		}
		c.ByStatus[s] = n
		return nil
	}, "SELECT status, COUNT(*) FROM sms_outbox GROUP BY status")
	if err != nil {
		return c, err
	}
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM sms_inbox WHERE status = 'unmatched' AND handled_by = ''").Scan(&c.Unmatched); err != nil {
		return c, translate(err)
	}
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM sms_outbox WHERE status = 'failed' AND last_error = ?", UnreadableReason).Scan(&c.Unreadable); err != nil {
		return c, translate(err)
	}
	err = db.queryRow(ctx, "SELECT created_at FROM sms_outbox WHERE status = 'pending' ORDER BY id LIMIT 1").Scan(&c.Oldest)
	if err := translate(err); err != nil && !errors.Is(err, domain.ErrNotFound) {
		return c, err
	}
	return c, nil
}

// smsDecider checks that v may handle the visit messages: the command
// centre does.
func smsDecider(v domain.Viewer) error {
	if visit.Runs(v) {
		return nil
	}
	return domain.Errorf(domain.ErrForbidden, "只有执行指挥中心可以处理回访短信。")
}

// OutboxItem is a message as the command centre sees it.
type OutboxItem struct {
	ID         int64
	VisitID    int64
	CaseNumber string
	Kind       string
	Phone      string // masked
	Body       string
	Status     string
	Attempts   int
	LastError  string
	CreatedAt  time.Time
	SentAt     time.Time
	DecidedBy  string
}

// Outbox lists messages in status (all if empty) that v's command centre
// handles, newest first.
func (db *DB) Outbox(ctx context.Context, v domain.Viewer, status string, limit int) ([]OutboxItem, error) {
	if err := smsDecider(v); err != nil {
		return nil, err
	}
	scope, args, err := visitScope(v)
	if err != nil {
		return nil, err
	}
	q := `SELECT o.id, o.visit_id, k.number, o.kind, o.phone_sealed, o.body, o.status, o.attempts, o.last_error, o.created_at, o.sent_at, o.decided_by
		FROM sms_outbox o JOIN visits vi ON vi.id = o.visit_id JOIN cases k ON k.id = vi.case_id WHERE ` + scope
	if status != "" {
		q += " AND o.status = ?"
		args = append(args, status)
	}
	q += " ORDER BY o.id DESC LIMIT ?"
	args = append(args, limit)
	out, err := collect(ctx, db, func(row scanner) (it OutboxItem, err error) {
		var sealed string
		var sent sql.NullTime
		if err := row.Scan(&it.ID, &it.VisitID, &it.CaseNumber, &it.Kind, &sealed, &it.Body, &it.Status, &it.Attempts, &it.LastError,
			&it.CreatedAt, &sent, &it.DecidedBy); err != nil {
			return it, err
		}
		it.SentAt = timeOf(sent)
		if phone, err := db.Sealer.Open(sealed); err == nil {
			it.Phone = domain.MaskMobile(phone)
		}
		return it, nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing messages: %w", err)
	}
	return out, nil
}

// SMS decisions a person takes on a message whose fate is unknown.
const (
	DecideResend  = "resend"  // it did not arrive: send it again
	DecideArrived = "arrived" // it arrived (the carrier says so): keep it as sent
	DecidePhone   = "phone"   // stop texting: the visit goes to the phone
)

// DecideSMS settles a message in status unknown in a transaction of its
// own.
func (db *DB) DecideSMS(ctx context.Context, v domain.Viewer, id int64, decision string, cfg visit.Config) error {
	return db.updateRetrying(ctx, v, func(tx *Tx) error { return tx.DecideSMS(ctx, id, decision, cfg) })
}

// DecideSMS settles a message in status unknown, as tx's viewer, the
// command centre, decides after asking the carrier: sent again, arrived,
// or the visit to the phone with it. The decision is audited.
func (tx *Tx) DecideSMS(ctx context.Context, id int64, decision string, cfg visit.Config) error {
	v := tx.v
	if err := smsDecider(v); err != nil {
		return err
	}
	scope, args, err := visitScope(v)
	if err != nil {
		return err
	}
	which := "visit_id IN (SELECT vi.id FROM visits vi WHERE " + scope + ")"
	if v.System { // the CLI, and messages outside visits
		which, args = "1=1", nil
	}
	// A message v may not see is not found, whatever was decided.
	var one int
	if err := tx.queryRow(ctx, "SELECT 1 FROM sms_outbox WHERE id = ? AND "+which, append([]any{id}, args...)...).Scan(&one); err != nil {
		return fmt.Errorf("message %d: %w", id, translate(err))
	}
	var set string
	switch decision {
	case DecideResend:
		set = "status = 'pending', next_attempt_at = NULL, sent_at = NULL"
	case DecideArrived:
		set = "status = 'sent'"
	case DecidePhone:
		set = "status = 'failed', last_error = '人工改为电话回访'"
	default:
		return domain.Invalid("decision", "请选择处理方式")
	}
	var visitID int64
	err = tx.queryRow(ctx, `UPDATE sms_outbox SET `+set+`, decided_by = ?, done_at = ?
		WHERE id = ? AND status = 'unknown' AND `+which+` RETURNING COALESCE(visit_id, 0)`,
		append([]any{v.Username, tx.db.now(), id}, args...)...).Scan(&visitID)
	if errors.Is(translate(err), domain.ErrNotFound) {
		return domain.Errorf(domain.ErrConflict, "该短信已不在待确认状态，请刷新页面。")
	}
	if err != nil {
		return err
	}
	if decision == DecidePhone {
		// The visit goes to the phone with the decision, or neither.
		if err := tx.toPhone(ctx, cfg, []failedSMS{{visitID: visitID, reason: "短信状态不明，人工改为电话回访"}}); err != nil {
			return err
		}
	}
	return tx.Audit(ctx, Entry{Action: "sms.decide", ObjectType: "sms", ObjectID: fmt.Sprint(id), Success: true, Detail: fmt.Sprintf("%s（回访 %d）", decision, visitID)})
}

// InboxItem is a reply that fitted no open question.
type InboxItem struct {
	ID         int64
	Phone      string // masked
	Body       string
	ReceivedAt time.Time
	// Cases are the numbers of the visits this phone was texted for,
	// within v's scope, so that a person can tell whose it is.
	Cases []string
}

// UnmatchedReplies lists replies waiting for a person, oldest first. A
// reply belongs to the command centres whose visits texted that number;
// one from a number nobody texted is shown to every command centre.
func (db *DB) UnmatchedReplies(ctx context.Context, v domain.Viewer, limit int) ([]InboxItem, error) {
	if err := smsDecider(v); err != nil {
		return nil, err
	}
	scope, args, err := visitScope(v)
	if err != nil {
		return nil, err
	}
	type raw struct {
		it    InboxItem
		index string
	}
	all, err := collect(ctx, db, func(row scanner) (r raw, err error) {
		var sealed string
		if err := row.Scan(&r.it.ID, &sealed, &r.index, &r.it.Body, &r.it.ReceivedAt); err != nil {
			return r, err
		}
		if phone, err := db.Sealer.Open(sealed); err == nil {
			r.it.Phone = domain.MaskMobile(phone)
		}
		return r, nil
	}, `SELECT i.id, i.phone_sealed, i.phone_index, i.body, i.received_at FROM sms_inbox i
		WHERE i.status = 'unmatched' AND i.handled_by = '' ORDER BY i.id LIMIT ?`, limit*4)
	if err != nil {
		return nil, err
	}
	// Which numbers were texted at all, and for which cases in v's scope:
	// two queries for the page, not two per reply.
	if len(all) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(all)), ", ")
	var idx []any
	for _, r := range all {
		idx = append(idx, r.index)
	}
	texted := map[string]bool{}
	err = each(ctx, db, func(row scanner) error {
		i, err := scanString(row)
		texted[i] = true
		return err
	}, "SELECT DISTINCT phone_index FROM sms_outbox WHERE phone_index IN ("+marks+")", idx...)
	if err != nil {
		return nil, err
	}
	cases := map[string][]string{}
	err = each(ctx, db, func(row scanner) error {
		var i, no string
		if err := row.Scan(&i, &no); err != nil {
			return err
		}
		if len(cases[i]) < 5 {
			cases[i] = append(cases[i], no)
		}
		return nil
	}, `SELECT DISTINCT o.phone_index, k.number FROM sms_outbox o JOIN visits vi ON vi.id = o.visit_id JOIN cases k ON k.id = vi.case_id
		WHERE o.phone_index IN (`+marks+`) AND `+scope+` ORDER BY k.number`, append(idx, args...)...)
	if err != nil {
		return nil, err
	}
	// A number texted for a case the viewer handled may be that case's
	// party writing about him: never shown to him.
	own := map[string]bool{}
	if !v.System {
		err := each(ctx, db, func(row scanner) error {
			i, err := scanString(row)
			own[i] = true
			return err
		}, `SELECT DISTINCT o.phone_index FROM sms_outbox o JOIN visits vi ON vi.id = o.visit_id
			WHERE o.phone_index IN (`+marks+`) AND `+ownVisits, append(idx, v.UserID)...)
		if err != nil {
			return nil, err
		}
	}
	var out []InboxItem
	for _, r := range all {
		if len(out) == limit {
			break
		}
		r.it.Cases = cases[r.index]
		if (texted[r.index] && len(r.it.Cases) == 0) || own[r.index] {
			continue // another court's party, or one of the viewer's cases
		}
		out = append(out, r.it)
	}
	return out, nil
}

// HandleReply marks a reply as dealt with by v in a transaction of its
// own.
func (db *DB) HandleReply(ctx context.Context, v domain.Viewer, id int64, note string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.HandleReply(ctx, id, note) })
}

// HandleReply marks a reply that fitted no question as dealt with by tx's
// viewer, the command centre it belongs to, with what was done.
func (tx *Tx) HandleReply(ctx context.Context, id int64, note string) error {
	v := tx.v
	if err := smsDecider(v); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 200 {
		return domain.Invalid("note", "处理说明不能超过200字")
	}
	scope, args, err := visitScope(v)
	if err != nil {
		return err
	}
	// The reply is v's as UnmatchedReplies lists it: a number texted for a
	// visit in v's scope (recorded against that visit's court), or one
	// nobody texted (against v's own court).
	var index string
	if err := tx.queryRow(ctx, "SELECT phone_index FROM sms_inbox WHERE id = ?", id).Scan(&index); err != nil {
		return fmt.Errorf("loading reply %d: %w", id, translate(err))
	}
	var texted bool
	if err := tx.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM sms_outbox WHERE phone_index = ?)", index).Scan(&texted); err != nil {
		return fmt.Errorf("loading reply %d: %w", id, translate(err))
	}
	if !v.System {
		var mine bool
		if err := tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sms_outbox o JOIN visits vi ON vi.id = o.visit_id WHERE o.phone_index = ? AND `+ownVisits+`)`,
			index, v.UserID).Scan(&mine); err != nil {
			return fmt.Errorf("loading reply %d: %w", id, translate(err))
		}
		if mine {
			return fmt.Errorf("reply %d concerns the viewer's own case: %w", id, domain.ErrNotFound)
		}
	}
	court := v.CourtPath
	if texted {
		err := tx.queryRow(ctx, `SELECT c.path FROM sms_outbox o JOIN visits vi ON vi.id = o.visit_id JOIN courts c ON c.id = vi.court_id
			WHERE o.phone_index = ? AND `+scope+` ORDER BY o.id DESC LIMIT 1`, append([]any{index}, args...)...).Scan(&court)
		if err != nil {
			return fmt.Errorf("reply %d in scope: %w", id, translate(err))
		}
	}
	res, err := tx.exec(ctx, "UPDATE sms_inbox SET handled_by = ?, handled_at = ? WHERE id = ? AND status = 'unmatched' AND handled_by = ''", v.Username, tx.db.now(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ErrConflict, "该回复已处理，请刷新页面。")
	}
	return tx.Audit(ctx, Entry{Action: "sms.reply_handled", ObjectType: "sms_reply", ObjectID: fmt.Sprint(id), CourtPath: court, Success: true, Detail: note})
}

// NewSMS is a message queued outside a visit: an administrator's test of
// the gateway, or a benchmark's batch.
type NewSMS struct {
	Phone string
	// Template names the message's template, sent as CourtID (the
	// viewer's court if 0) has it, with Vars filled in. Only the system
	// (tests and benchmarks) queues a bare Body instead.
	Template string
	Vars     map[string]string
	CourtID  int64
	Body     string
	Key      string
}

// QueueSMS queues messages in a transaction of its own.
func (db *DB) QueueSMS(ctx context.Context, v domain.Viewer, msgs []NewSMS) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.QueueSMS(ctx, msgs) })
}

// QueueSMS queues messages outside visits, all or none, for tx's viewer:
// only administrators (and the system) queue them. One message queued by
// a person is audited.
func (tx *Tx) QueueSMS(ctx context.Context, msgs []NewSMS) error {
	v := tx.v
	if !v.CanAdminister() {
		return domain.Errorf(domain.ErrForbidden, "只有系统管理员可以发送测试短信。")
	}
	type prepared struct {
		sealed, index, key string
		msg                renderedSMS
	}
	var ps []prepared
	for _, m := range msgs {
		phone, err := domain.NormalizeMobile(m.Phone)
		if err != nil {
			return err
		}
		var msg renderedSMS
		switch {
		case m.Template != "":
			court := m.CourtID
			if court == 0 {
				court = v.CourtID
			}
			if !v.System {
				if _, err := smsAdminCourt(ctx, tx, v, court); err != nil {
					return err
				}
			}
			if msg, err = tx.renderSMS(ctx, court, m.Template, m.Vars); err != nil {
				return err
			}
		case !v.System:
			return domain.Invalid("template", "请选择短信模板")
		default:
			body := strings.TrimSpace(m.Body)
			if body == "" || len([]rune(body)) > 500 {
				return domain.Invalid("body", "短信内容不能为空，且不超过500字")
			}
			msg = renderedSMS{body: body}
		}
		sealed, err := tx.db.Sealer.Seal(phone)
		if err != nil {
			return err
		}
		ps = append(ps, prepared{sealed, tx.db.Sealer.BlindIndex(phone), m.Key, msg})
	}
	for _, p := range ps {
		if _, err := tx.queueOut(ctx, outMessage{kind: "test", sealed: p.sealed, index: p.index, key: p.key, sms: p.msg}, false); err != nil {
			return err
		}
	}
	if len(ps) == 1 && !v.System {
		return tx.Audit(ctx, Entry{Action: "sms.test", ObjectType: "sms", ObjectID: ps[0].key, Success: true, Detail: ps[0].msg.template})
	}
	return nil
}

// SMSState is where one message is.
type SMSState struct {
	ID        int64
	Status    string
	Attempts  int
	LastError string
}

// SMSStatus returns a message's state by its key: the administrator's
// test message, and the tests'.
func (db *DB) SMSStatus(ctx context.Context, key string) (SMSState, error) {
	var st SMSState
	err := db.queryRow(ctx, "SELECT id, status, attempts, last_error FROM sms_outbox WHERE idempotency_key = ?", key).Scan(&st.ID, &st.Status, &st.Attempts, &st.LastError)
	return st, translate(err)
}

// UseNonce records the nonce of a signed inbound request: sms.ErrReplay
// if it was used before.
func (o *SMSOutbox) UseNonce(ctx context.Context, nonce string, expires time.Time) error {
	err := o.DB.UseNonce(ctx, nonce, expires)
	if errors.Is(err, domain.ErrConflict) {
		return fmt.Errorf("%w: %w", sms.ErrReplay, err)
	}
	return err
}

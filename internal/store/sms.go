package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/visit"
)

// SMSOutbox is the store as the SMS sender and the gateways' inbound side
// see it: it implements sms.Outbox and sms.Sink. Visits holds the
// deadlines the visit events it causes need.
type SMSOutbox struct {
	DB     *DB
	Visits visit.Config
}

var (
	_ sms.Outbox = (*SMSOutbox)(nil)
	_ sms.Sink   = (*SMSOutbox)(nil)
)

var smsViewer = domain.SystemViewer("sms")

// Lease takes or renews the sending lease.
func (o *SMSOutbox) Lease(ctx context.Context, holder string, ttl time.Duration) (bool, error) {
	now := o.DB.now()
	var ok bool
	err := o.DB.Update(ctx, smsViewer, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO sms_lease (name, holder, expires_at) VALUES ('sender', ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE sms_lease.holder = excluded.holder OR sms_lease.expires_at < ?`, holder, now.Add(ttl), now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

// LinkMask stands for the party's token in a stored message text: what
// pages, exports and logs show. The sender puts the sealed token back.
const LinkMask = "●●●●●●"

const outColumns = "o.id, COALESCE(o.visit_id, 0), o.kind, o.phone_sealed, o.body, o.idempotency_key, o.attempts, o.link_sealed, o.template, o.template_id, o.sign_name, o.params"

func (db *DB) scanOut(sc interface{ Scan(...any) error }, extra ...any) (sms.Message, error) {
	var m sms.Message
	var visitID int64
	var sealed, link, params string
	if err := sc.Scan(append([]any{&m.ID, &visitID, &m.Kind, &sealed, &m.Shown, &m.Key, &m.Attempts, &link, &m.Template, &m.TemplateID, &m.Sign, &params}, extra...)...); err != nil {
		return m, err
	}
	ps, err := openParams(params)
	if err != nil {
		return m, fmt.Errorf("message %d: %w", m.ID, err)
	}
	phone, err := db.Sealer.Open(sealed)
	if err != nil {
		return m, fmt.Errorf("opening the number of message %d: %w: %w", m.ID, errUnreadable, err)
	}
	m.To, m.Body = phone, m.Shown
	token := ""
	if link != "" {
		if token, err = db.Sealer.Open(link); err != nil {
			return m, fmt.Errorf("opening the link of message %d: %w: %w", m.ID, errUnreadable, err)
		}
		m.Body = strings.ReplaceAll(m.Shown, "/v/"+LinkMask, "/v/"+token)
	}
	for _, p := range ps {
		if token != "" && p.Value == LinkMask {
			p.Value = token
		}
		m.Params = append(m.Params, p.Value)
	}
	return m, nil
}

// errUnreadable marks a message whose number or link does not open under
// the key in use.
var errUnreadable = errors.New("sealed value does not open")

// UnreadableReason is the last error of a message set aside because it
// would not open.
const UnreadableReason = "号码或链接无法解密（与主密钥不符），已停发"

// Claim marks up to n due messages as being sent by holder. A number
// texted cap times since dayStart is skipped until the next day. A message
// that will not open under the key is set aside as failed (its visit goes
// to the phone), audited for the administrator, and the rest go on.
func (o *SMSOutbox) Claim(ctx context.Context, holder string, n int, now, dayStart time.Time, cap int) ([]sms.Message, error) {
	var out []sms.Message
	err := o.DB.updateRetrying(ctx, smsViewer, func(tx *Tx) error {
		out = out[:0]
		var bad []int64
		// Each candidate's count today is computed once, in the derived
		// table, and used both to skip capped numbers and to count on.
		today := map[string]int{}
		err := each(ctx, tx, func(row scanner) error {
			if len(out) >= n {
				return nil // enough claimed: the rest stay pending
			}
			var index string
			var count int
			m, err := o.DB.scanOut(row, &index, &count)
			if errors.Is(err, errUnreadable) {
				bad = append(bad, m.ID)
				return nil
			}
			if err != nil {
				return err
			}
			if _, seen := today[index]; !seen {
				today[index] = count
			}
			if today[index] >= cap {
				return nil
			}
			today[index]++
			out = append(out, m)
			return nil
		}, `SELECT * FROM (SELECT `+outColumns+`, o.phone_index,
			(SELECT COUNT(*) FROM sms_outbox p WHERE p.phone_index = o.phone_index AND p.sent_at >= ?) AS today
			FROM sms_outbox o WHERE o.status = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?) ORDER BY o.id) c
			WHERE c.today < ? ORDER BY c.id LIMIT ?`, dayStart.UTC(), now.UTC(), cap, 3*n)
		if err != nil {
			return err
		}
		at := now.UTC()
		for _, m := range out {
			if _, err := tx.exec(ctx, "UPDATE sms_outbox SET status = 'sending', sending_at = ?, sending_holder = ?, sent_at = ? WHERE id = ? AND status = 'pending'",
				at, holder, at, m.ID); err != nil {
				return err
			}
		}
		var unreadable []failedSMS
		for _, id := range bad {
			var visitID int64
			err := tx.queryRow(ctx, "UPDATE sms_outbox SET status = 'failed', last_error = ?, done_at = ? WHERE id = ? AND status = 'pending' RETURNING COALESCE(visit_id, 0)",
				UnreadableReason, at, id).Scan(&visitID)
			if err != nil {
				return fmt.Errorf("setting aside message %d: %w", id, translate(err))
			}
			unreadable = append(unreadable, failedSMS{visitID: visitID, reason: UnreadableReason})
		}
		// Their visits go to the phone in the same transaction: a message set
		// aside never leaves its visit waiting for a reply.
		if err := tx.toPhone(ctx, o.Visits, unreadable); err != nil {
			return fmt.Errorf("moving visits of unreadable messages to the phone: %w", err)
		}
		for _, id := range bad {
			if err := tx.Audit(ctx, Entry{Action: "sms.unreadable", ObjectType: "sms", ObjectID: fmt.Sprint(id), Success: false,
				Detail: "短信" + UnreadableReason + "；请核对主密钥"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claiming messages: %w", err)
	}
	return out, nil
}

// Orphans returns the messages left being sent by another holder, or by
// holder itself before stale.
func (o *SMSOutbox) Orphans(ctx context.Context, holder string, stale time.Time) ([]sms.Message, error) {
	out, err := collect(ctx, o.DB, func(row scanner) (sms.Message, error) { return o.DB.scanOut(row) },
		"SELECT "+outColumns+" FROM sms_outbox o WHERE o.status = 'sending' AND (o.sending_holder <> ? OR o.sending_at < ?) ORDER BY o.id",
		holder, stale.UTC())
	if err != nil {
		return nil, fmt.Errorf("reading orphaned messages: %w", err)
	}
	return out, nil
}

// Record stores the outcomes of a round, and moves the visits of messages
// that failed for good to the phone, in one transaction.
//
// Locks are taken in one order by Record and Receipts alike — the
// messages' ids (sms_ids) by id, then the messages (sms_outbox) by id —
// so that the two never wait for each other on PostgreSQL.
func (o *SMSOutbox) Record(ctx context.Context, outcomes []sms.Outcome) error {
	outcomes = slices.Clone(outcomes)
	slices.SortFunc(outcomes, func(a, b sms.Outcome) int { return cmp.Compare(a.ID, b.ID) })
	type idRow struct {
		pid string
		id  int64
	}
	var ids []idRow
	for _, oc := range outcomes {
		if oc.Result == sms.ResultSent {
			for _, pid := range oc.ProviderIDs {
				ids = append(ids, idRow{pid, oc.ID})
			}
		}
	}
	slices.SortFunc(ids, func(a, b idRow) int { return strings.Compare(a.pid, b.pid) })
	now := o.DB.now()
	err := o.DB.updateRetrying(ctx, smsViewer, func(tx *Tx) error {
		var failed []failedSMS
		var receipts []pendingReceipt
		for _, r := range ids {
			var state, rerr string
			err := tx.queryRow(ctx, `INSERT INTO sms_ids (provider_id, outbox_id) VALUES (?, ?)
				ON CONFLICT (provider_id) DO UPDATE SET outbox_id = excluded.outbox_id RETURNING receipt_state, receipt_error`, r.pid, r.id).Scan(&state, &rerr)
			if err != nil {
				return fmt.Errorf("message %d: %w", r.id, err)
			}
			if state != "" { // the receipt came before the id was recorded
				receipts = append(receipts, pendingReceipt{r.id, state, rerr})
			}
		}
		for _, oc := range outcomes {
			reason := truncate(oc.Reason, 500)
			var err error
			switch oc.Result {
			case sms.ResultSent:
				first := ""
				if len(oc.ProviderIDs) > 0 {
					first = oc.ProviderIDs[0]
				}
				_, err = tx.exec(ctx, `UPDATE sms_outbox SET status = 'sent', provider_id = ?, attempts = attempts + 1, sending_at = NULL, last_error = ''
					WHERE id = ? AND status IN ('sending', 'unknown')`, first, oc.ID)
			case sms.ResultRetry:
				_, err = tx.exec(ctx, `UPDATE sms_outbox SET status = 'pending', attempts = attempts + 1, last_error = ?, next_attempt_at = ?, sending_at = NULL, sent_at = NULL
					WHERE id = ? AND status = 'sending'`, reason, oc.Next.UTC(), oc.ID)
			case sms.ResultRequeue:
				_, err = tx.exec(ctx, `UPDATE sms_outbox SET status = 'pending', last_error = ?, sending_at = NULL, sent_at = NULL WHERE id = ? AND status = 'sending'`, reason, oc.ID)
			case sms.ResultUnknown:
				_, err = tx.exec(ctx, `UPDATE sms_outbox SET status = 'unknown', attempts = attempts + 1, last_error = ?, sending_at = NULL WHERE id = ? AND status = 'sending'`, reason, oc.ID)
			case sms.ResultFailed:
				var f failedSMS
				if f, err = tx.failSMS(ctx, oc.ID, sms.StatusFailed, reason, now, "attempts = attempts + 1,"); f.visitID != 0 {
					failed = append(failed, f)
				}
			default:
				err = fmt.Errorf("unknown outcome %q", oc.Result)
			}
			if err != nil {
				return fmt.Errorf("message %d: %w", oc.ID, err)
			}
		}
		more, err := tx.applyReceipts(ctx, receipts, now)
		if err != nil {
			return err
		}
		return tx.toPhone(ctx, o.Visits, append(failed, more...))
	})
	if err != nil {
		return fmt.Errorf("recording a round of messages: %w", err)
	}
	return nil
}

type failedSMS struct {
	visitID int64
	reason  string
}

// failSMS ends a message that will not reach the phone and returns its
// visit, which goes to the phone.
func (tx *Tx) failSMS(ctx context.Context, id int64, status, reason string, now time.Time, extra string) (failedSMS, error) {
	var visitID int64
	err := tx.queryRow(ctx, `UPDATE sms_outbox SET `+extra+` status = ?, last_error = ?, done_at = ?, sending_at = NULL
		WHERE id = ? AND status IN ('sending', 'sent', 'delivered', 'unknown') RETURNING COALESCE(visit_id, 0)`, status, reason, now, id).Scan(&visitID)
	if err := translate(err); errors.Is(err, domain.ErrNotFound) {
		return failedSMS{}, nil
	} else if err != nil {
		return failedSMS{}, err
	}
	return failedSMS{visitID: visitID, reason: reason}, nil
}

// pendingReceipt is a receipt to apply to outbox message id.
type pendingReceipt struct {
	id         int64
	state, err string
}

// applyReceipts applies receipts in message order (the lock order) and
// returns the visits whose messages failed for good.
func (tx *Tx) applyReceipts(ctx context.Context, rs []pendingReceipt, now time.Time) ([]failedSMS, error) {
	slices.SortStableFunc(rs, func(a, b pendingReceipt) int { return cmp.Compare(a.id, b.id) })
	var failed []failedSMS
	for _, r := range rs {
		f, err := tx.applyReceipt(ctx, r.id, r.state, r.err, now)
		if err != nil {
			return failed, err
		}
		if f.visitID != 0 {
			failed = append(failed, f)
		}
	}
	return failed, nil
}

// applyReceipt moves a message to the state its receipt reports.
func (tx *Tx) applyReceipt(ctx context.Context, id int64, state, rerr string, now time.Time) (failedSMS, error) {
	switch state {
	case sms.Delivered:
		_, err := tx.exec(ctx, "UPDATE sms_outbox SET status = 'delivered', done_at = ? WHERE id = ? AND status IN ('sending', 'sent', 'unknown')", now, id)
		return failedSMS{}, err
	case sms.Undelivered, sms.Expired:
		status, reason := sms.StatusFailed, "回执：未送达"
		if state == sms.Expired {
			status, reason = sms.StatusExpired, "回执：过期未送达"
		}
		if rerr != "" {
			reason += "（" + truncate(rerr, 200) + "）"
		}
		return tx.failSMS(ctx, id, status, reason, now, "")
	}
	return failedSMS{}, fmt.Errorf("unknown receipt state %q", state)
}

// toPhone tells the visits of messages that failed for good, in tx: they
// go to the phone. A visit that moved on meanwhile is left as it is. The
// visits are locked in id order before any changes, so two rounds that
// touch the same visits wait for each other rather than deadlock.
func (tx *Tx) toPhone(ctx context.Context, cfg visit.Config, failed []failedSMS) error {
	failed = slices.DeleteFunc(slices.Clone(failed), func(f failedSMS) bool { return f.visitID == 0 })
	if len(failed) == 0 {
		return nil
	}
	slices.SortStableFunc(failed, func(a, b failedSMS) int { return cmp.Compare(a.visitID, b.visitID) })
	if tx.db.Engine == Postgres {
		ids := make([]any, len(failed))
		for i, f := range failed {
			ids[i] = f.visitID
		}
		if err := each(ctx, tx, func(scanner) error { return nil },
			"SELECT id FROM visits WHERE id IN ("+placeholders(len(ids))+") ORDER BY id FOR UPDATE", ids...); err != nil {
			return fmt.Errorf("locking visits: %w", err)
		}
	}
	sys := tx.as(smsViewer)
	for _, f := range failed {
		err := sys.attempt(ctx, func() error {
			_, err := sys.ApplyVisitEvent(ctx, f.visitID, visit.Event{Kind: visit.EventSMSFailed, Reason: f.reason}, cfg)
			return err
		})
		if err != nil && !movedOn(err) {
			return err
		}
	}
	return nil
}

// Receipt takes a delivery receipt. One that arrives before the sender
// recorded the message's id is kept and applied when the id is.
func (o *SMSOutbox) Receipt(ctx context.Context, r sms.Receipt) error {
	if r.ProviderID == "" {
		return domain.Invalid("id", "回执缺少短信编号")
	}
	if r.State != sms.Delivered && r.State != sms.Undelivered && r.State != sms.Expired {
		return domain.Invalid("state", "回执状态无法识别")
	}
	return o.Receipts(ctx, []sms.Receipt{r})
}

// Receipts takes many receipts in one transaction; receipts without an
// id or with an unknown state are passed over. Locks go in Record's order.
func (o *SMSOutbox) Receipts(ctx context.Context, rs []sms.Receipt) error {
	var valid []sms.Receipt
	for _, r := range rs {
		if r.ProviderID != "" && (r.State == sms.Delivered || r.State == sms.Undelivered || r.State == sms.Expired) {
			valid = append(valid, r)
		}
	}
	slices.SortStableFunc(valid, func(a, b sms.Receipt) int { return strings.Compare(a.ProviderID, b.ProviderID) })
	err := o.DB.updateRetrying(ctx, smsViewer, func(tx *Tx) error {
		now := o.DB.now()
		var applies []pendingReceipt
		for _, r := range valid {
			at := r.At
			if at.IsZero() {
				at = now
			}
			var outboxID int64
			err := tx.queryRow(ctx, `INSERT INTO sms_ids (provider_id, receipt_state, receipt_error, receipt_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (provider_id) DO UPDATE SET receipt_state = excluded.receipt_state, receipt_error = excluded.receipt_error, receipt_at = excluded.receipt_at
				RETURNING COALESCE(outbox_id, 0)`, r.ProviderID, r.State, truncate(r.Error, 200), at.UTC()).Scan(&outboxID)
			if err != nil {
				return err
			}
			if outboxID != 0 {
				applies = append(applies, pendingReceipt{outboxID, r.State, r.Error})
			}
		}
		failed, err := tx.applyReceipts(ctx, applies, now)
		if err != nil {
			return err
		}
		return tx.toPhone(ctx, o.Visits, failed)
	})
	if err != nil {
		return fmt.Errorf("taking receipts: %w", err)
	}
	return nil
}

// Reply takes a party's message.
func (o *SMSOutbox) Reply(ctx context.Context, r sms.Reply) error {
	at := r.At
	if at.IsZero() {
		at = o.DB.now()
	}
	_, err := o.DB.ReceiveReply(ctx, r.From, r.Body, at, o.Visits)
	return err
}

// truncate cuts s to at most n bytes, at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ReceiveReply takes a message from a party: it finds the visit whose
// question the number was asked last (an open visit, the newest message
// sent to that number) and gives the reply to it — a satisfaction reply,
// or the categories when the last question was the follow-up. A message
// that fits no open question, or whose categories cannot be read, is kept
// for a person. It returns the visit, or 0.
func (db *DB) ReceiveReply(ctx context.Context, from, body string, at time.Time, cfg visit.Config) (int64, error) {
	phone, err := domain.NormalizeMobile(from)
	if err != nil {
		return 0, err
	}
	index := db.Sealer.BlindIndex(phone)
	sealed, err := db.Sealer.Seal(phone)
	if err != nil {
		return 0, err
	}
	var visitID int64
	err = db.updateRetrying(ctx, smsViewer, func(tx *Tx) error {
		visitID = 0
		var kind string
		// The follow-up question on categories counts as asked from the
		// moment it is queued: a party who answered 不满意 and then texts
		// "1" means category 1, even when the receipt of the follow-up has
		// not come back yet (issue 13: the "1" was read as 满意).
		err := tx.queryRow(ctx, `SELECT o.visit_id, o.kind FROM sms_outbox o JOIN visits vi ON vi.id = o.visit_id
			WHERE o.phone_index = ? AND (o.status IN ('sending', 'sent', 'delivered', 'unknown') OR (o.status = 'pending' AND o.kind = 'categories'))
			AND vi.step <> 'closed' ORDER BY o.id DESC LIMIT 1`, index).Scan(&visitID, &kind)
		if err := translate(err); err != nil && !errors.Is(err, domain.ErrNotFound) {
			return fmt.Errorf("matching a reply: %w", err)
		}
		var ev visit.Event
		matched := visitID != 0
		if matched {
			if kind == string(visit.MessageCategories) {
				cats, ok := visit.ParseCategories(body)
				matched = ok
				ev = visit.Event{Kind: visit.EventCategoriesReply, Categories: cats}
			} else {
				r, _ := visit.ParseSatisfaction(body)
				ev = visit.Event{Kind: visit.EventSMSReply, Reply: r}
			}
		}
		if matched {
			err := tx.attempt(ctx, func() error {
				_, err := tx.ApplyVisitEvent(ctx, visitID, ev, cfg)
				return err
			})
			if err != nil {
				if !movedOn(err) {
					return err
				}
				matched = false // the visit is past the point this answers
			}
		}
		status := "unmatched"
		var vid any
		if matched {
			status, vid = "matched", visitID
		} else {
			visitID = 0
		}
		// The reply and what it did to its visit commit together: a reply
		// is never applied without being kept, nor kept as matched without
		// being applied.
		if _, err := tx.exec(ctx, "INSERT INTO sms_inbox (phone_sealed, phone_index, body, received_at, visit_id, status) VALUES (?, ?, ?, ?, ?, ?)",
			sealed, index, truncate(body, 2000), at.UTC(), vid, status); err != nil {
			return fmt.Errorf("keeping a reply: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return visitID, nil
}

// UseNonce records the nonce of a signed inbound request; ErrConflict if
// it was used before (a replay). Nonces past expiry are swept.
func (db *DB) UseNonce(ctx context.Context, nonce string, expires time.Time) error {
	if nonce == "" || len(nonce) > 100 {
		return domain.Invalid("nonce", "请求缺少有效的随机数")
	}
	return db.Update(ctx, smsViewer, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM sms_nonces WHERE expires_at < ?", tx.db.now()); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "INSERT INTO sms_nonces (nonce, expires_at) VALUES (?, ?)", nonce, expires.UTC())
		if errors.Is(translate(err), domain.ErrConflict) {
			return domain.Errorf(domain.ErrConflict, "请求已处理过（重放）")
		}
		return err
	})
}

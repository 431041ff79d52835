package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// OutMessage is a queued SMS, its number opened for the gateway.
type OutMessage struct {
	ID      int64
	VisitID int64
	Kind    string
	Phone   string
	Body    string
	Key     string
}

// PendingSMS returns up to limit queued messages, oldest first.
func (db *DB) PendingSMS(ctx context.Context, limit int) ([]OutMessage, error) {
	rows, err := db.query(ctx, "SELECT id, COALESCE(visit_id, 0), kind, phone_sealed, body, idempotency_key FROM sms_outbox WHERE status = 'pending' ORDER BY id LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("reading the outbox: %w", err)
	}
	defer rows.Close()
	var out []OutMessage
	for rows.Next() {
		var m OutMessage
		var sealed string
		if err := rows.Scan(&m.ID, &m.VisitID, &m.Kind, &sealed, &m.Body, &m.Key); err != nil {
			return nil, err
		}
		if m.Phone, err = db.Sealer.Open(sealed); err != nil {
			return nil, fmt.Errorf("opening the number of message %d: %w", m.ID, err)
		}
		out = append(out, m)
	}
	return out, translate(rows.Err())
}

// MarkSMSSent records that the gateway accepted a message.
func (db *DB) MarkSMSSent(ctx context.Context, id int64, providerID string) error {
	return db.Update(ctx, domain.SystemViewer("sms"), func(tx *Tx) error {
		_, err := tx.exec(ctx, "UPDATE sms_outbox SET status = 'sent', provider_id = ?, attempts = attempts + 1, sent_at = ? WHERE id = ? AND status = 'pending'",
			providerID, tx.db.now(), id)
		return err
	})
}

// MarkSMSFailed records a permanent failure (invalid number, blacklisted):
// the message ends and its visit goes to the phone.
func (db *DB) MarkSMSFailed(ctx context.Context, m OutMessage, reason string, cfg visit.Config) error {
	err := db.Update(ctx, domain.SystemViewer("sms"), func(tx *Tx) error {
		_, err := tx.exec(ctx, "UPDATE sms_outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?", reason, m.ID)
		return err
	})
	if err != nil || m.VisitID == 0 {
		return err
	}
	_, err = db.ApplyVisitEvent(ctx, domain.SystemViewer("sms"), m.VisitID, visit.Event{Kind: visit.EventSMSFailed, Reason: reason}, cfg)
	if errors.Is(err, domain.ErrConflict) {
		return nil // the visit moved on meanwhile
	}
	return err
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
	var kind string
	err = db.queryRow(ctx, `SELECT o.visit_id, o.kind FROM sms_outbox o JOIN visits vi ON vi.id = o.visit_id
		WHERE o.phone_index = ? AND o.status = 'sent' AND vi.step <> 'closed' ORDER BY o.id DESC LIMIT 1`, index).Scan(&visitID, &kind)
	if err := translate(err); err != nil && !errors.Is(err, domain.ErrNotFound) {
		return 0, fmt.Errorf("matching a reply: %w", err)
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
		if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("sms"), visitID, ev, cfg); err != nil {
			if !errors.Is(err, domain.ErrConflict) && !errors.Is(err, domain.ErrInvalid) {
				return 0, err
			}
			matched = false // the visit is past the point this answers
		}
	}
	status := "unmatched"
	var vid any
	if matched {
		status, vid = "matched", visitID
	}
	err = db.Update(ctx, domain.SystemViewer("sms"), func(tx *Tx) error {
		_, err := tx.exec(ctx, "INSERT INTO sms_inbox (phone_sealed, phone_index, body, received_at, visit_id, status) VALUES (?, ?, ?, ?, ?, ?)",
			sealed, index, body, at.UTC(), vid, status)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("keeping a reply: %w", err)
	}
	if !matched {
		return 0, nil
	}
	return visitID, nil
}

// SMSCounts returns how many messages wait, went out and failed, and how
// many replies wait for a person: the gateway's health for administrators.
func (db *DB) SMSCounts(ctx context.Context) (pending, sent, failed, unmatched int, err error) {
	err = db.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM sms_outbox WHERE status = 'pending'), (SELECT COUNT(*) FROM sms_outbox WHERE status = 'sent'),
		(SELECT COUNT(*) FROM sms_outbox WHERE status = 'failed'), (SELECT COUNT(*) FROM sms_inbox WHERE status = 'unmatched')`).Scan(&pending, &sent, &failed, &unmatched)
	return pending, sent, failed, unmatched, translate(err)
}

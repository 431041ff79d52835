package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/visit"
)

// ApplyVisitEvent moves a visit on by one event, through the rules of
// internal/visit, and keeps the record: the new state, the event with its
// details, the answers for statistics, an audit record. It returns the
// transition, whose SMS the caller sends.
func (db *DB) ApplyVisitEvent(ctx context.Context, v domain.Viewer, id int64, ev visit.Event, cfg visit.Config) (visit.Transition, error) {
	var tr visit.Transition
	err := db.Update(ctx, v, func(tx *Tx) error {
		var err error
		tr, err = tx.ApplyVisitEvent(ctx, id, ev, cfg)
		return err
	})
	return tr, err
}

// ApplyVisitEvent moves a visit on by one event in tx, for tx's viewer:
// the step of a larger change (a reply and its inbox row, a round of SMS
// outcomes and the visits they send to the phone) that commits or fails
// whole.
func (tx *Tx) ApplyVisitEvent(ctx context.Context, id int64, ev visit.Event, cfg visit.Config) (visit.Transition, error) {
	v := tx.v
	scope, args, err := visitScope(v)
	if err != nil {
		return visit.Transition{}, err
	}
	lock := ""
	if tx.db.Engine == Postgres {
		lock = " FOR UPDATE OF vi"
	}
	vi, err := scanVisit(tx.queryRow(ctx, "SELECT "+visitColumns+visitFrom+" WHERE vi.id = ? AND "+scope+lock, append([]any{id}, args...)...))
	if err != nil {
		return visit.Transition{}, fmt.Errorf("loading visit %d: %w", id, err)
	}
	role, err := visit.RoleFor(v, ev, vi.CourtPath)
	if err != nil {
		return visit.Transition{}, err
	}
	ev.Role = role
	now := tx.db.now()
	tr, err := visit.Next(vi.State, ev, cfg, now)
	if err != nil {
		return visit.Transition{}, err
	}
	if err := tx.saveTransition(ctx, vi, tr, now); err != nil {
		return visit.Transition{}, err
	}
	if _, err := tx.exec(ctx, "INSERT INTO visit_events (visit_id, at, kind, actor_id, actor, role, step, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		id, now, ev.Kind, nullID(v.UserID), actorName(v), role, tr.State.Step, mustJSON(eventDetail(ev))); err != nil {
		return visit.Transition{}, fmt.Errorf("recording visit event: %w", err)
	}
	if err := tx.recordAnswers(ctx, id, ev, now); err != nil {
		return visit.Transition{}, err
	}
	if tr.SMS != visit.MessageNone {
		if err := tx.queueSMS(ctx, vi, tr, cfg); err != nil {
			return visit.Transition{}, err
		}
	}
	if err := tx.noticeVisitStep(ctx, vi, tr.State.Step); err != nil {
		return visit.Transition{}, err
	}
	return tr, tx.Audit(ctx, Entry{Action: "visit." + string(ev.Kind), ObjectType: "visit", ObjectID: strconv.FormatInt(id, 10), CourtPath: vi.CourtPath,
		Success: true, Detail: vi.CaseNumber + " → " + tr.State.Step.Label()})
}

// noticeVisitStep tells the three bodies' liaisons of the visit's court
// when a visit comes to the consultation or the on-site visit: the steps
// they owe. The notice names the case number and the step, nothing the
// party said.
func (tx *Tx) noticeVisitStep(ctx context.Context, vi *Visit, step visit.Step) error {
	if step == vi.State.Step {
		return nil
	}
	kind, title := oversight.NoticeVisitConsultation, "回访需三家会商："
	switch step {
	case visit.StepConsultation:
	case visit.StepOnsitePending:
		kind, title = oversight.NoticeVisitOnsite, "回访待实地回访："
	default:
		return nil
	}
	return tx.notifyCase(ctx, vi.CaseID, vi.CourtID, oversight.Liaisons(), oversight.Notice{Kind: kind, Title: title + vi.CaseNumber,
		Link: fmt.Sprintf("/visits/%d", vi.ID), Key: fmt.Sprintf("visit:%d:%s", vi.ID, step)})
}

func eventDetail(ev visit.Event) map[string]any {
	d := map[string]any{}
	if ev.Reply.Kind != "" {
		d["reply"], d["reply_kind"] = ev.Reply.Text, ev.Reply.Kind
	}
	if len(ev.Categories) > 0 {
		d["categories"] = ev.Categories
	}
	if ev.Answers != nil {
		d["answers"] = ev.Answers
	}
	for k, s := range map[string]string{"person": ev.Person, "opinion": ev.Opinion, "measures": ev.Measures, "suggestions": ev.Suggestions, "reason": ev.Reason} {
		if s != "" {
			d[k] = s
		}
	}
	if c := ev.Consultation; c != nil {
		d["consultation"] = ConsultationRecord{Date: c.Date.String(), Conclusion: strings.TrimSpace(c.Conclusion),
			Participants: roleMap(c.Participants), Persons: roleMap(c.Persons)}
	}
	return d
}

// ConsultationRecord is a consultation as its event keeps it.
type ConsultationRecord struct {
	Date         string            `json:"date"`
	Conclusion   string            `json:"conclusion"`
	Participants map[string]string `json:"participants"` // by role
	Persons      map[string]string `json:"persons"`      // by role
}

func roleMap(m map[domain.Role]string) map[string]string {
	out := map[string]string{}
	for r, s := range m {
		out[string(r)] = strings.TrimSpace(s)
	}
	return out
}

// recordAnswers keeps what a party answered, for statistics.
func (tx *Tx) recordAnswers(ctx context.Context, id int64, ev visit.Event, now time.Time) error {
	var source string
	var satisfied any
	var a visit.Answers
	switch ev.Kind {
	case visit.EventSMSReply:
		source = "sms"
		switch ev.Reply.Kind {
		case visit.ReplySatisfied:
			satisfied = true
		case visit.ReplyDissatisfied:
			satisfied = false
		default:
			return nil
		}
		a.Text = ev.Reply.Text
	case visit.EventCategoriesReply:
		source = "sms"
		satisfied = false
		for _, n := range ev.Categories {
			if c, ok := visit.CategoryByNo(n); ok {
				a.Categories = append(a.Categories, c.Code)
			}
		}
	case visit.EventPhoneRecorded, visit.EventOnsiteRecorded:
		source = "phone"
		if ev.Kind == visit.EventOnsiteRecorded {
			source = "onsite"
		}
		if ev.Answers == nil {
			return nil
		}
		// Items imply their categories (附件3 asks for both).
		a = ev.Answers.Normalize()
		if a.Satisfied != nil {
			satisfied = *a.Satisfied
		}
	default:
		return nil
	}
	return tx.insertAnswers(ctx, id, source, satisfied, a, now)
}

// insertAnswers keeps an answers record and what it says on the visit.
func (tx *Tx) insertAnswers(ctx context.Context, id int64, source string, satisfied any, a visit.Answers, now time.Time) error {
	// The visit's month, court and officer go with the answers, so that
	// the statistics count them from one index.
	_, err := tx.exec(ctx, `INSERT INTO visit_answers (visit_id, source, satisfied, categories, items, text, at, month, court_id, officer_id)
		SELECT id, ?, ?, ?, ?, ?, ?, month, court_id, officer_id FROM visits WHERE id = ?`,
		source, satisfied, joinCodes(a.Categories), joinCodes(a.Items), a.Text, now, id)
	if err != nil {
		return fmt.Errorf("recording answers: %w", err)
	}
	if err := tx.crossCheck(ctx, id, a.Items); err != nil {
		return err
	}
	// A party's own later 满意 by SMS or link never turns a 不满意 already
	// recorded into 满意: only a person who spoke with the party (a phone
	// or on-site record) can (issue 13, point 9).
	byParty := source == "sms" || source == "link"
	return tx.trackRollup(ctx, id, func() error {
		_, err := tx.exec(ctx, "UPDATE visits SET replied = replied OR ?, satisfied = CASE WHEN ? AND satisfied = FALSE THEN FALSE ELSE COALESCE(?, satisfied) END WHERE id = ?",
			byParty, byParty, satisfied, id)
		if err != nil {
			return fmt.Errorf("recording answers: %w", err)
		}
		return nil
	})
}

// queueSMS writes the message a transition asks for to the outbox, in the
// transaction of the transition. Its key names the visit, the event and
// the message, so the same decision never queues two messages. A question
// carries the party's one-time link when cfg has a public address.
func (tx *Tx) queueSMS(ctx context.Context, vi *Visit, tr visit.Transition, cfg visit.Config) error {
	var seq int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM visit_events WHERE visit_id = ?", vi.ID).Scan(&seq); err != nil {
		return fmt.Errorf("numbering the message: %w", translate(err))
	}
	var sealed, index string
	err := tx.queryRow(ctx, "SELECT phone_sealed, phone_index FROM parties WHERE id = ?", vi.PartyID).Scan(&sealed, &index)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && sealed == "") {
		// No number to text: the party is phoned instead.
		return nil
	}
	if err != nil {
		// A database that fails is not a party without a mobile.
		return fmt.Errorf("reading the party's mobile: %w", translate(err))
	}
	key := fmt.Sprintf("visit:%d:%d:%s", vi.ID, seq, tr.SMS)
	link := tr.SMS == visit.MessageQuestion && cfg.PublicURL != ""
	vals := visit.SMSVars(vi.CaseNumber, cfg.PublicURL, "")
	linkSealed := ""
	if link {
		token, err := tx.createLink(ctx, vi.ID)
		if err != nil {
			return err
		}
		// The party's token is a credential: the text and its parameters
		// are stored with the link masked, and the token sealed for the
		// sender alone.
		if linkSealed, err = tx.db.Sealer.Seal(token); err != nil {
			return fmt.Errorf("sealing the party's link: %w", err)
		}
		vals[visit.VarLink] = LinkMask
	}
	msg, err := tx.renderSMS(ctx, vi.CourtID, visit.TemplateFor(tr.SMS, link), vals)
	if err != nil {
		return err
	}
	if _, err := tx.queueOut(ctx, outMessage{visitID: vi.ID, kind: string(tr.SMS), sealed: sealed, index: index, key: key, linkSealed: linkSealed, sms: msg}, false); err != nil {
		return fmt.Errorf("queueing SMS: %w", err)
	}
	return nil
}

// saveTransition stores a visit's new state.
func (tx *Tx) saveTransition(ctx context.Context, vi *Visit, tr visit.Transition, now time.Time) error {
	var closed any
	if tr.State.Step == visit.StepClosed {
		closed = now
	}
	// The statistics flags only ever turn on; the final satisfaction is
	// the outcome's when the visit closes on one.
	var satisfied any
	switch tr.State.Outcome {
	case visit.OutcomeSatisfiedSMS, visit.OutcomeSatisfiedPhone:
		satisfied = true
	case visit.OutcomeOnsiteDone:
		satisfied = false
	}
	return tx.trackRollup(ctx, vi.ID, func() error { return tx.updateVisit(ctx, vi.ID, tr, now, closed, satisfied) })
}

// updateVisit writes a visit's new state and statistics flags.
func (tx *Tx) updateVisit(ctx context.Context, id int64, tr visit.Transition, now time.Time, closed, satisfied any) error {
	step := tr.State.Step
	if _, err := tx.exec(ctx, `UPDATE visits SET step = ?, outcome = ?, no_reply = ?, due_at = ?, decisions = ?, phone_attempts = ?, updated_at = ?, closed_at = ?,
		sms_sent = sms_sent OR ?, reached_phone = reached_phone OR ?, reached_consult = reached_consult OR ?, reached_onsite = reached_onsite OR ?,
		satisfied = COALESCE(?, satisfied) WHERE id = ?`,
		step, tr.State.Outcome, tr.State.NoReply, nullTime(tr.State.Due), mustJSON(tr.State.Decisions), tr.State.PhoneAttempts, now, closed,
		tr.SMS == visit.MessageQuestion, step == visit.StepPhonePending, step == visit.StepConsultation, step == visit.StepOnsitePending,
		satisfied, id); err != nil {
		return fmt.Errorf("updating visit: %w", err)
	}
	return nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func joinCodes(codes []string) string { return strings.Join(codes, ",") }

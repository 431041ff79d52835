package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

func (db *DB) linkTTL() time.Duration {
	if db.LinkTTL > 0 {
		return db.LinkTTL
	}
	return 7 * 24 * time.Hour
}

// createLink makes a one-time link token for a visit; only its hash is
// stored.
func (tx *Tx) createLink(ctx context.Context, visitID int64) (string, error) {
	token, hash := NewToken()
	now := tx.db.now()
	if _, err := tx.exec(ctx, "INSERT INTO visit_links (token_hash, visit_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
		hash, visitID, now.Add(tx.db.linkTTL()), now); err != nil {
		return "", fmt.Errorf("creating visit link: %w", err)
	}
	return token, nil
}

// CreateVisitLink makes a link for a visit v may see in a transaction of
// its own.
func (db *DB) CreateVisitLink(ctx context.Context, v domain.Viewer, visitID int64) (string, error) {
	return inTx(ctx, db, v, func(tx *Tx) (string, error) { return tx.CreateVisitLink(ctx, visitID) })
}

// CreateVisitLink makes a link for a visit that tx's viewer may see,
// outside a message: for tests, and for the command centre to read out by
// phone. It returns the token, which only the caller ever holds.
func (tx *Tx) CreateVisitLink(ctx context.Context, visitID int64) (string, error) {
	if _, err := visitRow(ctx, tx, tx.v, visitID); err != nil {
		return "", err
	}
	return tx.createLink(ctx, visitID)
}

// LinkVisit is what a party's page may show: the court and the case
// number, nothing else.
type LinkVisit struct {
	VisitID    int64
	CourtName  string
	CaseNumber string
}

// ErrLinkGone is returned for a link that is unknown, used or expired;
// the page says the same in every case.
var ErrLinkGone = domain.Errorf(domain.ErrNotFound, "该链接已使用或已过期。")

func (tx *Tx) link(ctx context.Context, token string) (*LinkVisit, error) {
	var lv LinkVisit
	var used any
	var expires time.Time
	err := tx.queryRow(ctx, `SELECT l.visit_id, c.name, k.number, l.used_at, l.expires_at FROM visit_links l JOIN visits vi ON vi.id = l.visit_id
		JOIN cases k ON k.id = vi.case_id JOIN courts c ON c.id = vi.court_id WHERE l.token_hash = ?`, HashToken(token)).Scan(&lv.VisitID, &lv.CourtName, &lv.CaseNumber, &used, &expires)
	if err != nil {
		if errors.Is(translate(err), domain.ErrNotFound) {
			return nil, ErrLinkGone
		}
		return nil, fmt.Errorf("loading visit link: %w", translate(err))
	}
	if used != nil || !tx.db.now().Before(expires) {
		return nil, ErrLinkGone
	}
	return &lv, nil
}

// VisitByLink returns what the party's page shows for a live link.
func (db *DB) VisitByLink(ctx context.Context, token string) (*LinkVisit, error) {
	var lv *LinkVisit
	err := db.Update(ctx, domain.SystemViewer("link"), func(tx *Tx) error {
		var err error
		lv, err = tx.link(ctx, token)
		return err
	})
	return lv, err
}

// LinkViewer is who acts when a party answers through a link: the
// party, from remoteAddr, recorded as such.
func LinkViewer(remoteAddr string) domain.Viewer {
	return domain.Viewer{System: true, Username: "party", Name: "当事人（回访链接）", RemoteAddr: remoteAddr}
}

// AnswerByLink records the party's answers from the link page in a
// transaction of its own, acting as LinkViewer(remoteAddr).
func (db *DB) AnswerByLink(ctx context.Context, token, remoteAddr string, a visit.Answers, cfg visit.Config) error {
	return db.Update(ctx, LinkViewer(remoteAddr), func(tx *Tx) error { return tx.AnswerByLink(ctx, token, a, cfg) })
}

// AnswerByLink records the party's 附件3 answers from the link page, for
// tx's viewer (LinkViewer): the link is used up, the visit moves on as for
// an SMS reply (满意 ends it, 不满意 goes to the phone visit; no follow-up
// SMS, the categories are in the answers), and the answers are kept.
func (tx *Tx) AnswerByLink(ctx context.Context, token string, a visit.Answers, cfg visit.Config) error {
	v := tx.v
	a = a.Normalize()
	if a.Satisfied == nil {
		return domain.Invalid("satisfied", "请选择是否满意")
	}
	if err := a.Validate(); err != nil {
		return err
	}
	lv, err := tx.link(ctx, token)
	if err != nil {
		return err
	}
	// Used up in one statement: of two answers at once, the second finds
	// the link used (PostgreSQL re-reads the row after the first commits)
	// and changes nothing.
	res, err := tx.exec(ctx, "UPDATE visit_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", tx.db.now(), HashToken(token))
	if err != nil {
		return fmt.Errorf("using link: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return ErrLinkGone
	}
	vi, err := scanVisit(tx.queryRow(ctx, "SELECT "+visitColumns+visitFrom+" WHERE vi.id = ?", lv.VisitID))
	if err != nil {
		return err
	}
	reply := visit.Reply{Kind: visit.ReplySatisfied, Text: "（回访链接）满意"}
	if !*a.Satisfied {
		reply = visit.Reply{Kind: visit.ReplyDissatisfied, Text: "（回访链接）不满意"}
	}
	now := tx.db.now()
	tr, err := visit.Next(vi.State, visit.Event{Kind: visit.EventSMSReply, Reply: reply}, cfg, now)
	if err != nil {
		return err
	}
	if err := tx.saveTransition(ctx, vi, tr, now); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "INSERT INTO visit_events (visit_id, at, kind, actor, role, step, detail) VALUES (?, ?, ?, ?, '', ?, ?)",
		vi.ID, now, visit.EventLinkAnswer, v.Name, tr.State.Step, mustJSON(map[string]any{"answers": a})); err != nil {
		return fmt.Errorf("recording link answer: %w", err)
	}
	if err := tx.insertAnswers(ctx, vi.ID, "link", *a.Satisfied, a, now); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "visit.link_answer", ObjectType: "visit", ObjectID: strconv.FormatInt(vi.ID, 10), CourtPath: vi.CourtPath, Success: true,
		Detail: vi.CaseNumber + " → " + tr.State.Step.Label()})
}

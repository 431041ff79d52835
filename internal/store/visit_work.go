package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// AddFocusedVisit adds a case for a focused visit by hand in a
// transaction of its own, and returns how many visits it started.
func (db *DB) AddFocusedVisit(ctx context.Context, v domain.Viewer, caseID int64, note string) (int, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int, error) { return tx.AddFocusedVisit(ctx, caseID, note) })
}

// AddFocusedVisit lets tx's viewer, the command centre, add a case it
// sees for a focused visit by hand, with its reason; it returns how many
// visits it started.
func (tx *Tx) AddFocusedVisit(ctx context.Context, caseID int64, note string) (int, error) {
	v := tx.v
	if !visit.Runs(v) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有执行指挥中心可以添加重点回访。")
	}
	k, err := caseRow(ctx, tx, v, "k.id = ?", caseID)
	if err != nil {
		return 0, err
	}
	if !visit.CanAddFocus(v, k.OfficerID) {
		return 0, domain.Errorf(domain.ErrForbidden, "不能为本人承办的案件添加重点回访。")
	}
	if strings.TrimSpace(note) == "" {
		return 0, domain.Invalid("note", "请说明重点回访的理由")
	}
	n, err := tx.createVisits(ctx, k.ID, 0, "focused", visit.ReasonManual, strings.TrimSpace(note))
	if err != nil {
		return 0, err
	}
	return n, tx.Audit(ctx, Entry{Action: "visit.focus_manual", ObjectType: "case", ObjectID: k.Number, CourtPath: k.CourtPath, Success: true, Detail: note})
}

// ScanFocused finds open cases meeting a focused-visit criterion and starts
// visits for them, unless the case had a focused visit for the same reason
// within interval. It returns how many visits it started.
func (db *DB) ScanFocused(ctx context.Context, interval time.Duration) (int, error) {
	today := db.today()
	since := db.now().Add(-interval)
	type hit struct {
		caseID int64
		reason string
	}
	criteria := []struct {
		reason string
		cond   string
		args   []any
	}{
		{visit.ReasonOpen18Months, "k.filed_on < ?", []any{today.AddMonths(-18)}},
		{visit.ReasonOverdue, "k.has_property AND k.property_known AND NOT k.clock_stopped AND k.due_on < ?", []any{today}},
		{visit.ReasonPetition, "k.petition", nil},
		{visit.ReasonSupervised, "k.supervised_by <> ''", nil},
	}
	var hits []hit
	for _, c := range criteria {
		q := "SELECT k.id FROM cases k WHERE k.closed_on IS NULL AND " + c.cond +
			" AND NOT EXISTS (SELECT 1 FROM visits vi WHERE vi.case_id = k.id AND vi.kind = 'focused' AND vi.reason = ? AND vi.created_at >= ?)"
		ids, err := collect(ctx, db, scanID, q, append(c.args, c.reason, since)...)
		if err != nil {
			return 0, fmt.Errorf("scanning for %s: %w", c.reason, err)
		}
		for _, id := range ids {
			hits = append(hits, hit{id, c.reason})
		}
	}
	total := 0
	for start := 0; start < len(hits); start += 200 {
		chunk := hits[start:min(start+200, len(hits))]
		err := db.Update(ctx, domain.SystemViewer("job:focused_visits"), func(tx *Tx) error {
			// Scans that run at once — a retried job beside a new leader's,
			// two servers — write one at a time, and each case is checked
			// again inside the writing transaction: a case, reason and party
			// get one focused visit in the interval, whatever runs twice.
			if err := tx.lockFocused(ctx); err != nil {
				return err
			}
			n := 0
			for _, h := range chunk {
				var dup bool
				if err := tx.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM visits WHERE case_id = ? AND kind = 'focused' AND reason = ? AND created_at >= ?)",
					h.caseID, h.reason, since).Scan(&dup); err != nil {
					return fmt.Errorf("checking focused visits: %w", translate(err))
				}
				if dup {
					continue
				}
				c, err := tx.createVisits(ctx, h.caseID, 0, "focused", h.reason, visit.FocusReasons[h.reason])
				if err != nil {
					return err
				}
				n += c
			}
			if n == 0 {
				return nil
			}
			total += n
			return tx.Audit(ctx, Entry{Action: "visit.focus_scan", ObjectType: "visit", Success: true, Detail: fmt.Sprintf("重点回访：%d件案件，%d次回访", len(chunk), n)})
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// focusedLockKey is the PostgreSQL advisory lock that serialises the
// writes of focused-visit scans across processes. On SQLite every write
// transaction is serialised already.
const focusedLockKey = 727710002

func (tx *Tx) lockFocused(ctx context.Context) error {
	if tx.db.Engine != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(?)", focusedLockKey); err != nil {
		return fmt.Errorf("locking focused visits: %w", err)
	}
	return nil
}

// VisitTodo is a visit step that waits on the viewer.
type VisitTodo struct {
	VisitID    int64
	CaseNumber string
	Step       visit.Step
	Due        time.Time
}

// VisitTodos returns the open visits whose next step the viewer's roles
// owe: the command centre starts visits and makes phone visits; each body
// gives its consultation decision; the three bodies record on-site visits.
// Overdue ones come first.
func (db *DB) VisitTodos(ctx context.Context, v domain.Viewer, limit int) ([]VisitTodo, error) {
	owed := visit.StepsOwed(v)
	if !visit.CanSee(v) || len(owed) == 0 {
		return nil, nil
	}
	scope, args, err := visitScope(v)
	if err != nil {
		return nil, err
	}
	var steps []string
	for _, s := range owed {
		steps = append(steps, "'"+string(s)+"'")
	}
	var out []VisitTodo
	err = each(ctx, db, func(row scanner) error {
		var t VisitTodo
		var due sql.NullTime
		var decisions string
		if err := row.Scan(&t.VisitID, &t.CaseNumber, &t.Step, &due, &decisions); err != nil {
			return err
		}
		t.Due = timeOf(due)
		if t.Step == visit.StepConsultation {
			// Only if one of the viewer's bodies has not decided yet.
			var ds []visit.Decision
			if err := json.Unmarshal([]byte(decisions), &ds); err != nil {
				return fmt.Errorf("visit %d: decisions: %w", t.VisitID, err)
			}
			owes := false
			for _, r := range visit.ConsultingBodies() {
				if v.Has(r) && !slices.ContainsFunc(ds, func(d visit.Decision) bool { return d.Role == r }) {
					owes = true
				}
			}
			if !owes {
				return nil
			}
		}
		out = append(out, t)
		return nil
	}, "SELECT vi.id, k.number, vi.step, vi.due_at, vi.decisions"+visitFrom+" WHERE "+scope+
		" AND vi.step IN ("+strings.Join(steps, ",")+") ORDER BY vi.due_at IS NULL, vi.due_at, vi.id LIMIT ?", append(args, limit*3)...)
	if err != nil {
		return nil, fmt.Errorf("listing visit to-dos: %w", err)
	}
	return out[:min(len(out), limit)], nil
}

// ExpireReplyWindows records 未回复 for every visit whose SMS reply window
// has passed: the visit goes on to the phone visit (or closes, as
// configured). It returns how many visits it moved.
func (db *DB) ExpireReplyWindows(ctx context.Context, cfg visit.Config) (int, error) {
	ids, err := collect(ctx, db, scanID, "SELECT id FROM visits WHERE step IN ('sms_sent', 'sms_unclear_asked') AND due_at < ? ORDER BY id", db.now())
	if err != nil {
		return 0, fmt.Errorf("finding expired reply windows: %w", err)
	}
	n := 0
	for _, id := range ids {
		if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("job:reply_windows"), id, visit.Event{Kind: visit.EventReplyWindowExpired}, cfg); err != nil {
			if errors.Is(err, domain.ErrConflict) && !errors.Is(err, errRetry) {
				continue // answered meanwhile
			}
			return n, err
		}
		n++
	}
	return n, nil
}

// StartNewVisits sends the satisfaction SMS of every visit not started
// yet (the system platform texts the parties, as the seed has it), or,
// for a party without a usable mobile, puts the visit on the command
// centre's phone list. It returns how many visits it started.
func (db *DB) StartNewVisits(ctx context.Context, cfg visit.Config) (int, error) {
	type nv struct {
		id    int64
		phone bool
	}
	todo, err := collect(ctx, db, func(row scanner) (v nv, err error) {
		var sealed string
		err = row.Scan(&v.id, &sealed)
		v.phone = sealed != ""
		return v, err
	}, `SELECT vi.id, COALESCE(p.phone_sealed, '') FROM visits vi LEFT JOIN parties p ON p.id = vi.party_id
		WHERE vi.step = 'new' ORDER BY vi.id LIMIT 5000`)
	if err != nil {
		return 0, fmt.Errorf("finding new visits: %w", err)
	}
	n := 0
	for _, v := range todo {
		ev := visit.Event{Kind: visit.EventStart}
		if !v.phone {
			ev.Kind = visit.EventStartPhone
		}
		if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("job:start_visits"), v.id, ev, cfg); err != nil {
			if errors.Is(err, domain.ErrConflict) && !errors.Is(err, errRetry) {
				continue // started meanwhile by hand
			}
			return n, err
		}
		n++
	}
	return n, nil
}

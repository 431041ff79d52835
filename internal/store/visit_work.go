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
// transaction of its own.
func (db *DB) AddFocusedVisit(ctx context.Context, v domain.Viewer, caseID int64, note string) (FocusAdded, error) {
	return inTx(ctx, db, v, func(tx *Tx) (FocusAdded, error) { return tx.AddFocusedVisit(ctx, caseID, note) })
}

// FocusAdded says what a manual listing did: visits started, and parties
// whose open visit took the reason instead.
type FocusAdded struct{ Created, Merged int }

// AddFocusedVisit lets tx's viewer, the command centre, add a case it
// sees for a focused visit by hand, with its reason. A party with a visit
// open keeps that one visit, and the reason joins it.
func (tx *Tx) AddFocusedVisit(ctx context.Context, caseID int64, note string) (FocusAdded, error) {
	v := tx.v
	if !visit.Runs(v) {
		return FocusAdded{}, domain.Errorf(domain.ErrForbidden, "只有执行指挥中心可以添加重点回访。")
	}
	k, err := caseRow(ctx, tx, v, "k.id = ?", caseID)
	if err != nil {
		return FocusAdded{}, err
	}
	if !visit.CanAddFocus(v, k.OfficerID) {
		return FocusAdded{}, domain.Errorf(domain.ErrForbidden, "不能为本人承办的案件添加重点回访。")
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return FocusAdded{}, domain.Invalid("note", "请说明重点回访的理由")
	}
	n, err := tx.createVisits(ctx, k.ID, visitReason{kind: "focused", reason: visit.ReasonManual, note: note})
	if err != nil {
		return FocusAdded{}, err
	}
	return FocusAdded{n.created, n.merged}, tx.Audit(ctx, Entry{Action: "visit.focus_manual", ObjectType: "case", ObjectID: k.Number, CourtPath: k.CourtPath, Success: true,
		Detail: fmt.Sprintf("%s（新建回访%d次，并入进行中的回访%d次）", note, n.created, n.merged)})
}

// FocusScan is one run of the focused scan.
type FocusScan struct {
	Court string      // a court code; "" for every court
	Today domain.Date // the day the scan runs as; zero for the store's today
	Rule  visit.FocusRule
}

// FocusedCase is a case that meets focused-visit criteria on the scan's day.
type FocusedCase struct {
	CaseID  int64
	Number  string
	Court   string
	Reasons []string // every criterion it meets (visit.FocusReasons)
	Started []string // the criteria this run visited it for; the others had their visit
}

// FocusReport is what a focused scan found and did.
type FocusReport struct {
	Cases   []FocusedCase
	Created int // visits started
	Merged  int // reasons joined to a visit already open for the party
}

// ScanFocused finds the cases meeting a focused-visit criterion on the
// scan's day (see visit.FocusRule.Hits) and visits each once per event:
// a case, criterion and event get one visit, however often the scan runs,
// and a party with a visit open gets the reason merged into it.
func (db *DB) ScanFocused(ctx context.Context, scan FocusScan) (FocusReport, error) {
	var rep FocusReport
	if err := scan.Rule.Validate(); err != nil {
		return rep, err
	}
	today := scan.Today
	if today.IsZero() {
		today = db.today()
	}
	cond, args := `(k.closed_on IS NULL OR k.closed_on >= ?) AND ((k.closed_on IS NULL AND k.filed_on <= ?)
		OR (k.has_property AND k.property_known AND k.due_on < ?) OR k.petition OR k.petition_since IS NOT NULL OR k.supervised_by <> '')`,
		[]any{scan.Rule.WindowStart(today), today.AddMonths(-18), today}
	if scan.Court != "" {
		cond += " AND c.code = ?"
		args = append(args, scan.Court)
	}
	type candidate struct {
		FocusedCase
		hits []visit.FocusHit
	}
	var cands []candidate
	err := each(ctx, db, func(row scanner) error {
		var c candidate
		var f visit.FocusFacts
		if err := row.Scan(&c.CaseID, &c.Number, &c.Court, &f.Filed, &f.Closed, &f.Due, &f.ClosingMode, &f.HasProperty, &f.PropertyKnown,
			&f.ClockStopped, &f.Petition, &f.PetitionSince, &f.SupervisedBy, &f.SupervisedSince); err != nil {
			return err
		}
		if c.hits = scan.Rule.Hits(f, today); len(c.hits) > 0 {
			cands = append(cands, c)
		}
		return nil
	}, `SELECT k.id, k.number, c.code, k.filed_on, k.closed_on, k.due_on, k.closing_mode, k.has_property, k.property_known, k.clock_stopped,
		k.petition, k.petition_since, k.supervised_by, k.supervised_since FROM cases k JOIN courts c ON c.id = k.court_id WHERE `+cond+" ORDER BY k.id", args...)
	if err != nil {
		return rep, fmt.Errorf("scanning for focused visits: %w", err)
	}
	// Chunks of 100 cases keep each write short, so that another writer —
	// a second process, a person's change — gets its turn between them.
	for start := 0; start < len(cands); start += 100 {
		chunk := cands[start:min(start+100, len(cands))]
		var found []FocusedCase
		var n visitsStarted
		err := db.updateRetrying(ctx, domain.SystemViewer("job:focused_visits"), func(tx *Tx) error {
			// Scans that run at once — a retried job beside a new leader's,
			// two servers, an operator's run — write one at a time, and each
			// case is checked again inside the writing transaction.
			if err := tx.lockFocused(ctx); err != nil {
				return err
			}
			ids := make([]int64, len(chunk))
			for i, c := range chunk {
				ids[i] = c.CaseID
			}
			last, err := tx.lastReasons(ctx, ids)
			if err != nil {
				return err
			}
			found, n = nil, visitsStarted{}
			for _, c := range chunk {
				fc := c.FocusedCase
				for _, h := range c.hits {
					fc.Reasons = append(fc.Reasons, h.Reason)
					if at, ok := last[reasonKey{c.CaseID, h.Reason}]; ok && !at.Before(beijingMidnight(h.Since)) {
						continue // visited for this event already
					}
					got, err := tx.createVisits(ctx, c.CaseID, visitReason{kind: "focused", reason: h.Reason, note: visit.FocusReasons[h.Reason]})
					if err != nil {
						return err
					}
					n.add(got)
					fc.Started = append(fc.Started, h.Reason)
				}
				found = append(found, fc)
			}
			if n.created+n.merged == 0 {
				return nil
			}
			return tx.Audit(ctx, Entry{Action: "visit.focus_scan", ObjectType: "visit", Success: true,
				Detail: fmt.Sprintf("重点回访（%s）：%d件案件，新建回访%d次，并入进行中的回访%d次", today, len(chunk), n.created, n.merged)})
		})
		if err != nil {
			return rep, err
		}
		rep.Cases = append(rep.Cases, found...)
		rep.Created += n.created
		rep.Merged += n.merged
	}
	return rep, nil
}

type reasonKey struct {
	caseID int64
	reason string
}

// lastReasons reads, for cases, when each was last visited for each
// reason. (MAX of a timestamp comes back as text on SQLite, so the latest
// is found here.)
func (tx *Tx) lastReasons(ctx context.Context, cases []int64) (map[reasonKey]time.Time, error) {
	out := map[reasonKey]time.Time{}
	if len(cases) == 0 {
		return out, nil
	}
	args := make([]any, len(cases))
	for i, id := range cases {
		args[i] = id
	}
	err := each(ctx, tx, func(row scanner) error {
		var k reasonKey
		var at time.Time
		if err := row.Scan(&k.caseID, &k.reason, &at); err != nil {
			return err
		}
		if at = at.UTC(); at.After(out[k]) {
			out[k] = at
		}
		return nil
	}, "SELECT case_id, reason, created_at FROM visit_reasons WHERE case_id IN ("+placeholders(len(cases))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("reading the cases' visits: %w", err)
	}
	return out, nil
}

// beijingMidnight is the instant day d begins in Beijing; the zero Date
// is the zero time (before every record).
func beijingMidnight(d domain.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, domain.Beijing).UTC()
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
	// The party visited and the visit's court, so that two visits of one
	// case read differently.
	PartyName string
	PartyRole domain.PartyRole
	Court     string
	Step      visit.Step
	Due       time.Time
}

// VisitTodos returns the open visits whose next step the viewer's roles
// owe: the command centre starts visits and makes phone visits; the three
// bodies of the visit's own court hold the consultation and record the
// on-site visit (a higher court's bodies see those visits, but owe them
// nothing).
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
		if err := row.Scan(&t.VisitID, &t.CaseNumber, &t.PartyName, &t.PartyRole, &t.Court, &t.Step, &due, &decisions); err != nil {
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
	}, "SELECT vi.id, k.number, vi.party_name, vi.party_role, c.name, vi.step, vi.due_at, vi.decisions"+visitFrom+" WHERE "+scope+
		" AND vi.step IN ("+strings.Join(steps, ",")+") AND (vi.step NOT IN ('consultation', 'onsite_pending') OR vi.court_id = ?)"+
		" ORDER BY vi.due_at IS NULL, vi.due_at, vi.id LIMIT ?", append(args, v.CourtID, limit*3)...)
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
			ev = visit.Event{Kind: visit.EventStartPhone, Reason: "当事人无可用手机号码"}
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

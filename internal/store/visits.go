package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// Visit is a return visit to one party of a case.
type Visit struct {
	ID           int64
	CaseID       int64
	CaseNumber   string
	PartyID      int64
	PartyRole    domain.PartyRole
	PartyName    string
	BatchID      int64
	Kind         string // daily or focused
	Reason       string // focused: the criterion (see visit.FocusReasons)
	ReasonNote   string
	CourtID      int64
	CourtCode    string
	CourtName    string
	CourtPath    string
	DepartmentID int64
	OfficerID    int64
	State        visit.State
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ClosedAt     time.Time
}

// VisitEvent is one line of a visit's record.
type VisitEvent struct {
	At     time.Time
	Kind   visit.EventKind
	Actor  string
	Role   domain.Role
	Step   visit.Step
	Detail map[string]any
}

// secretFromOfficers shuts a viewer out of the visits of every case he has
// handled as its officer, now or before (case_officers), whatever roles he
// holds. The subquery does not depend on the row, so both engines compute
// the (small) set once.
const secretFromOfficers = "vi.id NOT IN (SELECT v2.id FROM visits v2 JOIN case_officers co ON co.case_id = v2.case_id WHERE co.user_id = ?)"

// ownVisits is the opposite: the visits of the cases v has handled.
const ownVisits = "vi.id IN (SELECT v2.id FROM visits v2 JOIN case_officers co ON co.case_id = v2.case_id WHERE co.user_id = ?)"

// visitScope limits visits to what v may see. The watchdogs and the
// bureau see their court subtree, the command centre its court. Nobody
// sees a visit about themselves: every officer the case has had is shut
// out even when holding one of those roles.
func visitScope(v domain.Viewer) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	if !visit.CanSee(v) || v.CourtPath == "" {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看当事人回访。")
	}
	courts := "vi.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')"
	arg := any(likePrefix(v.CourtPath))
	if !visit.SeesSubtree(v) {
		courts, arg = "vi.court_id = ?", any(v.CourtID)
	}
	return "(" + courts + " AND " + secretFromOfficers + ")", []any{arg, v.UserID}, nil
}

// statsScope is visitScope for the statistics: when the viewer sees every
// court, the court condition (true of every visit) is left out so that the
// planner reads the statistics index by month alone.
func (db *DB) statsScope(ctx context.Context, a *statsAsk) (string, []any, error) {
	v := a.v
	scope, args, err := visitScope(v)
	if err != nil || v.System {
		return scope, args, err
	}
	all, err := a.seesAll(ctx)
	if err != nil || !all {
		return scope, args, err
	}
	// Nor the officers' condition, when the viewer has handled no case:
	// it would leave out no visit, and cost its subquery's walk.
	handled, err := a.hasHandled(ctx)
	if err != nil || !handled {
		return "1=1", nil, err
	}
	return secretFromOfficers, []any{v.UserID}, nil
}

const visitColumns = `vi.id, vi.case_id, k.number, COALESCE(vi.party_id, 0), vi.party_role, vi.party_name, COALESCE(vi.batch_id, 0), vi.kind, vi.reason,
	vi.reason_note, vi.court_id, c.code, c.name, c.path, COALESCE(vi.department_id, 0), COALESCE(vi.officer_id, 0), vi.step, vi.outcome, vi.no_reply,
	vi.due_at, vi.decisions, vi.phone_attempts, vi.created_by, vi.created_at, vi.updated_at, vi.closed_at`

const visitFrom = " FROM visits vi JOIN cases k ON k.id = vi.case_id JOIN courts c ON c.id = vi.court_id"

func scanVisit(sc interface{ Scan(...any) error }) (*Visit, error) {
	var vi Visit
	var due, closed sql.NullTime
	var decisions string
	err := sc.Scan(&vi.ID, &vi.CaseID, &vi.CaseNumber, &vi.PartyID, &vi.PartyRole, &vi.PartyName, &vi.BatchID, &vi.Kind, &vi.Reason,
		&vi.ReasonNote, &vi.CourtID, &vi.CourtCode, &vi.CourtName, &vi.CourtPath, &vi.DepartmentID, &vi.OfficerID, &vi.State.Step, &vi.State.Outcome,
		&vi.State.NoReply, &due, &decisions, &vi.State.PhoneAttempts, &vi.CreatedBy, &vi.CreatedAt, &vi.UpdatedAt, &closed)
	if err != nil {
		return nil, translate(err)
	}
	vi.State.Due, vi.ClosedAt = timeOf(due), timeOf(closed)
	vi.CreatedAt, vi.UpdatedAt = vi.CreatedAt.UTC(), vi.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(decisions), &vi.State.Decisions); err != nil {
		return nil, fmt.Errorf("visit %d decisions: %w", vi.ID, err)
	}
	return &vi, nil
}

// visitReason is why visits of a case are started: a batch's draw
// (kind daily) or a focused criterion with its note.
type visitReason struct {
	batchID int64
	kind    string // daily or focused
	reason  string // visit.ReasonDaily or a focused criterion
	note    string
	// partyID, when set, visits that party of the case only (a tracking
	// group's order), by phone if it has no mobile.
	partyID int64
}

// visitsStarted counts what createVisits did: visits created, and reasons
// merged into a visit already open for the party.
type visitsStarted struct{ created, merged int }

func (s *visitsStarted) add(t visitsStarted) { s.created += t.created; s.merged += t.merged }

// createVisits starts visits of a case: one per 申请执行人 and 被执行人 with
// a usable mobile, or, when nobody has one, one visit by phone to the
// first party (the command centre finds a number). A party has one open
// visit at a time: when one is open, the reason joins it instead (and a
// draw links its batch to it), so that no party gets the same question
// twice. Every reason is kept in visit_reasons.
func (tx *Tx) createVisits(ctx context.Context, caseID int64, why visitReason) (visitsStarted, error) {
	var started visitsStarted
	var courtID int64
	var deptID, officerID sql.NullInt64
	if err := tx.queryRow(ctx, "SELECT court_id, department_id, officer_id FROM cases WHERE id = ?", caseID).Scan(&courtID, &deptID, &officerID); err != nil {
		return started, fmt.Errorf("loading case for visits: %w", translate(err))
	}
	type target struct {
		id         int64
		role, name string
		phone      bool
	}
	all, err := collect(ctx, tx, func(row scanner) (t target, err error) {
		var sealed string
		err = row.Scan(&t.id, &t.role, &t.name, &sealed)
		t.phone = sealed != ""
		return t, err
	}, "SELECT id, role, name, phone_sealed FROM parties WHERE case_id = ? AND role IN ('applicant', 'respondent') ORDER BY position", caseID)
	if err != nil {
		return started, fmt.Errorf("loading parties for visits: %w", err)
	}
	var targets []target
	for _, t := range all {
		if t.phone && why.partyID == 0 || t.id == why.partyID {
			targets = append(targets, t)
		}
	}
	if len(targets) == 0 && len(all) > 0 && why.partyID == 0 {
		targets = all[:1]
	}
	now := tx.db.now()
	month := domain.DateOf(now, domain.Beijing).String()[:7]
	for _, t := range targets {
		var id int64
		err := tx.queryRow(ctx, "SELECT id FROM visits WHERE party_id = ? AND step <> 'closed' ORDER BY id LIMIT 1", t.id).Scan(&id)
		switch {
		case err == nil:
			started.merged++
			if why.batchID != 0 {
				if _, err := tx.exec(ctx, "UPDATE visits SET batch_id = COALESCE(batch_id, ?) WHERE id = ?", why.batchID, id); err != nil {
					return started, fmt.Errorf("linking the batch to an open visit: %w", err)
				}
			}
		case errors.Is(err, sql.ErrNoRows):
			err = tx.queryRow(ctx, `INSERT INTO visits (case_id, party_id, party_role, party_name, batch_id, kind, reason, reason_note, court_id, department_id,
				officer_id, step, created_by, created_at, updated_at, month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				caseID, t.id, t.role, t.name, nullID(why.batchID), why.kind, focusedOnly(why), focusedNote(why), courtID, deptID, officerID, visit.StepNew,
				actorName(tx.v), now, now, month).Scan(&id)
			if err != nil {
				return started, fmt.Errorf("creating visit: %w", translate(err))
			}
			started.created++
		default:
			return started, fmt.Errorf("finding the party's open visit: %w", translate(err))
		}
		if _, err := tx.exec(ctx, "INSERT INTO visit_reasons (visit_id, case_id, reason, note, batch_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			id, caseID, why.reason, why.note, nullID(why.batchID), actorName(tx.v), now); err != nil {
			return started, fmt.Errorf("recording the visit's reason: %w", err)
		}
	}
	if started.created > 0 {
		if err := tx.addRollup(ctx, rollupKey{month: month, court: courtID, kind: why.kind}, rollupCounts{started.created}); err != nil {
			return started, err
		}
	}
	return started, nil
}

// focusedOnly is the reason column of a new visit: the criterion of a
// focused visit, empty for a drawn one (as before visit_reasons).
func focusedOnly(why visitReason) string {
	if why.kind == "daily" {
		return ""
	}
	return why.reason
}

func focusedNote(why visitReason) string {
	if why.kind == "daily" {
		return ""
	}
	return why.note
}

// VisitReason is one reason a visit was started or joined for.
type VisitReason struct {
	Reason  string // visit.ReasonDaily or a focused criterion
	Note    string
	BatchID int64
	By      string
	At      time.Time
}

// VisitReasons returns the reasons of a visit v may see, oldest first.
func (db *DB) VisitReasons(ctx context.Context, v domain.Viewer, id int64) ([]VisitReason, error) {
	if _, err := visitRow(ctx, db, v, id); err != nil {
		return nil, err
	}
	out, err := collect(ctx, db, func(row scanner) (r VisitReason, err error) {
		err = row.Scan(&r.Reason, &r.Note, &r.BatchID, &r.By, &r.At)
		r.At = r.At.UTC()
		return r, err
	}, "SELECT reason, note, COALESCE(batch_id, 0), created_by, created_at FROM visit_reasons WHERE visit_id = ? ORDER BY id", id)
	if err != nil {
		return nil, fmt.Errorf("loading the visit's reasons: %w", err)
	}
	return out, nil
}

// VisitFilter narrows a visit listing.
type VisitFilter struct {
	Step         string // a visit.Step, "open", or "" / "all" for every step
	Kind         string
	BatchID      int64
	CaseID       int64
	Court        string // court code
	DepartmentID int64
	OfficerID    int64
	// From and To are months (YYYY-MM, inclusive) the visits began in.
	From, To string
	Page     PageReq
}

// VisitSorts are the orders of the visit list, newest first by default.
var VisitSorts = Sorts{Keys: map[string][]string{
	"created": {"vi.id"}, // creation order
	"case":    {"k.number"},
	"court":   {"c.path"},
	"party":   {"vi.party_name"},
	"step":    {"vi.step"},
	"due":     {"CASE WHEN vi.due_at IS NULL THEN 1 ELSE 0 END", "vi.due_at"},
}, Default: "created", DefaultDesc: true, Tie: "vi.id"}

// Visits lists every visit the viewer may see that f finds, newest first:
// for the program's own reads; a page shown to a user is VisitPage's.
func (db *DB) Visits(ctx context.Context, v domain.Viewer, f VisitFilter) ([]*Visit, error) {
	f.Page = PageReq{All: true}
	vs, _, err := db.VisitPage(ctx, v, f)
	return vs, err
}

// VisitPage lists a page of the visits the viewer may see that f finds,
// and how many it finds.
func (db *DB) VisitPage(ctx context.Context, v domain.Viewer, f VisitFilter) ([]*Visit, PageInfo, error) {
	scope, args, err := visitScope(v)
	if err != nil {
		return nil, PageInfo{}, err
	}
	where := []string{scope}
	switch f.Step {
	case "", "all":
	case "open":
		where = append(where, "vi.step <> 'closed'")
	default:
		where = append(where, "vi.step = ?")
		args = append(args, f.Step)
	}
	if f.Kind != "" {
		where = append(where, "vi.kind = ?")
		args = append(args, f.Kind)
	}
	if f.BatchID != 0 {
		where = append(where, "vi.batch_id = ?")
		args = append(args, f.BatchID)
	}
	if f.CaseID != 0 {
		where = append(where, "vi.case_id = ?")
		args = append(args, f.CaseID)
	}
	if f.Court != "" {
		where = append(where, "c.code = ?")
		args = append(args, f.Court)
	}
	if f.DepartmentID != 0 {
		where = append(where, "vi.department_id = ?")
		args = append(args, f.DepartmentID)
	}
	if f.OfficerID != 0 {
		where = append(where, "vi.officer_id = ?")
		args = append(args, f.OfficerID)
	}
	if f.From != "" {
		where = append(where, "vi.month >= ?")
		args = append(args, f.From)
	}
	if f.To != "" {
		where = append(where, "vi.month <= ?")
		args = append(args, f.To)
	}
	return listPage(ctx, db, scanVisit, visitColumns, visitFrom, strings.Join(where, " AND "), args, f.Page, VisitSorts, "visits")
}

// VisitByID returns a visit the viewer may see, with its record.
func (db *DB) VisitByID(ctx context.Context, v domain.Viewer, id int64) (*Visit, []VisitEvent, error) {
	vi, err := visitRow(ctx, db, v, id)
	if err != nil {
		return nil, nil, err
	}
	evs, err := collect(ctx, db, func(row scanner) (e VisitEvent, err error) {
		var detail string
		if err := row.Scan(&e.At, &e.Kind, &e.Actor, &e.Role, &e.Step, &detail); err != nil {
			return e, err
		}
		e.At = e.At.UTC()
		if err := json.Unmarshal([]byte(detail), &e.Detail); err != nil {
			return e, fmt.Errorf("visit %d: event detail: %w", id, err)
		}
		return e, nil
	}, "SELECT at, kind, actor, role, step, detail FROM visit_events WHERE visit_id = ? ORDER BY id", id)
	if err != nil {
		return nil, nil, fmt.Errorf("loading visit record: %w", err)
	}
	return vi, evs, nil
}

// visitRow reads a visit v may see, without its record, through q; a
// visit v may not see is not found.
func visitRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*Visit, error) {
	scope, args, err := visitScope(v)
	if err != nil {
		return nil, err
	}
	vi, err := scanVisit(q.queryRow(ctx, "SELECT "+visitColumns+visitFrom+" WHERE vi.id = ? AND "+scope, append([]any{id}, args...)...))
	if err != nil {
		return nil, fmt.Errorf("loading visit %d: %w", id, err)
	}
	return vi, nil
}

// VisitAnswers returns every answers record of a visit — each stage's:
// the SMS reply, the link, the phone visit, the on-site visit — oldest
// first, with who recorded it (the party for SMS and link answers).
func (db *DB) VisitAnswers(ctx context.Context, v domain.Viewer, id int64) ([]VisitAnswer, error) {
	if _, _, err := db.VisitByID(ctx, v, id); err != nil {
		return nil, err
	}
	out, err := collect(ctx, db, func(row scanner) (a VisitAnswer, err error) {
		var sat sql.NullBool
		var cats, items string
		if err := row.Scan(&a.Source, &sat, &cats, &items, &a.Answers.Text, &a.At, &a.Actor); err != nil {
			return a, err
		}
		if sat.Valid {
			b := sat.Bool
			a.Answers.Satisfied = &b
		}
		if cats != "" {
			a.Answers.Categories = strings.Split(cats, ",")
		}
		if items != "" {
			a.Answers.Items = strings.Split(items, ",")
		}
		a.At = a.At.UTC()
		return a, nil
	}, `SELECT a.source, a.satisfied, a.categories, a.items, a.text, a.at,
		COALESCE((SELECT e.actor FROM visit_events e WHERE e.visit_id = a.visit_id AND e.at = a.at ORDER BY e.id LIMIT 1), '')
		FROM visit_answers a WHERE a.visit_id = ? ORDER BY a.id`, id)
	if err != nil {
		return nil, fmt.Errorf("loading answers: %w", err)
	}
	return out, nil
}

// VisitAnswer is one answers record.
type VisitAnswer struct {
	Source  string // sms, link, phone or onsite
	Answers visit.Answers
	At      time.Time
	Actor   string // who recorded it
}

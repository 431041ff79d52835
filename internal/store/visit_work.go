package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
	// List asks for the cases found (FocusReport.Cases), as an operator's
	// run prints them; the daily job counts them only. Kept for a province
	// (48,526 cases at a million), the list and the scan's rows took the
	// server's Go heap to 44 MB.
	List bool
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
	Found   int           // cases meeting a criterion
	Cases   []FocusedCase // those cases, if FocusScan.List
	Created int           // visits started
	Merged  int           // reasons joined to a visit already open for the party
	Queued  int           // criteria newly put in the courts' queues by this run
	Waiting int           // criteria waiting in the scanned courts' queues after it

	windows int // windows of case ids read (for the tests)
}

// focusWindow is how many case ids the focused scan reads, queues and
// prunes at a time: a window's rows are all it holds, and each window's
// writes are one short transaction, so that another writer — a second
// process, a person's change — gets its turn between them. (A variable
// for the tests.)
var focusWindow int64 = 5000

// focusCandidate is a case the scan found, with its criteria.
type focusCandidate struct {
	FocusedCase
	courtID int64
	filed   string
	hits    []visit.FocusHit
}

// ScanFocused finds the cases meeting a focused-visit criterion on the
// scan's day (see visit.FocusRule.Hits), queues each case, criterion and
// event once, and then turns each court's queue into visits, the most
// urgent first (visit.FocusUrgency), up to the rule's daily capacity of
// cases per court: a court's first scan over years of history does not
// put them all on its command centre at once. A case, criterion and event
// get one visit, however often the scan runs; a party with a visit open
// gets the reason merged into it. Queued criteria a case no longer meets
// leave the queue. The statistics of the tables it wrote are refreshed.
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
	var courtID int64
	if scan.Court != "" {
		if err := db.queryRow(ctx, "SELECT id FROM courts WHERE code = ?", scan.Court).Scan(&courtID); err != nil {
			return rep, fmt.Errorf("court %s: %w", scan.Court, translate(err))
		}
		cond += " AND k.court_id = ?"
		args = append(args, courtID)
	}
	from := "cases k JOIN courts c ON c.id = k.court_id"
	if db.Engine == SQLite {
		// Each window is a range of ids. With its statistics SQLite
		// would read every matching case through the courts' index and
		// sort them, for each window: 35 s instead of 2 at a million
		// cases.
		from = "cases k NOT INDEXED CROSS JOIN courts c ON c.id = k.court_id"
	}
	q := `SELECT k.id, k.number, c.code, k.court_id, k.filed_on, k.closed_on, k.due_on, k.closing_mode, k.has_property, k.property_known, k.clock_stopped,
		k.petition, k.petition_since, k.supervised_by, k.supervised_since FROM ` + from + `
		WHERE k.id > ? AND k.id <= ? AND ` + cond + " ORDER BY k.id"
	var found []focusCandidate
	now := db.now()
	for after := int64(0); ; {
		// A window ends at the focusWindow-th case id after the last one,
		// however far apart ids are; the last window, with fewer, takes
		// in the cases added since the scan began.
		upTo := int64(math.MaxInt64)
		err := db.queryRow(ctx, "SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?", after, focusWindow-1).Scan(&upTo)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return rep, fmt.Errorf("scanning for focused visits: %w", err)
		}
		rep.windows++
		var cands []focusCandidate
		err = each(ctx, db, func(row scanner) error {
			var c focusCandidate
			var f visit.FocusFacts
			if err := row.Scan(&c.CaseID, &c.Number, &c.Court, &c.courtID, &f.Filed, &f.Closed, &f.Due, &f.ClosingMode, &f.HasProperty, &f.PropertyKnown,
				&f.ClockStopped, &f.Petition, &f.PetitionSince, &f.SupervisedBy, &f.SupervisedSince); err != nil {
				return err
			}
			if c.hits = scan.Rule.Hits(f, today); len(c.hits) > 0 {
				c.filed = f.Filed.String()
				cands = append(cands, c)
			}
			return nil
		}, q, append([]any{after, upTo}, args...)...)
		if err != nil {
			return rep, fmt.Errorf("scanning for focused visits: %w", err)
		}
		queued := 0
		err = db.updateRetrying(ctx, domain.SystemViewer("job:focused_visits"), func(tx *Tx) (err error) {
			queued, err = tx.queueFocused(ctx, cands, after, upTo, courtID, now)
			return err
		})
		if err != nil {
			return rep, err
		}
		rep.Queued += queued
		rep.Found += len(cands)
		if scan.List {
			found = append(found, cands...)
		}
		if upTo == math.MaxInt64 {
			break
		}
		after = upTo
	}
	courts, err := collect(ctx, db, scanID, "SELECT DISTINCT court_id FROM visit_focus_queue WHERE released_on IS NULL AND (? = 0 OR court_id = ?) ORDER BY court_id", courtID, courtID)
	if err != nil {
		return rep, fmt.Errorf("reading the focused-visit queues: %w", err)
	}
	started := map[int64][]string{}
	for _, c := range courts {
		if err := db.releaseFocused(ctx, c, today, scan.Rule.DailyCapacity, started, &rep); err != nil {
			return rep, err
		}
	}
	for _, c := range found {
		fc := c.FocusedCase
		for _, h := range c.hits {
			fc.Reasons = append(fc.Reasons, h.Reason)
		}
		fc.Started = started[c.CaseID]
		rep.Cases = append(rep.Cases, fc)
	}
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM visit_focus_queue WHERE released_on IS NULL AND (? = 0 OR court_id = ?)", courtID, courtID).Scan(&rep.Waiting); err != nil {
		return rep, fmt.Errorf("counting the focused-visit queues: %w", err)
	}
	if rep.Queued+rep.Created+rep.Merged > 0 {
		if err := db.AnalyzeTables(ctx, "visits", "visit_reasons", "visit_focus_queue"); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// queueFocused queues what the window's candidates (cands) are not visited yet
// for (its event), and takes out of the waiting queue (of court, or of
// every court for 0) the criteria and events of the window's cases (ids
// after..upTo) that the scan no longer found. It returns how many criteria it queued.
func (tx *Tx) queueFocused(ctx context.Context, cands []focusCandidate, after, upTo, court int64, now time.Time) (int, error) {
	// Scans that run at once — a retried job beside a new leader's, two
	// servers, an operator's run — write one at a time.
	if err := tx.lockFocused(ctx); err != nil {
		return 0, err
	}
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.CaseID
	}
	last, err := tx.lastReasons(ctx, ids)
	if err != nil {
		return 0, err
	}
	hit := map[focusKey]bool{}
	var rows []any
	for _, c := range cands {
		for _, h := range c.hits {
			k := focusKey{c.CaseID, h.Reason, sinceText(h.Since)}
			hit[k] = true
			if at, ok := last[reasonKey{c.CaseID, h.Reason}]; ok && !at.Before(beijingMidnight(h.Since)) {
				continue // visited for this event already
			}
			rows = append(rows, c.CaseID, h.Reason, k.since, c.courtID, visit.FocusUrgency(h.Reason), c.filed, now)
		}
	}
	queued := 0
	for len(rows) > 0 {
		part := rows[:min(len(rows), 7*100)]
		rows = rows[len(part):]
		res, err := tx.exec(ctx, "INSERT INTO visit_focus_queue (case_id, reason, since, court_id, urgency, filed_on, queued_at) VALUES "+
			valuesList(len(part)/7, 7)+" ON CONFLICT DO NOTHING", part...)
		if err != nil {
			return 0, fmt.Errorf("queueing focused visits: %w", err)
		}
		n, _ := res.RowsAffected()
		queued += int(n)
	}
	waiting, err := collect(ctx, tx, func(row scanner) (focusKey, error) {
		var k focusKey
		err := row.Scan(&k.caseID, &k.reason, &k.since)
		return k, err
	}, "SELECT case_id, reason, since FROM visit_focus_queue WHERE case_id > ? AND case_id <= ? AND released_on IS NULL AND (? = 0 OR court_id = ?)", after, upTo, court, court)
	if err != nil {
		return 0, fmt.Errorf("reading the focused-visit queue: %w", err)
	}
	for _, k := range waiting {
		if hit[k] {
			continue
		}
		if _, err := tx.exec(ctx, "DELETE FROM visit_focus_queue WHERE case_id = ? AND reason = ? AND since = ? AND released_on IS NULL", k.caseID, k.reason, k.since); err != nil {
			return 0, fmt.Errorf("pruning the focused-visit queue: %w", err)
		}
	}
	return queued, nil
}

// focusKey is a queued case, criterion and event.
type focusKey struct {
	caseID int64
	reason string
	since  string
}

// sinceText is an event's day as the queue keeps it: "" when unknown.
func sinceText(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// releaseFocused turns the most urgent waiting cases of a court into
// visits, up to capacity cases a day (counting those released earlier
// that day; no limit when capacity is 0), 100 cases a transaction. Every
// waiting criterion of a released case is visited together, in the seed's
// order, so that its parties are texted once. started collects the
// criteria visited per case.
func (db *DB) releaseFocused(ctx context.Context, court int64, today domain.Date, capacity int, started map[int64][]string, rep *FocusReport) error {
	day := today.String()
	for {
		var n visitsStarted
		var done bool
		var got map[int64][]string
		err := db.updateRetrying(ctx, domain.SystemViewer("job:focused_visits"), func(tx *Tx) error {
			n, done, got = visitsStarted{}, false, map[int64][]string{}
			if err := tx.lockFocused(ctx); err != nil {
				return err
			}
			take := 100
			if capacity > 0 {
				var released int
				if err := tx.queryRow(ctx, "SELECT COUNT(DISTINCT case_id) FROM visit_focus_queue WHERE court_id = ? AND released_on = ?", court, day).Scan(&released); err != nil {
					return fmt.Errorf("counting today's focused visits: %w", err)
				}
				take = min(take, capacity-released)
			}
			if take <= 0 {
				done = true
				return nil
			}
			// The next cases: a case with several criteria comes up at its
			// most urgent one, so a few more rows than cases are read.
			var ids []int64
			err := each(ctx, tx, func(row scanner) error {
				var id int64
				if err := row.Scan(&id); err != nil {
					return err
				}
				if len(ids) < take && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
				return nil
			}, "SELECT case_id FROM visit_focus_queue WHERE court_id = ? AND released_on IS NULL ORDER BY urgency, filed_on, case_id LIMIT ?", court, take*len(visit.ScannedReasons))
			if err != nil {
				return fmt.Errorf("reading the focused-visit queue: %w", err)
			}
			if len(ids) < take {
				done = true
			}
			if len(ids) == 0 {
				return nil
			}
			args := make([]any, len(ids))
			for i, id := range ids {
				args[i] = id
			}
			type waiting struct {
				caseID        int64
				reason, since string
			}
			rows, err := collect(ctx, tx, func(row scanner) (w waiting, err error) {
				err = row.Scan(&w.caseID, &w.reason, &w.since)
				return w, err
			}, "SELECT case_id, reason, since FROM visit_focus_queue WHERE released_on IS NULL AND case_id IN ("+placeholders(len(ids))+")", args...)
			if err != nil {
				return fmt.Errorf("reading the focused-visit queue: %w", err)
			}
			order := func(r string) int { return slices.Index(visit.ScannedReasons, r) }
			slices.SortFunc(rows, func(a, b waiting) int {
				if c := cmp.Compare(slices.Index(ids, a.caseID), slices.Index(ids, b.caseID)); c != 0 {
					return c
				}
				return cmp.Compare(order(a.reason), order(b.reason))
			})
			last, err := tx.lastReasons(ctx, ids)
			if err != nil {
				return err
			}
			for _, w := range rows {
				since, _ := domain.ParseDate(w.since)
				if at, ok := last[reasonKey{w.caseID, w.reason}]; !ok || at.Before(beijingMidnight(since)) {
					s, err := tx.createVisits(ctx, w.caseID, visitReason{kind: "focused", reason: w.reason, note: visit.FocusReasons[w.reason]})
					if err != nil {
						return err
					}
					n.add(s)
					got[w.caseID] = append(got[w.caseID], w.reason)
				}
				if _, err := tx.exec(ctx, "UPDATE visit_focus_queue SET released_on = ? WHERE case_id = ? AND reason = ? AND since = ?", day, w.caseID, w.reason, w.since); err != nil {
					return fmt.Errorf("releasing a focused visit: %w", err)
				}
			}
			if n.created+n.merged == 0 {
				return nil
			}
			return tx.Audit(ctx, Entry{Action: "visit.focus_scan", ObjectType: "visit", Success: true,
				Detail: fmt.Sprintf("重点回访（%s）：%d件案件，新建回访%d次，并入进行中的回访%d次", today, len(ids), n.created, n.merged)})
		})
		if err != nil {
			return err
		}
		for id, rs := range got {
			started[id] = append(started[id], rs...)
		}
		rep.Created += n.created
		rep.Merged += n.merged
		if done {
			return nil
		}
	}
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
	if !visit.CanSee(v) {
		return nil, nil
	}
	q, args, err := visitTodoQuery(v, limit)
	if err != nil || q == "" {
		return nil, err
	}
	out, err := db.visitTodoRows(ctx, v, limit, q, args...)
	if err != nil {
		return nil, err
	}
	sortVisitTodos(out)
	return out[:min(len(out), limit)], nil
}

// visitTodoQuery is VisitTodos' statement for v, its first limit rows;
// "" when v owes no step.
//
// One statement: per step owed and per deadline set or not, the first
// rows of an index in deadline order, merged here: never a sort of
// every open visit. The consultation and on-site visit are owed by the
// visit's own court's bodies, and a viewer who sees no subtree sees
// his court's visits only: those read visits_todo (court_id, step,
// due_at, id), and visits_todo_undated (court_id, step, id) for the
// visits without a deadline, from the start. A subtree's steps read
// visits_step (step, due_at) and visits_step_undated (step, id) and
// keep the courts it sees. The parts are one statement (UNION ALL of
// subqueries, each keeping its own ORDER BY and LIMIT) so that the page
// pays one round trip, not four. The plans of the command centre's
// parts (BenchmarkHomePage, 100,000 synthetic cases, logged with -v):
//
//	PostgreSQL: Limit -> Nested Loop Anti Join -> Nested Loop ->
//	  Index Scan using visits_todo on visits vi
//	    Index Cond: ((court_id = $0) AND (step = 'new') AND (due_at IS NOT NULL))
//	  (before the index: Sort Key: vi.due_at, vi.id over an Index Scan
//	  using visits_step, Filter: (court_id = $0)); the undated part's
//	  generic plan (a cached statement's) walked visits_pkey over every
//	  visit before visits_todo_undated (migration 00054).
//	SQLite: SEARCH vi USING INDEX visits_todo (court_id=? AND step=? AND due_at>?)
//
// The steps are written into the statement, not bound: they are the
// package's constants (visit.StepsOwed), one text per set of roles.
// PostgreSQL plans a prepared statement for its parameters five times,
// then keeps a generic plan if it costs no more than those did; with
// the step a parameter the generic plan was costed for any step against
// custom plans for the rare ones (a consultation), so the bureau's and
// the watchdog's to-do were planned anew on every request: 1.3–2.2 ms
// of planning for 0.1–0.3 ms of execution, at a million cases, in a
// home page that cost the server about 3 ms in all. With the steps
// written, the sixth execution and every one after take the generic
// plan: planning 0.02–0.06 ms, execution 0.06–0.11 ms (psql, PREPARE
// and EXECUTE of the bureau's statement, 2026-12-02).
func visitTodoQuery(v domain.Viewer, limit int) (string, []any, error) {
	owed := visit.StepsOwed(v)
	if len(owed) == 0 {
		return "", nil, nil
	}
	scope, scopeArgs, err := visitScope(v)
	if err != nil {
		return "", nil, err
	}
	const cols = "SELECT vi.id, k.number, vi.party_name, vi.party_role, c.name, vi.step, vi.due_at, vi.decisions" + visitFrom
	const secret = " AND NOT EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = vi.case_id AND co.user_id = ?)"
	var parts []string
	var all []any
	for i, step := range owed {
		if !step.Known() {
			return "", nil, fmt.Errorf("visit to-dos: unknown step %q", step)
		}
		// A part gives the merge at most limit rows; a consultation's may
		// be left out (the viewer's bodies decided), so more are read.
		n := limit
		if step == visit.StepConsultation {
			n = limit * 3
		}
		where, args := "vi.court_id = ? AND vi.step = '"+string(step)+"'"+secret, []any{v.CourtID, v.UserID}
		if visit.SeesSubtree(v) && step != visit.StepConsultation && step != visit.StepOnsitePending {
			where, args = "vi.step = '"+string(step)+"' AND "+scope, scopeArgs
		}
		parts = append(parts,
			fmt.Sprintf("SELECT * FROM (%s WHERE %s AND vi.due_at IS NOT NULL ORDER BY vi.due_at, vi.id LIMIT ?) AS dated%d", cols, where, i),
			fmt.Sprintf("SELECT * FROM (%s WHERE %s AND vi.due_at IS NULL ORDER BY vi.id LIMIT ?) AS undated%d", cols, where, i))
		all = append(append(append(append(all, args...), n), args...), n)
	}
	return strings.Join(parts, " UNION ALL "), all, nil
}

// sortVisitTodos puts to-dos in deadline order, those without one last.
func sortVisitTodos(ts []VisitTodo) {
	slices.SortStableFunc(ts, func(a, b VisitTodo) int {
		if a.Due.IsZero() != b.Due.IsZero() {
			if a.Due.IsZero() {
				return 1
			}
			return -1
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return cmp.Compare(a.VisitID, b.VisitID)
	})
}

// visitTodoRows reads the to-dos of one of VisitTodos' queries, keeping
// a consultation only while one of the viewer's bodies has not decided.
//
// Only the first keep in deadline order are wanted: the parts give up to
// keep each (a consultation's three times that), so the rows are cut to
// the first keep whenever twice that have come, and the slice never
// holds more. Collecting every row of the command centre's eight parts had
// been a fifth of its home page's garbage (pprof at 100,000 cases).
func (db *DB) visitTodoRows(ctx context.Context, v domain.Viewer, keep int, q string, args ...any) ([]VisitTodo, error) {
	keep = max(keep, 1)
	// The slice starts small: made at its full size it was 22 KB zeroed
	// and scanned a request however few visits waited, 2 % of the
	// bureau's home page's CPU (pprof, 100,000 cases).
	out := make([]VisitTodo, 0, min(2*keep, 16))
	// One set of scan targets for every row, copied into out: a row's own
	// would each be a few allocations, for hundreds of rows a page.
	var t VisitTodo
	var due sql.NullTime
	var decisions string
	dest := []any{&t.VisitID, &t.CaseNumber, &t.PartyName, &t.PartyRole, &t.Court, &t.Step, &due, &decisions}
	err := each(ctx, db, func(row scanner) error {
		if err := row.Scan(dest...); err != nil {
			return err
		}
		t.Due = timeOf(due)
		if t.Step == visit.StepConsultation {
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
		if len(out) == 2*keep {
			sortVisitTodos(out)
			out = out[:keep]
		}
		return nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing visit to-dos: %w", err)
	}
	return out, nil
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

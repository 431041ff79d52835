package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

// PatrolRun is what one run of the patrol over a court found.
type PatrolRun struct {
	Court    string
	On       domain.Date
	Cases    int                // cases looked at
	Findings []tracking.Finding // what the rules produce on the day, in case order
	New      int                // findings first found by this run
	Reopened int                // resolved findings found again
	Resolved int                // findings no longer produced
}

// patrolChunk is how many cases the patrol reads at once.
const patrolChunk = 500

// RunPatrol runs the patrol rules over every case of the court (not only
// tracked ones) as of the day on and stores what they find: a finding
// found before keeps its row and its first date; one no longer produced
// by a rule that ran is resolved with the date, never deleted. The daily
// job and `zhilian patrol` call it; the viewer must see the court's
// findings.
func (db *DB) RunPatrol(ctx context.Context, v domain.Viewer, court string, on domain.Date, rules tracking.PatrolRules) (*PatrolRun, error) {
	var courtID int64
	var path string
	if err := translate(db.queryRow(ctx, "SELECT id, path FROM courts WHERE code = ?", court).Scan(&courtID, &path)); err != nil {
		return nil, fmt.Errorf("finding court %s: %w", court, err)
	}
	if !tracking.CanSeeFindings(v, path) {
		return nil, domain.Errorf(domain.ErrForbidden, "您无权对%s开展网上巡查。", court)
	}
	run := &PatrolRun{Court: court, On: on}
	ids, err := collect(ctx, db, scanID, "SELECT id FROM cases WHERE court_id = ? ORDER BY id", courtID)
	if err != nil {
		return nil, fmt.Errorf("listing cases of %s: %w", court, err)
	}
	limits := db.limits()
	for start := 0; start < len(ids); start += patrolChunk {
		facts, err := db.patrolFacts(ctx, ids[start:min(start+patrolChunk, len(ids))])
		if err != nil {
			return nil, err
		}
		for _, f := range facts {
			run.Findings = append(run.Findings, rules.Patrol(f, limits, on)...)
		}
		run.Cases += len(facts)
	}
	err = db.Update(ctx, v, func(tx *Tx) error { return tx.storeFindings(ctx, courtID, path, run, rules) })
	if err != nil {
		return nil, err
	}
	return run, nil
}

// patrolFacts reads the cases with the given ids, their nodes, ledgers and
// acts.
func (db *DB) patrolFacts(ctx context.Context, ids []int64) ([]tracking.CaseFacts, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := "(" + placeholders(len(ids)) + ")"
	cases, err := collect(ctx, db, func(row scanner) (*domain.Case, error) { return scanCase(row) },
		"SELECT "+caseColumns+caseFrom+" WHERE k.id IN "+in+" ORDER BY k.id", args...)
	if err != nil {
		return nil, fmt.Errorf("loading cases: %w", err)
	}
	facts := make([]tracking.CaseFacts, len(cases))
	byID := map[int64]*tracking.CaseFacts{}
	for i, k := range cases {
		facts[i].Case = k
		byID[k.ID] = &facts[i]
	}
	err = each(ctx, db, func(row scanner) error {
		var id int64
		var n domain.Node
		if err := row.Scan(&id, &n.Kind, &n.On, &n.Note); err != nil {
			return err
		}
		byID[id].Case.Nodes = append(byID[id].Case.Nodes, n)
		return nil
	}, "SELECT case_id, kind, on_date, note FROM case_nodes WHERE case_id IN "+in+" ORDER BY on_date, id", args...)
	if err != nil {
		return nil, fmt.Errorf("loading nodes: %w", err)
	}
	err = each(ctx, db, func(row scanner) error {
		var id int64
		var p deadline.Pause
		if err := row.Scan(&id, &p.Kind, &p.Basis, &p.Start, &p.End); err != nil {
			return err
		}
		byID[id].Pauses = append(byID[id].Pauses, p)
		return nil
	}, "SELECT case_id, kind, basis, start_on, end_on FROM case_pauses WHERE case_id IN "+in+" ORDER BY start_on, id", args...)
	if err != nil {
		return nil, fmt.Errorf("loading pauses: %w", err)
	}
	err = each(ctx, db, func(row scanner) error {
		var id int64
		var e deadline.Extension
		var unit string
		if err := row.Scan(&id, &e.Amount, &unit, &e.ApprovedOn, &e.Basis); err != nil {
			return err
		}
		var err error
		if e.Unit, err = deadline.ParseUnit(unit); err != nil {
			return fmt.Errorf("extension of case %d: %w", id, err)
		}
		byID[id].Extensions = append(byID[id].Extensions, e)
		return nil
	}, "SELECT case_id, amount, unit, approved_on, basis FROM case_extensions WHERE case_id IN "+in+" ORDER BY approved_on, id", args...)
	if err != nil {
		return nil, fmt.Errorf("loading extensions: %w", err)
	}
	err = each(ctx, db, func(row scanner) error {
		var id int64
		var a tracking.Act
		if err := row.Scan(&id, &a.Kind, &a.On, &a.Amount, &a.Note); err != nil {
			return err
		}
		byID[id].Acts = append(byID[id].Acts, a)
		return nil
	}, "SELECT case_id, "+actColumns+" FROM case_acts WHERE case_id IN "+in+" ORDER BY on_date, position", args...)
	if err != nil {
		return nil, fmt.Errorf("loading acts: %w", err)
	}
	return facts, nil
}

type storedKey struct {
	caseID        int64
	rule, subject string
}

// storeFindings writes a run's findings over what the court had: new ones
// open, known ones moved by tracking.NextFinding, and one audit record for
// the run.
func (tx *Tx) storeFindings(ctx context.Context, courtID int64, path string, run *PatrolRun, rules tracking.PatrolRules) error {
	type old struct {
		id    int64
		state tracking.FindingState
	}
	have := map[storedKey]old{}
	err := each(ctx, tx, func(row scanner) error {
		var k storedKey
		var o old
		if err := row.Scan(&o.id, &k.caseID, &k.rule, &k.subject, &o.state); err != nil {
			return err
		}
		have[k] = o
		return nil
	}, "SELECT id, case_id, rule, subject, state FROM patrol_findings WHERE court_id = ?", courtID)
	if err != nil {
		return fmt.Errorf("loading findings: %w", err)
	}
	now := tx.db.now()
	found := map[storedKey]bool{}
	for _, f := range run.Findings {
		k := storedKey{f.CaseID, f.Rule, f.Subject}
		found[k] = true
		o, ok := have[k]
		if !ok {
			_, err := tx.exec(ctx, `INSERT INTO patrol_findings (court_id, case_id, rule, subject, title, aspect, detail, state, first_found, last_found, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, courtID, f.CaseID, f.Rule, f.Subject, f.Title, string(f.Aspect), f.Detail, string(tracking.FindingOpen), run.On, run.On, now)
			if err != nil {
				return fmt.Errorf("adding finding: %w", err)
			}
			run.New++
			continue
		}
		next, err := tracking.NextFinding(o.state, tracking.FindingFound, "")
		if err != nil {
			return err
		}
		if next != o.state {
			run.Reopened++
		}
		_, err = tx.exec(ctx, `UPDATE patrol_findings SET title = ?, aspect = ?, detail = ?, state = ?, last_found = ?,
			resolved_on = CASE WHEN ? THEN NULL ELSE resolved_on END, updated_at = ? WHERE id = ?`,
			f.Title, string(f.Aspect), f.Detail, string(next), run.On, next != o.state, now, o.id)
		if err != nil {
			return fmt.Errorf("updating finding: %w", err)
		}
	}
	for k, o := range have {
		if found[k] {
			continue
		}
		// A rule that did not run has not found the finding gone.
		if r, ok := rules.Find(k.rule); !ok || !r.On {
			continue
		}
		next, err := tracking.NextFinding(o.state, tracking.FindingGone, "")
		if err != nil {
			return err
		}
		if next == o.state {
			continue
		}
		if _, err := tx.exec(ctx, "UPDATE patrol_findings SET state = ?, resolved_on = ?, updated_at = ? WHERE id = ?", string(next), run.On, now, o.id); err != nil {
			return fmt.Errorf("resolving finding: %w", err)
		}
		run.Resolved++
	}
	return tx.Audit(ctx, Entry{Action: "patrol.run", ObjectType: "court", ObjectID: run.Court, CourtPath: path, Success: true,
		Detail: fmt.Sprintf("%s网上巡查：案件%d件，问题%d项，其中新发现%d项、再次出现%d项，已消除%d项", run.On, run.Cases, len(run.Findings), run.New, run.Reopened, run.Resolved)})
}

// StoredFinding is a patrol finding as stored, with its case.
type StoredFinding struct {
	ID         int64
	CaseID     int64
	CaseNo     string
	CourtCode  string
	CourtName  string
	CourtPath  string
	Rule       string
	Subject    string
	Title      string
	Aspect     tracking.Aspect
	Detail     string
	State      tracking.FindingState
	FirstFound domain.Date
	LastFound  domain.Date
	ResolvedOn domain.Date
	Reason     string
	DecidedBy  string
	DecidedAt  time.Time
}

const findingColumns = `f.id, f.case_id, k.number, c.code, c.name, c.path, f.rule, f.subject, f.title, f.aspect, f.detail, f.state,
	f.first_found, f.last_found, f.resolved_on, f.reason, COALESCE(u.name, ''), f.decided_at`

const findingFrom = ` FROM patrol_findings f JOIN cases k ON k.id = f.case_id JOIN courts c ON c.id = f.court_id
	LEFT JOIN users u ON u.id = f.decided_by`

// findingCountFrom is findingFrom for counting: a finding's case always
// exists (patrol_findings.case_id references cases, ON DELETE CASCADE)
// and findingScope and the filters read only the finding and its court,
// so the counts need neither the case nor the user who decided. On
// PostgreSQL at a million cases the command centre's to-do count
// (OpenFindings) planned in 0.29 ms and ran in 0.155 with the case
// joined, 0.10 and 0.045 without; PostgreSQL plans that statement anew
// on every execution (its generic plan is costed higher), so the
// planning counts on every home page of a command centre.
const findingCountFrom = ` FROM patrol_findings f JOIN courts c ON c.id = f.court_id`

func scanFinding(row scanner) (*StoredFinding, error) {
	var f StoredFinding
	var at sql.NullTime
	if err := row.Scan(&f.ID, &f.CaseID, &f.CaseNo, &f.CourtCode, &f.CourtName, &f.CourtPath, &f.Rule, &f.Subject, &f.Title, &f.Aspect, &f.Detail,
		&f.State, &f.FirstFound, &f.LastFound, &f.ResolvedOn, &f.Reason, &f.DecidedBy, &at); err != nil {
		return nil, err
	}
	f.DecidedAt = timeOf(at)
	return &f, nil
}

// findingScope limits findings (alias f, its case k, its court c) to what
// v may see: the command centre its court's, the bureau and the watchdogs
// their subtree's, and never a finding on a case the viewer has handled,
// whatever roles he holds.
func findingScope(v domain.Viewer) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	var conds []string
	var args []any
	switch {
	case v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) && v.CourtPath != "":
		conds, args = append(conds, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"), append(args, likePrefix(v.CourtPath))
	case v.Has(domain.RoleCommandCenter) && v.CourtID != 0:
		conds, args = append(conds, "f.court_id = ?"), append(args, v.CourtID)
	default:
		return "", nil, domain.Errorf(domain.ErrForbidden, "网上巡查结果仅供执行指挥中心、执行局、纪检监察组和监察室查看。")
	}
	conds, args = append(conds, "f.case_id NOT IN (SELECT case_id FROM case_officers WHERE user_id = ?)"), append(args, v.UserID)
	return strings.Join(conds, " AND "), args, nil
}

// FindingFilter selects findings; empty fields select all.
type FindingFilter struct {
	Court  string // court code
	Rule   string
	State  tracking.FindingState
	Aspect tracking.Aspect
	Page   PageReq
}

// FindingSorts are the orders of the findings list: by default the open
// ones first, then the latest found.
var FindingSorts = Sorts{Keys: map[string][]string{
	"open":  {"CASE WHEN f.state = 'open' THEN 0 ELSE 1 END", "-f.first_found", "k.number", "f.rule", "f.subject"},
	"found": {"f.first_found"},
	"case":  {"k.number"},
	"rule":  {"f.rule"},
}, Default: "open", Tie: "f.id"}

// FindingPage is a list of findings and the counts by rule and state of
// all the findings the filter's court, aspect and state allow.
type FindingPage struct {
	Findings []*StoredFinding
	ByRule   map[string]int
	ByState  map[tracking.FindingState]int
	Total    int
	Info     PageInfo
}

// Findings lists the page f.Page of the patrol findings v may see, open
// ones first, then by when they were first found, newest first, and counts
// them all.
func (db *DB) Findings(ctx context.Context, v domain.Viewer, f FindingFilter) (*FindingPage, error) {
	scope, args, err := findingScope(v)
	if err != nil {
		return nil, err
	}
	where := " WHERE " + scope
	if f.Court != "" {
		where, args = where+" AND c.code = ?", append(args, f.Court)
	}
	if f.Aspect != "" {
		where, args = where+" AND f.aspect = ?", append(args, string(f.Aspect))
	}
	page := &FindingPage{ByRule: map[string]int{}, ByState: map[tracking.FindingState]int{}}
	err = each(ctx, db, func(row scanner) error {
		var rule string
		var state tracking.FindingState
		var n int
		if err := row.Scan(&rule, &state, &n); err != nil {
			return err
		}
		page.ByState[state] += n
		if f.State == "" || state == f.State {
			page.ByRule[rule] += n
			if f.Rule == "" || rule == f.Rule {
				page.Total += n
			}
		}
		return nil
	}, "SELECT f.rule, f.state, COUNT(*)"+findingCountFrom+where+" GROUP BY f.rule, f.state", args...)
	if err != nil {
		return nil, fmt.Errorf("counting findings: %w", err)
	}
	if f.Rule != "" {
		where, args = where+" AND f.rule = ?", append(args, f.Rule)
	}
	if f.State != "" {
		where, args = where+" AND f.state = ?", append(args, string(f.State))
	}
	page.Findings, page.Info, err = listPage(ctx, db, scanFinding, findingColumns, findingFrom, strings.TrimPrefix(where, " WHERE "), args, f.Page, FindingSorts, "findings")
	if err != nil {
		return nil, err
	}
	return page, nil
}

// FindingsForCase returns the patrol findings of a case the viewer may
// read. A viewer who may read the case but not its findings (its officer,
// his department head) gets none, and learns nothing of whether there are.
func (db *DB) FindingsForCase(ctx context.Context, v domain.Viewer, caseID int64) ([]*StoredFinding, error) {
	k, err := caseRow(ctx, db, v, "k.id = ?", caseID)
	if err != nil {
		return nil, err
	}
	return db.FindingsOfCase(ctx, v, k)
}

// FindingsOfCase is FindingsForCase for a case v has just been given by
// CaseByID or CaseWithLedger (which checked that he may read it), without
// reading the case again.
func (db *DB) FindingsOfCase(ctx context.Context, v domain.Viewer, k *domain.Case) ([]*StoredFinding, error) {
	caseID := k.ID
	if !tracking.CanSeeFindings(v, k.CourtPath) {
		return nil, nil
	}
	scope, args, err := findingScope(v)
	if err != nil {
		return nil, nil //nolint:nilerr // a viewer without the roles sees no findings, which is no error
	}
	return collect(ctx, db, scanFinding, "SELECT "+findingColumns+findingFrom+" WHERE f.case_id = ? AND "+scope+
		" ORDER BY CASE WHEN f.state = 'open' THEN 0 ELSE 1 END, f.first_found, f.rule, f.subject", append([]any{caseID}, args...)...)
}

// Finding returns one finding v may see; any other is not found.
func (db *DB) Finding(ctx context.Context, v domain.Viewer, id int64) (*StoredFinding, error) {
	return findingRow(ctx, db, v, id)
}

func findingRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*StoredFinding, error) {
	scope, args, err := findingScope(v)
	if err != nil {
		return nil, fmt.Errorf("loading finding %d: %w", id, domain.ErrNotFound)
	}
	f, err := scanFinding(q.queryRow(ctx, "SELECT "+findingColumns+findingFrom+" WHERE f.id = ? AND "+scope, append([]any{id}, args...)...))
	if err != nil {
		return nil, fmt.Errorf("loading finding %d: %w", id, translate(err))
	}
	return f, nil
}

// DecideFinding confirms or dismisses a finding, as v.
func (db *DB) DecideFinding(ctx context.Context, v domain.Viewer, id int64, ev tracking.FindingEventKind, reason string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.DecideFinding(ctx, id, ev, reason) })
}

// DecideFinding confirms or dismisses (with a reason) an open finding the
// viewer sees, as tracking.FindingActions allows.
func (tx *Tx) DecideFinding(ctx context.Context, id int64, ev tracking.FindingEventKind, reason string) error {
	f, err := findingRow(ctx, tx, tx.v, id)
	if err != nil {
		return err
	}
	allowed := false
	for _, a := range tracking.FindingActions(f.State, tx.v, f.CourtPath) {
		allowed = allowed || a == ev
	}
	next, err := tracking.NextFinding(f.State, ev, reason)
	if err != nil {
		return err
	}
	if !allowed {
		return domain.Errorf(domain.ErrForbidden, "您无权%s该问题。", ev.Label())
	}
	reason = strings.TrimSpace(reason)
	res, err := tx.exec(ctx, "UPDATE patrol_findings SET state = ?, reason = ?, decided_by = ?, decided_at = ?, updated_at = ? WHERE id = ? AND state = ?",
		string(next), reason, nullID(tx.v.UserID), tx.db.now(), tx.db.now(), id, string(f.State))
	if err != nil {
		return fmt.Errorf("deciding finding: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return domain.Errorf(domain.ErrConflict, "该问题已被他人处理，请刷新后查看。")
	}
	detail := fmt.Sprintf("%s：%s（%s）", ev.Label(), f.Title, f.Detail)
	if reason != "" {
		detail += "；理由：" + reason
	}
	return tx.Audit(ctx, Entry{Action: "patrol.finding." + string(ev), ObjectType: "patrol_finding", ObjectID: fmt.Sprint(id), CourtPath: f.CourtPath, Success: true, Detail: detail})
}

// OpenFindings counts the open findings of the viewer's own court that v
// may see, up to limit+1 (a count past limit says "more than limit"): the
// command centre's to-do. The count walks patrol_findings_court and stops
// there, however many findings the court has open.
func (db *DB) OpenFindings(ctx context.Context, v domain.Viewer, limit int) (int, error) {
	if !v.Has(domain.RoleCommandCenter) {
		return 0, nil
	}
	scope, args, err := findingScope(v)
	if err != nil {
		return 0, nil //nolint:nilerr // no roles, no to-do
	}
	var n int
	err = db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1"+findingCountFrom+" WHERE "+scope+" AND f.court_id = ? AND f.state = 'open' LIMIT ?) AS open_findings",
		append(args, v.CourtID, max(limit, 0)+1)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting open findings: %w", translate(err))
	}
	return n, nil
}

// PatrolCourts lists the codes of the courts that have cases: those the
// daily patrol runs over.
func (db *DB) PatrolCourts(ctx context.Context) ([]string, error) {
	codes, err := collect(ctx, db, scanString, "SELECT c.code FROM courts c WHERE EXISTS (SELECT 1 FROM cases k WHERE k.court_id = c.id) ORDER BY c.code")
	if err != nil {
		return nil, fmt.Errorf("listing courts to patrol: %w", err)
	}
	return codes, nil
}

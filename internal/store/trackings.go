package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/tracking"
)

// Tracking is one passage of a case through mechanism 1, key-case
// tracking 重点案件跟踪 (table trackings): from candidate to closing, its
// state moved only by tracking.Next. Everything recorded about it (the
// evaluation, the consultation and opinions, the co-leaders' decisions,
// the working group, and the group's records, interviews, findings,
// recommendations and closing report) hangs on its ID as tracking_id.
type Tracking struct {
	ID           int64
	CourtID      int64
	CourtCode    string
	CourtName    string
	CourtPath    string
	CaseID       int64
	CaseNo       string
	Officer      string
	OfficerID    int64
	DepartmentID int64
	Department   string
	CaseClosed   bool
	Step         tracking.Step
	// CandidateSince is the day the case became a candidate, from which
	// the evaluation is owed.
	CandidateSince domain.Date
	EvaluatedAt    time.Time
	ConsultedOn    domain.Date
	DecidedAt      time.Time
	DecidedBy      string // "consultation" or "co_leaders"
	GroupFrom      domain.Date
	GroupTo        domain.Date
	Plan           string
	StartedAt      time.Time
	ClosedAt       time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TrackingFilter selects trackings: Court is a court code (it and the
// courts below), Step one step; Open leaves out the ended ones; Case a case
// number.
type TrackingFilter struct {
	Court string
	Step  tracking.Step
	Open  bool
	Case  string
	// Stage narrows to the steps of a stage the cockpit counts; Decided,
	// unless zero, to the trackings decided to be tracked in that period
	// (the cockpit's 期间决定跟踪).
	Stage   tracking.Stage
	Decided overview.Period
	// Findings, unless zero, narrows to the trackings with a finding
	// confirmed in that period (the cockpit's 跟踪发现问题;
	// TrackingFindingCount counts them).
	Findings overview.Period
	// Page is the page TrackingList reads; Trackings reads all.
	Page PageReq
}

// TrackingSorts are the orders of the tracking list, the latest first by
// default.
var TrackingSorts = Sorts{Keys: map[string][]string{
	"created": {"t.created_at"},
	"case":    {"k.number"},
	"court":   {"c.path"},
	"step":    {"t.state"},
	"since":   {"t.candidate_since"},
}, Default: "created", DefaultDesc: true, Tie: "t.id"}

// trackingScope limits trackings (alias t, its case k, its court c) to
// those v may see (tracking.CanSee): the three bodies of its court and the
// watchdogs of the courts above, never anyone who handles or handled the
// case or works in its department.
func trackingScope(v domain.Viewer) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	if !tracking.SeesTracking(v) || v.CourtPath == "" {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看重点案件跟踪。")
	}
	conds := []string{"t.court_id = ?"}
	args := []any{v.CourtID}
	if v.IsWatchdog() {
		conds = append(conds, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'")
		args = append(args, likePrefix(v.CourtPath))
	}
	return "(" + strings.Join(conds, " OR ") + `)
		AND NOT EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = t.case_id AND co.user_id = ?)
		AND (k.officer_id IS NULL OR k.officer_id <> ?) AND (k.department_id IS NULL OR k.department_id <> ?)`,
		append(args, v.UserID, v.UserID, v.DepartmentID), nil
}

const trackingColumns = `t.id, t.court_id, c.code, c.name, c.path, t.case_id, k.number, k.officer, COALESCE(k.officer_id, 0),
	COALESCE(k.department_id, 0), k.department, k.closed_on, t.state, t.candidate_since, t.evaluated_at, t.consulted_on, t.decided_at,
	t.decided_by, t.group_from, t.group_to, t.plan, t.started_at, t.closed_at, t.created_at, t.updated_at`

const trackingFrom = " FROM trackings t JOIN cases k ON k.id = t.case_id JOIN courts c ON c.id = t.court_id"

func scanTracking(row scanner) (*Tracking, error) {
	var t Tracking
	var closedOn, consulted, from, to sql.Null[domain.Date]
	var eval, dec, start, closed sql.NullTime
	err := row.Scan(&t.ID, &t.CourtID, &t.CourtCode, &t.CourtName, &t.CourtPath, &t.CaseID, &t.CaseNo, &t.Officer, &t.OfficerID,
		&t.DepartmentID, &t.Department, &closedOn, &t.Step, &t.CandidateSince, &eval, &consulted, &dec,
		&t.DecidedBy, &from, &to, &t.Plan, &start, &closed, &t.CreatedAt, &t.UpdatedAt)
	if err != nil {
		return nil, translate(err)
	}
	t.CaseClosed = closedOn.Valid && !closedOn.V.IsZero()
	t.ConsultedOn, t.GroupFrom, t.GroupTo = consulted.V, from.V, to.V
	t.EvaluatedAt, t.DecidedAt, t.StartedAt, t.ClosedAt = timeOf(eval), timeOf(dec), timeOf(start), timeOf(closed)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return &t, nil
}

// Trackings lists every tracking v may see that f finds, the latest
// first: for the program's own reads; a page shown to a user is
// TrackingList's.
func (db *DB) Trackings(ctx context.Context, v domain.Viewer, f TrackingFilter) ([]*Tracking, error) {
	f.Page = PageReq{All: true}
	ts, _, err := trackings(ctx, db, v, f)
	return ts, err
}

// TrackingList lists the page f.Page of the trackings v may see that f
// finds, and how many it finds.
func (db *DB) TrackingList(ctx context.Context, v domain.Viewer, f TrackingFilter) ([]*Tracking, PageInfo, error) {
	return trackings(ctx, db, v, f)
}

// stepsIn is the condition that tracking t is at one of steps.
func stepsIn(steps []tracking.Step) (string, []any) {
	if len(steps) == 0 {
		return "1=0", nil
	}
	args := make([]any, len(steps))
	for i, s := range steps {
		args[i] = string(s)
	}
	return "t.state IN (" + placeholders(len(steps)) + ")", args
}

// The findings the cockpit's 跟踪发现问题 counts on tracking t in a period
// (two ? each, its first and last day): the records of a violation and
// the node findings the group confirmed (alias r), and the 网上巡查
// findings confirmed on the case (alias f).
const (
	findingRecordCond = "(r.violation OR (r.kind = 'finding' AND r.decision = 'confirm')) AND r.on_date >= ? AND r.on_date <= ?"
	patrolFindingCond = "f.state = 'confirmed' AND f.first_found >= ? AND f.first_found <= ?"
)

func trackings(ctx context.Context, q querier, v domain.Viewer, f TrackingFilter) ([]*Tracking, PageInfo, error) {
	where, args, err := trackingWhere(ctx, q, v, f)
	if err != nil {
		return nil, PageInfo{}, err
	}
	return listPage(ctx, q, scanTracking, trackingColumns, trackingFrom, strings.Join(where, " AND "), args, f.Page, TrackingSorts, "trackings")
}

// TrackingFindingCount counts the findings of f.Findings on the trackings
// v may see that f finds: the cockpit's 跟踪发现问题, as the list shows it.
func (db *DB) TrackingFindingCount(ctx context.Context, v domain.Viewer, f TrackingFilter) (int, error) {
	where, args, err := trackingWhere(ctx, db, v, f)
	if err != nil {
		return 0, err
	}
	p := f.Findings
	cond := strings.Join(where, " AND ")
	var n, m int
	if err := db.queryRow(ctx, "SELECT COUNT(*)"+trackingFrom+" JOIN tracking_records r ON r.tracking_id = t.id WHERE "+cond+" AND "+findingRecordCond,
		append(append([]any{}, args...), p.From, p.To)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting findings: %w", translate(err))
	}
	if err := db.queryRow(ctx, "SELECT COUNT(DISTINCT f.id)"+trackingFrom+" JOIN patrol_findings f ON f.case_id = t.case_id WHERE "+cond+" AND "+patrolFindingCond,
		append(append([]any{}, args...), p.From, p.To)...).Scan(&m); err != nil {
		return 0, fmt.Errorf("counting patrol findings: %w", translate(err))
	}
	return n + m, nil
}

// trackingWhere is the conditions on the trackings v may see that f finds.
func trackingWhere(ctx context.Context, q querier, v domain.Viewer, f TrackingFilter) ([]string, []any, error) {
	scope, args, err := trackingScope(v)
	if err != nil {
		return nil, nil, err
	}
	where := []string{scope}
	if f.Court != "" {
		c, err := courtByCode(ctx, q, f.Court)
		if err != nil {
			return nil, nil, err
		}
		where, args = append(where, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"), append(args, likePrefix(c.Path))
	}
	if f.Step != "" {
		where, args = append(where, "t.state = ?"), append(args, f.Step)
	}
	if f.Open {
		where = append(where, "t.state NOT IN ('not_tracked', 'closed', 'lapsed')")
	}
	if f.Case != "" {
		where, args = append(where, "k.number = ?"), append(args, f.Case)
	}
	if f.Stage != "" {
		in, sargs := stepsIn(f.Stage.Steps())
		where, args = append(where, in), append(args, sargs...)
	}
	if f.Decided != (overview.Period{}) {
		in, sargs := stepsIn(tracking.DecidedSteps)
		where = append(where, in+" AND t.decided_at >= ? AND t.decided_at < ?")
		args = append(append(args, sargs...), beijingMidnight(f.Decided.From), beijingMidnight(f.Decided.To.AddDays(1)))
	}
	if p := f.Findings; p != (overview.Period{}) {
		where = append(where, "(EXISTS (SELECT 1 FROM tracking_records r WHERE r.tracking_id = t.id AND "+findingRecordCond+
			") OR EXISTS (SELECT 1 FROM patrol_findings f WHERE f.case_id = t.case_id AND "+patrolFindingCond+"))")
		args = append(args, p.From, p.To, p.From, p.To)
	}
	return where, args, nil
}

// Tracking returns tracking id if v may see it; "not found" otherwise.
func (db *DB) Tracking(ctx context.Context, v domain.Viewer, id int64) (*Tracking, error) {
	return trackingRow(ctx, db, v, id)
}

func trackingRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*Tracking, error) {
	scope, args, err := trackingScope(v)
	if err != nil {
		return nil, err
	}
	t, err := scanTracking(q.queryRow(ctx, "SELECT "+trackingColumns+trackingFrom+" WHERE t.id = ? AND "+scope, append([]any{id}, args...)...))
	if err != nil {
		return nil, fmt.Errorf("loading tracking %d: %w", id, err)
	}
	return t, nil
}

// OpenTracking opens a candidate tracking of case caseID, a candidate
// since since, in a transaction of its own, and returns its id.
func (db *DB) OpenTracking(ctx context.Context, v domain.Viewer, caseID int64, since domain.Date) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.OpenTracking(ctx, caseID, since) })
}

// OpenTracking opens a tracking of case caseID at tracking.StepCandidate,
// a candidate since since, unless the case has an open one already: then
// it returns that one's id. Only the program (the candidate refresh) or
// the three bodies of the case's court open one. Audited.
func (tx *Tx) OpenTracking(ctx context.Context, caseID int64, since domain.Date) (int64, error) {
	var courtID int64
	var path string
	if err := tx.queryRow(ctx, "SELECT k.court_id, c.path FROM cases k JOIN courts c ON c.id = k.court_id WHERE k.id = ?", caseID).Scan(&courtID, &path); err != nil {
		return 0, fmt.Errorf("reading the case of a tracking: %w", translate(err))
	}
	if !tx.v.System && !(tx.v.CourtPath == path && tx.v.HasAny(tracking.Bodies()...)) {
		return 0, domain.Errorf(domain.ErrForbidden, "重点案件由案件所在法院的执行局、纪检监察组、监察室确定。")
	}
	var id int64
	err := tx.queryRow(ctx, "SELECT id FROM trackings WHERE case_id = ? AND state NOT IN ('not_tracked', 'closed', 'lapsed')", caseID).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(translate(err), domain.ErrNotFound) {
		return 0, fmt.Errorf("reading the case's open tracking: %w", translate(err))
	}
	now := tx.db.now()
	if err := tx.queryRow(ctx, `INSERT INTO trackings (court_id, case_id, state, candidate_since, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, courtID, caseID, tracking.StepCandidate, since, now, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("opening a tracking: %w", translate(err))
	}
	return id, tx.Audit(ctx, Entry{Action: "tracking.open", ObjectType: "tracking", ObjectID: fmt.Sprint(id), CourtPath: path, Success: true,
		Detail: "列为重点执行案件候选，自" + since.String()})
}

// trackingState reads what tracking.Next needs of tracking t: its step,
// the opinions given at its consultation and the co-leaders' decisions.
func trackingState(ctx context.Context, q querier, t *Tracking) (tracking.State, error) {
	states, err := trackingStates(ctx, q, []*Tracking{t}, "t.id = ?", t.ID)
	if err != nil {
		return tracking.State{Step: t.Step}, err
	}
	return states[0], nil
}

// trackingStates reads trackingState's for each of ts at once, in two
// statements over the trackings t that cond (with args) selects, which
// hold ts; rows of others are passed over. Opinions and decisions come in
// the order of their time, then role or post.
func trackingStates(ctx context.Context, q querier, ts []*Tracking, cond string, args ...any) ([]tracking.State, error) {
	at := make(map[int64]int, len(ts))
	states := make([]tracking.State, len(ts))
	for i, t := range ts {
		at[t.ID] = i
		states[i] = tracking.State{Step: t.Step}
	}
	err := each(ctx, q, func(row scanner) error {
		var id int64
		var o tracking.Opinion
		if err := row.Scan(&id, &o.Role, &o.Agree, &o.Opinion, &o.By, &o.At); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			o.At = o.At.UTC()
			states[i].Opinions = append(states[i].Opinions, o)
		}
		return nil
	}, "SELECT o.tracking_id, o.role, o.agree, o.opinion, o.by_name, o.at FROM trackings t JOIN tracking_opinions o ON o.tracking_id = t.id WHERE "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the consultation's opinions: %w", err)
	}
	err = each(ctx, q, func(row scanner) error {
		var id int64
		var d tracking.LeaderDecision
		var post string
		if err := row.Scan(&id, &post, &d.Track, &d.Reason, &d.By, &d.At); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			d.Post, d.At = oversight.Post(post), d.At.UTC()
			states[i].Decisions = append(states[i].Decisions, d)
		}
		return nil
	}, "SELECT d.tracking_id, d.post, d.track, d.reason, d.by_name, d.at FROM trackings t JOIN tracking_leader_decisions d ON d.tracking_id = t.id WHERE "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the co-leaders' decisions: %w", err)
	}
	for i := range states {
		// Sorted here rather than by the engine, so that the statements
		// stay one for any number of trackings.
		slices.SortFunc(states[i].Opinions, func(a, b tracking.Opinion) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Role, b.Role))
		})
		slices.SortFunc(states[i].Decisions, func(a, b tracking.LeaderDecision) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Post, b.Post))
		})
	}
	return states, nil
}

// TrackingState returns what tracking.Next needs of tracking id, if v may
// see it.
func (db *DB) TrackingState(ctx context.Context, v domain.Viewer, id int64) (*Tracking, tracking.State, error) {
	t, err := trackingRow(ctx, db, v, id)
	if err != nil {
		return nil, tracking.State{}, err
	}
	s, err := trackingState(ctx, db, t)
	return t, s, err
}

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

// TrackingRecord is one record of a working group's timeline (table
// tracking_records).
type TrackingRecord struct {
	ID         int64
	TrackingID int64
	On         domain.Date
	Aspect     tracking.Aspect
	Kind       tracking.RecordKind
	Content    string
	Node       domain.NodeKind   // RecordFinding: the node
	Decision   tracking.Decision // RecordFinding: confirmed or dismissed
	Violation  bool
	By         string
	At         time.Time
	ClueID     int64 // the clue it was handed on as; 0 if none
}

// WorkMember is a member of the working group as its page shows it.
type WorkMember struct {
	UserID int64
	Name   string
	Role   domain.Role
	Leader bool
}

// WorkFinding is a late or missing node of the case and, once the group
// has decided, its decision.
type WorkFinding struct {
	tracking.NodeFinding
	Decided *TrackingRecord
}

// TrackingWork is everything the working group's page shows of a
// tracking, as v may see it: the tracking, v's place in the group, the
// case with its node timeline, the node findings, the records, the
// interviews, the recommendations with the state of their rectification,
// and the closing report once made.
type TrackingWork struct {
	*Tracking
	Subject         tracking.Subject
	Me              tracking.Membership
	Members         []WorkMember
	Case            *domain.Case
	Timeline        []deadline.NodeCheck
	Findings        []WorkFinding
	Records         []TrackingRecord
	Interviews      map[int64]*TrackingInterview
	Recommendations []TrackingRecommendation
	Closing         *TrackingClosing
	Pending         tracking.Pending
	Today           domain.Date
}

// Actions is what v may do on the page now (tracking.WorkActions).
func (w *TrackingWork) Actions(v domain.Viewer) []tracking.Work {
	return tracking.WorkActions(w.Step, v, w.Subject, w.Me)
}

// OpenFindings are the node findings the group has not decided yet.
func (w *TrackingWork) OpenFindings() []tracking.NodeFinding {
	var out []tracking.NodeFinding
	for _, f := range w.Findings {
		if f.Decided == nil {
			out = append(out, f.NodeFinding)
		}
	}
	return out
}

// workSubject reads what the secrecy rules need of tracking t's case:
// its court, every officer it has had and its department.
func workSubject(ctx context.Context, q querier, t *Tracking) (tracking.Subject, error) {
	s := tracking.Subject{CourtPath: t.CourtPath, DepartmentID: t.DepartmentID}
	ids, err := collect(ctx, q, scanID, "SELECT user_id FROM case_officers WHERE case_id = ? ORDER BY user_id", t.CaseID)
	if err != nil {
		return s, fmt.Errorf("reading the case's officers: %w", err)
	}
	s.Officers = ids
	if t.OfficerID != 0 && !containsID(ids, t.OfficerID) {
		s.Officers = append(s.Officers, t.OfficerID)
	}
	return s, nil
}

// workMembers reads tracking id's working group, v's place in it.
func workMembers(ctx context.Context, q querier, v domain.Viewer, id int64) ([]WorkMember, tracking.Membership, error) {
	var me tracking.Membership
	ms, err := collect(ctx, q, func(row scanner) (m WorkMember, err error) {
		err = row.Scan(&m.UserID, &m.Name, &m.Role, &m.Leader)
		return m, err
	}, `SELECT m.user_id, u.name, m.role, m.leader FROM tracking_members m JOIN users u ON u.id = m.user_id
		WHERE m.tracking_id = ? ORDER BY m.leader DESC, m.role, u.name`, id)
	if err != nil {
		return nil, me, fmt.Errorf("reading the working group: %w", err)
	}
	for _, m := range ms {
		if !v.System && m.UserID == v.UserID {
			me = tracking.Membership{Member: true, Leader: m.Leader, Role: m.Role}
		}
	}
	return ms, me, nil
}

// workFor loads tracking id for tx's viewer and checks that he may do w
// on it now (tracking.CheckWork).
func (tx *Tx) workFor(ctx context.Context, id int64, w tracking.Work) (*Tracking, tracking.Subject, error) {
	t, err := trackingRow(ctx, tx, tx.v, id)
	if err != nil {
		return nil, tracking.Subject{}, err
	}
	s, err := workSubject(ctx, tx, t)
	if err != nil {
		return nil, s, err
	}
	_, me, err := workMembers(ctx, tx, tx.v, id)
	if err != nil {
		return nil, s, err
	}
	return t, s, tracking.CheckWork(t.Step, tx.v, s, me, w)
}

const recordColumns = `r.id, r.tracking_id, r.on_date, r.aspect, r.kind, r.content, r.node, r.decision, r.violation, r.by_name, r.created_at,
	COALESCE((SELECT MIN(l.id) FROM clues l WHERE l.source = 'tracking' AND l.source_id = r.id), 0)`

func scanRecord(row scanner) (TrackingRecord, error) {
	var r TrackingRecord
	err := row.Scan(&r.ID, &r.TrackingID, &r.On, &r.Aspect, &r.Kind, &r.Content, &r.Node, &r.Decision, &r.Violation, &r.By, &r.At, &r.ClueID)
	r.At = r.At.UTC()
	return r, err
}

// TrackingWork returns the working group's page of tracking id, if v may
// see it ("not found" otherwise).
func (db *DB) TrackingWork(ctx context.Context, v domain.Viewer, id int64) (*TrackingWork, error) {
	t, err := trackingRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	w := &TrackingWork{Tracking: t, Today: db.today(), Interviews: map[int64]*TrackingInterview{}}
	if w.Subject, err = workSubject(ctx, db, t); err != nil {
		return nil, err
	}
	if w.Members, w.Me, err = workMembers(ctx, db, v, id); err != nil {
		return nil, err
	}
	if w.Case, err = db.CaseByID(ctx, v, t.CaseID); err != nil {
		return nil, err
	}
	ledger, err := db.loadLedger(ctx, db, t.CaseID)
	if err != nil {
		return nil, err
	}
	w.Timeline = db.limits().Timeline(w.Case, ledger.DeadlinePauses(), w.Today)
	if w.Records, err = collect(ctx, db, scanRecord, "SELECT "+recordColumns+" FROM tracking_records r WHERE r.tracking_id = ? ORDER BY r.on_date DESC, r.id DESC", id); err != nil {
		return nil, fmt.Errorf("reading the tracking's records: %w", err)
	}
	decided := map[domain.NodeKind]*TrackingRecord{}
	for i, r := range w.Records {
		if r.Kind == tracking.RecordFinding {
			decided[r.Node] = &w.Records[i]
		}
		if r.Violation && r.ClueID == 0 {
			w.Pending.ViolationsUnsent++
		}
	}
	for _, f := range tracking.NodeFindings(w.Timeline) {
		w.Findings = append(w.Findings, WorkFinding{NodeFinding: f, Decided: decided[f.Node]})
		if decided[f.Node] == nil {
			w.Pending.OpenFindings++
		}
	}
	if err := db.loadInterviews(ctx, w); err != nil {
		return nil, err
	}
	if w.Recommendations, err = trackingRecommendations(ctx, db, id, w.Today); err != nil {
		return nil, err
	}
	if w.Closing, err = trackingClosing(ctx, db, id); err != nil {
		return nil, err
	}
	return w, nil
}

// AddTrackingRecord adds a record to tracking id's timeline in a
// transaction of its own.
func (db *DB) AddTrackingRecord(ctx context.Context, v domain.Viewer, id int64, r tracking.Record) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.AddTrackingRecord(ctx, id, r) })
}

// AddTrackingRecord has tx's viewer, a member of the working group
// (tracking.WorkRecord), add a record to tracking id's timeline. Audited,
// without the content.
func (tx *Tx) AddTrackingRecord(ctx context.Context, id int64, r tracking.Record) (int64, error) {
	t, _, err := tx.workFor(ctx, id, tracking.WorkRecord)
	if err != nil {
		return 0, err
	}
	if err := r.Validate(tx.db.today(), t.GroupFrom); err != nil {
		return 0, err
	}
	return tx.insertRecord(ctx, t, r, "", "")
}

// insertRecord writes a record of t and audits it.
func (tx *Tx) insertRecord(ctx context.Context, t *Tracking, r tracking.Record, node domain.NodeKind, d tracking.Decision) (int64, error) {
	var rid int64
	err := tx.queryRow(ctx, `INSERT INTO tracking_records (tracking_id, on_date, aspect, kind, content, node, decision, violation, by_id, by_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.ID, r.On, r.Aspect, r.Kind, r.Content, node, d, r.Violation,
		nullID(tx.v.UserID), actorName(tx.v), tx.db.now()).Scan(&rid)
	if errors.Is(translate(err), domain.ErrConflict) && node != "" {
		return 0, domain.Errorf(domain.ErrConflict, "该流程节点问题已核实。")
	} else if err != nil {
		return 0, fmt.Errorf("adding a tracking record: %w", translate(err))
	}
	return rid, tx.Audit(ctx, Entry{Action: "tracking.record", ObjectType: "tracking", ObjectID: fmt.Sprint(t.ID), CourtPath: t.CourtPath, Success: true,
		Detail: fmt.Sprintf("跟踪记录%d：%s，%s", rid, r.Kind.Label(), r.Aspect.Label())})
}

// DecideTrackingNode records the group's decision on a node finding in a
// transaction of its own.
func (db *DB) DecideTrackingNode(ctx context.Context, v domain.Viewer, id int64, d tracking.FindingDecision) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.DecideTrackingNode(ctx, id, d) })
}

// DecideTrackingNode has tx's viewer, a member of the working group
// (tracking.WorkFinding), confirm or dismiss (with the reason) a node of
// tracking id's case that is late or missing on the time-limit table
// today, as a record of kind finding on 流程管理. Each node is decided
// once.
func (tx *Tx) DecideTrackingNode(ctx context.Context, id int64, d tracking.FindingDecision) (int64, error) {
	t, _, err := tx.workFor(ctx, id, tracking.WorkFinding)
	if err != nil {
		return 0, err
	}
	open, err := tx.nodeFindings(ctx, t)
	if err != nil {
		return 0, err
	}
	today := tx.db.today()
	if err := d.Validate(open); err != nil {
		return 0, err
	}
	for _, f := range open {
		if f.Node == d.Node {
			r := tracking.Record{On: today, Aspect: tracking.AspectProcess, Kind: tracking.RecordFinding, Content: d.Content(f)}
			return tx.insertRecord(ctx, t, r, d.Node, d.Decision)
		}
	}
	return 0, domain.Invalid("node", "该流程节点没有待核实的问题")
}

// nodeFindings reads tracking t's case and lists its late and missing
// nodes on today, inside tx.
func (tx *Tx) nodeFindings(ctx context.Context, t *Tracking) ([]tracking.NodeFinding, error) {
	k, err := scanCase(tx.queryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE k.id = ?", t.CaseID))
	if err != nil {
		return nil, fmt.Errorf("reading the tracked case: %w", err)
	}
	if k.Nodes, err = collect(ctx, tx, func(row scanner) (n domain.Node, err error) {
		err = row.Scan(&n.Kind, &n.On, &n.Note)
		return n, err
	}, "SELECT kind, on_date, note FROM case_nodes WHERE case_id = ? ORDER BY on_date, id", k.ID); err != nil {
		return nil, fmt.Errorf("reading the case's nodes: %w", err)
	}
	ledger, err := tx.db.loadLedger(ctx, tx, k.ID)
	if err != nil {
		return nil, err
	}
	return tracking.NodeFindings(tx.db.limits().Timeline(k, ledger.DeadlinePauses(), tx.db.today())), nil
}

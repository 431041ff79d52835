package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

// TrackingClosing is a tracking's closing report 跟踪监督报告.
type TrackingClosing struct {
	On          domain.Date
	Summary     string
	Conclusions string
	By          string
	At          time.Time
}

func trackingClosing(ctx context.Context, q querier, id int64) (*TrackingClosing, error) {
	var c TrackingClosing
	err := q.queryRow(ctx, "SELECT closed_on, summary, conclusions, by_name, at FROM tracking_closings WHERE tracking_id = ?", id).
		Scan(&c.On, &c.Summary, &c.Conclusions, &c.By, &c.At)
	if errors.Is(translate(err), domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the closing report: %w", translate(err))
	}
	c.At = c.At.UTC()
	return &c, nil
}

// CloseTrackingWork makes the closing report in a transaction of its own.
func (db *DB) CloseTrackingWork(ctx context.Context, v domain.Viewer, id int64, c tracking.Closing) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.CloseTrackingWork(ctx, id, c) })
}

// CloseTrackingWork has tx's viewer, the leader of the working group
// (tracking.WorkClose), make the closing report of tracking id and close
// it (tracking.Next, EventClose, with the summary as its reason): only
// once every late or missing node is confirmed or dismissed and every
// record pointing to a violation is handed on as a clue
// (tracking.CloseBlockers). Audited, without the report's text.
func (tx *Tx) CloseTrackingWork(ctx context.Context, id int64, c tracking.Closing) error {
	t, s, err := tx.workFor(ctx, id, tracking.WorkClose)
	if err != nil {
		return err
	}
	if err := c.Validate(tx.db.today(), t.GroupFrom); err != nil {
		return err
	}
	var p tracking.Pending
	open, err := tx.nodeFindings(ctx, t)
	if err != nil {
		return err
	}
	decided, err := collect(ctx, tx, func(row scanner) (n domain.NodeKind, err error) {
		err = row.Scan(&n)
		return n, err
	}, "SELECT node FROM tracking_records WHERE tracking_id = ? AND kind = 'finding'", id)
	if err != nil {
		return fmt.Errorf("reading the decided nodes: %w", err)
	}
	for _, f := range open {
		if !slices.Contains(decided, f.Node) {
			p.OpenFindings++
		}
	}
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM tracking_records r WHERE r.tracking_id = ? AND r.violation
		AND NOT EXISTS (SELECT 1 FROM clues l WHERE l.source = 'tracking' AND l.source_id = r.id)`, id).Scan(&p.ViolationsUnsent); err != nil {
		return fmt.Errorf("counting records not handed on: %w", translate(err))
	}
	if b := tracking.CloseBlockers(p); len(b) > 0 {
		return domain.Errorf(domain.ErrConflict, "暂不能结束跟踪：%s。", strings.Join(b, "；"))
	}
	state, err := trackingState(ctx, tx, t)
	if err != nil {
		return err
	}
	ev, err := tracking.RoleFor(tx.v, tracking.Event{Kind: tracking.EventClose, Text: c.Summary, By: actorName(tx.v)}, s, nil)
	if err != nil {
		return err
	}
	now := tx.db.now()
	next, err := tracking.Next(state, ev, now)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, "UPDATE trackings SET state = ?, closed_at = ?, updated_at = ? WHERE id = ? AND state = ?",
		next.State.Step, now, now, id, t.Step)
	if err != nil {
		return fmt.Errorf("closing a tracking: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return domain.Errorf(domain.ErrConflict, "重点案件跟踪已被他人处理，请刷新后重试。")
	}
	if _, err := tx.exec(ctx, `INSERT INTO tracking_closings (tracking_id, closed_on, summary, conclusions, by_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, c.On, c.Summary, c.Conclusions, nullID(tx.v.UserID), actorName(tx.v), now); err != nil {
		return fmt.Errorf("keeping the closing report: %w", translate(err))
	}
	return tx.Audit(ctx, Entry{Action: "tracking.close", ObjectType: "tracking", ObjectID: fmt.Sprint(id), CourtPath: t.CourtPath, Success: true,
		Detail: "出具跟踪监督报告，结束跟踪（" + c.On.String() + "）"})
}

// checkTrackingClue checks that record id may become a clue about the
// court at path, registered by tx's viewer: a record of a tracking of
// that court or below that the viewer, a watchdog member of its working
// group, may hand on (tracking.WorkHandOff); msg says what is wrong.
func (tx *Tx) checkTrackingClue(ctx context.Context, id int64, path string) (string, error) {
	const msg = "重点案件跟踪记录不存在、不属于该法院及其辖区，或您不是该案工作小组中纪检监察组、监察室的成员"
	var tid int64
	err := tx.queryRow(ctx, "SELECT tracking_id FROM tracking_records WHERE id = ?", id).Scan(&tid)
	if errors.Is(translate(err), domain.ErrNotFound) {
		return msg, nil
	} else if err != nil {
		return "", fmt.Errorf("reading a tracking record: %w", translate(err))
	}
	t, _, err := tx.workFor(ctx, tid, tracking.WorkHandOff)
	if errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrForbidden) || errors.Is(err, domain.ErrConflict) {
		return msg, nil
	} else if err != nil {
		return "", err
	}
	if !strings.HasPrefix(t.CourtPath, path) {
		return msg, nil
	}
	return "", nil
}

// TrackingWorkTodo is a step of a working group that v owes.
type TrackingWorkTodo struct {
	TrackingID int64
	CaseNo     string
	Title      string
	Owed       string // the step owed, without the case
	Court      string
	Due        domain.Date
	Overdue    bool
}

// TrackingWorkTodos lists what v owes as a member of working groups:
// the leader, the closing report of a tracking past its period; a
// watchdog member, the records pointing to a violation not yet handed on
// as a clue. Overdue first. (A recommendation's item waiting for
// acceptance is on the issuing court's watchdogs' list through
// RectToDos, as every rectification's is.)
func (db *DB) TrackingWorkTodos(ctx context.Context, v domain.Viewer) ([]TrackingWorkTodo, error) {
	if v.System || v.UserID == 0 || !tracking.SeesTracking(v) {
		return nil, nil
	}
	scope, args, err := trackingScope(v)
	if err != nil {
		return nil, err
	}
	today := db.today()
	var out []TrackingWorkTodo
	err = each(ctx, db, func(row scanner) error {
		var t TrackingWorkTodo
		if err := row.Scan(&t.TrackingID, &t.CaseNo, &t.Court, &t.Due); err != nil {
			return err
		}
		if tracking.PeriodOver(tracking.StepTracking, t.Due, today) {
			t.Owed = "出具跟踪监督报告"
			t.Title, t.Overdue = t.Owed+"："+t.CaseNo, true
			out = append(out, t)
		}
		return nil
	}, `SELECT t.id, k.number, c.name, t.group_to`+trackingFrom+` JOIN tracking_members m ON m.tracking_id = t.id AND m.user_id = ? AND m.leader
		WHERE t.state = 'tracking' AND t.group_to IS NOT NULL AND `+scope+" ORDER BY t.group_to", append([]any{v.UserID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("listing tracking to-dos: %w", err)
	}
	if v.IsWatchdog() {
		err = each(ctx, db, func(row scanner) error {
			var t TrackingWorkTodo
			var n int
			if err := row.Scan(&t.TrackingID, &t.CaseNo, &t.Court, &n); err != nil {
				return err
			}
			t.Owed = fmt.Sprintf("移交问题线索（%d条记录）", n)
			t.Title = fmt.Sprintf("移交问题线索：%s（%d条记录）", t.CaseNo, n)
			out = append(out, t)
			return nil
		}, `SELECT t.id, k.number, c.name, COUNT(*)`+trackingFrom+` JOIN tracking_members m ON m.tracking_id = t.id AND m.user_id = ?
			JOIN tracking_records r ON r.tracking_id = t.id AND r.violation
			WHERE t.state IN ('tracking', 'closed') AND NOT EXISTS (SELECT 1 FROM clues l WHERE l.source = 'tracking' AND l.source_id = r.id)
			AND `+scope+" GROUP BY t.id, k.number, c.name ORDER BY t.id", append([]any{v.UserID}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("listing tracking to-dos: %w", err)
		}
	}
	return out, nil
}

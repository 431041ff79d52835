package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/tracking"
)

// TrackingRecommendation is a working group's recommendation and the
// state of the rectification that follows it.
type TrackingRecommendation struct {
	RecordID        int64
	To              tracking.Addressee
	Department      string
	Problem         string
	Basis           string
	Advice          string
	Deadline        domain.Date
	RectificationID int64
	Items           []tracking.RecItem
	State           tracking.RecState
}

// trackingRecommendations reads tracking id's recommendations with the
// state of their rectification items on today.
func trackingRecommendations(ctx context.Context, q querier, id int64, today domain.Date) ([]TrackingRecommendation, error) {
	out, err := collect(ctx, q, func(row scanner) (r TrackingRecommendation, err error) {
		err = row.Scan(&r.RecordID, &r.To, &r.Department, &r.Problem, &r.Basis, &r.Advice, &r.Deadline, &r.RectificationID)
		return r, err
	}, `SELECT tr.record_id, tr.addressee, COALESCE(d.name, ''), tr.problem, tr.basis, tr.advice, tr.deadline, tr.rectification_id
		FROM tracking_recommendations tr LEFT JOIN departments d ON d.id = tr.department_id WHERE tr.tracking_id = ? ORDER BY tr.record_id`, id)
	if err != nil {
		return nil, fmt.Errorf("reading the tracking's recommendations: %w", err)
	}
	for i := range out {
		r := &out[i]
		if r.Items, err = collect(ctx, q, func(row scanner) (it tracking.RecItem, err error) {
			err = row.Scan(&it.State, &it.Deadline)
			return it, err
		}, "SELECT state, deadline FROM rectification_items WHERE rectification_id = ? ORDER BY id", r.RectificationID); err != nil {
			return nil, fmt.Errorf("reading a recommendation's items: %w", err)
		}
		r.State = tracking.RecStateOf(r.Deadline, r.Items, today)
	}
	return out, nil
}

// RecommendFromTracking makes a recommendation in a transaction of its
// own, and returns its record and rectification.
func (db *DB) RecommendFromTracking(ctx context.Context, v domain.Viewer, id int64, r tracking.Recommendation) (recordID, rectID int64, err error) {
	err = db.Update(ctx, v, func(tx *Tx) error {
		recordID, rectID, err = tx.RecommendFromTracking(ctx, id, r)
		return err
	})
	return recordID, rectID, err
}

// RecommendFromTracking has tx's viewer, a member of the working group
// (tracking.WorkRecommend), address a recommendation of tracking id to the
// bureau of the case's court or to one of its departments, and opens, in
// the same transaction, the rectification that follows it (source
// oversight.SourceRecommendation; the issuing court is the group's, so
// its watchdogs accept the items, oversight.CanAccept). To the bureau: its
// liaison is told, and the bureau divides it into items. To a department:
// the item goes at once to the responsible person named, who must work in
// that department; he sees that item and nothing else of the tracking.
func (tx *Tx) RecommendFromTracking(ctx context.Context, id int64, r tracking.Recommendation) (int64, int64, error) {
	t, _, err := tx.workFor(ctx, id, tracking.WorkRecommend)
	if err != nil {
		return 0, 0, err
	}
	today := tx.db.today()
	fe := domain.FieldErrors{}
	var ve *domain.ValidationError
	if err := r.Validate(today); errors.As(err, &ve) {
		fe = ve.Fields
	} else if err != nil {
		return 0, 0, err
	}
	var dept string
	if r.To == tracking.ToDepartment && r.DepartmentID != 0 {
		err := tx.queryRow(ctx, "SELECT name FROM departments WHERE id = ? AND court_id = ?", r.DepartmentID, t.CourtID).Scan(&dept)
		if errors.Is(err, sql.ErrNoRows) {
			fe.Add("department", "部门应为"+t.CourtName+"的部门")
		} else if err != nil {
			return 0, 0, fmt.Errorf("reading a department: %w", translate(err))
		}
		if r.Responsible != 0 && dept != "" {
			var n int
			if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE id = ? AND department_id = ? AND NOT disabled", r.Responsible, r.DepartmentID).Scan(&n); err != nil {
				return 0, 0, fmt.Errorf("reading a responsible person: %w", translate(err))
			}
			if n == 0 {
				fe.Add("responsible", "责任人应为"+dept+"的在用人员")
			}
		}
	}
	if err := fe.Err(); err != nil {
		return 0, 0, err
	}
	to := "执行局"
	if dept != "" {
		to = dept
	}
	rec := tracking.Record{On: today, Aspect: r.Aspect, Kind: tracking.RecordRecommendation, Content: "向" + to + "提出意见建议：" + r.Improve}
	rid, err := tx.insertRecord(ctx, t, rec, "", "")
	if err != nil {
		return 0, 0, err
	}
	title := r.Problem
	if utf8.RuneCountInString(title) > 40 {
		title = string([]rune(title)[:40]) + "…"
	}
	var rectID int64
	if err := tx.queryRow(ctx, `INSERT INTO rectifications (court_id, issuer_court, source_kind, source_id, title, deadline, issued_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.CourtID, tx.v.CourtID, oversight.SourceRecommendation, rid, title, r.Deadline,
		actorName(tx.v), tx.db.now()).Scan(&rectID); err != nil {
		return 0, 0, fmt.Errorf("opening a rectification: %w", translate(err))
	}
	var deptID any
	if r.To == tracking.ToDepartment {
		deptID = r.DepartmentID
	}
	if _, err := tx.exec(ctx, `INSERT INTO tracking_recommendations (record_id, tracking_id, addressee, department_id, problem, basis, advice, deadline, rectification_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, rid, t.ID, r.To, deptID, r.Problem, r.Evidence, r.Improve, r.Deadline, rectID); err != nil {
		return 0, 0, fmt.Errorf("recording a recommendation: %w", translate(err))
	}
	if r.To == tracking.ToDepartment {
		if _, err := tx.AddRectItem(ctx, rectID, oversight.Item{Unit: dept, Responsible: r.Responsible, Deadline: r.Deadline, Task: r.Improve}); err != nil {
			return 0, 0, err
		}
	} else {
		holders, err := postHolders(ctx, tx, t.CourtID, oversight.PostBureauLiaison)
		if err != nil {
			return 0, 0, err
		}
		if len(holders) > 0 {
			if err := tx.Notify(ctx, holders, oversight.Notice{Kind: oversight.NoticeRectification, Title: "收到跟踪监督意见建议，请分解整改事项",
				Link: fmt.Sprintf("/rectifications/%d", rectID), CourtID: t.CourtID}); err != nil {
				return 0, 0, err
			}
		}
	}
	return rid, rectID, tx.Audit(ctx, Entry{Action: "tracking.recommend", ObjectType: "rectification", ObjectID: fmt.Sprint(rectID), CourtPath: t.CourtPath,
		Success: true, Detail: fmt.Sprintf("重点案件跟踪%d向%s提出意见建议，整改期限%s", t.ID, to, r.Deadline)})
}

// recConcerns reports whether rectification id answers a recommendation
// of a tracking that concerns v (v handles or handled its case, or works
// in its department): such a viewer sees only the items he answers for.
func recConcerns(ctx context.Context, q querier, v domain.Viewer, id int64) (bool, error) {
	if v.System || v.UserID == 0 {
		return false, nil
	}
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM rectifications r WHERE r.id = ? AND `+recConcernsSQL, append([]any{id}, recConcernsArgs(v)...)...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reading a recommendation's case: %w", translate(err))
	}
	return n > 0, nil
}

// recConcernsSQL holds for a rectification (alias r) that answers a
// recommendation of a tracking concerning the viewer (recConcernsArgs).
const recConcernsSQL = `(r.source_kind = 'recommendation' AND EXISTS (SELECT 1 FROM tracking_recommendations trc
	JOIN trackings trt ON trt.id = trc.tracking_id JOIN cases trk ON trk.id = trt.case_id
	WHERE trc.record_id = r.source_id AND (trk.officer_id = ? OR trk.department_id = ?
		OR EXISTS (SELECT 1 FROM case_officers tco WHERE tco.case_id = trk.id AND tco.user_id = ?))))`

func recConcernsArgs(v domain.Viewer) []any { return []any{v.UserID, v.DepartmentID, v.UserID} }

// WorkPerson is someone of a tracking's court a recommendation may be
// addressed to, with his department.
type WorkPerson struct {
	UserID       int64
	Name         string
	DepartmentID int64
	Department   string
}

// WorkPeople lists the active users of tracking id's court who work in a
// department, for a member who may address a recommendation
// (tracking.WorkRecommend); nobody otherwise.
func (db *DB) WorkPeople(ctx context.Context, v domain.Viewer, id int64) ([]WorkPerson, error) {
	w, err := db.TrackingWork(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if !tracking.AllowsWork(w.Actions(v), tracking.WorkRecommend) {
		return nil, nil
	}
	return collect(ctx, db, func(row scanner) (p WorkPerson, err error) {
		err = row.Scan(&p.UserID, &p.Name, &p.DepartmentID, &p.Department)
		return p, err
	}, `SELECT u.id, u.name, d.id, d.name FROM users u JOIN departments d ON d.id = u.department_id
		WHERE u.court_id = ? AND NOT u.disabled ORDER BY d.id, u.name, u.id`, w.CourtID)
}

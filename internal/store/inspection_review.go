package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
)

// InspectionSheet is a target with its review sheet: the reviewer's
// declaration, his marks on the frozen checklist, the on-site record,
// the evidence kept, the leader's re-check and the findings recorded.
// Only whoever sees the whole campaign reads it.
type InspectionSheet struct {
	InspectionTarget
	CampaignID  int64
	CourtID     int64
	CourtPath   string
	OfficerID   int64
	ReviewerID  int64
	NoConflict  string
	Onsite      string
	RecheckNote string
	RecheckedBy string
	SubmittedAt time.Time
	Marks       []inspection.Mark // one per checklist item, zero when not scored yet
	Files       []Attachment
	Findings    []*InspectionFinding
	Checklist   *ChecklistVersion
	Actions     []inspection.TargetAction
}

func (s *InspectionSheet) facts() inspection.Target {
	return inspection.Target{Reviewer: s.ReviewerID, Declared: s.NoConflict != "", State: s.State, Grade: s.Grade}
}

// sheetRow loads target tid of campaign in, for a viewer who sees the
// whole campaign; "not found" for anyone else.
func sheetRow(ctx context.Context, q querier, v domain.Viewer, in *Inspection, tid int64) (*InspectionSheet, error) {
	if !in.Full {
		return nil, fmt.Errorf("inspection target %d: %w", tid, domain.ErrNotFound)
	}
	var s InspectionSheet
	var sub sql.NullTime
	err := q.queryRow(ctx, `SELECT t.id, c.code, c.name, t.case_no, t.department, t.officer, t.how, t.reason, COALESCE(u.name, ''), t.state, t.score, t.grade,
		t.campaign_id, t.court_id, c.path, COALESCE(t.officer_id, 0), COALESCE(t.reviewer_id, 0), t.no_conflict, t.onsite, t.recheck_note, t.rechecked_by, t.submitted_at
		FROM inspection_targets t JOIN courts c ON c.id = t.court_id LEFT JOIN users u ON u.id = t.reviewer_id WHERE t.id = ? AND t.campaign_id = ?`, tid, in.ID).
		Scan(&s.ID, &s.CourtCode, &s.CourtName, &s.CaseNo, &s.Department, &s.Officer, &s.How, &s.Reason, &s.Reviewer, &s.State, &s.Score, &s.Grade,
			&s.CampaignID, &s.CourtID, &s.CourtPath, &s.OfficerID, &s.ReviewerID, &s.NoConflict, &s.Onsite, &s.RecheckNote, &s.RecheckedBy, &sub)
	if err != nil {
		return nil, fmt.Errorf("loading inspection target %d: %w", tid, translate(err))
	}
	s.SubmittedAt = timeOf(sub)
	if in.ChecklistID != 0 {
		if s.Checklist, err = checklistByID(ctx, q, in.ChecklistID); err != nil {
			return nil, err
		}
		s.Marks = make([]inspection.Mark, len(s.Checklist.Items))
	}
	err = each(ctx, q, func(row scanner) error {
		var seq int
		var m inspection.Mark
		if err := row.Scan(&seq, &m.Deduction, &m.Note, &m.Evidence); err != nil {
			return err
		}
		if seq >= 1 && seq <= len(s.Marks) {
			s.Marks[seq-1] = m
		}
		return nil
	}, "SELECT seq, deduction, note, evidence FROM inspection_marks WHERE target_id = ? ORDER BY seq", tid)
	if err != nil {
		return nil, fmt.Errorf("loading marks: %w", err)
	}
	if s.Files, err = attachmentsOf(ctx, q, "inspection_target", tid); err != nil {
		return nil, err
	}
	s.Actions = inspection.TargetActions(v, in.Access(), s.facts())
	return &s, nil
}

// InspectionSheet returns target tid of campaign id with its sheet and
// findings, for whoever sees the whole campaign.
func (db *DB) InspectionSheet(ctx context.Context, v domain.Viewer, id, tid int64) (*InspectionSheet, error) {
	in, err := inspectionRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	s, err := sheetRow(ctx, db, v, in, tid)
	if err != nil {
		return nil, err
	}
	all, err := findingsOf(ctx, db, db.today(), v, in, "f.target_id = ?", tid)
	if err != nil {
		return nil, err
	}
	s.Findings = all
	return s, nil
}

// sheetFor loads campaign id and its target tid for tx's viewer and checks
// that act is his to take now.
func (tx *Tx) sheetFor(ctx context.Context, id, tid int64, act inspection.TargetAction) (*Inspection, *InspectionSheet, error) {
	in, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return nil, nil, err
	}
	s, err := sheetRow(ctx, tx, tx.v, in, tid)
	if err != nil {
		return nil, nil, err
	}
	if !inspection.Allows(s.Actions, act) {
		msg := map[inspection.TargetAction]string{
			inspection.ActAssign:  "只有组长可以在评查人声明前分配评查人。",
			inspection.ActDeclare: "只有分配的评查人可以在实施阶段声明无利害关系。",
			inspection.ActScore:   "只有分配的评查人在声明无利害关系后可以评分；已提交的评查表不能再改。",
			inspection.ActFinding: "只有分配的评查人在声明无利害关系后可以在实施阶段记录问题。",
			inspection.ActFile:    "只有分配的评查人在声明无利害关系后可以在实施阶段上传证据。",
			inspection.ActRecheck: "只有组长可以复核已提交的瑕疵、不合格评查表。",
		}[act]
		return nil, nil, domain.Errorf(domain.ErrForbidden, "%s", msg)
	}
	return in, s, nil
}

func (tx *Tx) auditTarget(ctx context.Context, in *Inspection, s *InspectionSheet, action, detail string) error {
	return tx.Audit(ctx, Entry{Action: "inspection." + action, ObjectType: "inspection", ObjectID: fmt.Sprint(in.ID), CourtPath: s.CourtPath, Success: true,
		Detail: fmt.Sprintf("评查对象%d（%s%s）：%s", s.ID, s.CourtName, s.CaseNo+s.Department, detail)})
}

// AssignReviewer assigns target tid a reviewer in a transaction of its own.
func (db *DB) AssignReviewer(ctx context.Context, v domain.Viewer, id, tid, reviewer int64) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.AssignReviewer(ctx, id, tid, reviewer) })
}

// AssignReviewer has the leader assign target tid of campaign id to a
// member of the group, before the reviewer has declared; the rule of
// cross-court (or cross-department) review is inspection.ConflictProblem.
// The reviewer is told. Audited.
func (tx *Tx) AssignReviewer(ctx context.Context, id, tid, reviewer int64) error {
	in, s, err := tx.sheetFor(ctx, id, tid, inspection.ActAssign)
	if err != nil {
		return err
	}
	if !inspection.IsMember(in.Members, reviewer) {
		return domain.Invalid("reviewer", "评查人应为工作组成员")
	}
	var rpath, rdept string
	if err := tx.queryRow(ctx, `SELECT c.path, COALESCE(d.name, '') FROM users u JOIN courts c ON c.id = u.court_id LEFT JOIN departments d ON d.id = u.department_id
		WHERE u.id = ? AND NOT u.disabled`, reviewer).Scan(&rpath, &rdept); err != nil {
		if errors.Is(translate(err), domain.ErrNotFound) {
			return domain.Invalid("reviewer", "评查人不存在或已停用")
		}
		return translate(err)
	}
	if msg := inspection.ConflictProblem(rpath, rdept, s.CourtPath, s.Department, in.CrossCourt); msg != "" {
		return domain.Invalid("reviewer", msg)
	}
	if _, err := tx.exec(ctx, "UPDATE inspection_targets SET reviewer_id = ? WHERE id = ?", reviewer, tid); err != nil {
		return fmt.Errorf("assigning a reviewer: %w", err)
	}
	if err := tx.Notify(ctx, []int64{reviewer}, oversight.Notice{Kind: oversight.NoticeGeneral, Title: "您有专项督察评查任务：" + in.Title,
		Link: fmt.Sprintf("/inspections/%d/targets/%d", id, tid), CourtID: in.CourtID}); err != nil {
		return err
	}
	return tx.auditTarget(ctx, in, s, "assign", fmt.Sprintf("评查人为用户%d", reviewer))
}

// DeclareNoConflict records the reviewer's declaration in a transaction of
// its own.
func (db *DB) DeclareNoConflict(ctx context.Context, v domain.Viewer, id, tid int64) error {
	return db.Update(ctx, v, func(tx *Tx) error {
		in, s, err := tx.sheetFor(ctx, id, tid, inspection.ActDeclare)
		if err != nil {
			return err
		}
		text := inspection.NoConflict + "（" + tx.v.Name + "，" + tx.db.now().In(domain.Beijing).Format("2006-01-02 15:04") + "）"
		if _, err := tx.exec(ctx, "UPDATE inspection_targets SET no_conflict = ? WHERE id = ?", text, tid); err != nil {
			return fmt.Errorf("declaring no conflict: %w", err)
		}
		return tx.auditTarget(ctx, in, s, "declare", "评查人声明无利害关系")
	})
}

// SaveSheet stores a reviewer's sheet in a transaction of its own.
func (db *DB) SaveSheet(ctx context.Context, v domain.Viewer, id, tid int64, marks []inspection.Mark, onsite string, submit bool) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.SaveSheet(ctx, id, tid, marks, onsite, submit) })
}

// SaveSheet has the reviewer of target tid, after his declaration, store
// a mark for every item of the frozen checklist and the on-site record;
// submitted, the sheet is scored and graded by the campaign's thresholds
// and can no longer change. Audited.
func (tx *Tx) SaveSheet(ctx context.Context, id, tid int64, marks []inspection.Mark, onsite string, submit bool) error {
	in, s, err := tx.sheetFor(ctx, id, tid, inspection.ActScore)
	if err != nil {
		return err
	}
	if s.Checklist == nil {
		return domain.Invalid("marks", "督察评查没有评查表")
	}
	onsite = strings.TrimSpace(onsite)
	if utf8.RuneCountInString(onsite) > inspection.MaxPlan {
		return domain.Invalid("onsite", "现场检查记录不超过20000字")
	}
	score, err := inspection.Score(&s.Checklist.Checklist, marks)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM inspection_marks WHERE target_id = ?", tid); err != nil {
		return fmt.Errorf("replacing marks: %w", err)
	}
	for i, m := range marks {
		if _, err := tx.exec(ctx, "INSERT INTO inspection_marks (target_id, seq, deduction, note, evidence) VALUES (?, ?, ?, ?, ?)",
			tid, i+1, m.Deduction, strings.TrimSpace(m.Note), strings.TrimSpace(m.Evidence)); err != nil {
			return fmt.Errorf("storing a mark: %w", err)
		}
	}
	grade := in.Thresholds.GradeOf(score, s.Checklist.Total())
	state, at, detail := inspection.TargetOpen, any(nil), "暂存评查表"
	if submit {
		state, at, detail = inspection.TargetSubmitted, tx.db.now(), fmt.Sprintf("提交评查表，得分%d/%d，%s", score, s.Checklist.Total(), grade.Label())
	}
	if _, err := tx.exec(ctx, "UPDATE inspection_targets SET score = ?, grade = ?, onsite = ?, state = ?, submitted_at = ? WHERE id = ?",
		score, grade, onsite, state, at, tid); err != nil {
		return fmt.Errorf("storing a sheet: %w", err)
	}
	return tx.auditTarget(ctx, in, s, "sheet", detail)
}

// RecheckSheet records the leader's re-check in a transaction of its own.
func (db *DB) RecheckSheet(ctx context.Context, v domain.Viewer, id, tid int64, confirm bool, note string) error {
	return db.Update(ctx, v, func(tx *Tx) error {
		in, s, err := tx.sheetFor(ctx, id, tid, inspection.ActRecheck)
		if err != nil {
			return err
		}
		note = strings.TrimSpace(note)
		if utf8.RuneCountInString(note) > inspection.MaxFinding || !confirm && note == "" {
			return domain.Invalid("recheck_note", "退回重评时请写明理由（2000字以内）")
		}
		state, detail := inspection.TargetRechecked, "组长复核确认"+s.Grade.Label()
		if !confirm {
			state, detail = inspection.TargetOpen, "组长退回重评："+note
		}
		if _, err := tx.exec(ctx, "UPDATE inspection_targets SET state = ?, recheck_note = ?, rechecked_by = ? WHERE id = ?",
			state, note, actorName(tx.v), tid); err != nil {
			return fmt.Errorf("re-checking a sheet: %w", err)
		}
		return tx.auditTarget(ctx, in, s, "recheck", detail)
	})
}

// AddFinding records a finding from target tid in a transaction of its
// own and returns its id.
func (db *DB) AddFinding(ctx context.Context, v domain.Viewer, id, tid int64, f inspection.Finding, aboutOfficer bool) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.AddFinding(ctx, id, tid, f, aboutOfficer) })
}

// AddFinding has the reviewer of target tid record a finding about its
// court and department and, when aboutOfficer, its officer, who is told
// and may answer it within the campaign's answer days. Audited.
func (tx *Tx) AddFinding(ctx context.Context, id, tid int64, f inspection.Finding, aboutOfficer bool) (int64, error) {
	in, s, err := tx.sheetFor(ctx, id, tid, inspection.ActFinding)
	if err != nil {
		return 0, err
	}
	if err := f.Validate(); err != nil {
		return 0, err
	}
	var officer int64
	if aboutOfficer {
		if s.OfficerID == 0 {
			return 0, domain.Invalid("about", "该评查对象没有可对应的承办人，请记录为针对法院（部门）的问题")
		}
		officer = s.OfficerID
	}
	due := tx.db.today().AddDays(in.AnswerDays)
	var fid int64
	if err := tx.queryRow(ctx, `INSERT INTO inspection_findings (campaign_id, target_id, court_id, department, officer_id, case_no, category, severity, text, answer_due, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, tid, s.CourtID, s.Department, nullID(officer), s.CaseNo, f.Category, f.Severity, f.Text,
		due, tx.db.now()).Scan(&fid); err != nil {
		return 0, fmt.Errorf("recording a finding: %w", translate(err))
	}
	if officer != 0 {
		if err := tx.Notify(ctx, []int64{officer}, oversight.Notice{Kind: oversight.NoticeGeneral,
			Title: fmt.Sprintf("专项督察评查发现涉及您的问题，可于%s前说明、申辩", due), Link: fmt.Sprintf("/inspections/%d#finding-%d", id, fid), CourtID: s.CourtID}); err != nil {
			return 0, err
		}
	}
	return fid, tx.auditTarget(ctx, in, s, "finding", fmt.Sprintf("记录问题%d（%s，%s）", fid, f.Category, f.Severity.Label()))
}

// AddTargetFile keeps evidence with target tid, for its reviewer while
// the campaign is carried out; it is seen by whoever sees the whole
// campaign. Audited with its name, size and SHA-256.
func (db *DB) AddTargetFile(ctx context.Context, v domain.Viewer, id, tid int64, name string, data []byte) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) {
		in, s, err := tx.sheetFor(ctx, id, tid, inspection.ActFile)
		if err != nil {
			return 0, err
		}
		name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, "\\", "/")))
		if name == "" || name == "." || name == "/" || utf8.RuneCountInString(name) > 200 {
			name = "证据"
		}
		ct, err := checkAttachment(name, data)
		if err != nil {
			return 0, err
		}
		sum := sha256.Sum256(data)
		var aid int64
		if err := tx.queryRow(ctx, `INSERT INTO attachments (owner_kind, owner_id, name, content_type, size, sha256, data, uploaded_by, created_at)
			VALUES ('inspection_target', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, tid, name, ct, len(data), hex.EncodeToString(sum[:]), data,
			actorName(tx.v), tx.db.now()).Scan(&aid); err != nil {
			return 0, fmt.Errorf("keeping evidence: %w", translate(err))
		}
		return aid, tx.auditTarget(ctx, in, s, "file", fmt.Sprintf("证据%d：%s，%d字节，SHA-256 %s", aid, name, len(data), hex.EncodeToString(sum[:])))
	})
}

// canSeeTargetFile reports whether v sees evidence kept with target tid:
// whoever sees its whole campaign.
func canSeeTargetFile(ctx context.Context, q querier, v domain.Viewer, tid int64) error {
	var cid int64
	if err := q.queryRow(ctx, "SELECT campaign_id FROM inspection_targets WHERE id = ?", tid).Scan(&cid); err != nil {
		return translate(err)
	}
	in, err := inspectionRow(ctx, q, v, cid)
	if err != nil {
		return err
	}
	if !in.Full {
		return fmt.Errorf("inspection evidence: %w", domain.ErrNotFound)
	}
	return nil
}

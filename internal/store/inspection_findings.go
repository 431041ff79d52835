package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
)

// InspectionFinding is a problem found in a review, as the viewer may see
// it: the whole campaign's findings for whoever sees it all, a court's
// own for its three bodies, an officer's own for him.
type InspectionFinding struct {
	ID         int64
	CampaignID int64
	TargetID   int64
	CourtID    int64
	CourtCode  string
	CourtName  string
	CourtPath  string
	Department string
	OfficerID  int64
	Officer    string
	CaseNo     string
	inspection.Finding
	AnswerDue  domain.Date
	Answer     string
	AnsweredAt time.Time
	State      inspection.FindingState
	Reason     string
	DecidedBy  string
	RectID     int64
	// ClueID is the clue it went to, for a viewer who may know
	// (inspection.SeesReferral); 0 for everyone else.
	ClueID    int64
	referred  bool // it went to a clue, whether or not the viewer may know
	CreatedAt time.Time
	Actions   []inspection.FindingAction
}

func (f *InspectionFinding) facts() inspection.FindingFacts {
	return inspection.FindingFacts{State: f.State, Officer: f.OfficerID, AnswerDue: f.AnswerDue, Followed: f.RectID != 0 || f.ClueID != 0}
}

// findingsOf lists the findings of campaign in that v sees and that match
// cond, with the steps v may take on each.
func findingsOf(ctx context.Context, q querier, today domain.Date, v domain.Viewer, in *Inspection, cond string, args ...any) ([]*InspectionFinding, error) {
	where, wargs := "f.campaign_id = ?", []any{in.ID}
	if cond != "" {
		where, wargs = where+" AND "+cond, append(wargs, args...)
	}
	out, err := collect(ctx, q, func(row scanner) (*InspectionFinding, error) {
		var f InspectionFinding
		var ans sql.NullTime
		err := row.Scan(&f.ID, &f.CampaignID, &f.TargetID, &f.CourtID, &f.CourtCode, &f.CourtName, &f.CourtPath, &f.Department, &f.OfficerID, &f.Officer,
			&f.CaseNo, &f.Category, &f.Severity, &f.Text, &f.AnswerDue, &f.Answer, &ans, &f.State, &f.Reason, &f.DecidedBy, &f.RectID, &f.ClueID, &f.CreatedAt)
		f.AnsweredAt, f.CreatedAt = timeOf(ans), f.CreatedAt.UTC()
		return &f, err
	}, `SELECT f.id, f.campaign_id, COALESCE(f.target_id, 0), f.court_id, c.code, c.name, c.path, f.department, COALESCE(f.officer_id, 0), COALESCE(u.name, ''),
		f.case_no, f.category, f.severity, f.text, f.answer_due, f.answer, f.answered_at, f.state, f.reason, f.decided_by, COALESCE(f.rect_id, 0),
		COALESCE(f.clue_id, 0), f.created_at
		FROM inspection_findings f JOIN courts c ON c.id = f.court_id LEFT JOIN users u ON u.id = f.officer_id
		WHERE `+where+` ORDER BY c.path, f.id`, wargs...)
	if err != nil {
		return nil, fmt.Errorf("listing findings: %w", err)
	}
	a := in.Access()
	kept := out[:0]
	for _, f := range out {
		if !inspection.SeesFinding(v, a, f.CourtPath, f.OfficerID) {
			continue
		}
		// The actions are asked with what the viewer may not know
		// (a clue) still in place, so that nobody follows a finding twice.
		f.Actions = inspection.FindingActions(v, a, f.facts(), today)
		f.referred = f.ClueID != 0
		if !inspection.SeesReferral(v, a) {
			f.ClueID = 0
		}
		kept = append(kept, f)
	}
	return kept, nil
}

// InspectionFindings lists the findings of campaign id that v sees.
func (db *DB) InspectionFindings(ctx context.Context, v domain.Viewer, id int64) ([]*InspectionFinding, error) {
	in, err := inspectionRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	return findingsOf(ctx, db, db.today(), v, in, "")
}

// findingFor loads finding fid of campaign id for tx's viewer and checks
// that act is his to take now.
func (tx *Tx) findingFor(ctx context.Context, id, fid int64, act inspection.FindingAction) (*Inspection, *InspectionFinding, error) {
	in, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return nil, nil, err
	}
	fs, err := findingsOf(ctx, tx, tx.db.today(), tx.v, in, "f.id = ?", fid)
	if err != nil {
		return nil, nil, err
	}
	if len(fs) == 0 {
		return nil, nil, fmt.Errorf("inspection finding %d: %w", fid, domain.ErrNotFound)
	}
	f := fs[0]
	if !inspection.Allows(f.Actions, act) {
		msg := map[inspection.FindingAction]string{
			inspection.ActAnswer:   "只有问题涉及的本人可以在期限内说明、申辩。",
			inspection.ActKeep:     "只有组长可以在汇总阶段、说明申辩后或期限届满后认定问题。",
			inspection.ActWithdraw: "只有组长可以在汇总阶段、说明申辩后或期限届满后认定问题。",
			inspection.ActRectify:  "只有组长可以在汇总阶段将维持的问题交办整改。",
			inspection.ActClue:     "只有工作组中的纪检监察组、监察室人员可以在汇总阶段移送问题线索。",
		}[act]
		return nil, nil, domain.Errorf(domain.ErrForbidden, "%s", msg)
	}
	return in, f, nil
}

func (tx *Tx) auditFinding(ctx context.Context, in *Inspection, f *InspectionFinding, action, detail string) error {
	return tx.Audit(ctx, Entry{Action: "inspection." + action, ObjectType: "inspection", ObjectID: fmt.Sprint(in.ID), CourtPath: f.CourtPath, Success: true,
		Detail: fmt.Sprintf("问题%d：%s", f.ID, detail)})
}

// AnswerFinding records the officer's answer in a transaction of its own.
func (db *DB) AnswerFinding(ctx context.Context, v domain.Viewer, id, fid int64, answer string) error {
	return db.Update(ctx, v, func(tx *Tx) error {
		in, f, err := tx.findingFor(ctx, id, fid, inspection.ActAnswer)
		if err != nil {
			return err
		}
		answer = strings.TrimSpace(answer)
		if n := utf8.RuneCountInString(answer); n == 0 || n > inspection.MaxFinding {
			return domain.Invalid("answer", "请填写说明、申辩（2000字以内）")
		}
		if _, err := tx.exec(ctx, "UPDATE inspection_findings SET answer = ?, answered_at = ?, state = 'answered' WHERE id = ? AND state = 'open'",
			answer, tx.db.now(), fid); err != nil {
			return fmt.Errorf("answering a finding: %w", err)
		}
		if lead := inspection.Leader(in.Members).UserID; lead != 0 {
			if err := tx.Notify(ctx, []int64{lead}, oversight.Notice{Kind: oversight.NoticeGeneral, Title: "专项督察评查问题已收到说明、申辩，请认定",
				Link: fmt.Sprintf("/inspections/%d#finding-%d", id, fid), CourtID: in.CourtID}); err != nil {
				return err
			}
		}
		return tx.auditFinding(ctx, in, f, "answer", "本人提交说明、申辩")
	})
}

// DecideInspectionFinding keeps or withdraws a finding in a transaction of its own.
func (db *DB) DecideInspectionFinding(ctx context.Context, v domain.Viewer, id, fid int64, keep bool, reason string) error {
	return db.Update(ctx, v, func(tx *Tx) error {
		act := inspection.ActKeep
		if !keep {
			act = inspection.ActWithdraw
		}
		in, f, err := tx.findingFor(ctx, id, fid, act)
		if err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if n := utf8.RuneCountInString(reason); n == 0 || n > inspection.MaxFinding {
			return domain.Invalid("reason", "请写明维持或撤销的理由（2000字以内）")
		}
		state := inspection.FindingKept
		if !keep {
			state = inspection.FindingWithdrawn
		}
		if _, err := tx.exec(ctx, "UPDATE inspection_findings SET state = ?, reason = ?, decided_by = ? WHERE id = ?", state, reason, actorName(tx.v), fid); err != nil {
			return fmt.Errorf("deciding a finding: %w", err)
		}
		return tx.auditFinding(ctx, in, f, string(act), state.Label()+"："+reason)
	})
}

// RectifyFinding orders rectification of a kept finding in a transaction
// of its own and returns the rectification's id.
func (db *DB) RectifyFinding(ctx context.Context, v domain.Viewer, id, fid int64, deadline domain.Date, task string) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.RectifyFinding(ctx, id, fid, deadline, task) })
}

// RectifyFinding has the leader turn kept finding fid into a
// rectification (the shared object, source kind inspection) of the
// finding's court issued by the organising court, with an item for the
// officer it names by the deadline — the bureau of that court splits one
// about a court or department into items itself. Audited.
func (tx *Tx) RectifyFinding(ctx context.Context, id, fid int64, deadline domain.Date, task string) (int64, error) {
	in, f, err := tx.findingFor(ctx, id, fid, inspection.ActRectify)
	if err != nil {
		return 0, err
	}
	task = strings.TrimSpace(task)
	fe := domain.FieldErrors{}
	if deadline.IsZero() || deadline.Before(tx.db.today()) {
		fe.Add("deadline", "请填写整改期限（不早于今天）")
	}
	if n := utf8.RuneCountInString(task); n == 0 || n > oversight.MaxMeasures {
		fe.Add("task", "请写明整改要求")
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	title := f.Text
	if utf8.RuneCountInString(title) > 40 {
		title = string([]rune(title)[:40]) + "…"
	}
	var rid int64
	if err := tx.queryRow(ctx, `INSERT INTO rectifications (court_id, issuer_court, source_kind, source_id, title, deadline, issued_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.CourtID, in.CourtID, oversight.SourceInspection, fid, title, deadline, actorName(tx.v), tx.db.now()).Scan(&rid); err != nil {
		return 0, fmt.Errorf("opening a rectification: %w", translate(err))
	}
	if _, err := tx.exec(ctx, "UPDATE inspection_findings SET rect_id = ? WHERE id = ?", rid, fid); err != nil {
		return 0, fmt.Errorf("linking a rectification: %w", err)
	}
	r := &Rectification{ID: rid, CourtID: f.CourtID}
	if f.OfficerID != 0 {
		unit := f.CourtName + f.Department
		if utf8.RuneCountInString(unit) > oversight.MaxUnit {
			unit = f.CourtName
		}
		if _, err := tx.exec(ctx, `INSERT INTO rectification_items (rectification_id, unit, responsible_id, deadline, task, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			rid, unit, f.OfficerID, deadline, task, tx.db.now()); err != nil {
			return 0, fmt.Errorf("adding a rectification item: %w", translate(err))
		}
		if err := tx.notifyItem(ctx, r, f.OfficerID, "您有一项专项督察评查整改事项待整改，期限"+deadline.String()); err != nil {
			return 0, err
		}
	} else {
		to, err := postHolders(ctx, tx, f.CourtID, oversight.PostBureauLiaison)
		if err != nil {
			return 0, err
		}
		if len(to) > 0 {
			if err := tx.Notify(ctx, to, oversight.Notice{Kind: oversight.NoticeRectification, Title: "专项督察评查发现问题，请分解整改事项",
				Link: fmt.Sprintf("/rectifications/%d", rid), CourtID: f.CourtID}); err != nil {
				return 0, err
			}
		}
	}
	return rid, tx.auditFinding(ctx, in, f, "rectify", fmt.Sprintf("交办整改%d，期限%s", rid, deadline))
}

// ReferFinding refers a kept finding to the watchdogs in a transaction of
// its own and returns the clue's id.
func (db *DB) ReferFinding(ctx context.Context, v domain.Viewer, id, fid int64, summary string) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.ReferFinding(ctx, id, fid, summary) })
}

// ReferFinding has a watchdog of the group register kept finding fid,
// which points to a violation by the officer it names, as a clue (source
// kind inspection, source_id the finding), its link kept on the finding.
// Audited without the summary, as clues are.
func (tx *Tx) ReferFinding(ctx context.Context, id, fid int64, summary string) (int64, error) {
	in, f, err := tx.findingFor(ctx, id, fid, inspection.ActClue)
	if err != nil {
		return 0, err
	}
	if f.OfficerID == 0 {
		return 0, domain.Invalid("summary", "问题线索应有反映对象；针对法院（部门）的问题请交办整改")
	}
	var username string
	if err := tx.queryRow(ctx, "SELECT username FROM users WHERE id = ?", f.OfficerID).Scan(&username); err != nil {
		return 0, translate(err)
	}
	cid, err := tx.RegisterClue(ctx, f.CourtCode, oversight.Clue{Source: oversight.SourceFinding, SourceID: fid, Persons: []string{username},
		Summary: strings.TrimSpace(summary)}, "")
	if err != nil {
		var ve *domain.ValidationError
		if errors.As(err, &ve) && ve.Fields["summary"] == "" && len(ve.Fields) > 0 {
			for _, m := range ve.Fields {
				return 0, domain.Invalid("summary", m)
			}
		}
		return 0, err
	}
	if _, err := tx.exec(ctx, "UPDATE inspection_findings SET clue_id = ? WHERE id = ?", cid, fid); err != nil {
		return 0, fmt.Errorf("linking a clue: %w", err)
	}
	return cid, tx.auditFinding(ctx, in, f, "clue", fmt.Sprintf("移送问题线索%d", cid))
}

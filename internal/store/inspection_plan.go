package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
)

// A campaign's plan is its text and the files that go with it (the 工作方案
// as issued, its annexes), kept as attachments of owner kind
// "inspection_plan" with the campaign's id. They are the group's working
// papers: the group adds them while preparing, and only those who see the
// whole campaign read them — never a court in scope, never an officer.

const planFileKind = "inspection_plan"

// AddInspectionPlanFile keeps a file with campaign id's plan, in a
// transaction of its own, and returns its id.
func (db *DB) AddInspectionPlanFile(ctx context.Context, v domain.Viewer, id int64, f FileIn) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.AddInspectionPlanFile(ctx, id, f) })
}

// AddInspectionPlanFile has a member of campaign id's group, while it is
// prepared (inspection.CanEdit), keep file f with its plan; the right is
// checked before the file is looked at. Audited with its name, size and
// SHA-256.
func (tx *Tx) AddInspectionPlanFile(ctx context.Context, id int64, f FileIn) (int64, error) {
	in, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return 0, err
	}
	if !inspection.CanEdit(tx.v, in.Access()) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有工作组成员可以在筹备阶段上传工作方案附件。")
	}
	aid, detail, err := tx.keepFile(ctx, planFileKind, id, f)
	if err != nil {
		return 0, err
	}
	return aid, tx.Audit(ctx, Entry{Action: "attachment.add", ObjectType: "inspection", ObjectID: fmt.Sprint(id), CourtPath: in.OrganiserPath, Success: true,
		Detail: "工作方案" + detail})
}

// InspectionPlanFiles lists the files of campaign id's plan for whoever
// sees the whole campaign.
func (db *DB) InspectionPlanFiles(ctx context.Context, v domain.Viewer, id int64) ([]Attachment, error) {
	if err := canSeePlanFile(ctx, db, v, id); err != nil {
		return nil, err
	}
	return attachmentsOf(ctx, db, planFileKind, id)
}

// canSeePlanFile reports whether v reads the plan's files of campaign id:
// "not found" for whoever does not see the whole campaign, so that a court
// in scope or an officer learns nothing of them.
func canSeePlanFile(ctx context.Context, q querier, v domain.Viewer, id int64) error {
	in, err := inspectionRow(ctx, q, v, id)
	if err != nil {
		return err
	}
	if !in.Full {
		return fmt.Errorf("inspection plan files: %w", domain.ErrNotFound)
	}
	return nil
}

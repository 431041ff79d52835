package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
)

// SetCaseFlags sets a case's two flags in a transaction of its own.
func (db *DB) SetCaseFlags(ctx context.Context, v domain.Viewer, caseID int64, socialImpact, publicOpinion bool) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.SetCaseFlags(ctx, caseID, socialImpact, publicOpinion) })
}

// SetCaseFlags records, for tx's viewer — the bureau of the case's court
// or a court above — whether the case has 较大社会影响 and may cause
// 重大舆情, and refreshes its court's key-case candidates in the same
// transaction, so that a flag set here is a candidate reason from today.
// Audited.
func (tx *Tx) SetCaseFlags(ctx context.Context, caseID int64, socialImpact, publicOpinion bool) error {
	k, err := caseRow(ctx, tx, tx.v, "k.id = ?", caseID)
	if err != nil {
		return err
	}
	if !tx.v.System && !(tx.v.Has(domain.RoleBureau) && tx.v.CanWriteCases(k.CourtPath)) {
		return domain.Errorf(domain.ErrForbidden, "只有执行局可以标注案件的社会影响和舆情。")
	}
	if k.SocialImpact == socialImpact && k.PublicOpinion == publicOpinion {
		return nil
	}
	if _, err := tx.exec(ctx, "UPDATE cases SET social_impact = ?, public_opinion = ?, updated_at = ? WHERE id = ?",
		socialImpact, publicOpinion, tx.db.now(), k.ID); err != nil {
		return fmt.Errorf("setting the case's flags: %w", err)
	}
	yes := map[bool]string{true: "是", false: "否"}
	if err := tx.Audit(ctx, Entry{Action: "case.flags", ObjectType: "case", ObjectID: k.Number, CourtPath: k.CourtPath, Success: true,
		Detail: "有较大社会影响：" + yes[socialImpact] + "；可能引发重大舆情：" + yes[publicOpinion]}); err != nil {
		return err
	}
	// The refresh runs as the program: the bureau of a court above may
	// flag a case it does not see on the candidate list.
	_, err = tx.as(domain.SystemViewer("case.flags")).RefreshCandidates(ctx, k.CourtCode)
	return err
}

package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// SuperviseCase marks a case as supervised by the viewer's court in a
// transaction of its own.
func (db *DB) SuperviseCase(ctx context.Context, v domain.Viewer, caseID int64, s domain.Supervision) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.SuperviseCase(ctx, caseID, s) })
}

// SuperviseCase records, for tx's viewer — the bureau or command centre of
// a court above the case's — that its court supervises the case (督办),
// with the document number, date and note, audited. The focused scan
// visits the case for the supervision from that date.
func (tx *Tx) SuperviseCase(ctx context.Context, caseID int64, s domain.Supervision) error {
	v := tx.v
	k, err := caseRow(ctx, tx, v, "k.id = ?", caseID)
	if err != nil {
		return err
	}
	if !v.CanSupervise(k.CourtPath) {
		return domain.Errorf(domain.ErrForbidden, "只有上级法院的执行局或执行指挥中心可以督办本案。")
	}
	s.Doc, s.Note = strings.TrimSpace(s.Doc), strings.TrimSpace(s.Note)
	if err := s.Validate(tx.db.today()); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE cases SET supervised_by = ?, supervised_since = ?, supervised_doc = ?, supervised_note = ?, updated_at = ? WHERE id = ?",
		v.CourtCode, s.On, s.Doc, s.Note, tx.db.now(), k.ID); err != nil {
		return fmt.Errorf("marking the supervision: %w", err)
	}
	if err := tx.notifyCase(ctx, k.ID, k.CourtID, []oversight.Post{oversight.PostBureauLeader, oversight.PostBureauLiaison}, oversight.Notice{
		Kind: oversight.NoticeCaseSupervised, Title: "上级法院督办案件：" + k.Number, Link: fmt.Sprintf("/cases/%d", k.ID),
		Key: fmt.Sprintf("supervise:%d:%s", k.ID, s.On)}); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "case.supervise", ObjectType: "case", ObjectID: k.Number, CourtPath: k.CourtPath, Success: true,
		Detail: fmt.Sprintf("%s督办，文号%s，日期%s：%s", v.CourtCode, s.Doc, s.On, s.Note)})
}

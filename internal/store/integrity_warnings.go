package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
)

// IntegrityWarning is an early warning of the register: proposed by a
// rule on an officer's facts, accepted as a 预警约谈 or dismissed.
type IntegrityWarning struct {
	ID                   int64
	CourtID              int64
	CourtName, CourtPath string
	UserID               int64
	Person               string
	Rule                 integrity.RuleID
	Facts                []integrity.Fact
	Reason               string
	State                integrity.State
	ProposedBy           string
	ProposedAt           time.Time
	DecidedBy, Note      string
	DecidedAt            time.Time
	DispositionID        int64
	Actions              []integrity.Action // what the viewer may do now
}

// warningScope limits warnings (alias w) to a watchdog's subtree, never
// those about himself.
func warningScope(v domain.Viewer) (string, []any, error) {
	return registerScope(v, integrity.Sees(v) && v.CourtPath != "", "廉政档案仅供纪检监察组、监察室查看。", []reach{inSubtree("w.court_id", v)},
		"w.user_id <> ?")
}

const warningColumns = `w.id, w.court_id, c.name, c.path, w.user_id, u.name, w.rule, w.facts, w.reason, w.state, w.proposed_by, w.proposed_at,
	w.decided_by, w.decided_at, w.decision_note, COALESCE(w.disposition_id, 0)`

const warningFrom = " FROM integrity_warnings w JOIN courts c ON c.id = w.court_id JOIN users u ON u.id = w.user_id"

func scanWarning(row scanner) (*IntegrityWarning, error) {
	var w IntegrityWarning
	var facts string
	var decided sql.NullTime
	if err := row.Scan(&w.ID, &w.CourtID, &w.CourtName, &w.CourtPath, &w.UserID, &w.Person, &w.Rule, &facts, &w.Reason, &w.State, &w.ProposedBy,
		&w.ProposedAt, &w.DecidedBy, &decided, &w.Note, &w.DispositionID); err != nil {
		return nil, translate(err)
	}
	w.ProposedAt, w.DecidedAt = w.ProposedAt.UTC(), timeOf(decided)
	if err := json.Unmarshal([]byte(facts), &w.Facts); err != nil {
		return nil, fmt.Errorf("reading the facts of warning %d: %w", w.ID, err)
	}
	return &w, nil
}

// IntegrityWarnings lists the warnings about officer id that v may see,
// newest first, each with what v may do to it now.
func (db *DB) IntegrityWarnings(ctx context.Context, v domain.Viewer, id int64) ([]*IntegrityWarning, error) {
	scope, args, err := warningScope(v)
	if err != nil {
		return nil, err
	}
	ws, err := collect(ctx, db, scanWarning, "SELECT "+warningColumns+warningFrom+" WHERE w.user_id = ? AND "+scope+" ORDER BY w.proposed_at DESC, w.id DESC",
		append([]any{id}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("listing warnings: %w", err)
	}
	for _, w := range ws {
		w.Actions = integrity.Actions(w.State, v, w.UserID, w.CourtPath)
	}
	return ws, nil
}

// IntegrityWarning returns warning id, with what v may do to it now, if v
// may see it.
func (db *DB) IntegrityWarning(ctx context.Context, v domain.Viewer, id int64) (*IntegrityWarning, error) {
	w, err := warningRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	w.Actions = integrity.Actions(w.State, v, w.UserID, w.CourtPath)
	return w, nil
}

func warningRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*IntegrityWarning, error) {
	scope, args, err := warningScope(v)
	if err != nil {
		return nil, err
	}
	return registerRow(ctx, q, scanWarning, "SELECT "+warningColumns+warningFrom, "w.id", id, scope, args, "warning")
}

// warningFor loads warning id for action a by tx's viewer: refused unless
// he sees it and the warning still waits for a.
func (tx *Tx) warningFor(ctx context.Context, id int64, a integrity.Action) (*IntegrityWarning, error) {
	w, err := warningRow(ctx, tx, tx.v, id)
	if err != nil {
		return nil, err
	}
	if _, ok := integrity.Next(w.State, a); !ok {
		return nil, domain.Errorf(domain.ErrConflict, "该预警已%s，不能再处理。", w.State.Label())
	}
	if !integrity.Allowed(a, w.State, tx.v, w.UserID, w.CourtPath) {
		return nil, domain.Errorf(domain.ErrForbidden, "只有本院或上级法院的纪检监察组、监察室可以处理预警。")
	}
	return w, nil
}

// moveWarning records action a on w, with the decider and a note.
func (tx *Tx) moveWarning(ctx context.Context, w *IntegrityWarning, a integrity.Action, note string, disposition int64) error {
	next, _ := integrity.Next(w.State, a)
	// The state in the WHERE makes two decisions at once one decision:
	// the second finds the warning decided and changes nothing.
	res, err := tx.exec(ctx, `UPDATE integrity_warnings SET state = ?, decided_by = ?, decided_at = ?, decision_note = ?, disposition_id = ?
		WHERE id = ? AND state = ?`, next, actorName(tx.v), tx.db.now(), note, nullID(disposition), w.ID, w.State)
	if err != nil {
		return fmt.Errorf("deciding a warning: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return domain.Errorf(domain.ErrConflict, "该预警已由他人处理，请刷新页面。")
	}
	return nil
}

// AcceptIntegrityWarning accepts a warning in a transaction of its own and
// returns the disposition it became.
func (db *DB) AcceptIntegrityWarning(ctx context.Context, v domain.Viewer, id int64, a integrity.Acceptance) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.AcceptIntegrityWarning(ctx, id, a) })
}

// AcceptIntegrityWarning accepts proposed warning id as a 预警约谈: in the
// same transaction, a first-form disposition of the officer (measure
// 预警约谈, the warning's reason its basis) with the talk held under it.
// It returns the disposition's id.
func (tx *Tx) AcceptIntegrityWarning(ctx context.Context, id int64, a integrity.Acceptance) (int64, error) {
	w, err := tx.warningFor(ctx, id, integrity.ActAccept)
	if err != nil {
		return 0, err
	}
	if err := a.Validate(tx.db.today()); err != nil {
		return 0, err
	}
	if !tx.db.measures().Allows(1, integrity.Measure) {
		return 0, domain.Errorf(domain.ErrConflict, "现行第一种形态的处置措施中没有“%s”，请系统管理员在 --measures 中加入。", integrity.Measure)
	}
	basis := integrity.Clip("廉政档案预警（" + w.Rule.Title() + "）：" + integrity.Grounds(w.Reason, w.Facts))
	did, err := tx.insertDisposition(ctx, w.UserID, oversight.Form(1), integrity.Measure, basis, a.Decider, a.Talk.HeldOn, a.Talk.FollowUpOn, origin{})
	if err != nil {
		return 0, err
	}
	if err := tx.insertTalk(ctx, did, a.Talk); err != nil {
		return 0, err
	}
	if err := tx.moveWarning(ctx, w, integrity.ActAccept, "", did); err != nil {
		return 0, err
	}
	return did, tx.Audit(ctx, Entry{Action: "integrity.accept", ObjectType: "integrity_warning", ObjectID: fmt.Sprint(id), CourtPath: w.CourtPath, Success: true,
		Detail: fmt.Sprintf("预警约谈：%s（%s），处置%d", w.Person, w.Rule.Title(), did)})
}

// DismissIntegrityWarning dismisses a warning in a transaction of its own.
func (db *DB) DismissIntegrityWarning(ctx context.Context, v domain.Viewer, id int64, reason string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.DismissIntegrityWarning(ctx, id, reason) })
}

// DismissIntegrityWarning dismisses proposed warning id with the reason
// why no talk is held; the warning stays, with who, when and why.
func (tx *Tx) DismissIntegrityWarning(ctx context.Context, id int64, reason string) error {
	w, err := tx.warningFor(ctx, id, integrity.ActDismiss)
	if err != nil {
		return err
	}
	if reason, err = integrity.CheckDismissal(reason); err != nil {
		return err
	}
	if err := tx.moveWarning(ctx, w, integrity.ActDismiss, reason, 0); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "integrity.dismiss", ObjectType: "integrity_warning", ObjectID: fmt.Sprint(id), CourtPath: w.CourtPath, Success: true,
		Detail: fmt.Sprintf("不予约谈：%s（%s）", w.Person, w.Rule.Title())})
}

// IntegrityTodo is a warning waiting on a watchdog of the officer's court.
type IntegrityTodo struct {
	ID, UserID int64
	Person     string
	Rule       integrity.RuleID
	Court      string
	ProposedAt time.Time
}

// IntegrityTodos lists, for a watchdog, the warnings about officers of his
// own court waiting for a decision (none about himself), oldest first:
// the court's watchdogs decide them; those above see them on the list.
func (db *DB) IntegrityTodos(ctx context.Context, v domain.Viewer, limit int) ([]IntegrityTodo, error) {
	if v.System || !v.IsWatchdog() || v.UserID == 0 || v.CourtID == 0 {
		return nil, nil
	}
	out, err := collect(ctx, db, func(row scanner) (t IntegrityTodo, err error) {
		err = row.Scan(&t.ID, &t.UserID, &t.Person, &t.Rule, &t.Court, &t.ProposedAt)
		return t, err
	}, `SELECT w.id, w.user_id, u.name, w.rule, c.name, w.proposed_at FROM integrity_warnings w JOIN users u ON u.id = w.user_id JOIN courts c ON c.id = w.court_id
		WHERE w.state = 'proposed' AND w.court_id = ? AND w.user_id <> ? ORDER BY w.proposed_at, w.id LIMIT ?`, v.CourtID, v.UserID, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("listing warning to-dos: %w", err)
	}
	return out, nil
}

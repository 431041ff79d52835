package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
)

// today is the current day in Beijing time.
func (db *DB) today() domain.Date { return domain.DateOf(db.Now(), domain.Beijing) }

// Today is the current day in Beijing time, by the store's clock.
func (db *DB) Today() domain.Date { return db.today() }

func (db *DB) limits() *deadline.Limits {
	if db.Limits == nil {
		db.Limits = deadline.DefaultLimits()
	}
	return db.Limits
}

// applyLimit sets the case's due date from its ledger.
func (db *DB) applyLimit(c *domain.Case, ext []deadline.Extension, pauses []deadline.Pause) {
	res, ok := db.limits().ForCaseDue(c, ext, pauses, db.today())
	c.DueOn, c.ClockStopped = domain.Date{}, false
	if !ok {
		return
	}
	if res.Running {
		c.ClockStopped = true
		return
	}
	c.DueOn = res.Due
}

// Ledger is a case's pause ledger and extensions.
type Ledger struct {
	Pauses     []LedgerPause
	Extensions []LedgerExtension
}

// LedgerPause is a stored pause.
type LedgerPause struct {
	ID int64
	deadline.Pause
}

// LedgerExtension is a stored extension.
type LedgerExtension struct {
	ID int64
	deadline.Extension
}

// DeadlinePauses returns the pauses as the engine takes them.
func (l *Ledger) DeadlinePauses() []deadline.Pause {
	out := make([]deadline.Pause, len(l.Pauses))
	for i, p := range l.Pauses {
		out[i] = p.Pause
	}
	return out
}

// DeadlineExtensions returns the extensions as the engine takes them.
func (l *Ledger) DeadlineExtensions() []deadline.Extension {
	out := make([]deadline.Extension, len(l.Extensions))
	for i, e := range l.Extensions {
		out[i] = e.Extension
	}
	return out
}

func (db *DB) loadLedger(ctx context.Context, q querier, caseID int64) (*Ledger, error) {
	l := &Ledger{}
	var err error
	l.Pauses, err = collect(ctx, q, func(row scanner) (p LedgerPause, err error) {
		err = row.Scan(&p.ID, &p.Kind, &p.Basis, &p.Start, &p.End)
		return p, err
	}, "SELECT id, kind, basis, start_on, end_on FROM case_pauses WHERE case_id = ? ORDER BY start_on, id", caseID)
	if err != nil {
		return nil, fmt.Errorf("loading pauses: %w", err)
	}
	l.Extensions, err = collect(ctx, q, func(row scanner) (e LedgerExtension, err error) {
		var unit string
		if err := row.Scan(&e.ID, &e.Amount, &unit, &e.ApprovedOn, &e.Basis); err != nil {
			return e, err
		}
		if e.Unit, err = deadline.ParseUnit(unit); err != nil {
			return e, fmt.Errorf("extension %d: %w", e.ID, err)
		}
		return e, nil
	}, "SELECT id, amount, unit, approved_on, basis FROM case_extensions WHERE case_id = ? ORDER BY approved_on, id", caseID)
	if err != nil {
		return nil, fmt.Errorf("loading extensions: %w", err)
	}
	return l, nil
}

// CaseLedger returns the ledger of a case the viewer may see.
func (db *DB) CaseLedger(ctx context.Context, v domain.Viewer, caseID int64) (*Ledger, error) {
	if _, err := db.CaseByID(ctx, v, caseID); err != nil {
		return nil, err
	}
	return db.loadLedger(ctx, db, caseID)
}

// CaseWithLedger returns the case as CaseByID does and its ledger, loading
// the case (its parties and nodes) once: the case page needs both.
func (db *DB) CaseWithLedger(ctx context.Context, v domain.Viewer, caseID int64) (*domain.Case, *Ledger, error) {
	k, err := db.CaseByID(ctx, v, caseID)
	if err != nil {
		return nil, nil, err
	}
	l, err := db.loadLedger(ctx, db, k.ID)
	if err != nil {
		return nil, nil, err
	}
	return k, l, nil
}

// caseForLedger loads a case for a ledger change and checks that the
// viewer may make it: the bureau, or the command centre of the court.
func (tx *Tx) caseForLedger(ctx context.Context, caseID int64) (*domain.Case, error) {
	k, err := scanCase(tx.queryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE k.id = ?", caseID))
	if err != nil {
		return nil, fmt.Errorf("loading case %d: %w", caseID, err)
	}
	if !tx.v.CanSeeCourt(k.CourtPath) {
		return nil, fmt.Errorf("loading case %d: %w", caseID, domain.ErrNotFound)
	}
	if !tx.v.CanWriteCases(k.CourtPath) {
		return nil, domain.Errorf(domain.ErrForbidden, "只有执行局、执行指挥中心可以登记期限事项。")
	}
	if !tx.v.CanEditLedger(k) {
		return nil, domain.Errorf(domain.ErrConflict, "案件已结案，期限事项不再登记。")
	}
	return k, nil
}

// AddPause records a period that does not count toward the case's limit,
// with its basis, and recomputes the due date.
func (tx *Tx) AddPause(ctx context.Context, caseID int64, p deadline.Pause) error {
	k, err := tx.caseForLedger(ctx, caseID)
	if err != nil {
		return err
	}
	if err := p.Validate(k.FiledOn); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "INSERT INTO case_pauses (case_id, kind, basis, start_on, end_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		caseID, p.Kind, p.Basis, p.Start, p.End, nullID(tx.v.UserID), tx.db.now()); err != nil {
		return fmt.Errorf("adding pause: %w", err)
	}
	if err := tx.recompute(ctx, k); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "case.pause", ObjectType: "case", ObjectID: k.Number, CourtPath: k.CourtPath, Success: true,
		Detail: fmt.Sprintf("%s %s～%s，依据：%s", p.Kind, p.Start, p.End, p.Basis)})
}

// AddExtension records an approved extension of the case's limit.
func (tx *Tx) AddExtension(ctx context.Context, caseID int64, e deadline.Extension) error {
	k, err := tx.caseForLedger(ctx, caseID)
	if err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "INSERT INTO case_extensions (case_id, amount, unit, approved_on, basis, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		caseID, e.Amount, e.Unit.String(), e.ApprovedOn, e.Basis, nullID(tx.v.UserID), tx.db.now()); err != nil {
		return fmt.Errorf("adding extension: %w", err)
	}
	if err := tx.recompute(ctx, k); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "case.extend", ObjectType: "case", ObjectID: k.Number, CourtPath: k.CourtPath, Success: true,
		Detail: fmt.Sprintf("延长%s，%s批准，依据：%s", strconv.Itoa(e.Amount)+e.Unit.String(), e.ApprovedOn, e.Basis)})
}

// recompute stores the case's due date from its current ledger.
func (tx *Tx) recompute(ctx context.Context, k *domain.Case) error {
	l, err := tx.db.loadLedger(ctx, tx, k.ID)
	if err != nil {
		return err
	}
	tx.db.applyLimit(k, l.DeadlineExtensions(), l.DeadlinePauses())
	if _, err := tx.exec(ctx, "UPDATE cases SET due_on = ?, clock_stopped = ? WHERE id = ?", k.DueOn, k.ClockStopped, k.ID); err != nil {
		return fmt.Errorf("storing due date: %w", err)
	}
	return nil
}

// RecomputeDeadlines refreshes the due dates of open cases whose ledger
// depends on today: a pause running or ending. A daily job calls it; it
// returns how many cases it looked at.
func (db *DB) RecomputeDeadlines(ctx context.Context) (int, error) {
	today := db.today()
	ids, err := collect(ctx, db, scanID, `SELECT DISTINCT k.id FROM cases k JOIN case_pauses p ON p.case_id = k.id
		WHERE k.closed_on IS NULL AND (k.clock_stopped OR p.end_on IS NULL OR p.end_on >= ?)`, today.AddDays(-1))
	if err != nil {
		return 0, fmt.Errorf("finding cases to recompute: %w", err)
	}
	for start := 0; start < len(ids); start += 200 {
		chunk := ids[start:min(start+200, len(ids))]
		err := db.Update(ctx, domain.SystemViewer("job:deadlines"), func(tx *Tx) error {
			for _, id := range chunk {
				k, err := scanCase(tx.queryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE k.id = ?", id))
				if err != nil {
					return err
				}
				if err := tx.recompute(ctx, k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// LoadCalendar rebuilds the calendar from the built-in one and the files
// courts loaded, in the order loaded.
func (db *DB) LoadCalendar(ctx context.Context) error {
	cal := deadline.BuiltinCalendar()
	err := each(ctx, db, func(row scanner) error {
		var name, content string
		if err := row.Scan(&name, &content); err != nil {
			return err
		}
		c, err := deadline.ParseCalendar(strings.NewReader(content))
		if err != nil {
			return fmt.Errorf("calendar %s: %w", name, err)
		}
		cal = cal.Merge(c)
		return nil
	}, "SELECT name, content FROM calendar_files ORDER BY id")
	if err != nil {
		return fmt.Errorf("loading calendars: %w", err)
	}
	db.limits().Calendar = cal
	return nil
}

// AddCalendar stores a holiday calendar file after checking it parses.
func (tx *Tx) AddCalendar(ctx context.Context, name, content string) error {
	if !tx.v.CanAdminister() && !tx.v.Has(domain.RoleBureau) {
		return domain.Errorf(domain.ErrForbidden, "只有系统管理员或执行局可以导入节假日安排。")
	}
	if _, err := deadline.ParseCalendar(strings.NewReader(content)); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "INSERT INTO calendar_files (name, content, uploaded_by, created_at) VALUES (?, ?, ?, ?)", name, content, nullID(tx.v.UserID), tx.db.now()); err != nil {
		return fmt.Errorf("storing calendar: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "calendar.import", ObjectType: "calendar", ObjectID: name, Success: true})
}

package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

func scanAct(row scanner) (a tracking.Act, err error) {
	err = row.Scan(&a.Kind, &a.On, &a.Amount, &a.Note)
	return a, err
}

const actColumns = "kind, on_date, amount, note"

// CaseActs returns the enforcement acts of a case the viewer may see, in
// date order.
func (db *DB) CaseActs(ctx context.Context, v domain.Viewer, caseID int64) ([]tracking.Act, error) {
	k, err := caseRow(ctx, db, v, "k.id = ?", caseID)
	if err != nil {
		return nil, err
	}
	return db.ActsOfCase(ctx, k)
}

// ActsOfCase is CaseActs for a case the viewer has just been given by
// CaseByID or CaseWithLedger, which checked that he may read it: the case
// page does not read the case again for each of its parts.
func (db *DB) ActsOfCase(ctx context.Context, k *domain.Case) ([]tracking.Act, error) {
	acts, err := collect(ctx, db, scanAct, "SELECT "+actColumns+" FROM case_acts WHERE case_id = ? ORDER BY on_date, position", k.ID)
	if err != nil {
		return nil, fmt.Errorf("loading acts: %w", err)
	}
	return acts, nil
}

// ReplaceCaseActs sets the enforcement acts of a case from the case
// system: the list replaces what the case had, so that sending the same
// list twice changes nothing (and writes no audit record). It reports
// whether anything changed. The viewer must write the case's court's
// cases.
func (tx *Tx) ReplaceCaseActs(ctx context.Context, caseID int64, acts []tracking.Act) (bool, error) {
	k, err := scanCase(tx.queryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE k.id = ?", caseID))
	if err != nil {
		return false, fmt.Errorf("loading case %d: %w", caseID, err)
	}
	if !tx.v.CanSeeCourt(k.CourtPath) {
		return false, fmt.Errorf("loading case %d: %w", caseID, domain.ErrNotFound)
	}
	if !tx.v.CanWriteCases(k.CourtPath) {
		return false, domain.Errorf(domain.ErrForbidden, "只有执行局、执行指挥中心可以导入执行行为。")
	}
	if err := tracking.ValidateActs(acts, k.FiledOn); err != nil {
		return false, err
	}
	old, err := collect(ctx, tx, scanAct, "SELECT "+actColumns+" FROM case_acts WHERE case_id = ? ORDER BY position", caseID)
	if err != nil {
		return false, fmt.Errorf("loading acts: %w", err)
	}
	if slices.Equal(old, acts) {
		return false, nil
	}
	if _, err := tx.exec(ctx, "DELETE FROM case_acts WHERE case_id = ?", caseID); err != nil {
		return false, fmt.Errorf("replacing acts: %w", err)
	}
	for start := 0; start < len(acts); start += 100 {
		chunk := acts[start:min(start+100, len(acts))]
		args := make([]any, 0, 6*len(chunk))
		for i, a := range chunk {
			args = append(args, caseID, string(a.Kind), a.On, a.Amount, a.Note, start+i)
		}
		if _, err := tx.exec(ctx, "INSERT INTO case_acts (case_id, kind, on_date, amount, note, position) VALUES "+valuesList(len(chunk), 6), args...); err != nil {
			return false, fmt.Errorf("adding acts: %w", err)
		}
	}
	return true, tx.Audit(ctx, Entry{Action: "case.acts", ObjectType: "case", ObjectID: k.Number, CourtPath: k.CourtPath, Success: true,
		Detail: fmt.Sprintf("执行行为%d条（原%d条）", len(acts), len(old))})
}

// ActRow is a row of an acts file: the case it names and its act.
type ActRow struct {
	Row    int
	CaseNo string // canonical case number
	Act    tracking.Act
}

// ActRowError says why a row of an acts file was not taken.
type ActRowError struct {
	Row     int
	CaseNo  string
	Message string
}

// ActImport is what an acts file did.
type ActImport struct {
	Cases     int // cases whose acts the file named
	Changed   int // of them, cases whose acts changed
	Acts      int // acts stored
	Refused   []ActRowError
	Unchanged int
}

// ImportActs stores the acts of a file: for each case it names, its rows
// replace the case's acts, as the API's actions do, so that importing the
// same file twice changes nothing. A row whose case is unknown or out of
// the viewer's reach is refused with its reason; so are all the rows of a
// case whose acts do not hold together (one before filing).
func (db *DB) ImportActs(ctx context.Context, v domain.Viewer, rows []ActRow) (ActImport, error) {
	return inTx(ctx, db, v, func(tx *Tx) (ActImport, error) { return tx.ImportActs(ctx, rows) })
}

// ImportActs is the transaction's form of DB.ImportActs.
func (tx *Tx) ImportActs(ctx context.Context, rows []ActRow) (ActImport, error) {
	var res ActImport
	var order []string
	byCase := map[string][]ActRow{}
	for _, r := range rows {
		if _, ok := byCase[r.CaseNo]; !ok {
			order = append(order, r.CaseNo)
		}
		byCase[r.CaseNo] = append(byCase[r.CaseNo], r)
	}
	refuse := func(rs []ActRow, msg string) {
		for _, r := range rs {
			res.Refused = append(res.Refused, ActRowError{Row: r.Row, CaseNo: r.CaseNo, Message: msg})
		}
	}
	for _, no := range order {
		rs := byCase[no]
		// A case out of reach reads as one not there: the file learns
		// nothing of other courts' cases.
		unknown := "案号“" + no + "”不是已导入的案件，或不在您的导入范围内，请先导入案件"
		var id int64
		err := translate(tx.queryRow(ctx, "SELECT id FROM cases WHERE number = ?", no).Scan(&id))
		if err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				refuse(rs, unknown)
				continue
			}
			return res, fmt.Errorf("finding case %s: %w", no, err)
		}
		acts := make([]tracking.Act, len(rs))
		for i, r := range rs {
			acts[i] = r.Act
		}
		var changed bool
		err = tx.attempt(ctx, func() error {
			var err error
			changed, err = tx.ReplaceCaseActs(ctx, id, acts)
			return err
		})
		if err != nil {
			if !errors.Is(err, domain.ErrInvalid) && !errors.Is(err, domain.ErrForbidden) && !errors.Is(err, domain.ErrNotFound) {
				return res, err
			}
			if errors.Is(err, domain.ErrNotFound) {
				refuse(rs, unknown)
			} else {
				refuse(rs, domain.UserMessage(err))
			}
			continue
		}
		res.Cases++
		res.Acts += len(acts)
		if changed {
			res.Changed++
		} else {
			res.Unchanged++
		}
	}
	return res, nil
}

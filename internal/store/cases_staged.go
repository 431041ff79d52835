package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// stagedCaseColumns are the columns of cases that an import changes on a
// case it updates, in the order of the staging table import_cases.
var stagedCaseColumns = []string{"id", "filed_on", "officer", "officer_id", "department", "department_id", "amount", "has_property",
	"property_known", "non_litigation", "closed_on", "closing_mode", "petition", "supervised_by", "supervised_since",
	"public_opinion", "social_impact", "due_on", "clock_stopped", "source_hash", "updated_at"}

// updateCasesStaged writes a batch's changed cases on PostgreSQL under
// UpdateBulk, set-based instead of five statements a case: their due
// dates are computed (limitChanged), the new rows go by COPY into a
// temporary staging table dropped at commit, one UPDATE … FROM takes them
// into cases, two DELETEs drop the old parties and nodes, and the new ones
// go in by COPY with the officers recorded by one INSERT … SELECT.
func (tx *Tx) updateCasesStaged(ctx context.Context, changed []*domain.Case, hashes map[*domain.Case]string, now time.Time) error {
	if len(changed) == 0 {
		return nil
	}
	if err := tx.limitChanged(ctx, changed); err != nil {
		return err
	}
	date := func(d domain.Date) any { v, _ := d.Value(); return v }
	rows := make([][]any, len(changed))
	for i, c := range changed {
		rows[i] = []any{c.ID, date(c.FiledOn), c.Officer, nullID(c.OfficerID), c.Department, nullID(c.DepartmentID), c.Amount, c.HasProperty,
			c.PropertyKnown, c.NonLitigation, date(c.ClosedOn), c.ClosingMode, c.Petition, c.SupervisedBy, date(c.SupervisedSince),
			c.PublicOpinion, c.SocialImpact, date(c.DueOn), c.ClockStopped, hashes[c], now}
	}
	if _, err := tx.exec(ctx, "DROP TABLE IF EXISTS pg_temp.import_cases"); err != nil {
		return fmt.Errorf("staging cases: %w", err)
	}
	if _, err := tx.exec(ctx, "CREATE TEMP TABLE import_cases ON COMMIT DROP AS SELECT "+strings.Join(stagedCaseColumns, ", ")+" FROM cases WITH NO DATA"); err != nil {
		return fmt.Errorf("staging cases: %w", err)
	}
	if err := tx.copyFrom(ctx, "import_cases", stagedCaseColumns, rows); err != nil {
		return fmt.Errorf("staging cases: %w", err)
	}
	set := ""
	for _, col := range stagedCaseColumns[1:] {
		if set != "" {
			set += ", "
		}
		set += col + " = s." + col
	}
	if _, err := tx.exec(ctx, "UPDATE cases k SET "+set+" FROM import_cases s WHERE k.id = s.id"); err != nil {
		return fmt.Errorf("updating cases: %w", err)
	}
	// Parties and nodes come whole from the case system: replace them.
	if _, err := tx.exec(ctx, "DELETE FROM parties WHERE case_id IN (SELECT id FROM import_cases)"); err != nil {
		return fmt.Errorf("replacing parties: %w", err)
	}
	if _, err := tx.exec(ctx, "DELETE FROM case_nodes WHERE case_id IN (SELECT id FROM import_cases)"); err != nil {
		return fmt.Errorf("replacing nodes: %w", err)
	}
	if _, err := tx.exec(ctx, "INSERT INTO case_officers (case_id, user_id) SELECT id, officer_id FROM import_cases WHERE officer_id IS NOT NULL ON CONFLICT DO NOTHING"); err != nil {
		return fmt.Errorf("recording case officers: %w", err)
	}
	return tx.copyChildren(ctx, changed)
}

// copyChildren writes the cases' parties (phones sealed) and nodes by COPY.
func (tx *Tx) copyChildren(ctx context.Context, cases []*domain.Case) error {
	var nParties, nNodes int
	for _, c := range cases {
		nParties += len(c.Parties)
		nNodes += len(c.Nodes)
	}
	if nParties > 0 {
		i, j := 0, 0 // cases[i].Parties[j] next
		err := tx.copyIn(ctx, "parties", []string{"case_id", "position", "role", "org", "name", "phone_sealed", "phone_index"}, func(w *copyRows) (bool, error) {
			for i < len(cases) && j == len(cases[i].Parties) {
				i, j = i+1, 0
			}
			if i == len(cases) {
				return false, nil
			}
			c, p := cases[i], cases[i].Parties[j]
			j++
			sealed, index, err := tx.sealPartyPhone(c, p.Phone)
			if err != nil {
				return false, err
			}
			w.row()
			w.int8(c.ID)
			w.int4(j) // the party's position, from 1
			w.text(string(p.Role))
			w.boolean(p.Org)
			w.text(p.Name)
			w.text(sealed)
			w.text(index)
			return true, nil
		})
		if err != nil {
			return fmt.Errorf("adding parties: %w", err)
		}
	}
	if nNodes > 0 {
		i, j := 0, 0 // cases[i].Nodes[j] next
		err := tx.copyIn(ctx, "case_nodes", []string{"case_id", "kind", "on_date", "note"}, func(w *copyRows) (bool, error) {
			for i < len(cases) && j == len(cases[i].Nodes) {
				i, j = i+1, 0
			}
			if i == len(cases) {
				return false, nil
			}
			c, n := cases[i], cases[i].Nodes[j]
			j++
			w.row()
			w.int8(c.ID)
			w.text(string(n.Kind))
			w.date(n.On)
			w.text(n.Note)
			return true, nil
		})
		if err != nil {
			return fmt.Errorf("adding nodes: %w", err)
		}
	}
	return nil
}

// limitChanged computes the due dates of cases an import changes (the
// filing date or the case type may have changed the limit): from their
// ledger for the few that have pauses or extensions, found with one query
// per 500 cases, and from the rules alone for the others.
func (tx *Tx) limitChanged(ctx context.Context, changed []*domain.Case) error {
	hasLedger := map[int64]bool{}
	for start := 0; start < len(changed); start += 500 {
		chunk := changed[start:min(start+500, len(changed))]
		ids := make([]any, len(chunk))
		for i, c := range chunk {
			ids[i] = c.ID
		}
		in := "(" + placeholders(len(ids)) + ")"
		found, err := collect(ctx, tx, scanID, "SELECT case_id FROM case_pauses WHERE case_id IN "+in+" UNION SELECT case_id FROM case_extensions WHERE case_id IN "+in, append(ids, ids...)...)
		if err != nil {
			return fmt.Errorf("finding ledgers: %w", err)
		}
		for _, id := range found {
			hasLedger[id] = true
		}
	}
	for _, c := range changed {
		if !hasLedger[c.ID] {
			tx.db.applyLimit(c, nil, nil)
			continue
		}
		l, err := tx.db.loadLedger(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		tx.db.applyLimit(c, l.DeadlineExtensions(), l.DeadlinePauses())
	}
	return nil
}

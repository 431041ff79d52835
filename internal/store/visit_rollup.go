package store

import (
	"context"
	"database/sql"
	"fmt"
)

// rollupKey and rollupCounts are a visit's row and contribution in
// visit_rollup.
type rollupKey struct {
	month  string
	court  int64
	kind   string
	exists bool
}

type rollupCounts [9]int // visits, sms_sent, replied, closed, satisfied, dissatisfied, phone, consult, onsite

const rollupColumns = "visits, sms_sent, replied, closed, satisfied, dissatisfied, phone, consult, onsite"

// visitContribution reads what visit id adds to the rollup now.
func (tx *Tx) visitContribution(ctx context.Context, id int64) (rollupKey, rollupCounts, error) {
	var k rollupKey
	var c rollupCounts
	var sms, replied, closed, phone, consult, onsite bool
	var sat sql.NullBool
	err := tx.queryRow(ctx, `SELECT month, court_id, kind, sms_sent, replied, closed_at IS NOT NULL, satisfied, reached_phone, reached_consult, reached_onsite
		FROM visits WHERE id = ?`, id).Scan(&k.month, &k.court, &k.kind, &sms, &replied, &closed, &sat, &phone, &consult, &onsite)
	if err != nil {
		return k, c, fmt.Errorf("reading visit %d for the statistics: %w", id, translate(err))
	}
	k.exists = true
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	c = rollupCounts{1, b(sms), b(replied), b(closed), b(sat.Valid && sat.Bool), b(sat.Valid && !sat.Bool), b(phone), b(consult), b(onsite)}
	return k, c, nil
}

// trackRollup runs change, which alters visit id, and moves the visit's
// contribution in the rollup from what it was to what it is.
func (tx *Tx) trackRollup(ctx context.Context, id int64, change func() error) error {
	k0, c0, err := tx.visitContribution(ctx, id)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	k1, c1, err := tx.visitContribution(ctx, id)
	if err != nil {
		return err
	}
	if k0 != k1 {
		for i := range c0 {
			c0[i] = -c0[i]
		}
		if err := tx.addRollup(ctx, k0, c0); err != nil {
			return err
		}
		return tx.addRollup(ctx, k1, c1)
	}
	var d rollupCounts
	for i := range c1 {
		d[i] = c1[i] - c0[i]
	}
	return tx.addRollup(ctx, k1, d)
}

// addRollup adds d to the row of k.
func (tx *Tx) addRollup(ctx context.Context, k rollupKey, d rollupCounts) error {
	if d == (rollupCounts{}) {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO visit_rollup (month, court_id, kind, `+rollupColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (month, court_id, kind) DO UPDATE SET visits = visit_rollup.visits + excluded.visits,
		sms_sent = visit_rollup.sms_sent + excluded.sms_sent, replied = visit_rollup.replied + excluded.replied,
		closed = visit_rollup.closed + excluded.closed, satisfied = visit_rollup.satisfied + excluded.satisfied,
		dissatisfied = visit_rollup.dissatisfied + excluded.dissatisfied, phone = visit_rollup.phone + excluded.phone,
		consult = visit_rollup.consult + excluded.consult, onsite = visit_rollup.onsite + excluded.onsite`,
		k.month, k.court, k.kind, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8])
	if err != nil {
		return fmt.Errorf("updating the visit statistics: %w", err)
	}
	return nil
}

const rollupSelect = `SELECT month, court_id, kind, COUNT(*),
    SUM(CASE WHEN sms_sent THEN 1 ELSE 0 END), SUM(CASE WHEN replied THEN 1 ELSE 0 END),
    SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END),
    SUM(CASE WHEN satisfied THEN 1 ELSE 0 END), SUM(CASE WHEN NOT satisfied THEN 1 ELSE 0 END),
    SUM(CASE WHEN reached_phone THEN 1 ELSE 0 END), SUM(CASE WHEN reached_consult THEN 1 ELSE 0 END),
    SUM(CASE WHEN reached_onsite THEN 1 ELSE 0 END)
FROM visits GROUP BY month, court_id, kind`

// RebuildVisitRollup recomputes the rollup from the visits: after visits
// were loaded in bulk outside the store.
func (db *DB) RebuildVisitRollup(ctx context.Context) error {
	return db.Update(ctx, smsViewer, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM visit_rollup"); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "INSERT INTO visit_rollup (month, court_id, kind, "+rollupColumns+") "+rollupSelect)
		return err
	})
}

// CheckVisitRollup compares the rollup with the visits and returns the
// rows that differ (none when all is well).
func (db *DB) CheckVisitRollup(ctx context.Context) ([]string, error) {
	read := func(q string) (map[string]rollupCounts, error) {
		out := map[string]rollupCounts{}
		err := each(ctx, db, func(row scanner) error {
			var k rollupKey
			var c rollupCounts
			if err := row.Scan(&k.month, &k.court, &k.kind, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8]); err != nil {
				return err
			}
			out[fmt.Sprintf("%s/%d/%s", k.month, k.court, k.kind)] = c
			return nil
		}, q)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	want, err := read(rollupSelect)
	if err != nil {
		return nil, err
	}
	got, err := read("SELECT month, court_id, kind, " + rollupColumns + " FROM visit_rollup WHERE visits <> 0")
	if err != nil {
		return nil, err
	}
	var diff []string
	for k, w := range want {
		if got[k] != w {
			diff = append(diff, fmt.Sprintf("%s: rollup %v, visits %v", k, got[k], w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diff = append(diff, fmt.Sprintf("%s: rollup %v, no visits", k, g))
		}
	}
	return diff, nil
}

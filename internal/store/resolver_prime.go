package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
)

// prime fills r's caches for a whole batch in four queries: the courts,
// then the departments and the officers' accounts and mappings of the
// courts the batch names. Resolving case by case asked once per court,
// department and officer name: about 3,000 round trips for a batch of
// 5,000 cases over a province's 156 courts with eight officers each, on
// PostgreSQL more time than the batch's COPYs took. SQLite answers in
// process, but still ran about 2,500 statements a batch on its single
// writer: 1.0 of 26 CPU-seconds of a 300,000-row import (a profile,
// load 10). The answers are those the single look-ups give, read in the
// same transaction; a name the batch does not use is not looked up.
func (r *resolver) prime(ctx context.Context, cases []*domain.Case) error {
	err := each(ctx, r.tx, func(row scanner) error {
		var c courtRef
		var name string
		if err := row.Scan(&c.id, &c.code, &name, &c.path); err != nil {
			return err
		}
		r.courts[c.code] = &c
		if _, ok := r.courts[name]; !ok {
			r.courts[name] = &c
		}
		return nil
	}, "SELECT id, code, name, path FROM courts ORDER BY id")
	if err != nil {
		return fmt.Errorf("resolving courts: %w", err)
	}
	// Every court is known: a code or name not among them is no court.
	r.allCourts = true
	var ids []int64
	seen := map[int64]bool{}
	depts, officers := map[courtName]bool{}, map[courtName]bool{}
	for _, c := range cases {
		k := r.courts[c.No.Court]
		if k == nil {
			continue
		}
		if !seen[k.id] {
			seen[k.id] = true
			ids = append(ids, k.id)
		}
		if c.Department != "" {
			depts[courtName{k.id, c.Department}] = true
		}
		if c.Officer != "" {
			officers[courtName{k.id, c.Officer}] = true
		}
	}
	if len(ids) == 0 {
		return nil
	}
	in, args := r.courtIn(ids)
	for key := range depts {
		r.depts[key] = 0 // no such department, unless found below
	}
	err = each(ctx, r.tx, func(row scanner) error {
		var id, court int64
		var name string
		if err := row.Scan(&id, &court, &name); err != nil {
			return err
		}
		if key := (courtName{court, name}); depts[key] {
			r.depts[key] = id
		}
		return nil
	}, "SELECT id, court_id, name FROM departments WHERE court_id"+in, args...)
	if err != nil {
		return fmt.Errorf("resolving department: %w", err)
	}
	matches := make(map[courtName]*officerMatch, len(officers))
	for key := range officers {
		matches[key] = &officerMatch{mapped: map[string]int64{}}
	}
	err = each(ctx, r.tx, func(row scanner) error {
		var court int64
		var name string
		var a domain.OfficerAccount
		if err := row.Scan(&court, &name, &a.UserID, &a.Department); err != nil {
			return err
		}
		if m := matches[courtName{court, name}]; m != nil {
			m.accounts = append(m.accounts, a)
		}
		return nil
	}, `SELECT u.court_id, u.name, u.id, d.name FROM users u JOIN departments d ON d.id = u.department_id
		WHERE u.court_id`+in+` AND NOT u.disabled ORDER BY u.id`, args...)
	if err != nil {
		return fmt.Errorf("resolving officer: %w", err)
	}
	err = each(ctx, r.tx, func(row scanner) error {
		var court, id int64
		var officer, dept string
		if err := row.Scan(&court, &officer, &dept, &id); err != nil {
			return err
		}
		if m := matches[courtName{court, officer}]; m != nil {
			m.mapped[dept] = id
		}
		return nil
	}, `SELECT l.court_id, l.officer, l.department, l.user_id FROM officer_links l JOIN users u ON u.id = l.user_id
		WHERE l.court_id`+in+` AND NOT u.disabled`, args...)
	if err != nil {
		return fmt.Errorf("resolving officer: %w", err)
	}
	for key, m := range matches {
		r.officer[key] = *m
	}
	return nil
}

// courtIn returns the test that a court id is one of ids, to follow the
// column, and its arguments: an array parameter on PostgreSQL (one
// statement text whatever their number), a list of parameters on SQLite,
// which has no arrays.
func (r *resolver) courtIn(ids []int64) (string, []any) {
	if r.tx.db.Engine == Postgres {
		return " = ANY(?)", []any{ids}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return " IN (" + placeholders(len(ids)) + ")", args
}

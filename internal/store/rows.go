package store

import (
	"context"
	"database/sql"
)

// querier runs a read: the database handle (its reading pool) or a
// transaction, so that a check made before a change can be made inside
// the changing transaction with the same SQL.
type querier interface {
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// scanner is one row being read.
type scanner = interface{ Scan(...any) error }

// collect runs q and reads every row with scan. The rows are always closed,
// and a read that ends early (a dropped connection, a cancelled context)
// returns its error, never a short result as if it were complete. Every
// multi-row read in the store goes through collect or each.
func collect[T any](ctx context.Context, db querier, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	var out []T
	err := each(ctx, db, func(r scanner) error {
		t, err := scan(r)
		if err == nil {
			out = append(out, t)
		}
		return err
	}, q, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// each runs q and calls fn for every row, stopping at fn's first error;
// like collect, it closes the rows and reports a read that ended early.
func each(ctx context.Context, db querier, fn func(scanner) error, q string, args ...any) error {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// scanID reads a row of one integer column.
func scanID(row scanner) (id int64, err error) {
	err = row.Scan(&id)
	return id, err
}

// scanString reads a row of one text column.
func scanString(row scanner) (s string, err error) {
	err = row.Scan(&s)
	return s, err
}

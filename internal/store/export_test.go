package store

import (
	"context"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/trip"
)

// MigrateDownTo undoes the migrations above version and applies them
// again, so a test sees what a migration does to the data it finds.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}

// SettingAroundBulk runs a batch transaction (UpdateBulk) on one of the
// writer's PostgreSQL connections and returns the setting name inside
// it and on the same connection after it; two empty strings on SQLite,
// whose batches run under Update.
func (db *DB) SettingAroundBulk(ctx context.Context, name string) (inside, after string, err error) {
	if db.Engine != Postgres {
		return "", "", nil
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return "", "", err
	}
	defer conn.Close()
	err = db.updateBulkOn(ctx, conn, domain.SystemViewer("test"), func(tx *Tx) error {
		return tx.queryRow(ctx, "SELECT current_setting(?)", name).Scan(&inside)
	})
	if err != nil {
		return "", "", err
	}
	err = conn.QueryRowContext(ctx, "SELECT current_setting($1)", name).Scan(&after)
	return inside, after, err
}

// SetFocusWindow sets how many case ids the focused scan takes at a time,
// until the test ends.
func SetFocusWindow(t interface{ Cleanup(func()) }, n int64) {
	old := focusWindow
	focusWindow = n
	t.Cleanup(func() { focusWindow = old })
}

// FocusWindows is how many windows of case ids the scan behind rep read.
func FocusWindows(rep FocusReport) int { return rep.windows }

// SlabPages is the page slab's size in pages.
const SlabPages = slabPages

// VisitTodoQuery is VisitTodos' statement for v, as db's engine is sent
// it.
func (db *DB) VisitTodoQuery(v domain.Viewer, limit int) (string, []any, error) {
	q, args, err := visitTodoQuery(v, limit)
	return db.rebind(q), args, err
}

// TripTodoQuery is TripTodos' statement for v reading only the kind of
// to-do k, as db's engine is sent it; "" if v owes no such kind.
func (db *DB) TripTodoQuery(v domain.Viewer, k trip.Todo, limit int) (string, []any) {
	var parts []tripTodoPart
	for _, p := range tripTodoParts(v, db.Now(), db.today()) {
		if p.kind == k {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	q, args := tripTodoQuery(parts, limit)
	return db.rebind(q), args
}

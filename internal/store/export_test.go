package store

import "context"

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

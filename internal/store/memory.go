package store

import (
	"context"
	"database/sql"
	"fmt"
)

// ReleaseMemory gives SQLite's caches back to the allocator, which
// unmaps them: the writer's and those of the readers idle now (a reader
// busy with a page keeps its cache; readers are not opened for this).
// The daily jobs over a province's cases fill the caches that a server
// at rest then held for nothing. The caches refill from the file as
// pages need them. Nothing on PostgreSQL.
func (db *DB) ReleaseMemory(ctx context.Context) error {
	if db.Engine != SQLite {
		return nil
	}
	if err := shrink(ctx, db.write); err != nil {
		return err
	}
	// Held together, so that each is another idle connection.
	idle := db.read.Stats().Idle
	conns := make([]*sql.Conn, 0, idle)
	defer func() {
		for _, c := range conns {
			_ = c.Close() // back to the pool
		}
	}()
	for range idle {
		c, err := db.read.Conn(ctx)
		if err != nil {
			return fmt.Errorf("releasing memory: %w", err)
		}
		conns = append(conns, c)
		if _, err := c.ExecContext(ctx, "PRAGMA shrink_memory"); err != nil {
			return fmt.Errorf("releasing memory: %w", err)
		}
	}
	return nil
}

func shrink(ctx context.Context, p *sql.DB) error {
	if _, err := p.ExecContext(ctx, "PRAGMA shrink_memory"); err != nil {
		return fmt.Errorf("releasing memory: %w", err)
	}
	return nil
}

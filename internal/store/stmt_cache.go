package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCacheSize bounds how many reading statements the SQLite read pool
// keeps prepared. The pages run a few hundred distinct statements; one
// built with a varying text (an IN list of so many ?, an inlined limit)
// takes a place and may push another out, which is then prepared again.
const stmtCacheSize = 256

// stmtCache keeps the reading statements of the SQLite read pool
// prepared, so that a page's statements are parsed and planned once per
// connection rather than on every request: at 100,000 cases preparing
// was half the home page's CPU, far more than running its index-served
// statements (issue 19). PostgreSQL's pgx keeps its own statement cache
// per connection.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmt returns the prepared statement of q on db.read, preparing it on
// first use; nil (and no error) when q is not to be cached.
func (db *DB) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if db.Engine != SQLite || db.read == nil {
		return nil, nil
	}
	c := &db.stmts
	c.mu.Lock()
	s := c.m[q]
	c.mu.Unlock()
	if s != nil {
		return s, nil
	}
	s, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[q]; old != nil {
		_ = s.Close() //nolint:sqlclosecheck // another request prepared it first: keep one
		return old, nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	if len(c.m) >= stmtCacheSize {
		// Push out any one: database/sql closes its driver statements
		// once the queries running on them are done.
		for k, old := range c.m {
			_ = old.Close()
			delete(c.m, k)
			break
		}
	}
	c.m[q] = s
	return s, nil
}

// closeStmts closes the cached statements, before the pool.
func (db *DB) closeStmts() {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, s := range c.m {
		_ = s.Close()
		delete(c.m, k)
	}
}

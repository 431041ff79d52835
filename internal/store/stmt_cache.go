package store

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// stmtCacheSize bounds how many distinct reading statements the SQLite
// reader pool keeps prepared (each on every connection that ran it).
const stmtCacheSize = 256

// stmtCache keeps the reading statements of the SQLite reader pool
// prepared. SQLite plans a statement when it prepares it, and the
// planning costs more than running most of a page's statements: replaying
// the statements of the bureau's home page on 100,000 cases took 7.0 ms
// prepared each time and 3.5 ms prepared once, the case page 7.6 and
// 1.4 ms. Two things made SQLite plan a kept statement again at every
// run, and are avoided: STAT4 samples (DB.dropSamples) and a LIKE pattern
// given as a bare parameter (likePrefix, TestNoBareLikeParameter).
// PostgreSQL needs none of this: pgx caches its statements per connection.
type stmtCache struct {
	mu  sync.Mutex
	m   map[string]*list.Element
	lru list.List // of *cachedStmt, most recently used first
}

type cachedStmt struct {
	q       string
	st      *sql.Stmt
	users   int  // callers between get and release
	evicted bool // out of the cache; closed when the last user releases
}

// get returns q prepared on pool, preparing it on first use; the caller
// runs it and then calls release.
func (c *stmtCache) get(ctx context.Context, pool *sql.DB, q string) (*cachedStmt, error) {
	c.mu.Lock()
	if e, ok := c.m[q]; ok {
		c.lru.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		cs.users++
		c.mu.Unlock()
		return cs, nil
	}
	c.mu.Unlock()
	st, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[q]; ok { // prepared meanwhile by another request
		_ = st.Close() //nolint:sqlclosecheck // the copy not kept is closed at once

		c.lru.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		cs.users++
		return cs, nil
	}
	if c.m == nil {
		c.m = map[string]*list.Element{}
	}
	cs := &cachedStmt{q: q, st: st, users: 1}
	c.m[q] = c.lru.PushFront(cs)
	for c.lru.Len() > stmtCacheSize {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.m, old.q)
		old.evicted = true
		if old.users == 0 {
			_ = old.st.Close()
		}
	}
	return cs, nil
}

// release ends a use begun by get. Rows still open keep what they need:
// database/sql closes a statement's connections only after its rows.
func (c *stmtCache) release(cs *cachedStmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs.users--
	if cs.evicted && cs.users == 0 {
		_ = cs.st.Close()
	}
}

// close closes every statement, before the pool is.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.Front(); e != nil; e = e.Next() {
		_ = e.Value.(*cachedStmt).st.Close()
	}
	c.lru.Init()
	c.m = nil
}

package store

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// CourtCacheTTL is how long the court directory is kept in memory. This
// process drops it as soon as a court import or edit commits; the TTL
// bounds how long another process's change (`zhilian courts import`
// beside `serve`, a second server on PostgreSQL) takes to show.
var CourtCacheTTL = time.Minute

// courtCache keeps the court directory, which every list page's court
// filter reads and which changes only by an administrator's import or
// edit: re-reading it was 14 % of the case list's time.
type courtCache struct {
	mu   sync.Mutex
	list []*domain.Court
	at   time.Time
	gen  uint64 // bumped by every change, so that a read racing one is not kept
	// ver numbers the lists cached, from 1; filters are CourtFilter's
	// answers for list, by prefix, so that a list page's court filter is
	// not rebuilt per request. A new list starts without any.
	ver     uint64
	filters map[string]string
}

// under returns copies of the cached courts whose path starts with prefix,
// reading the directory first if it is not cached.
func (c *courtCache) under(ctx context.Context, db *DB, prefix string) ([]*domain.Court, error) {
	list, _, err := c.all(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []*domain.Court
	for _, k := range list {
		if strings.HasPrefix(k.Path, prefix) {
			cp := *k
			cp.Divisions = slices.Clone(k.Divisions)
			out = append(out, &cp)
		}
	}
	return out, nil
}

// all returns the cached directory and its ver, reading it first if it
// is not cached; ver is 0 for a directory read but not kept (a change
// raced the read). Its courts are shared: callers copy what they hand on.
func (c *courtCache) all(ctx context.Context, db *DB) ([]*domain.Court, uint64, error) {
	c.mu.Lock()
	list, ver, gen := c.list, c.ver, c.gen
	if list != nil && time.Since(c.at) >= CourtCacheTTL {
		list = nil
	}
	c.mu.Unlock()
	if list != nil {
		return list, ver, nil
	}
	// From the primary: what is cached is kept beyond this request, and a
	// replica's older directory would outlive the drop that a court's
	// change makes at its commit.
	read, err := db.allCourts(primaryReads(ctx))
	if err != nil {
		return nil, 0, err
	}
	ver = 0
	c.mu.Lock()
	if c.gen == gen {
		c.ver++
		c.list, c.at, c.filters, ver = read, time.Now(), nil, c.ver
	}
	c.mu.Unlock()
	return read, ver, nil
}

// CourtName is a court as a court filter lists it (CourtFilter).
type CourtName struct{ Code, Name string }

// CourtFilter returns what build makes of the code and name of each
// court whose path starts with prefix, in tree order: a list page's court
// filter, built once per prefix and kept with the cached directory, so
// that it goes when the directory does (a court's import or edit at its
// commit, another process's change after CourtCacheTTL). Building it per
// request was half of what a case search allocated (pprof at 100,000
// cases). There is one such filter: build must depend on the names only.
func (db *DB) CourtFilter(ctx context.Context, prefix string, build func([]CourtName) string) (string, error) {
	c := &db.courtCache
	list, ver, err := c.all(ctx, db)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	out, ok := c.filters[prefix]
	ok = ok && c.ver == ver
	c.mu.Unlock()
	if ok {
		return out, nil
	}
	var names []CourtName
	for _, k := range list {
		if strings.HasPrefix(k.Path, prefix) {
			names = append(names, CourtName{k.Code, k.Name})
		}
	}
	out = build(names)
	c.mu.Lock()
	if ver != 0 && c.ver == ver {
		if c.filters == nil {
			c.filters = map[string]string{}
		}
		c.filters[prefix] = out
	}
	c.mu.Unlock()
	return out, nil
}

// drop forgets the directory and the filters made of it.
func (c *courtCache) drop() {
	c.mu.Lock()
	c.list, c.filters = nil, nil
	c.gen++
	c.mu.Unlock()
}

// courtsChanged drops the cached directory now (a read racing the change
// is then not kept) and again once tx commits (a read between the two saw
// the directory before it).
func (tx *Tx) courtsChanged() {
	tx.db.courtCache.drop()
	tx.afterCommit(tx.db.courtCache.drop)
}

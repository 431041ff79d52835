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
	// names are CourtNamesUnder's answers for the list cached now, by
	// prefix, so that a list page's court filter is not rebuilt per
	// request; namesOf is the list they were made from.
	names   map[string][]CourtName
	namesOf []*domain.Court
}

// under returns copies of the cached courts whose path starts with prefix,
// reading the directory first if it is not cached.
func (c *courtCache) under(ctx context.Context, db *DB, prefix string) ([]*domain.Court, error) {
	list, err := c.all(ctx, db)
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

// all returns the cached directory, reading it first if it is not cached.
// Its courts are shared: callers copy what they hand on.
func (c *courtCache) all(ctx context.Context, db *DB) ([]*domain.Court, error) {
	c.mu.Lock()
	list, gen := c.list, c.gen
	if list != nil && time.Since(c.at) >= CourtCacheTTL {
		list = nil
	}
	c.mu.Unlock()
	if list != nil {
		return list, nil
	}
	// From the primary: what is cached is kept beyond this request, and a
	// replica's older directory would outlive the drop that a court's
	// change makes at its commit.
	read, err := db.allCourts(primaryReads(ctx))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.list, c.at = read, time.Now()
	}
	c.mu.Unlock()
	return read, nil
}

// CourtName is a court as a court filter lists it.
type CourtName struct{ Code, Name string }

// CourtNamesUnder returns the code and name of each court whose path
// starts with prefix, in tree order: what a list page's court filter
// needs, without the copy of every court that CourtsUnder makes (which
// was 6 % of a case search's CPU, pprof at 100,000 cases). The answer is
// kept with the cached directory and shared: callers must not change it.
// The same slice comes back until the directory is read again, so a
// caller may key what it derives from it on its first element's address.
func (db *DB) CourtNamesUnder(ctx context.Context, prefix string) ([]CourtName, error) {
	c := &db.courtCache
	list, err := c.all(ctx, db)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(list) == 0 || len(c.namesOf) == 0 || c.namesOf[0] != list[0] {
		c.names, c.namesOf = map[string][]CourtName{}, list
	}
	if out, ok := c.names[prefix]; ok {
		return out, nil
	}
	var out []CourtName
	for _, k := range list {
		if strings.HasPrefix(k.Path, prefix) {
			out = append(out, CourtName{k.Code, k.Name})
		}
	}
	c.names[prefix] = out
	return out, nil
}

// drop forgets the directory.
func (c *courtCache) drop() {
	c.mu.Lock()
	c.list = nil
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

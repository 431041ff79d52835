package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
)

// bulkStmts keeps a case import's full-size multi-row INSERTs prepared
// on the SQLite writer from one batch's transaction to the next. Each is
// a statement of ~32,000 parameters (rowsPerInsert): compiled afresh in
// every batch, they cost more than the fewer statements saved (0.5 of
// 8.7 CPU-seconds of a 100,000-row import).
type bulkStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
	n  int // loads holding them (PrepareBulk)
}

// bulkInserts are the statements PrepareBulk keeps: those of a chunk of
// rowsPerInsert rows, every chunk of a batch but its last.
func bulkInserts() []string {
	return []string{
		caseInsert(rowsPerInsert(len(caseCopyColumns))),
		partyInsert(rowsPerInsert(partyParams)),
		nodeInsert(rowsPerInsert(nodeParams)),
	}
}

// PrepareBulk prepares on the SQLite writer, outside any transaction, the
// multi-row INSERTs that an import's batches run (UpsertPrepared in
// UpdateBulk), so that each batch's transaction runs them prepared;
// release closes them once no load holds them. Nothing on PostgreSQL,
// whose batches COPY. On both it sets the rules of time limits, which
// PrepareCase then reads on every core.
func (db *DB) PrepareBulk(ctx context.Context) (release func(), err error) {
	db.limits() // set now: PrepareCase reads them on every core
	if db.Engine != SQLite {
		return func() {}, nil
	}
	b := &db.bulk
	// b.mu is never held while waiting for the writer: a batch holding
	// it looks its statements up (get).
	b.mu.Lock()
	held := b.n > 0
	if held {
		b.n++
	}
	b.mu.Unlock()
	if !held {
		m, err := db.prepareBulk(ctx)
		if err != nil {
			return nil, err
		}
		b.mu.Lock()
		if b.n > 0 { // another load prepared them meanwhile
			b.n++
			b.mu.Unlock()
			for _, s := range m {
				_ = s.Close() // fails only with the pool closed
			}
		} else {
			b.m, b.n = m, 1
			b.mu.Unlock()
		}
	}
	var once sync.Once
	return func() { once.Do(func() { db.releaseBulk() }) }, nil
}

func (db *DB) prepareBulk(ctx context.Context) (map[string]*sql.Stmt, error) {
	// Checkpoint the WAL every 64 MiB rather than every 4 MiB while a
	// load writes: each batch's commit wrote more than 4 MiB, and so was
	// copied into the database file at once, with the pages the next
	// batches would write again (the case numbers' index, the trigram
	// index's segments). The WAL is as safe at any size; it only takes
	// the disk meanwhile.
	// And give the writer an import's cache (bulkCacheKiB: a load's
	// batches touch index pages all over the file, within the page slab),
	// taken back by releaseBulk.
	for _, p := range []string{
		fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", bulkCheckpointPages),
		fmt.Sprintf("PRAGMA cache_size = -%d", bulkCacheKiB),
	} {
		if _, err := db.write.ExecContext(ctx, p); err != nil {
			return nil, fmt.Errorf("preparing bulk inserts: %w", translate(err))
		}
	}
	m := map[string]*sql.Stmt{}
	for _, q := range bulkInserts() {
		st, err := db.write.PrepareContext(ctx, db.rebind(q)) //nolint:sqlclosecheck // kept for the load, closed by releaseBulk
		if err != nil {
			for _, s := range m {
				_ = s.Close() // fails only with the pool closed
			}
			return nil, fmt.Errorf("preparing bulk inserts: %w", translate(err))
		}
		m[q] = st
	}
	return m, nil
}

func (db *DB) releaseBulk() {
	b := &db.bulk
	b.mu.Lock()
	b.n--
	if b.n > 0 {
		b.mu.Unlock()
		return
	}
	m := b.m
	b.m = nil
	b.mu.Unlock()
	for _, s := range m {
		_ = s.Close() // fails only with the pool closed
	}
	// SQLite's default checkpoint, the rest cache, and the import's
	// cache given back (to the page slab, or the allocator):
	// failing leaves only a larger WAL or more memory held.
	for _, p := range []string{
		"PRAGMA wal_autocheckpoint = 1000",
		fmt.Sprintf("PRAGMA cache_size = -%d", restCacheKiB),
		"PRAGMA shrink_memory",
	} {
		_, _ = db.write.ExecContext(context.Background(), p)
	}
}

// cacheKiB is the writer's page cache as it should be now: an import's
// while a load holds the statements, else the rest one.
func (b *bulkStmts) cacheKiB() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n > 0 {
		return bulkCacheKiB
	}
	return restCacheKiB
}

// get returns q if it is kept prepared, else nil.
func (b *bulkStmts) get(q string) *sql.Stmt {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.m[q]
}

// bulkCheckpointPages is the WAL's checkpoint threshold while a load
// writes (PrepareBulk), in pages of 4 KiB.
const bulkCheckpointPages = 16384

const (
	partyParams = 7
	nodeParams  = 4
)

func caseInsert(rows int) string {
	return "INSERT INTO cases (" + strings.Join(caseCopyColumns, ", ") + ") VALUES " + valuesList(rows, len(caseCopyColumns))
}

func partyInsert(rows int) string {
	return "INSERT INTO parties (case_id, position, role, org, name, phone_sealed, phone_index) VALUES " + valuesList(rows, partyParams)
}

func nodeInsert(rows int) string {
	return "INSERT INTO case_nodes (case_id, kind, on_date, note) VALUES " + valuesList(rows, nodeParams)
}

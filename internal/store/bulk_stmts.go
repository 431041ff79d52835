package store

import (
	"context"
	"database/sql"
	"errors"
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
// whose batches COPY.
func (db *DB) PrepareBulk(ctx context.Context) (release func(), err error) {
	if db.Engine != SQLite {
		return func() {}, nil
	}
	b := &db.bulk
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		m := map[string]*sql.Stmt{}
		for _, q := range bulkInserts() {
			st, err := db.write.PrepareContext(ctx, db.rebind(q))
			if err != nil {
				for _, s := range m {
					s.Close()
				}
				return nil, fmt.Errorf("preparing bulk inserts: %w", translate(err))
			}
			m[q] = st
		}
		b.m = m
	}
	b.n++
	var once sync.Once
	return func() { once.Do(b.release) }, nil
}

func (b *bulkStmts) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n--; b.n > 0 {
		return
	}
	var err error
	for _, s := range b.m {
		err = errors.Join(err, s.Close())
	}
	b.m = nil
	_ = err // closing a statement of the writer fails only with the pool closed
}

// get returns q if it is kept prepared, else nil.
func (b *bulkStmts) get(q string) *sql.Stmt {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.m[q]
}

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

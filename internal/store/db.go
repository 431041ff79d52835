// Package store keeps zhilian's records in SQLite or PostgreSQL through
// database/sql. One file per aggregate; SQL sits beside the function that
// runs it and is written once with ? placeholders, rebound for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhilian/zhilian/internal/crypto"
	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/trip"
)

// Engine names the database engine behind a DB.
type Engine string

// Engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is zhilian's database. On SQLite it holds a single-connection write
// pool and a read pool on the same file (WAL lets readers run beside the
// writer); on PostgreSQL both are the same pool.
type DB struct {
	Engine Engine
	DSN    string
	// Path is the SQLite file, empty on PostgreSQL.
	Path string

	write *sql.DB
	read  *sql.DB
	pool  *pgxpool.Pool
	// stmts keeps the reader pool's statements prepared on SQLite.
	stmts stmtCache
	// bulk keeps an import's multi-row INSERTs prepared on the SQLite
	// writer (PrepareBulk).
	bulk bulkStmts
	// replica is a streaming replica on PostgreSQL (OpenReplica), nil
	// without one.
	replica *replica

	// benchTrace, when set, is told every reading statement (zhilian
	// bench: a page's own SQL, replayed beside the page).
	benchTrace atomic.Pointer[func(q string, args []any)]
	// courtCache holds the court directory (courts_cache.go).
	courtCache courtCache
	// trigrams are the name search's common trigrams (search_trigrams.go).
	trigrams trigramStats

	// Now is the clock; tests replace it.
	Now func() time.Time
	// SearchWalk bounds how many parties in scope the global search reads
	// for a text too short for trigrams; DefaultSearchWalk if zero.
	SearchWalk int
	// DensePrefix is how many parties a short name prefix may match
	// before the case list tests it case by case; DefaultDensePrefix if
	// zero.
	DensePrefix int
	// CaseCountCap bounds the count of a case listing; CountCap if zero
	// (tests lower it to reach the capped pages).
	CaseCountCap int
	// DenseCountCap bounds the count of such a prefix's cases;
	// DefaultDenseCountCap if zero.
	DenseCountCap int
	// SearchIDs bounds how many cases a name found inside party names
	// may number for the case list to list them by their ids
	// (nameMatchIDs); DefaultSearchIDs if zero, never if below zero.
	SearchIDs int
	// CommonTrigram is how many names make a trigram common to the name
	// search on SQLite; DefaultCommonTrigram if zero.
	CommonTrigram int
	// ManyNames is how many distinct names holding a text make the
	// name search on PostgreSQL read them as a set; DefaultManyNames if
	// zero.
	ManyNames int
	// AuditAlg is the hash under the HMAC of the audit chain for new
	// records: "sha256" (default) or "sm3".
	AuditAlg string
	// Sealer encrypts parties' phone numbers; nil until a key is set.
	Sealer Sealer
	// AuditKey is the audit chain's HMAC key; no audit record is written
	// without it.
	AuditKey []byte
	// keyCheck is the master key's check value (UseKeys).
	keyCheck string
	// Limits are the time-limit rules and calendar; DefaultLimits if nil.
	Limits *deadline.Limits
	// LinkTTL is how long a party's link works; 7 days if zero.
	LinkTTL time.Duration
	// StrongRule marks a case 当事人反映强烈 by its petitions;
	// oversight.DefaultStrongRule if zero.
	StrongRule oversight.StrongRule
	// Measures are the measures of each of the four forms;
	// oversight.DefaultMeasures if nil.
	Measures oversight.Measures
	// Tracking holds mechanism 1's evaluation factors and time to
	// evaluate; tracking.DefaultConfig where zero.
	TrackingConfig tracking.Config
	// PatrolRules is the 网上巡查 rule table; the money pre-check of special
	// inspections takes the limit of its rule funds_payout (30 days if nil).
	PatrolRules tracking.PatrolRules
	// IntegrityRules are the early-warning rules of the officers'
	// integrity records, integrity.DefaultRules if nil; TripRules the trip
	// reports' deadlines they read (a report filed on its last day),
	// trip.DefaultRules if zero.
	IntegrityRules integrity.Rules
	TripRules      trip.Rules
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// The SQLite writer's page cache: restCacheKiB at rest and for a
// server's own writes, bulkCacheKiB while an import holds PrepareBulk
// (see Open). Both are ceilings within the process's page slab
// (slabPages), which holds fewer pages than an import's cache asks for.
// Before the slab every KiB of cache cost about two of RSS, and an
// import's was 64 MiB: a million-row import peaked at 285–290 MB RSS in
// the bench's process (goal 256 MB); with 48 MiB at 255–259 MB, its CPU
// time within the noise of the same machine; with the slab at 161 MB,
// in 46 s (zhilian bench, README → Scale).
const (
	restCacheKiB = 16384
	bulkCacheKiB = 49152
)

// Open opens the database named by dsn: a postgres:// URL, or a SQLite file
// path (created if missing). It does not migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{DSN: dsn, Now: time.Now, AuditAlg: "sha256"}
	if IsPostgres(dsn) {
		db.Engine = Postgres
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("parsing postgres url: %w", err)
		}
		if cfg.MaxConns < 8 {
			cfg.MaxConns = 8
		}
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("connecting to postgres: %w", err)
		}
		db.pool = pool
		db.write = stdlib.OpenDBFromPool(pool)
		db.read = db.write
		if err := db.write.PingContext(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("connecting to postgres: %w", err)
		}
		return db, nil
	}
	db.Engine = SQLite
	if slabErr != nil {
		slog.Warn("SQLite keeps a page cache per connection, without the process's bound", "err", slabErr)
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, errors.New("opening sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("creating database directory: %w", err)
		}
	}
	db.Path = path
	// A new database file is the owner's alone; SQLite gives its -wal and
	// -shm files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("creating database file: %w", err)
	}
	// busy_timeout first so that the pragmas after it wait for a lock
	// instead of failing; then WAL, NORMAL sync (safe with WAL), and foreign
	// keys. Write transactions begin IMMEDIATE so that two writers never
	// deadlock upgrading a read lock.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	// Statement journals of multi-row inserts in memory, not temp files.
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_time_format", "sqlite")
	r := url.Values{"_time_format": {"sqlite"}}
	// An import's writer gets a larger page cache (bulkCacheKiB, 64 MiB
	// when these figures were taken): bulk imports touch index pages
	// all over the file, and the default 2 MiB makes them re-read it. It
	// costs about twice that in RSS (each 4 KiB page and its header take an
	// 8 KiB block of the allocator): with 128 MiB an import of 100,000 rows
	// peaked at 345 MB RSS, with 64 MiB at 213 MB and the same CPU time
	// (BenchmarkLoad100k, issue 19: RSS ≤ 256 MB).
	// Outside imports it keeps 16 MiB (restCacheKiB): a server's writes
	// are a few rows at a time, and the daily jobs over every court had
	// grown the 64 MiB of an import's cache in a server that imported
	// nothing (284 MB RSS at rest at a million cases).
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", restCacheKiB))
	// Memory serving the province (issue 19: RSS ≤ 200 MB). Readers get
	// up to 16 MiB of cache each, sort and group in temporary files rather
	// than in memory (the OS caches those, outside the process), and no
	// mmap: each connection maps the file on its own, and every mapping's
	// pages count again in the resident set. All the connections' cached
	// pages together are held to the page slab (slabPages).
	r.Add("_pragma", "busy_timeout(10000)")
	r.Add("_pragma", "journal_mode(WAL)")
	r.Add("_pragma", "foreign_keys(ON)")
	r.Add("_pragma", "temp_store(FILE)")
	r.Add("_pragma", "cache_size(-16384)")
	r.Add("_pragma", "mmap_size(0)")
	r.Add("_pragma", "query_only(ON)")
	w, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("opening sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("opening sqlite %s: %w", path, err)
	}
	rdb, err := sql.Open("sqlite", "file:"+path+"?"+r.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("opening sqlite: %w", err)
	}
	rdb.SetMaxOpenConns(4)
	// All four kept open: with database/sql's default of two idle ones,
	// the third and fourth reader of a busy server were closed after each
	// use and opened again for the next, each opening running the pragmas,
	// parsing the whole schema and preparing its statements anew (3–8 % of
	// every page's CPU at 32 connections, pprof at 100,000 cases).
	rdb.SetMaxIdleConns(4)
	db.write, db.read = w, rdb
	return db, nil
}

// UseKeys sets the keys derived from the master key: the sealer of
// personal information and the audit chain's key.
func (db *DB) UseKeys(k *crypto.Keys) {
	db.Sealer = k
	db.AuditKey = k.AuditKey()
	db.keyCheck = k.CheckValue()
}

// Close closes the pools.
func (db *DB) Close() error {
	db.stmts.close()
	var err error
	if db.replica != nil {
		err = db.replica.close()
	}
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if db.pool != nil {
		db.pool.Close()
	}
	return err
}

// WriteDB is the pool that takes writes; the job queue inserts through it so
// that jobs share transactions with the changes that cause them.
func (db *DB) WriteDB() *sql.DB { return db.write }

// Pool is the pgx pool on PostgreSQL (nil on SQLite), for the queue's
// LISTEN/NOTIFY.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// FreeBytes returns the free disk space where a SQLite database lives;
// ok is false on PostgreSQL, whose disk is the server's.
func (db *DB) FreeBytes() (free uint64, ok bool) {
	if db.Engine != SQLite {
		return 0, false
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(db.Path), &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&n)
}

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// Rebind is rebind for tests and tools that write their own SQL.
func (db *DB) Rebind(q string) string { return db.rebind(q) }

// rebind turns ? placeholders into $1, $2 … for PostgreSQL. The SQL in this
// package never has a ? inside a string literal.
func (db *DB) rebind(q string) string {
	if db.Engine != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Tx is a write transaction. Store methods that change data take one, so
// that a change, its audit record and the jobs it causes commit together.
type Tx struct {
	db *DB
	tx *sql.Tx
	v  domain.Viewer
	sp *int // savepoints made so far, shared by the views of one transaction
	// stmts are the statements prepared in this transaction (prepared),
	// shared by its views.
	stmts map[string]*sql.Stmt
	// conn is the transaction's connection on PostgreSQL under
	// UpdateBulk, for COPY; nil otherwise.
	conn *sql.Conn
	// after are run once the transaction has committed (shared by its views).
	after *[]func()
	// preps are the cases' preparations during UpsertPrepared.
	preps map[*domain.Case]*CasePrep
	// order is what tx waits for before it audits (OrderAfter).
	order *func() error
}

// afterCommit runs fn once tx has committed, not if it rolls back.
func (tx *Tx) afterCommit(fn func()) { *tx.after = append(*tx.after, fn) }

// as returns tx acting for v: the same transaction, whose changes are
// checked against and attributed to v (the system's own step inside a
// person's change, e.g. the visit an SMS decision sends to the phone).
func (tx *Tx) as(v domain.Viewer) *Tx {
	return &Tx{db: tx.db, tx: tx.tx, v: v, sp: tx.sp, stmts: tx.stmts, conn: tx.conn, after: tx.after, order: tx.order}
}

// attempt runs fn under a savepoint: if fn fails, what it changed is
// undone and the transaction goes on (on PostgreSQL a failed statement
// would otherwise abort the whole transaction).
func (tx *Tx) attempt(ctx context.Context, fn func() error) error {
	*tx.sp++
	name := fmt.Sprintf("sp%d", *tx.sp)
	if _, err := tx.exec(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := fn(); err != nil {
		if _, rerr := tx.exec(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, fmt.Errorf("rolling back to savepoint: %w", rerr))
		}
		if _, rerr := tx.exec(ctx, "RELEASE SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, fmt.Errorf("releasing savepoint: %w", rerr))
		}
		return err
	}
	if _, err := tx.exec(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("releasing savepoint: %w", err)
	}
	return nil
}

// prepared returns a view of tx whose statements are prepared once per
// transaction, for the bulk writes that run the same large statement many
// times (a case import's multi-row inserts): SQLite would otherwise
// compile a statement of thousands of parameters for every hundred rows.
// The statements close with the transaction.
func (tx *Tx) prepared() preparedTx { return preparedTx{tx} }

type preparedTx struct{ tx *Tx }

func (p preparedTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if s, ok := p.tx.stmts[q]; ok {
		return s, nil
	}
	if kept := p.tx.db.bulk.get(q); kept != nil && p.tx.conn == nil {
		// Prepared on the writer's one connection, which tx holds:
		// database/sql runs it there without preparing it again.
		s := p.tx.tx.StmtContext(ctx, kept)
		if p.tx.stmts != nil {
			p.tx.stmts[q] = s
		}
		return s, nil
	}
	s, err := p.tx.tx.PrepareContext(ctx, p.tx.db.rebind(q))
	if err != nil {
		return nil, translate(err)
	}
	if p.tx.stmts != nil {
		p.tx.stmts[q] = s
	}
	return s, nil
}

func (p preparedTx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s, err := p.stmt(ctx, q) //nolint:sqlclosecheck // a transaction's statements close with it
	if err != nil {
		return nil, err
	}
	r, err := s.ExecContext(ctx, args...)
	return r, translate(err)
}

func (p preparedTx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := p.stmt(ctx, q) //nolint:sqlclosecheck // a transaction's statements close with it
	if err != nil {
		return nil, err
	}
	r, err := s.QueryContext(ctx, args...)
	return r, translate(err)
}

func (p preparedTx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return p.tx.queryRow(ctx, q, args...)
}

// SQL returns the underlying transaction, for the job queue's InsertTx.
func (tx *Tx) SQL() *sql.Tx { return tx.tx }

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	r, err := tx.tx.ExecContext(ctx, tx.db.rebind(q), args...)
	return r, translate(err)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	tx.db.benchTraced(q, args)
	r, err := tx.tx.QueryContext(ctx, tx.db.rebind(q), args...)
	return r, translate(err)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	tx.db.benchTraced(q, args)
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(q), args...)
}

// Update runs fn in a write transaction for viewer v and commits if fn
// returns nil. Every change made through it is attributed to v in the audit
// trail.
func (db *DB) Update(ctx context.Context, v domain.Viewer, fn func(*Tx) error) error {
	stx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", translate(err))
	}
	tx := &Tx{db: db, tx: stx, v: v, sp: new(int), stmts: map[string]*sql.Stmt{}, after: new([]func())}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", translate(err))
	}
	for _, f := range *tx.after {
		f()
	}
	return nil
}

// UpdateBulk is Update for bulk writes, a case import's batches: on
// PostgreSQL the transaction keeps hold of its connection, so that new
// rows go in through pgx's CopyFrom (the COPY protocol) inside it.
func (db *DB) UpdateBulk(ctx context.Context, v domain.Viewer, fn func(*Tx) error) error {
	if db.pool == nil {
		return db.Update(ctx, v, fn)
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("taking a connection: %w", translate(err))
	}
	defer conn.Close()
	return db.updateBulkOn(ctx, conn, v, fn)
}

// bulkSettings are set for the transaction of each batch of an import
// (SET LOCAL: the connection has its own settings again after it).
// synchronous_commit off: the commit returns without waiting for the
// server to flush its WAL to disk. A crash of the PostgreSQL server (not
// of zhilian, nor a kill -9 of it: the server still writes what it was
// told) may then lose the last batches committed in the fraction of a
// second before it, each whole, with its audit record and the import's
// progress (imports.go), which commit in the same transaction: the
// import is idempotent, and running it again writes exactly them (the
// rest it finds unchanged). Any later synchronous commit (every other
// write) flushes them first, so the audit chain keeps no hole.
var bulkSettings = []string{"SET LOCAL synchronous_commit = off"}

func (db *DB) updateBulkOn(ctx context.Context, conn *sql.Conn, v domain.Viewer, fn func(*Tx) error) error {
	stx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", translate(err))
	}
	for _, q := range bulkSettings {
		if _, err := stx.ExecContext(ctx, q); err != nil {
			_ = stx.Rollback()
			return fmt.Errorf("beginning transaction: %w", translate(err))
		}
	}
	tx := &Tx{db: db, tx: stx, v: v, sp: new(int), stmts: map[string]*sql.Stmt{}, conn: conn, after: new([]func()), order: new(func() error)}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := tx.Ordered(); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", translate(err))
	}
	for _, f := range *tx.after {
		f()
	}
	return nil
}

// copyFrom writes rows into table's columns with COPY, in tx's
// transaction; only under UpdateBulk on PostgreSQL (tx.conn set).
func (tx *Tx) copyFrom(ctx context.Context, table string, columns []string, rows [][]any) error {
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, translate(err))
		}
		if int(n) != len(rows) {
			return fmt.Errorf("copy into %s: %d of %d rows", table, n, len(rows))
		}
		return nil
	})
}

// inTx runs fn in a transaction of its own for v, as Update does, and
// returns what fn returns; nothing but the error when the transaction
// does not commit. The *DB wrappers of *Tx writes that return a value
// are made of it.
func inTx[T any](ctx context.Context, db *DB, v domain.Viewer, fn func(*Tx) (T, error)) (T, error) {
	var out T
	err := db.Update(ctx, v, func(tx *Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// updateRetrying is Update for changes that move several visits (an SMS
// round, receipts, a reply, a decision): PostgreSQL may end one as the
// victim of a deadlock with a person's change to one of those visits, and
// it is then run again, whole. fn must start from scratch each time.
func (db *DB) updateRetrying(ctx context.Context, v domain.Viewer, fn func(*Tx) error) error {
	return retrying(ctx, 5, func() error { return db.Update(ctx, v, fn) })
}

// query and queryRow read outside a transaction: from the read pool, or
// from the replica if ctx is marked for it (replica.go).
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	db.benchTraced(q, args)
	if db.Engine == SQLite {
		cs, err := db.stmts.get(ctx, db.read, q)
		if err != nil {
			return nil, translate(err)
		}
		defer db.stmts.release(cs)
		r, err := cs.st.QueryContext(ctx, args...) //nolint:sqlclosecheck // the caller closes the rows; the cache owns the statement
		return r, translate(err)
	}
	pool, rep := db.readPool(ctx)
	r, err := pool.QueryContext(ctx, db.rebind(q), args...) //nolint:sqlclosecheck // the caller closes the rows
	if rep != nil {
		if !rep.retryOnPrimary(ctx, err) {
			rep.served.Add(1)
			return r, translate(err)
		}
		r, err = db.read.QueryContext(ctx, db.rebind(q), args...)
	}
	return r, translate(err)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	db.benchTraced(q, args)
	if db.Engine == SQLite {
		cs, err := db.stmts.get(ctx, db.read, q)
		if err == nil {
			defer db.stmts.release(cs)
			return cs.st.QueryRowContext(ctx, args...)
		}
		// A statement that does not prepare: let QueryRowContext give
		// its error through Scan, as an unprepared one would.
		return db.read.QueryRowContext(ctx, q, args...)
	}
	pool, rep := db.readPool(ctx)
	r := pool.QueryRowContext(ctx, db.rebind(q), args...)
	if rep != nil {
		if !rep.retryOnPrimary(ctx, r.Err()) {
			rep.served.Add(1)
			return r
		}
		r = db.read.QueryRowContext(ctx, db.rebind(q), args...)
	}
	return r
}

// nullTime converts a zero time to NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

func timeOf(nt sql.NullTime) time.Time {
	if !nt.Valid {
		return time.Time{}
	}
	return nt.Time.UTC()
}

// BenchTrace makes every reading statement (query and queryRow, on the
// pools and in transactions) be told to fn, rebound for the engine, until
// it is called again with nil. zhilian bench uses it to learn a page's own
// SQL and replay it directly on ReadDB.
func (db *DB) BenchTrace(fn func(q string, args []any)) {
	if fn == nil {
		db.benchTrace.Store(nil)
		return
	}
	db.benchTrace.Store(&fn)
}

func (db *DB) benchTraced(q string, args []any) {
	if fn := db.benchTrace.Load(); fn != nil {
		(*fn)(db.rebind(q), slices.Clone(args))
	}
}

// BenchReadDB is the pool pages read from (on PostgreSQL the only pool).
func (db *DB) BenchReadDB() *sql.DB { return db.read }

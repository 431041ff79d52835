package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhilian/zhilian/internal/domain"
)

// Replica defaults.
const (
	// DefaultReplicaMaxLag is how far behind the primary a streaming
	// replica may be and still serve statistics: a figure half a minute
	// old is as good as a fresh one on a leader's cockpit.
	DefaultReplicaMaxLag = 30 * time.Second
	// DefaultReplicaCheckEvery is how often the replica's state is read.
	DefaultReplicaCheckEvery = 5 * time.Second
)

// ReplicaOptions configure OpenReplica.
type ReplicaOptions struct {
	// MaxLag is the replay lag past which reads go to the primary until
	// the replica has caught up; DefaultReplicaMaxLag if zero.
	MaxLag time.Duration
	// CheckEvery is how often the lag is read; DefaultReplicaCheckEvery
	// if zero.
	CheckEvery time.Duration
	// Log is told when the replica stops or starts serving reads.
	Log *slog.Logger
}

// replica is a PostgreSQL streaming replica (a hot standby) of the
// primary, and whether reads may go to it now.
type replica struct {
	pool *pgxpool.Pool
	db   *sql.DB
	opts ReplicaOptions
	// usable is false while the replica cannot be reached, lags more
	// than opts.MaxLag, or is not a standby.
	usable atomic.Bool
	// served and fellBack count the reads the replica answered and those
	// that went to the primary instead, although marked for the replica.
	served, fellBack atomic.Int64
	stop             context.CancelFunc
	done             chan struct{}
}

type replicaCtxKey struct{}

// ReplicaReads marks ctx: the reads made with it outside a transaction
// may be answered by the replica (OpenReplica), and so be up to the
// replica's lag old. Only pages that show what others wrote take it —
// statistics, the cockpit, exports, list pages no write redirects to —
// never a page that must show the change its user has just made. A
// transaction (Update) reads and writes on the primary whatever its
// context says. Without a replica the mark changes nothing.
func ReplicaReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaCtxKey{}, true)
}

// primaryReads removes ReplicaReads' mark, for reads that are kept
// beyond the request (the court directory's cache) and so must not be
// stale.
func primaryReads(ctx context.Context) context.Context {
	if ctx.Value(replicaCtxKey{}) == nil {
		return ctx
	}
	return context.WithValue(ctx, replicaCtxKey{}, nil)
}

// OpenReplica opens a streaming replica of the PostgreSQL primary db, to
// which the reads marked with ReplicaReads then go while the replica is
// reachable and within opts.MaxLag of the primary; otherwise they go to
// the primary, and the change is logged. A replica that does not answer
// now is not an error (it is used once it does); one that answers but is
// not a standby is, since reading a second primary would show another
// database's data.
func (db *DB) OpenReplica(ctx context.Context, dsn string, opts ReplicaOptions) error {
	if db.Engine != Postgres {
		return errors.New("a read replica needs a PostgreSQL database (--db postgres://…)")
	}
	if !IsPostgres(dsn) {
		return fmt.Errorf("read replica %q: want a postgres:// URL", dsn)
	}
	if db.replica != nil {
		return errors.New("read replica already open")
	}
	if opts.MaxLag <= 0 {
		opts.MaxLag = DefaultReplicaMaxLag
	}
	if opts.CheckEvery <= 0 {
		opts.CheckEvery = DefaultReplicaCheckEvery
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("parsing replica url: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > 5*time.Second {
		// A replica that has gone away must not hold a page up long
		// before it falls back to the primary.
		cfg.ConnConfig.ConnectTimeout = 2 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("opening replica: %w", err)
	}
	r := &replica{pool: pool, db: stdlib.OpenDBFromPool(pool), opts: opts, done: make(chan struct{})}
	standby, err := r.check(ctx)
	if err == nil && !standby {
		r.db.Close()
		pool.Close()
		return fmt.Errorf("read replica %s is not a standby (pg_is_in_recovery() is false): give a streaming replica of --db", redactURL(dsn))
	}
	if err != nil {
		opts.Log.Warn("read replica unavailable; reading from the primary until it answers", "err", err)
	}
	mctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	r.stop = stop
	db.replica = r
	go r.monitor(mctx)
	return nil
}

// redactURL drops the password from a database URL for messages.
func redactURL(dsn string) string {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "(unparsable url)"
	}
	return fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
}

// check reads whether the replica is a standby and how far its replay
// lags, and sets usable. The lag is the age of the last transaction
// replayed when WAL has arrived that is not replayed yet, zero when all
// that arrived is replayed: an idle primary is no lag.
func (r *replica) check(ctx context.Context) (standby bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var lag float64
	err = r.db.QueryRowContext(ctx, `SELECT pg_is_in_recovery(),
		CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		     ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END`).Scan(&standby, &lag)
	ok := err == nil && standby && time.Duration(lag*float64(time.Second)) <= r.opts.MaxLag
	was := r.usable.Swap(ok)
	switch {
	case ok && !was:
		r.opts.Log.Info("read replica serving reads", "lag", time.Duration(lag*float64(time.Second)).Round(time.Millisecond))
	case !ok && was && err != nil:
		r.opts.Log.Warn("read replica unavailable; reading from the primary", "err", err)
	case !ok && was && !standby:
		r.opts.Log.Error("read replica is no longer a standby (promoted?); reading from the primary")
	case !ok && was:
		r.opts.Log.Warn("read replica lags; reading from the primary until it catches up",
			"lag", time.Duration(lag*float64(time.Second)).Round(time.Millisecond), "max", r.opts.MaxLag)
	}
	return standby, err
}

func (r *replica) monitor(ctx context.Context) {
	defer close(r.done)
	t := time.NewTicker(r.opts.CheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, _ = r.check(ctx)
		}
	}
}

func (r *replica) close() error {
	r.stop()
	<-r.done
	err := r.db.Close()
	r.pool.Close()
	return err
}

// down takes the replica out of use after a read failed on it for want
// of a connection; the monitor brings it back once it answers.
func (r *replica) down(err error) {
	if r.usable.Swap(false) {
		r.opts.Log.Warn("read replica unavailable; reading from the primary", "err", err)
	}
}

// readPool is the pool a read outside a transaction goes to: the replica
// if ctx is marked for it (ReplicaReads) and it is usable, else the
// primary (or, on SQLite, the read pool).
func (db *DB) readPool(ctx context.Context) (*sql.DB, *replica) {
	r := db.replica
	if r == nil || ctx.Value(replicaCtxKey{}) == nil {
		return db.read, nil
	}
	if !r.usable.Load() {
		r.fellBack.Add(1)
		return db.read, nil
	}
	return r.db, r
}

// retryOnPrimary reports whether a read that failed on the replica with
// err is to be made again on the primary: the replica could not be
// reached, and is taken out of use. Only the start of a query is
// retried: an error while its rows are read (a connection lost midway, a
// query cancelled for a conflict with replay, which hot_standby_feedback
// prevents) fails that page, as on the primary.
func (r *replica) retryOnPrimary(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil || !errors.Is(translate(err), domain.ErrUnavailable) {
		return false
	}
	r.down(err)
	r.fellBack.Add(1)
	return true
}

// ReplicaStats tells whether a read replica is open and usable now, and
// how many marked reads it has answered and how many went to the primary
// instead.
func (db *DB) ReplicaStats() (open, usable bool, served, fellBack int64) {
	r := db.replica
	if r == nil {
		return false, false, 0, 0
	}
	return true, r.usable.Load(), r.served.Load(), r.fellBack.Load()
}

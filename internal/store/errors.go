package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/zhilian/zhilian/internal/domain"
)

// errRetry marks a transaction PostgreSQL gave up on to break a deadlock or
// a serialization conflict, or one SQLite could not begin while another
// process wrote for longer than the busy timeout: nothing is wrong with the
// change, and running the transaction again succeeds. People see it as a conflict (刷新重试).
var errRetry = errors.New("transaction to retry")

// movedOn reports whether err says that a record moved on before a change
// reached it (the state machine refused, or a unique key was taken), which
// a system step passes over — not a deadlock, which must be retried.
func movedOn(err error) bool {
	return !errors.Is(err, errRetry) && (errors.Is(err, domain.ErrConflict) || errors.Is(err, domain.ErrInvalid))
}

// retrying runs fn up to attempts times while it fails with errRetry,
// waiting a little longer each time (PostgreSQL chose it as a deadlock's
// victim; the other transaction finishes meanwhile).
func retrying(ctx context.Context, attempts int, fn func() error) error {
	var err error
	for i := range attempts {
		if err = fn(); !errors.Is(err, errRetry) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(i+1)*20*time.Millisecond + rand.N(20*time.Millisecond)):
		}
	}
	return err
}

// translate maps driver errors to domain error codes by their codes, never
// by message text, keeping the driver error in the chain for logs.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", domain.ErrNotFound, err)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", domain.ErrConflict, err)
		case "23503", "23502", "23514", "22001": // foreign key, not null, check, too long
			return fmt.Errorf("%w: %w", domain.ErrInvalid, err)
		case "40001", "40P01": // serialization failure, deadlock
			return fmt.Errorf("%w: %w: %w", errRetry, domain.ErrConflict, err)
		case "53100": // disk_full
			return fmt.Errorf("%w: %w", domain.ErrStorageFull, err)
		}
		// Class 08 (connection exception), 57P01–57P03 (the server is
		// shutting down or starting).
		if len(pg.Code) == 5 && (pg.Code[:2] == "08" || (pg.Code[:4] == "57P0" && pg.Code != "57P04")) {
			return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	// A connection that went away mid-answer ends in an unexpected EOF.
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || pgconn.SafeToRetry(err) ||
		errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", domain.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK:
			return fmt.Errorf("%w: %w", domain.ErrInvalid, err)
		}
		if se.Code()&0xff == sqlite3.SQLITE_FULL {
			return fmt.Errorf("%w: %w", domain.ErrStorageFull, err)
		}
		// Another process held the write lock past the busy timeout: the
		// transaction did nothing and may run again (updateRetrying).
		if se.Code()&0xff == sqlite3.SQLITE_BUSY {
			return fmt.Errorf("%w: %w: %w", errRetry, domain.ErrConflict, err)
		}
	}
	return err
}

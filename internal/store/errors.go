package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/zhilian/zhilian/internal/domain"
)

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
			return fmt.Errorf("%w: %w", domain.ErrConflict, err)
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
	}
	return err
}

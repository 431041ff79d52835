package importer

import (
	"errors"

	"github.com/zhilian/zhilian/internal/domain"
)

// Kinds of file-level failure. Every error Open or Next returns for a bad
// file wraps one of these and domain.ErrInvalid, and carries a Chinese
// message that domain.UserMessage shows; the cause, if any, is kept for
// the log.
var (
	// ErrNotTable: empty, not CSV or XLSX, or no header row.
	ErrNotTable = errors.New("not a table")
	// ErrColumns: a required column is missing, a column appears twice, or
	// a mapping is wrong.
	ErrColumns = errors.New("bad columns")
	// ErrTruncated: the file was cut off or is corrupt.
	ErrTruncated = errors.New("truncated or corrupt file")
	// ErrTooLarge: over MaxBytes or MaxRows, or an archive that unpacks to
	// too much (a zip bomb).
	ErrTooLarge = errors.New("file too large")
)

// fileError is a file-level failure: a kind, a message for users and an
// optional internal cause.
type fileError struct {
	kind  error
	msg   *domain.Error
	cause error
}

func fileErr(kind, cause error, msg string) error {
	return &fileError{kind: kind, msg: &domain.Error{Code: domain.ErrInvalid, Field: "file", Message: msg}, cause: cause}
}

func (e *fileError) Error() string {
	if e.cause != nil {
		return e.msg.Message + ": " + e.cause.Error()
	}
	return e.msg.Message
}

func (e *fileError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.kind, e.msg, e.cause}
	}
	return []error{e.kind, e.msg}
}

package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhilian/zhilian/internal/domain"
)

// copyRows is rows written in PostgreSQL's binary COPY format, field by
// field, for an import's new cases, parties and nodes: pgx's CopyFrom
// takes rows of []any, a boxed value and a type look-up per field, which
// with the slices was a tenth of an import's CPU (pprof). The fields are
// encoded as pgx encodes them (TestCopyRowsAsPgx), so the server reads
// the same bytes. copyIn writes the rows as the connection sends them, a
// few dozen kilobytes at a time, not a batch's megabytes at once.
type copyRows struct {
	buf  []byte
	cols int // fields a row
	rows int
	err  error // the first value that does not fit its column
}

// pgCopyHeader opens a binary COPY: the signature, no flags, no extension.
const pgCopyHeader = "PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// row starts a row; its cols fields follow.
func (w *copyRows) row() {
	w.rows++
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(w.cols))
}

func (w *copyRows) null() { w.buf = binary.BigEndian.AppendUint32(w.buf, math.MaxUint32) } // length -1

// int8 is a BIGINT.
func (w *copyRows) int8(v int64) {
	w.buf = binary.BigEndian.AppendUint32(w.buf, 8)
	w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(v))
}

// int4 is an INTEGER.
func (w *copyRows) int4(v int) {
	if v < math.MinInt32 || v > math.MaxInt32 {
		if w.err == nil {
			w.err = fmt.Errorf("%d is out of range for an integer column", v)
		}
		v = 0
	}
	w.buf = binary.BigEndian.AppendUint32(w.buf, 4)
	w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(int32(v)))
}

// id is a BIGINT reference, NULL for 0 (nullID).
func (w *copyRows) id(v int64) {
	if v == 0 {
		w.null()
		return
	}
	w.int8(v)
}

func (w *copyRows) text(s string) {
	w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(len(s)))
	w.buf = append(w.buf, s...)
}

func (w *copyRows) boolean(v bool) {
	w.buf = binary.BigEndian.AppendUint32(w.buf, 1)
	if v {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// date is a TEXT date, YYYY-MM-DD, NULL for the zero Date (Date.Value).
func (w *copyRows) date(d domain.Date) {
	if d.IsZero() {
		w.null()
		return
	}
	at := len(w.buf)
	w.buf = binary.BigEndian.AppendUint32(w.buf, 0)
	w.buf = d.Append(w.buf)
	binary.BigEndian.PutUint32(w.buf[at:], uint32(len(w.buf)-at-4))
}

// microsToY2K is the microseconds from the Unix epoch to 2000-01-01, the
// epoch of PostgreSQL's timestamps.
const microsToY2K = 946684800 * 1000000

// timestamptz is a TIMESTAMPTZ: microseconds since 2000-01-01 UTC, the
// nanoseconds cut as pgx cuts them.
func (w *copyRows) timestamptz(t time.Time) {
	w.buf = binary.BigEndian.AppendUint32(w.buf, 8)
	w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(t.Unix()*1000000+int64(t.Nanosecond())/1000-microsToY2K))
}

// copySource is the reader of a COPY's data: it asks next for rows
// while it has less than a read's worth written.
type copySource struct {
	w    copyRows
	next func(w *copyRows) (more bool, err error)
	off  int // of w.buf, sent
	done bool
}

func (s *copySource) Read(p []byte) (int, error) {
	if s.off > 0 && len(s.w.buf)-s.off < len(p) {
		// What the last read left unsent (less than a row, as pgconn
		// reads 64 KiB at a time) moves to the front before more rows
		// are written: appended behind it instead, the buffer grew to
		// the whole COPY, a batch's 1–3 MB written twice or more as
		// append doubled it, and garbage beside (at 300,000 cases
		// growslice's copying was 0.87 of the import's 7.6 Go CPU-
		// seconds, pprof).
		n := copy(s.w.buf, s.w.buf[s.off:])
		s.w.buf, s.off = s.w.buf[:n], 0
	}
	for !s.done && len(s.w.buf)-s.off < len(p) {
		more, err := s.next(&s.w)
		if err == nil {
			err = s.w.err
		}
		if err != nil {
			return 0, err
		}
		if !more {
			s.done = true
			s.w.buf = binary.BigEndian.AppendUint16(s.w.buf, math.MaxUint16) // the trailer, -1
		}
	}
	n := copy(p, s.w.buf[s.off:])
	s.off += n
	if n == 0 && s.done {
		return 0, io.EOF
	}
	return n, nil
}

// copyIn copies rows into table's columns with one binary COPY: next
// writes the next row (w.row, then a field for each column) and reports
// whether it wrote one; an error from it aborts the COPY.
func (tx *Tx) copyIn(ctx context.Context, table string, columns []string, next func(w *copyRows) (bool, error)) error {
	var cols strings.Builder
	for i, c := range columns {
		if i > 0 {
			cols.WriteString(", ")
		}
		cols.WriteString(pgx.Identifier{c}.Sanitize())
	}
	sql := "COPY " + pgx.Identifier{table}.Sanitize() + " (" + cols.String() + ") FROM STDIN BINARY"
	src := &copySource{w: copyRows{cols: len(columns), buf: make([]byte, 0, 96<<10)}, next: next}
	src.w.buf = append(src.w.buf, pgCopyHeader...)
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		tag, err := c.Conn().PgConn().CopyFrom(ctx, src, sql)
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, translate(err))
		}
		if int(tag.RowsAffected()) != src.w.rows {
			return fmt.Errorf("copy into %s: %d of %d rows", table, tag.RowsAffected(), src.w.rows)
		}
		return nil
	})
}

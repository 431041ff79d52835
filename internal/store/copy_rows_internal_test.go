package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zhilian/zhilian/internal/domain"
)

// TestCopyRowsAsPgx: every field copyRows writes is the bytes pgx's
// binary encoding gives the value the import passed it before (a date
// as Date.Value, a reference as nullID), so that a COPY of copyRows
// stores what pgx's CopyFrom stored.
func TestCopyRowsAsPgx(t *testing.T) {
	m := pgtype.NewMap()
	beijing := time.FixedZone("CST", 8*3600)
	type field struct {
		write func(w *copyRows)
		oid   uint32
		value any
	}
	var fields []field
	for _, v := range []int64{0, 1, -1, 1 << 40, math.MaxInt64, math.MinInt64} {
		fields = append(fields, field{func(w *copyRows) { w.int8(v) }, pgtype.Int8OID, v})
		fields = append(fields, field{func(w *copyRows) { w.id(v) }, pgtype.Int8OID, nullID(v)})
	}
	for _, v := range []int{0, 7, -7, 2026, math.MaxInt32, math.MinInt32} {
		fields = append(fields, field{func(w *copyRows) { w.int4(v) }, pgtype.Int4OID, v})
	}
	for _, v := range []string{"", "张伟", "a\tb\nc\\d", strings.Repeat("长", 300), "sm4gcm:v1:AAAA"} {
		fields = append(fields, field{func(w *copyRows) { w.text(v) }, pgtype.TextOID, v})
	}
	for _, v := range []bool{true, false} {
		fields = append(fields, field{func(w *copyRows) { w.boolean(v) }, pgtype.BoolOID, v})
	}
	for _, v := range []domain.Date{{}, domain.MustDate("2024-03-05"), domain.MustDate("1999-12-31")} {
		value, _ := v.Value()
		fields = append(fields, field{func(w *copyRows) { w.date(v) }, pgtype.TextOID, value})
	}
	for _, v := range []time.Time{
		time.Date(2026, 12, 1, 1, 58, 3, 123456789, time.UTC),
		time.Date(2026, 12, 1, 9, 58, 3, 999, beijing),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1900, 6, 1, 0, 0, 0, 500, time.UTC),
	} {
		fields = append(fields, field{func(w *copyRows) { w.timestamptz(v) }, pgtype.TimestamptzOID, v})
	}

	w := &copyRows{cols: len(fields), buf: []byte(pgCopyHeader)}
	w.row()
	for _, f := range fields {
		f.write(w)
	}
	if w.err != nil {
		t.Fatal(w.err)
	}
	b := w.buf
	if !bytes.HasPrefix(b, []byte("PGCOPY\n\xff\r\n\x00")) || len(b) < 19+2 {
		t.Fatalf("no binary COPY header: %q", b[:min(len(b), 19)])
	}
	b = b[19:]
	if n := binary.BigEndian.Uint16(b); int(n) != len(fields) {
		t.Fatalf("row of %d fields, want %d", n, len(fields))
	}
	b = b[2:]
	for i, f := range fields {
		want, err := m.Encode(f.oid, pgtype.BinaryFormatCode, f.value, make([]byte, 0, 16)) // nil for NULL only
		if err != nil {
			t.Fatalf("field %d (%v): pgx: %v", i, f.value, err)
		}
		n := int32(binary.BigEndian.Uint32(b))
		b = b[4:]
		var got []byte
		if n >= 0 {
			got, b = b[:n], b[n:]
		}
		if (n < 0) != (want == nil) || !bytes.Equal(got, want) {
			t.Errorf("field %d (%v): copyRows wrote %x (length %d), pgx %x (null %v)", i, f.value, got, n, want, want == nil)
		}
	}
	if len(b) != 0 {
		t.Errorf("%d bytes left after the row", len(b))
	}
}

// TestCopyRowsRange: an integer column's value out of range fails the
// COPY rather than being cut, as pgx refuses it.
func TestCopyRowsRange(t *testing.T) {
	w := &copyRows{cols: 1}
	w.row()
	w.int4(math.MaxInt32 + 1)
	if w.err == nil {
		t.Error("int4 of 2^31 accepted")
	}
}

// TestCopySource: the COPY data read in pieces of any size is the header,
// every row next writes and the trailer, then EOF; an error of next ends
// the reading with it.
func TestCopySource(t *testing.T) {
	const rows = 5000
	whole := &copyRows{cols: 2, buf: []byte(pgCopyHeader)}
	for i := range rows {
		whole.row()
		whole.int8(int64(i))
		whole.text(strings.Repeat("x", i%50))
	}
	want := append(whole.buf, 0xff, 0xff)
	for _, size := range []int{1, 7, 4096, 65531, 1 << 20} {
		i := 0
		src := &copySource{w: copyRows{cols: 2, buf: []byte(pgCopyHeader)}, next: func(w *copyRows) (bool, error) {
			if i == rows {
				return false, nil
			}
			w.row()
			w.int8(int64(i))
			w.text(strings.Repeat("x", i%50))
			i++
			return true, nil
		}}
		var got []byte
		p := make([]byte, size)
		for {
			n, err := src.Read(p)
			got = append(got, p[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil || n == 0 {
				t.Fatalf("read of %d: %d, %v", size, n, err)
			}
		}
		if !bytes.Equal(got, want) || src.w.rows != rows {
			t.Errorf("reads of %d: %d bytes, %d rows; want %d bytes, %d rows", size, len(got), src.w.rows, len(want), rows)
		}
		// The buffer holds about one read's worth, not the whole COPY
		// (the rows here are at most 72 bytes each).
		if limit := 2*size + 256; cap(src.w.buf) > limit && size < len(want)/4 {
			t.Errorf("reads of %d: the buffer grew to %d bytes (limit %d) for a COPY of %d", size, cap(src.w.buf), limit, len(want))
		}
	}
	failed := errors.New("sealing failed")
	src := &copySource{w: copyRows{cols: 1}, next: func(*copyRows) (bool, error) { return false, failed }}
	if _, err := src.Read(make([]byte, 100)); !errors.Is(err, failed) {
		t.Errorf("Read = %v, want next's error", err)
	}
}

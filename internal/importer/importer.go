// Package importer reads the case lists that courts export from their case
// management systems (CSV in UTF-8 or GBK, or XLSX) and turns them into a
// stream of enforcement cases, with an error for every bad row. It reads
// in bounded memory, one row at a time, and never touches the database:
// the caller stores the cases in batches.
package importer

import (
	"errors"
	"fmt"
	"io"

	"github.com/zhilian/zhilian/internal/domain"
)

// Defaults for Options.
const (
	DefaultMaxBytes = 512 << 20
	DefaultMaxRows  = 2_000_000
)

// headerScanRows is how many non-blank rows may come before the header:
// exports often start with a title row or two.
const headerScanRows = 10

// Options configure an import.
type Options struct {
	// CaseTypes are the case type codes accepted in case numbers;
	// domain.DefaultCaseTypes if empty.
	CaseTypes []string
	// Mapping maps a column name of the file to a standard column name
	// (see StandardColumns and ParseMapping).
	Mapping map[string]string
	// MaxBytes bounds the file size; DefaultMaxBytes if 0. An XLSX file
	// may unpack to at most eight times as much.
	MaxBytes int64
	// MaxRows bounds the data rows; DefaultMaxRows if 0.
	MaxRows int
	// Batch is how many cases a loader writes per transaction (0 for the
	// loader's default): smaller when another process's writers must get
	// in between, as beside a live SQLite server.
	Batch int
}

// Stream reads cases from a file, one row at a time.
type Stream struct {
	src     source
	format  string
	caseNos domain.CaseNoReader
	cols    columnSet
	maxRows int
	rows    int
	row     int   // the file row of the last row Next returned
	err     error // sticky: once the file fails, it stays failed
}

// source is a format's row reader.
type source interface {
	// next returns the cells of the next row and its number in the file,
	// io.EOF at the end, or a file-level error.
	next() (cells []string, row int, err error)
	setWidth(n int)
	progress() (done, total int64)
	close() error
}

// Open detects the format of the file from its content, checks its size,
// and reads up to the header row. It fails with an error wrapping one of
// ErrNotTable, ErrColumns, ErrTruncated or ErrTooLarge, whose
// domain.UserMessage says in Chinese what is wrong.
func Open(r io.ReaderAt, size int64, opts Options) (*Stream, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	if len(opts.CaseTypes) == 0 {
		opts.CaseTypes = domain.DefaultCaseTypes
	}
	if size <= 0 {
		return nil, fileErr(ErrNotTable, nil, "文件是空的，请从案件管理系统导出CSV或XLSX文件后再上传")
	}
	if size > opts.MaxBytes {
		return nil, fileErr(ErrTooLarge, nil, fmt.Sprintf("文件大小%s，超过上限%s，请分批导出后再上传", mib(size), mib(opts.MaxBytes)))
	}
	mapping, err := compileMapping(opts.Mapping)
	if err != nil {
		return nil, err
	}
	prefix := make([]byte, min(size, sniffLen))
	if _, err := r.ReadAt(prefix, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading file: %w", err)
	}
	s := &Stream{caseNos: domain.NewCaseNoReader(opts.CaseTypes), maxRows: opts.MaxRows}
	if s.src, s.format, err = openSource(r, size, prefix, opts.MaxBytes); err != nil {
		return nil, err
	}
	if err := s.readHeader(mapping); err != nil {
		return nil, errors.Join(err, s.src.close())
	}
	return s, nil
}

// openSource detects the format from the file's first bytes and opens its
// row reader.
func openSource(r io.ReaderAt, size int64, prefix []byte, maxBytes int64) (source, string, error) {
	kind, err := sniff(prefix)
	if err != nil {
		return nil, "", err
	}
	if kind == "xlsx" {
		src, err := openXLSX(r, size, 8*maxBytes)
		return src, "xlsx", err
	}
	return openCSV(r, size, prefix)
}

// readHeader finds the header row: the first row, among the first few
// non-blank ones, that names the required columns.
func (s *Stream) readHeader(mapping map[string]field) error {
	var best columnSet
	bestFound := 0
	for seen := 0; seen < headerScanRows; {
		cells, _, err := s.src.next()
		switch {
		case err == io.EOF:
			seen = headerScanRows
			continue
		case err != nil:
			return err
		case blank(cells):
			continue
		}
		seen++
		cs, found, err := resolveHeader(cells, mapping)
		if err != nil {
			return err
		}
		if found > 0 && len(cs.missing()) == 0 {
			s.cols = cs
			s.src.setWidth(cs.width)
			return nil
		}
		if found > bestFound {
			best, bestFound = cs, found
		}
	}
	if bestFound > 0 {
		return fileErr(ErrColumns, nil, fmt.Sprintf("表头缺少必需的列：%s", joinNames(best.missing())))
	}
	return notTable(fmt.Sprintf("在前%d行中没有找到含“案号”“立案日期”等列名的表头", headerScanRows))
}

// Next returns the next case. For a rejected row it returns a nil case and
// the row's errors; an imported row may also carry non-fatal errors. At
// the end it returns io.EOF; a file-level failure (cut off, corrupt, too
// many rows) is returned as an error, and Next keeps returning it.
func (s *Stream) Next() (*domain.Case, []RowError, error) {
	r, err := s.NextRaw()
	if err != nil {
		return nil, nil, err
	}
	c, errs := s.Build(r)
	return c, errs, nil
}

// RawRow is a non-blank data row as read from the file, before it is
// turned into a case by Build.
type RawRow struct {
	Row   int // as in RowError.Row
	Cells []string
}

// NextRaw reads the next non-blank data row without turning it into a
// case: reading a file through to the end with it finds every file-level
// failure that Next would, at a fraction of the cost. It fails, and keeps
// failing, as Next does.
func (s *Stream) NextRaw() (RawRow, error) {
	if s.err != nil {
		return RawRow{}, s.err
	}
	for {
		cells, row, err := s.src.next()
		if err != nil {
			s.err = err
			return RawRow{}, err
		}
		if blank(cells) {
			continue
		}
		if s.rows++; s.rows > s.maxRows {
			s.err = fileErr(ErrTooLarge, nil, fmt.Sprintf("文件超过%d行的上限，请分批导出后再上传", s.maxRows))
			return RawRow{}, s.err
		}
		s.row = row
		return RawRow{Row: row, Cells: cells}, nil
	}
}

// Build turns a row read by NextRaw into a case, as Next does. It only
// reads the stream's header, so several goroutines may build rows of one
// stream at once while another reads on.
func (s *Stream) Build(r RawRow) (*domain.Case, []RowError) {
	b := rowBuilder{cols: &s.cols, caseNos: s.caseNos, row: r.Row, cells: r.Cells}
	return b.build()
}

// Row returns the row number in the file (as in RowError.Row) of the row
// the last call to Next returned.
func (s *Stream) Row() int { return s.row }

// Format returns the detected format: "csv-utf8", "csv-gbk" or "xlsx".
func (s *Stream) Format() string { return s.format }

// Columns returns the standard names of the columns the file has, in file
// order, so that a caller updating existing cases can leave the others
// alone.
func (s *Stream) Columns() []string { return s.cols.present() }

// Progress reports how far the stream has read, for a progress bar: bytes
// of the file for CSV, rows of the sheet for XLSX (total is 0 if the sheet
// does not say how many it has). It is safe to call from another
// goroutine.
func (s *Stream) Progress() (done, total int64) { return s.src.progress() }

// Close releases the file and any temporary files.
func (s *Stream) Close() error { return s.src.close() }

func blank(cells []string) bool {
	for _, c := range cells {
		if cleanCell(c) != "" {
			return false
		}
	}
	return true
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += "、"
		}
		out += "“" + n + "”"
	}
	return out
}

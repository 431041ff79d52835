package importer

import (
	"errors"
	"fmt"
	"io"
)

// smallTable is a table read whole in one request (complaints, acts), as
// opposed to the case files, which stream through a durable job.
type smallTable[T any] struct {
	maxBytes int64
	maxRows  int
	// header returns the column index of a header row, or nil when cells
	// are not the header; missing says which column names were looked for.
	header  func(cells []string) map[string]int
	missing string
	// row makes one data row from its cells by column key.
	row func(rowNo int, cell func(key string) string) T
}

// read reads a CSV (UTF-8 or GBK) or XLSX file: the header is the first of
// the first few rows that names the required columns, blank rows are
// skipped. A file that is not such a table fails whole, with a message in
// Chinese.
func (t smallTable[T]) read(r io.ReaderAt, size int64) ([]T, error) {
	if size <= 0 {
		return nil, fileErr(ErrNotTable, nil, "文件是空的")
	}
	if size > t.maxBytes {
		return nil, fileErr(ErrTooLarge, nil, fmt.Sprintf("文件大小%s，超过上限%s，请分批导入", mib(size), mib(t.maxBytes)))
	}
	prefix := make([]byte, min(size, sniffLen))
	if _, err := r.ReadAt(prefix, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading file: %w", err)
	}
	src, _, err := openSource(r, size, prefix, t.maxBytes)
	if err != nil {
		return nil, err
	}
	defer src.close() //nolint:errcheck // read-only: nothing to lose on close
	var index map[string]int
	for seen := 0; index == nil && seen < headerScanRows; seen++ {
		cells, _, err := src.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		index = t.header(cells)
	}
	if index == nil {
		return nil, notTable(fmt.Sprintf("在前%d行中没有找到含%s列名的表头", headerScanRows, t.missing))
	}
	var out []T
	for {
		cells, row, err := src.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return out, err
		}
		if blank(cells) {
			continue
		}
		if len(out) == t.maxRows {
			return out, fileErr(ErrTooLarge, nil, fmt.Sprintf("数据超过%d行，请分批导入", t.maxRows))
		}
		out = append(out, t.row(row, func(key string) string {
			if i, ok := index[key]; ok && i < len(cells) {
				return cleanCell(cells[i])
			}
			return ""
		}))
	}
}

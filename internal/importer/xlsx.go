package importer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/xuri/excelize/v2"
)

// xmlInMemory is the largest worksheet or shared-strings part excelize
// keeps in memory; bigger ones are unpacked to a temporary file and read
// as a stream.
const xmlInMemory = 16 << 20

// xlsxSource reads the rows of the first worksheet with excelize's
// streaming iterator.
type xlsxSource struct {
	f       *excelize.File
	rows    *excelize.Rows
	row     int
	done    atomic.Int64
	total   int64
	cleanup func() error
}

// openXLSX checks the archive, then opens it with excelize. excelize needs
// a file name to avoid reading the whole archive into memory, so a reader
// that is not a named file is first copied to a temporary file.
func openXLSX(r io.ReaderAt, size, maxUnzipped int64) (*xlsxSource, error) {
	if err := checkZip(r, size, maxUnzipped); err != nil {
		return nil, err
	}
	path, cleanup, err := fileFor(r, size)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		RawCellValue:      true, // dates as serial numbers, amounts unformatted
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: xmlInMemory,
	})
	if err != nil {
		return nil, errors.Join(fileErr(ErrTruncated, err, "XLSX文件已损坏或不完整，无法读取，请重新导出后再上传"), cleanup())
	}
	src := &xlsxSource{f: f, cleanup: cleanup}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.Join(notTable("工作簿中没有工作表"), src.close())
	}
	if dim, err := f.GetSheetDimension(sheets[0]); err == nil {
		_, to, _ := strings.Cut(dim, ":")
		// Excel keeps the used range here; some writers leave it at A1,
		// which says nothing.
		if _, last, err := excelize.CellNameToCoordinates(to); err == nil && last > 1 {
			src.total = int64(last)
		}
	}
	if src.rows, err = f.Rows(sheets[0]); err != nil {
		return nil, errors.Join(fileErr(ErrTruncated, err, "无法读取XLSX文件的第一个工作表"), src.close())
	}
	return src, nil
}

// fileFor returns the name of a file holding the bytes of r.
func fileFor(r io.ReaderAt, size int64) (string, func() error, error) {
	nothing := func() error { return nil }
	if f, ok := r.(*os.File); ok {
		fi, err1 := f.Stat()
		named, err2 := os.Stat(f.Name())
		if err1 == nil && err2 == nil && os.SameFile(fi, named) && named.Size() == size {
			return f.Name(), nothing, nil
		}
	}
	tmp, err := os.CreateTemp("", "zhilian-import-*.xlsx")
	if err != nil {
		return "", nothing, fmt.Errorf("copying upload: %w", err)
	}
	remove := func() error { return os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, io.NewSectionReader(r, 0, size)); err != nil {
		tmp.Close()
		return "", nothing, errors.Join(fmt.Errorf("copying upload: %w", err), remove())
	}
	if err := tmp.Close(); err != nil {
		return "", nothing, errors.Join(fmt.Errorf("copying upload: %w", err), remove())
	}
	return tmp.Name(), remove, nil
}

func (x *xlsxSource) next() ([]string, int, error) {
	if x.rows.Next() {
		x.row++
		x.done.Store(int64(x.row))
		cells, err := x.rows.Columns()
		if err != nil {
			return nil, 0, fileErr(ErrTruncated, err, fmt.Sprintf("XLSX文件第%d行无法读取，文件可能已损坏", x.row))
		}
		return cells, x.row, nil
	}
	if err := x.rows.Error(); err != nil {
		if errors.Is(err, excelize.ErrMaxRows) {
			return nil, 0, fileErr(ErrTooLarge, err, "工作表的行数超过Excel的上限")
		}
		return nil, 0, fileErr(ErrTruncated, err, "XLSX文件已损坏，无法读完")
	}
	return nil, 0, io.EOF
}

func (x *xlsxSource) setWidth(int) {}

func (x *xlsxSource) progress() (int64, int64) {
	done := x.done.Load()
	if x.total == 0 {
		return done, 0
	}
	return done, max(done, x.total)
}

func (x *xlsxSource) close() error {
	var errs []error
	if x.rows != nil {
		errs = append(errs, x.rows.Close())
	}
	errs = append(errs, x.f.Close(), x.cleanup())
	return errors.Join(errs...)
}

package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// workbook builds an .xlsx export sheet by sheet, row by row, keeping the
// first error so a page writes its rows without checking each one.
type workbook struct {
	x     *excelize.File
	sheet string
	next  int // the next row of the sheet, from 1
	err   error
}

// newWorkbook starts a workbook whose first sheet is named first.
func newWorkbook(first string) *workbook {
	b := &workbook{x: excelize.NewFile(), sheet: first, next: 1}
	b.err = b.x.SetSheetName("Sheet1", first)
	return b
}

// addSheet starts another sheet; rows go to it from now on.
func (b *workbook) addSheet(name string) {
	if b.err == nil {
		_, b.err = b.x.NewSheet(name)
	}
	b.sheet, b.next = name, 1
}

// row writes the next row of the current sheet.
func (b *workbook) row(cells ...any) {
	if b.err == nil {
		b.err = b.x.SetSheetRow(b.sheet, "A"+strconv.Itoa(b.next), &cells)
	}
	b.next++
}

// send writes the workbook as a download named filename, or the first
// error as a failed page if nothing has been sent yet.
func (s *Server) sendWorkbook(w http.ResponseWriter, r *http.Request, b *workbook, filename string) {
	defer func() {
		if err := b.x.Close(); err != nil {
			s.Log.Warn("closing workbook", "err", err)
		}
	}()
	if b.err != nil {
		s.fail(w, r, b.err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(filename))
	if err := b.x.Write(w); err != nil {
		s.Log.Error("writing export", "file", filename, "err", err)
	}
}

package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteErrorReport writes errs as a CSV file with the columns 行号, 列,
// 内容, 问题, in UTF-8 with a byte order mark so that Excel opens it
// without garbling the Chinese.
func WriteErrorReport(w io.Writer, errs []RowError) error {
	if _, err := w.Write(bomUTF8); err != nil {
		return fmt.Errorf("writing error report: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	if err := cw.Write([]string{"行号", "列", "内容", "问题"}); err != nil {
		return fmt.Errorf("writing error report: %w", err)
	}
	for _, e := range errs {
		msg := e.Message
		if e.Fatal {
			msg += "（该行未导入）"
		}
		if err := cw.Write([]string{strconv.Itoa(e.Row), inert(e.Column), inert(e.Value), inert(msg)}); err != nil {
			return fmt.Errorf("writing error report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing error report: %w", err)
	}
	return nil
}

// inert keeps Excel from running a cell copied from the uploaded file as
// a formula (CSV injection): text starting with = + - @ or a control
// character gets a leading apostrophe, which Excel hides.
func inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

package importer

import (
	"io"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

// ActRow is a data row of an acts file 执行行为: the case it names and its
// act, or why the row holds none.
type ActRow struct {
	Row    int // the file's row number
	CaseNo string
	Act    tracking.Act
	Err    error // in Chinese for the user
}

// actColumns names the columns of an acts file, each with the names it may
// go by; 案号, 行为 and 日期 must be there.
var actColumns = []struct {
	key      string
	names    []string
	required bool
}{
	{"case_no", []string{"案号", "执行案号"}, true},
	{"kind", []string{"行为", "执行行为", "行为类型", "措施"}, true},
	{"on", []string{"日期", "行为日期", "实施日期"}, true},
	{"amount", []string{"金额", "金额（元）", "金额(元)"}, false},
	{"note", []string{"备注", "说明"}, false},
}

// ReadActs reads a CSV (UTF-8 or GBK) or XLSX file of enforcement acts (at
// most maxBytes, maxRows data rows) into rows, one act a row: 案号, 行为
// (a code or Chinese label of tracking's vocabulary), 日期, 金额 (yuan), 备注.
// The header is the first of the first few rows that names the required
// columns. A file that is not such a table fails whole, with a message in
// Chinese; a bad row is returned with its reason.
func ReadActs(r io.ReaderAt, size, maxBytes int64, maxRows int, caseTypes []string) ([]ActRow, error) {
	if len(caseTypes) == 0 {
		caseTypes = domain.DefaultCaseTypes
	}
	return smallTable[ActRow]{maxBytes: maxBytes, maxRows: maxRows, header: actHeader, missing: "“案号”“行为”“日期”",
		row: func(row int, cell func(string) string) ActRow {
			ar := ActRow{Row: row}
			ar.CaseNo, ar.Act, ar.Err = actOf(cell, caseTypes)
			return ar
		}}.read(r, size)
}

func actHeader(cells []string) map[string]int {
	index := map[string]int{}
	for i, c := range cells {
		name := cleanCell(c)
		for _, col := range actColumns {
			if _, seen := index[col.key]; !seen && containsName(col.names, name) {
				index[col.key] = i
			}
		}
	}
	for _, col := range actColumns {
		if _, ok := index[col.key]; col.required && !ok {
			return nil
		}
	}
	return index
}

// actOf reads one row's cells into a case number and an act.
func actOf(cell func(string) string, caseTypes []string) (string, tracking.Act, error) {
	var a tracking.Act
	no, err := domain.NormalizeCaseNo(cell("case_no"), caseTypes)
	if err != nil {
		return "", a, err
	}
	if a.Kind, err = tracking.ParseActKind(cell("kind")); err != nil {
		return no, a, err
	}
	if a.On, err = parseDate(cell("on")); err != nil || a.On.IsZero() {
		return no, a, domain.Invalid("on", "日期无法识别："+cell("on"))
	}
	if s := cell("amount"); s != "" {
		if a.Amount, err = domain.ParseAmount(s); err != nil {
			return no, a, err
		}
	}
	a.Note = cell("note")
	return no, a, nil
}

package importer

import (
	"io"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/visit"
)

// ComplaintRow is a data row of a complaints file: the complaint it
// holds, or why it holds none. The register checks the complaint itself
// (oversight.Complaint.Validate) when it is entered.
type ComplaintRow struct {
	Row       int // the file's row number
	Complaint oversight.Complaint
	Err       error // in Chinese for the user
}

// complaintColumns names the columns of a complaints file, each with the
// names it may go by; 收到日期, 来源渠道 and 反映内容 must be there.
var complaintColumns = []struct {
	key      string
	names    []string
	required bool
}{
	{"kind", []string{"类型", "类别", "投诉类型"}, false},
	{"channel", []string{"来源渠道", "渠道", "来源"}, true},
	{"received_on", []string{"收到日期", "登记日期", "日期"}, true},
	{"person", []string{"反映人", "投诉人", "信访人"}, false},
	{"phone", []string{"联系电话", "电话", "手机"}, false},
	{"cases", []string{"案号", "涉及案件"}, false},
	{"staff", []string{"涉及人员", "被反映人员", "被投诉人"}, false},
	{"content", []string{"反映内容", "内容", "事由"}, true},
	{"categories", []string{"涉及事项", "事项类别", "附件3类别"}, false},
	{"level", []string{"信访层级", "层级"}, false},
	{"repeat", []string{"第几次", "信访次数"}, false},
}

// ReadComplaints reads a CSV or XLSX file of complaints and petitions (at
// most maxBytes, maxRows data rows) into rows: the header is the first of
// the first few rows that names the required columns. A file that is not
// such a table fails whole, with a message in Chinese.
func ReadComplaints(r io.ReaderAt, size, maxBytes int64, maxRows int) ([]ComplaintRow, error) {
	return smallTable[ComplaintRow]{maxBytes: maxBytes, maxRows: maxRows, header: complaintHeader, missing: "“来源渠道”“收到日期”“反映内容”",
		row: func(row int, cell func(string) string) ComplaintRow {
			c, err := complaintOf(cell)
			return ComplaintRow{Row: row, Complaint: c, Err: err}
		}}.read(r, size)
}

// complaintHeader maps the column keys to their positions in cells, or
// nil unless every required column is there.
func complaintHeader(cells []string) map[string]int {
	index := map[string]int{}
	for i, c := range cells {
		name := cleanCell(c)
		for _, col := range complaintColumns {
			if _, seen := index[col.key]; !seen && containsName(col.names, name) {
				index[col.key] = i
			}
		}
	}
	for _, col := range complaintColumns {
		if _, ok := index[col.key]; col.required && !ok {
			return nil
		}
	}
	return index
}

func containsName(names []string, s string) bool {
	for _, n := range names {
		if n == s {
			return true
		}
	}
	return false
}

// complaintOf reads one row's cells into a complaint.
func complaintOf(cell func(string) string) (oversight.Complaint, error) {
	c := oversight.Complaint{Kind: oversight.KindComplaint, Channel: oversight.Channel(cell("channel")), PersonName: cell("person"),
		PersonPhone: cell("phone"), CaseNumbers: splitList(cell("cases")), Staff: splitList(cell("staff")), Content: cell("content")}
	switch k := cell("kind"); k {
	case "", oversight.KindComplaint.Label(), "投诉", "举报":
	case oversight.KindPetition.Label():
		c.Kind = oversight.KindPetition
	default:
		return c, domain.Invalid("kind", "类型应为“投诉举报”或“信访”，而不是“"+k+"”")
	}
	d, err := parseDate(cell("received_on"))
	if err != nil || d.IsZero() {
		return c, domain.Invalid("received_on", "收到日期无法识别："+cell("received_on"))
	}
	c.ReceivedOn = d
	for _, part := range splitList(cell("categories")) {
		cat, ok := categoryOf(part)
		if !ok {
			return c, domain.Invalid("categories", "涉及事项应为附件3的类别（1至4，或类别名称），而不是“"+part+"”")
		}
		c.Categories = append(c.Categories, cat)
	}
	if c.Kind == oversight.KindPetition {
		level := cell("level")
		for _, l := range oversight.Levels {
			if l.Label() == level {
				c.Level = l
			}
		}
		if c.Level == "" {
			return c, domain.Invalid("level", "信访层级应为本院、上级法院、赴省或进京，而不是“"+level+"”")
		}
		c.Repeat = 1
		if raw := cell("repeat"); raw != "" {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(raw, "第"), "次"))
			if err != nil {
				return c, domain.Invalid("repeat", "第几次应为数字，而不是“"+raw+"”")
			}
			c.Repeat = n
		}
	}
	return c, nil
}

// categoryOf reads a 附件3 category as its number, code or name.
func categoryOf(s string) (string, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		if cat, ok := visit.CategoryByNo(n); ok {
			return cat.Code, true
		}
		return "", false
	}
	if cat, ok := visit.CategoryByCode(strings.ToUpper(s)); ok {
		return cat.Code, true
	}
	for _, cat := range visit.Form() {
		if cat.Name == s {
			return cat.Code, true
		}
	}
	return "", false
}

package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zhilian/zhilian/internal/domain"
)

// makeXLSX writes rows to the first sheet of a new workbook, after the
// header, and returns the file's bytes.
func makeXLSX(t *testing.T, header []string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	// As Excel does; excelize leaves the used range at A1.
	last, _ := excelize.CoordinatesToCellName(max(len(header), 1), len(rows)+1)
	if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		t.Fatal(err)
	}
	// A second sheet must be ignored.
	if _, err := f.NewSheet("说明"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("说明", "A1", "案号"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSX(t *testing.T) {
	header := []string{"案号", "立案日期", "承办人", "执行标的金额", "有无财产可供执行", "结案日期", "申请执行人", "申请执行人电话", "被执行人", "被执行人电话", "是否信访"}
	data := makeXLSX(t, header, [][]any{
		// A date cell, an amount as a number, a phone as a number.
		{"（2021）鲁0102执123号", time.Date(2021, 3, 5, 0, 0, 0, 0, time.UTC), "王法官", 1234567.8, "有", time.Date(2021, 9, 1, 15, 30, 0, 0, time.UTC), "济南某某银行", 13800138000, "张三、李四", "13900139000；13700137000", 1},
		// A serial date as a number, a text date, an amount in text.
		{"(2021)鲁0102执恢45号", 44260, "李法官", "12万元", "无", "2021/9/1", "王五", nil, "赵六", nil, "否"},
		// Gaps: row 5 is empty, row 6 has a bad case number.
		nil,
		{"鲁0102执1号", "2021年3月5日"},
		{"（2022）鲁0102执1号", "20220105", nil, 100},
	})
	s, r := importFile(t, "cases.xlsx", data, Options{})
	if s.Format() != "xlsx" {
		t.Errorf("format = %q", s.Format())
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if len(r.cases) != 3 {
		t.Fatalf("cases = %d, errors %+v", len(r.cases), r.errs)
	}
	c := r.cases[0]
	if c.Number != "（2021）鲁0102执123号" || c.FiledOn.String() != "2021-03-05" || c.ClosedOn.String() != "2021-09-01" || c.Amount != 123456780 || !c.HasProperty || !c.Petition {
		t.Errorf("case 1 = %+v", c)
	}
	checkParties(t, c.Parties, []domain.Party{
		{Role: domain.Applicant, Org: true, Name: "济南某某银行", Phone: "13800138000"},
		{Role: domain.Respondent, Name: "张三", Phone: "13900139000"},
		{Role: domain.Respondent, Name: "李四", Phone: "13700137000"},
	})
	c = r.cases[1]
	if c.Number != "（2021）鲁0102执恢45号" || c.FiledOn.String() != "2021-03-05" || c.Amount != 12000000 || c.HasProperty || !c.PropertyKnown || c.Petition {
		t.Errorf("case 2 = %+v", c)
	}
	if c = r.cases[2]; c.FiledOn.String() != "2022-01-05" || c.Amount != 10000 {
		t.Errorf("case 3 = %+v", c)
	}
	if len(r.errs) != 1 || r.errs[0].Row != 5 || r.errs[0].Column != "案号" || !r.errs[0].Fatal {
		t.Errorf("errors = %+v", r.errs)
	}
	if done, total := s.Progress(); done != 6 || total != 6 {
		t.Errorf("progress = %d/%d, want 6/6", done, total)
	}

	// From memory, as an upload handler may have it: the same cases.
	s2, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r2 := drain(t, s2); len(r2.cases) != 3 || r2.err != nil {
		t.Errorf("from memory: %d cases, %v", len(r2.cases), r2.err)
	}
	if err := s2.Close(); err != nil {
		t.Error(err)
	}
}

func TestXLSXFileErrors(t *testing.T) {
	good := makeXLSX(t, []string{"案号", "立案日期"}, [][]any{{"（2021）鲁0102执1号", "2021-03-05"}})
	for _, tc := range []struct {
		name string
		data []byte
		kind error
		msg  string
	}{
		{"cut in half", good[:len(good)/2], ErrTruncated, "不完整"},
		{"no header", makeXLSX(t, []string{"1", "2"}, [][]any{{3, 4}}), ErrNotTable, "表头"},
		{"empty sheet", makeXLSX(t, nil, nil), ErrNotTable, "表头"},
		{"missing 案号", makeXLSX(t, []string{"立案日期", "承办人"}, nil), ErrColumns, "案号"},
		{"a zip, not a workbook", zipOf(t, map[string][]byte{"readme.txt": []byte("hello")}), ErrNotTable, "不是XLSX"},
		{"zip bomb", bombXLSX(t), ErrTooLarge, "压缩炸弹"},
		{"declared huge", declaredHuge(t), ErrTooLarge, "压缩炸弹"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := openPath(t, writeFile(t, "cases.xlsx", tc.data), Options{})
			if err == nil {
				err = drain(t, s).err
			}
			if !errors.Is(err, tc.kind) {
				t.Fatalf("error = %v, want %v", err, tc.kind)
			}
			if msg := domain.UserMessage(err); !strings.Contains(msg, tc.msg) {
				t.Errorf("message = %q, want it to mention %q", msg, tc.msg)
			}
		})
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombXLSX is a workbook whose worksheet is 8 MiB of zeros, a few KiB
// compressed.
func bombXLSX(t *testing.T) []byte {
	data := zipOf(t, map[string][]byte{
		"[Content_Types].xml":      []byte(`<?xml version="1.0"?><Types/>`),
		"xl/workbook.xml":          []byte(`<?xml version="1.0"?><workbook/>`),
		"xl/worksheets/sheet1.xml": make([]byte, 8<<20),
	})
	if len(data) > 64<<10 {
		t.Fatalf("bomb is %d bytes", len(data))
	}
	return data
}

// declaredHuge is a workbook whose worksheet claims to unpack to 1 TiB.
func declaredHuge(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<workbook/>"))
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write([]byte("<worksheet/>"))
	fw.Close()
	raw, err := zw.CreateRaw(&zip.FileHeader{
		Name:               "xl/worksheets/sheet1.xml",
		Method:             zip.Deflate,
		CRC32:              crc32.ChecksumIEEE([]byte("<worksheet/>")),
		CompressedSize64:   uint64(comp.Len()),
		UncompressedSize64: 1 << 40,
	})
	if err != nil {
		t.Fatal(err)
	}
	raw.Write(comp.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

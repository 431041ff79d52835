package importer

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/zhilian/zhilian/internal/tracking"
)

const actsCSV = "执行行为导出\n" +
	"案号,行为,日期,金额,备注\n" +
	"(2026)鲁0102执1号,查封,2026-01-10,\"300,000\",房产一套\n" +
	"（2026）鲁0102执1号,funds_in,2026/2/1,5000.5,\n" +
	"\n" +
	"（2026）鲁0102执1号,喝茶,2026-02-01,,\n" +
	"（2026）鲁0102执1号,拍卖,昨天,,\n" +
	"鲁0102执1号,拍卖,2026-02-01,,\n"

func checkActRows(t *testing.T, rows []ActRow) {
	t.Helper()
	if len(rows) != 5 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	first, second := rows[0], rows[1]
	if first.Err != nil || first.Row != 3 || first.CaseNo != "（2026）鲁0102执1号" || first.Act.Kind != tracking.ActSeal ||
		first.Act.Amount != 30_000_000 || first.Act.Note != "房产一套" || first.Act.On.String() != "2026-01-10" {
		t.Errorf("first row: %+v", first)
	}
	if second.Err != nil || second.Act.Kind != tracking.ActFundsIn || second.Act.Amount != 500_050 || second.Act.On.String() != "2026-02-01" {
		t.Errorf("second row: %+v", second)
	}
	for i, want := range []string{"喝茶", "日期无法识别", "年"} {
		if r := rows[2+i]; r.Err == nil || !strings.Contains(r.Err.Error(), want) {
			t.Errorf("row %d: %v, want an error about %q", r.Row, r.Err, want)
		}
	}
}

func TestReadActsCSV(t *testing.T) {
	for name, data := range map[string][]byte{"utf-8": []byte(actsCSV), "gbk": func() []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(actsCSV))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}()} {
		t.Run(name, func(t *testing.T) {
			rows, err := ReadActs(bytes.NewReader(data), int64(len(data)), 20<<20, 100, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkActRows(t, rows)
		})
	}
}

func TestReadActsXLSX(t *testing.T) {
	data := makeXLSX(t, []string{"案号", "执行行为", "行为日期", "金额（元）", "备注"}, [][]any{
		{"(2026)鲁0102执1号", "查封", time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), 300000, "房产一套"},
		{"（2026）鲁0102执1号", "funds_in", "2026/2/1", 5000.5, nil},
		{"（2026）鲁0102执1号", "喝茶", "2026-02-01", nil, nil},
		{"（2026）鲁0102执1号", "拍卖", "昨天", nil, nil},
		{"鲁0102执1号", "拍卖", "2026-02-01", nil, nil},
	})
	rows, err := ReadActs(bytes.NewReader(data), int64(len(data)), 20<<20, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows[0].Row = 3 // the XLSX has no title row
	checkActRows(t, rows)
}

func TestReadActsRefusesOtherFiles(t *testing.T) {
	for _, in := range []string{"案号,立案日期\n（2026）鲁0102执1号,2026-01-05\n", ""} {
		if _, err := ReadActs(strings.NewReader(in), int64(len(in)), 1<<20, 100, nil); err == nil {
			t.Errorf("ReadActs(%q) took a file without the acts' columns", in)
		}
	}
	many := "案号,行为,日期\n" + strings.Repeat("（2026）鲁0102执1号,查封,2026-01-10\n", 3)
	if _, err := ReadActs(strings.NewReader(many), int64(len(many)), 1<<20, 2, nil); err == nil {
		t.Error("ReadActs read past its row limit")
	}
}

package caseimport_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

var ctx = context.Background()

const header = "案号,立案日期,承办人,承办部门,执行标的金额,有无财产可供执行,结案日期,结案方式,申请执行人,申请执行人电话,被执行人,被执行人电话,是否信访,督办法院\n"

const goodRows = `（2024）鲁0102执1号,2024-03-01,张伟,执行一庭,"12,345.67",有,,,王芳,138 1234 5678,某某公司,,否,
(2024)鲁0102执2号,2024/3/2,李强,执行二庭,1.2万,无,2024年8月1日,执行完毕,赵敏、钱进,13900000001、13900000002,孙丽,+86 13700000003,是,济南市中级人民法院
（２０２４）鲁0102执恢３号,45352,张伟,执行一庭,800,,,,周杰,,吴刚,15000000004,,
`

const badRows = `（2024）鲁9999执4号,2024-03-04,张伟,执行一庭,1,有,,,甲,,乙,,,
（2024）鲁0102执5号,不是日期,张伟,执行一庭,1,有,,,甲,,乙,,,
`

func load(t *testing.T, db *store.DB, data []byte) (*caseimport.Result, error) {
	t.Helper()
	return caseimport.Load(ctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importer.Options{CaseTypes: domain.DefaultCaseTypes}, nil, 0)
}

func count(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM cases").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoadIdempotentWithRowErrors(t *testing.T) {
	db := testdb.Open(t)
	data := []byte("\ufeff" + header + goodRows + badRows)
	res, err := load(t, db, data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts != (store.Counts{Added: 3, Rejected: 2}) || res.Rows != 5 || res.Format != "csv-utf8" {
		t.Fatalf("first load: %+v", res)
	}
	report := res.Report()
	for _, want := range []string{"鲁9999", "不是已知法院", "立案日期", "不是日期"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	var rows []int
	for _, e := range res.Errors {
		rows = append(rows, e.Row)
	}
	if !slices.Contains(rows, 5) || !slices.Contains(rows, 6) {
		t.Errorf("row errors on rows %v, want 5 and 6", rows)
	}
	k, err := db.CaseByNumber(ctx, domain.SystemViewer("t"), "（2024）鲁0102执2号")
	if err != nil {
		t.Fatal(err)
	}
	if k.Amount != 1200000 || !k.Closed() || !k.Petition || k.SupervisedBy != "鲁01" || len(k.Parties) != 3 || k.Parties[1].PhoneMasked != "139****0002" {
		t.Fatalf("case 2: %+v", k)
	}
	if k, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), "（2024）鲁0102执恢3号"); k == nil || k.FiledOn.String() != "2024-03-01" {
		t.Fatalf("Excel serial date: %+v", k)
	}
	res, err = load(t, db, data)
	if err != nil || res.Counts != (store.Counts{Unchanged: 3, Rejected: 2}) {
		t.Fatalf("second load: %+v %v", res, err)
	}
}

func TestLaterPartialFileUpdatesOnlyItsColumns(t *testing.T) {
	db := testdb.Open(t)
	if _, err := load(t, db, []byte(header+goodRows)); err != nil {
		t.Fatal(err)
	}
	update := "案号,结案日期,结案方式\n（2024）鲁0102执1号,2024-09-30,终结本次执行程序\n（2024）鲁0102执恢3号,,\n"
	res, err := load(t, db, []byte(update))
	if err != nil || res.Counts != (store.Counts{Updated: 1, Unchanged: 1}) {
		t.Fatalf("partial update: %+v %v", res, err)
	}
	k, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), "（2024）鲁0102执1号")
	if k.ClosingMode != "终结本次执行程序" || k.ClosedOn.String() != "2024-09-30" || k.Officer != "张伟" || k.Amount != 1234567 ||
		len(k.Parties) != 2 || k.Parties[0].PhoneMasked != "138****5678" {
		t.Fatalf("after partial update: %+v", k)
	}
	// Names without the phone column keep the stored phones.
	res, err = load(t, db, []byte("案号,申请执行人\n（2024）鲁0102执1号,王芳\n"))
	if err != nil || res.Counts.Unchanged != 1 {
		t.Fatalf("names only: %+v %v", res, err)
	}
}

func TestLoadGBKAndXLSX(t *testing.T) {
	db := testdb.Open(t)
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(header + goodRows))
	if err != nil {
		t.Fatal(err)
	}
	res, err := load(t, db, gbk)
	if err != nil || res.Format != "csv-gbk" || res.Counts.Added != 3 {
		t.Fatalf("GBK: %+v %v", res, err)
	}
	f := excelize.NewFile()
	cols := strings.Split(strings.TrimSpace(header), ",")
	f.SetSheetRow("Sheet1", "A1", &cols)
	f.SetSheetRow("Sheet1", "A2", &[]any{"（2024）鲁0102执10号", 45383, "张伟", "执行一庭", 5000.5, "有", nil, nil, "王芳", "13812345678", "某公司", nil, "否", nil})
	f.SetSheetRow("Sheet1", "A3", &[]any{"（2024）鲁0102执1号", "2024-03-01", "张伟", "执行一庭", "12,345.67", "有", nil, nil, "王芳", "13812345678", "某某公司", nil, "否", nil})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err = load(t, db, buf.Bytes())
	if err != nil || res.Format != "xlsx" || res.Counts != (store.Counts{Added: 1, Unchanged: 1}) {
		t.Fatalf("XLSX: %+v %v", res, err)
	}
	k, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), "（2024）鲁0102执10号")
	if k == nil || k.FiledOn.String() != "2024-04-01" || k.Amount != 500050 {
		t.Fatalf("XLSX case: %+v", k)
	}
}

func TestBadFilesLeaveTheDatabaseAsItWas(t *testing.T) {
	db := testdb.Open(t)
	var big strings.Builder
	big.WriteString(header)
	for i := 1; i <= 3000; i++ {
		big.WriteString(strings.Replace(strings.SplitN(goodRows, "\n", 2)[0], "执1号", "执"+strconv.Itoa(i)+"号", 1) + "\n")
	}
	full := []byte(big.String())
	// Cut off inside a quoted amount near the end: the rows before it are
	// fine, yet nothing may be written.
	cut := full[:bytes.LastIndex(full, []byte(`"12,3`))+4]
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]string{"案号", "立案日期"})
	var xl bytes.Buffer
	f.Write(&xl)
	for name, data := range map[string][]byte{
		"truncated csv":  cut,
		"truncated xlsx": xl.Bytes()[:xl.Len()/2],
		"not a table":    []byte("%PDF-1.7\n\x00\x01\x02binary"),
		"empty":          nil,
	} {
		_, err := load(t, db, data)
		if err == nil || !errors.Is(err, domain.ErrInvalid) || domain.UserMessage(err) == "" {
			t.Errorf("%s: err = %v", name, err)
		}
		if n := count(t, db); n != 0 {
			t.Fatalf("%s: %d cases written", name, n)
		}
	}
	res, err := load(t, db, full)
	if err != nil || res.Counts.Added != 3000 {
		t.Fatalf("the whole file: %+v %v", res, err)
	}
}

func TestColumnNamesAgreeWithImporter(t *testing.T) {
	std := importer.StandardColumns()
	for _, c := range []string{"案号", "立案日期", "承办人", "承办部门", "执行标的金额", "有无财产可供执行", "是否非诉", "结案日期", "结案方式",
		"申请执行人", "申请执行人电话", "被执行人", "被执行人电话", "是否信访", "督办法院", "督办日期", "可能引发舆情", "较大社会影响"} {
		if !slices.Contains(std, c) {
			t.Errorf("%s is not a standard column of the importer", c)
		}
	}
}

// TestLoadPipelineKeepsFileOrder loads a file of many small batches, built
// by several workers, with bad rows throughout: the file's row errors come
// in file order, every good row is stored with its parties (the bulk path:
// COPY on PostgreSQL), and loading it again changes nothing.
func TestLoadPipelineKeepsFileOrder(t *testing.T) {
	db := testdb.Open(t)
	var b strings.Builder
	b.WriteString(header)
	var badParse, badCourt []int
	for i := 1; i <= 300; i++ {
		row := i + 1 // the header is row 1
		switch {
		case i%29 == 0:
			b.WriteString("（2024）鲁0102执" + strconv.Itoa(i) + "号,不是日期,张伟,执行一庭,1,有,,,甲,,乙,,,\n")
			badParse = append(badParse, row)
		case i%31 == 0:
			b.WriteString("（2024）鲁9999执" + strconv.Itoa(i) + "号,2024-03-04,张伟,执行一庭,1,有,,,甲,,乙,,,\n")
			badCourt = append(badCourt, row)
		default:
			b.WriteString("（2024）鲁0102执" + strconv.Itoa(i) + "号,2024-03-01,张伟,执行一庭,100,有,,,申请人" + strconv.Itoa(i) + ",1380000" + strconv.Itoa(1000+i) + ",被执行人" + strconv.Itoa(i) + ",,否,\n")
		}
	}
	data := []byte(b.String())
	opts := importer.Options{CaseTypes: domain.DefaultCaseTypes, Batch: 7}
	res, err := caseimport.Load(ctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), opts, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	good := 300 - len(badParse) - len(badCourt)
	if res.Rows != 300 || res.Counts != (store.Counts{Added: good, Rejected: len(badParse) + len(badCourt)}) || res.ErrorCount != len(badParse)+len(badCourt) {
		t.Fatalf("load: rows %d, counts %+v, errors %d", res.Rows, res.Counts, res.ErrorCount)
	}
	var parse, court []int
	for _, e := range res.Errors {
		if e.Column == "立案日期" {
			parse = append(parse, e.Row)
		} else {
			court = append(court, e.Row)
		}
	}
	if !slices.Equal(parse, badParse) || !slices.Equal(court, badCourt) {
		t.Fatalf("row errors out of file order: parse %v want %v; court %v want %v", parse, badParse, court, badCourt)
	}
	if n := count(t, db); n != good {
		t.Fatalf("%d cases stored, want %d", n, good)
	}
	k, err := db.CaseByNumber(ctx, domain.SystemViewer("t"), "（2024）鲁0102执298号")
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Parties) != 2 || k.Parties[0].Name != "申请人298" || k.Parties[0].PhoneMasked != "138****1298" || k.Parties[1].Name != "被执行人298" || k.DueOn.IsZero() {
		t.Fatalf("case 298: %+v", k)
	}
	again, err := caseimport.Load(ctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), opts, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if again.Counts != (store.Counts{Unchanged: good, Rejected: len(badParse) + len(badCourt)}) {
		t.Fatalf("second load: %+v", again.Counts)
	}
}

// TestLoadCancelled stops a load after its first batch: it returns the
// context's error, keeps the batch written, and leaves no reader behind
// (the test would hang on a pipeline that waits for a consumer).
func TestLoadCancelled(t *testing.T) {
	db := testdb.Open(t)
	var b strings.Builder
	b.WriteString(header)
	for i := 1; i <= 500; i++ {
		b.WriteString("（2024）鲁0102执" + strconv.Itoa(i) + "号,2024-03-01,张伟,执行一庭,100,有,,,甲,,乙,,否,\n")
	}
	data := []byte(b.String())
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := func(phase string, _, _ int64, r *caseimport.Result) {
		if phase == store.ImportImporting && r.Counts.Added > 0 {
			cancel()
		}
	}
	res, err := caseimport.Load(cctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importer.Options{CaseTypes: domain.DefaultCaseTypes, Batch: 10}, progress, 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled load: %v", err)
	}
	if res.Counts.Added != 10 || count(t, db) != 10 {
		t.Fatalf("cancelled after one batch: %+v, %d stored", res.Counts, count(t, db))
	}
}

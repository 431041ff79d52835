package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/zhilian/zhilian/internal/domain"
)

// result is everything a stream gave.
type result struct {
	cases []*domain.Case
	rows  []int // Stream.Row of each case
	errs  []RowError
	err   error // the error that ended the stream, nil for io.EOF
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openPath opens a file the way the CLI does.
func openPath(t *testing.T, path string, opts Options) (*Stream, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(f, fi.Size(), opts)
	if s != nil {
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	return s, err
}

func drain(t *testing.T, s *Stream) result {
	t.Helper()
	var r result
	for {
		c, errs, err := s.Next()
		if err == io.EOF {
			return r
		}
		if err != nil {
			r.err = err
			if _, _, again := s.Next(); again != err {
				t.Errorf("Next after failure = %v, want the same error", again)
			}
			return r
		}
		if c == nil && len(errs) == 0 {
			t.Fatal("Next returned no case and no errors")
		}
		if c != nil {
			r.cases = append(r.cases, c)
			r.rows = append(r.rows, s.Row())
		}
		r.errs = append(r.errs, errs...)
	}
}

// importFile writes data to a file, opens it and reads it to the end.
func importFile(t *testing.T, name string, data []byte, opts Options) (*Stream, result) {
	t.Helper()
	s, err := openPath(t, writeFile(t, name, data), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s, drain(t, s)
}

const fullHeader = "案号,立案日期,承办人,承办部门,执行标的金额,有无财产可供执行,结案日期,结案方式,申请执行人,申请执行人电话,被执行人,被执行人电话,是否信访,督办法院,督办日期,是否非诉,可能引发舆情,较大社会影响"

var sampleCSV = strings.Join([]string{
	fullHeader,
	`（2021）鲁0102执123号,2021-03-05,王法官,执行一庭,"1,234,567.8",有,2021年9月1日,执行完毕,济南某某贸易有限公司,13800138000,张三、李四,"139 0013 9000、+86 137-0013-7000",否,鲁01,2021/6/1,否,0,N`,
	`(2021)鲁0102执恢45号,2021/3/5,李法官,执行二庭,1.2万,无,,,"王五,赵六",，13600136000,孙七,,是,济南市中级人民法院,20210601,是,√,Y`,
	`（２０２２）鲁0102执1号,44625,,,￥1000,,,,钱八,12345,周九,,,,,,,`,
	"",
}, "\r\n")

func checkSample(t *testing.T, r result) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("stream failed: %v", r.err)
	}
	if len(r.cases) != 3 {
		t.Fatalf("got %d cases, want 3; errors %+v", len(r.cases), r.errs)
	}
	c := r.cases[0]
	if c.Number != "（2021）鲁0102执123号" || c.CourtCode != "鲁0102" || c.No.Serial != 123 {
		t.Errorf("case 1 number = %q court %q", c.Number, c.CourtCode)
	}
	if c.FiledOn.String() != "2021-03-05" || c.ClosedOn.String() != "2021-09-01" || c.ClosingMode != "执行完毕" {
		t.Errorf("case 1 dates = %v %v %q", c.FiledOn, c.ClosedOn, c.ClosingMode)
	}
	if c.Officer != "王法官" || c.Department != "执行一庭" || c.Amount != 123456780 {
		t.Errorf("case 1 officer %q dept %q amount %d", c.Officer, c.Department, c.Amount)
	}
	if !c.HasProperty || !c.PropertyKnown || c.Petition || c.NonLitigation || c.PublicOpinion || c.SocialImpact {
		t.Errorf("case 1 flags: %+v", c)
	}
	if c.SupervisedBy != "鲁01" || c.SupervisedSince.String() != "2021-06-01" {
		t.Errorf("case 1 supervision %q %v", c.SupervisedBy, c.SupervisedSince)
	}
	want := []domain.Party{
		{Role: domain.Applicant, Org: true, Name: "济南某某贸易有限公司", Phone: "13800138000"},
		{Role: domain.Respondent, Name: "张三", Phone: "13900139000"},
		{Role: domain.Respondent, Name: "李四", Phone: "13700137000"},
	}
	checkParties(t, c.Parties, want)

	c = r.cases[1]
	if c.Number != "（2021）鲁0102执恢45号" || c.FiledOn.String() != "2021-03-05" || c.Amount != 1200000 {
		t.Errorf("case 2 = %q %v %d", c.Number, c.FiledOn, c.Amount)
	}
	if c.HasProperty || !c.PropertyKnown || !c.Petition || !c.NonLitigation || !c.PublicOpinion || !c.SocialImpact || c.Closed() {
		t.Errorf("case 2 flags: %+v", c)
	}
	if c.SupervisedBy != "济南市中级人民法院" || c.SupervisedSince.String() != "2021-06-01" {
		t.Errorf("case 2 supervision %q %v", c.SupervisedBy, c.SupervisedSince)
	}
	checkParties(t, c.Parties, []domain.Party{
		{Role: domain.Applicant, Name: "王五"},
		{Role: domain.Applicant, Name: "赵六", Phone: "13600136000"},
		{Role: domain.Respondent, Name: "孙七"},
	})

	c = r.cases[2]
	if c.Number != "（2022）鲁0102执1号" || c.FiledOn.String() != "2022-03-05" || c.Amount != 100000 || c.PropertyKnown {
		t.Errorf("case 3 = %q %v %d known %v", c.Number, c.FiledOn, c.Amount, c.PropertyKnown)
	}
	// The bad phone is dropped with a warning; the party stays.
	checkParties(t, c.Parties, []domain.Party{{Role: domain.Applicant, Name: "钱八"}, {Role: domain.Respondent, Name: "周九"}})
	if len(r.errs) != 1 {
		t.Fatalf("errors = %+v, want one for the bad phone", r.errs)
	}
	e := r.errs[0]
	if e.Row != 4 || e.Column != "申请执行人电话" || e.Value != "12345" || e.Fatal || !strings.Contains(e.Message, "手机号码无效") {
		t.Errorf("phone error = %+v", e)
	}
}

func checkParties(t *testing.T, got, want []domain.Party) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("parties = %+v, want %+v", got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("party %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCSVUTF8WithBOM(t *testing.T) {
	data := append([]byte("\ufeff"), sampleCSV...)
	s, r := importFile(t, "cases.csv", data, Options{})
	if s.Format() != "csv-utf8" {
		t.Errorf("format = %q", s.Format())
	}
	checkSample(t, r)
	done, total := s.Progress()
	if done != total || total != int64(len(data)) {
		t.Errorf("progress = %d/%d, want %d/%d", done, total, len(data), len(data))
	}
	if got := strings.Join(s.Columns(), ","); got != fullHeader {
		t.Errorf("columns = %s", got)
	}
}

func TestCSVUTF8WithoutBOM(t *testing.T) {
	s, r := importFile(t, "cases.txt", []byte(sampleCSV), Options{})
	if s.Format() != "csv-utf8" {
		t.Errorf("format = %q", s.Format())
	}
	checkSample(t, r)
}

func TestCSVGBK(t *testing.T) {
	data, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(strings.ReplaceAll(sampleCSV, "２０２２", "2022")))
	if err != nil {
		t.Fatal(err)
	}
	s, r := importFile(t, "导出.csv", data, Options{})
	if s.Format() != "csv-gbk" {
		t.Errorf("format = %q", s.Format())
	}
	checkSample(t, r)
}

func TestTabSeparated(t *testing.T) {
	data := "案号\t立案日期\t执行标的\n（2021）鲁0102执7号\t2021-03-05\t1,000\n"
	_, r := importFile(t, "cases.xls", []byte(data), Options{})
	if r.err != nil || len(r.cases) != 1 || r.cases[0].Amount != 100000 {
		t.Fatalf("result = %+v", r)
	}
}

func TestSynonymsAndTitleRow(t *testing.T) {
	data := strings.Join([]string{
		"执行案件清单（导出于2024年1月2日）,,,,",
		",,,,",
		" 执行案号 ,立案时间,承办法官,执行标的金额（万元）,被申请执行人,其他列",
		`="（2021）鲁0102执8号",2021-03-05 10:00:00,王法官,12.5,"某某饭店;张三",忽略`,
		"",
	}, "\n")
	s, r := importFile(t, "cases.csv", []byte(data), Options{})
	if r.err != nil || len(r.cases) != 1 {
		t.Fatalf("result = %+v", r)
	}
	c := r.cases[0]
	if c.Number != "（2021）鲁0102执8号" || c.Officer != "王法官" || c.Amount != 12500000 || c.FiledOn.String() != "2021-03-05" {
		t.Errorf("case = %+v", c)
	}
	checkParties(t, c.Parties, []domain.Party{{Role: domain.Respondent, Org: true, Name: "某某饭店"}, {Role: domain.Respondent, Name: "张三"}})
	if got := strings.Join(s.Columns(), ","); got != "案号,立案日期,承办人,执行标的金额,被执行人" {
		t.Errorf("columns = %s", got)
	}
}

func TestRowErrors(t *testing.T) {
	data := strings.Join([]string{
		"案号,立案日期,执行标的金额,结案日期,有无财产可供执行,申请执行人,申请执行人电话,被执行人",
		"（2021）鲁0102执1号,2021-03-05,100,2021-04-01,有,甲,13800138000,乙",              // 2: good
		"2021鲁0102执2号,2021-03-05,100,,,甲,,乙",                                      // 3: bad case number
		"（2021）鲁0102执3号,2021-02-30,100,,,甲,,乙",                                    // 4: bad filing date
		"（2021）鲁0102执4号,,100,,,甲,,乙",                                              // 5: no filing date
		"（2021）鲁0102执5号,2021-03-05,一百元,2021-13-01,也许,甲,13800138000、13900139000,乙", // 6: three warnings
		`（2021）鲁0102执6号,2021-03-05,100,,,"甲`,                                      // 7: a cell over two lines
		`乙",,乙`, //
		`（2021）鲁0102执7号,2021-03-05,1"00,,,甲,,乙`,          // 9: a quote inside a cell is text
		"（2021）鲁0102执8号,2021-03-05,100,2021-01-01,,甲,,乙", // 10: closed before filed: refused
		"（2020）鲁0102执10号,2021-03-05,100,,,甲,,乙",          // 11: number of another year: refused
		",,,,,,,",                   // 12: blank
		"（2021）鲁0102执9号,2021-03-05", // 13: short, ends with a newline
		"",
	}, "\n")
	_, r := importFile(t, "errors.csv", []byte(data), Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	var numbers []string
	for _, c := range r.cases {
		numbers = append(numbers, c.Number)
	}
	if got := strings.Join(numbers, " "); got != "（2021）鲁0102执1号 （2021）鲁0102执5号 （2021）鲁0102执6号 （2021）鲁0102执7号 （2021）鲁0102执9号" {
		t.Errorf("imported %s", got)
	}
	if got := fmt.Sprint(r.rows); got != "[2 6 7 9 13]" {
		t.Errorf("rows of the cases = %s", got)
	}
	if p := r.cases[2].Parties; len(p) != 3 || p[0].Name != "甲" || p[1].Name != "乙" {
		t.Errorf("multi-line cell parties = %+v", p)
	}
	if r.cases[1].Amount != 0 || r.cases[1].Closed() || r.cases[1].PropertyKnown {
		t.Errorf("bad cells kept: %+v", r.cases[1])
	}
	type want struct {
		row    int
		column string
		value  string
		fatal  bool
		msg    string
	}
	wants := []want{
		{3, "案号", "2021鲁0102执2号", true, "括号"},
		{4, "立案日期", "2021-02-30", true, "不存在"},
		{5, "立案日期", "", true, "为空"},
		{6, "执行标的金额", "一百元", false, "金额"},
		{6, "有无财产可供执行", "也许", false, "有/无"},
		{6, "结案日期", "2021-13-01", false, "不存在"},
		{6, "申请执行人电话", "13900139000", false, "没有对应的申请执行人"},
		{9, "执行标的金额", `1"00`, false, "金额"},
		{10, "结案日期", "2021-01-01", true, "早于立案日期"},
		{11, "立案日期", "2021-03-05", true, "案号年度（2020）与立案日期2021-03-05的年份不一致"},
	}
	if len(r.errs) != len(wants) {
		t.Fatalf("errors = %+v", r.errs)
	}
	for i, w := range wants {
		e := r.errs[i]
		if e.Row != w.row || e.Column != w.column || e.Value != w.value || e.Fatal != w.fatal || !strings.Contains(e.Message, w.msg) {
			t.Errorf("error %d = %+v, want %+v", i, e, w)
		}
	}
}

func TestMapping(t *testing.T) {
	mappingFile := "来源列名,标准列名\n# 某县法院系统的导出\n案件字号2,案号\n收案日,立案日期\n金额（元）,执行标的\n办案人,承办人\n"
	m, err := ParseMapping(strings.NewReader("\ufeff" + mappingFile))
	if err != nil {
		t.Fatal(err)
	}
	if m["办案人"] != "承办人" || m["金额（元）"] != "执行标的金额" || len(m) != 4 {
		t.Errorf("mapping = %v", m)
	}
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(mappingFile))
	if m2, err := ParseMapping(bytes.NewReader(gbk)); err != nil || len(m2) != 4 {
		t.Errorf("GBK mapping = %v, %v", m2, err)
	}
	data := "案件字号2,收案日,金额(元),办案人\n（2021）鲁0102执5号,2021-03-05,88.8,赵法官\n"
	_, r := importFile(t, "mapped.csv", []byte(data), Options{Mapping: m})
	if r.err != nil || len(r.cases) != 1 {
		t.Fatalf("result %+v", r)
	}
	if c := r.cases[0]; c.Number != "（2021）鲁0102执5号" || c.Amount != 8880 || c.Officer != "赵法官" || c.FiledOn.IsZero() {
		t.Errorf("case = %+v", c)
	}

	for _, bad := range []string{"甲,乙\n", "甲\n", "甲,案号,多余\n"} {
		if _, err := ParseMapping(strings.NewReader(bad)); !errors.Is(err, ErrColumns) {
			t.Errorf("ParseMapping(%q) = %v, want ErrColumns", bad, err)
		}
	}
	_, err = openPath(t, writeFile(t, "x.csv", []byte(data)), Options{Mapping: map[string]string{"甲": "乙"}})
	if !errors.Is(err, ErrColumns) {
		t.Errorf("bad Options.Mapping: %v", err)
	}
}

func TestFileErrors(t *testing.T) {
	random := make([]byte, 8<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	for _, tc := range []struct {
		name string
		data []byte
		kind error
		msg  string
	}{
		{"empty", nil, ErrNotTable, "文件是空的"},
		{"random bytes", random, ErrNotTable, "文件不是CSV或XLSX表格"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), ErrNotTable, "PDF"},
		{"html", []byte("<html><table><tr><td>案号</td></tr></table></html>"), ErrNotTable, "网页"},
		{"old xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), ErrNotTable, "旧版Excel"},
		{"utf-16", []byte{0xFF, 0xFE, 'a', 0}, ErrNotTable, "UTF-16"},
		{"no header", []byte("1,2,3\n4,5,6\n"), ErrNotTable, "表头"},
		{"plain text", []byte("这是一封信。\n请查收。\n"), ErrNotTable, "表头"},
		{"missing 案号", []byte("立案日期,承办人\n2021-03-05,王\n"), ErrColumns, "案号"},
		{"duplicate column", []byte("案号,执行案号\n"), ErrColumns, "执行案号"},
		{"one long line", bytes.Repeat([]byte("案号,"), 300_000), ErrNotTable, "超过"},
		{"unterminated quote", []byte("案号,被执行人\n（2021）鲁0102执1号,张三\n（2021）鲁0102执2号,\"李四\n（2021）鲁0102执3号,王五\n"), ErrTruncated, "第3行"},
		{"cut mid-row", []byte("案号,立案日期,被执行人\n（2021）鲁0102执1号,2021-03-05,张三\n（2021）鲁0102执2号,2021-03"), ErrTruncated, "最后一行（第3行）只有2列"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := openPath(t, writeFile(t, "cases.xlsx", tc.data), Options{})
			if err == nil {
				r := drain(t, s)
				err = r.err
			}
			if !errors.Is(err, tc.kind) || !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("error = %v, want %v", err, tc.kind)
			}
			if msg := domain.UserMessage(err); !strings.Contains(msg, tc.msg) {
				t.Errorf("message = %q, want it to mention %q", msg, tc.msg)
			}
		})
	}
}

func TestTruncatedCSVKeepsEarlierRows(t *testing.T) {
	data := "案号,立案日期,被执行人\n（2021）鲁0102执1号,2021-03-05,张三\n（2021）鲁0102执2号,2021-03"
	_, r := importFile(t, "cut.csv", []byte(data), Options{})
	// The caller must not commit anything, but the rows before the cut
	// came through first: the error is what matters.
	if len(r.cases) != 1 || !errors.Is(r.err, ErrTruncated) {
		t.Fatalf("result %+v", r)
	}
}

func TestLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("案号,立案日期\n")
	for i := 1; i <= 5; i++ {
		b.WriteString("（2021）鲁0102执" + string(rune('0'+i)) + "号,2021-03-05\n")
	}
	_, r := importFile(t, "rows.csv", []byte(b.String()), Options{MaxRows: 3})
	if len(r.cases) != 3 || !errors.Is(r.err, ErrTooLarge) || !strings.Contains(domain.UserMessage(r.err), "3行") {
		t.Errorf("MaxRows: %d cases, %v", len(r.cases), r.err)
	}
	_, r = importFile(t, "rows.csv", []byte(b.String()), Options{MaxRows: 5})
	if len(r.cases) != 5 || r.err != nil {
		t.Errorf("exactly MaxRows: %d cases, %v", len(r.cases), r.err)
	}
	_, err := openPath(t, writeFile(t, "big.csv", []byte(b.String())), Options{MaxBytes: 20})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(domain.UserMessage(err), "超过上限") {
		t.Errorf("MaxBytes: %v", err)
	}
}

func TestOpenFromMemory(t *testing.T) {
	s, err := Open(strings.NewReader(sampleCSV), int64(len(sampleCSV)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkSample(t, drain(t, s))
}

func TestCaseTypes(t *testing.T) {
	data := "案号,立案日期\n（2021）鲁0102执123号,2021-03-05\n（2021）鲁0102执恢1号,2021-03-05\n"
	_, r := importFile(t, "types.csv", []byte(data), Options{CaseTypes: []string{"执恢"}})
	if len(r.cases) != 1 || r.cases[0].No.Type != "执恢" || len(r.errs) != 1 || !strings.Contains(r.errs[0].Message, "类型") {
		t.Errorf("result %+v", r)
	}
}

func TestWriteErrorReport(t *testing.T) {
	var buf bytes.Buffer
	err := WriteErrorReport(&buf, []RowError{
		{Row: 3, Column: "案号", Value: "2021鲁执2号", Message: "缺少年份", Fatal: true},
		{Row: 7, Column: "被执行人电话", Value: "=HYPERLINK(\"x\")", Message: "手机号码无效"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "\ufeff行号,列,内容,问题\r\n3,案号,2021鲁执2号,缺少年份（该行未导入）\r\n7,被执行人电话,\"'=HYPERLINK(\"\"x\"\")\",手机号码无效\r\n"
	if got := buf.String(); got != want {
		t.Errorf("report =\n%q\nwant\n%q", got, want)
	}
}

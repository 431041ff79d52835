package synth

import (
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
)

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := New(Config{Seed: 5, Today: testToday}, testCourts()).WriteCSV(&buf, 500); err != nil {
		t.Fatal(err)
	}
	data, ok := bytes.CutPrefix(buf.Bytes(), []byte("\ufeff"))
	if !ok {
		t.Fatal("no BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 501 {
		t.Fatalf("%d rows, want 501", len(rows))
	}
	if !slices.Equal(rows[0], header) {
		t.Errorf("header %v", rows[0])
	}
	for _, want := range []string{"案号", "立案日期", "承办人", "承办部门", "执行标的金额", "有无财产可供执行", "结案日期", "结案方式",
		"申请执行人", "申请执行人电话", "被执行人", "被执行人电话", "是否信访", "督办法院"} {
		if !slices.Contains(rows[0], want) {
			t.Errorf("header lacks %s", want)
		}
	}
	if !strings.Contains(buf.String(), "\r\n") {
		t.Error("lines do not end in CRLF")
	}
}

func TestAppendParties(t *testing.T) {
	ps := []domain.Party{
		{Role: domain.Applicant, Name: "甲公司"},
		{Role: domain.Respondent, Name: "张三"},
		{Role: domain.Respondent, Name: "李四", Phone: "13900000001"},
		{Role: domain.Respondent, Name: "王五"},
		{Role: domain.Applicant, Name: "乙", Phone: "13900000002"},
	}
	for _, tc := range []struct {
		role  domain.PartyRole
		parts []domain.Party
		want  string
	}{
		{domain.Applicant, ps, "甲公司、乙,、13900000002"},
		{domain.Respondent, ps, "张三、李四、王五,、13900000001"},
		{domain.Respondent, []domain.Party{{Role: domain.Respondent, Name: "A, Ltd"}, {Role: domain.Respondent, Name: "张三"}}, `"A, Ltd、张三",`},
	} {
		if got := string(appendParties([]byte("x,"), tc.parts, tc.role)); got != "x,"+tc.want {
			t.Errorf("%s: got %q, want %q", tc.role, got, "x,"+tc.want)
		}
	}
}

func TestAppendField(t *testing.T) {
	for in, want := range map[string]string{"": "", "执行一庭": "执行一庭", "a,b": `"a,b"`, `say "hi"`: `"say ""hi"""`, " x": `" x"`} {
		if got := string(appendField(nil, in)); got != want {
			t.Errorf("appendField(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestImporterAgrees imports generated rows with the real importer and
// compares what it reads with what was generated.
func TestImporterAgrees(t *testing.T) {
	const n = 2_000
	cfg := Config{Seed: 11, Today: testToday, Cases: n}
	var buf bytes.Buffer
	if err := New(cfg, testCourts()).WriteCSV(&buf, n); err != nil {
		t.Fatal(err)
	}
	s, err := importer.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Format() != "csv-utf8" || len(s.Columns()) != len(header) {
		t.Errorf("format %s, columns %v", s.Format(), s.Columns())
	}
	want := New(cfg, testCourts())
	for i := 0; ; i++ {
		got, errs, err := s.Next()
		if err == io.EOF {
			if i != n {
				t.Errorf("imported %d rows, want %d", i, n)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) > 0 {
			t.Fatalf("row %d: %+v", i+2, errs)
		}
		compareImported(t, i, got, want.Next())
	}
}

func compareImported(t *testing.T, i int, got, want *domain.Case) {
	t.Helper()
	type view struct {
		Number, Officer, Department, Mode, SupervisedBy string
		Filed, Closed, Since                            string
		Amount                                          int64
		Property, NonLit, Petition, Opinion, Impact     bool
	}
	v := func(c *domain.Case) view {
		return view{c.Number, c.Officer, c.Department, c.ClosingMode, c.SupervisedBy,
			c.FiledOn.String(), c.ClosedOn.String(), c.SupervisedSince.String(), c.Amount,
			c.HasProperty, c.NonLitigation, c.Petition, c.PublicOpinion, c.SocialImpact}
	}
	if g, w := v(got), v(want); g != w {
		t.Fatalf("row %d:\n got %+v\nwant %+v", i+2, g, w)
	}
	if len(got.Parties) != len(want.Parties) {
		t.Fatalf("row %d: %d parties, want %d", i+2, len(got.Parties), len(want.Parties))
	}
	for j, p := range got.Parties {
		w := want.Parties[j]
		if p.Role != w.Role || p.Name != w.Name || p.Phone != w.Phone || p.Org != w.Org {
			t.Fatalf("row %d party %d: got %+v, want %+v", i+2, j, p, w)
		}
	}
}

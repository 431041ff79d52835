package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/testdb"
)

// zhilian import acts, then zhilian patrol: the findings of a court as the
// daily job stores them, in JSON and as a table; a second run stores
// nothing new; a rule table from --patrol-rules changes what is found.
func TestPatrolCLI(t *testing.T) {
	dsn := testdb.DSN(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := write("cases.csv", "案号,立案日期,执行标的金额,结案日期,结案方式\n"+
		"（2026）鲁0102执1号,2026-01-05,100000,2026-03-01,终结本次执行程序\n"+
		"（2026）鲁0102执2号,2026-01-05,100000,,\n"+
		"（2026）鲁0202执3号,2026-01-05,100000,,\n")
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, cases); code != 0 {
		t.Fatalf("import cases: %s %s", out, errs)
	}
	acts := write("acts.csv", "案号,行为,日期,金额,备注\n"+
		"（2026）鲁0102执1号,执行通知,2026-01-06,,\n"+
		"（2026）鲁0102执1号,报告财产令,2026-01-06,,\n"+
		"（2026）鲁0102执1号,查询,2026-01-07,,\n"+
		"（2026）鲁0102执1号,限制消费,2026-01-08,,\n"+
		"（2026）鲁0102执2号,评估,2026-02-01,1000000,\n"+
		"（2026）鲁0102执2号,拍卖,2026-03-01,600000,一拍\n"+
		"（2026）鲁0102执2号,查封,2026-02-01,250000,\n")
	if code, out, errs := cli(t, "", "import", "acts", "--db", dsn, acts); code != 0 || !strings.Contains(out, "acts of 2 cases stored (2 changed") {
		t.Fatalf("import acts: %d %s %s", code, out, errs)
	}
	type report struct {
		Court    string `json:"court"`
		New      int    `json:"new"`
		Findings []struct {
			CaseNo string `json:"case_no"`
			Rule   string `json:"rule"`
			Title  string `json:"title"`
		} `json:"findings"`
	}
	patrol := func(extra ...string) report {
		t.Helper()
		code, out, errs := cli(t, "", append([]string{"patrol", "--db", dsn, "--court", "鲁0102", "--date", "2026-04-01", "--json"}, extra...)...)
		var r report
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("patrol: %d %q %s", code, out, errs)
		}
		return r
	}
	keys := func(r report) []string {
		var out []string
		for _, f := range r.Findings {
			if f.Title == "" {
				t.Errorf("finding without a title: %+v", f)
			}
			out = append(out, f.CaseNo+" "+f.Rule)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	first := patrol()
	want := []string{
		"（2026）鲁0102执1号 termination_preconditions", // within three months, no interview
		"（2026）鲁0102执2号 auction_reserve",           // 60 % of the appraisal
		"（2026）鲁0102执2号 node_late",                 // no 执行通知 node
		"（2026）鲁0102执2号 over_seizure",              // 2.5 times the claim
	}
	if got := keys(first); first.Court != "鲁0102" || !slices.Equal(got, want) || first.New != len(first.Findings) {
		t.Fatalf("findings %q (new %d), want %q", got, first.New, want)
	}
	if again := patrol(); again.New != 0 || len(again.Findings) != len(first.Findings) {
		t.Fatalf("a second run: %+v", again)
	}
	rules := write("patrol.csv", "code,title,parameters,basis,enabled\n"+
		"over_seizure,超标的查封,ratio=3,本院规定,启用\n"+
		"node_late,流程节点超期,,期限表,停用\n")
	got := keys(patrol("--patrol-rules", rules))
	if !slices.Equal(got, []string{want[0], want[1]}) {
		t.Fatalf("with the court's table: %q", got)
	}
	code, out, _ := cli(t, "", "patrol", "--db", dsn, "--court", "鲁0102", "--date", "2026-04-01")
	if code != 0 || !strings.Contains(out, "网上巡查") || !strings.Contains(out, "终结本次执行程序不符合条件") || !strings.Contains(out, "案号") {
		t.Fatalf("the table: %d %s", code, out)
	}
	if code, _, _ := cli(t, "", "patrol", "--db", dsn, "--date", "2026-04-01"); code != 2 {
		t.Fatalf("without --court: %d", code)
	}
	if code, _, _ := cli(t, "", "patrol", "--db", dsn, "--court", "鲁0102", "--patrol-rules", write("bad.csv", "nosuch,x,,y,启用\n")); code == 0 {
		t.Fatal("a bad rule table was accepted")
	}
}

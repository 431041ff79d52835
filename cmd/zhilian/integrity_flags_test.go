package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/testdb"
)

// serve refuses early-warning rules it cannot use before it touches the
// database, each with its reason (issue 18).
func TestServeRefusesBadWarningRules(t *testing.T) {
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	dsn := testdb.DSN(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct {
		file, want string
	}{
		{filepath.Join(dir, "missing.json"), "warning rules"},
		{write("unknown.json", `[{"id": "drinks"}]`), `unknown rule "drinks"`},
		{write("zero.json", `[{"id": "category3", "count": 0}]`), "count 0"},
		{write("csv.json", "id,count\ncategory3,2\n"), "JSON array"},
	} {
		code, _, errs := cli(t, "", "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--warning-rules", tt.file)
		if code == 0 || !strings.Contains(errs, tt.want) || strings.Contains(errs, "migrat") {
			t.Errorf("serve --warning-rules %s: exit %d, %q", filepath.Base(tt.file), code, errs)
		}
	}
	t.Setenv("ZHILIAN_WARNING_RULES", write("env.json", `[{"id": "last_day", "share": 0}]`))
	if code, _, errs := cli(t, "", "serve", "--db", dsn, "--addr", "127.0.0.1:0"); code == 0 || !strings.Contains(errs, "share 0") {
		t.Errorf("ZHILIAN_WARNING_RULES: exit %d, %q", code, errs)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/testdb"
)

// serve refuses oversight rules it cannot use before it touches the
// database, each with its reason (issue 14).
func TestServeRefusesBadOversightRules(t *testing.T) {
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	dsn := testdb.DSN(t)
	dir := t.TempDir()
	noTalk := filepath.Join(dir, "no-talk.csv")
	if err := os.WriteFile(noTalk, []byte("1,批评教育\n2,警告\n3,免职\n4,移送\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--strong-petitions", "0"}, "--strong-petitions"},
		{[]string{"--strong-months", "-1"}, "--strong-months"},
		{[]string{"--measures", filepath.Join(dir, "missing.csv")}, "measures"},
		{[]string{"--measures", noTalk}, "谈话提醒"},
	} {
		code, _, errs := cli(t, "", append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, tt.args...)...)
		if code == 0 || !strings.Contains(errs, tt.want) || strings.Contains(errs, "migrat") {
			t.Errorf("serve %v: exit %d, %q", tt.args, code, errs)
		}
	}
	t.Setenv("ZHILIAN_STRONG_MONTHS", "0")
	if code, _, errs := cli(t, "", "serve", "--db", dsn, "--addr", "127.0.0.1:0"); code == 0 || !strings.Contains(errs, "--strong-months") {
		t.Errorf("ZHILIAN_STRONG_MONTHS=0: exit %d, %q", code, errs)
	}
}

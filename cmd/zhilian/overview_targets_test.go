package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/testdb"
)

// A targets file the cockpit cannot use stops serve at start-up, every
// bad line named; nothing listens.
func TestOverviewTargetsCheckedAtStart(t *testing.T) {
	dsn := testdb.DSN(t)
	bad := filepath.Join(t.TempDir(), "targets.csv")
	if err := os.WriteFile(bad, []byte("key,target,amber\nexecuted_in_limit,120\nnosuch,80\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := cli(t, "", "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--overview-targets", bad)
	if code == 0 || !strings.Contains(errs, "第2行") || !strings.Contains(errs, "第3行：指标代码“nosuch”无法识别") {
		t.Fatalf("serve with a bad targets file: %d %s", code, errs)
	}
}

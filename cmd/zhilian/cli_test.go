package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/audit"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func TestHelpListsCommands(t *testing.T) {
	code, out, _ := cli(t, "", "help")
	for _, c := range []string{"serve", "migrate", "demo", "users add|list|disable", "tokens create", "audit verify", "backup", "courts import"} {
		if !strings.Contains(out, c) {
			t.Errorf("help lacks %q", c)
		}
	}
	if code != 0 {
		t.Fatalf("help exit %d", code)
	}
	if code, _, _ := cli(t, "", "frobnicate"); code != 2 {
		t.Fatalf("unknown command exit %d, want 2", code)
	}
}

func TestUsersTokensAndAPI(t *testing.T) {
	dsn := testdb.DSN(t)
	add := func(stdin string, extra ...string) (int, string, string) {
		args := append([]string{"users", "add", "--db", dsn, "--username", "api.user", "--name", "赵敏", "--court", "鲁0102", "--department", "执行一庭"}, extra...)
		return cli(t, stdin, append(args, "--password-stdin")...)
	}
	if code, _, errs := add("Api#user2026x\n", "--role", "sheriff"); code == 0 || !strings.Contains(errs, "未知角色") {
		t.Fatalf("unknown role: %d %s", code, errs)
	}
	if code, _, errs := add("short\n", "--role", "officer"); code == 0 || !strings.Contains(errs, "password") {
		t.Fatalf("weak password: %d %s", code, errs)
	}
	if code, _, errs := cli(t, "", "users", "add", "--db", dsn, "--username", "x.y", "--name", "某", "--court", "鲁9999", "--department", "d", "--role", "officer", "--password-stdin"); code == 0 || errs == "" {
		t.Fatalf("unknown court: %d %s", code, errs)
	}
	// A post needs its role, and is refused before anyone is added.
	if code, _, errs := add("Api#user2026x\n", "--role", "officer", "--post", "bureau_liaison"); code != 2 || !strings.Contains(errs, "执行局联络员应由") {
		t.Fatalf("a post without its role: %d %s", code, errs)
	}
	if code, out, errs := cli(t, "Liaison#2026x\n", "users", "add", "--db", dsn, "--username", "dg.liaison", "--name", "李红", "--court", "鲁0102",
		"--department", "派驻纪检监察组", "--role", "discipline_group", "--post", "discipline_liaison", "--password-stdin"); code != 0 {
		t.Fatalf("users add --post: %d %s %s", code, out, errs)
	}
	if code, out, errs := add("Api#user2026x\n", "--role", "officer", "--role", "dept_head"); code != 0 || !strings.Contains(out, "api.user") {
		t.Fatalf("users add: %d %s %s", code, out, errs)
	}
	code, out, _ := cli(t, "", "users", "list", "--db", dsn)
	if code != 0 || !strings.Contains(out, "api.user") || !strings.Contains(out, "officer,dept_head") || !strings.Contains(out, "active") {
		t.Fatalf("users list: %s", out)
	}

	code, out, errs := cli(t, "", "tokens", "create", "--db", dsn, "--user", "api.user")
	token := strings.TrimSpace(out)
	if code != 0 || strings.Contains(token, "\n") || !strings.HasPrefix(token, "zl_") {
		t.Fatalf("tokens create printed %q (%s)", out, errs)
	}

	a, err := app.Open(context.Background(), app.Config{DB: dsn, Key: testdb.Key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(a.Web.Handler())
	defer srv.Close()
	if status, body := get(t, srv.URL+"/api/v1/me", "Authorization", "Bearer "+token); status != 200 || !strings.Contains(body, `"username":"api.user"`) || !strings.Contains(body, `"court":"鲁0102"`) {
		t.Fatalf("api me: %d %s", status, body)
	}
	if status, body := get(t, srv.URL+"/api/v1/me", "Authorization", "Bearer zl_forged"); status != 401 || !strings.Contains(body, "unauthorized") {
		t.Fatalf("forged token: %d %s", status, body)
	}
	if status, _ := get(t, srv.URL+"/api/v1/me"); status != 401 {
		t.Fatalf("no token: %d", status)
	}

	if code, _, errs := cli(t, "", "users", "disable", "--db", dsn, "--username", "api.user"); code != 0 {
		t.Fatalf("users disable: %s", errs)
	}
	if status, _ := get(t, srv.URL+"/api/v1/me", "Authorization", "Bearer "+token); status != 401 {
		t.Fatalf("token of a disabled user: %d", status)
	}
	if _, out, _ := cli(t, "", "users", "list", "--db", dsn); !strings.Contains(out, "disabled") {
		t.Fatalf("users list after disable: %s", out)
	}
}

func TestAuditVerifyCLI(t *testing.T) {
	dsn := testdb.DSN(t)
	for _, u := range []string{"v1", "v2", "v3"} {
		if code, _, errs := cli(t, "Audit#2026xyz\n", "users", "add", "--db", dsn, "--username", u, "--name", "某", "--court", "鲁0102", "--department", "执行一庭", "--role", "officer", "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	code, out, errs := cli(t, "", "audit", "verify", "--db", dsn)
	if code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("intact trail: %d %s %s", code, out, errs)
	}
	// Change one record by hand, as someone with database access could.
	driver, q := "sqlite", "UPDATE audit_log SET actor = 'someone else' WHERE object_id = 'v2'"
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var seq int64
	if err := raw.QueryRow("SELECT seq FROM audit_log WHERE object_id = 'v2'").Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(q); err != nil {
		t.Fatal(err)
	}
	code, _, errs = cli(t, "", "audit", "verify", "--db", dsn)
	if code == 0 || !strings.Contains(errs, "record "+itoa(seq)) {
		t.Fatalf("tampered trail: exit %d, %s (want record %d named)", code, errs, seq)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Whoever can write the database but lacks the key rewrites a record and
// recomputes every hash after it, and the head, as the probe did: the
// keyed chain shows it. Whoever has the key too is caught by an anchor
// kept outside the system.
func TestAuditChainRewritten(t *testing.T) {
	dsn := testdb.DSN(t)
	for _, u := range []string{"r1", "r2", "r3"} {
		if code, _, errs := cli(t, "Audit#2026xyz\n", "users", "add", "--db", dsn, "--username", u, "--name", "某", "--court", "鲁0102", "--department", "执行一庭", "--role", "officer", "--password-stdin"); code != 0 {
			t.Fatal(errs)
		}
	}
	anchorFile := filepath.Join(t.TempDir(), "anchors.txt")
	code, anchor, errs := cli(t, "", "audit", "anchor", "--db", dsn)
	if code != 0 || !regexp.MustCompile(`^zhilian-audit-anchor seq=\d+ hash=[0-9a-f]{64} at=\S+\n$`).MatchString(anchor) {
		t.Fatalf("anchor: %d %q %s", code, anchor, errs)
	}
	os.WriteFile(anchorFile, []byte("# 2026-11-29 交纪检监察组存档\n"+anchor), 0o600)
	if code, out, errs := cli(t, "", "audit", "verify", "--db", dsn, "--anchor", anchorFile); code != 0 || !strings.Contains(out, "holds the 1 anchor") {
		t.Fatalf("verify with the anchor: %d %s %s", code, out, errs)
	}

	// Records deleted from the end, the head moved back: the head's seal
	// is the key's, and the tamperer has none.
	d := openRaw(t, dsn)
	var last, prev int64
	var prevHash string
	d.WriteDB().QueryRow("SELECT MAX(seq) FROM audit_log").Scan(&last)
	prev = last - 1
	d.WriteDB().QueryRow(d.Rebind("SELECT hash FROM audit_log WHERE seq = ?"), prev).Scan(&prevHash)
	if _, err := d.WriteDB().Exec(d.Rebind("DELETE FROM audit_log WHERE seq = ?"), last); err != nil {
		t.Fatal(err)
	}
	if _, err := d.WriteDB().Exec(d.Rebind("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"), prev, prevHash); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := cli(t, "", "audit", "verify", "--db", dsn); code != 3 || !strings.Contains(errs, "not sealed under the key") {
		t.Fatalf("a trail cut at the end: %d %s", code, errs)
	}

	keys := testdb.Sealer(t)
	for _, attack := range []struct {
		name string
		alg  string
		key  []byte
	}{
		{"unkeyed SHA-256", audit.SHA256, nil},
		{"HMAC under another key", audit.Keyed(audit.SHA256), []byte("not-the-key")},
		{"HMAC under the key", audit.Keyed(audit.SHA256), keys.AuditKey()},
	} {
		t.Run(attack.name, func(t *testing.T) {
			d := openRaw(t, dsn)
			rewriteAudit(t, d, "r2", attack.alg, attack.key)
			// A restart does not seal the rewritten trail: keying happens
			// once, with the migration that brings the key in.
			if code, _, errs := cli(t, "", "migrate", "--db", dsn); code != 0 && attack.key != nil {
				t.Fatalf("migrate after the rewrite: %s", errs)
			}
			code, _, errs := cli(t, "", "audit", "verify", "--db", dsn)
			if attack.key != nil && string(attack.key) == string(keys.AuditKey()) {
				// With the key the chain holds; the anchor does not.
				if code != 0 {
					t.Fatalf("rechained under the key: %d %s", code, errs)
				}
				code, _, errs = cli(t, "", "audit", "verify", "--db", dsn, "--anchor", anchorFile)
				if code != 3 || !strings.Contains(errs, "does NOT hold the anchor") {
					t.Fatalf("anchor after a rewrite under the key: %d %s", code, errs)
				}
				return
			}
			if code != 3 || !strings.Contains(errs, "BROKEN") {
				t.Fatalf("rewritten trail: exit %d, %s", code, errs)
			}
		})
	}
}

func openRaw(t *testing.T, dsn string) *store.DB {
	t.Helper()
	d, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// openKeyed opens the test's database beside the processes under test,
// with the test key, to prepare and inspect what they do.
func openKeyed(t *testing.T, dsn string) *store.DB {
	t.Helper()
	d := openRaw(t, dsn)
	d.UseKeys(testdb.Sealer(t))
	return d
}

// rewriteAudit changes the record about object and recomputes every hash
// from there and the head with alg and key, straight in the database.
func rewriteAudit(t *testing.T, d *store.DB, object, alg string, key []byte) {
	t.Helper()
	ctx := context.Background()
	rb := func(q string) string {
		if d.Engine == store.Postgres {
			for i := 1; strings.Contains(q, "?"); i++ {
				q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
			}
		}
		return q
	}
	rows, err := d.WriteDB().QueryContext(ctx, "SELECT seq, at, COALESCE(actor_id, 0), actor, action, object_type, object_id, court_path, remote_addr, success, detail FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	var recs []*audit.Record
	for rows.Next() {
		r := &audit.Record{}
		if err := rows.Scan(&r.Seq, &r.At, &r.ActorID, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID, &r.CourtPath, &r.RemoteAddr, &r.Success, &r.Detail); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	rows.Close()
	prevSeq, prevHash := int64(0), ""
	for _, r := range recs {
		if r.ObjectID == object {
			r.Actor = "别人"
		}
		r.Alg = alg
		if err := audit.Seal(r, prevSeq, prevHash, key); err != nil {
			t.Fatal(err)
		}
		if _, err := d.WriteDB().ExecContext(ctx, rb("UPDATE audit_log SET actor = ?, alg = ?, prev_hash = ?, hash = ? WHERE seq = ?"), r.Actor, r.Alg, r.PrevHash, r.Hash, r.Seq); err != nil {
			t.Fatal(err)
		}
		prevSeq, prevHash = r.Seq, r.Hash
	}
	mac := ""
	if key != nil {
		mac = audit.HeadMAC(key, prevSeq, prevHash)
	}
	if _, err := d.WriteDB().ExecContext(ctx, rb("UPDATE audit_head SET hash = ?, mac = ? WHERE id = 1"), prevHash, mac); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateAndBackup(t *testing.T) {
	dsn := testdb.DSN(t)
	for i := 0; i < 2; i++ {
		code, out, errs := cli(t, "", "migrate", "--db", dsn)
		if code != 0 || !regexp.MustCompile(`schema version [1-9][0-9]* `).MatchString(out) || !strings.Contains(out, "157 courts") {
			t.Fatalf("migrate run %d: %d %s %s", i+1, code, out, errs)
		}
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, errs := cli(t, "", "backup", "--db", dsn, "--out", out)
	if code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	if store.IsPostgres(dsn) {
		if !strings.HasPrefix(stdout, "pg_dump ") || !strings.Contains(stdout, out) {
			t.Fatalf("backup on PostgreSQL printed %q", stdout)
		}
		return
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", st, err)
	}
	// A database the CLI makes is the owner's alone, like its key.
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	if code, _, errs := cli(t, "", "migrate", "--db", fresh, "--key-file", fresh+".key"); code == 0 || !strings.Contains(errs, "key file") {
		t.Fatalf("migrate with a missing --key-file: %d %s", code, errs)
	}
	os.Remove(fresh)
	t.Setenv("ZHILIAN_KEY", "")
	var sb strings.Builder
	code2 := run(ctx, []string{"migrate", "--db", fresh}, strings.NewReader(""), &sb, &sb)
	if code2 != 0 {
		t.Fatalf("migrate a fresh database: %s", sb.String())
	}
	for _, f := range []string{fresh, fresh + ".key"} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", f, st, err)
		}
	}
	if !strings.Contains(stdout, out+".key") {
		t.Fatalf("backup does not say where the key went: %s", stdout)
	}
	if st, err := os.Stat(out + ".key"); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key beside the backup: %v %v", st, err)
	}
	// The copy verifies under the key written beside it, and not under
	// another.
	if code, o, errs := cli(t, "", "audit", "verify", "--db", out, "--key-file", out+".key"); code != 0 {
		t.Fatalf("backup's audit trail: %s %s", o, errs)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	os.WriteFile(other, []byte(strings.Repeat("ab", 32)), 0o600)
	if code, _, _ := cli(t, "", "audit", "verify", "--db", out, "--key-file", other); code == 0 {
		t.Fatal("the backup's audit trail verified under another key")
	}
}

func TestCourtsImport(t *testing.T) {
	dsn := testdb.DSN(t)
	file := filepath.Join(t.TempDir(), "js.csv")
	os.WriteFile(file, []byte("code,name,parent,level,divisions\n苏,江苏省高级人民法院,,high,320000\n苏01,南京市中级人民法院,苏,intermediate,320100\n"), 0o600)
	code, out, errs := cli(t, "", "courts", "import", "--db", dsn, file)
	if code != 0 || !strings.Contains(out, "2 added") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if _, out, _ := cli(t, "", "courts", "import", "--db", dsn, file); !strings.Contains(out, "0 added, 0 updated, 2 unchanged") {
		t.Fatalf("second import: %s", out)
	}
	os.WriteFile(file, []byte("code,name,parent,level\n苏02,无锡市中级人民法院,浙,intermediate\n"), 0o600)
	if code, _, errs := cli(t, "", "courts", "import", "--db", dsn, file); code == 0 || !strings.Contains(errs, "上级法院") {
		t.Fatalf("court with unknown parent: %d %s", code, errs)
	}
}

func TestImportCasesAndCalendarCLI(t *testing.T) {
	dsn := testdb.DSN(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "cases.csv")
	os.WriteFile(file, []byte("案号,立案日期,承办人,申请执行人,申请执行人电话\n（2025）鲁0102执1号,2025-09-30,张伟,王芳,13812345678\n（2025）鲁0102执2号,昨天,张伟,赵敏,\n"), 0o600)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file)
	if code != 0 || !strings.Contains(out, "1 new") || !strings.Contains(out, "1 rejected") || !strings.Contains(out, "row 3, 立案日期") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	report := filepath.Join(dir, "report.csv")
	if code, out, _ := cli(t, "", "import", "cases", "--db", dsn, "--report", report, file); code != 0 || !strings.Contains(out, "1 unchanged") {
		t.Fatalf("second import: %s", out)
	}
	if b, _ := os.ReadFile(report); !strings.Contains(string(b), "昨天") {
		t.Fatalf("report: %s", b)
	}
	// Each CLI import is recorded like one from the page: its row, with
	// the counts and the report, and a file-level audit record.
	d := openRaw(t, dsn)
	var n, added int
	var status, rep string
	d.WriteDB().QueryRow("SELECT COUNT(*) FROM imports").Scan(&n)
	d.WriteDB().QueryRow("SELECT status, added, report FROM imports ORDER BY id LIMIT 1").Scan(&status, &added, &rep)
	if n != 2 || status != store.ImportDone || added != 1 || !strings.Contains(rep, "昨天") {
		t.Fatalf("imports rows: %d, first %s added %d report %q", n, status, added, rep)
	}
	d.UseKeys(testdb.Sealer(t))
	recs, _ := d.ListAudit(context.Background(), domain.SystemViewer("t"), store.AuditFilter{Action: "case.import_file", Limit: 5})
	if len(recs) != 2 || !strings.Contains(recs[0].RemoteAddr, "cli:import cases") {
		t.Fatalf("file-level audit records: %+v", *recs[0])
	}
	if code, _, errs := cli(t, "", "import", "cases", "--db", dsn, filepath.Join(dir, "missing.csv")); code == 0 || errs == "" {
		t.Fatal("missing file accepted")
	}

	// The case was filed 2025-09-30: six months end 2026-03-30, a Monday.
	// A calendar that makes that day a holiday moves the due date.
	cal := filepath.Join(dir, "2026.txt")
	os.WriteFile(cal, []byte("# 测试\n2026-03-30~2026-03-31,休,测试假日\n"), 0o600)
	if code, out, errs := cli(t, "", "calendar", "import", "--db", dsn, cal); code != 0 || !strings.Contains(out, "loaded") {
		t.Fatalf("calendar import: %s %s", out, errs)
	}
	os.WriteFile(cal, []byte("2026-13-01,休,坏日期\n"), 0o600)
	if code, _, errs := cli(t, "", "calendar", "import", "--db", dsn, cal); code == 0 || !strings.Contains(errs, "第1行") {
		t.Fatalf("bad calendar: %d %s", code, errs)
	}
	a, err := app.Open(context.Background(), app.Config{DB: dsn, Key: testdb.Key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res, _, ok := a.DB.Limits.ForCase(&domain.Case{No: domain.CaseNo{Type: "执"}, FiledOn: domain.MustDate("2025-09-30"), HasProperty: true, PropertyKnown: true}, nil, nil, domain.MustDate("2026-01-01"))
	if !ok || res.Due.String() != "2026-04-01" {
		t.Fatalf("due with the loaded calendar: %s", res.Due)
	}
	if code, out, _ := cli(t, "", "keygen"); code != 0 || len(strings.TrimSpace(out)) != 64 {
		t.Fatalf("keygen: %q", out)
	}
}

func TestVisitsDrawAndVerifyCLI(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	var b strings.Builder
	b.WriteString("案号,立案日期,结案日期,结案方式,申请执行人,申请执行人电话\n")
	for i := 1; i <= 41; i++ {
		fmt.Fprintf(&b, "（2026）鲁0102执%d号,2026-01-05,2026-10-%02d,执行完毕,王芳,1381234%04d\n", i, 1+i%28, i)
	}
	file := filepath.Join(t.TempDir(), "closed.csv")
	os.WriteFile(file, []byte(b.String()), 0o600)
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	code, out, errs := cli(t, "", "visits", "draw", "--db", dsn, "--court", "鲁0102", "--month", "2026-10", "--json")
	var got struct {
		Batch      int64    `json:"batch"`
		Population int      `json:"population"`
		Sample     int      `json:"sample"`
		Created    bool     `json:"created"`
		Selected   []string `json:"selected"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Population != 41 || got.Sample != 3 || len(got.Selected) != 3 || !got.Created {
		t.Fatalf("draw: %d %q %s", code, out, errs)
	}
	_, out2, _ := cli(t, "", "visits", "draw", "--db", dsn, "--court", "鲁0102", "--month", "2026-10", "--json")
	var again struct {
		Batch   int64 `json:"batch"`
		Created bool  `json:"created"`
	}
	if json.Unmarshal([]byte(out2), &again); again.Batch != got.Batch || again.Created {
		t.Fatalf("second draw: %s", out2)
	}
	id := strconv.FormatInt(got.Batch, 10)
	if code, out, errs := cli(t, "", "visits", "verify", "--db", dsn, id); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("verify: %d %s %s", code, out, errs)
	}
	driver := "sqlite"
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	raw, _ := sql.Open(driver, dsn)
	defer raw.Close()
	if _, err := raw.Exec("UPDATE visit_batch_cases SET selected = NOT selected"); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := cli(t, "", "visits", "verify", "--db", dsn, id); code == 0 || !strings.Contains(errs, "does NOT verify") {
		t.Fatalf("verify after tampering: %d %s", code, errs)
	}
	if code, _, _ := cli(t, "", "visits", "draw", "--db", dsn, "--court", "鲁0102", "--month", "2026-13"); code == 0 {
		t.Fatal("bad month accepted")
	}
}

// visits focus runs the focused scan of one court on a day and lists the
// cases with the criteria in Chinese; a second run starts nothing
// (issue 13).
func TestVisitsFocusCLI(t *testing.T) {
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	csv := "案号,立案日期,结案日期,结案方式,是否信访,申请执行人,申请执行人电话\n" +
		"（2024）鲁0102执1号,2024-03-01,,,否,王芳,13812340001\n" + // open 18 months
		"（2026）鲁0102执2号,2026-06-01,2026-10-10,执行完毕,是,李明,13812340002\n" + // closed petition
		"（2026）鲁0102执3号,2026-09-01,,,否,赵强,13812340003\n" + // nothing
		"（2024）鲁0202执4号,2024-03-01,,,否,钱多,13812340004\n" // another court
	file := filepath.Join(t.TempDir(), "cases.csv")
	os.WriteFile(file, []byte(csv), 0o600)
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	type report struct {
		Created int `json:"visits_created"`
		Cases   []struct {
			CaseNo  string   `json:"case_no"`
			Reasons []string `json:"reasons"`
		} `json:"cases"`
	}
	run := func() report {
		t.Helper()
		code, out, errs := cli(t, "", "visits", "focus", "--db", dsn, "--court", "鲁0102", "--date", "2026-11-20", "--json")
		var r report
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("focus: %d %q %s", code, out, errs)
		}
		return r
	}
	first := run()
	got := map[string]string{}
	for _, c := range first.Cases {
		got[c.CaseNo] = strings.Join(c.Reasons, "；")
	}
	if len(got) != 2 || !strings.Contains(got["（2024）鲁0102执1号"], "超过18个月未结的执行案件") || got["（2026）鲁0102执2号"] != "当事人信访的执行案件" || first.Created != 2 {
		t.Fatalf("first scan: %+v", first)
	}
	if second := run(); second.Created != 0 || len(second.Cases) != 2 {
		t.Fatalf("second scan: %+v", second)
	}
	driver := "sqlite"
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	raw, _ := sql.Open(driver, dsn)
	defer raw.Close()
	var n int
	if err := raw.QueryRow("SELECT COUNT(*) FROM visits").Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d visits after two scans (%v)", n, err)
	}
	if code, _, errs := cli(t, "", "visits", "focus", "--db", dsn, "--court", "鲁9999", "--json"); code == 0 {
		t.Fatalf("an unknown court: %s", errs)
	}
	// The window reaches the scan: with one day, the petition case closed
	// on 10 October is out of it on 20 November.
	code, out, errs := cli(t, "", "visits", "focus", "--db", dsn, "--court", "鲁0102", "--date", "2026-11-20", "--focus-window", "24h", "--json")
	if code != 0 || strings.Contains(out, "（2026）鲁0102执2号") || !strings.Contains(out, "（2024）鲁0102执1号") {
		t.Fatalf("focus with a one-day window: %d %s %s", code, out, errs)
	}
}

// serve refuses settings out of range, saying which, before it opens the
// database.
func TestServeRefusesBadSettings(t *testing.T) {
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	dsn := testdb.DSN(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--trip-report-days", "0"}, "trip report deadlines"},
		{[]string{"--trip-escalate-days", "99"}, "trip report deadlines"},
		{[]string{"--trip-leadership", "officer"}, "leadership"},
		{[]string{"--report-due-monthly", "0"}, "--report-due-monthly"},
		{[]string{"--report-due-yearly", "32"}, "--report-due-yearly"},
		{[]string{"--visit-phone-attempts", "99"}, "phone_attempts"},
		{[]string{"--visit-rate", "0"}, "rate"},
		{[]string{"--visit-closing-modes", " "}, "closing_modes"},
		{[]string{"--visit-focus-window", "0s"}, "window"},
		{[]string{"--visit-focus-capacity", "-1"}, "capacity"},
		{[]string{"--visit-supplement-after", "0s"}, "--visit-supplement-after"},
		{[]string{"--sms-quiet", "25:00-08:00"}, "quiet hours"},
		{[]string{"--sms", "carrier-pigeon"}, "unknown SMS provider"},
		{[]string{"--sms", "smpp"}, "--smpp-addr"},
		{[]string{"--sms", "http", "--sms-http-url", "https://gw.example/sms"}, "ZHILIAN_SMS_HTTP_SECRET"},
		// On SQLite: no replicas; on PostgreSQL: not a postgres:// URL.
		{[]string{"--db-replica", "replica.db"}, "--db-replica"},
		{[]string{"--db-replica-max-lag", "-1s"}, "--db-replica-max-lag must not be negative"},
	} {
		code, _, errs := cli(t, "", append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, tt.args...)...)
		if code == 0 || !strings.Contains(errs, tt.want) || strings.Contains(errs, "migrat") {
			t.Errorf("serve %v: exit %d, %q", tt.args, code, errs)
		}
	}
}

// A backup restored into a fresh directory opens with the key written
// beside it and reads a phone number back; without its key, or with
// another, the database is refused rather than given a new key (issue 11).
func TestBackupRestoreAndKeys(t *testing.T) {
	if testdb.Engine() == "postgres" {
		// PostgreSQL: restore prints pg_restore; the key check is the same.
		code, out, _ := cli(t, "", "restore", "--from", "x.dump", "--db", testdb.DSN(t))
		if code != 0 || !strings.HasPrefix(out, "pg_restore ") {
			t.Fatalf("restore on PostgreSQL: %d %s", code, out)
		}
		return
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "live", "zhilian.db")
	t.Setenv("ZHILIAN_KEY", "")
	run1 := func(stdin string, args ...string) (int, string, string) {
		var out, errb strings.Builder
		code := run(ctx, args, strings.NewReader(stdin), &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, _, errs := run1("", "migrate", "--db", src); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run1("Restore#2026x\n", "users", "add", "--db", src, "--username", "rs", "--name", "某", "--court", "鲁0102", "--department", "执行一庭", "--role", "officer", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	csv := "案号,立案日期,承办人,申请执行人,申请执行人电话\n（2026）鲁0102执77号,2026-01-05,某,王芳,13800007777\n"
	os.WriteFile(filepath.Join(dir, "c.csv"), []byte(csv), 0o600)
	if code, out, errs := run1("", "import", "cases", "--db", src, filepath.Join(dir, "c.csv")); code != 0 {
		t.Fatal(out, errs)
	}
	backup := filepath.Join(dir, "b.db")
	if code, _, errs := run1("", "backup", "--db", src, "--out", backup); code != 0 {
		t.Fatal(errs)
	}
	// Restore into a fresh directory: the database and its key.
	target := filepath.Join(dir, "restored", "zhilian.db")
	code, out, errs := run1("", "restore", "--from", backup, "--db", target)
	if code != 0 || !strings.Contains(out, "the key matches the database") || !strings.Contains(out, "1 cases") {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	if code, _, _ := run1("", "restore", "--from", backup, "--db", target); code == 0 {
		t.Fatal("restore overwrote a database")
	}
	d, err := app.OpenStore(ctx, app.Config{DB: target}, nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := d.CaseByNumber(ctx, domain.SystemViewer("t"), "（2026）鲁0102执77号")
	if err != nil {
		t.Fatal(err)
	}
	phone, err := d.RevealPhone(ctx, domain.SystemViewer("t"), k.Parties[0].ID)
	d.Close()
	if err != nil || phone != "13800007777" {
		t.Fatalf("phone read back from the restored database: %q %v", phone, err)
	}

	// The database alone, as if restored without its key: refused, and no
	// key is made for it.
	bare := filepath.Join(dir, "bare", "zhilian.db")
	os.MkdirAll(filepath.Dir(bare), 0o750)
	if err := copyFile(backup, bare); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run1("", "migrate", "--db", bare)
	if code == 0 || !strings.Contains(errs, "key file") || !strings.Contains(errs, "is missing") {
		t.Fatalf("a database without its key: %d %s", code, errs)
	}
	if _, err := os.Stat(bare + ".key"); err == nil {
		t.Fatal("a new key was made for a database that has one")
	}
	// Another key: refused by the check value.
	other := filepath.Join(dir, "other.key")
	os.WriteFile(other, []byte(strings.Repeat("cd", 32)), 0o600)
	code, _, errs = run1("", "migrate", "--db", bare, "--key-file", other)
	if code == 0 || !strings.Contains(errs, "is not this database's") {
		t.Fatalf("a database with another key: %d %s", code, errs)
	}
	if code, _, errs := run1("", "restore", "--from", backup, "--key-file", other, "--db", filepath.Join(dir, "r2", "zhilian.db")); code == 0 || !strings.Contains(errs, "is not this database's") {
		t.Fatalf("restore with another key: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "r2", "zhilian.db")); err == nil {
		t.Fatal("a refused restore left its files")
	}
}

// A mistyped SQLite path is refused by the commands that do not create a
// database, rather than made into an empty one (issue 11, point 7).
func TestMissingDatabaseRefused(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "typo.db")
	for _, args := range [][]string{
		{"backup", "--db", typo}, {"audit", "verify", "--db", typo}, {"users", "list", "--db", typo},
		{"tokens", "list", "--db", typo}, {"visits", "verify", "--db", typo, "1"}, {"import", "cases", "--db", typo, typo},
	} {
		code, _, errs := cli(t, "", args...)
		if code == 0 || !strings.Contains(errs, "no database at "+typo) {
			t.Errorf("%v: %d %s", args, code, errs)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("%v made %s", args, typo)
		}
	}
}

package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestInspectionsDrawAndVerifyCLI draws a case review over two courts from
// the command line, recomputes it, and fails the check once a drawn case
// is swapped.
func TestInspectionsDrawAndVerifyCLI(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	var b strings.Builder
	b.WriteString("案号,立案日期,结案日期,结案方式\n")
	for _, code := range []string{"鲁0102", "鲁0103"} {
		for i := 1; i <= 20; i++ {
			fmt.Fprintf(&b, "（2026）%s执%d号,2026-01-05,2026-02-%02d,执行完毕\n", code, i, 1+i%28)
		}
	}
	file := filepath.Join(t.TempDir(), "closed.csv")
	os.WriteFile(file, []byte(b.String()), 0o600)
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.UseKeys(testdb.Sealer(t))
	lead := testdb.AddUser(t, db, "cli.lead", "鲁01", "执行局", domain.RoleBureau)
	grp := testdb.AddUser(t, db, "cli.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sup := testdb.AddUser(t, db, "cli.sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	id, err := db.CreateInspection(ctx, domain.ViewerFor(lead, ""), store.InspectionInput{
		Campaign: inspection.Campaign{Kind: inspection.KindCaseReview, Theme: inspection.ThemeCampaign, Title: "终本案件评查",
			From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-03-31"), Plan: "方案"},
		Courts: []string{"鲁0102", "鲁0103"}, MemberIDs: []int64{lead.ID, grp.ID, sup.ID}, LeaderID: lead.ID,
		PerCourt: 4, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	cid := strconv.FormatInt(id, 10)
	code, out, errs := cli(t, "", "inspections", "draw", "--db", dsn, cid, "--json")
	var got struct {
		Campaign int64                  `json:"campaign"`
		Strata   []store.InspectionDraw `json:"strata"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Campaign != id || len(got.Strata) != 2 {
		t.Fatalf("draw: %d %q %s", code, out, errs)
	}
	for _, s := range got.Strata {
		if len(s.Population) != 20 || s.Size != 4 || len(s.Selected) != 4 || len(s.Seed) != 64 {
			t.Fatalf("stratum %+v", s)
		}
	}
	// Drawing again prints the same record.
	if _, out2, _ := cli(t, "", "inspections", "draw", "--db", dsn, cid, "--json"); out2 != out {
		t.Fatalf("second draw differs:\n%s\n%s", out, out2)
	}
	if code, out, errs := cli(t, "", "inspections", "verify", "--db", dsn, cid); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("verify: %d %s %s", code, out, errs)
	}
	driver := "sqlite"
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	raw, _ := sql.Open(driver, dsn)
	defer raw.Close()
	var outside string
	for _, no := range got.Strata[0].Population {
		if !strings.Contains(strings.Join(got.Strata[0].Selected, "\n"), no) {
			outside = no
			break
		}
	}
	q := "UPDATE inspection_targets SET case_no = ? WHERE case_no = ?"
	if driver == "pgx" {
		q = "UPDATE inspection_targets SET case_no = $1 WHERE case_no = $2"
	}
	if _, err := raw.Exec(q, outside, got.Strata[0].Selected[0]); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := cli(t, "", "inspections", "verify", "--db", dsn, cid); code == 0 || !strings.Contains(errs, "does NOT verify") || !strings.Contains(errs, outside) {
		t.Fatalf("verify after tampering: %d %s", code, errs)
	}
	if code, _, _ := cli(t, "", "inspections", "verify", "--db", dsn, "x"); code != 2 {
		t.Fatal("a bad campaign id accepted")
	}
}

// TestInspectionsPerOfficerCLI draws a case review stratified per officer
// from the command line (two officers at one court, two cases each), prints
// one stratum per officer, verifies it, and fails verification once a
// drawn case is swapped for one its stratum did not draw.
func TestInspectionsPerOfficerCLI(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	var b strings.Builder
	b.WriteString("案号,立案日期,结案日期,结案方式,承办人,承办部门\n")
	for i := 1; i <= 12; i++ {
		officer := "李甲"
		if i%3 == 0 {
			officer = "王乙"
		}
		fmt.Fprintf(&b, "（2026）鲁0102执%d号,2026-01-05,2026-02-%02d,执行完毕,%s,执行一庭\n", i, i, officer)
	}
	file := filepath.Join(t.TempDir(), "closed.csv")
	os.WriteFile(file, []byte(b.String()), 0o600)
	if code, out, errs := cli(t, "", "import", "cases", "--db", dsn, file); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.UseKeys(testdb.Sealer(t))
	lead := testdb.AddUser(t, db, "clio.lead", "鲁01", "执行局", domain.RoleBureau)
	grp := testdb.AddUser(t, db, "clio.grp", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	sup := testdb.AddUser(t, db, "clio.sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	id, err := db.CreateInspection(ctx, domain.ViewerFor(lead, ""), store.InspectionInput{
		Campaign: inspection.Campaign{Kind: inspection.KindCaseReview, Theme: inspection.ThemeDiscipline, Title: "按承办人评查",
			From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-03-31"), Plan: "方案"},
		Courts: []string{"鲁0102"}, MemberIDs: []int64{lead.ID, grp.ID, sup.ID}, LeaderID: lead.ID,
		PerCourt: 5, PerOfficer: 2, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	cid := strconv.FormatInt(id, 10)
	code, out, errs := cli(t, "", "inspections", "draw", "--db", dsn, cid, "--json")
	var got struct {
		Strata []store.InspectionDraw `json:"strata"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Strata) != 2 {
		t.Fatalf("draw: %d %q %s", code, out, errs)
	}
	pops := map[string]int{}
	for _, s := range got.Strata {
		if s.Size != 2 || len(s.Selected) != 2 || s.OfficerKey != "name:"+s.Officer {
			t.Fatalf("stratum %+v", s)
		}
		pops[s.Officer] = len(s.Population)
	}
	if pops["李甲"] != 8 || pops["王乙"] != 4 {
		t.Fatalf("populations %v", pops)
	}
	if code, out, _ := cli(t, "", "inspections", "draw", "--db", dsn, cid); code != 0 || !strings.Contains(out, "鲁0102/name:王乙") {
		t.Fatalf("the text record names no officer stratum: %s", out)
	}
	if code, out, errs := cli(t, "", "inspections", "verify", "--db", dsn, cid); code != 0 || !strings.Contains(out, "2 strata") {
		t.Fatalf("verify: %d %s %s", code, out, errs)
	}
	// Swap a drawn case of 王乙 for one of his the rule did not draw.
	s := got.Strata[0]
	if s.Officer != "王乙" {
		s = got.Strata[1]
	}
	var outside string
	for _, no := range s.Population {
		if !slices.Contains(s.Selected, no) {
			outside = no
			break
		}
	}
	driver, q := "sqlite", "UPDATE inspection_targets SET case_no = ? WHERE case_no = ?"
	if store.IsPostgres(dsn) {
		driver, q = "pgx", "UPDATE inspection_targets SET case_no = $1 WHERE case_no = $2"
	}
	raw, _ := sql.Open(driver, dsn)
	defer raw.Close()
	if _, err := raw.Exec(q, outside, s.Selected[0]); err != nil {
		t.Fatal(err)
	}
	code, _, errs = cli(t, "", "inspections", "verify", "--db", dsn, cid)
	if code == 0 || !strings.Contains(errs, "does NOT verify") || !strings.Contains(errs, "鲁0102/name:王乙") || strings.Contains(errs, "李甲") {
		t.Fatalf("verify after tampering: %d %s", code, errs)
	}
}

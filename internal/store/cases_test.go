package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func testCase(t *testing.T, number string, filed string) *domain.Case {
	t.Helper()
	no, err := domain.ParseCaseNo(number, domain.DefaultCaseTypes)
	if err != nil {
		t.Fatal(err)
	}
	return &domain.Case{No: no, FiledOn: domain.MustDate(filed), Officer: "测试officer", Department: "执行一庭", Amount: 1234567,
		HasProperty: true, PropertyKnown: true,
		Parties: []domain.Party{
			{Role: domain.Applicant, Name: "张三", Phone: "13812345678"},
			{Role: domain.Respondent, Name: "某某公司", Org: true, Phone: "13987654321"},
		}}
}

func upsert(t *testing.T, db *store.DB, v domain.Viewer, cases ...*domain.Case) store.Counts {
	t.Helper()
	var n store.Counts
	err := db.Update(ctx, v, func(tx *store.Tx) error {
		res, err := tx.UpsertCases(ctx, cases, nil)
		n.Add(res)
		for i, r := range res {
			if r.Err != nil {
				t.Logf("case %d rejected: %v", i, r.Err)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUpsertCasesIdempotent(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	a := testCase(t, "(2024)鲁0102执1号", "2024-03-01")
	b := testCase(t, "（２０２４）鲁0102执恢 2号", "2024-03-02")
	bad := testCase(t, "（2024）鲁9999执3号", "2024-03-03")
	if n := upsert(t, db, sys, a, b, bad); n != (store.Counts{Added: 2, Rejected: 1}) {
		t.Fatalf("first import %+v", n)
	}
	// The same data again changes nothing.
	a, b = testCase(t, "(2024)鲁0102执1号", "2024-03-01"), testCase(t, "（2024）鲁0102执恢2号", "2024-03-02")
	if n := upsert(t, db, sys, a, b); n != (store.Counts{Unchanged: 2}) {
		t.Fatalf("second import %+v", n)
	}
	// A later file closes a case and changes a phone.
	a.ClosedOn, a.ClosingMode = domain.MustDate("2024-08-01"), "执行完毕"
	a.Parties[0].Phone = "13700000000"
	if n := upsert(t, db, sys, a, b); n != (store.Counts{Updated: 1, Unchanged: 1}) {
		t.Fatalf("third import %+v", n)
	}
	k, err := db.CaseByNumber(ctx, sys, "（2024）鲁0102执1号")
	if err != nil {
		t.Fatal(err)
	}
	if !k.Closed() || k.ClosingMode != "执行完毕" || len(k.Parties) != 2 || k.Parties[0].PhoneMasked != "137****0000" {
		t.Fatalf("case after update: %+v", k)
	}
	if k.DueOn.String() != "2024-09-02" { // 2024-03-01 + 6 months = 09-01, a Sunday: next working day
		t.Errorf("due %s", k.DueOn)
	}
	// The database alone does not reveal a phone number.
	var sealed string
	db.WriteDB().QueryRowContext(ctx, "SELECT phone_sealed FROM parties WHERE name = '张三'").Scan(&sealed)
	if sealed == "" || strings.Contains(sealed, "13700000000") || strings.Contains(sealed, "0000") && !strings.HasPrefix(sealed, "sm4gcm:") {
		t.Fatalf("stored phone %q", sealed)
	}
	var plain int
	db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM parties WHERE phone_sealed LIKE '%1370%' OR phone_index LIKE '%1370%'").Scan(&plain)
	if plain != 0 {
		t.Fatal("a phone number is stored in the clear")
	}
}

func TestCaseScope(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	officer := testdb.AddUser(t, db, "o1", "鲁0102", "执行一庭", domain.RoleOfficer)
	other := testdb.AddUser(t, db, "o2", "鲁0102", "执行二庭", domain.RoleOfficer)
	head := testdb.AddUser(t, db, "h1", "鲁0102", "执行一庭", domain.RoleDeptHead)
	cmd := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	jnWatch := testdb.AddUser(t, db, "jnw", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	jnCmd := testdb.AddUser(t, db, "jncc", "鲁01", "执行指挥中心", domain.RoleCommandCenter)
	qdBureau := testdb.AddUser(t, db, "qdb", "鲁02", "执行局", domain.RoleBureau)
	admin := testdb.AddUser(t, db, "adm", "鲁", "信息技术处", domain.RoleAdmin)

	mine := testCase(t, "（2024）鲁0102执1号", "2024-01-01")
	mine.Officer = officer.Name
	theirs := testCase(t, "（2024）鲁0102执2号", "2024-01-02")
	theirs.Officer, theirs.Department = other.Name, "执行二庭"
	jn := testCase(t, "（2024）鲁01执3号", "2024-01-03")
	qd := testCase(t, "（2024）鲁0202执4号", "2024-01-04")
	upsert(t, db, sys, mine, theirs, jn, qd)

	sees := func(u *domain.User) string {
		page, err := db.Cases(ctx, domain.ViewerFor(u, ""), store.CaseFilter{Sort: "number"})
		if err != nil {
			return err.Error()
		}
		var ns []string
		for _, k := range page.Cases {
			ns = append(ns, fmt.Sprint(k.No.Serial))
		}
		return strings.Join(ns, ",")
	}
	tests := []struct {
		u    *domain.User
		want string
	}{
		{officer, "1"}, {other, "2"}, {head, "1"}, {cmd, "1,2"}, {jnWatch, "1,2,3"}, {jnCmd, "3"}, {qdBureau, "4"},
	}
	for _, tt := range tests {
		if got := sees(tt.u); got != tt.want {
			t.Errorf("%s sees %q, want %q", tt.u.Username, got, tt.want)
		}
	}
	if _, err := db.Cases(ctx, domain.ViewerFor(admin, ""), store.CaseFilter{}); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("administrator reads cases: %v", err)
	}
	if _, err := db.CaseByNumber(ctx, domain.ViewerFor(officer, ""), theirs.Number); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("officer opens a colleague's case: %v", err)
	}
	// Writing follows scope too: a Qingdao bureau cannot import Jinan cases.
	n := upsert(t, db, domain.ViewerFor(qdBureau, ""), testCase(t, "（2024）鲁0102执9号", "2024-02-01"), testCase(t, "（2024）鲁0202执9号", "2024-02-01"))
	if n != (store.Counts{Added: 1, Rejected: 1}) {
		t.Errorf("Qingdao bureau import: %+v", n)
	}
}

func TestRevealPhoneIsAudited(t *testing.T) {
	db := testdb.Open(t)
	cmd := testdb.AddUser(t, db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	officer := testdb.AddUser(t, db, "o1", "鲁0102", "执行一庭", domain.RoleOfficer)
	k := testCase(t, "（2024）鲁0102执1号", "2024-01-01")
	k.Officer = officer.Name
	upsert(t, db, domain.SystemViewer("t"), k)
	got, err := db.CaseByNumber(ctx, domain.ViewerFor(cmd, ""), k.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Parties[0].Phone != "" || got.Parties[0].PhoneMasked != "138****5678" {
		t.Fatalf("case view carries %q / %q", got.Parties[0].Phone, got.Parties[0].PhoneMasked)
	}
	if _, err := db.RevealPhone(ctx, domain.ViewerFor(officer, ""), got.Parties[0].ID); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("officer reveals a phone: %v", err)
	}
	phone, err := db.RevealPhone(ctx, domain.ViewerFor(cmd, "10.0.0.9"), got.Parties[0].ID)
	if err != nil || phone != "13812345678" {
		t.Fatalf("reveal: %q %v", phone, err)
	}
	recs, _ := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "phone.view"})
	if len(recs) != 1 || recs[0].ActorID != cmd.ID || recs[0].RemoteAddr != "10.0.0.9" || !strings.Contains(recs[0].Detail, k.Number) {
		t.Fatalf("phone view audit: %+v", recs)
	}
}

func TestPauseLedgerMovesDueDate(t *testing.T) {
	db := testdb.Open(t)
	bureau := testdb.AddUser(t, db, "bu", "鲁0102", "执行局", domain.RoleBureau)
	officer := testdb.AddUser(t, db, "of", "鲁0102", "执行一庭", domain.RoleOfficer)
	k := testCase(t, "（2025）鲁0102执1号", "2025-03-03")
	upsert(t, db, domain.SystemViewer("t"), k)
	got, _ := db.CaseByNumber(ctx, domain.SystemViewer("t"), k.Number)
	if got.DueOn.String() != "2025-09-03" {
		t.Fatalf("due %s, want 2025-09-03", got.DueOn)
	}
	v := domain.ViewerFor(bureau, "")
	err := db.Update(ctx, v, func(tx *store.Tx) error {
		return tx.AddPause(ctx, got.ID, deadline.Pause{Kind: "审计、评估", Basis: "评估委托书", Start: domain.MustDate("2025-04-01"), End: domain.MustDate("2025-04-10")})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = db.CaseByNumber(ctx, domain.SystemViewer("t"), k.Number)
	if got.DueOn.String() != "2025-09-15" { // ten days later is 09-13, a Saturday
		t.Fatalf("due after pause %s", got.DueOn)
	}
	err = db.Update(ctx, v, func(tx *store.Tx) error {
		return tx.AddExtension(ctx, got.ID, deadline.Extension{Amount: 3, Unit: deadline.CalendarMonths, ApprovedOn: domain.MustDate("2025-08-20"), Basis: "院长批准"})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = db.CaseByNumber(ctx, domain.SystemViewer("t"), k.Number)
	if !got.DueOn.After(domain.MustDate("2025-12-01")) {
		t.Fatalf("due after extension %s", got.DueOn)
	}
	// An open pause stops the clock.
	err = db.Update(ctx, v, func(tx *store.Tx) error {
		return tx.AddPause(ctx, got.ID, deadline.Pause{Kind: "中止执行", Basis: "中止裁定", Start: domain.MustDate("2025-10-01")})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = db.CaseByNumber(ctx, domain.SystemViewer("t"), k.Number)
	if !got.ClockStopped || !got.DueOn.IsZero() {
		t.Fatalf("open pause: stopped=%v due=%s", got.ClockStopped, got.DueOn)
	}
	// The case page reads the case and its ledger in one call, in scope.
	wk, wl, err := db.CaseWithLedger(ctx, v, got.ID)
	if err != nil || wk.Number != k.Number || len(wk.Parties) == 0 || len(wl.Pauses) != 2 || len(wl.Extensions) != 1 {
		t.Fatalf("CaseWithLedger: %+v %+v %v", wk, wl, err)
	}
	if _, _, err := db.CaseWithLedger(ctx, domain.Viewer{UserID: 999, CourtPath: "/鲁/鲁02/", Roles: []domain.Role{domain.RoleBureau}}, got.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("CaseWithLedger out of scope: %v", err)
	}
	// Only the bureau or the command centre keeps the ledger, with a basis.
	err = db.Update(ctx, domain.ViewerFor(officer, ""), func(tx *store.Tx) error {
		return tx.AddPause(ctx, got.ID, deadline.Pause{Kind: "暂缓执行", Basis: "x", Start: domain.MustDate("2025-05-01")})
	})
	if !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("officer edits the ledger: %v", err)
	}
	err = db.Update(ctx, v, func(tx *store.Tx) error {
		return tx.AddPause(ctx, got.ID, deadline.Pause{Kind: "暂缓执行", Start: domain.MustDate("2025-05-01")})
	})
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("pause without basis: %v", err)
	}
	// A closed case's ledger is final: the page offers no form, and the
	// store refuses (issue 12: one rule, domain.Viewer.CanEditLedger).
	if _, err := db.WriteDB().ExecContext(ctx, fmt.Sprintf("UPDATE cases SET closed_on = '2025-12-01' WHERE id = %d", got.ID)); err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, v, func(tx *store.Tx) error {
		return tx.AddPause(ctx, got.ID, deadline.Pause{Kind: "暂缓执行", Basis: "x", Start: domain.MustDate("2025-05-01")})
	})
	if !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("pause on a closed case: %v", err)
	}
	recs, _ := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Limit: 100})
	var actions []string
	for _, r := range recs {
		actions = append(actions, r.Action)
	}
	if !strings.Contains(strings.Join(actions, ","), "case.pause") || !strings.Contains(strings.Join(actions, ","), "case.extend") {
		t.Fatalf("ledger changes not audited: %v", actions)
	}
}

func TestCaseListPaginationAndSearch(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	var batch []*domain.Case
	for i := 1; i <= 130; i++ {
		k := testCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28))
		k.Amount = int64(i) * 100
		k.Petition = i%10 == 0
		if i%3 == 0 {
			k.ClosedOn = k.FiledOn.AddDays(30)
		}
		k.Parties[0].Name = fmt.Sprintf("申请人%d", i)
		batch = append(batch, k)
	}
	upsert(t, db, sys, batch...)
	seen := map[int64]bool{}
	f := store.CaseFilter{Sort: "amount", Desc: true, Limit: 50}
	var prev int64 = 1 << 62
	pages := 0
	for {
		p, err := db.Cases(ctx, sys, f)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if p.Total != 130 {
			t.Fatalf("total %d", p.Total)
		}
		for _, k := range p.Cases {
			if seen[k.ID] || k.Amount > prev {
				t.Fatalf("page %d: case %d repeated or out of order", pages, k.ID)
			}
			seen[k.ID], prev = true, k.Amount
		}
		if p.Next == "" {
			break
		}
		f.After = p.Next
	}
	if len(seen) != 130 || pages != 3 {
		t.Fatalf("%d cases in %d pages", len(seen), pages)
	}
	count := func(f store.CaseFilter) int {
		p, err := db.Cases(ctx, sys, f)
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}
	for _, tt := range []struct {
		f    store.CaseFilter
		want int
	}{
		{store.CaseFilter{Query: "(2024)鲁0102执７号"}, 1},
		{store.CaseFilter{Query: "申请人12"}, 1 + 10}, // 申请人12 and 申请人120…129
		{store.CaseFilter{Query: "测试officer"}, 130},
		{store.CaseFilter{Status: "closed"}, 43},
		{store.CaseFilter{Status: "open", Flags: []string{"petition"}}, 9},
		{store.CaseFilter{Court: "鲁0103"}, 0},
		{store.CaseFilter{Overdue: true, Today: domain.MustDate("2026-01-01")}, 87},
		{store.CaseFilter{Overdue: true, Today: domain.MustDate("2024-01-01")}, 0},
	} {
		if got := count(tt.f); got != tt.want {
			t.Errorf("filter %+v: %d cases, want %d", tt.f, got, tt.want)
		}
	}
}

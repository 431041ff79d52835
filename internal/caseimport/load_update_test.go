package caseimport_test

import (
	"testing"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// A whole file imported again with changed rows updates those cases as a
// first import of the changed file would have stored them (the set-based
// update through a staging table on PostgreSQL, statement by statement on
// SQLite): fields, due date, parties replaced with their phones, officers
// recorded; unchanged rows stay unchanged, and each batch is audited once.
func TestReimportChangedRowsLikeAFreshImport(t *testing.T) {
	changedRows := `（2024）鲁0102执1号,2024-04-11,李强,执行二庭,"99.5",有,,,王芳、郑和,138 1234 5678、13911112222,某某公司,,是,
(2024)鲁0102执2号,2024/3/2,李强,执行二庭,1.2万,无,2024年8月1日,执行完毕,赵敏、钱进,13900000001、13900000002,孙丽,+86 13700000003,是,济南市中级人民法院
（２０２４）鲁0102执恢３号,45352,张伟,执行一庭,800,,2024-12-01,终结执行,周杰,,吴刚,,,
`
	v := domain.SystemViewer("t")
	// Case 1 has a pause in its ledger: its new due date counts it.
	pause := deadline.Pause{Kind: "审计、评估", Basis: "评估委托书", Start: domain.MustDate("2024-05-01"), End: domain.MustDate("2024-05-31")}
	addPause := func(d *store.DB) {
		k, err := d.CaseByNumber(ctx, v, "（2024）鲁0102执1号")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Update(ctx, v, func(tx *store.Tx) error { return tx.AddPause(ctx, k.ID, pause) }); err != nil {
			t.Fatal(err)
		}
	}
	db := testdb.Open(t)
	if _, err := load(t, db, []byte(header+goodRows)); err != nil {
		t.Fatal(err)
	}
	addPause(db)
	audits := func(d *store.DB) int {
		var n int
		if err := d.WriteDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.import'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := audits(db)
	res, err := load(t, db, []byte(header+changedRows))
	if err != nil || res.Counts != (store.Counts{Updated: 2, Unchanged: 1}) {
		t.Fatalf("changed load: %+v %v", res, err)
	}
	if got := audits(db); got != before+1 {
		t.Errorf("%d audit records for the changed load, want 1", got-before)
	}
	fresh := testdb.Open(t)
	if _, err := load(t, fresh, []byte(header+changedRows)); err != nil {
		t.Fatal(err)
	}
	unpaused, _ := fresh.CaseByNumber(ctx, v, "（2024）鲁0102执1号")
	addPause(fresh)
	for _, number := range []string{"（2024）鲁0102执1号", "（2024）鲁0102执2号", "（2024）鲁0102执恢3号"} {
		got, err := db.CaseByNumber(ctx, v, number)
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.CaseByNumber(ctx, v, number)
		if err != nil {
			t.Fatal(err)
		}
		if got.FiledOn != want.FiledOn || got.Officer != want.Officer || got.Department != want.Department || got.Amount != want.Amount ||
			got.HasProperty != want.HasProperty || got.Petition != want.Petition || got.ClosedOn != want.ClosedOn || got.ClosingMode != want.ClosingMode ||
			got.DueOn != want.DueOn || got.ClockStopped != want.ClockStopped || len(got.Parties) != len(want.Parties) {
			t.Errorf("%s after the changed load:\n got %+v\nwant %+v", number, got, want)
			continue
		}
		for i := range got.Parties {
			g, w := got.Parties[i], want.Parties[i]
			if g.Role != w.Role || g.Name != w.Name || g.PhoneMasked != w.PhoneMasked {
				t.Errorf("%s party %d: got %+v, want %+v", number, i, g, w)
			}
		}
	}
	k, _ := db.CaseByNumber(ctx, v, "（2024）鲁0102执1号")
	if k.DueOn.IsZero() || k.DueOn == unpaused.DueOn {
		t.Errorf("case 1 due %s, the same as without its pause (%s)", k.DueOn, unpaused.DueOn)
	}
	if k.Amount != 9950 || len(k.Parties) != 3 || k.Parties[1].Name != "郑和" || k.Parties[1].PhoneMasked != "139****2222" {
		t.Fatalf("case 1 after the changed load: %+v", k)
	}
	// The same changed file again changes nothing.
	res, err = load(t, db, []byte(header+changedRows))
	if err != nil || res.Counts != (store.Counts{Unchanged: 3}) {
		t.Fatalf("changed file again: %+v %v", res, err)
	}
	if got := audits(db); got != before+1 {
		t.Errorf("%d audit records after loading the changed file twice, want 1", got-before)
	}
}

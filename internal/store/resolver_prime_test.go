package store_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestUpsertResolvesABatchAtOnce: a batch naming many courts, departments
// and officers resolves them as one by one — an account by name, the
// department deciding between two of the same name, an unknown court
// refused, a supervising court by its name — in a few statements, not
// one per court, department and officer name.
func TestUpsertResolvesABatchAtOnce(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	one := addNamed(t, db, "jia", "甲某", "执行一庭")
	addNamed(t, db, "same1", "同名", "执行一庭")
	same2 := addNamed(t, db, "same2", "同名", "执行二庭")

	var cases []*domain.Case
	for i := range 40 {
		court := []string{"鲁0102", "鲁0103"}[i%2]
		k := testCase(t, fmt.Sprintf("（2026）%s执%d号", court, i+1), "2026-01-05")
		k.Officer, k.Department = fmt.Sprintf("承办%d", i), []string{"执行一庭", "执行二庭"}[i%2]
		cases = append(cases, k)
	}
	cases[0].Officer = "甲某"
	cases[2].Officer, cases[2].Department = "同名", "执行二庭"
	cases[4].SupervisedBy = "济南市中级人民法院"
	bad := testCase(t, "（2026）鲁0999执1号", "2026-01-05")
	cases = append(cases, bad)

	var reads atomic.Int64
	db.BenchTrace(func(string, []any) { reads.Add(1) })
	var res []store.CaseResult
	err := db.UpdateBulk(ctx, sys, func(tx *store.Tx) error {
		var err error
		res, err = tx.UpsertCases(ctx, cases, nil)
		return err
	})
	db.BenchTrace(nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res[:40] {
		if r.Outcome != store.CaseAdded {
			t.Fatalf("case %d: %+v", i, r)
		}
	}
	if r := res[40]; r.Outcome != store.CaseRejected || !strings.Contains(domain.UserMessage(r.Err), "鲁0999") {
		t.Errorf("a case of an unknown court: %+v", r)
	}
	for i, want := range map[int]int64{0: one.ID, 2: same2.ID, 1: 0, 4: 0} {
		k, err := db.CaseByNumber(ctx, sys, cases[i].Number)
		if err != nil {
			t.Fatal(err)
		}
		if k.OfficerID != want {
			t.Errorf("%s (%s, %s): officer %d, want %d", k.Number, k.Officer, k.Department, k.OfficerID, want)
		}
		if i == 4 && k.SupervisedBy != "鲁01" {
			t.Errorf("%s supervised by %q, want 鲁01", k.Number, k.SupervisedBy)
		}
	}
	// 2 courts, 2 departments and 40 officer names: resolved one by one,
	// more than 80 look-ups.
	if n := reads.Load(); n > 12 {
		t.Errorf("the batch took %d reading statements", n)
	}
}

package store_test

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// TestVisitStatsPageAsksOnce: the statistics page's counts, for the
// province's watchdog, are those of VisitStats by the grouping and by
// month and of DissatisfactionCounts, asked separately; and they ask
// once, not once per count, whether the viewer sees every court and
// whether he has handled a case. He has not, so the answers are not
// filtered by the officers' subquery either.
func TestVisitStatsPageAsksOnce(t *testing.T) {
	db := testdb.Open(t)
	k := testCase(t, "（2026）鲁0102执1号", "2026-03-01")
	k.ClosedOn = domain.MustDate("2026-10-10")
	k.ClosingMode = "执行完毕"
	upsert(t, db, domain.SystemViewer("t"), k)
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DefaultDrawRule()); err != nil {
		t.Fatal(err)
	}
	watch := domain.ViewerFor(testdb.AddUser(t, db, "prov", "鲁", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	f := store.StatsFilter{From: "2000-01", To: "2100-12", By: "court"}

	var mu sync.Mutex
	var qs []string
	db.BenchTrace(func(q string, _ []any) {
		mu.Lock()
		qs = append(qs, q)
		mu.Unlock()
	})
	got, err := db.VisitStatsPage(ctx, watch, f)
	db.BenchTrace(nil)
	if err != nil {
		t.Fatal(err)
	}
	asked := map[string]int{}
	for _, q := range qs {
		for _, s := range []string{"FROM courts WHERE path NOT LIKE", "FROM case_officers WHERE user_id", "co.user_id"} {
			if strings.Contains(q, s) {
				asked[s]++
			}
		}
	}
	if asked["FROM courts WHERE path NOT LIKE"] != 1 || asked["FROM case_officers WHERE user_id"] != 1 || asked["co.user_id"] != 0 {
		t.Errorf("asked %v:\n%s", asked, strings.Join(qs, "\n"))
	}

	rows, err := db.VisitStats(ctx, watch, f)
	if err != nil {
		t.Fatal(err)
	}
	byMonth := f
	byMonth.By = "month"
	trend, err := db.VisitStats(ctx, watch, byMonth)
	if err != nil {
		t.Fatal(err)
	}
	cats, items, err := db.DissatisfactionCounts(ctx, watch, f)
	if err != nil {
		t.Fatal(err)
	}
	want := store.StatsCounts{Rows: rows, Trend: trend, Categories: cats, Items: items}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("page counts %+v, apart %+v", got, want)
	}
	if len(rows) != 1 || rows[0].Visits != 2 || len(trend) != 1 || trend[0].Visits != 2 {
		t.Errorf("rows %+v, trend %+v", rows, trend)
	}
}

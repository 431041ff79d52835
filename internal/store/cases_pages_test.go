package store_test

import (
	"fmt"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// The web list pages cases by number (offset), the API by cursor: both
// over the same filters and orders.
func TestCasePagesByNumber(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	var batch []*domain.Case
	for i := 1; i <= 130; i++ {
		k := testCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28))
		k.Amount = int64(i) * 100
		if i%3 == 0 {
			k.ClosedOn = k.FiledOn.AddDays(30)
		}
		batch = append(batch, k)
	}
	upsert(t, db, sys, batch...)

	p, err := db.Cases(ctx, sys, store.CaseFilter{Sort: "amount", Desc: true, Page: 2, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if p.Info.Total != 130 || p.Info.Pages != 3 || p.Info.Page != 2 || p.Info.Sort != "amount" || !p.Info.Desc || p.Info.Capped {
		t.Fatalf("page 2: %+v", p.Info)
	}
	if len(p.Cases) != 50 || p.Cases[0].Amount != 8000 || p.Cases[49].Amount != 3100 {
		t.Fatalf("page 2 holds %d cases from %d to %d", len(p.Cases), p.Cases[0].Amount, p.Cases[len(p.Cases)-1].Amount)
	}
	// The cursor of page 1 reads what page 2 by number reads.
	first, err := db.Cases(ctx, sys, store.CaseFilter{Sort: "amount", Desc: true, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.Cases(ctx, sys, store.CaseFilter{Sort: "amount", Desc: true, Limit: 50, After: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	for i := range second.Cases {
		if second.Cases[i].ID != p.Cases[i].ID {
			t.Fatalf("row %d: cursor %s, page %s", i, second.Cases[i].Number, p.Cases[i].Number)
		}
	}
	// A page past the last is the last; the filters narrow the count.
	p, err = db.Cases(ctx, sys, store.CaseFilter{Status: "closed", Sort: "number", Page: 9, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if p.Info.Total != 43 || p.Info.Page != 3 || len(p.Cases) != 3 || p.Info.Sort != "number" || p.Info.Desc {
		t.Fatalf("last closed page: %+v, %d cases", p.Info, len(p.Cases))
	}
	// The default order is the newest filing first.
	p, err = db.Cases(ctx, sys, store.CaseFilter{Page: 1, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if p.Info.Sort != "filed" || !p.Info.Desc || p.Cases[0].FiledOn.String() < p.Cases[19].FiledOn.String() {
		t.Fatalf("default order: %+v", p.Info)
	}
}

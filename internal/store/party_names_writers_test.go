package store_test

import (
	"fmt"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestNameSearchFindsEveryWriter (issue 19): a party is found by a part
// of its name whichever way it was written — a case added or changed by
// an ordinary transaction (a case's edit, the demo, an import on
// SQLite), and by an import's batch on PostgreSQL (COPY of new cases,
// the staged update of changed ones). The name search reads the
// distinct names (party_names, migrations 00065 and 00066), which
// triggers on parties keep on both engines. A name changed in place by
// an UPDATE is found too.
func TestNameSearchFindsEveryWriter(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("test")
	write := func(bulk bool, ks ...*domain.Case) {
		t.Helper()
		update := db.Update
		if bulk {
			update = db.UpdateBulk
		}
		err := update(ctx, sys, func(tx *store.Tx) error {
			res, err := tx.UpsertCases(ctx, ks, nil)
			for _, r := range res {
				if r.Err != nil {
					t.Errorf("case rejected: %v", r.Err)
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	finds := func(path, name string, k *domain.Case) {
		t.Helper()
		part := string([]rune(name)[1:5])
		p, err := db.Cases(ctx, sys, store.CaseFilter{Query: part, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 1 || len(p.Cases) != 1 || p.Cases[0].Number != k.Number {
			t.Errorf("%s: the case list for %q found %d cases, want %s", path, part, p.Total, k.Number)
		}
		res, err := db.Search(ctx, sys, part, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Parties) != 1 || res.Parties[0].Name != name || res.Parties[0].CaseNumber != k.Number {
			t.Errorf("%s: the global search for %q found %+v, want %s of %s", path, part, res.Parties, name, k.Number)
		}
	}
	serial := 0
	newCase := func(name string) *domain.Case {
		serial++
		k := testCase(t, fmt.Sprintf("（2026）鲁0102执%d号", serial), "2026-01-05")
		k.Parties[1].Name = name
		return k
	}
	for _, bulk := range []bool{false, true} {
		how := map[bool]string{false: "a transaction", true: "an import's batch"}[bulk]
		added := newCase(fmt.Sprintf("甲乙丙丁%d商贸有限公司", serial))
		write(bulk, added)
		finds(how+" adding a case", added.Parties[1].Name, added)

		changed := newCase(fmt.Sprintf("戊己庚辛%d建材有限公司", serial))
		write(bulk, changed)
		edit := *changed
		edit.Parties = append([]domain.Party(nil), changed.Parties...)
		edit.Parties[1].Name = fmt.Sprintf("壬癸子丑%d物流有限公司", serial)
		write(bulk, &edit)
		finds(how+" changing a case", edit.Parties[1].Name, &edit)
		if p, err := db.Cases(ctx, sys, store.CaseFilter{Query: string([]rune(changed.Parties[1].Name)[1:5]), Limit: 20}); err != nil || p.Total != 0 {
			t.Errorf("%s: the replaced name still finds %+v, %v", how, p, err)
		}
	}
	k := newCase("寅卯辰巳律师事务所")
	write(false, k)
	renamed := "午未申酉会计师事务所"
	update := "UPDATE parties SET name = ? WHERE name = ?"
	if db.Engine == store.Postgres {
		update = "UPDATE parties SET name = $1 WHERE name = $2"
	}
	if _, err := db.WriteDB().ExecContext(ctx, update, renamed, k.Parties[1].Name); err != nil {
		t.Fatal(err)
	}
	finds("an UPDATE of the name", renamed, k)
}

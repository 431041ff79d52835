package caseimport_test

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestLoadLargeStatementsKeepEveryRow: a batch's cases and parties go in
// by multi-row INSERTs of thousands of rows, the full-size ones kept
// prepared from batch to batch (store.PrepareBulk), the case ids given
// before the INSERT. Every case of the file is stored with its own
// parties in order, under ids in file order, every name is in the
// trigram index, and loading the file again changes nothing.
func TestLoadLargeStatementsKeepEveryRow(t *testing.T) {
	const rows = 7000 // more than a batch: two batches, each of several statements of parties
	data := synthCSV(t, rows)
	db := testdb.Open(t)
	res, err := load(t, db, data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.Added != rows || res.ErrorCount != 0 {
		t.Fatalf("added %+v with %d errors, want %d", res.Counts, res.ErrorCount, rows)
	}

	// What the file says, read on its own.
	s, err := importer.Open(bytes.NewReader(data), int64(len(data)), importer.Options{CaseTypes: domain.DefaultCaseTypes})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var numbers []string
	want := map[string]string{}
	for {
		r, err := s.NextRaw()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		c, errs := s.Build(r)
		if c == nil {
			t.Fatalf("row %d: %v", r.Row, errs)
		}
		var ps []string
		for _, p := range c.Parties {
			ps = append(ps, string(p.Role)+":"+p.Name)
		}
		numbers = append(numbers, c.No.String())
		want[c.No.String()] = c.FiledOn.String() + " " + strings.Join(ps, ",")
	}

	got := map[string]string{}
	var order []string
	q := `SELECT k.number, k.filed_on, COALESCE(p.role, ''), COALESCE(p.name, '') FROM cases k LEFT JOIN parties p ON p.case_id = k.id ORDER BY k.id, p.position`
	rs, err := db.WriteDB().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var num, role, name string
		var filed domain.Date
		if err := rs.Scan(&num, &filed, &role, &name); err != nil {
			t.Fatal(err)
		}
		if _, ok := got[num]; !ok {
			order = append(order, num)
			got[num] = filed.String() + " "
		} else {
			got[num] += ","
		}
		if role != "" {
			got[num] += role + ":" + name
		}
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	rs.Close()
	if !slices.Equal(order, numbers) {
		t.Errorf("cases in id order differ from the file's order (%d stored, %d in the file)", len(order), len(numbers))
	}
	for _, num := range numbers {
		if got[num] != want[num] {
			t.Fatalf("%s stored as %q, the file says %q", num, got[num], want[num])
		}
	}
	var lo, hi int64
	if err := db.WriteDB().QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM cases").Scan(&lo, &hi); err != nil {
		t.Fatal(err)
	}
	if hi-lo+1 != rows {
		t.Errorf("case ids run from %d to %d for %d cases", lo, hi, rows)
	}
	if db.Engine == store.SQLite {
		// Every party's name in the trigram index, no other.
		if _, err := db.WriteDB().ExecContext(ctx, "INSERT INTO party_names_fts (party_names_fts) VALUES ('integrity-check')"); err != nil {
			t.Fatalf("the trigram index does not match the parties: %v", err)
		}
	}

	again, err := load(t, db, data)
	if err != nil {
		t.Fatal(err)
	}
	if again.Counts.Unchanged != rows {
		t.Fatalf("loading the file again: %+v, want %d unchanged", again.Counts, rows)
	}
}

package caseimport_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
	"github.com/zhilian/zhilian/internal/testdb"
)

// BenchmarkSearch100k loads a 100,000-case synthetic province and measures
// the searches under parallel clients: the global search and the case
// list by a party's full name, by three characters from inside a name, by
// two characters, and by a case number written in part; as the provincial
// bureau (every case in scope) and as a basic court's command centre. Each
// reports p50/p95 in ms beside raw-ms, the matching rows' look-up run
// directly on the engine in the same run. Run with -benchtime 1x:
//
//	ZHILIAN_TEST_DB=sqlite go test -run '^$' -bench Search100k -benchtime 1x ./internal/caseimport/
func BenchmarkSearch100k(b *testing.B) { benchSearch(b, 100_000) }

// BenchmarkSearch1M is the same on 1,000,000 cases.
func BenchmarkSearch1M(b *testing.B) { benchSearch(b, 1_000_000) }

// searchClients concurrent clients run searchPerClient searches each.
const (
	searchClients   = 8
	searchPerClient = 25
)

func benchSearch(b *testing.B, rows int) {
	db := loadProvince(b, rows)
	ctx := context.Background()
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	raw := db.WriteDB()
	strs := func(q string, args ...any) []string {
		rs, err := raw.QueryContext(ctx, db.Rebind(q), args...)
		if err != nil {
			b.Fatal(err)
		}
		defer rs.Close()
		var out []string
		for rs.Next() {
			var s string
			if err := rs.Scan(&s); err != nil {
				b.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	// Sample the names that are there: people, organisations, three
	// characters from inside organisations' names, two from people's.
	// Names of three characters or more, and of two (张伟), are
	// measured apart: trigrams serve only the first.
	people := strs("SELECT name FROM parties WHERE NOT org AND id % 97 = 0 ORDER BY id LIMIT 120")
	orgs := strs("SELECT name FROM parties WHERE org AND id % 89 = 0 ORDER BY id LIMIT 40")
	var people3, people2, inner3, two []string
	for _, n := range orgs {
		if r := []rune(n); len(r) >= 6 {
			inner3 = append(inner3, string(r[2:5]))
		}
	}
	for _, n := range people {
		switch r := []rune(n); {
		case len(r) >= 3 && len(people3) < 40:
			people3 = append(people3, n)
			two = append(two, string(r[len(r)-2:]))
		case len(r) == 2 && len(people2) < 40:
			people2 = append(people2, n)
		}
	}
	numbers := strs("SELECT number FROM cases WHERE id % 101 = 0 ORDER BY id LIMIT 40")
	var partial []string
	for _, n := range numbers {
		k, err := domain.ParseCaseNo(n, domain.DefaultCaseTypes)
		if err != nil {
			b.Fatal(err)
		}
		partial = append(partial, k.Type+strconv.Itoa(k.Serial)+"号")
	}
	if len(people3) == 0 || len(people2) == 0 || len(inner3) == 0 || len(two) == 0 || len(partial) == 0 {
		b.Fatalf("samples: %d+%d people, %d inner, %d two, %d numbers", len(people3), len(people2), len(inner3), len(two), len(partial))
	}
	var ccPath string
	var ccID int64
	if err := raw.QueryRowContext(ctx, db.Rebind("SELECT path, id FROM courts WHERE code = ?"), "鲁0102").Scan(&ccPath, &ccID); err != nil {
		b.Fatal(err)
	}
	viewers := []struct {
		name string
		v    domain.Viewer
	}{
		{"bureau", domain.Viewer{UserID: 1, CourtPath: "/鲁/", Roles: []domain.Role{domain.RoleBureau}}},
		{"command", domain.Viewer{UserID: 1, CourtID: ccID, CourtPath: ccPath, Roles: []domain.Role{domain.RoleCommandCenter}}},
	}
	rawName := func(q string) {
		strs("SELECT CAST(case_id AS TEXT) FROM parties WHERE name = ? LIMIT 21", q)
	}
	rawNumber := func(q string) {
		k, _ := domain.ParseCaseNoQuery(q, domain.DefaultCaseTypes)
		strs("SELECT CAST(id AS TEXT) FROM cases WHERE serial = ? AND type = ? LIMIT 21", k.Serial, k.Type)
	}
	for _, vw := range viewers {
		v := vw.v
		global := func(q string) error { _, err := db.Search(ctx, v, q, nil); return err }
		list := func(q string) error {
			_, err := db.Cases(ctx, v, store.CaseFilter{Query: q})
			return err
		}
		for _, sc := range []struct {
			name    string
			samples []string
			run     func(string) error
			raw     func(string)
			walks   bool // the global search reads through the parties in scope
		}{
			{"global-name", people3, global, rawName, false},
			{"list-name", people3, list, rawName, false},
			{"global-name2", people2, global, rawName, true},
			{"list-name2", people2, list, rawName, false},
			{"global-inner3", inner3, global, nil, false},
			{"list-inner3", inner3, list, nil, false},
			{"global-two", two, global, nil, true},
			{"global-number", partial, global, rawNumber, false},
			{"list-number", partial, list, rawNumber, false},
		} {
			if sc.walks && rows > 100_000 {
				// One or two characters, which no trigram serves, walk
				// the parties in scope: minutes per run on a province,
				// measured at 100,000.
				continue
			}
			b.Run(vw.name+"/"+sc.name, func(b *testing.B) {
				for b.Loop() {
					p50, p95 := parallelLatencies(b, sc.samples, sc.run)
					b.ReportMetric(p50, "p50-ms")
					b.ReportMetric(p95, "p95-ms")
					if sc.raw != nil {
						started := time.Now()
						for _, q := range sc.samples {
							sc.raw(q)
						}
						b.ReportMetric(float64(time.Since(started).Microseconds())/1000/float64(len(sc.samples)), "raw-ms")
					}
				}
			})
		}
	}
}

// parallelLatencies runs searchClients clients, each searching
// searchPerClient of the samples in turn, and returns the p50 and p95 of
// the searches' latencies in ms.
func parallelLatencies(b *testing.B, samples []string, run func(string) error) (p50, p95 float64) {
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	for c := range searchClients {
		wg.Go(func() {
			var mine []time.Duration
			for i := range searchPerClient {
				q := samples[(c*searchPerClient+i)%len(samples)]
				started := time.Now()
				if err := run(q); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(started))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(all) == 0 {
		b.Fatal("no search ran")
	}
	slices.Sort(all)
	at := func(p float64) float64 {
		return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000
	}
	return at(0.50), at(0.95)
}

// loadProvince imports a synthetic province of rows cases into a fresh
// database of the test engine.
func loadProvince(b *testing.B, rows int) *store.DB {
	path := filepath.Join(b.TempDir(), "cases.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var courts []synth.Court
	for _, code := range []string{"鲁0102", "鲁0103", "鲁0104", "鲁0202", "鲁0203", "鲁0302", "鲁01", "鲁02"} {
		courts = append(courts, synth.Court{Code: code, Officers: []synth.Officer{{Name: "张伟", Department: "执行一庭"}, {Name: "李强", Department: "执行二庭"}}})
	}
	if err := synth.New(synth.Config{Seed: 1, Today: domain.MustDate("2026-11-01")}, courts).WriteCSV(w, rows); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	db := testdb.Open(b)
	in, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	res, err := caseimport.Load(b.Context(), db, domain.SystemViewer("bench"), in, st.Size(), importer.Options{CaseTypes: domain.DefaultCaseTypes}, nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	if res.Counts.Added < rows*99/100 {
		b.Fatalf("imported %+v of %d rows", res.Counts, rows)
	}
	return db
}

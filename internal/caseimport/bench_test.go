package caseimport_test

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
	"github.com/zhilian/zhilian/internal/testdb"
)

// BenchmarkLoad1M imports a 1,000,000-row synthetic province file into a
// fresh database of the test engine, in Load's default batches, and reports rows/s, the peak Go heap sampled
// while it runs and the process's peak RSS; then, in the same run, the
// raw engine's bulk load of the same rows (rawLoad) and the ratio of the
// two. Run with -benchtime 1x:
//
//	ZHILIAN_TEST_DB=sqlite go test -run '^$' -bench Load1M -benchtime 1x ./internal/caseimport/
func BenchmarkLoad1M(b *testing.B) { benchLoad(b, 1_000_000) }

// BenchmarkLoad100k is the same on 100,000 rows.
func BenchmarkLoad100k(b *testing.B) { benchLoad(b, 100_000) }

// BenchmarkLoad100kIndexesKept is BenchmarkLoad100k with every index
// kept up row by row, as a load into a database that has cases does: the
// other side of DeferIndexesFrom.
func BenchmarkLoad100kIndexesKept(b *testing.B) {
	defer func(n int) { caseimport.DeferIndexesFrom = n }(caseimport.DeferIndexesFrom)
	caseimport.DeferIndexesFrom = math.MaxInt
	benchLoad(b, 100_000)
}

// BenchmarkLoad10k is the same on 10,000 rows, quick enough for any run.
func BenchmarkLoad10k(b *testing.B) { benchLoad(b, 10_000) }

func benchLoad(b *testing.B, rows int) {
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
	w.Flush()
	f.Close()
	st, _ := os.Stat(path)
	for b.Loop() {
		b.StopTimer()
		db := testdb.Open(b)
		in, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		resetPeakRSS()
		var peak atomic.Uint64
		stop := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}()
		b.StartTimer()
		cpu0 := cpuTime()
		started := time.Now()
		res, err := caseimport.Load(b.Context(), db, domain.SystemViewer("bench"), in, st.Size(), importer.Options{CaseTypes: domain.DefaultCaseTypes}, nil, 0)
		elapsed := time.Since(started)
		cpu := cpuTime() - cpu0
		b.StopTimer()
		close(stop)
		in.Close()
		if err != nil {
			b.Fatal(err)
		}
		if res.Counts.Added+res.Counts.Rejected != rows || res.Counts.Added < rows*99/100 {
			b.Fatalf("imported %+v of %d rows", res.Counts, rows)
		}
		b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(st.Size())/(1<<20), "file-MiB")
		b.ReportMetric(peakRSS(), "peak-RSS-MiB")
		// The process's CPU time (user and system, every core) during the
		// import: steadier than elapsed time on a shared machine, though the
		// database server's work on PostgreSQL is not in it.
		b.ReportMetric(cpu.Seconds(), "import-cpu-s")
		// Segments of the SQLite trigram index after the import: 1 once
		// a first import merged it (store.RestoreIndexes).
		if n, err := db.TrigramSegments(b.Context()); err != nil {
			b.Fatal(err)
		} else if db.Engine == store.SQLite {
			b.ReportMetric(float64(n), "trigram-segments")
		}
		raw := rawLoad(b, db)
		b.ReportMetric(raw.Seconds(), "raw-s")
		b.ReportMetric(elapsed.Seconds(), "import-s")
		b.ReportMetric(elapsed.Seconds()/raw.Seconds(), "ratio-to-raw")
		listTimings(b, db)
		b.StartTimer()
	}
}

// listTimings reports how long the case list takes on the loaded database,
// as the provincial bureau sees it (every case in scope): the first page,
// a page deep into the list, a search by party, the overdue filter.
func listTimings(b *testing.B, db *store.DB) {
	v := domain.Viewer{UserID: 1, CourtPath: "/鲁/", Roles: []domain.Role{domain.RoleBureau}}
	first, err := db.Cases(b.Context(), v, store.CaseFilter{})
	if err != nil {
		b.Fatal(err)
	}
	deep := store.CaseFilter{}
	for range 20 { // page 21
		p, err := db.Cases(b.Context(), v, deep)
		if err != nil {
			b.Fatal(err)
		}
		deep.After = p.Next
	}
	name := first.Cases[0].Number
	k, err := db.CaseByNumber(b.Context(), v, name)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []struct {
		metric string
		f      store.CaseFilter
	}{
		{"list-first-ms", store.CaseFilter{}},
		{"list-page21-ms", deep},
		{"list-amount-ms", store.CaseFilter{Sort: "amount", Desc: true}},
		{"search-party-ms", store.CaseFilter{Query: k.Parties[0].Name}},
		{"search-number-ms", store.CaseFilter{Query: name}},
		{"overdue-court-ms", store.CaseFilter{Overdue: true, Court: "鲁0102", Today: domain.MustDate("2026-11-01")}},
	} {
		const n = 5
		started := time.Now()
		for range n {
			if _, err := db.Cases(b.Context(), v, q.f); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(started).Microseconds())/1000/n, q.metric)
	}
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

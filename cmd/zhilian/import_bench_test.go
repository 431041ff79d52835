package main

import (
	"bufio"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/synth"
	"github.com/zhilian/zhilian/internal/testdb"
)

// BenchmarkWritesBesideCLIImport measures what a live server's users wait
// for while `zhilian import cases` writes into the same SQLite file from a
// second process (issue 11, point 10): a sign-in (a session and an audit
// record written) every 50 ms for as long as the import runs, its p50,
// p95 and worst latency, with the import pausing between batches (the
// default) and without (--yield=false). Run alone:
//
//	ZHILIAN_TEST_DB=sqlite go test -run '^$' -bench WritesBesideCLIImport -benchtime 1x ./cmd/zhilian/
//
// ZHILIAN_BENCH_ROWS sets the file's rows (default 100,000).
func BenchmarkWritesBesideCLIImport(b *testing.B) {
	if testdb.Engine() != "sqlite" {
		b.Log("a second writing process matters on SQLite only; PostgreSQL has row locks")
		return
	}
	rows := 100_000
	if n, err := parseInt(os.Getenv("ZHILIAN_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	dir := b.TempDir()
	csv := filepath.Join(dir, "cases.csv")
	f, _ := os.Create(csv)
	w := bufio.NewWriterSize(f, 1<<20)
	courts := []synth.Court{{Code: "鲁0102", Officers: []synth.Officer{{Name: "张伟", Department: "执行一庭"}}},
		{Code: "鲁0103", Officers: []synth.Officer{{Name: "李强", Department: "执行一庭"}}}}
	if err := synth.New(synth.Config{Seed: 7, Today: domain.MustDate("2026-11-01")}, courts).WriteCSV(w, rows); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	f.Close()
	for _, mode := range []struct {
		name string
		args []string
	}{{"yield", nil}, {"no-yield", []string{"--yield=false"}}} {
		b.Run(mode.name, func(b *testing.B) {
			for b.Loop() {
				db := filepath.Join(b.TempDir(), "zhilian.db")
				env := append(os.Environ(), "ZHILIAN_RUN_MAIN=1", "ZHILIAN_KEY="+testdb.Key, "ZHILIAN_LOG_LEVEL=warn")
				mk := exec.Command(os.Args[0], "migrate", "--db", db)
				mk.Env = env
				if out, err := mk.CombinedOutput(); err != nil {
					b.Fatal(err, string(out))
				}
				add := exec.Command(os.Args[0], "users", "add", "--db", db, "--username", "bench", "--name", "压测", "--court", "鲁0102",
					"--department", "执行一庭", "--role", "officer", "--password-stdin")
				add.Env, add.Stdin = env, strings.NewReader("Load#check2026\n")
				if out, err := add.CombinedOutput(); err != nil {
					b.Fatal(err, string(out))
				}
				p := start(b, "serve", "--db", db, "--addr", "127.0.0.1:0")
				imp := exec.Command(os.Args[0], append(append([]string{"import", "cases", "--db", db}, mode.args...), csv)...)
				imp.Env = env
				if err := imp.Start(); err != nil {
					b.Fatal(err)
				}
				done := make(chan error, 1)
				began := time.Now()
				go func() { done <- imp.Wait() }()
				var lat []time.Duration
				client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
				form := url.Values{"username": {"bench"}, "password": {"Load#check2026"}}.Encode()
			loop:
				for {
					select {
					case err := <-done:
						if err != nil {
							b.Fatalf("import: %v", err)
						}
						break loop
					case <-time.After(50 * time.Millisecond):
					}
					req, _ := http.NewRequest("POST", p.url+"/login", strings.NewReader(form))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					t0 := time.Now()
					res, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					res.Body.Close()
					if res.StatusCode != http.StatusSeeOther {
						b.Fatalf("sign-in during the import: %d", res.StatusCode)
					}
					lat = append(lat, time.Since(t0))
				}
				took := time.Since(began)
				p.stop(b)
				slices.Sort(lat)
				q := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))].Microseconds()) / 1000 }
				b.ReportMetric(q(0.5), "p50-ms")
				b.ReportMetric(q(0.95), "p95-ms")
				b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
				b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
				b.ReportMetric(float64(len(lat)), "sign-ins")
			}
		})
	}
}

func parseInt(s string) (int, error) {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, os.ErrInvalid
		}
		n = n*10 + int(r-'0')
	}
	if s == "" {
		return 0, os.ErrInvalid
	}
	return n, nil
}

package caseimport_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
	"github.com/zhilian/zhilian/internal/testdb"
)

// BenchmarkReload100k imports a 100,000-row synthetic file, then a second
// file naming the same cases with only 案号 and a new 执行标的金额, and
// reports the second import: every case is merged with its stored form
// and updated (on PostgreSQL through the staging table, set-based).
//
//	ZHILIAN_TEST_DB=sqlite go test -run '^$' -bench Reload100k -benchtime 1x ./internal/caseimport/
func BenchmarkReload100k(b *testing.B) { benchReload(b, 100_000) }

// BenchmarkReload10k is the same on 10,000 rows.
func BenchmarkReload10k(b *testing.B) { benchReload(b, 10_000) }

func benchReload(b *testing.B, rows int) {
	dir := b.TempDir()
	var full bytes.Buffer
	var courts []synth.Court
	for _, code := range []string{"鲁0102", "鲁0103", "鲁0104", "鲁0202", "鲁0203", "鲁0302", "鲁01", "鲁02"} {
		courts = append(courts, synth.Court{Code: code, Officers: []synth.Officer{{Name: "张伟", Department: "执行一庭"}, {Name: "李强", Department: "执行二庭"}}})
	}
	if err := synth.New(synth.Config{Seed: 1, Today: domain.MustDate("2026-11-01")}, courts).WriteCSV(&full, rows); err != nil {
		b.Fatal(err)
	}
	// The second file: each case's number (the first cell; numbers have
	// no commas) and a new amount.
	var upd bytes.Buffer
	upd.WriteString("案号,执行标的金额\n")
	sc := bufio.NewScanner(bytes.NewReader(full.Bytes()))
	for first := true; sc.Scan(); first = false {
		line := sc.Bytes()
		if first {
			continue
		}
		if i := bytes.IndexByte(line, ','); i > 0 {
			upd.Write(line[:i])
			upd.WriteString(",1.23\n")
		}
	}
	write := func(name string, data []byte) (string, int64) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			b.Fatal(err)
		}
		return p, int64(len(data))
	}
	fullPath, fullSize := write("full.csv", full.Bytes())
	updPath, updSize := write("update.csv", upd.Bytes())
	full, upd = bytes.Buffer{}, bytes.Buffer{}
	load := func(db *store.DB, path string, size int64) *caseimport.Result {
		in, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer in.Close()
		res, err := caseimport.Load(b.Context(), db, domain.SystemViewer("bench"), in, size, importer.Options{CaseTypes: domain.DefaultCaseTypes}, nil, 0)
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	for b.Loop() {
		b.StopTimer()
		db := testdb.Open(b)
		first := load(db, fullPath, fullSize)
		b.StartTimer()
		cpu0 := cpuTime()
		started := time.Now()
		res := load(db, updPath, updSize)
		elapsed := time.Since(started)
		cpu := cpuTime() - cpu0
		b.StopTimer()
		if res.Counts.Updated != first.Counts.Added {
			b.Fatalf("reload: %+v after %+v", res.Counts, first.Counts)
		}
		b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
		b.ReportMetric(elapsed.Seconds(), "reload-s")
		b.ReportMetric(cpu.Seconds(), "reload-cpu-s")
		b.StartTimer()
	}
}

package importer

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// benchFile is the 1,000,000-row CSV shared by the runs of BenchmarkCSV1M,
// made once and removed by TestMain.
var benchFile struct {
	once sync.Once
	dir  string
	path string
	size int64
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchFile.dir != "" {
		os.RemoveAll(benchFile.dir)
	}
	os.Exit(code)
}

const benchRows = 1_000_000

func makeBenchFile() {
	benchFile.dir, benchFile.err = os.MkdirTemp("", "zhilian-bench-")
	if benchFile.err != nil {
		return
	}
	benchFile.path = filepath.Join(benchFile.dir, "cases.csv")
	f, err := os.Create(benchFile.path)
	if err != nil {
		benchFile.err = err
		return
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("\ufeff" + fullHeader + "\r\n")
	modes := []string{"", "执行完毕", "终结本次执行程序", "终结执行"}
	surnames := []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
	name := func(i int) string {
		n := []rune{surnames[i%len(surnames)], given[i/7%len(given)]}
		if i%3 == 0 {
			n = append(n, given[i/11%len(given)])
		}
		return string(n)
	}
	firms := []string{"济南%s商贸有限公司", "山东%s建设集团有限公司", "中国某某银行%s支行", "%s饭店"}
	for i := range benchRows {
		closed, mode := "", modes[i%4]
		if mode != "" {
			closed = fmt.Sprintf("%d/%d/%d", 2016+i%10, i%12+1, i%28+1)
		}
		fmt.Fprintf(w, "（%d）鲁%04d执%d号,%d-%02d-%02d,%s,执行%d庭,\"%d,%03d.%02d\",%s,%s,%s,%s,138%08d,%s、%s,139%08d、137%08d,%s,%s,,否,否,否\r\n",
			2015+i%10, 102+i%50, i+1, 2015+i%10, i%12+1, i%28+1, name(i%40), i%4+1, i%1000, i%1000, i%100,
			[]string{"有", "无", ""}[i%3], closed, mode, fmt.Sprintf(firms[i%4], name(i/4)), i, name(i+1), name(i+2), i, i,
			[]string{"否", "是"}[i%2], []string{"", "鲁01"}[i%7/6])
	}
	if err := w.Flush(); err != nil {
		benchFile.err = err
		return
	}
	fi, err := f.Stat()
	if err != nil {
		benchFile.err = err
		return
	}
	benchFile.size = fi.Size()
	benchFile.err = f.Close()
}

// BenchmarkCSV1M streams a 1,000,000-row CSV and reports rows per second
// and the peak heap in use, sampled every 10,000 rows.
//
//	go test -run '^$' -bench CSV1M -benchtime 1x ./internal/importer/
func BenchmarkCSV1M(b *testing.B) {
	benchFile.once.Do(makeBenchFile)
	if benchFile.err != nil {
		b.Fatal(benchFile.err)
	}
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	sample()
	b.SetBytes(benchFile.size)
	rows := 0
	for b.Loop() {
		f, err := os.Open(benchFile.path)
		if err != nil {
			b.Fatal(err)
		}
		s, err := Open(f, benchFile.size, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			c, errs, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil || c == nil || len(errs) > 0 {
				b.Fatalf("row %d: %v %v", n, err, errs)
			}
			if n++; n%10_000 == 0 {
				sample()
			}
		}
		if n != benchRows {
			b.Fatalf("read %d rows, want %d", n, benchRows)
		}
		rows += n
		s.Close()
		f.Close()
	}
	sample()
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	if peak > 64<<20 {
		b.Errorf("peak heap in use %d MiB, want under 64 MiB", peak>>20)
	}
}

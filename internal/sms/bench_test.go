package sms_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/sms/smsctest"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// BenchmarkSMPPMonthlyBatch sends a province's monthly batch — 50,000
// visit questions of two SMS parts each, with the one-time link — through
// the smpp provider to the test SMSC on loopback, receipts included.
// ZHILIAN_BENCH_SMS sets the count, ZHILIAN_BENCH_TPS the TPS cap (0: none).
// It reports messages per second and the process's peak heap and RSS
// (the in-process SMSC's memory included).
//
//	go test -run '^$' -bench SMPPMonthlyBatch -benchtime 1x ./internal/sms/
func BenchmarkSMPPMonthlyBatch(b *testing.B) {
	n := envInt("ZHILIAN_BENCH_SMS", 50000)
	tps := envInt("ZHILIAN_BENCH_TPS", 0)
	for b.Loop() {
		b.StopTimer()
		db := testdb.Open(b)
		var msgs []store.NewSMS
		for i := range n {
			msgs = append(msgs, store.NewSMS{Phone: fmt.Sprintf("13%09d", i),
				Body: fmt.Sprintf("【济南市历下区人民法院】您好，这里是执行回访。您的案件（2026）鲁0102执%d号，案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。也可打开 https://zhilian.example/v/%032x 填写反馈单。", i, i),
				Key:  fmt.Sprint("bench-", i)})
		}
		for i := 0; i < n; i += 5000 {
			if err := db.QueueSMS(ctx, domain.SystemViewer("bench"), msgs[i:min(i+5000, n)]); err != nil {
				b.Fatal(err)
			}
		}
		msgs = nil
		smsc := smsctest.Start()
		out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
		p, err := sms.NewSMPP(sms.SMPPConfig{Addr: smsc.Addr(), SystemID: smsc.User(), Password: smsc.Password(), Source: "12368", TPS: tps}, nil)
		if err != nil {
			b.Fatal(err)
		}
		c, cancel := contextWithCancel()
		p.Start(c, out)
		for !p.Ready() {
			time.Sleep(10 * time.Millisecond)
		}
		s := &sms.Sender{Outbox: out, Gateway: p, Config: sms.SenderConfig{QuietFrom: -1, QuietTo: -1, DailyCap: 10}}
		var peakHeap atomic.Uint64
		stop := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peakHeap.Load() {
					peakHeap.Store(ms.HeapInuse)
				}
			}
		}()
		b.StartTimer()
		began := time.Now()
		for {
			if _, err := s.Step(ctx); err != nil {
				b.Fatal(err)
			}
			if int(s.Sent()) == n {
				break
			}
		}
		elapsed := time.Since(began)
		b.StopTimer()
		close(stop)
		cs, _ := db.SMSStats(ctx)
		if got := len(smsc.Received()); got != n || cs.ByStatus[sms.StatusSent]+cs.ByStatus[sms.StatusDelivered] != n {
			b.Fatalf("SMSC received %d of %d; outbox %v", got, n, cs.ByStatus)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "msgs/s")
		b.ReportMetric(float64(smsc.Submits())/elapsed.Seconds(), "submit_sm/s")
		b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(vmHWM()/1024, "peak-RSS-MiB")
		b.Logf("%d messages (%d submit_sm) in %v at TPS cap %d", n, smsc.Submits(), elapsed.Round(time.Millisecond), tps)
		cancel()
		smsc.Close()
		b.StartTimer()
	}
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

// vmHWM is the process's peak resident set in KiB.
func vmHWM() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	return 0
}

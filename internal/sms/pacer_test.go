package sms

import (
	"context"
	"testing"
	"time"
)

// The pacer holds the average at the cap and credits idle time up to the
// burst, never more.
func TestPacer(t *testing.T) {
	p := &pacer{every: 10 * time.Millisecond, burst: 5}
	ctx := context.Background()
	time.Sleep(200 * time.Millisecond) // idle: at most 5 calls of credit
	began := time.Now()
	for range 25 {
		p.Wait(ctx)
	}
	// 25 calls at 100/s with 5 credited take at least 190ms.
	if el := time.Since(began); el < 190*time.Millisecond {
		t.Fatalf("25 calls in %v: the credit exceeded the burst", el)
	}
}

package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/sms/smsctest"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// A `zhilian serve` process is killed (SIGKILL) while it sends a batch
// through SMPP, and another takes over: counted at the test SMSC, no
// message is lost and none arrives twice. The messages that were in the
// gateway's hands at the kill are left for a person (SMPP cannot be asked
// about them by our key); there are at most a window of them.
func TestSMSKilledMidBatch(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	db := openKeyed(t, dsn)
	smsc := smsctest.Start()
	defer smsc.Close()
	smsc.Delay = 2 * time.Millisecond

	const n = 600
	var msgs []store.NewSMS
	for i := range n {
		msgs = append(msgs, store.NewSMS{Phone: fmt.Sprintf("137%08d", i), Body: fmt.Sprintf("回访短信 %d：请回复1满意，2不满意。", i), Key: fmt.Sprint("crash-", i)})
	}
	if err := db.QueueSMS(ctx, domain.SystemViewer("test"), msgs); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ZHILIAN_SMPP_PASSWORD", smsc.Password())
	args := []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--sms", "smpp", "--smpp-addr", smsc.Addr(), "--smpp-user", smsc.User(),
		"--sms-quiet", "off", "--sms-tps", "0", "--sms-lease", "2s"}
	p1 := start(t, args...)
	waitUntil(t, "the first messages", func() bool { return len(smsc.Received()) >= n/4 })
	p1.cmd.Process.Kill()
	p1.cmd.Wait()
	atKill := len(smsc.Received())

	p2 := start(t, args...)
	waitUntil(t, "the outbox to drain", func() bool {
		c, err := db.SMSStats(ctx)
		return err == nil && c.Pending() == 0
	})
	p2.stop(t)

	unknown, twice := 0, 0
	for _, m := range msgs {
		st, err := db.SMSStatus(ctx, m.Key)
		status := st.Status
		if err != nil {
			t.Fatal(err)
		}
		got := smsc.Count("86"+m.Phone, m.Body)
		switch {
		case got > 1:
			twice++
		case status == sms.StatusUnknown:
			unknown++
		case (status == sms.StatusSent || status == sms.StatusDelivered) && got == 1:
		default:
			t.Errorf("%s: %s, at the SMSC %d times", m.Key, status, got)
		}
	}
	t.Logf("%d messages; %d at the SMSC when killed; %d in all; %d left for a person; %d twice", n, atKill, len(smsc.Received()), unknown, twice)
	if twice > 0 || unknown > 10 || len(smsc.Received()) > n {
		t.Fatalf("%d messages arrived twice, %d unknown", twice, unknown)
	}
	for _, p := range []*proc{p1, p2} {
		if strings.Contains(p.output(), smsc.Password()) {
			t.Errorf("the SMPP password is in the log:\n%s", p.output())
		}
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

package sms_test

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/sms/smsctest"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// visits draws and starts a visit for each of n closed cases; the
// applicants' numbers are 138000000NN.
func visits(t *testing.T, db *store.DB, n int) {
	t.Helper()
	var batch []*domain.Case
	for i := 1; i <= n; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2026）鲁0102执%d号", i), domain.DefaultCaseTypes)
		batch = append(batch, &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), ClosedOn: domain.MustDate("2026-10-09"), ClosingMode: "执行完毕",
			Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: fmt.Sprintf("138000000%02d", i)}}})
	}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, batch, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DrawRule{Rate: 1, Rounding: "ceil", MinOne: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
}

func steps(t *testing.T, db *store.DB) map[visit.Step]int {
	vs, err := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[visit.Step]int{}
	for _, vi := range vs {
		out[vi.State.Step]++
	}
	return out
}

// The demo's simulator answers for the parties: its receipts and replies
// move the visits on — closed when satisfied, to the phone when not or
// when delivery failed, waiting when silent.
func TestSenderThroughSimulator(t *testing.T) {
	db := testdb.Open(t)
	visits(t, db, 40)
	sim := sms.NewSimulator(time.Now)
	sim.Delay = time.Millisecond
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	s := &sms.Sender{Outbox: out, Gateway: sim, Config: noQuiet()}
	for range 4 { // questions, then the follow-ups the answers caused
		drain(t, s, db)
		time.Sleep(5 * time.Millisecond)
		sim.Flush(ctx, out, true)
	}
	c, _ := db.SMSStats(ctx)
	st := steps(t, db)
	if c.Pending() != 0 || c.ByStatus[sms.StatusDelivered] < 40 || st[visit.StepClosed] == 0 || st[visit.StepPhonePending] == 0 || st[visit.StepSMSSent] == 0 {
		t.Fatalf("outbox %v, steps %v", c.ByStatus, st)
	}
}

// No SMS goes out in quiet hours; a number gets at most the daily cap,
// the rest the next day.
func TestSenderQuietHoursAndDailyCap(t *testing.T) {
	db := testdb.Open(t)
	var msgs []store.NewSMS
	for i := range 7 {
		msgs = append(msgs, store.NewSMS{Phone: "13900000001", Body: fmt.Sprint("第", i, "条"), Key: fmt.Sprint("cap-", i)})
	}
	if err := db.QueueSMS(ctx, domain.SystemViewer("t"), msgs); err != nil {
		t.Fatal(err)
	}
	// 22:30 Beijing time.
	now := time.Date(2026, 11, 27, 22, 30, 0, 0, sms.Beijing)
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	s := &sms.Sender{Outbox: out, Gateway: &sms.Log{Log: slog.New(slog.DiscardHandler)}, Now: func() time.Time { return now }, Config: sms.SenderConfig{DailyCap: 5}}
	wait, err := s.Step(ctx)
	if err != nil || wait != time.Minute {
		t.Fatalf("quiet hours: wait %v, %v", wait, err)
	}
	if c, _ := db.SMSStats(ctx); c.ByStatus[sms.StatusPending] != 7 {
		t.Fatalf("sent in quiet hours: %v", c.ByStatus)
	}
	if q, end := s.Config.Quiet(now); !q || !end.Equal(time.Date(2026, 11, 28, 8, 0, 0, 0, sms.Beijing)) {
		t.Fatalf("quiet until %v", end)
	}
	now = time.Date(2026, 11, 28, 9, 0, 0, 0, sms.Beijing)
	for range 3 {
		if _, err := s.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if c, _ := db.SMSStats(ctx); c.ByStatus[sms.StatusSent] != 5 || c.ByStatus[sms.StatusPending] != 2 {
		t.Fatalf("cap: %v", c.ByStatus)
	}
	now = now.Add(24 * time.Hour)
	s.Step(ctx)
	if c, _ := db.SMSStats(ctx); c.ByStatus[sms.StatusSent] != 7 {
		t.Fatalf("next day: %v", c.ByStatus)
	}
}

// A refused number ends the message and sends the visit to the phone; so
// does a receipt saying the message was not delivered.
func TestSenderFailuresGoToPhone(t *testing.T) {
	db := testdb.Open(t)
	visits(t, db, 3)
	smsc := smsctest.Start()
	defer smsc.Close()
	smsc.Refuse["8613800000001"] = true
	smsc.Undeliverable["8613800000002"] = true
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	p := bindSMPP(t, smsc, out, nil)
	s := &sms.Sender{Outbox: out, Gateway: p, Config: noQuiet()}
	drain(t, s, db)
	waitFor(t, "the receipts", func() bool {
		c, _ := db.SMSStats(ctx)
		st := steps(t, db)
		return c.ByStatus[sms.StatusFailed] == 2 && c.ByStatus[sms.StatusDelivered] == 1 && st[visit.StepPhonePending] == 2 && st[visit.StepSMSSent] == 1
	})
}

// Temporary failures are retried later, with growing delays, and end
// the message after the last attempt.
func TestSenderRetriesThenGivesUp(t *testing.T) {
	db := testdb.Open(t)
	queue(t, db, 1, "retry")
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, sms.Beijing)
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	down, _ := sms.NewHTTP(sms.HTTPConfig{URL: "http://127.0.0.1:1/sms", Secret: "x", Timeout: time.Second}, nil)
	s := &sms.Sender{Outbox: out, Gateway: down, Now: func() time.Time { return now }, Config: sms.SenderConfig{MaxAttempts: 4, Backoff: time.Minute, MaxBackoff: time.Hour}}
	for i := 0; i < 4; i++ {
		if _, err := s.Step(ctx); err != nil {
			t.Fatal(err)
		}
		st, _ := db.SMSStatus(ctx, "retry-0")
		status, attempts := st.Status, st.Attempts
		if attempts != i+1 {
			t.Fatalf("attempt %d: %s after %d attempts", i+1, status, attempts)
		}
		if i == 3 {
			if status != sms.StatusFailed {
				t.Fatalf("after the last attempt: %s", status)
			}
			break
		}
		// Not due yet a moment later; due after the longest delay.
		now = now.Add(time.Second)
		s.Step(ctx)
		if st, _ := db.SMSStatus(ctx, "retry-0"); st.Attempts != i+1 {
			t.Fatalf("retried before its time")
		}
		now = now.Add(time.Minute<<i*3/2 + time.Second)
	}
}

// Two senders share the lease: one sends, the other waits until the
// first stops renewing.
func TestSenderLease(t *testing.T) {
	db := testdb.Open(t)
	out := &store.SMSOutbox{DB: db}
	ok, err := out.Lease(ctx, "a", time.Minute)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if ok, _ := out.Lease(ctx, "b", time.Minute); ok {
		t.Fatal("b took a held lease")
	}
	if ok, _ := out.Lease(ctx, "a", time.Minute); !ok {
		t.Fatal("a could not renew")
	}
	db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	if ok, _ := out.Lease(ctx, "b", time.Minute); !ok {
		t.Fatal("b could not take an expired lease")
	}
}

// A round that outlasts the lease keeps it: another sender does not take
// over, or take the messages in flight for orphans.
func TestSenderKeepsLeaseThroughSlowRound(t *testing.T) {
	db := testdb.Open(t)
	queue(t, db, 2, "slow")
	smsc := smsctest.Start()
	defer smsc.Close()
	smsc.Delay = 1500 * time.Millisecond
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	p := bindSMPP(t, smsc, out, func(c *sms.SMPPConfig) { c.RespTimeout = 5 * time.Second })
	cfg := noQuiet()
	cfg.LeaseTTL = 600 * time.Millisecond
	a := &sms.Sender{Outbox: out, Gateway: p, Config: cfg, Holder: "a"}
	done := make(chan error)
	go func() { _, err := a.Step(ctx); done <- err }()
	time.Sleep(1200 * time.Millisecond) // past the lease, mid-round
	if ok, err := out.Lease(ctx, "b", cfg.LeaseTTL); err != nil || ok {
		t.Fatalf("another sender took the lease mid-round: %v %v", ok, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c, _ := db.SMSStats(ctx); c.ByStatus[sms.StatusSent]+c.ByStatus[sms.StatusDelivered] != 2 {
		t.Fatalf("after the slow round: %v", c.ByStatus)
	}
}

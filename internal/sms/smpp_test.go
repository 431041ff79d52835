package sms_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/sms/smsctest"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

var ctx = context.Background()

// recorder is a Sink that keeps what it is given.
type recorder struct {
	mu       sync.Mutex
	replies  []sms.Reply
	receipts []sms.Receipt
}

func (r *recorder) Reply(_ context.Context, x sms.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replies = append(r.replies, x)
	return nil
}

func (r *recorder) Receipt(_ context.Context, x sms.Receipt) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.receipts = append(r.receipts, x)
	return nil
}

func (r *recorder) counts() (int, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.replies), len(r.receipts)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func bindSMPP(t *testing.T, smsc *smsctest.SMSC, sink sms.Sink, tweak func(*sms.SMPPConfig)) *sms.SMPP {
	t.Helper()
	cfg := sms.SMPPConfig{Addr: smsc.Addr(), SystemID: smsc.User(), Password: smsc.Password(), Source: "12368", RespTimeout: 2 * time.Second}
	if tweak != nil {
		tweak(&cfg)
	}
	// The provider's goroutines may log after the test ends: into a
	// buffer, shown if the test failed.
	logs := &testdb.SyncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("smpp log:\n%s", logs.String())
		}
	})
	p, err := sms.NewSMPP(cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	if err := p.Start(c, sink); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the bind", func() bool { return p.Health().Bound })
	return p
}

// A long Chinese message goes as UCS-2 parts the SMSC reassembles into the
// same text; a receipt comes for each part and the party's reply comes
// back decoded.
func TestSMPPLongMessageReceiptsAndReply(t *testing.T) {
	smsc := smsctest.Start()
	defer smsc.Close()
	smsc.Answer = func(to, text string) string { return "不满意，2 3" }
	rec := &recorder{}
	p := bindSMPP(t, smsc, rec, nil)
	body := strings.Repeat("济南市历下区人民法院执行局回访：", 8) + "😀 回复1满意，2不满意。"
	ids, err := p.Send(ctx, sms.Message{To: "13800000001", Body: body, Key: "k1"})
	if err != nil {
		t.Fatal(err, ids, smsc.Submits())
	}
	if len(ids) != 3 {
		t.Errorf("%d parts for %d characters, want 3", len(ids), len([]rune(body)))
	}
	if n := smsc.Count("8613800000001", body); n != 1 {
		t.Fatalf("SMSC has the text %d times; received %+v", n, smsc.Received())
	}
	waitFor(t, "receipts and the reply", func() bool { r, c := rec.counts(); return r == 1 && c == 3 })
	if r := rec.replies[0]; r.From != "13800000001" || r.Body != "不满意，2 3" {
		t.Errorf("reply %+v", r)
	}
	if r := rec.receipts[0]; r.State != sms.Delivered || r.ProviderID != ids[0] {
		t.Errorf("receipt %+v, ids %v", r, ids)
	}
	short, err := p.Send(ctx, sms.Message{To: "13800000002", Body: "您好，回复1满意。", Key: "k2"})
	if err != nil || len(short) != 1 || smsc.Count("8613800000002", "您好，回复1满意。") != 1 {
		t.Fatalf("short message: %v %v", short, err)
	}
}

// A refused number is a permanent failure; an unbound provider fails
// temporarily, before anything left.
func TestSMPPErrorClasses(t *testing.T) {
	smsc := smsctest.Start()
	defer smsc.Close()
	smsc.Refuse["8613800000009"] = true
	p := bindSMPP(t, smsc, &recorder{}, nil)
	_, err := p.Send(ctx, sms.Message{To: "13800000009", Body: "x", Key: "k"})
	if !sms.IsPermanent(err) {
		t.Fatalf("refused number: %v, want permanent", err)
	}
	smsc.Delay = 3 * time.Second // longer than the response timeout
	_, err = p.Send(ctx, sms.Message{To: "13800000008", Body: "x", Key: "k2"})
	if !sms.IsAmbiguous(err) {
		t.Fatalf("no answer: %v, want ambiguous", err)
	}
	un, _ := sms.NewSMPP(sms.SMPPConfig{Addr: "127.0.0.1:1", SystemID: "x"}, nil)
	if _, err := un.Send(ctx, sms.Message{To: "13800000008", Body: "x", Key: "k3"}); err == nil || sms.IsAmbiguous(err) || sms.IsPermanent(err) {
		t.Fatalf("unbound: %v, want temporary", err)
	}
}

func TestParseReceiptText(t *testing.T) {
	r, ok := sms.ParseReceipt("id:7A3F sub:001 dlvrd:000 submit date:2611271200 done date:2611271201 stat:UNDELIV err:034 text:您好", "", 0)
	if !ok || r.ProviderID != "7A3F" || r.State != sms.Undelivered || !strings.Contains(r.Error, "034") {
		t.Fatalf("%+v %v", r, ok)
	}
	if _, ok := sms.ParseReceipt("id:1 stat:ENROUTE err:000", "", 0); ok {
		t.Fatal("an interim state taken as final")
	}
	if r, ok := sms.ParseReceipt("", "m9", 2); !ok || r.ProviderID != "m9" || r.State != sms.Delivered {
		t.Fatalf("TLV receipt: %+v %v", r, ok)
	}
}

// queue puts n test messages in the outbox.
func queue(t testing.TB, db *store.DB, n int, prefix string) []store.NewSMS {
	t.Helper()
	var msgs []store.NewSMS
	for i := range n {
		msgs = append(msgs, store.NewSMS{Phone: fmt.Sprintf("139%08d", i), Body: fmt.Sprintf("%s 第%d条：执行局回访，回复1满意，2不满意。", prefix, i), Key: fmt.Sprintf("%s-%d", prefix, i)})
	}
	for i := 0; i < len(msgs); i += 5000 {
		if err := db.QueueSMS(ctx, domain.SystemViewer("test"), msgs[i:min(i+5000, len(msgs))]); err != nil {
			t.Fatal(err)
		}
	}
	return msgs
}

func drain(t testing.TB, s *sms.Sender, db *store.DB) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := s.Step(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := db.SMSStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.Pending() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not drained: %v", c.ByStatus)
		}
	}
}

func noQuiet() sms.SenderConfig {
	return sms.SenderConfig{QuietFrom: -1, QuietTo: -1, DailyCap: 100, Backoff: time.Millisecond, MaxBackoff: time.Millisecond, Idle: 10 * time.Millisecond}
}

// The link drops mid-batch with the SMSC holding a message it never
// answered: that message is the only one left for a person, the client
// rebinds, and every other message reaches the SMSC exactly once. The
// person, told by the carrier that it arrived, settles it: every message
// then reached the phone once.
func TestSMPPLinkDropMidBatch(t *testing.T) {
	db := testdb.Open(t)
	smsc := smsctest.Start()
	defer smsc.Close()
	smsc.DropAt = 25
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	p := bindSMPP(t, smsc, out, nil)
	msgs := queue(t, db, 60, "drop")
	s := &sms.Sender{Outbox: out, Gateway: p, Config: noQuiet()}
	drain(t, s, db)
	waitFor(t, "the rebind", func() bool { return smsc.Binds() >= 2 })
	unknown := 0
	for _, m := range msgs {
		st, err := db.SMSStatus(ctx, m.Key)
		status := st.Status
		if err != nil {
			t.Fatal(err)
		}
		n := smsc.Count("86"+m.Phone, m.Body)
		switch status {
		case sms.StatusSent, sms.StatusDelivered:
			if n != 1 {
				t.Errorf("%s %s but at the SMSC %d times", m.Key, status, n)
			}
		case sms.StatusUnknown:
			unknown++
			if n > 1 {
				t.Errorf("%s unknown and at the SMSC %d times", m.Key, n)
			}
		default:
			t.Errorf("%s ended %s", m.Key, status)
		}
	}
	// The dropped message, and any other in flight with it, wait for a
	// person; never more than the window.
	t.Logf("%d messages unknown after the drop, %d binds", unknown, smsc.Binds())
	if unknown == 0 || unknown > 10 {
		t.Fatalf("%d messages unknown after the drop", unknown)
	}
	if total := len(smsc.Received()); total != len(msgs)-unknown+countReceivedUnknown(t, db, smsc, msgs) {
		t.Fatalf("SMSC received %d messages", total)
	}
	// A person asks the carrier and settles each: arrived, or send again.
	for _, m := range msgs {
		if st, _ := db.SMSStatus(ctx, m.Key); st.Status == sms.StatusUnknown {
			decision := store.DecideResend
			if smsc.Count("86"+m.Phone, m.Body) == 1 {
				decision = store.DecideArrived
			}
			if err := db.DecideSMS(ctx, domain.SystemViewer("person"), outboxID(t, db, m.Key), decision, visit.DefaultConfig()); err != nil {
				t.Fatal(err)
			}
		}
	}
	drain(t, s, db)
	for _, m := range msgs {
		if n := smsc.Count("86"+m.Phone, m.Body); n != 1 {
			t.Errorf("%s reached the SMSC %d times", m.Key, n)
		}
	}
	if len(smsc.Received()) != len(msgs) {
		t.Errorf("SMSC received %d messages, want %d", len(smsc.Received()), len(msgs))
	}
}

func outboxID(t *testing.T, db *store.DB, key string) int64 {
	st, err := db.SMSStatus(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	return st.ID
}

func countReceivedUnknown(t *testing.T, db *store.DB, smsc *smsctest.SMSC, msgs []store.NewSMS) int {
	n := 0
	for _, m := range msgs {
		if st, _ := db.SMSStatus(ctx, m.Key); st.Status == sms.StatusUnknown {
			n += smsc.Count("86"+m.Phone, m.Body)
		}
	}
	return n
}

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }

// A long reply comes in parts and is joined up; a link that stays up but
// answers nothing, enquire_link included, is given up and bound again.
func TestSMPPLongReplyAndDeadLink(t *testing.T) {
	smsc := smsctest.Start()
	defer smsc.Close()
	rec := &recorder{}
	p := bindSMPP(t, smsc, rec, func(c *sms.SMPPConfig) { c.EnquireLink = 200 * time.Millisecond })
	// The SMSC knows a client once it sent a PDU.
	waitFor(t, "enquire_link", func() bool { return smsc.EnquireLinks() >= 1 })
	long := strings.Repeat("承办人一直不接电话，案款也没有发放。", 6)
	smsc.SendMO("8613800000003", long)
	waitFor(t, "the long reply", func() bool { r, _ := rec.counts(); return r == 1 })
	if r := rec.replies[0]; r.Body != long || r.From != "13800000003" {
		t.Fatalf("reply %q from %s", r.Body, r.From)
	}
	waitFor(t, "enquire_link", func() bool { return smsc.EnquireLinks() >= 2 })
	smsc.Mute.Store(true)
	waitFor(t, "the dead link to be noticed", func() bool { return !p.Ready() })
	smsc.Mute.Store(false)
	waitFor(t, "the rebind", func() bool { return p.Ready() && smsc.Binds() >= 2 })
	if _, err := p.Send(ctx, sms.Message{To: "13800000004", Body: "您好", Key: "after"}); err != nil {
		t.Fatalf("send after the rebind: %v", err)
	}
}

package sms_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

const secret = "s3cret-for-tests"

// gateway is an HTTP SMS gateway as the provider's contract describes
// it: it checks signatures, keeps one message per key and answers status
// queries. fault, if set, decides per request whether to take the
// message and whether to answer.
type gateway struct {
	mu       sync.Mutex
	byKey    map[string]string
	takes    map[string]int // POSTs taken per key: more than one is a resend
	accepted int
	fault    func(n int) (take, answer bool)
	badSigs  int
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.Method == http.MethodPost {
		var buf bytes.Buffer
		buf.ReadFrom(r.Body)
		body = buf.Bytes()
	} else {
		body = []byte(r.URL.Query().Get("key"))
	}
	ts, nonce := r.Header.Get("X-Zhilian-Timestamp"), r.Header.Get("X-Zhilian-Nonce")
	if r.Header.Get("X-Zhilian-Signature") != sms.Sign(secret, ts, nonce, body) {
		g.mu.Lock()
		g.badSigs++
		g.mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if r.Method == http.MethodGet {
		id, ok := g.byKey[r.URL.Query().Get("key")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"ids": []string{id}})
		return
	}
	var m struct{ Key, To, Text string }
	json.Unmarshal(body, &m)
	if m.To == "13900000099" {
		w.WriteHeader(http.StatusUnprocessableEntity)
		json.NewEncoder(w).Encode(map[string]any{"error": "号码无效"})
		return
	}
	take, answer := true, true
	if g.fault != nil {
		take, answer = g.fault(len(g.byKey) + g.accepted)
	}
	g.accepted++
	if take {
		g.takes[m.Key]++
		if _, ok := g.byKey[m.Key]; !ok {
			g.byKey[m.Key] = fmt.Sprintf("h%d", len(g.byKey)+1)
		}
	}
	if !answer {
		// The connection dies after the request was read.
		hj, _ := w.(http.Hijacker)
		c, _, _ := hj.Hijack()
		c.Close()
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"id": g.byKey[m.Key]})
}

func newGateway(t *testing.T) (*gateway, *sms.HTTP) {
	g := &gateway{byKey: map[string]string{}, takes: map[string]int{}}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	p, err := sms.NewHTTP(sms.HTTPConfig{URL: srv.URL + "/sms", StatusURL: srv.URL + "/sms/status", Secret: secret, Timeout: 2 * time.Second}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return g, p
}

// Answers lost on the way back are settled by asking the gateway: a
// message it took is recorded as sent, one it did not take is sent
// again; none is taken twice and none is left for a person.
func TestHTTPAmbiguityAskedNotGuessed(t *testing.T) {
	db := testdb.Open(t)
	g, p := newGateway(t)
	g.fault = func(n int) (bool, bool) {
		switch n % 7 {
		case 3:
			return true, false // took it, answer lost
		case 5:
			return false, false // never took it, connection died
		}
		return true, true
	}
	msgs := queue(t, db, 40, "http")
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	s := &sms.Sender{Outbox: out, Gateway: p, Config: noQuiet()}
	drain(t, s, db)
	for _, m := range msgs {
		st, err := db.SMSStatus(ctx, m.Key)
		status := st.Status
		if err != nil || status != sms.StatusSent {
			t.Errorf("%s: %s %v", m.Key, status, err)
		}
		if n := g.takes[m.Key]; n != 1 {
			t.Errorf("%s reached the gateway %d times", m.Key, n)
		}
	}
	if len(g.byKey) != len(msgs) || g.badSigs != 0 {
		t.Fatalf("gateway holds %d messages for %d, %d bad signatures", len(g.byKey), len(msgs), g.badSigs)
	}
	// A refused number is final.
	if _, err := p.Send(ctx, sms.Message{To: "13900000099", Body: "x", Key: "bad"}); !sms.IsPermanent(err) {
		t.Fatalf("refused number: %v", err)
	}
}

func signed(t *testing.T, url string, body []byte, ts time.Time, nonce, key string) int {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	sec := strconv.FormatInt(ts.Unix(), 10)
	req.Header.Set("X-Zhilian-Timestamp", sec)
	req.Header.Set("X-Zhilian-Nonce", nonce)
	req.Header.Set("X-Zhilian-Signature", sms.Sign(key, sec, nonce, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The inbound endpoint takes signed replies and receipts once; a wrong
// signature, an old timestamp or a replayed nonce is refused and
// changes nothing.
func TestHTTPInboundSignedOnce(t *testing.T) {
	db := testdb.Open(t)
	_, p := newGateway(t)
	rec := &recorder{}
	srv := httptest.NewServer(p.Inbound(&store.SMSOutbox{DB: db}, rec))
	defer srv.Close()
	body := []byte(`{"events":[{"type":"reply","from":"13800000001","text":"满意"},{"type":"receipt","id":"h1","state":"delivered"}]}`)
	now := time.Now()
	cases := []struct {
		name  string
		ts    time.Time
		nonce string
		key   string
		want  int
	}{
		{"good", now, "n1", secret, 200},
		{"replayed", now, "n1", secret, 409},
		{"wrong key", now, "n2", "other", 401},
		{"old", now.Add(-10 * time.Minute), "n3", secret, 401},
		{"future", now.Add(10 * time.Minute), "n4", secret, 401},
		{"good again, new nonce", now, "n5", secret, 200},
	}
	for _, c := range cases {
		if got := signed(t, srv.URL, body, c.ts, c.nonce, c.key); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
	if r, c := rec.counts(); r != 2 || c != 2 {
		t.Fatalf("sink got %d replies, %d receipts; want 2 and 2", r, c)
	}
	if got := signed(t, srv.URL, []byte(`{"events":[]}`), now, "n6", secret); got != 400 {
		t.Errorf("empty events: %d", got)
	}
}

package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HTTPConfig configures the http provider: a gateway (the 12368 platform's
// or a cloud SMS service's, behind a small adapter) that takes JSON.
//
// Outbound, each message is a POST to URL of {"key","to","text"} (and,
// for a message of a template, "template", "template_id", "sign" and
// "params", for a gateway in front of a service that sends by template)
// with the
// headers Idempotency-Key, X-Zhilian-Timestamp (Unix seconds),
// X-Zhilian-Nonce and X-Zhilian-Signature, the hex HMAC-SHA256 under
// Secret of timestamp + "\n" + nonce + "\n" + body. The gateway answers
// 2xx {"ids":[…]} (or {"id":…}); 409 with the same when it already has
// the key; 4xx {"error":…} for a message it will never send; 429 or 5xx
// to be tried later. GET StatusURL?key=K, signed the same way over the
// key, answers 200 {"ids":[…]} if it has the message and 404 if not.
//
// Inbound, the gateway POSTs replies and receipts to /sms/inbound, signed
// the same way: {"events":[{"type":"reply","from":…,"text":…,"at":…},
// {"type":"receipt","id":…,"state":"delivered|failed|expired","error":…}]}.
// A request whose timestamp is more than Window from now, whose nonce was
// seen before, or whose signature is wrong is refused.
type HTTPConfig struct {
	URL       string
	StatusURL string // default URL + "/status"
	Secret    string // never logged
	// TPS caps requests per second; 0 means no cap.
	TPS int
	// Timeout bounds one request; default 15s.
	Timeout time.Duration
	// Window is how far an inbound timestamp may be from now; default 5m.
	Window time.Duration
}

// HTTP is the http provider.
type HTTP struct {
	cfg    HTTPConfig
	client *http.Client
	pace   *pacer

	mu        sync.Mutex
	ok        bool
	lastErr   string
	lastErrAt time.Time
}

// NewHTTP returns the provider; client may be nil.
func NewHTTP(cfg HTTPConfig, client *http.Client) (*HTTP, error) {
	if cfg.URL == "" || cfg.Secret == "" {
		return nil, errors.New("http SMS provider: give --sms-http-url and --sms-http-secret")
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("http SMS provider: %q is not an http(s) URL", cfg.URL)
	}
	if cfg.StatusURL == "" {
		cfg.StatusURL = strings.TrimSuffix(cfg.URL, "/") + "/status"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.Window <= 0 {
		cfg.Window = 5 * time.Minute
	}
	if client == nil {
		client = &http.Client{Timeout: cfg.Timeout}
	}
	h := &HTTP{cfg: cfg, client: client, ok: true}
	if cfg.TPS > 0 {
		h.pace = &pacer{every: time.Second / time.Duration(cfg.TPS), burst: max(10, cfg.TPS/20)}
	}
	return h, nil
}

// Name names the provider.
func (h *HTTP) Name() string { return "http" }

// Start does nothing: inbound requests come through Inbound.
func (h *HTTP) Start(context.Context, Sink) error { return nil }

// Health reports the last request's fate.
func (h *HTTP) Health() Health {
	h.mu.Lock()
	defer h.mu.Unlock()
	u, _ := url.Parse(h.cfg.URL)
	return Health{Provider: "http", Bound: h.ok, Target: u.Scheme + "://" + u.Host + u.Path, LastError: h.lastErr, LastErrorAt: h.lastErrAt}
}

func (h *HTTP) note(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ok = err == nil
	if err != nil {
		h.lastErr, h.lastErrAt = err.Error(), time.Now()
	}
}

// Sign is the signature of a request: hex HMAC-SHA256 of timestamp,
// nonce and body, each followed by a newline but the last.
func Sign(secret, timestamp, nonce string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "\n" + nonce + "\n"))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func (h *HTTP) sign(r *http.Request, body []byte) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := newNonce()
	r.Header.Set("X-Zhilian-Timestamp", ts)
	r.Header.Set("X-Zhilian-Nonce", nonce)
	r.Header.Set("X-Zhilian-Signature", Sign(h.cfg.Secret, ts, nonce, body))
}

func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

type httpAnswer struct {
	ID        string   `json:"id"`
	IDs       []string `json:"ids"`
	Error     string   `json:"error"`
	Permanent *bool    `json:"permanent"`
}

func (a httpAnswer) ids() []string {
	if len(a.IDs) > 0 {
		return a.IDs
	}
	if a.ID != "" {
		return []string{a.ID}
	}
	return nil
}

// Send posts the message.
func (h *HTTP) Send(ctx context.Context, m Message) ([]string, error) {
	if h.pace != nil {
		if err := h.pace.Wait(ctx); err != nil {
			return nil, err
		}
	}
	out := map[string]any{"key": m.Key, "to": m.To, "text": m.Body}
	if m.Template != "" {
		// For a gateway in front of a service that sends by template.
		out["template"], out["template_id"], out["sign"], out["params"] = m.Template, m.TemplateID, m.Sign, m.Params
	}
	body, _ := json.Marshal(out)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	// Not replayable: net/http would resend a request carrying an
	// Idempotency-Key on its own when a kept-alive connection drops, and
	// the sender, not the transport, decides about resending.
	req.GetBody = nil
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.Key)
	h.sign(req, body)
	var wrote bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote = true },
	}))
	resp, err := h.client.Do(req)
	if err != nil {
		h.note(err)
		if wrote {
			return nil, &AmbiguousError{Err: err}
		}
		return nil, fmt.Errorf("http SMS gateway: %w", err)
	}
	defer resp.Body.Close()
	var a httpAnswer
	raw, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if rerr != nil {
		h.note(rerr)
		return nil, &AmbiguousError{Err: rerr}
	}
	// The status decides; a body that is not JSON (a proxy's error page)
	// only leaves the answer's details empty.
	_ = json.Unmarshal(raw, &a)
	switch {
	case resp.StatusCode/100 == 2 || resp.StatusCode == http.StatusConflict:
		h.note(nil)
		return a.ids(), nil
	case resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout:
		// A proxy gave up: the gateway behind it may have the message.
		err := fmt.Errorf("http SMS gateway: %s", resp.Status)
		h.note(err)
		return nil, &AmbiguousError{Err: err}
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		err := fmt.Errorf("http SMS gateway: %s %s", resp.Status, a.Error)
		h.note(err)
		return nil, err
	case a.Permanent != nil && !*a.Permanent:
		err := fmt.Errorf("http SMS gateway: %s %s", resp.Status, a.Error)
		h.note(err)
		return nil, err
	default:
		h.note(nil) // the gateway works; the message is bad
		return nil, &PermanentError{Reason: strings.TrimSpace(resp.Status + " " + a.Error)}
	}
}

// Query asks the gateway whether it has the message.
func (h *HTTP) Query(ctx context.Context, m Message) ([]string, bool, error) {
	u := h.cfg.StatusURL + "?key=" + url.QueryEscape(m.Key)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, false, err
	}
	h.sign(req, []byte(m.Key))
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	var a httpAnswer
	// The status decides (200: it has the message); the ids in the body
	// are a courtesy, and a body that is not JSON leaves them empty.
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&a)
	switch resp.StatusCode {
	case http.StatusOK:
		return a.ids(), true, nil
	case http.StatusNotFound:
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("http SMS gateway status: %s", resp.Status)
}

// ErrReplay is what a NonceStore returns for a nonce it has seen.
var ErrReplay = errors.New("replayed request")

// NonceStore remembers the nonces of inbound requests.
type NonceStore interface {
	UseNonce(ctx context.Context, nonce string, expires time.Time) error
}

type inboundEvent struct {
	Type  string    `json:"type"`
	From  string    `json:"from"`
	Text  string    `json:"text"`
	At    time.Time `json:"at"`
	ID    string    `json:"id"`
	State string    `json:"state"`
	Error string    `json:"error"`
}

// Inbound is the endpoint the gateway posts replies and receipts to.
func (h *HTTP) Inbound(nonces NonceStore, sink Sink) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply := func(code int, msg string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			json.NewEncoder(w).Encode(map[string]any{"ok": code == http.StatusOK, "message": msg})
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			reply(http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		ts, nonce, sig := r.Header.Get("X-Zhilian-Timestamp"), r.Header.Get("X-Zhilian-Nonce"), r.Header.Get("X-Zhilian-Signature")
		want := Sign(h.cfg.Secret, ts, nonce, body)
		if sig == "" || !hmac.Equal([]byte(sig), []byte(want)) {
			reply(http.StatusUnauthorized, "bad signature")
			return
		}
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || time.Since(time.Unix(sec, 0)).Abs() > h.cfg.Window {
			reply(http.StatusUnauthorized, "timestamp outside the window")
			return
		}
		var in struct {
			Events []inboundEvent `json:"events"`
		}
		if err := json.Unmarshal(body, &in); err != nil || len(in.Events) == 0 {
			reply(http.StatusBadRequest, "want {\"events\":[…]}")
			return
		}
		if err := nonces.UseNonce(r.Context(), nonce, time.Unix(sec, 0).Add(2*h.cfg.Window)); err != nil {
			if errors.Is(err, ErrReplay) {
				reply(http.StatusConflict, "nonce used before")
				return
			}
			reply(http.StatusServiceUnavailable, "try again")
			return
		}
		for _, e := range in.Events {
			var err error
			switch e.Type {
			case "reply":
				err = sink.Reply(r.Context(), Reply{From: e.From, Body: e.Text, At: e.At})
			case "receipt":
				err = sink.Receipt(r.Context(), Receipt{ProviderID: e.ID, State: e.State, Error: e.Error, At: e.At})
			default:
				err = fmt.Errorf("unknown event type %q", e.Type)
			}
			if err != nil {
				// The nonce is spent: the gateway sends the event again
				// in a new request.
				reply(http.StatusUnprocessableEntity, err.Error())
				return
			}
		}
		reply(http.StatusOK, "taken")
	})
}

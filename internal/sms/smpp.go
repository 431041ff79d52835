package sms

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/linxGnu/gosmpp"
	"github.com/linxGnu/gosmpp/data"
	"github.com/linxGnu/gosmpp/pdu"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/zhilian/zhilian/internal/domain"
)

// SMPPConfig configures the smpp provider: an SMPP 3.4 transceiver bind to
// the carrier's or the 12368 platform's SMSC.
type SMPPConfig struct {
	Addr       string // host:port
	SystemID   string
	Password   string // never logged
	SystemType string
	// Source is the sender address (the court's service number).
	Source string
	// TPS caps submit_sm per second (each part of a long message counts);
	// 0 means no cap.
	TPS int
	// Window is how many submit_sm may wait for their answers at once;
	// default 10.
	Window int
	// EnquireLink is the keep-alive interval; default 30s.
	EnquireLink time.Duration
	// RespTimeout is how long a submit_sm may wait for its answer;
	// default 10s.
	RespTimeout time.Duration
	// TLS dials with TLS.
	TLS bool
}

// SMPP is the smpp provider, on linxGnu/gosmpp. Long messages go as UCS-2
// parts with a concatenation header (UDH) the phone reassembles; receipts
// and replies arrive as deliver_sm on the same bind; enquire_link keeps
// the link alive, and a dropped link is rebound after a growing, jittered
// delay. Answers are matched to requests by sequence number and command.
type SMPP struct {
	cfg  SMPPConfig
	log  *slog.Logger
	pace *pacer
	slot chan struct{} // the window

	mu        sync.Mutex
	sess      *gosmpp.Session
	waiting   map[int32]chan submitResult
	bound     bool
	lastErr   string
	lastErrAt time.Time
	sink      Sink
	ctx       context.Context
	receipts  chan Receipt
	parts     map[string]*moParts
	closed    chan struct{}
}

type submitResult struct {
	resp    *pdu.SubmitSMResp
	err     error
	written bool // false: the PDU never left
}

// errLinkDown is the answer of every submit_sm in flight when the link
// drops: the SMSC may have it.
var errLinkDown = errors.New("smpp: the link dropped before the SMSC answered")

// NewSMPP returns the provider; Start binds it.
func NewSMPP(cfg SMPPConfig, log *slog.Logger) (*SMPP, error) {
	if cfg.Addr == "" || cfg.SystemID == "" {
		return nil, errors.New("smpp: give the SMSC address and system id (--smpp-addr, --smpp-user)")
	}
	if cfg.Window <= 0 {
		cfg.Window = 10
	}
	if cfg.EnquireLink <= 0 {
		cfg.EnquireLink = 30 * time.Second
	}
	if cfg.RespTimeout <= 0 {
		cfg.RespTimeout = 10 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &SMPP{cfg: cfg, log: log, parts: map[string]*moParts{}, waiting: map[int32]chan submitResult{}, slot: make(chan struct{}, cfg.Window)}
	if cfg.TPS > 0 {
		s.pace = &pacer{every: time.Second / time.Duration(cfg.TPS), burst: max(cfg.Window, cfg.TPS/20)}
	}
	return s, nil
}

// Name names the provider.
func (s *SMPP) Name() string { return "smpp" }

// Health reports the bind.
func (s *SMPP) Health() Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Health{Provider: "smpp", Bound: s.bound, Target: s.cfg.Addr + "（" + s.cfg.SystemID + "）", LastError: s.lastErr, LastErrorAt: s.lastErrAt}
}

func (s *SMPP) fail(err error) {
	s.mu.Lock()
	s.lastErr, s.lastErrAt = err.Error(), time.Now()
	s.mu.Unlock()
}

// Ready reports whether the link is bound.
func (s *SMPP) Ready() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bound
}

// Start binds, and keeps rebinding, until ctx ends.
func (s *SMPP) Start(ctx context.Context, sink Sink) error {
	s.sink, s.ctx = sink, ctx
	s.receipts = make(chan Receipt, 10000)
	s.closed = make(chan struct{})
	go s.takeReceipts(ctx)
	go s.keepBound(ctx)
	return nil
}

// Stopped is closed when the provider has unbound after ctx ended.
func (s *SMPP) Stopped() <-chan struct{} { return s.closed }

func (s *SMPP) dial(addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	var c net.Conn
	var err error
	if s.cfg.TLS {
		c, err = tls.DialWithDialer(&d, "tcp", addr, &tls.Config{MinVersion: tls.VersionTLS12})
	} else {
		c, err = d.Dial("tcp", addr)
	}
	if err != nil {
		return nil, err
	}
	// The bind must be answered in time; reads and writes after it set
	// their own deadlines.
	if err := c.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// keepBound binds, waits for the link to drop and binds again, waiting
// 1s, 2s, 4s … up to 2 minutes (±25%) between failed attempts.
func (s *SMPP) keepBound(ctx context.Context) {
	defer close(s.closed)
	delay := time.Second
	for ctx.Err() == nil {
		down := make(chan struct{})
		var once sync.Once
		settings := gosmpp.Settings{
			EnquireLink:  s.cfg.EnquireLink,
			ReadTimeout:  3 * s.cfg.EnquireLink,
			WriteTimeout: s.cfg.RespTimeout,
			OnAllPDU:     s.onPDU,
			OnSubmitError: func(p pdu.PDU, err error) {
				s.answer(p.GetSequenceNumber(), submitResult{err: err})
			},
			OnReceivingError: func(err error) { s.fail(fmt.Errorf("smpp read: %w", err)) },
			OnClosed:         func(gosmpp.State) { once.Do(func() { close(down) }) },
		}
		auth := gosmpp.Auth{SMSC: s.cfg.Addr, SystemID: s.cfg.SystemID, Password: s.cfg.Password, SystemType: s.cfg.SystemType}
		sess, err := gosmpp.NewSession(gosmpp.TRXConnector(s.dial, auth), settings, 0)
		if err != nil {
			s.fail(fmt.Errorf("smpp bind: %w", err))
			s.log.Warn("smpp bind failed", "addr", s.cfg.Addr, "err", err, "retry_in", delay)
			select {
			case <-ctx.Done():
			case <-time.After(delay*3/4 + rand.N(delay/2)):
			}
			delay = min(2*delay, 2*time.Minute)
			continue
		}
		s.mu.Lock()
		s.sess, s.bound = sess, true
		s.mu.Unlock()
		s.log.Info("smpp bound", "addr", s.cfg.Addr)
		up := time.Now()
		select {
		case <-ctx.Done():
		case <-down:
			s.fail(errors.New("smpp: link dropped"))
			// A link that stayed up a while is rebound at once; one that
			// keeps dropping is rebound ever more slowly.
			if time.Since(up) > time.Minute {
				delay = time.Second
			}
			s.log.Warn("smpp link dropped", "addr", s.cfg.Addr, "rebind_in", delay)
		}
		s.mu.Lock()
		s.sess, s.bound = nil, false
		waiting := s.waiting
		s.waiting = map[int32]chan submitResult{}
		s.mu.Unlock()
		for _, w := range waiting {
			w <- submitResult{err: errLinkDown, written: true}
		}
		if err := sess.Close(); err != nil {
			s.log.Debug("smpp: closing session", "err", err)
		}
		if ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-time.After(delay*3/4 + rand.N(delay/2)):
			}
			delay = min(2*delay, 2*time.Minute)
		}
	}
}

// onPDU takes everything the SMSC sends and returns the answer to send.
func (s *SMPP) onPDU(p pdu.PDU) (pdu.PDU, bool) {
	switch pd := p.(type) {
	case *pdu.SubmitSMResp:
		s.answer(pd.GetSequenceNumber(), submitResult{resp: pd, written: true})
	case *pdu.GenericNack:
		s.answer(pd.GetSequenceNumber(), submitResult{err: fmt.Errorf("smpp: generic_nack %v", pd.CommandStatus), written: true})
	case *pdu.DeliverSM:
		s.deliver(pd)
		return pd.GetResponse(), false
	case *pdu.EnquireLink:
		return pd.GetResponse(), false
	case *pdu.Unbind:
		return pd.GetResponse(), true
	}
	return nil, false
}

// answer hands a submit_sm its answer.
func (s *SMPP) answer(seq int32, r submitResult) {
	s.mu.Lock()
	w := s.waiting[seq]
	delete(s.waiting, seq)
	s.mu.Unlock()
	if w != nil {
		w <- r
	}
}

// takeReceipts hands receipts to the sink off the read loop, so that a
// busy database never holds up the answers to submit_sm. Receipts that
// queued up meanwhile go together, in one transaction where the sink
// takes batches.
func (s *SMPP) takeReceipts(ctx context.Context) {
	batcher, _ := s.sink.(interface {
		Receipts(context.Context, []Receipt) error
	})
	for {
		var batch []Receipt
		select {
		case <-ctx.Done():
			return
		case r := <-s.receipts:
			batch = append(batch, r)
		}
	more:
		for len(batch) < 500 {
			select {
			case r := <-s.receipts:
				batch = append(batch, r)
			default:
				break more
			}
		}
		for try := 0; ; try++ {
			var err error
			if batcher != nil {
				err = batcher.Receipts(ctx, batch)
			} else {
				for _, r := range batch {
					if e := s.sink.Receipt(ctx, r); e != nil {
						err = e
					}
				}
			}
			if err == nil || ctx.Err() != nil || try == 5 {
				if err != nil {
					s.log.Warn("smpp receipts not taken", "receipts", len(batch), "err", err)
				}
				break
			}
			time.Sleep(time.Duration(try+1) * 200 * time.Millisecond)
		}
	}
}

// Send submits m, in parts if it is long, at most Window at once and TPS
// per second.
func (s *SMPP) Send(ctx context.Context, m Message) ([]string, error) {
	select {
	case s.slot <- struct{}{}:
		defer func() { <-s.slot }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	parts := splitUCS2(m.Body, refFor(m.Key))
	var ids []string
	for i, part := range parts {
		id, err := s.submit(ctx, m.To, part)
		if err != nil {
			s.fail(err)
			if i > 0 && !IsAmbiguous(err) {
				// The phone has part of it: never send it again blindly.
				return ids, &AmbiguousError{Err: err}
			}
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// submit sends one submit_sm and waits for its answer.
func (s *SMPP) submit(ctx context.Context, to string, part smPart) (string, error) {
	if s.pace != nil {
		if err := s.pace.Wait(ctx); err != nil {
			return "", err
		}
	}
	p := pdu.NewSubmitSM().(*pdu.SubmitSM)
	if isDigits(s.cfg.Source) || s.cfg.Source == "" {
		p.SourceAddr = pdu.NewAddressWithTonNpi(0x00, 0x01)
	} else {
		p.SourceAddr = pdu.NewAddressWithTonNpi(0x05, 0x00)
	}
	if err := p.SourceAddr.SetAddress(s.cfg.Source); err != nil {
		return "", &PermanentError{Reason: "smpp: source address: " + err.Error()}
	}
	p.DestAddr = pdu.NewAddressWithTonNpi(0x01, 0x01)
	if err := p.DestAddr.SetAddress("86" + to); err != nil {
		return "", &PermanentError{Reason: "smpp: destination address: " + err.Error()}
	}
	p.EsmClass = part.esm
	p.RegisteredDelivery = 0x01 // final delivery receipt
	sm, err := pdu.NewBinaryShortMessageWithEncoding(part.data, data.UCS2)
	if err != nil {
		return "", &PermanentError{Reason: "smpp: " + err.Error()}
	}
	p.Message = sm

	w := make(chan submitResult, 1)
	s.mu.Lock()
	sess := s.sess
	if sess == nil {
		s.mu.Unlock()
		return "", errors.New("smpp: not bound to the SMSC")
	}
	s.waiting[p.GetSequenceNumber()] = w
	s.mu.Unlock()
	if err := sess.Transceiver().Submit(p); err != nil {
		s.answer(p.GetSequenceNumber(), submitResult{})
		return "", fmt.Errorf("smpp: %w", err)
	}
	t := time.NewTimer(s.cfg.RespTimeout)
	defer t.Stop()
	var r submitResult
	select {
	case r = <-w:
	case <-t.C:
		s.answer(p.GetSequenceNumber(), submitResult{})
		return "", &AmbiguousError{Err: fmt.Errorf("smpp: no answer within %s", s.cfg.RespTimeout)}
	}
	switch {
	case r.err != nil && !r.written:
		return "", fmt.Errorf("smpp: writing submit_sm: %w", r.err)
	case r.err != nil:
		return "", &AmbiguousError{Err: r.err}
	case r.resp == nil:
		return "", errors.New("smpp: submit_sm not sent")
	}
	st := uint32(r.resp.CommandStatus)
	switch st {
	case 0:
		return r.resp.MessageID, nil
	case 0x0A, 0x0B, 0x48, 0x49, 0x50, 0x51, 0x62, 0x66:
		// invalid source or destination address, TON or NPI; invalid
		// expiry; message blocked (blacklisted)
		return "", &PermanentError{Reason: fmt.Sprintf("SMSC refused the message: %v (0x%02X)", r.resp.CommandStatus, st)}
	}
	return "", fmt.Errorf("smpp: SMSC answered %v (0x%02X)", r.resp.CommandStatus, st)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// refFor is the concatenation reference of a message: stable per key.
func refFor(key string) byte {
	h := sha256.Sum256([]byte(key))
	return h[0]
}

type smPart struct {
	data []byte // UCS-2, behind the UDH if esm has it
	esm  uint8
}

// splitUCS2 encodes body as UCS-2 (UTF-16BE) and, when it is longer than
// one SMS (70 characters), splits it into parts of at most 67 characters
// behind an 8-bit-reference concatenation header, never between the two
// halves of a surrogate pair.
func splitUCS2(body string, ref byte) []smPart {
	units := utf16.Encode([]rune(body))
	if len(units) <= 70 {
		return []smPart{{data: be(units)}}
	}
	var chunks [][]uint16
	for len(units) > 0 {
		n := min(67, len(units))
		if n < len(units) && utf16.IsSurrogate(rune(units[n-1])) && units[n-1] < 0xDC00 {
			n-- // keep a pair together
		}
		chunks = append(chunks, units[:n])
		units = units[n:]
	}
	parts := make([]smPart, len(chunks))
	for i, c := range chunks {
		udh := []byte{0x05, 0x00, 0x03, ref, byte(len(chunks)), byte(i + 1)}
		parts[i] = smPart{data: append(udh, be(c)...), esm: 0x40}
	}
	return parts
}

func be(units []uint16) []byte {
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// deliver takes a deliver_sm: a delivery receipt or a party's message.
func (s *SMPP) deliver(p *pdu.DeliverSM) {
	raw, _ := p.Message.GetMessageData()
	if len(raw) == 0 {
		if f, ok := p.OptionalParameters[pdu.TagMessagePayload]; ok {
			raw = f.Data
		}
	}
	coding := byte(0)
	if enc := p.Message.Encoding(); enc != nil {
		coding = enc.DataCoding()
	}
	if p.EsmClass&0x3C == 0x04 { // SMSC delivery receipt
		var id string
		var state byte
		if f, ok := p.OptionalParameters[pdu.TagReceiptedMessageID]; ok {
			id = strings.TrimRight(string(f.Data), "\x00")
		}
		if f, ok := p.OptionalParameters[pdu.TagMessageStateOption]; ok && len(f.Data) > 0 {
			state = f.Data[0]
		}
		if r, ok := ParseReceipt(string(raw), id, state); ok {
			select {
			case s.receipts <- r:
			case <-s.ctx.Done():
			}
		}
		return
	}
	from := strings.TrimPrefix(strings.TrimPrefix(p.SourceAddr.Address(), "+"), "86")
	if total, seq, ref, ok := p.Message.UDH().GetConcatInfo(); ok && p.EsmClass&0x40 != 0 {
		text, done := s.reassemble(from, fmt.Sprint(ref), int(total), int(seq), raw, coding)
		if done {
			s.reply(Reply{From: from, Body: text, At: time.Now()})
		}
		return
	}
	s.reply(Reply{From: from, Body: decodeText(raw, coding), At: time.Now()})
}

// reply gives a party's message to the sink, trying a few times: the
// deliver_sm is answered when handle returns.
func (s *SMPP) reply(r Reply) {
	for try := 0; try < 5; try++ {
		err := s.sink.Reply(s.ctx, r)
		if err == nil || s.ctx.Err() != nil {
			return
		}
		s.log.Warn("smpp reply not taken", "from", domain.MaskMobile(r.From), "err", err)
		time.Sleep(time.Duration(try+1) * 200 * time.Millisecond)
	}
}

type moParts struct {
	parts [][]byte
	got   int
	at    time.Time
}

// reassemble keeps the parts of a long message until all arrived.
func (s *SMPP) reassemble(from, ref string, total, seq int, body []byte, coding byte) (string, bool) {
	if total == 0 || seq == 0 || seq > total {
		return decodeText(body, coding), true
	}
	key := from + "/" + ref
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, m := range s.parts { // forget parts that never completed
		if time.Since(m.at) > 10*time.Minute {
			delete(s.parts, k)
		}
	}
	m := s.parts[key]
	if m == nil || len(m.parts) != total {
		m = &moParts{parts: make([][]byte, total), at: time.Now()}
		s.parts[key] = m
	}
	if m.parts[seq-1] == nil {
		m.parts[seq-1] = body
		m.got++
	}
	if m.got < total {
		return "", false
	}
	delete(s.parts, key)
	var all []byte
	for _, p := range m.parts {
		all = append(all, p...)
	}
	return decodeText(all, coding), true
}

// decodeText reads a message's bytes by its data_coding: UCS-2, GBK (15,
// as Chinese networks use it) or ASCII/GSM digits and letters.
func decodeText(b []byte, coding byte) string {
	switch coding {
	case 0x08:
		units := make([]uint16, len(b)/2)
		for i := range units {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(units))
	case 0x0F:
		if s, err := simplifiedchinese.GBK.NewDecoder().Bytes(b); err == nil {
			return string(s)
		}
	case 0x03: // Latin-1
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r)
	}
	return string(b)
}

// ParseReceipt reads a delivery receipt: the TLVs receipted_message_id and
// message_state (0 if absent) when present, else the text "id:…
// stat:DELIVRD err:…" of SMPP 3.4 appendix B. Receipts of states that are
// not final are ignored.
func ParseReceipt(text, tlvID string, tlvState byte) (Receipt, bool) {
	var r Receipt
	fields := map[string]string{}
	for _, key := range []string{"id", "stat", "err"} {
		i := strings.Index(text, key+":")
		if i < 0 {
			continue
		}
		v := text[i+len(key)+1:]
		if j := strings.IndexByte(v, ' '); j >= 0 {
			v = v[:j]
		}
		fields[key] = v
	}
	r.ProviderID = fields["id"]
	stat := fields["stat"]
	if tlvID != "" {
		r.ProviderID = tlvID
	}
	if st, ok := map[byte]string{2: "DELIVRD", 3: "EXPIRED", 4: "DELETED", 5: "UNDELIV", 8: "REJECTD"}[tlvState]; ok {
		stat = st
	}
	switch stat {
	case "DELIVRD":
		r.State = Delivered
	case "EXPIRED":
		r.State = Expired
	case "UNDELIV", "REJECTD", "DELETED":
		r.State = Undelivered
	default:
		return r, false
	}
	r.Error = strings.TrimSpace(stat + " " + fields["err"])
	r.At = time.Now()
	return r, r.ProviderID != ""
}

// pacer spaces calls evenly, one per every on average. Time it was not
// asked for (the sender recording a round between two windows) is
// credited up to burst calls — the providers allow the window or 50 ms
// of calls, whichever is more — so the average holds at the cap and no
// more than burst calls ever go out faster than it.
type pacer struct {
	mu    sync.Mutex
	every time.Duration
	burst int
	next  time.Time
}

// Wait blocks until the caller's turn.
func (p *pacer) Wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	if floor := now.Add(-time.Duration(p.burst) * p.every); p.next.Before(floor) {
		p.next = floor
	}
	at := p.next
	p.next = p.next.Add(p.every)
	p.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

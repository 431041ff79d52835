// Package smsctest is a test SMSC for zhilian's tests and benchmarks. It
// runs the SMPP server of fiorix/go-smpp (smpp/smpptest), which zhilian
// did not write, with a handler that plays a carrier: it answers
// submit_sm with a message id, reassembles long messages from their
// concatenation headers, counts every complete message it received per
// number and text, sends delivery receipts and lets parties reply
// (deliver_sm, mobile-originated). Faults can be injected: a dropped link
// mid-batch, refused numbers, undeliverable ones.
package smsctest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf16"

	"github.com/fiorix/go-smpp/smpp/pdu"
	"github.com/fiorix/go-smpp/smpp/pdu/pdufield"
	"github.com/fiorix/go-smpp/smpp/pdu/pdutlv"
	"github.com/fiorix/go-smpp/smpp/smpptest"
)

// Message is a complete message the SMSC received.
type Message struct {
	To   string // as submitted, e.g. 8613800000001
	Text string
	IDs  []string
	At   time.Time
}

// SMSC is a running test SMSC.
type SMSC struct {
	srv *smpptest.Server

	// Answer, if set, gives the party's reply to a message ("" for none);
	// the reply is sent as a UCS-2 deliver_sm right after the receipt.
	Answer func(to, text string) string
	// Refuse lists numbers (as submitted) answered with
	// ESME_RINVDSTADR; Undeliverable lists numbers whose receipts say
	// UNDELIV.
	Refuse, Undeliverable map[string]bool
	// DropAt, if set, closes the link on receiving that submit_sm (1 is
	// the first), without answering it: the client cannot know whether
	// it arrived. It counts as received. Once.
	DropAt int
	// Delay holds each answer back.
	Delay time.Duration
	// Mute, while set, makes the SMSC answer nothing, enquire_link
	// included: a link that is up but dead.
	Mute atomic.Bool

	mu       sync.Mutex
	seq      int
	submits  int
	received []Message
	count    map[string]int
	partial  map[string]*partial
	binds    int
	enquires int
	writeMu  sync.Mutex
	conns    []smpptest.Conn
}

type partial struct {
	parts [][]uint16
	got   int
	ids   []string
}

// Start runs an SMSC on a free loopback port with the default
// credentials (smpptest.DefaultUser, smpptest.DefaultPasswd).
func Start() *SMSC {
	s := &SMSC{count: map[string]int{}, partial: map[string]*partial{}, Refuse: map[string]bool{}, Undeliverable: map[string]bool{}}
	s.srv = smpptest.NewUnstartedServer()
	s.srv.Handler = s.handle
	s.srv.Start()
	return s
}

// Addr is the host:port to bind to.
func (s *SMSC) Addr() string { return s.srv.Addr() }

// User and Password are the credentials the SMSC accepts.
func (s *SMSC) User() string     { return s.srv.User }
func (s *SMSC) Password() string { return s.srv.Passwd }

// Close stops accepting binds.
func (s *SMSC) Close() { s.srv.Close() }

// Received returns the complete messages received so far.
func (s *SMSC) Received() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.received...)
}

// Count is how many times a message with this number and text arrived.
func (s *SMSC) Count(to, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[to+"\x00"+text]
}

// Submits is how many submit_sm arrived (parts counted one by one).
func (s *SMSC) Submits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.submits
}

// Binds is how many binds sent PDUs after binding.
func (s *SMSC) Binds() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.binds
}

// SendMO sends a party's message to every bound client; a text longer
// than 70 characters goes in parts with a concatenation header, as a
// phone sends it.
func (s *SMSC) SendMO(from, text string) {
	s.mu.Lock()
	conns := append([]smpptest.Conn(nil), s.conns...)
	s.mu.Unlock()
	units := utf16.Encode([]rune(text))
	var parts []pdu.Body
	if len(units) <= 70 {
		parts = append(parts, mo(from, text))
	} else {
		total := (len(units) + 66) / 67
		for i := 0; i < total; i++ {
			chunk := units[i*67 : min((i+1)*67, len(units))]
			b := []byte{0x05, 0x00, 0x03, 0x2A, byte(total), byte(i + 1)}
			for _, u := range chunk {
				b = append(b, byte(u>>8), byte(u))
			}
			parts = append(parts, deliverSM(from, 0x40, 0x08, b))
		}
	}
	for _, c := range conns {
		for _, p := range parts {
			s.write(c, p)
		}
	}
}

func (s *SMSC) write(c smpptest.Conn, p pdu.Body) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	c.Write(p)
}

// EnquireLinks is how many enquire_link arrived.
func (s *SMSC) EnquireLinks() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enquires
}

func (s *SMSC) handle(c smpptest.Conn, m pdu.Body) {
	if s.Mute.Load() {
		return
	}
	s.mu.Lock()
	known := false
	for _, k := range s.conns {
		known = known || k == c
	}
	if !known {
		s.conns = append(s.conns, c)
		s.binds++
	}
	s.mu.Unlock()
	switch m.Header().ID {
	case pdu.EnquireLinkID:
		s.mu.Lock()
		s.enquires++
		s.mu.Unlock()
		r := pdu.NewEnquireLinkResp()
		r.Header().Seq = m.Header().Seq
		s.write(c, r)
	case pdu.UnbindID:
		r := pdu.NewUnbindResp()
		r.Header().Seq = m.Header().Seq
		s.write(c, r)
		c.Close()
	case pdu.SubmitSMID:
		s.submit(c, m)
	case pdu.DeliverSMRespID:
	default:
		r := pdu.NewGenericNACK()
		r.Header().Seq = m.Header().Seq
		r.Header().Status = 0x03 // ESME_RINVCMDID
		s.write(c, r)
	}
}

func (s *SMSC) submit(c smpptest.Conn, m pdu.Body) {
	if s.Delay > 0 {
		time.Sleep(s.Delay)
	}
	f := m.Fields()
	to := f[pdufield.DestinationAddr].String()
	data := f[pdufield.ShortMessage].Bytes()
	esm := f[pdufield.ESMClass].Bytes()[0]
	resp := pdu.NewSubmitSMResp()
	resp.Header().Seq = m.Header().Seq

	s.mu.Lock()
	s.submits++
	if s.Refuse[to] {
		s.mu.Unlock()
		resp.Header().Status = 0x0B // ESME_RINVDSTADR
		s.write(c, resp)
		return
	}
	s.seq++
	id := fmt.Sprintf("m%08d", s.seq)
	var ref string
	total, part := 1, 1
	body := data
	if esm&0x40 != 0 && len(data) > 0 {
		udhl := int(data[0])
		udh := data[1 : udhl+1]
		body = data[udhl+1:]
		if udh[0] == 0x00 {
			ref, total, part = fmt.Sprint(udh[2]), int(udh[3]), int(udh[4])
		} else if udh[0] == 0x08 {
			ref, total, part = fmt.Sprint(int(udh[2])<<8|int(udh[3])), int(udh[4]), int(udh[5])
		}
	}
	units := make([]uint16, len(body)/2)
	for i := range units {
		units[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
	}
	key := to + "/" + ref
	p := s.partial[key]
	if p == nil {
		p = &partial{parts: make([][]uint16, total)}
		s.partial[key] = p
	}
	if part <= len(p.parts) && p.parts[part-1] == nil {
		p.parts[part-1] = units
		p.got++
	}
	p.ids = append(p.ids, id)
	var done *Message
	if p.got == len(p.parts) {
		delete(s.partial, key)
		var all []uint16
		for _, u := range p.parts {
			all = append(all, u...)
		}
		msg := Message{To: to, Text: string(utf16.Decode(all)), IDs: p.ids, At: time.Now()}
		s.received = append(s.received, msg)
		s.count[to+"\x00"+msg.Text]++
		done = &msg
	}
	drop := s.DropAt > 0 && s.submits == s.DropAt
	if drop {
		s.DropAt = 0
	}
	undeliverable := s.Undeliverable[to]
	s.mu.Unlock()

	if drop {
		c.Close()
		return
	}
	resp.Fields().Set(pdufield.MessageID, id)
	s.write(c, resp)
	if f[pdufield.RegisteredDelivery].Bytes()[0]&1 == 1 {
		stat, state := "DELIVRD", uint8(2)
		if undeliverable {
			stat, state = "UNDELIV", 5
		}
		s.write(c, receipt(id, to, stat, state))
	}
	if done != nil && s.Answer != nil {
		if a := s.Answer(to, done.Text); a != "" {
			s.write(c, mo(strings.TrimPrefix(to, "86"), a))
		}
	}
}

// deliverSM builds a deliver_sm by hand: fiorix's encoder writes the
// UDH fields of its deliver_sm even when there is no UDH. Sequence numbers
// start high, away from a client's.
func deliverSM(from string, esm, coding byte, sm []byte, tlvs ...tlv) pdu.Body {
	var b bytes.Buffer
	cstr := func(s string) { b.WriteString(s); b.WriteByte(0) }
	cstr("")                    // service_type
	b.Write([]byte{0x01, 0x01}) // source TON, NPI
	cstr(from)
	b.Write([]byte{0x00, 0x00}) // dest TON, NPI
	cstr("12368")
	b.Write([]byte{esm, 0x00, 0x00}) // esm_class, protocol_id, priority_flag
	cstr("")                         // schedule_delivery_time
	cstr("")                         // validity_period
	b.Write([]byte{0x00, 0x00, coding, 0x00, byte(len(sm))})
	b.Write(sm)
	for _, t := range tlvs {
		b.Write([]byte{byte(t.tag >> 8), byte(t.tag), byte(len(t.value) >> 8), byte(len(t.value))})
		b.Write(t.value)
	}
	return &rawPDU{h: pdu.Header{ID: pdu.DeliverSMID, Seq: uint32(0x40000000 + atomic.AddUint32(&deliverSeq, 1))}, body: b.Bytes()}
}

var deliverSeq uint32

type tlv struct {
	tag   uint16
	value []byte
}

// rawPDU is a PDU already encoded.
type rawPDU struct {
	h    pdu.Header
	body []byte
}

func (p *rawPDU) Header() *pdu.Header      { return &p.h }
func (p *rawPDU) Len() int                 { return pdu.HeaderLen + len(p.body) }
func (p *rawPDU) FieldList() pdufield.List { return nil }
func (p *rawPDU) Fields() pdufield.Map     { return pdufield.Map{} }
func (p *rawPDU) TLVFields() pdutlv.Map    { return pdutlv.Map{} }
func (p *rawPDU) SerializeTo(w io.Writer) error {
	p.h.Len = uint32(p.Len())
	if err := p.h.SerializeTo(w); err != nil {
		return err
	}
	_, err := w.Write(p.body)
	return err
}

func receipt(id, to, stat string, state uint8) pdu.Body {
	now := time.Now().Format("0601021504")
	dlvrd := 0
	if stat == "DELIVRD" {
		dlvrd = 1
	}
	text := fmt.Sprintf("id:%s sub:001 dlvrd:%03d submit date:%s done date:%s stat:%s err:000 text:", id, dlvrd, now, now, stat)
	return deliverSM(to, 0x04, 0x00, []byte(text), tlv{0x001E, append([]byte(id), 0)}, tlv{0x0427, []byte{state}})
}

func mo(from, text string) pdu.Body {
	units := utf16.Encode([]rune(text))
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = append(b, byte(u>>8), byte(u))
	}
	return deliverSM(from, 0x00, 0x08, b)
}

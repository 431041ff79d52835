// Package sms carries the return-visit messages: the Gateway interface
// every provider implements, the log provider for development and the
// simulator that plays parties answering in the demo. The outbox that
// feeds a gateway and the matching of replies live in the store; the
// SMPP and HTTP providers are the SMS transport issue's.
package sms

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Message is one SMS to send. Key is unique per visit and step: a
// provider that supports idempotency passes it on, so that a retry never
// reaches a phone twice.
type Message struct {
	To   string // mainland mobile, 11 digits
	Body string
	Key  string
	// Kind is the return-visit message kind (question, ask_again,
	// categories), for the simulator.
	Kind string
}

// Reply is a message received from a party.
type Reply struct {
	From string
	Body string
	At   time.Time
}

// Gateway sends messages. Send returns the provider's id for the message.
type Gateway interface {
	Name() string
	Send(ctx context.Context, m Message) (string, error)
}

// Poller is a gateway that collects replies for the caller to fetch.
type Poller interface {
	Replies(ctx context.Context) ([]Reply, error)
}

// Log is the development provider: it writes each message to the log and
// sends nothing.
type Log struct{ Log *slog.Logger }

// Name names the provider.
func (l *Log) Name() string { return "log" }

// Send logs the message; the number is masked.
func (l *Log) Send(ctx context.Context, m Message) (string, error) {
	l.Log.Info("sms (log provider, not sent)", "to", m.To[:3]+"****"+m.To[len(m.To)-4:], "key", m.Key, "body", m.Body)
	return "log-" + m.Key, nil
}

// Simulator plays parties for the demo: it accepts every message and
// answers some of them, the way people do — mostly 满意, some 不满意 with
// the categories asked for after, some 不知道, some unclear text, some
// silence. The choice is a hash of the message key, so a demo is the same
// every time.
type Simulator struct {
	mu      sync.Mutex
	pending []Reply
	now     func() time.Time
}

// NewSimulator returns a simulator using the clock now.
func NewSimulator(now func() time.Time) *Simulator { return &Simulator{now: now} }

// Name names the provider.
func (s *Simulator) Name() string { return "simulator" }

// Send accepts the message and, perhaps, queues the party's answer.
func (s *Simulator) Send(ctx context.Context, m Message) (string, error) {
	h := sha256.Sum256([]byte(m.Key))
	roll := binary.BigEndian.Uint32(h[:4]) % 100
	var answer string
	switch m.Kind {
	case "categories":
		answers := []string{"1 3", "2", "1，4", "3", "第2项"}
		answer = answers[roll%uint32(len(answers))]
		if roll >= 85 {
			answer = ""
		}
	case "ask_again":
		if roll < 70 {
			answer = "1"
		}
	default:
		switch {
		case roll < 55:
			answer = []string{"1", "满意", "满意，谢谢", "１"}[roll%4]
		case roll < 70:
			answer = []string{"2", "不满意", "不满意！钱还没到"}[roll%3]
		case roll < 75:
			answer = "不知道"
		case roll < 85:
			answer = []string{"嗯", "收到", "？"}[roll%3]
		}
	}
	if answer != "" {
		s.mu.Lock()
		s.pending = append(s.pending, Reply{From: m.To, Body: answer, At: s.now()})
		s.mu.Unlock()
	}
	return fmt.Sprintf("sim-%x", h[:6]), nil
}

// Replies returns the answers queued since the last call.
func (s *Simulator) Replies(ctx context.Context) ([]Reply, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.pending
	s.pending = nil
	return out, nil
}

// PermanentError is a failure retrying cannot mend (an invalid number, a
// blacklisted one): the message ends and the visit goes to the phone.
type PermanentError struct{ Reason string }

func (e *PermanentError) Error() string { return "permanent SMS failure: " + e.Reason }

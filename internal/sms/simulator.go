package sms

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sync"
	"time"
)

// Simulator plays the network and the parties for the demo: it accepts
// every message, sends a delivery receipt (a few numbers fail), and
// answers some messages the way people do — mostly 满意, some 不满意 with
// the categories asked for after, some 不知道, some unclear text, some
// silence. The choice is a hash of the message key, so a demo is the same
// every time.
type Simulator struct {
	// Delay is how long after a message its receipt and answer come;
	// 2 seconds if zero.
	Delay time.Duration

	mu      sync.Mutex
	pending []simEvent
	now     func() time.Time
}

type simEvent struct {
	due     time.Time
	reply   *Reply
	receipt *Receipt
}

// NewSimulator returns a simulator using the clock now.
func NewSimulator(now func() time.Time) *Simulator { return &Simulator{now: now} }

// Name names the provider.
func (s *Simulator) Name() string { return "simulator" }

// Health is always fine.
func (s *Simulator) Health() Health {
	return Health{Provider: "simulator", Bound: true, Target: "模拟网关（演示用，不发送真实短信）"}
}

// Start delivers the receipts and answers as they fall due.
func (s *Simulator) Start(ctx context.Context, sink Sink) error {
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.Flush(ctx, sink, false)
			}
		}
	}()
	return nil
}

// Flush gives sink the events that are due, or all of them.
func (s *Simulator) Flush(ctx context.Context, sink Sink, all bool) {
	now := time.Now()
	s.mu.Lock()
	var due, later []simEvent
	for _, e := range s.pending {
		if all || !e.due.After(now) {
			due = append(due, e)
		} else {
			later = append(later, e)
		}
	}
	s.pending = later
	s.mu.Unlock()
	for _, e := range due {
		var err error
		if e.receipt != nil {
			err = sink.Receipt(ctx, *e.receipt)
		} else {
			err = sink.Reply(ctx, *e.reply)
		}
		if err != nil && ctx.Err() == nil {
			s.mu.Lock()
			s.pending = append(s.pending, e) // offered again, as a network would
			s.mu.Unlock()
		}
	}
}

// Send accepts the message and queues its receipt and, perhaps, the
// party's answer.
func (s *Simulator) Send(ctx context.Context, m Message) ([]string, error) {
	h := sha256.Sum256([]byte(m.Key))
	roll := binary.BigEndian.Uint32(h[:4]) % 100
	id := fmt.Sprintf("sim-%x", h[:6])
	delay := s.Delay
	if delay <= 0 {
		delay = 2 * time.Second
	}
	due := time.Now().Add(delay)
	if roll >= 97 {
		s.queue(simEvent{due: due, receipt: &Receipt{ProviderID: id, State: Undelivered, Error: "UNDELIV 用户停机", At: s.now()}})
		return []string{id}, nil
	}
	s.queue(simEvent{due: due, receipt: &Receipt{ProviderID: id, State: Delivered, At: s.now()}})
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
		s.queue(simEvent{due: due.Add(delay), reply: &Reply{From: m.To, Body: answer, At: s.now()}})
	}
	return []string{id}, nil
}

func (s *Simulator) queue(e simEvent) {
	s.mu.Lock()
	s.pending = append(s.pending, e)
	s.mu.Unlock()
}

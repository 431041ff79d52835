package sms

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Results of one attempt, as the Sender records them.
const (
	ResultSent    = "sent"    // the gateway took it
	ResultRetry   = "retry"   // a temporary failure before it left: again at Next
	ResultFailed  = "failed"  // a permanent failure: the visit goes to the phone
	ResultUnknown = "unknown" // it may have left: a person decides
	ResultRequeue = "requeue" // the gateway says it never arrived: send again
)

// Outcome is what became of one claimed message.
type Outcome struct {
	ID          int64
	Result      string
	ProviderIDs []string
	Reason      string
	Next        time.Time // for ResultRetry
}

// Outbox is the store's side of sending: the messages queued in the
// transactions that decided them.
type Outbox interface {
	// Lease takes or renews the right to send for ttl; false if another
	// process holds it.
	Lease(ctx context.Context, holder string, ttl time.Duration) (bool, error)
	// Claim marks up to n due messages as being sent by holder and
	// returns them; a number already texted cap times since dayStart
	// waits for the next day.
	Claim(ctx context.Context, holder string, n int, now, dayStart time.Time, cap int) ([]Message, error)
	// Orphans returns messages left being sent by another holder, or by
	// this one before stale: their gateway calls' fate is unknown.
	Orphans(ctx context.Context, holder string, stale time.Time) ([]Message, error)
	// Record stores outcomes, in one transaction.
	Record(ctx context.Context, outcomes []Outcome) error
}

// SenderConfig sets the rules of sending. Zero values take the defaults.
type SenderConfig struct {
	// Window is how many messages are in the gateway's hands at once;
	// default 10.
	Window int
	// QuietFrom and QuietTo bound the hours no SMS goes out, as minutes
	// after midnight Beijing time; default 21:00 to 08:00. Equal values
	// turn quiet hours off.
	QuietFrom, QuietTo int
	// DailyCap is how many messages one number gets a day; default 5.
	DailyCap int
	// MaxAttempts ends a message that failed temporarily this many
	// times; default 8.
	MaxAttempts int
	// Backoff is the first retry's delay, doubled each time up to
	// MaxBackoff, with ±50% jitter; defaults 30s and 30m.
	Backoff, MaxBackoff time.Duration
	// SendTimeout bounds one gateway call; default 30s.
	SendTimeout time.Duration
	// Idle is the pause when there is nothing to send; default 2s.
	Idle time.Duration
	// LeaseTTL is how long the send lease lasts unrenewed; default 30s.
	LeaseTTL time.Duration
}

// DefaultQuiet is 21:00–08:00.
const (
	DefaultQuietFrom = 21 * 60
	DefaultQuietTo   = 8 * 60
)

func (c *SenderConfig) defaults() {
	if c.Window <= 0 {
		c.Window = 10
	}
	if c.QuietFrom == 0 && c.QuietTo == 0 {
		c.QuietFrom, c.QuietTo = DefaultQuietFrom, DefaultQuietTo
	}
	if c.DailyCap <= 0 {
		c.DailyCap = 5
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.Backoff <= 0 {
		c.Backoff = 30 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 30 * time.Minute
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = 30 * time.Second
	}
	if c.Idle <= 0 {
		c.Idle = 2 * time.Second
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 30 * time.Second
	}
}

// ParseQuiet reads "21:00-08:00" (or "off") into minutes after midnight.
func ParseQuiet(s string) (from, to int, err error) {
	if s == "off" || s == "" {
		return -1, -1, nil
	}
	var h1, m1, h2, m2 int
	if _, err := fmt.Sscanf(s, "%d:%d-%d:%d", &h1, &m1, &h2, &m2); err != nil || h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 {
		return 0, 0, fmt.Errorf("quiet hours %q: want HH:MM-HH:MM or off", s)
	}
	return h1*60 + m1, h2*60 + m2, nil
}

// Beijing is the time zone of quiet hours and daily caps.
var Beijing = time.FixedZone("CST", 8*3600)

// Quiet reports whether t falls in the quiet hours, and when they end.
func (c *SenderConfig) Quiet(t time.Time) (bool, time.Time) {
	if c.QuietFrom == c.QuietTo {
		return false, time.Time{}
	}
	b := t.In(Beijing)
	mins := b.Hour()*60 + b.Minute()
	var in bool
	if c.QuietFrom < c.QuietTo {
		in = mins >= c.QuietFrom && mins < c.QuietTo
	} else {
		in = mins >= c.QuietFrom || mins < c.QuietTo
	}
	if !in {
		return false, time.Time{}
	}
	end := time.Date(b.Year(), b.Month(), b.Day(), c.QuietTo/60, c.QuietTo%60, 0, 0, Beijing)
	if !end.After(b) {
		end = end.AddDate(0, 0, 1)
	}
	return true, end
}

// Sender works the outbox through one gateway. Several processes may run
// one each; a lease in the database lets one send at a time, so the TPS
// limit and the window hold for the whole installation.
type Sender struct {
	Outbox  Outbox
	Gateway Gateway
	Config  SenderConfig
	Log     *slog.Logger
	Now     func() time.Time
	// Holder names this process in the lease; host, pid and a random
	// suffix if empty.
	Holder string

	inited    bool
	leased    time.Time // when the lease was last taken or renewed
	holding   bool
	orphansAt time.Time
	sent      atomic.Int64
	lastError atomic.Value // string
}

func (s *Sender) init() {
	if s.inited {
		return
	}
	s.inited = true
	s.Config.defaults()
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.Holder == "" {
		host, _ := os.Hostname()
		s.Holder = fmt.Sprintf("%s-%d-%x", host, os.Getpid(), rand.Uint32())
	}
}

// Run sends until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	s.init()
	for ctx.Err() == nil {
		wait, err := s.Step(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Warn("sms sender", "err", err)
			s.lastError.Store(err.Error())
			wait = s.Config.Idle
		}
		if wait > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
	}
}

// Sent is how many messages this process handed to the gateway.
func (s *Sender) Sent() int64 { return s.sent.Load() }

// Step does one round: it takes the lease, settles orphaned messages and
// sends up to a window of messages. It returns how long to wait before
// the next round.
func (s *Sender) Step(ctx context.Context) (time.Duration, error) {
	s.init()
	now := s.Now()
	fresh := false
	if !s.holding || now.Sub(s.leased) > s.Config.LeaseTTL/3 {
		ok, err := s.Outbox.Lease(ctx, s.Holder, s.Config.LeaseTTL)
		if err != nil {
			s.holding = false
			return s.Config.Idle, err
		}
		fresh = ok && !s.holding
		s.holding, s.leased = ok, now
		if !ok {
			return s.Config.Idle, nil
		}
	}
	if fresh || now.Sub(s.orphansAt) > time.Minute {
		// Whoever sent before may have died mid-call.
		s.orphansAt = now
		if err := s.settleOrphans(ctx, now.Add(-2*s.Config.SendTimeout)); err != nil {
			return s.Config.Idle, err
		}
	}
	if quiet, end := s.Config.Quiet(now); quiet {
		return min(end.Sub(now), time.Minute), nil
	}
	if r, ok := s.Gateway.(interface{ Ready() bool }); ok && !r.Ready() {
		// Not bound: waiting costs the messages no attempts.
		return s.Config.Idle, nil
	}
	b := now.In(Beijing)
	dayStart := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, Beijing)
	msgs, err := s.Outbox.Claim(ctx, s.Holder, s.Config.Window, now, dayStart, s.Config.DailyCap)
	if err != nil {
		return s.Config.Idle, err
	}
	if len(msgs) == 0 {
		return s.Config.Idle, nil
	}
	outcomes := make([]Outcome, len(msgs))
	var wg sync.WaitGroup
	for i, m := range msgs {
		wg.Go(func() { outcomes[i] = s.send(ctx, m) })
	}
	// A slow gateway may hold a round longer than the lease: keep it, so
	// that no other process takes these messages for orphans meanwhile.
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(s.Config.LeaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if _, err := s.Outbox.Lease(context.WithoutCancel(ctx), s.Holder, s.Config.LeaseTTL); err != nil {
					s.Log.Warn("renewing the sms lease", "err", err)
				}
			}
		}
	}()
	wg.Wait()
	close(done)
	// Recorded even if ctx ended meanwhile: the gateway calls happened.
	if err := s.Outbox.Record(context.WithoutCancel(ctx), outcomes); err != nil {
		return s.Config.Idle, fmt.Errorf("recording %d outcomes: %w", len(outcomes), err)
	}
	return 0, nil
}

// send makes one gateway call and classifies what came of it.
func (s *Sender) send(ctx context.Context, m Message) Outcome {
	cctx, cancel := context.WithTimeout(ctx, s.Config.SendTimeout)
	defer cancel()
	ids, err := s.Gateway.Send(cctx, m)
	switch {
	case err == nil:
		s.sent.Add(1)
		return Outcome{ID: m.ID, Result: ResultSent, ProviderIDs: ids}
	case IsPermanent(err):
		return Outcome{ID: m.ID, Result: ResultFailed, Reason: err.Error()}
	case IsAmbiguous(err):
		s.Log.Warn("sms fate unknown", "message", m.ID, "err", err)
		return s.ask(ctx, m, err)
	case m.Attempts+1 >= s.Config.MaxAttempts:
		return Outcome{ID: m.ID, Result: ResultFailed, Reason: fmt.Sprintf("gave up after %d attempts: %v", m.Attempts+1, err)}
	default:
		s.lastError.Store(err.Error())
		return Outcome{ID: m.ID, Result: ResultRetry, Reason: err.Error(), Next: s.Now().Add(s.backoff(m))}
	}
}

// ask settles a message whose gateway call ended without an answer: a
// gateway that can be asked is asked; otherwise a person decides.
func (s *Sender) ask(ctx context.Context, m Message, cause error) Outcome {
	q, ok := s.Gateway.(Querier)
	if !ok {
		return Outcome{ID: m.ID, Result: ResultUnknown, Reason: cause.Error()}
	}
	cctx, cancel := context.WithTimeout(ctx, s.Config.SendTimeout)
	defer cancel()
	ids, found, err := q.Query(cctx, m)
	switch {
	case err != nil:
		return Outcome{ID: m.ID, Result: ResultUnknown, Reason: fmt.Sprintf("%v; asking the gateway failed: %v", cause, err)}
	case found:
		s.sent.Add(1)
		return Outcome{ID: m.ID, Result: ResultSent, ProviderIDs: ids}
	default:
		return Outcome{ID: m.ID, Result: ResultRequeue, Reason: cause.Error()}
	}
}

// settleOrphans asks about, or hands to a person, the messages another
// holder left mid-call.
func (s *Sender) settleOrphans(ctx context.Context, stale time.Time) error {
	orphans, err := s.Outbox.Orphans(ctx, s.Holder, stale)
	if err != nil || len(orphans) == 0 {
		return err
	}
	s.Log.Warn("sms messages left mid-send by a stopped sender", "messages", len(orphans))
	var out []Outcome
	for _, m := range orphans {
		out = append(out, s.ask(ctx, m, fmt.Errorf("the sender stopped during the gateway call")))
	}
	return s.Outbox.Record(ctx, out)
}

// backoff is the delay before the next attempt: Backoff doubled per
// attempt so far, capped, with ±50% jitter so that a gateway coming back
// is not met by every message at once.
func (s *Sender) backoff(m Message) time.Duration {
	d := s.Config.Backoff << min(m.Attempts, 20)
	if d > s.Config.MaxBackoff || d <= 0 {
		d = s.Config.MaxBackoff
	}
	return d/2 + rand.N(d)
}

// Health is the gateway's state with the sender's.
func (s *Sender) Health() Health {
	h := s.Gateway.Health()
	if h.LastError == "" {
		if e, _ := s.lastError.Load().(string); e != "" {
			h.LastError = e
		}
	}
	return h
}

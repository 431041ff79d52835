// Package sms carries the return-visit messages. It holds the Gateway
// interface every provider implements — smpp (SMPP 3.4 transceiver), http
// (signed JSON), log (development) and the simulator the demo uses — and
// the Sender, which works the outbox the store keeps: one message at a
// time reaches the gateway once, quiet hours and per-number caps are
// kept, temporary failures are retried with backoff, and a message whose
// fate is unknown waits for a person rather than being sent twice.
package sms

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// Message is one SMS to send. Key is unique per visit and step: a
// provider that supports idempotency passes it on, so that a retry never
// reaches a phone twice.
type Message struct {
	ID   int64  // the outbox row
	To   string // mainland mobile, 11 digits
	Body string // the text as the party receives it
	// Shown is the text as people and logs may see it: a party's one-time
	// link masked.
	Shown string
	Key   string
	// Kind is the return-visit message kind (question, ask_again,
	// categories), for the simulator.
	Kind string
	// Attempts is how many gateway calls for it failed before.
	Attempts int
	// Template names the message's template; TemplateID is the provider's
	// ID for it at the court that sent it, Sign the court's signature
	// (without 【】) and Params the template's variables in the order of
	// the text registered with the provider. A provider that takes a
	// template ID sends these; one that takes text sends Body, which
	// carries the signature.
	Template, TemplateID, Sign string
	Params                     []string
}

// TemplateTest is the administrator's test message.
const TemplateTest = "sms.test"

// TestTemplate is the administrator's test message, which checks the
// gateway (and, for a provider that takes a template ID, the template
// and the signature) end to end.
func TestTemplate() domain.SMSTemplate {
	return domain.SMSTemplate{Name: TemplateTest, Label: "短信网关测试", To: "管理员填写的号码",
		Vars: []domain.SMSVar{domain.SMSCourtVar}, Default: "短信网关测试，无需回复。"}
}

// Reply is a message received from a party.
type Reply struct {
	From string
	Body string
	At   time.Time
}

// Receipt states.
const (
	Delivered   = "delivered"
	Undelivered = "failed"
	Expired     = "expired"
)

// Outbox statuses: where a message of the outbox stands.
const (
	StatusPending   = "pending"
	StatusSending   = "sending"
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
	StatusExpired   = "expired"
	StatusUnknown   = "unknown"
)

// StatusLabels name the outbox statuses for people.
var StatusLabels = map[string]string{
	StatusPending: "待发送", StatusSending: "发送中", StatusSent: "已发出", StatusDelivered: "已送达",
	StatusFailed: "发送失败", StatusExpired: "过期未送达", StatusUnknown: "状态不明，待人工确认",
}

// Receipt is a delivery receipt: the fate of a message the gateway
// accepted, named by the id the gateway gave.
type Receipt struct {
	ProviderID string
	State      string // Delivered, Undelivered or Expired
	Error      string // the network's code or text, for people
	At         time.Time
}

// Sink takes what arrives from a gateway. Both calls must be safe from
// several goroutines; an error makes the provider report the PDU or
// request as not taken, so the peer sends it again.
type Sink interface {
	Reply(ctx context.Context, r Reply) error
	Receipt(ctx context.Context, r Receipt) error
}

// Gateway sends messages and hands what comes back to a Sink.
type Gateway interface {
	Name() string
	// Start connects (or begins trying to) and delivers replies and
	// receipts to sink until ctx ends.
	Start(ctx context.Context, sink Sink) error
	// Send hands one message to the gateway and returns the ids it gave
	// (one per part of a long message). Its error is a *PermanentError
	// (retrying cannot help), an *AmbiguousError (the message may have
	// reached the gateway) or any other error: a temporary failure before
	// the message left.
	Send(ctx context.Context, m Message) ([]string, error)
	// Health is the provider's state for administrators.
	Health() Health
}

// Querier is a gateway that can be asked whether it received a message,
// by the message's key: after an ambiguous failure the sender asks
// rather than sending again.
type Querier interface {
	// Query returns the message's ids and true if the gateway has it,
	// false if it never received it.
	Query(ctx context.Context, m Message) ([]string, bool, error)
}

// Health is what administrators see of the provider.
type Health struct {
	Provider    string
	Bound       bool // connected and bound (always true for stateless providers)
	Target      string
	LastError   string
	LastErrorAt time.Time
}

// PermanentError is a failure retrying cannot mend (an invalid number, a
// blacklisted one): the message ends and the visit goes to the phone.
type PermanentError struct{ Reason string }

func (e *PermanentError) Error() string { return "permanent SMS failure: " + e.Reason }

// AmbiguousError is a failure after the message may have reached the
// gateway: a timeout waiting for its answer, a link that dropped with the
// message in flight.
type AmbiguousError struct{ Err error }

func (e *AmbiguousError) Error() string { return "SMS may have been sent: " + e.Err.Error() }
func (e *AmbiguousError) Unwrap() error { return e.Err }

// IsPermanent and IsAmbiguous classify a Send error.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// IsAmbiguous reports whether err leaves the message's fate unknown.
func IsAmbiguous(err error) bool {
	var a *AmbiguousError
	return errors.As(err, &a)
}

// Log is the development provider: it writes each message to the log and
// sends nothing.
type Log struct{ Log *slog.Logger }

// Name names the provider.
func (l *Log) Name() string { return "log" }

// Start does nothing: nothing comes back from the log.
func (l *Log) Start(context.Context, Sink) error { return nil }

// Health is always fine.
func (l *Log) Health() Health {
	return Health{Provider: "log", Bound: true, Target: "日志（不发送）"}
}

// Send logs the message; the number is masked.
func (l *Log) Send(ctx context.Context, m Message) ([]string, error) {
	l.Log.Info("sms (log provider, not sent)", "to", domain.MaskMobile(m.To), "key", m.Key, "body", m.Shown)
	return []string{"log-" + m.Key}, nil
}

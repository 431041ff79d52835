package synth

import (
	"math"

	"github.com/zhilian/zhilian/internal/domain"
)

// Closing modes, from domain.ClosingModes.
const (
	modeDone       = "执行完毕"
	modeSuspended  = "终结本次执行程序"
	modeTerminated = "终结执行"
	modeCancelled  = "销案"
	modeRefused    = "不予执行"
	modeRejected   = "驳回申请"
)

// Closing modes by situation. With property most cases are paid in full;
// without, most end in 终结本次执行程序 until property turns up.
var (
	modesWithProperty = []weighted[string]{
		{modeDone, 0.68}, {modeSuspended, 0.17}, {modeTerminated, 0.08},
		{modeCancelled, 0.03}, {modeRefused, 0.02}, {modeRejected, 0.02},
	}
	modesNoProperty = []weighted[string]{
		{modeDone, 0.30}, {modeSuspended, 0.56}, {modeTerminated, 0.08},
		{modeCancelled, 0.03}, {modeRefused, 0.015}, {modeRejected, 0.015},
	}
	// The court reviews an administrative decision before enforcing it,
	// and refuses more of them.
	modesNonLitigation = []weighted[string]{
		{modeDone, 0.55}, {modeSuspended, 0.20}, {modeTerminated, 0.06},
		{modeCancelled, 0.04}, {modeRefused, 0.12}, {modeRejected, 0.03},
	}
	modesPreservation = []weighted[string]{{modeDone, 0.92}, {modeCancelled, 0.04}, {modeTerminated, 0.04}}
	modesObjection    = []weighted[string]{{modeRejected, 0.55}, {modeDone, 0.30}, {modeTerminated, 0.15}}
)

// durationSpan is a range of durations in days with its weight.
type durationSpan struct {
	w      float64
	lo, hi int
}

// Durations from filing to closing by mode. The six-month limit shows:
// most cases close just inside it, some after an approved extension, and
// a tail runs past eighteen months.
var durations = map[string][]durationSpan{
	modeDone:       {{0.50, 10, 120}, {0.24, 121, 180}, {0.15, 181, 365}, {0.06, 366, 545}, {0.05, 546, 900}},
	modeSuspended:  {{0.15, 30, 90}, {0.60, 91, 180}, {0.18, 181, 365}, {0.05, 366, 545}, {0.02, 546, 800}},
	modeTerminated: {{0.80, 20, 240}, {0.15, 241, 545}, {0.05, 546, 900}},
	modeCancelled:  {{1, 2, 45}},
	modeRefused:    {{1, 7, 90}},
	modeRejected:   {{1, 5, 60}},
}

var (
	durationsPreservation = []durationSpan{{0.9, 1, 20}, {0.1, 21, 60}}
	durationsObjection    = []durationSpan{{0.8, 10, 45}, {0.2, 46, 120}}
)

// closing chooses how and how many days after filing the case closes; ok
// is false for a case that stays open however old it gets.
func (g *Generator) closing(k kind, hasProperty, nonLitigation bool) (mode string, days int, ok bool) {
	r := g.rng
	if k == kindEnforce && r.Float64() < g.cfg.NeverClosedShare {
		return "", 0, false
	}
	var table []weighted[string]
	switch {
	case k == kindPreservation:
		table = modesPreservation
	case k == kindObjection:
		table = modesObjection
	case nonLitigation:
		table = modesNonLitigation
	case hasProperty:
		table = modesWithProperty
	default:
		table = modesNoProperty
	}
	mode = table[pick(r, table)].v
	spans := durations[mode]
	switch k {
	case kindPreservation:
		spans = durationsPreservation
	case kindObjection:
		spans = durationsObjection
	}
	x := r.Float64()
	for i, s := range spans {
		if x < s.w || i == len(spans)-1 {
			return mode, between(r, s.lo, s.hi), true
		}
		x -= s.w
	}
	panic("unreachable")
}

// amount draws 执行标的金额 in fen: log-normal around tens of thousands of
// yuan, with a commercial tail into the tens of millions, and usually a
// round figure, as judgments award.
func (g *Generator) amount(c *domain.Case, k kind) int64 {
	r := g.rng
	mu, sigma := logTypical, 1.3
	switch {
	case c.NonLitigation:
		mu, sigma = logFine, 1.2
	case r.Float64() < 0.12:
		mu, sigma = logCommercial, 1.5
	}
	if len(c.Parties) > 0 && c.Parties[0].Org {
		mu += 0.6 // banks and companies sue for more
	}
	if k == kindPreservation {
		mu += 0.7
	}
	var yuan float64
	for {
		yuan = math.Exp(mu + sigma*r.NormFloat64())
		if yuan >= minYuan && yuan <= maxYuan {
			break
		}
	}
	y := int64(yuan)
	switch x := r.Float64(); {
	case x < 0.15 && y >= 100_000:
		y = y / 10_000 * 10_000
	case x < 0.50 && y >= 10_000:
		y = y / 1_000 * 1_000
	case x < 0.65:
		y = y / 100 * 100
	case x < 0.80:
	default:
		return int64(yuan * 100) // interest to the fen
	}
	return y * 100
}

// Medians of amounts, in log yuan: a typical case, a non-litigation fine
// or fee, a commercial dispute.
var (
	logTypical    = math.Log(50_000)
	logFine       = math.Log(20_000)
	logCommercial = math.Log(600_000)
)

// Bounds of amounts, in yuan.
const (
	minYuan = 2_000
	maxYuan = 80_000_000
)

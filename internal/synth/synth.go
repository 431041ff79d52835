// Package synth generates realistic synthetic enforcement cases: a few
// thousand for `zhilian demo`, a million-case province for benchmarks. The
// output is deterministic for a seed, cheap to make (no fmt, few
// allocations per case) and streamed, so any number of cases fits in
// bounded memory.
package synth

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/zhilian/zhilian/internal/domain"
)

// Officer is a 承办人 of a court and the department they belong to.
type Officer struct {
	Name       string
	Department string
}

// Court is a court that files cases: its code as used in case numbers
// (鲁0102) and the officers of its enforcement departments.
type Court struct {
	Code     string
	Officers []Officer
}

// Config shapes the generated cases. Zero fields take the defaults given;
// for a share, a negative value means none.
type Config struct {
	Seed int64
	// Today is the day the data is as of: cases are filed in the Months
	// before it, and nothing happens after it. 2026-06-30 if zero, so that
	// output never depends on the clock.
	Today domain.Date
	// Months is the length of the filing window; 30 if zero.
	Months int
	// Cases is how many cases one pass over the window holds: the first
	// Cases cases are filed in date order from the start of the window to
	// Today, so serial numbers rise with filing dates as in a real court.
	// Later cases start another pass with the serials continuing, so case
	// numbers stay unique. Set it to the number of cases wanted; 10,000 if
	// zero.
	Cases int

	PropertyShare      float64 // 有财产可供执行; 0.55
	NonLitigationShare float64 // 非诉 (only 执 and 执恢 cases are); 0.08
	NeverClosedShare   float64 // cases still open however old; 0.04
	PetitionShare      float64 // 信访; 0.03
	SupervisedShare    float64 // 督办 by the parent court; 0.02
	PublicOpinionShare float64 // 可能引发舆情; 0.01
	SocialImpactShare  float64 // 较大社会影响; 0.01
	MissingPhoneShare  float64 // parties without a mobile number; 0.10
}

// share returns v, def if v is zero, and 0 if v is negative.
func share(v, def float64) float64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return min(v, 1)
}

func (c Config) withDefaults() Config {
	if c.Today.IsZero() {
		c.Today = domain.NewDate(2026, 6, 30)
	}
	if c.Months <= 0 {
		c.Months = 30
	}
	if c.Cases <= 0 {
		c.Cases = 10_000
	}
	c.PropertyShare = share(c.PropertyShare, 0.55)
	c.NonLitigationShare = share(c.NonLitigationShare, 0.08)
	c.NeverClosedShare = share(c.NeverClosedShare, 0.04)
	c.PetitionShare = share(c.PetitionShare, 0.03)
	c.SupervisedShare = share(c.SupervisedShare, 0.02)
	c.PublicOpinionShare = share(c.PublicOpinionShare, 0.01)
	c.SocialImpactShare = share(c.SocialImpactShare, 0.01)
	c.MissingPhoneShare = share(c.MissingPhoneShare, 0.10)
	return c
}

// Generator makes cases one at a time. It is not safe for concurrent use.
type Generator struct {
	cfg      Config
	rng      *rand.Rand
	cal      calendar
	courts   []*courtState
	courtCum []float64 // cumulative filing weights of courts
	made     int       // cases made so far
	cursor   int       // filing day index of the last case

	// text holds the strings of the case being made, which become one
	// string, and so one allocation, when it is complete: the number, then
	// the parties' names and phones where names and phones say.
	text   []byte
	names  [maxParties]span
	phones [maxParties]int // start of the phone and its masked form, -1 for none

	// nonLitigation is the chance that a 执 or 执恢 case is 非诉, so that
	// the share of all cases is the configured one.
	nonLitigation float64
}

// courtState is a court and its running serial numbers.
type courtState struct {
	code     string
	parent   string // supervising court code, "" for a top court
	city     string // the court's city, for organisation names
	officers []Officer
	serials  []int // per year of the window and case type
}

// New returns a generator of cases filed at courts. A court without
// officers gets six made-up ones in 执行一庭 and 执行二庭; with no courts at
// all, cases are filed at 鲁0102.
func New(cfg Config, courts []Court) *Generator {
	cfg = cfg.withDefaults()
	g := &Generator{
		cfg: cfg,
		rng: rand.New(rand.NewPCG(uint64(cfg.Seed), 0x7a68696c69616e)), // "zhilian"
	}
	enforce := 0.0
	for i, t := range caseTypes {
		if caseKind(i) == kindEnforce {
			enforce += t.w
		}
	}
	g.nonLitigation = min(cfg.NonLitigationShare/enforce, 1)
	g.cal = newCalendar(cfg.Today.AddMonths(-cfg.Months), cfg.Today)
	if len(courts) == 0 {
		courts = []Court{{Code: "鲁0102"}}
	}
	years := cfg.Today.Year() - g.cal.days[0].Year() + 1
	total := 0.0
	weights := make([]float64, 0, len(courts))
	byCode := make(map[string]*courtState, len(courts))
	for _, c := range courts {
		if cs, ok := byCode[c.Code]; ok { // a court listed twice keeps one serial sequence
			cs.officers = append(cs.officers, c.Officers...)
			continue
		}
		cs := &courtState{
			code:     c.Code,
			parent:   parentCode(c.Code),
			city:     cityOf(c.Code, g.rng),
			officers: slices.Clone(c.Officers),
			serials:  make([]int, years*len(caseTypes)),
		}
		byCode[c.Code] = cs
		// Basic courts file most enforcement cases; intermediate and
		// high courts only the large or first-instance ones.
		w := 1.0
		switch digits(c.Code) {
		case 0:
			w = 0.05
		case 1, 2:
			w = 0.3
		}
		w *= 0.5 + g.rng.Float64()
		total += w
		weights = append(weights, w)
		g.courts = append(g.courts, cs)
		g.courtCum = append(g.courtCum, total)
	}
	// The window starts in the middle of a year: the serials of that year
	// start where the cases filed earlier in it would have left them.
	start := g.cal.days[0]
	before := 0.0
	for d := domain.NewDate(start.Year(), 1, 1); d.Before(start); d = d.AddDays(1) {
		before += filingWeight(d)
	}
	for i, cs := range g.courts {
		if len(cs.officers) == 0 {
			for j := range 6 {
				cs.officers = append(cs.officers, Officer{Name: g.personName(), Department: []string{"执行一庭", "执行二庭"}[j/3]})
			}
		}
		for t, typ := range caseTypes {
			cs.serials[t] = int(float64(cfg.Cases) * before / g.cal.total * weights[i] / total * typ.w)
		}
	}
	return g
}

// digits counts the ASCII digits that end a court code.
func digits(code string) int {
	n := 0
	for i := len(code) - 1; i >= 0 && code[i] >= '0' && code[i] <= '9'; i-- {
		n++
	}
	return n
}

// parentCode is the court above code: the code without its last two
// digits (鲁0102 → 鲁01, 鲁01 → 鲁), or "" for a top court.
func parentCode(code string) string {
	if digits(code) < 2 {
		return ""
	}
	return code[:len(code)-2]
}

// Next returns the next case. It never returns nil and never runs out.
func (g *Generator) Next() *domain.Case {
	r := g.rng
	filed := g.nextFilingDay()
	ct := g.pickCourt()
	typ := pick(r, caseTypes)
	year := g.cal.days[filed].Year()
	slot := (year-g.cal.days[0].Year())*len(caseTypes) + typ
	ct.serials[slot]++

	blk := new(caseBlock)
	c := &blk.c
	// Fields are set one by one: assigning a whole Case literal to the heap
	// copies it with write barriers, which costs more than the rest.
	c.No = domain.CaseNo{Year: year, Court: ct.code, Type: caseTypes[typ].v, Serial: ct.serials[slot]}
	c.CourtCode = ct.code
	c.FiledOn = g.cal.days[filed]
	g.text = appendCaseNumber(g.text[:0], c.No)
	numLen := len(g.text)
	off := ct.officers[r.IntN(len(ct.officers))]
	c.Officer, c.Department = off.Name, off.Department

	kind := caseKind(typ)
	c.PropertyKnown = true
	c.HasProperty = kind == kindPreservation || r.Float64() < g.cfg.PropertyShare
	c.NonLitigation = kind == kindEnforce && r.Float64() < g.nonLitigation
	g.parties(c, ct, &blk.parties)
	c.Amount = g.amount(c, kind)

	end := g.cal.today() // the last day anything can happen
	if mode, days, ok := g.closing(kind, c.HasProperty, c.NonLitigation); ok {
		closed := g.cal.workdayOnOrBefore(filed+days, filed)
		if closed <= end {
			c.ClosedOn, c.ClosingMode = g.cal.days[closed], mode
			end = closed
		}
	}
	c.Nodes = g.nodes(kind, filed, end, c, blk.nodes[:0])
	g.flags(c, ct, filed, end)

	text := string(g.text)
	c.Number = text[:numLen]
	for i := range c.Parties {
		p := &c.Parties[i]
		p.Name = text[g.names[i].lo:g.names[i].hi]
		if at := g.phones[i]; at >= 0 {
			p.Phone, p.PhoneMasked = text[at:at+11], text[at+11:at+22]
		}
	}
	g.made++
	return c
}

// maxParties bounds the parties of a generated case.
const maxParties = 5

// caseBlock holds a case with room for its parties and nodes, so that a
// case is one allocation rather than three. The block belongs to the one
// case, so a caller may append to its slices freely.
type caseBlock struct {
	c       domain.Case
	parties [maxParties]domain.Party
	nodes   [8]domain.Node
}

// nextFilingDay advances through the window so that the cases of a pass
// are filed in date order, spread by the calendar's weights.
func (g *Generator) nextFilingDay() int {
	i := g.made % g.cfg.Cases
	if i == 0 {
		g.cursor = 0
	}
	target := (float64(i) + g.rng.Float64()) / float64(g.cfg.Cases) * g.cal.total
	for g.cursor < len(g.cal.cum)-1 && g.cal.cum[g.cursor] <= target {
		g.cursor++
	}
	for g.cal.weight(g.cursor) == 0 && g.cursor > 0 {
		g.cursor-- // only when rounding lands past the last filing day
	}
	return g.cursor
}

func (g *Generator) pickCourt() *courtState {
	if len(g.courts) == 1 {
		return g.courts[0]
	}
	x := g.rng.Float64() * g.courtCum[len(g.courtCum)-1]
	lo, hi := 0, len(g.courtCum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if g.courtCum[m] <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return g.courts[lo]
}

// appendCaseNumber writes no.String() without fmt.
func appendCaseNumber(b []byte, no domain.CaseNo) []byte {
	b = append(b, "（"...)
	b = strconv.AppendInt(b, int64(no.Year), 10)
	b = append(b, "）"...)
	b = append(b, no.Court...)
	b = append(b, no.Type...)
	b = strconv.AppendInt(b, int64(no.Serial), 10)
	return append(b, "号"...)
}

// flags sets 信访, 督办, 舆情 and 社会影响; end is the closing day or today.
func (g *Generator) flags(c *domain.Case, ct *courtState, filed, end int) {
	r := g.rng
	c.Petition = r.Float64() < g.cfg.PetitionShare
	c.PublicOpinion = r.Float64() < g.cfg.PublicOpinionShare
	c.SocialImpact = r.Float64() < g.cfg.SocialImpactShare
	if ct.parent != "" && end > filed && r.Float64() < g.cfg.SupervisedShare {
		since := min(filed+between(r, 10, 180), end)
		c.SupervisedBy, c.SupervisedSince = ct.parent, g.cal.days[since]
	}
}

// weighted is a choice with its weight.
type weighted[T any] struct {
	v T
	w float64
}

// pick chooses from a short table whose weights sum to 1.
func pick[T any](r *rand.Rand, table []weighted[T]) int {
	x := r.Float64()
	for i, e := range table {
		if x < e.w {
			return i
		}
		x -= e.w
	}
	return len(table) - 1
}

// between returns a uniform integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// caseTypes are the types generated: mostly 执, some 执恢, a few 执保
// and 执异.
var caseTypes = []weighted[string]{{"执", 0.84}, {"执恢", 0.10}, {"执保", 0.04}, {"执异", 0.02}}

type kind int

const (
	kindEnforce      kind = iota // 执, 执恢
	kindPreservation             // 执保
	kindObjection                // 执异
)

func caseKind(typ int) kind {
	switch caseTypes[typ].v {
	case "执保":
		return kindPreservation
	case "执异":
		return kindObjection
	}
	return kindEnforce
}

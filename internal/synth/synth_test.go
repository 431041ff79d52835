package synth

import (
	"reflect"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

var testToday = domain.NewDate(2026, 3, 16)

func testCourts() []Court {
	return []Court{
		{Code: "鲁0102", Officers: []Officer{{"张伟", "执行一庭"}, {"李娜", "执行一庭"}, {"王磊", "执行二庭"}}},
		{Code: "鲁0103", Officers: []Officer{{"刘洋", "执行局"}}},
		{Code: "鲁01"},
		{Code: "鲁0202"},
		{Code: "鲁"},
	}
}

func TestDeterministic(t *testing.T) {
	a := New(Config{Seed: 42, Today: testToday}, testCourts())
	b := New(Config{Seed: 42, Today: testToday}, testCourts())
	c := New(Config{Seed: 43, Today: testToday}, testCourts())
	differ := false
	for i := range 100 {
		x, y, z := a.Next(), b.Next(), c.Next()
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("case %d differs for the same seed:\n%+v\n%+v", i, x, y)
		}
		differ = differ || !reflect.DeepEqual(x, z)
	}
	if !differ {
		t.Error("seeds 42 and 43 gave the same cases")
	}
}

func TestDefaults(t *testing.T) {
	g := New(Config{}, nil)
	c := g.Next()
	if c.CourtCode != "鲁0102" || c.Officer == "" || c.Department == "" {
		t.Errorf("default court: %+v", c)
	}
	if c.FiledOn.After(domain.NewDate(2026, 6, 30)) {
		t.Errorf("filed %s after the default today", c.FiledOn)
	}
}

func TestParentCode(t *testing.T) {
	for code, want := range map[string]string{"鲁0102": "鲁01", "鲁01": "鲁", "鲁": "", "鲁7101": "鲁71"} {
		if got := parentCode(code); got != want {
			t.Errorf("parentCode(%q) = %q, want %q", code, got, want)
		}
	}
}

// stats counts what the invariant test sees, for the distribution checks.
type stats struct {
	n, closed, property, nonLit, petition, supervised, opinion, impact int
	old, oldClosed                                                     int
	modes                                                              map[string]int
	types                                                              map[string]int
	filedByMonth                                                       map[time.Month]int
	phones, missingPhones                                              int
}

func TestInvariants(t *testing.T) {
	const n = 20_000
	courts := testCourts()
	g := New(Config{Seed: 7, Today: testToday, Cases: n}, courts)
	start := testToday.AddMonths(-30)
	officers := map[string]map[Officer]bool{}
	for _, c := range courts {
		officers[c.Code] = map[Officer]bool{}
		for _, o := range c.Officers {
			officers[c.Code][o] = true
		}
	}
	s := stats{modes: map[string]int{}, types: map[string]int{}, filedByMonth: map[time.Month]int{}}
	seen := map[string]bool{}
	type key struct {
		court, typ string
		year       int
	}
	lastSerial := map[key]int{}
	lastFiled := domain.Date{}

	for i := range n {
		c := g.Next()
		checkCase(t, i, c, start)
		if seen[c.Number] {
			t.Fatalf("case %d: number %s repeated", i, c.Number)
		}
		seen[c.Number] = true
		k := key{c.CourtCode, c.No.Type, c.No.Year}
		// Serials run on by one; a year starts at 1, except the first,
		// which the window joins part way through.
		if prev, ok := lastSerial[k]; ok && c.No.Serial != prev+1 || !ok && k.year > start.Year() && c.No.Serial != 1 {
			t.Fatalf("case %d: serial %d after %d for %v", i, c.No.Serial, lastSerial[k], k)
		}
		lastSerial[k] = c.No.Serial
		if c.FiledOn.Before(lastFiled) {
			t.Fatalf("case %d: filed %s before the previous case (%s) within a pass", i, c.FiledOn, lastFiled)
		}
		lastFiled = c.FiledOn
		if len(officers[c.CourtCode]) > 0 && !officers[c.CourtCode][Officer{c.Officer, c.Department}] {
			t.Fatalf("case %d: officer %s/%s is not of court %s", i, c.Officer, c.Department, c.CourtCode)
		}

		s.n++
		s.types[c.No.Type]++
		s.filedByMonth[c.FiledOn.Month()]++
		if c.Closed() {
			s.closed++
			s.modes[c.ClosingMode]++
		}
		if c.FiledOn.Before(testToday.AddMonths(-18)) {
			s.old++
			if c.Closed() {
				s.oldClosed++
			}
		}
		count(&s.property, c.HasProperty)
		count(&s.nonLit, c.NonLitigation)
		count(&s.petition, c.Petition)
		count(&s.supervised, c.SupervisedBy != "")
		count(&s.opinion, c.PublicOpinion)
		count(&s.impact, c.SocialImpact)
		for _, p := range c.Parties {
			s.phones++
			count(&s.missingPhones, p.Phone == "")
		}
	}
	checkDistribution(t, s)
}

func count(n *int, v bool) {
	if v {
		*n++
	}
}

func checkCase(t *testing.T, i int, c *domain.Case, start domain.Date) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("case %d (%s): "+format, append([]any{i, c.Number}, args...)...)
	}
	no, err := domain.ParseCaseNo(c.Number, domain.DefaultCaseTypes)
	if err != nil || no != c.No || no.String() != c.Number || c.CourtCode != no.Court {
		fail("number does not round-trip: %+v, %v", no, err)
	}
	if no.Year != c.FiledOn.Year() {
		fail("year %d but filed %s", no.Year, c.FiledOn)
	}
	if c.FiledOn.Before(start) || c.FiledOn.After(testToday) {
		fail("filed %s outside the window", c.FiledOn)
	}
	if wd := c.FiledOn.Weekday(); wd == time.Saturday || wd == time.Sunday {
		fail("filed on a %s", wd)
	}
	end := testToday
	if c.Closed() {
		end = c.ClosedOn
		if c.ClosedOn.Before(c.FiledOn) || c.ClosedOn.After(testToday) {
			fail("closed %s, filed %s", c.ClosedOn, c.FiledOn)
		}
		if !slices.Contains(domain.ClosingModes, c.ClosingMode) {
			fail("closing mode %q", c.ClosingMode)
		}
	} else if c.ClosingMode != "" {
		fail("open with closing mode %q", c.ClosingMode)
	}
	if c.Amount < minYuan*100 || c.Amount > maxYuan*100 {
		fail("amount %d fen", c.Amount)
	}
	if !c.PropertyKnown {
		fail("property unknown")
	}

	checkNodes(fail, c, end)

	na, nr := 0, 0
	for _, p := range c.Parties {
		switch p.Role {
		case domain.Applicant:
			na++
		case domain.Respondent:
			nr++
		}
		if n := utf8.RuneCountInString(p.Name); n < 2 || (!p.Org && n > 3) {
			fail("party name %q", p.Name)
		}
		if p.Phone != "" {
			m, err := domain.NormalizeMobile(p.Phone)
			if err != nil || m != p.Phone || p.PhoneMasked != domain.MaskMobile(p.Phone) {
				fail("phone %q masked %q: %v", p.Phone, p.PhoneMasked, err)
			}
		}
	}
	if na < 1 || na > 2 || nr < 1 || nr > 3 {
		fail("%d applicants and %d respondents", na, nr)
	}
	if c.SupervisedBy != "" {
		if c.SupervisedBy != parentCode(c.CourtCode) {
			fail("supervised by %s", c.SupervisedBy)
		}
		if !c.SupervisedSince.After(c.FiledOn) || c.SupervisedSince.After(end) {
			fail("supervised since %s, filed %s, end %s", c.SupervisedSince, c.FiledOn, end)
		}
	}
}

func checkNodes(fail func(string, ...any), c *domain.Case, end domain.Date) {
	if len(c.Nodes) == 0 || c.Nodes[0].Kind != domain.NodeFiling || !c.Nodes[0].On.Equal(c.FiledOn) {
		fail("does not start with 立案 on the filing date: %v", c.Nodes)
	}
	last := c.Nodes[len(c.Nodes)-1]
	if c.Closed() != (last.Kind == domain.NodeClosing) || c.Closed() && !last.On.Equal(c.ClosedOn) {
		fail("closing node %v does not match closed %s", last, c.ClosedOn)
	}
	order := -1
	prev := c.FiledOn
	payout := false
	for _, nd := range c.Nodes {
		k := slices.Index(domain.NodeKinds, nd.Kind)
		if k <= order {
			fail("nodes out of order: %v", c.Nodes)
		}
		order = k
		if nd.On.Before(prev) || nd.On.After(end) {
			fail("node %s on %s out of order or after %s", nd.Kind, nd.On, end)
		}
		prev = nd.On
		payout = payout || nd.Kind == domain.NodePayout
	}
	if payout && c.ClosingMode != modeDone {
		fail("案款发放 in a case closed by %q", c.ClosingMode)
	}
	if c.ClosingMode == modeDone && c.No.Type != "执保" && c.No.Type != "执异" && !payout {
		fail("执行完毕 without 案款发放")
	}
}

func checkDistribution(t *testing.T, s stats) {
	t.Helper()
	share := func(name string, k int, lo, hi float64) {
		t.Helper()
		f := float64(k) / float64(s.n)
		t.Logf("%s: %.3f", name, f)
		if f < lo || f > hi {
			t.Errorf("share %s = %.3f, want %.2f–%.2f", name, f, lo, hi)
		}
	}
	share("closed", s.closed, 0.70, 0.95)
	share("property", s.property, 0.50, 0.62)
	share("non-litigation", s.nonLit, 0.05, 0.10)
	share("petition", s.petition, 0.02, 0.04)
	share("supervised", s.supervised, 0.01, 0.03)
	share("public opinion", s.opinion, 0.005, 0.02)
	share("social impact", s.impact, 0.005, 0.02)
	share("执", s.types["执"], 0.80, 0.88)
	share("执恢", s.types["执恢"], 0.07, 0.13)
	if f := float64(s.oldClosed) / float64(s.old); f < 0.9 {
		t.Errorf("only %.3f of cases older than 18 months are closed", f)
	}
	if f := float64(s.missingPhones) / float64(s.phones); f < 0.07 || f > 0.13 {
		t.Errorf("%.3f of parties lack a phone", f)
	}
	t.Logf("modes: %v", s.modes)
	if s.modes[modeDone] <= s.modes[modeSuspended] || s.modes[modeSuspended] <= s.modes[modeTerminated] ||
		s.modes[modeTerminated] <= s.modes[modeRejected] {
		t.Errorf("closing modes out of proportion: %v", s.modes)
	}
	for _, m := range domain.ClosingModes {
		if s.modes[m] == 0 {
			t.Errorf("no case closed by %s", m)
		}
	}
	// Thirty months hold two or three of each month; compare per month.
	if s.filedByMonth[time.February] >= s.filedByMonth[time.March]*3/4 {
		t.Errorf("February (%d) is not quieter than March (%d)", s.filedByMonth[time.February], s.filedByMonth[time.March])
	}
}

// TestPasses checks that cases beyond one pass keep unique numbers and
// stay in the window.
func TestPasses(t *testing.T) {
	g := New(Config{Seed: 1, Today: testToday, Cases: 500}, testCourts())
	seen := map[string]bool{}
	for i := range 2_000 {
		c := g.Next()
		if seen[c.Number] {
			t.Fatalf("case %d: number %s repeated", i, c.Number)
		}
		seen[c.Number] = true
		checkCase(t, i, c, testToday.AddMonths(-30))
	}
}

func TestNames(t *testing.T) {
	g := New(Config{Seed: 3, Today: testToday}, nil)
	for range 200 {
		n := g.personName()
		if c := utf8.RuneCountInString(n); c < 2 || c > 3 {
			t.Errorf("person name %q", n)
		}
	}
	for range 200 {
		n := string(g.appendOrgName(nil, "济南", true))
		if utf8.RuneCountInString(n) < 6 {
			t.Errorf("organisation name %q", n)
		}
	}
	t.Logf("e.g. %s, %s, %s, %s", g.personName(), g.appendOrgName(nil, "济南", true), g.appendOrgName(nil, "青岛", false), g.appendAgencyName(nil, "淄博"))
}

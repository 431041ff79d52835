package oversight

import (
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestNextClueState(t *testing.T) {
	for _, c := range []struct {
		from ClueState
		a    ClueAction
		to   ClueState
		ok   bool
	}{
		{ClueOpen, ActAssign, ClueOpen, true},
		{ClueOpen, ActStep, ClueVerifying, true},
		{ClueOpen, ActConclude, ClueOpen, false},
		{ClueVerifying, ActStep, ClueVerifying, true},
		{ClueVerifying, ActConclude, ClueClosed, true},
		{ClueClosed, ActAssign, ClueClosed, false},
		{ClueClosed, ActStep, ClueClosed, false},
	} {
		if to, ok := NextClueState(c.from, c.a); to != c.to || ok != c.ok {
			t.Errorf("%s %s: %s %v, want %s %v", c.from, c.a, to, ok, c.to, c.ok)
		}
	}
	if got := ClueActions(ClueOpen, false); len(got) != 1 || got[0] != ActAssign {
		t.Errorf("a watchdog who is not the verifier: %v", got)
	}
}

// Every conclusion but 查无实据了结 carries a form; the first form's
// conclusions are their own measure, the weightier ones need one chosen.
func TestConclusionForms(t *testing.T) {
	ms := DefaultMeasures()
	today := domain.MustDate("2026-03-02")
	for _, c := range Conclusions {
		vd := Verdict{Conclusion: c, Basis: "依据", DecidedOn: today}
		if len(c.Forms()) > 1 {
			vd.Measure = ms[c.Forms()[0]][0]
		}
		err := vd.Resolve(ms, today)
		if c == NoEvidence {
			if err != nil || vd.Form != 0 {
				t.Errorf("%s: %v form %d", c, err, vd.Form)
			}
			continue
		}
		if err != nil || !vd.Form.Valid() || !ms.Allows(vd.Form, vd.Measure) {
			t.Errorf("%s: %v form %d measure %q", c, err, vd.Form, vd.Measure)
		}
	}
	vd := Verdict{Conclusion: Discipline, Form: 3, Measure: "警告", Basis: "b", DecidedOn: today}
	if err := vd.Resolve(ms, today); err == nil {
		t.Errorf("a light sanction as the third form")
	}
}

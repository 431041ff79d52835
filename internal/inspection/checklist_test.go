package inspection

import "testing"

func TestDefaultsValid(t *testing.T) {
	seen := map[Theme]bool{}
	for _, c := range Defaults() {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		if c.Total() != 100 {
			t.Errorf("%s totals %d", c.Name, c.Total())
		}
		seen[c.Theme] = true
	}
	for _, th := range []Theme{ThemeCampaign, ThemeSafety, ThemeDiscipline, ThemeMoney} {
		if !seen[th] {
			t.Errorf("no checklist for %s", th.Label())
		}
	}
}

func TestGrades(t *testing.T) {
	th := DefaultThresholds()
	for _, c := range []struct {
		score, total int
		want         Grade
	}{{100, 100, GradeExcellent}, {90, 100, GradeExcellent}, {89, 100, GradePass}, {75, 100, GradePass}, {74, 100, GradeFlaw},
		{60, 100, GradeFlaw}, {59, 100, GradeFail}, {0, 0, GradeFail}, {9, 10, GradeExcellent}, {44, 50, GradePass}} {
		if got := th.GradeOf(c.score, c.total); got != c.want {
			t.Errorf("%d/%d graded %s, want %s", c.score, c.total, got.Label(), c.want.Label())
		}
	}
	if (Thresholds{90, 95, 60}).Validate() == nil || th.Validate() != nil {
		t.Error("threshold validation")
	}
	c := Defaults()[0]
	marks := make([]Mark, len(c.Items))
	marks[1] = Mark{Deduction: 10, Note: "两件超期"}
	if s, err := Score(&c, marks); err != nil || s != 90 {
		t.Fatalf("score %d, %v", s, err)
	}
	marks[2] = Mark{Deduction: 5}
	if _, err := Score(&c, marks); err == nil {
		t.Error("a deduction without a note")
	}
	marks[2] = Mark{Deduction: 25, Note: "x"}
	if _, err := Score(&c, marks); err == nil {
		t.Error("a deduction above the item's points")
	}
}

package oversight

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MeasureRequired is the first form's measure that must stay on any list:
// the trip reviews' talk reminders and the clues concluded 谈话提醒 are
// entered under it.
const MeasureRequired = "谈话提醒"

// MeasureWarning is the first form's other measure that must stay: the
// seed names it beside 谈话提醒 (开展谈话提醒、预警约谈), and the early
// warnings of the integrity records, once accepted, are entered under it.
const MeasureWarning = "预警约谈"

// formNames are the ways a measures file may name a form.
var formNames = map[string]Form{
	"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4,
	"第一种形态": 1, "第二种形态": 2, "第三种形态": 3, "第四种形态": 4,
	"第一种": 1, "第二种": 2, "第三种": 3, "第四种": 4,
}

// ParseMeasures reads the measures of each form from a CSV table of two
// columns, 形态,措施, one measure a row, in the order they are offered: the
// form as 1–4, 一–四 or 第一种形态; a first row 形态,措施 is a header.
// The table replaces the defaults whole: every form needs a measure, and
// the first keeps 谈话提醒 and 预警约谈. Errors name the row.
func ParseMeasures(r io.Reader) (Measures, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	ms := Measures{}
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the measures: %w", err)
		}
		if row == 1 && len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 2 {
			return nil, fmt.Errorf("row %d: want two columns, 形态,措施", row)
		}
		name, measure := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if row == 1 && name == "形态" {
			continue
		}
		f, ok := formNames[name]
		if !ok {
			return nil, fmt.Errorf("row %d: unknown form %q (1–4, 一–四 or 第一种形态 …)", row, name)
		}
		switch {
		case measure == "":
			return nil, fmt.Errorf("row %d: no measure", row)
		case utf8.RuneCountInString(measure) > 50:
			return nil, fmt.Errorf("row %d: measure longer than 50 characters", row)
		case slices.Contains(ms[f], measure):
			return nil, fmt.Errorf("row %d: %s listed twice under %s", row, measure, f.Label())
		}
		ms[f] = append(ms[f], measure)
	}
	return ms, ms.Validate()
}

// Validate reports whether the measures can be used: each form has one,
// and the first keeps MeasureRequired and MeasureWarning.
func (ms Measures) Validate() error {
	for _, f := range Forms {
		if len(ms[f]) == 0 {
			return fmt.Errorf("no measure of %s", f.Label())
		}
	}
	if !ms.Allows(1, MeasureRequired) {
		return fmt.Errorf("the measures of 第一种形态 must include %s: the trip reviews' talk reminders are entered under it", MeasureRequired)
	}
	if !ms.Allows(1, MeasureWarning) {
		return fmt.Errorf("the measures of 第一种形态 must include %s: accepted early warnings of the integrity records are entered under it", MeasureWarning)
	}
	return nil
}

// Describe says the rule in words, for the pages that show the rules in
// force.
func (r StrongRule) Describe() string {
	s := "同一案件" + strconv.Itoa(r.Months) + "个月内信访" + strconv.Itoa(r.Count) + "次以上"
	if r.AboveCourt {
		s += "，或有到上级法院、赴省、进京信访的"
	}
	return s + "，标记为当事人反映强烈"
}

package overview

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// Status is where a figure stands against its target.
type Status string

// The statuses: green meets the target, amber is within the band short of
// it, red is further; none when there is nothing to count or no target.
const (
	StatusNone  Status = ""
	StatusGreen Status = "green"
	StatusAmber Status = "amber"
	StatusRed   Status = "red"
)

// Label is the status in words.
func (s Status) Label() string {
	switch s {
	case StatusGreen:
		return "达标"
	case StatusAmber:
		return "接近目标"
	case StatusRed:
		return "未达标"
	}
	return "无数据"
}

// Target is a figure's target: a floor for a rate (percent) or a count,
// or a ceiling for a figure where less is better; Amber is the band, in
// the figure's unit (points for a rate), within which a figure short of
// its target is amber rather than red.
type Target struct {
	Value, Amber float64
	Lower        bool
}

// Status is the status of value v (ok false: nothing to count).
func (t Target) Status(v float64, ok bool) Status {
	if !ok {
		return StatusNone
	}
	short := t.Value - v
	if t.Lower {
		short = v - t.Value
	}
	switch {
	case short <= 1e-9:
		return StatusGreen
	case short <= t.Amber+1e-9:
		return StatusAmber
	}
	return StatusRed
}

// Text writes the target as the page shows it: ≥90%, ≤0.
func (t Target) Text(d Def) string {
	sign := "≥"
	if t.Lower {
		sign = "≤"
	}
	if d.Kind == KindRatio {
		return sign + strconv.FormatFloat(t.Value, 'f', -1, 64) + "%"
	}
	return sign + strconv.FormatFloat(t.Value, 'f', -1, 64)
}

// Targets are the targets by figure key.
type Targets map[string]Target

// DefaultAmber is the band of the default targets: five points.
const DefaultAmber = 5

// DefaultTargets are the targets a court starts with: the four core
// indicators at 90 %, 90 %, 90 % and 80 % (issue 18); what the seed
// requires of every trip and every month — requirements before departure,
// reports on time, the monthly draw — at 100 %; and nothing overdue,
// missing or untruthful. A court's file changes them.
func DefaultTargets() Targets {
	t := Targets{
		KeyExecutedInLimit:      {Value: 90, Amber: DefaultAmber},
		KeyTerminationQualified: {Value: 90, Amber: DefaultAmber},
		KeyPetitionConcluded:    {Value: 90, Amber: DefaultAmber},
		KeyThreeYearClosed:      {Value: 80, Amber: DefaultAmber},
		"visits.drawn_on_time":  {Value: 100, Amber: DefaultAmber},
		"trips.required_before": {Value: 100, Amber: DefaultAmber},
		"trips.on_time":         {Value: 100, Amber: DefaultAmber},
	}
	for _, d := range Defs {
		if d.Lower {
			t[d.Key] = Target{Value: 0, Lower: true}
		}
	}
	return t
}

// ParseTargets reads a targets file over the defaults, as CSV, one figure
// a row:
//
//	key,target,amber
//	executed_in_limit,92,3
//	visits.reply_rate,60,10
//	trips.late,2,2
//	visits.drawn_on_time,无
//
// A first row starting with key or 指标 is a header; lines starting with #
// are comments. The target is a percentage for a rate (0–100), a whole
// count otherwise, and 无 (or off) removes the figure's target; amber,
// when given, is the band short of the target that is amber (default 5
// for rates, 0 for counts). Figures where less is better take the target
// as a ceiling. Every bad row is reported, by line, in one ErrInvalid
// error.
func ParseTargets(r io.Reader) (Targets, error) {
	t := DefaultTargets()
	problems, err := domain.SettingRows(r, "指标", []string{"key", "指标"}, func(rec []string) (string, func(), string) {
		key, tg, off, msg := parseTarget(rec)
		return key, func() {
			if off {
				delete(t, key)
			} else {
				t[key] = tg
			}
		}, msg
	})
	if err != nil {
		return nil, fmt.Errorf("reading overview targets: %w", err)
	}
	if len(problems) > 0 {
		return nil, domain.Invalid("overview_targets", "运行总览目标值有误："+strings.Join(problems, "；"))
	}
	return t, nil
}

func parseTarget(rec []string) (key string, t Target, off bool, msg string) {
	if len(rec) < 2 || len(rec) > 3 {
		return "", t, false, fmt.Sprintf("应有2或3列（指标代码,目标值,黄色区间），实有%d列", len(rec))
	}
	key = rec[0]
	d, ok := DefOf(key)
	if !ok {
		return "", t, false, fmt.Sprintf("指标代码“%s”无法识别，应为%s之一", key, strings.Join(targetKeys(), "、"))
	}
	if d.Kind == KindBreakdown {
		return "", t, false, fmt.Sprintf("“%s”是分项统计，不设目标值", d.Name)
	}
	switch strings.ToLower(rec[1]) {
	case "无", "off", "-", "none":
		return key, t, true, ""
	}
	t.Lower = d.Lower
	v, err := strconv.ParseFloat(rec[1], 64)
	switch {
	case err != nil || v < 0:
		return "", t, false, fmt.Sprintf("目标值“%s”应为非负数", rec[1])
	case d.Kind == KindRatio && v > 100:
		return "", t, false, fmt.Sprintf("“%s”是百分比，目标值“%s”不得超过100", d.Name, rec[1])
	case d.Kind == KindCount && v != float64(int(v)):
		return "", t, false, fmt.Sprintf("“%s”是件数，目标值“%s”应为整数", d.Name, rec[1])
	}
	t.Value = v
	if d.Kind == KindRatio {
		t.Amber = DefaultAmber
	}
	if len(rec) == 3 && rec[2] != "" {
		a, err := strconv.ParseFloat(rec[2], 64)
		if err != nil || a < 0 || a > 100 {
			return "", t, false, fmt.Sprintf("黄色区间“%s”应为0至100之间的数", rec[2])
		}
		t.Amber = a
	}
	return key, t, false, ""
}

func targetKeys() []string {
	var out []string
	for _, d := range Defs {
		if d.Kind != KindBreakdown {
			out = append(out, d.Key)
		}
	}
	return out
}

// Keys are the keys that have targets, in the order of Defs.
func (t Targets) Keys() []string {
	keys := slices.Collect(maps.Keys(t))
	order := map[string]int{}
	for i, d := range Defs {
		order[d.Key] = i
	}
	slices.SortFunc(keys, func(a, b string) int { return order[a] - order[b] })
	return keys
}

package tracking

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// Factor is one thing the bureau weighs in its 综合评估 of a candidate,
// with its weight (1 to 100). The list is configurable (--tracking-factors).
type Factor struct {
	Key    string // stable name, stored with each score
	Label  string
	Weight int
}

// DefaultFactors are the factors of the issue: the amount at stake, the
// number and vulnerability of the parties, media attention, the complaint
// and petition history, and earlier findings on the case.
func DefaultFactors() []Factor {
	return []Factor{
		{"amount", "标的金额", 20},
		{"parties", "当事人人数及弱势情况", 20},
		{"media", "媒体关注", 20},
		{"complaints", "投诉信访情况", 25},
		{"findings", "以往发现的问题", 15},
	}
}

// MaxScore is the highest score of one factor; a factor scores 0 to MaxScore.
const MaxScore = 5

// ParseFactors reads a factor list from CSV: key,label,weight per line; a
// first line starting with "key" or "代码" is a header; # starts a comment.
// Every problem is reported, by line, in Chinese.
func ParseFactors(r io.Reader) ([]Factor, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []Factor
	var problems []string
	seen := map[string]bool{}
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, domain.Invalid("factors", "评估因素表格式无法解析："+err.Error())
		}
		line, _ := cr.FieldPos(0)
		if first && len(rec) > 0 {
			h := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")))
			if h == "key" || h == "代码" {
				continue
			}
		}
		if len(rec) != 3 {
			problems = append(problems, fmt.Sprintf("第%d行：应为“代码,名称,权重”三列", line))
			continue
		}
		f := Factor{Key: strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")), Label: strings.TrimSpace(rec[1])}
		w, err := strconv.Atoi(strings.TrimSpace(rec[2]))
		switch {
		case f.Key == "" || f.Label == "":
			problems = append(problems, fmt.Sprintf("第%d行：代码和名称不能为空", line))
		case seen[f.Key]:
			problems = append(problems, fmt.Sprintf("第%d行：代码 %s 重复", line, f.Key))
		case err != nil || w < 1 || w > 100:
			problems = append(problems, fmt.Sprintf("第%d行：权重应为 1 至 100 的整数", line))
		default:
			f.Weight = w
			out = append(out, f)
		}
		seen[f.Key] = true
	}
	if len(problems) > 0 {
		return nil, domain.Invalid("factors", strings.Join(problems, "；"))
	}
	if len(out) == 0 {
		return nil, domain.Invalid("factors", "评估因素表为空")
	}
	return out, nil
}

// Result is the outcome of an evaluation.
type Result string

// Results. The names are stored.
const (
	ResultTrack   Result = "track"   // 建议跟踪
	ResultDecline Result = "decline" // 不予跟踪
)

// Label returns the Chinese name of the result.
func (r Result) Label() string {
	switch r {
	case ResultTrack:
		return "建议跟踪"
	case ResultDecline:
		return "不予跟踪"
	}
	return string(r)
}

// Score is one factor as scored.
type Score struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Weight int    `json:"weight"`
	Score  int    `json:"score"`
}

// Evaluation is the bureau's 综合评估 of a candidate: each factor scored,
// the result and its reasoning.
type Evaluation struct {
	Scores    []Score
	Result    Result
	Reasoning string
}

// Total is the weighted score out of 100: Σ weight·score / MaxScore,
// scaled by the sum of the weights. It informs the result; the bureau
// decides it.
func (e *Evaluation) Total() int {
	var sum, weights int
	for _, s := range e.Scores {
		sum += s.Weight * s.Score
		weights += s.Weight
	}
	if weights == 0 {
		return 0
	}
	return (sum*100/MaxScore + weights/2) / weights
}

// NewEvaluation builds an evaluation from a form's scores (by factor key)
// against the configured factors, and validates it: every factor scored
// 0 to MaxScore, a result, a reasoning of at most 2000 characters.
func NewEvaluation(factors []Factor, scores map[string]string, result Result, reasoning string) (*Evaluation, error) {
	fe := domain.FieldErrors{}
	e := &Evaluation{Result: result, Reasoning: strings.TrimSpace(reasoning)}
	for _, f := range factors {
		n, err := strconv.Atoi(strings.TrimSpace(scores[f.Key]))
		if err != nil || n < 0 || n > MaxScore {
			fe.Add("score_"+f.Key, fmt.Sprintf("请为“%s”评分（0至%d）", f.Label, MaxScore))
			continue
		}
		e.Scores = append(e.Scores, Score{Key: f.Key, Label: f.Label, Weight: f.Weight, Score: n})
	}
	if result != ResultTrack && result != ResultDecline {
		fe.Add("result", "请选择评估结果：建议跟踪或不予跟踪")
	}
	switch n := utf8.RuneCountInString(e.Reasoning); {
	case n == 0:
		fe.Add("reasoning", "请写明评估理由")
	case n > 2000:
		fe.Add("reasoning", "评估理由不超过2000字")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return e, nil
}

// Config holds the settings of mechanism 1: the factors of the
// evaluation and how long the bureau has to evaluate a candidate before it
// is on its to-dos as overdue.
type Config struct {
	Factors        []Factor
	EvaluateWithin time.Duration
}

// DefaultConfig returns the default factors and seven days to evaluate.
func DefaultConfig() Config {
	return Config{Factors: DefaultFactors(), EvaluateWithin: 7 * 24 * time.Hour}
}

// OrDefault fills the zero parts of c from DefaultConfig.
func (c Config) OrDefault() Config {
	d := DefaultConfig()
	if len(c.Factors) == 0 {
		c.Factors = d.Factors
	}
	if c.EvaluateWithin <= 0 {
		c.EvaluateWithin = d.EvaluateWithin
	}
	return c
}

// EvaluateBy is the day by which a candidate since since is to be
// evaluated.
func (c Config) EvaluateBy(since domain.Date) domain.Date {
	days := int((c.OrDefault().EvaluateWithin + 24*time.Hour - 1) / (24 * time.Hour))
	return since.AddDays(days)
}

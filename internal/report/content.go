package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/trip"
)

// Section is one heading of the narrative the court writes.
type Section struct {
	Key, Heading, Hint string
}

// Sections are the narrative's headings, in order, from the seed's account
// of the work: the situation, the problems found, their rectification and
// the work ahead.
var Sections = []Section{
	{"basic", "基本情况", "本期四项机制的组织领导和运行情况：重点案件跟踪、当事人回访、专项督察评查、外出执行情况报告各自开展了哪些工作。"},
	{"problems", "发现的问题", "本期发现的主要问题、典型表现和原因分析。"},
	{"rectify", "整改落实", "对发现问题采取的整改措施、整改进度和建章立制情况，以及问题线索的处置情况（只写件数，不写姓名）。"},
	{"next", "下一步工作", "下一阶段的工作安排和改进措施。"},
}

// MaxText is the longest text of one section, in characters.
const MaxText = 5000

// Narrative is what the court wrote under each section, by its key.
type Narrative map[string]string

// Field is the form field of section key.
func Field(key string) string { return "n_" + key }

// Validate checks the narrative: no section too long, and, for a report
// being submitted, none left empty. Each fault is reported beside its
// section.
func (n Narrative) Validate(submitting bool) error {
	fe := domain.FieldErrors{}
	for _, s := range Sections {
		t := strings.TrimSpace(n[s.Key])
		switch {
		case len([]rune(t)) > MaxText:
			fe.Add(Field(s.Key), fmt.Sprintf("“%s”不能超过%d字", s.Heading, MaxText))
		case submitting && t == "":
			fe.Add(Field(s.Key), fmt.Sprintf("报送前请填写“%s”", s.Heading))
		}
	}
	for k := range n {
		if !slices.ContainsFunc(Sections, func(s Section) bool { return s.Key == k }) {
			fe.Add(Field(k), "未知的报告部分")
		}
	}
	return fe.Err()
}

// Clean is the narrative with each text trimmed and the empty ones left
// out.
func (n Narrative) Clean() Narrative {
	out := Narrative{}
	for k, t := range n {
		if t = strings.TrimSpace(strings.ReplaceAll(t, "\r\n", "\n")); t != "" {
			out[k] = t
		}
	}
	return out
}

// Texts are the narrative in the sections' order, for the snapshot.
func (n Narrative) Texts() []Text {
	out := make([]Text, len(Sections))
	for i, s := range Sections {
		out[i] = Text{Key: s.Key, Heading: s.Heading, Body: strings.TrimSpace(n[s.Key])}
	}
	return out
}

// Text is one section of the narrative as the report holds it.
type Text struct {
	Key     string `json:"key"`
	Heading string `json:"heading"`
	Body    string `json:"body"`
}

// Count is a count under a label.
type Count struct {
	Label string `json:"label"`
	N     int    `json:"n"`
}

// Figure is one of the cockpit's figures as the report holds it: its
// value written out, its counts, its target and status then.
type Figure struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	Text   string  `json:"text"`
	Num    int     `json:"num,omitempty"`
	Den    int     `json:"den,omitempty"`
	Parts  []Count `json:"parts,omitempty"`
	Target string  `json:"target,omitempty"`
	// TargetValue is the target's number (percent for a rate), for the
	// charts.
	TargetValue float64 `json:"target_value,omitempty"`
	Status      string  `json:"status,omitempty"`
	Help        string  `json:"help"`
}

// StatusLabel is the figure's status in words, "" without a target.
func (f Figure) StatusLabel() string {
	if f.Status == "" {
		return ""
	}
	return overview.Status(f.Status).Label()
}

// FigureSection is the figures of one mechanism, or the core indicators.
type FigureSection struct {
	Key     string   `json:"key"`
	Name    string   `json:"name"`
	Figures []Figure `json:"figures"`
}

// ProblemKind is where a typical problem was found.
type ProblemKind string

// The kinds of problem, in the report's order.
const (
	ProblemInspection ProblemKind = "inspection" // 专项督察评查发现的问题
	ProblemTracking   ProblemKind = "tracking"   // 重点案件跟踪、网上巡查发现的问题
	ProblemTrip       ProblemKind = "trip"       // 外出执行情况报告审查的事项
	ProblemVisit      ProblemKind = "visit"      // 当事人回访反映的不满意事项
)

// ProblemKinds lists the kinds in order.
var ProblemKinds = []ProblemKind{ProblemInspection, ProblemTracking, ProblemTrip, ProblemVisit}

// Label is the kind in words.
func (k ProblemKind) Label() string {
	switch k {
	case ProblemInspection:
		return "专项督察评查发现的问题"
	case ProblemTracking:
		return "重点案件跟踪和网上巡查发现的问题"
	case ProblemTrip:
		return "外出执行情况报告审查的事项"
	case ProblemVisit:
		return "当事人回访反映的不满意事项"
	}
	return string(k)
}

// MaxExamples is how many case numbers a problem gives as examples.
const MaxExamples = 3

// Problem is a kind of problem found in the period under one label — a
// category, a rule, a reason —, how often, and a few cases by number. It
// names no officer and no party: the report is read by the bureau and the
// court above.
type Problem struct {
	Kind  ProblemKind `json:"-"`
	Label string      `json:"label"`
	Count int         `json:"count"`
	Cases []string    `json:"cases,omitempty"`
}

// AddCase counts one more problem under p's label, keeping the case as an
// example while there are fewer than MaxExamples and it is new.
func (p *Problem) AddCase(caseNo string) {
	p.Count++
	if caseNo != "" && len(p.Cases) < MaxExamples && !slices.Contains(p.Cases, caseNo) {
		p.Cases = append(p.Cases, caseNo)
	}
}

// ProblemGroup is the problems of one kind, most frequent first.
type ProblemGroup struct {
	Kind  ProblemKind `json:"kind"`
	Name  string      `json:"name"`
	Total int         `json:"total"`
	Items []Problem   `json:"items"`
}

// GroupProblems groups ps by kind, every kind present (an empty one says
// nothing was found), each most frequent first, then by label.
func GroupProblems(ps []Problem) []ProblemGroup {
	out := make([]ProblemGroup, len(ProblemKinds))
	for i, k := range ProblemKinds {
		g := ProblemGroup{Kind: k, Name: k.Label()}
		for _, p := range ps {
			if p.Kind == k && p.Count > 0 {
				g.Items = append(g.Items, p)
				g.Total += p.Count
			}
		}
		slices.SortStableFunc(g.Items, func(a, b Problem) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Label, b.Label)
		})
		out[i] = g
	}
	return out
}

// RectLine is the state of the rectifications of one source: those opened
// in the period or still open when it began, with their items' state as
// of the report's day.
type RectLine struct {
	Source  string `json:"source"`
	Rects   int    `json:"rects"`
	Items   int    `json:"items"`
	Closed  int    `json:"closed"`
	Open    int    `json:"open"`
	Overdue int    `json:"overdue"`
}

// Snapshot is the report's content as it is shown, printed, sent as Word
// and — once submitted — frozen and signed: every figure and every text,
// so that a later change of the data does not change a submitted report.
// Its canonical form is its JSON (Canonical).
type Snapshot struct {
	Title       string          `json:"title"`
	CourtCode   string          `json:"court_code"`
	CourtName   string          `json:"court_name"`
	Subtree     bool            `json:"subtree"`
	Period      string          `json:"period"`
	PeriodLabel string          `json:"period_label"`
	From        string          `json:"from"`
	To          string          `json:"to"`
	AsOf        string          `json:"as_of"`
	Figures     []FigureSection `json:"figures"`
	Problems    []ProblemGroup  `json:"problems"`
	Rectify     []RectLine      `json:"rectification"`
	// Dispositions are the dispositions decided in the period by 形态:
	// counts only, never who.
	Dispositions []Count `json:"dispositions"`
	Narrative    []Text  `json:"narrative"`
}

// Title is the report's title: 济南市历下区人民法院2026年3月四项机制运行情况报告.
func Title(courtName string, p overview.Period) string {
	return courtName + p.Label() + "四项机制运行情况报告"
}

// Build assembles the snapshot of a court's report over p from its
// figures f (read with targets t), the problems and rectification found,
// and the narrative. The watchdogs' sealed figures (clues) are left out;
// dispositions are kept as counts by 形态.
func Build(f *overview.Figures, t overview.Targets, problems []Problem, rect []RectLine, n Narrative) *Snapshot {
	s := &Snapshot{Title: Title(f.Court.Name, f.Period), CourtCode: f.Court.Code, CourtName: f.Court.Name, Subtree: f.Subtree,
		Period: f.Period.String(), PeriodLabel: f.Period.Label(), From: f.Period.From.String(), To: f.Period.To.String(),
		AsOf: f.Period.Until(f.AsOf).String(), Problems: GroupProblems(problems), Rectify: rect, Narrative: n.Texts()}
	if s.Rectify == nil {
		s.Rectify = []RectLine{}
	}
	for _, key := range append(slices.Clone(overview.Sections), overview.SectionIndicators) {
		sec := FigureSection{Key: key, Name: overview.SectionNames[key]}
		for _, fig := range f.Section(key, t) {
			if fig.Sealed {
				continue
			}
			sec.Figures = append(sec.Figures, figureOf(fig))
		}
		if len(sec.Figures) > 0 {
			s.Figures = append(s.Figures, sec)
		}
	}
	s.Dispositions = []Count{}
	if f.Oversight != nil {
		for _, c := range f.Oversight.Dispositions {
			s.Dispositions = append(s.Dispositions, Count{Label: c.Label, N: c.N})
		}
	}
	return s
}

func figureOf(f overview.Figure) Figure {
	out := Figure{Key: f.Key, Name: f.Name, Kind: string(f.Kind), Text: f.Text(), Help: f.Help(), Status: string(f.Status)}
	switch f.Kind {
	case overview.KindRatio:
		out.Num, out.Den = f.Ratio.Num, f.Ratio.Den
	case overview.KindCount:
		out.Num = f.Count
	case overview.KindBreakdown:
		out.Parts = []Count{}
		for _, c := range f.Breakdown {
			out.Parts = append(out.Parts, Count{Label: c.Label, N: c.N})
		}
	}
	if f.Target != nil {
		out.Target, out.TargetValue = f.Target.Text(f.Def), f.Target.Value
	}
	return out
}

// Section returns the figures of the section with key, nil if the report
// has none.
func (s *Snapshot) Section(key string) *FigureSection {
	for i := range s.Figures {
		if s.Figures[i].Key == key {
			return &s.Figures[i]
		}
	}
	return nil
}

// DispositionTotal is how many dispositions the report counts.
func (s *Snapshot) DispositionTotal() int {
	n := 0
	for _, c := range s.Dispositions {
		n += c.N
	}
	return n
}

// Canonical is the snapshot's canonical form, which is stored and signed:
// its JSON, fields in the declared order, no spaces.
func (s *Snapshot) Canonical() ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("writing a report's content: %w", err)
	}
	return b, nil
}

// ReadSnapshot reads a stored snapshot.
func ReadSnapshot(b []byte) (*Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("reading a report's content: %w", err)
	}
	return &s, nil
}

// Sign signs the canonical content of a report for its signer at t, as
// 附件1 is signed (trip.Sign): who, when and a SHA-256 over the content,
// the signer and the time.
func Sign(content []byte, signerID int64, signer string, t time.Time) (trip.Signature, error) {
	return trip.Sign(json.RawMessage(content), signerID, signer, t)
}

// Verify reports whether content is what sig signed: a change of any byte
// of the stored content, of the signer or of the time shows.
func Verify(sig trip.Signature, content []byte) bool {
	return json.Valid(content) && sig.Verify(json.RawMessage(content))
}

// PartsText writes a breakdown as a line: 筹备0、实施中2、已结束1.
func (f Figure) PartsText() string {
	var out []string
	for _, c := range f.Parts {
		out = append(out, fmt.Sprintf("%s%d", c.Label, c.N))
	}
	return strings.Join(out, "、")
}

// Value is the figure as a table cell shows it: its text, a breakdown's
// parts beside its total.
func (f Figure) Value() string {
	if f.Kind == string(overview.KindBreakdown) && len(f.Parts) > 0 {
		return f.Text + "（" + f.PartsText() + "）"
	}
	if f.Kind == string(overview.KindRatio) && f.Den > 0 {
		return fmt.Sprintf("%s（%d/%d）", f.Text, f.Num, f.Den)
	}
	return f.Text
}

// Text writes a problem as the report says it: 案款管理2件（如（2026）鲁0102执7号、…）.
func (p Problem) Text() string {
	s := fmt.Sprintf("%s%d件", p.Label, p.Count)
	if len(p.Cases) > 0 {
		s += "（如" + strings.Join(p.Cases, "、") + "）"
	}
	return s
}

// Summary writes the group as one paragraph.
func (g ProblemGroup) Summary() string {
	if g.Total == 0 {
		return g.Name + "：本期未发现。"
	}
	parts := make([]string, len(g.Items))
	for i, p := range g.Items {
		parts[i] = p.Text()
	}
	return fmt.Sprintf("%s共%d件：%s。", g.Name, g.Total, strings.Join(parts, "；"))
}

// numerals number the items under a heading: （一）, （二）…
var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// ProblemLines are the problem groups as the report's numbered
// paragraphs: （一）专项督察评查发现的问题共2件：…
func (s *Snapshot) ProblemLines() []string {
	out := make([]string, len(s.Problems))
	for i, g := range s.Problems {
		out[i] = "（" + numerals[i%len(numerals)] + "）" + g.Summary()
	}
	return out
}

// DispositionText writes the dispositions as the report says them:
// counts by 形态, never who.
func (s *Snapshot) DispositionText() string {
	n := s.DispositionTotal()
	if n == 0 {
		return "本期未依照四种形态作出处置。"
	}
	var parts []string
	for _, c := range s.Dispositions {
		if c.N > 0 {
			parts = append(parts, fmt.Sprintf("%s%d人次", c.Label, c.N))
		}
	}
	return fmt.Sprintf("本期依照四种形态处置%d人次，其中%s。", n, strings.Join(parts, "、"))
}

// Scope writes what the report counts over.
func (s *Snapshot) Scope() string {
	if s.Subtree {
		return s.CourtName + "及辖区法院"
	}
	return s.CourtName
}

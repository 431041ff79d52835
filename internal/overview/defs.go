package overview

import (
	"fmt"
	"strconv"

	"github.com/zhilian/zhilian/internal/domain"
)

// Kind is what a figure is: a count, a rate, or a breakdown of counts.
type Kind string

// The kinds of figure.
const (
	KindCount     Kind = "count"
	KindRatio     Kind = "ratio"
	KindBreakdown Kind = "breakdown"
)

// Def defines a figure once: its key (stable, in the API, the targets
// file and the export), its Chinese name, what it counts — for a rate its
// numerator and denominator —, whether less is better, and how it is read
// from Figures. The page shows Help beside each figure.
type Def struct {
	Key, Section, Name string
	Short              string // a short name for narrow tables; Name if empty
	Kind               Kind
	Counts             string // what a count or breakdown counts
	Num, Den           string // what a rate's numerator and denominator count
	Lower              bool   // less is better (overdue, missing): a target is a ceiling
	Sealed             bool   // the watchdogs' alone (clues, dispositions)
	count              func(*Figures) int
	ratio              func(*Figures) Ratio
	breakdown          func(*Figures) []Count
}

// Help is the definition in words, as the page shows it.
func (d Def) Help() string {
	if d.Kind == KindRatio {
		return "分子：" + d.Num + "；分母：" + d.Den + "。"
	}
	return d.Counts + "。"
}

// The sections of the cockpit, in the page's order.
const (
	SectionVisits      = "visits"
	SectionTrips       = "trips"
	SectionTracking    = "tracking"
	SectionInspections = "inspections"
	SectionOversight   = "oversight"
	SectionIndicators  = "indicators"
)

// SectionNames are the sections' Chinese names.
var SectionNames = map[string]string{
	SectionVisits:      "当事人回访",
	SectionTrips:       "异地执行报告",
	SectionTracking:    "重点案件跟踪",
	SectionInspections: "专项督察评查",
	SectionOversight:   "监督问责",
	SectionIndicators:  "执行核心指标",
}

// Sections lists the mechanisms' sections in order (the indicators apart).
var Sections = []string{SectionVisits, SectionTrips, SectionTracking, SectionInspections, SectionOversight}

// The keys of the four core indicators.
const (
	KeyExecutedInLimit      = "executed_in_limit"
	KeyTerminationQualified = "termination_qualified"
	KeyPetitionConcluded    = "petition_concluded"
	KeyThreeYearClosed      = "three_year_closed"
)

func visits(f *Figures) *VisitFigures {
	if f.Visits == nil {
		return &VisitFigures{}
	}
	return f.Visits
}

func trips(f *Figures) *TripFigures {
	if f.Trips == nil {
		return &TripFigures{}
	}
	return f.Trips
}

func tracked(f *Figures) *TrackingFigures {
	if f.Tracking == nil {
		return &TrackingFigures{}
	}
	return f.Tracking
}

func inspections(f *Figures) *InspectionFigures {
	if f.Inspections == nil {
		return NewInspectionFigures()
	}
	return f.Inspections
}

func oversightOf(f *Figures) *OversightFigures {
	if f.Oversight == nil {
		return NewOversightFigures()
	}
	return f.Oversight
}

// Defs are every figure of the cockpit, section by section, in order.
var Defs = []Def{
	{Key: "visits.drawn_on_time", Short: "按时抽取率", Section: SectionVisits, Name: "日常回访按时抽取率", Kind: KindRatio,
		Num: "应抽取月份中，在次月内完成5%随机抽取的月数", Den: "期间内有执结案件、抽取期限（次月）已届满或已抽取的月数",
		ratio: func(f *Figures) Ratio { return Ratio{visits(f).MonthsOnTime, visits(f).MonthsDue} }},
	{Key: "visits.sampled", Section: SectionVisits, Name: "日常回访抽取人次", Kind: KindCount,
		Counts: "期间各月抽取的日常回访（每名被回访当事人计一次）",
		count:  func(f *Figures) int { return visits(f).Sampled }},
	{Key: "visits.sms_sent", Section: SectionVisits, Name: "回访短信已发送", Kind: KindCount,
		Counts: "期间各月的回访（日常和重点）中已向当事人发出回访短信的人次",
		count:  func(f *Figures) int { return visits(f).SMSSent }},
	{Key: "visits.reply_rate", Section: SectionVisits, Name: "短信回复率", Kind: KindRatio,
		Num: "已发送短信且当事人回复的回访人次", Den: "已发送回访短信的人次",
		ratio: func(f *Figures) Ratio { return Ratio{visits(f).Replied, visits(f).SMSSent} }},
	{Key: "visits.satisfaction_rate", Short: "回访满意率", Section: SectionVisits, Name: "回访满意率", Kind: KindRatio,
		Num: "表示满意的回访人次", Den: "表示满意或不满意的回访人次（未回复、未表态的不计）",
		ratio: func(f *Figures) Ratio {
			return Ratio{visits(f).Satisfied, visits(f).Satisfied + visits(f).Dissatisfied}
		}},
	{Key: "visits.escalations_open", Section: SectionVisits, Name: "升级回访未办结", Kind: KindCount,
		Counts: "期间各月的回访中，截至统计日处于电话回访、会商或实地回访环节、尚未办结的人次",
		count:  func(f *Figures) int { return visits(f).EscalationsOpen }},
	{Key: "visits.escalations_overdue", Section: SectionVisits, Name: "升级回访超期", Kind: KindCount, Lower: true,
		Counts: "上述未办结的升级回访中，截至统计日已超过办理期限的人次",
		count:  func(f *Figures) int { return visits(f).EscalationsOverdue }},

	{Key: "trips.trips", Section: SectionTrips, Name: "异地执行次数", Kind: KindCount,
		Counts: "期间出发的本院辖区外执行（已取消的不计，出发后标记未成行的计入）",
		count:  func(f *Figures) int { return trips(f).Trips }},
	{Key: "trips.required_before", Section: SectionTrips, Name: "出发前讲纪律率", Kind: KindRatio,
		Num: "出发前由部门负责人（或局领导）提出案件情况和纪律要求的次数", Den: "期间出发的异地执行次数",
		ratio: func(f *Figures) Ratio { return Ratio{trips(f).RequiredBefore, trips(f).Trips} }},
	{Key: "trips.on_time", Short: "按期报告率", Section: SectionTrips, Name: "按期报告率", Kind: KindRatio,
		Num: "在规定工作日内提交附件1的外出人次", Den: "期间出发的异地执行中每名外出人员（外出人次）",
		ratio: func(f *Figures) Ratio { return Ratio{trips(f).OnTime, trips(f).Travellers} }},
	{Key: "trips.late", Section: SectionTrips, Name: "逾期报告", Kind: KindCount, Lower: true,
		Counts: "超过期限后才提交附件1的外出人次",
		count:  func(f *Figures) int { return trips(f).Late }},
	{Key: "trips.missing", Short: "未报告", Section: SectionTrips, Name: "未报告", Kind: KindCount, Lower: true,
		Counts: "截至统计日报告期限已过仍未提交附件1的外出人次",
		count:  func(f *Figures) int { return trips(f).Missing }},
	{Key: "trips.alerts", Section: SectionTrips, Name: "报告“有”事项", Kind: KindCount,
		Counts: "附件1七项中任一项填“有”的外出人次（已即时提醒部门负责人、纪检监察组和监察室）",
		count:  func(f *Figures) int { return trips(f).Alerts }},
	{Key: "trips.untruthful", Short: "不如实报告", Section: SectionTrips, Name: "不如实报告", Kind: KindCount, Lower: true,
		Counts: "报告经投诉比对为不如实报告，或投诉发现未报告的外出人次",
		count:  func(f *Figures) int { return trips(f).Untruthful }},

	{Key: "tracking.waiting", Section: SectionTracking, Name: "候选待决定", Kind: KindCount,
		Counts: "截至统计日处于待评估、建议跟踪待会商、会商中或待共同领导决定的候选案件",
		count:  func(f *Figures) int { return tracked(f).Waiting }},
	{Key: "tracking.tracked", Section: SectionTracking, Name: "期间决定跟踪", Kind: KindCount,
		Counts: "期间内经会商或共同领导决定列为重点案件跟踪的案件",
		count:  func(f *Figures) int { return tracked(f).Tracked }},
	{Key: "tracking.under", Section: SectionTracking, Name: "跟踪中", Kind: KindCount,
		Counts: "截至统计日已决定跟踪、尚未结束的重点案件",
		count:  func(f *Figures) int { return tracked(f).Under }},
	{Key: "tracking.findings", Section: SectionTracking, Name: "跟踪发现问题（按规则）", Kind: KindBreakdown,
		Counts:    "期间内在重点案件上确认的问题：工作小组确认的流程节点问题、指向违纪违法的跟踪记录、已确认的网上巡查问题，按规则分列",
		breakdown: func(f *Figures) []Count { return tracked(f).Findings }},
	{Key: "tracking.rec_open", Section: SectionTracking, Name: "意见建议未办结", Kind: KindCount,
		Counts: "截至统计日尚未整改完毕、也未逾期的跟踪意见建议",
		count:  func(f *Figures) int { return tracked(f).RecOpen }},
	{Key: "tracking.rec_overdue", Short: "跟踪建议逾期", Section: SectionTracking, Name: "意见建议逾期", Kind: KindCount, Lower: true,
		Counts: "截至统计日整改期限已过仍未办结的跟踪意见建议",
		count:  func(f *Figures) int { return tracked(f).RecOverdue }},

	{Key: "inspections.campaigns", Section: SectionInspections, Name: "督察评查活动（按状态）", Kind: KindBreakdown,
		Counts:    "本院组织、检查期间与统计期间有交叉的专项督察、司法巡查和案件评查活动，按当前状态分列",
		breakdown: func(f *Figures) []Count { return inspections(f).Campaigns }},
	{Key: "inspections.grades", Section: SectionInspections, Name: "评查等次", Kind: KindBreakdown,
		Counts:    "期间内提交的本院案件评查表，按评定等次分列",
		breakdown: func(f *Figures) []Count { return inspections(f).Grades }},
	{Key: "inspections.rect_open", Section: SectionInspections, Name: "督察整改未完成", Kind: KindCount,
		Counts: "督察评查发现问题所开整改中，截至统计日未验收、未逾期的整改事项（尚未分解事项的整改计一项）",
		count:  func(f *Figures) int { return inspections(f).RectOpen }},
	{Key: "inspections.rect_overdue", Short: "督察整改逾期", Section: SectionInspections, Name: "督察整改逾期", Kind: KindCount, Lower: true,
		Counts: "督察评查发现问题所开整改中，截至统计日已过期限仍未验收的整改事项",
		count:  func(f *Figures) int { return inspections(f).RectOverdue }},

	{Key: "oversight.complaints", Section: SectionOversight, Name: "投诉举报", Kind: KindCount,
		Counts: "期间内登记收到的投诉举报",
		count:  func(f *Figures) int { return oversightOf(f).Complaints }},
	{Key: "oversight.petitions", Section: SectionOversight, Name: "信访", Kind: KindCount,
		Counts: "期间内登记收到的信访",
		count:  func(f *Figures) int { return oversightOf(f).Petitions }},
	{Key: "oversight.clues", Section: SectionOversight, Name: "问题线索（按状态）", Kind: KindBreakdown, Sealed: true,
		Counts:    "期间内登记的问题线索，按当前状态分列",
		breakdown: func(f *Figures) []Count { return oversightOf(f).Clues }},
	{Key: "oversight.dispositions", Section: SectionOversight, Name: "四种形态处置", Kind: KindBreakdown, Sealed: true,
		Counts:    "期间内作出的处置，按四种形态分列（只计件数）",
		breakdown: func(f *Figures) []Count { return oversightOf(f).Dispositions }},
	{Key: "oversight.suggestions", Section: SectionOversight, Name: "改进意见建议", Kind: KindCount,
		Counts: "期间内向执行局发出的改进意见建议",
		count:  func(f *Figures) int { return oversightOf(f).Suggestions }},
	{Key: "oversight.suggestions_done", Section: SectionOversight, Name: "意见建议整改完成率", Kind: KindRatio,
		Num: "上述意见建议中整改事项已全部验收的件数", Den: "期间内发出的改进意见建议件数",
		ratio: func(f *Figures) Ratio { return Ratio{oversightOf(f).SuggestionsDone, oversightOf(f).Suggestions} }},
	{Key: "oversight.suggestions_open", Section: SectionOversight, Name: "意见建议整改中", Kind: KindCount,
		Counts: "上述意见建议中截至统计日整改尚未全部验收、也无逾期事项的件数",
		count:  func(f *Figures) int { return oversightOf(f).SuggestionsOpen }},
	{Key: "oversight.suggestions_overdue", Short: "意见建议逾期", Section: SectionOversight, Name: "意见建议整改逾期", Kind: KindCount, Lower: true,
		Counts: "上述意见建议中截至统计日有整改事项逾期（或未分解事项而已过期限）的件数",
		count:  func(f *Figures) int { return oversightOf(f).SuggestionsOverdue }},

	{Key: KeyExecutedInLimit, Short: "法定期限内执结率", Section: SectionIndicators, Name: "有财产可供执行案件法定期限内实际执结率", Kind: KindRatio,
		Num:   "其中在法定期限（立案起六个月，加批准延长、扣除不计入期间）届满前以终本以外方式结案的件数",
		Den:   "有财产可供执行案件中，法定期限届满于期间内或在期间内于期限届满前结案的件数（以结案日、期限届满日中较早者归入期间；期限尚未届满的未结案件不计）",
		ratio: func(f *Figures) Ratio { return f.Core.ExecutedInLimit }},
	{Key: KeyTerminationQualified, Short: "终本合格率", Section: SectionIndicators, Name: "无财产可供执行案件终本合格率", Kind: KindRatio,
		Num:   "其中网上巡查“终结本次执行程序不符合条件”规则未发现问题，或发现的问题已排除、已消除的件数",
		Den:   "期间内以终结本次执行程序结案的件数",
		ratio: func(f *Figures) Ratio { return f.Core.TerminationQualified }},
	{Key: KeyPetitionConcluded, Short: "信访办结率", Section: SectionIndicators, Name: "执行信访案件办结率", Kind: KindRatio,
		Num:   "其中在期间内结案的件数",
		Den:   "标记为信访的执行案件中，期间内在办的件数（期间结束前立案、期间开始时尚未结案）",
		ratio: func(f *Figures) Ratio { return f.Core.PetitionConcluded }},
	{Key: KeyThreeYearClosed, Short: "近三年执结率", Section: SectionIndicators, Name: "近三年执行案件整体执结率", Kind: KindRatio,
		Num:   "其中截至期间末已结案（含终结本次执行程序）的件数",
		Den:   "期间末所在年度及前两年（自该三年首日至期间末）立案的执行案件件数",
		ratio: func(f *Figures) Ratio { return f.Core.ThreeYearClosed }},
}

// DefOf returns the figure with the given key.
func DefOf(key string) (Def, bool) {
	for _, d := range Defs {
		if d.Key == key {
			return d, true
		}
	}
	return Def{}, false
}

// Figure is one figure of a court's Figures, read by its Def, with its
// target and status.
type Figure struct {
	Def
	Count     int
	Ratio     Ratio
	Breakdown []Count
	Target    *Target // nil: the figure has no target
	Status    Status
}

// Value is a count, or a rate in percent (false: nothing to count).
func (f Figure) Value() (float64, bool) {
	switch f.Kind {
	case KindRatio:
		return f.Ratio.Value()
	case KindCount:
		return float64(f.Count), true
	}
	n := 0
	for _, c := range f.Breakdown {
		n += c.N
	}
	return float64(n), true
}

// Text is the figure as the page writes it: 12, 91.7%, or — when a rate
// has nothing to count.
func (f Figure) Text() string {
	v, ok := f.Value()
	switch {
	case !ok:
		return "—"
	case f.Kind == KindRatio:
		return FormatPercent(v)
	}
	return strconv.Itoa(int(v))
}

// FormatPercent writes a percentage to one decimal: 91.7%.
func FormatPercent(v float64) string { return fmt.Sprintf("%.1f%%", v) }

// Read reads the figure d of f, with its status against t.
func (f *Figures) Read(d Def, t Targets) Figure {
	fig := Figure{Def: d}
	switch d.Kind {
	case KindCount:
		fig.Count = d.count(f)
	case KindRatio:
		fig.Ratio = d.ratio(f)
	case KindBreakdown:
		fig.Breakdown = d.breakdown(f)
	}
	if tg, ok := t[d.Key]; ok && d.Kind != KindBreakdown {
		fig.Target = &tg
		v, ok := fig.Value()
		fig.Status = tg.Status(v, ok)
	}
	return fig
}

// Seen reports whether the viewer's roles reach section s at all.
func (f *Figures) Seen(s string) bool {
	switch s {
	case SectionVisits:
		return f.Visits != nil
	case SectionTrips:
		return f.Trips != nil
	case SectionTracking:
		return f.Tracking != nil
	case SectionInspections:
		return f.Inspections != nil
	case SectionOversight:
		return f.Oversight != nil
	}
	return true
}

// Section returns the figures of section s, read with targets t; none when
// the viewer does not reach it.
func (f *Figures) Section(s string, t Targets) []Figure {
	if !f.Seen(s) {
		return nil
	}
	var out []Figure
	for _, d := range Defs {
		if d.Section == s && (!d.Sealed || f.Oversight != nil && f.Oversight.CluesSeen) {
			out = append(out, f.Read(d, t))
		}
	}
	return out
}

// Indicators are the four core indicators with their targets and status.
func (f *Figures) Indicators(t Targets) []Figure { return f.Section(SectionIndicators, t) }

// Attainment is how well f meets the core indicators' targets, for
// ranking courts: the mean, over the indicators with something to count,
// of value ÷ target (capped at 1); false when none has.
func (f *Figures) Attainment(t Targets) (float64, bool) {
	sum, n := 0.0, 0
	for _, ind := range f.Indicators(t) {
		v, ok := ind.Value()
		if !ok || ind.Target == nil || ind.Target.Value <= 0 {
			continue
		}
		sum += min(v/ind.Target.Value, 1)
		n++
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// EnforcementTypes are the case types of 执行实施 that the first two core
// indicators count: the cases in which property is enforced and 终本 is a
// way of closing.
var EnforcementTypes = []string{"执", "执恢"}

// ThreeYearsFrom is the first day of the three years that the indicator
// 近三年执行案件整体执结率 counts up to day d: 1 January two years before
// d's year.
func ThreeYearsFrom(d domain.Date) domain.Date { return domain.NewDate(d.Year()-2, 1, 1) }

// TargetText is the figure's target as the page writes it, "" if none.
func (f Figure) TargetText() string {
	if f.Target == nil {
		return ""
	}
	return f.Target.Text(f.Def)
}

// Status is the court's status over the core indicators, for the map of
// courts: green when every indicator with something to count meets its
// target; amber when the mean attainment (Attainment) is no lower than the
// mean of the indicators' amber floors (target less band, over target); red
// otherwise; none when no indicator has anything to count.
func (f *Figures) Status(t Targets) Status {
	sum, floor, n := 0.0, 0.0, 0
	for _, ind := range f.Indicators(t) {
		v, ok := ind.Value()
		if !ok || ind.Target == nil || ind.Target.Value <= 0 {
			continue
		}
		sum += min(v/ind.Target.Value, 1)
		floor += max(ind.Target.Value-ind.Target.Amber, 0) / ind.Target.Value
		n++
	}
	switch {
	case n == 0:
		return StatusNone
	case sum >= float64(n)-1e-9:
		return StatusGreen
	case sum >= floor-1e-9:
		return StatusAmber
	}
	return StatusRed
}

// ShortName is the figure's short name for narrow tables.
func (d Def) ShortName() string {
	if d.Short != "" {
		return d.Short
	}
	return d.Name
}

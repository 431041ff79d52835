// Package integrity holds an officer's integrity record (廉政档案) and its
// early warnings (预警): the kinds of entry the record gathers from the
// four mechanisms and the oversight registers, with their Chinese labels;
// the early-warning rules, their parameters and their evaluation as plain
// functions of an officer's facts; the states of a warning and who may
// do what with it. The record is the watchdogs' alone: the officer
// concerned never sees it, whatever roles he holds.
//
// It is a package of its own, not part of oversight, because the record
// reads every mechanism (visits, trips, tracking, inspections) as well as
// the oversight registers, and oversight is already the owner of five
// registers; integrity imports oversight for the talk and the form that an
// accepted warning becomes, and nothing imports integrity but the store,
// the pages and the wiring.
package integrity

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// Kind is a kind of entry of the record, counted per officer and
// compared with his court's median.
type Kind string

// The kinds, in the order the pages show them.
const (
	KindDissatisfied Kind = "dissatisfied" // 回访答复不满意
	KindCategory3    Kind = "category3"    // 附件3第三类：反映执行不廉或作风不正（回访、投诉）
	KindComplaint    Kind = "complaint"    // 投诉举报、信访涉及本人或其承办案件
	KindLate         Kind = "late"         // 外出执行情况报告单迟报
	KindMissing      Kind = "missing"      // 外出执行情况报告单逾期未报
	KindYes          Kind = "yes"          // 报告单有“有”项，或全程廉洁报告“未做到”
	KindUntruthful   Kind = "untruthful"   // 不如实报告（含外出未报告被反映）
	KindTracking     Kind = "tracking"     // 重点案件跟踪、网上巡查确认的问题
	KindFinding      Kind = "finding"      // 专项督察评查发现的问题
	KindGrade        Kind = "grade"        // 案件评查等次为瑕疵、不合格
	KindDisposition  Kind = "disposition"  // 四种形态处置
	KindTalk         Kind = "talk"         // 谈话提醒、预警约谈
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{KindDissatisfied, KindCategory3, KindComplaint, KindLate, KindMissing, KindYes, KindUntruthful,
	KindTracking, KindFinding, KindGrade, KindDisposition, KindTalk}

var kindLabels = map[Kind][2]string{
	KindDissatisfied: {"回访不满意", "当事人回访答复不满意"},
	KindCategory3:    {"第三类反映", "反映执行不廉或作风不正（附件3第三类，回访答复或投诉举报、信访）"},
	KindComplaint:    {"投诉信访", "投诉举报、信访涉及本人或其承办的案件"},
	KindLate:         {"报告迟报", "外出执行情况报告单逾期后提交"},
	KindMissing:      {"报告未报", "外出执行情况报告单逾期未提交"},
	KindYes:          {"报告有“有”项", "报告单有“有”项，或全程廉洁情况报告“未做到”"},
	KindUntruthful:   {"不如实报告", "报告与当事人反映不符，或外出未报告被当事人反映"},
	KindTracking:     {"跟踪巡查问题", "重点案件跟踪监督、网上巡查确认的问题"},
	KindFinding:      {"评查问题", "专项督察评查发现的问题（撤回的除外）"},
	KindGrade:        {"评查瑕疵、不合格", "案件评查等次为瑕疵或不合格"},
	KindDisposition:  {"四种形态处置", "运用“四种形态”作出的处置"},
	KindTalk:         {"谈话", "谈话提醒、预警约谈"},
}

// Label is the kind's short Chinese name, for column headings.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l[0]
	}
	return string(k)
}

// Meaning says in full what the kind counts.
func (k Kind) Meaning() string { return kindLabels[k][1] }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { _, ok := kindLabels[k]; return ok }

// Record is the kind of record an entry is, which its link goes to.
type Record string

// The records an entry links to.
const (
	RecVisit       Record = "visit"       // /visits/{Ref}
	RecComplaint   Record = "complaint"   // /complaints/{Ref}
	RecTrip        Record = "trip"        // /trips/{Ref}
	RecReview      Record = "review"      // /trip-reviews/{Ref}
	RecTracking    Record = "tracking"    // a tracking record Ref of tracking Ref2
	RecPatrol      Record = "patrol"      // a patrol finding Ref on case Ref2
	RecFinding     Record = "finding"     // a finding Ref of campaign Ref2
	RecTarget      Record = "target"      // a review sheet Ref of campaign Ref2
	RecDisposition Record = "disposition" // /dispositions/{Ref}
	RecTalk        Record = "talk"        // a talk Ref under disposition Ref2
	RecWarning     Record = "warning"     // warning Ref about officer Ref2
)

var recordLabels = map[Record]string{
	RecVisit: "回访", RecComplaint: "投诉举报、信访", RecTrip: "外出执行", RecReview: "外出报告审查", RecTracking: "跟踪监督记录",
	RecPatrol: "网上巡查", RecFinding: "评查发现的问题", RecTarget: "评查表", RecDisposition: "处置", RecTalk: "谈话", RecWarning: "预警",
}

// Label is the record's Chinese name.
func (r Record) Label() string { return cmp.Or(recordLabels[r], string(r)) }

// Entry is one record that concerns the officer, as a kind counts it.
// Subject is what it is about (a case number, a destination, a measure),
// Detail a word more (a channel, a grade).
type Entry struct {
	Kind            Kind
	Record          Record
	Ref, Ref2       int64
	On              domain.Date
	Subject, Detail string
}

// Href is the address of the record the entry stands for.
func Href(rec Record, ref, ref2 int64) string {
	switch rec {
	case RecVisit:
		return fmt.Sprintf("/visits/%d", ref)
	case RecComplaint:
		return fmt.Sprintf("/complaints/%d", ref)
	case RecTrip:
		return fmt.Sprintf("/trips/%d", ref)
	case RecReview:
		return fmt.Sprintf("/trip-reviews/%d", ref)
	case RecTracking:
		return fmt.Sprintf("/tracking/%d/work", ref2)
	case RecPatrol:
		return fmt.Sprintf("/cases/%d", ref2)
	case RecFinding:
		return fmt.Sprintf("/inspections/%d", ref2)
	case RecTarget:
		return fmt.Sprintf("/inspections/%d/targets/%d", ref2, ref)
	case RecDisposition:
		return fmt.Sprintf("/dispositions/%d", ref)
	case RecTalk:
		return fmt.Sprintf("/dispositions/%d", ref2)
	case RecWarning:
		return fmt.Sprintf("%s#warning-%d", RecordPath(ref2), ref)
	}
	return ""
}

// RecordPath is the address of officer id's record: what other pages
// (the cockpit) link to.
func RecordPath(id int64) string { return fmt.Sprintf("/integrity/%d", id) }

// ListPath is the address of the list of a court's officers, by its code.
func ListPath(courtCode string) string {
	if courtCode == "" {
		return "/integrity"
	}
	return "/integrity?court=" + url.QueryEscape(courtCode)
}

// Line is one line of the timeline: a record and every kind it counts
// under (a dissatisfied answer of category 三 counts twice, and is one
// line).
type Line struct {
	On              domain.Date
	Kinds           []Kind
	Record          Record
	Ref, Ref2       int64
	Subject, Detail string
}

// Href is the address of the line's record.
func (l Line) Href() string { return Href(l.Record, l.Ref, l.Ref2) }

// KindLabels names the line's kinds.
func (l Line) KindLabels() string {
	var ss []string
	for _, k := range l.Kinds {
		ss = append(ss, k.Label())
	}
	return strings.Join(ss, "、")
}

// Timeline merges the entries of one record into one line, dated by its
// earliest entry, newest line first (ties by record and id, newest id
// first), kinds in display order.
func Timeline(es []Entry) []Line {
	type key struct {
		rec Record
		ref int64
	}
	at := map[key]int{}
	var out []Line
	for _, e := range es {
		k := key{e.Record, e.Ref}
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, Line{On: e.On, Kinds: []Kind{e.Kind}, Record: e.Record, Ref: e.Ref, Ref2: e.Ref2, Subject: e.Subject, Detail: e.Detail})
			continue
		}
		l := &out[i]
		if !slices.Contains(l.Kinds, e.Kind) {
			l.Kinds = append(l.Kinds, e.Kind)
		}
		if e.On.Before(l.On) {
			l.On = e.On
		}
		l.Detail = cmp.Or(l.Detail, e.Detail)
	}
	for i := range out {
		slices.SortFunc(out[i].Kinds, func(a, b Kind) int { return slices.Index(Kinds, a) - slices.Index(Kinds, b) })
	}
	return SortLines(out)
}

// SortLines orders lines newest first, those of one day by record and
// then newest id first.
func SortLines(out []Line) []Line {
	slices.SortStableFunc(out, func(a, b Line) int {
		if c := b.On.Time().Compare(a.On.Time()); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Record), string(b.Record)); c != 0 {
			return c
		}
		return cmp.Compare(b.Ref, a.Ref)
	})
	return out
}

// Counts are an officer's entries per kind.
type Counts map[Kind]int

// Median is the median of ns: the middle value, or the mean of the two
// middle values of an even number; 0 for none.
func Median(ns []int) float64 {
	if len(ns) == 0 {
		return 0
	}
	s := slices.Clone(ns)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return float64(s[m-1]+s[m]) / 2
}

// Compared is one kind's count of an officer beside his court's median.
type Compared struct {
	Kind   Kind
	N      int
	Median float64
}

// Above reports whether the officer's count is above the median.
func (c Compared) Above() bool { return float64(c.N) > c.Median }

// MedianText is the median as the page writes it: 1 or 1.5.
func (c Compared) MedianText() string {
	if c.Median == float64(int(c.Median)) {
		return fmt.Sprintf("%d", int(c.Median))
	}
	return fmt.Sprintf("%.1f", c.Median)
}

// Compare sets an officer's counts beside the medians of the counts of
// his court's officers (court, every officer's counts, his among them),
// kind by kind in display order.
func Compare(own Counts, court []Counts) []Compared {
	out := make([]Compared, 0, len(Kinds))
	for _, k := range Kinds {
		ns := make([]int, len(court))
		for i, c := range court {
			ns[i] = c[k]
		}
		out = append(out, Compared{Kind: k, N: own[k], Median: Median(ns)})
	}
	return out
}

// Period is the days a record covers, both ends included.
type Period struct{ From, To domain.Date }

// DefaultMonths is how far back a record looks unless asked otherwise.
const DefaultMonths = 12

// LastMonths is the period of n months ending today.
func LastMonths(today domain.Date, n int) Period {
	return Period{From: today.AddMonths(-n).AddDays(1), To: today}
}

// ParsePeriod reads a period from its two fields (2026-01-31), the last
// DefaultMonths months where both are empty; an open end is the
// default's. A mistake is said beside its field.
func ParsePeriod(from, to string, today domain.Date) (Period, error) {
	p := LastMonths(today, DefaultMonths)
	fe := domain.FieldErrors{}
	if s := strings.TrimSpace(from); s != "" {
		d, err := domain.ParseDate(s)
		if err != nil {
			fe.Add("from", "日期格式应为 2026-01-31")
		}
		p.From = d
	}
	if s := strings.TrimSpace(to); s != "" {
		d, err := domain.ParseDate(s)
		if err != nil {
			fe.Add("to", "日期格式应为 2026-01-31")
		}
		p.To = d
	}
	if len(fe) == 0 && p.To.Before(p.From) {
		fe.Add("to", "截止日期不能早于起始日期")
	}
	if err := fe.Err(); err != nil {
		return LastMonths(today, DefaultMonths), err
	}
	return p, nil
}

// String is the period as the pages say it.
func (p Period) String() string { return p.From.String() + " 至 " + p.To.String() }

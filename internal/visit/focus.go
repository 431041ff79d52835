package visit

import (
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// Focused-visit criteria, from section 二（二） of the seed, and the reason
// of a drawn visit.
const (
	ReasonOpen18Months = "open_18_months" // 超过18个月未结
	ReasonOverdue      = "overdue"        // 有财产可供执行，法定期限内未执结
	ReasonPetition     = "petition"       // 当事人信访
	ReasonSupervised   = "supervised"     // 上级法院督办
	ReasonManual       = "manual"         // 执行指挥中心手动添加
	ReasonDaily        = "daily"          // 日常回访：月度抽取入选
	ReasonTracking     = "tracking"       // 重点案件跟踪工作小组安排
)

// FocusReasons label the criteria.
var FocusReasons = map[string]string{
	ReasonOpen18Months: "超过18个月未结的执行案件",
	ReasonOverdue:      "有财产可供执行案件在法定期限内未实际执结的案件",
	ReasonPetition:     "当事人信访的执行案件",
	ReasonSupervised:   "上级法院督办的执行案件",
	ReasonManual:       "执行指挥中心决定重点回访",
	ReasonDaily:        "日常回访随机抽取入选",
	ReasonTracking:     "重点案件跟踪工作小组安排重点回访",
}

// ScannedReasons are the criteria the daily scan applies, in the seed's order.
var ScannedReasons = []string{ReasonOpen18Months, ReasonOverdue, ReasonPetition, ReasonSupervised}

// ModeTerminated is 终结本次执行程序 (终本): a closing that is not 实际执结.
const ModeTerminated = "终结本次执行程序"

// FocusRule configures the daily focused scan.
type FocusRule struct {
	// Window is how long after its closing a closed case is still visited
	// for a criterion it met (a petition, a supervision, a limit passed):
	// without it the first scan would visit ten years of closed cases.
	Window time.Duration
	// DailyCapacity is how many cases of one court the scan turns into
	// visits a day; the others wait in the court's queue, the most urgent
	// first (FocusUrgency). Zero or less: no limit. It keeps a court's
	// first scan over years of history from putting hundreds of thousands
	// of visits on its command centre at once.
	DailyCapacity int
}

// DefaultFocusCapacity is the default daily capacity per court.
const DefaultFocusCapacity = 50

// DefaultFocusRule visits closed cases up to 90 days after their closing,
// at most DefaultFocusCapacity cases per court a day.
func DefaultFocusRule() FocusRule {
	return FocusRule{Window: 90 * 24 * time.Hour, DailyCapacity: DefaultFocusCapacity}
}

// FocusUrgency ranks the criteria for a court's queue of focused visits,
// lowest first: a party's petition (信访) before a higher court's
// supervision (督办), then the cases open for 18 months, then those past
// their limit with property known. Within a rank the longest open case
// (the earliest filed) goes first, then the lower case ID. A case waits
// with its most urgent criterion's rank, and all its criteria are visited
// together when its turn comes.
func FocusUrgency(reason string) int {
	switch reason {
	case ReasonPetition:
		return 0
	case ReasonSupervised:
		return 1
	case ReasonOpen18Months:
		return 2
	case ReasonOverdue:
		return 3
	}
	return 4
}

// Validate reports whether the rule can be used.
func (r FocusRule) Validate() error {
	if r.Window <= 0 {
		return domain.Invalid("window", "重点回访的时间窗口必须大于零")
	}
	if r.DailyCapacity < 0 {
		return domain.Invalid("capacity", "每日重点回访数量不能为负数")
	}
	return nil
}

// WindowStart is the earliest closing date a closed case may have on today
// to be visited.
func (r FocusRule) WindowStart(today domain.Date) domain.Date {
	return today.AddDays(-int(r.Window.Hours() / 24))
}

// FocusFacts are what the criteria read of a case.
type FocusFacts struct {
	Filed, Closed, Due         domain.Date
	ClosingMode                string
	HasProperty, PropertyKnown bool
	ClockStopped               bool
	Petition                   bool
	PetitionSince              domain.Date // the latest registered petition's date, if any
	SupervisedBy               string
	SupervisedSince            domain.Date
}

// FocusHit is a criterion a case meets, and since when: the day its event
// happened (the 18 months ran out, the limit passed, the supervision
// began, the latest petition was registered). A case is visited once per
// event: again only when a later event of the same criterion happens.
// Since is zero when the event's date is not known (a petition flag from
// the case system with no petition registered), so the case is visited
// for it once.
type FocusHit struct {
	Reason string
	Since  domain.Date
}

// Hits returns the criteria c meets on today. ① applies to open cases;
// ②, ③ and ④ to open cases and to cases closed within the window: ② counts
// a case closed after its limit, or closed by 终本 once the limit had
// passed, as not 实际执结 within the limit. A case closed after today is
// open on today.
func (r FocusRule) Hits(c FocusFacts, today domain.Date) []FocusHit {
	closed := !c.Closed.IsZero() && !c.Closed.After(today)
	if closed && c.Closed.Before(r.WindowStart(today)) {
		return nil
	}
	var hits []FocusHit
	if !closed && !c.Filed.IsZero() {
		if at := c.Filed.AddMonths(18); !at.After(today) {
			hits = append(hits, FocusHit{ReasonOpen18Months, at})
		}
	}
	if c.HasProperty && c.PropertyKnown && !c.Due.IsZero() && c.Due.Before(today) {
		late := !closed && !c.ClockStopped ||
			closed && (c.Closed.After(c.Due) || c.ClosingMode == ModeTerminated)
		if late {
			hits = append(hits, FocusHit{ReasonOverdue, c.Due.AddDays(1)})
		}
	}
	if c.Petition || !c.PetitionSince.IsZero() {
		hits = append(hits, FocusHit{ReasonPetition, c.PetitionSince})
	}
	if c.SupervisedBy != "" {
		hits = append(hits, FocusHit{ReasonSupervised, c.SupervisedSince})
	}
	return hits
}

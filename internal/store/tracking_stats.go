package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

// TrackingStatsRow is one court's trackings, by the scope of their cases'
// reasons (a tracking counts once in each scope its case has a reason in).
type TrackingStatsRow struct {
	Code, Name string
	Scopes     map[tracking.Scope]int
	Total      int // trackings
	Tracked    int // decided to track (跟踪中 or 已结束)
	Closed     int // 已结束
}

// LabelCount is a count under a label.
type LabelCount struct {
	Label string
	Count int
}

// TrackingStats are the statistics of mechanism 1 for the trackings v
// may see at a court and below.
type TrackingStats struct {
	Courts []TrackingStatsRow
	// Decided is how many trackings were decided (tracked or not), and
	// the median and mean days from candidate to decision.
	Decided                        int
	MedianDays, MeanDays, MaxDays  int
	FindingsByRule                 []LabelCount
	FindingsByAspect               []LabelCount
	RecOpen, RecClosed, RecOverdue int
	// Months is every month of the period, those without any at zero.
	Months []TrackingMonth
}

// TrackingStatsFilter is the court (v's when empty) and the months, from
// and to as YYYY-MM, whose trackings the statistics count: those listed
// as candidates in the period. Empty months count every tracking.
type TrackingStatsFilter struct {
	Court, From, To string
}

// TrackingMonth is one month of the trend: the cases listed as candidates,
// decided to be tracked and closed in it (Beijing time).
type TrackingMonth struct {
	Month                       string
	Candidates, Decided, Closed int
}

// TrackingStatistics counts the trackings v may see at the filter's court
// and below (v's court when it names none), listed as candidates in its
// months, on today: by court and scope,
// the days from candidate to decision, the findings by rule and aspect
// (node findings the groups confirmed, records pointing to a violation,
// and the 网上巡查 findings confirmed on the tracked cases), and the
// recommendations open, closed and overdue; and month by month, the
// candidates listed, the decisions to track and the closings.
func (db *DB) TrackingStatistics(ctx context.Context, v domain.Viewer, f TrackingStatsFilter) (*TrackingStats, error) {
	scope, args, err := trackingScope(v)
	if err != nil {
		return nil, err
	}
	code := f.Court
	if code == "" {
		code = v.CourtCode
	}
	if code != "" {
		c, err := courtByCode(ctx, db, code)
		if err != nil {
			return nil, err
		}
		scope, args = scope+" AND c.path LIKE CAST(? AS TEXT) ESCAPE '\\'", append(args, likePrefix(c.Path))
	}
	st, err := trackingMonths(ctx, db, scope, args, f.From, f.To)
	if err != nil {
		return nil, err
	}
	if f.From != "" && f.To != "" {
		first, _, err := domain.ParseMonth(f.From)
		if err != nil {
			return nil, err
		}
		_, end, err := domain.ParseMonth(f.To)
		if err != nil {
			return nil, err
		}
		scope, args = scope+" AND t.candidate_since >= ? AND t.candidate_since < ?", append(args, first.String(), end.String())
	}
	rows := map[string]*TrackingStatsRow{}
	var order []string
	var days []int
	err = each(ctx, db, func(row scanner) error {
		var code, name string
		var step tracking.Step
		var since domain.Date
		var decided sql.NullTime
		if err := row.Scan(&code, &name, &step, &since, &decided); err != nil {
			return err
		}
		x := rows[code]
		if x == nil {
			x = &TrackingStatsRow{Code: code, Name: name, Scopes: map[tracking.Scope]int{}}
			rows[code], order = x, append(order, code)
		}
		x.Total++
		if step.DecidedToTrack() {
			x.Tracked++
		}
		if step == tracking.StepClosed {
			x.Closed++
		}
		if d := tracking.DaysToDecision(since, timeOf(decided)); d >= 0 {
			days = append(days, d)
		}
		return nil
	}, "SELECT c.code, c.name, t.state, t.candidate_since, t.decided_at"+trackingFrom+" WHERE "+scope+" ORDER BY c.path, t.id", args...)
	if err != nil {
		return nil, fmt.Errorf("counting trackings: %w", err)
	}
	err = each(ctx, db, func(row scanner) error {
		var code string
		var sc tracking.Scope
		var n int
		if err := row.Scan(&code, &sc, &n); err != nil {
			return err
		}
		if x := rows[code]; x != nil {
			x.Scopes[sc] = n
		}
		return nil
	}, `SELECT c.code, cr.scope, COUNT(DISTINCT t.id)`+trackingFrom+` JOIN candidate_reasons cr ON cr.case_id = t.case_id
		WHERE `+scope+" GROUP BY c.code, cr.scope", args...)
	if err != nil {
		return nil, fmt.Errorf("counting trackings by scope: %w", err)
	}
	for _, code := range order {
		st.Courts = append(st.Courts, *rows[code])
	}
	if st.Decided = len(days); st.Decided > 0 {
		sum := 0
		for _, d := range days {
			sum += d
			st.MaxDays = max(st.MaxDays, d)
		}
		st.MeanDays, st.MedianDays = (sum+st.Decided/2)/st.Decided, tracking.Median(days)
	}
	byRule, byAspect := map[string]int{}, map[tracking.Aspect]int{}
	err = each(ctx, db, func(row scanner) error {
		var kind tracking.RecordKind
		var node string
		var aspect tracking.Aspect
		var n int
		if err := row.Scan(&kind, &node, &aspect, &n); err != nil {
			return err
		}
		rule := findingRule(kind, node)
		byRule[rule] += n
		byAspect[aspect] += n
		return nil
	}, `SELECT r.kind, r.node, r.aspect, COUNT(*)`+trackingFrom+` JOIN tracking_records r ON r.tracking_id = t.id
		WHERE (r.violation OR (r.kind = 'finding' AND r.decision = 'confirm')) AND `+scope+" GROUP BY r.kind, r.node, r.aspect", args...)
	if err != nil {
		return nil, fmt.Errorf("counting findings: %w", err)
	}
	// The 网上巡查 findings confirmed on the tracked cases count by their rule.
	err = each(ctx, db, func(row scanner) error {
		var title string
		var aspect tracking.Aspect
		var n int
		if err := row.Scan(&title, &aspect, &n); err != nil {
			return err
		}
		byRule["网上巡查："+title] += n
		byAspect[aspect] += n
		return nil
	}, `SELECT f.title, f.aspect, COUNT(DISTINCT f.id)`+trackingFrom+` JOIN patrol_findings f ON f.case_id = t.case_id
		WHERE f.state = 'confirmed' AND `+scope+" GROUP BY f.title, f.aspect", args...)
	if err != nil {
		return nil, fmt.Errorf("counting patrol findings: %w", err)
	}
	for _, l := range slices.Sorted(maps.Keys(byRule)) {
		st.FindingsByRule = append(st.FindingsByRule, LabelCount{l, byRule[l]})
	}
	for _, a := range tracking.Aspects {
		st.FindingsByAspect = append(st.FindingsByAspect, LabelCount{a.Label(), byAspect[a]})
	}
	ids, err := collect(ctx, db, scanID, "SELECT t.id"+trackingFrom+" WHERE "+scope+" AND EXISTS (SELECT 1 FROM tracking_recommendations x WHERE x.tracking_id = t.id)", args...)
	if err != nil {
		return nil, fmt.Errorf("finding recommendations: %w", err)
	}
	today := db.today()
	for _, id := range ids {
		recs, err := trackingRecommendations(ctx, db, id, today)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			switch r.State {
			case tracking.RecClosed:
				st.RecClosed++
			case tracking.RecOverdue:
				st.RecOverdue++
			default:
				st.RecOpen++
			}
		}
	}
	return st, nil
}

// findingRule is the rule a tracking record's finding counts under: a
// node finding the group confirmed by its node, else a record pointing to
// a violation.
func findingRule(kind tracking.RecordKind, node string) string {
	if kind == tracking.RecordFinding {
		return "流程节点超期或缺失：" + node
	}
	return "涉嫌违纪违法的记录"
}

// trackingMonths is the trend over the months from to to: the trackings
// matching scope listed, decided to be tracked and closed in each.
func trackingMonths(ctx context.Context, db *DB, scope string, args []any, from, to string) (*TrackingStats, error) {
	st := &TrackingStats{}
	if from == "" || to == "" {
		return st, nil
	}
	first, _, err := domain.ParseMonth(from)
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for m := first; m.String()[:7] <= to && len(st.Months) < 120; m = m.AddMonths(1) {
		at[m.String()[:7]] = len(st.Months)
		st.Months = append(st.Months, TrackingMonth{Month: m.String()[:7]})
	}
	month := func(d domain.Date) (*TrackingMonth, bool) {
		if d.IsZero() {
			return nil, false
		}
		i, ok := at[d.String()[:7]]
		if !ok {
			return nil, false
		}
		return &st.Months[i], true
	}
	err = each(ctx, db, func(row scanner) error {
		var step tracking.Step
		var since domain.Date
		var decided, closed sql.NullTime
		if err := row.Scan(&step, &since, &decided, &closed); err != nil {
			return err
		}
		if m, ok := month(since); ok {
			m.Candidates++
		}
		if m, ok := month(domain.DateOf(timeOf(decided), domain.Beijing)); ok && decided.Valid && step.DecidedToTrack() {
			m.Decided++
		}
		if m, ok := month(domain.DateOf(timeOf(closed), domain.Beijing)); ok && closed.Valid && step == tracking.StepClosed {
			m.Closed++
		}
		return nil
	}, "SELECT t.state, t.candidate_since, t.decided_at, t.closed_at"+trackingFrom+" WHERE "+scope, args...)
	if err != nil {
		return nil, fmt.Errorf("counting trackings by month: %w", err)
	}
	return st, nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/tracking"
)

// The leaders' cockpit 四项机制运行总览 (issue 18). What each figure counts
// is defined in package overview; here the store counts it court by court
// over a court's subtree, each register through its own scope, so that a
// court's figures, its subtree's, and those of each court below it (the
// drill-down) are sums of the same per-court counts.

// OverviewFigures counts the cockpit's figures of the court at courtCode —
// alone, or with every court below it when subtree — over period p, as v
// may see them. v must be of the court's 执行局, 纪检监察组 or 监察室, or of a
// court above it (overview.CanSee).
func (db *DB) OverviewFigures(ctx context.Context, v domain.Viewer, courtCode string, subtree bool, p overview.Period) (*overview.Figures, error) {
	root, courts, by, err := db.overviewCounted(ctx, v, courtCode, p)
	if err != nil {
		return nil, err
	}
	return db.overviewOf(root, subtree, courts, by, p), nil
}

// OverviewChildren counts the figures of each court directly below the
// court at courtCode, each with its own subtree, over p, as v may see
// them: the cockpit's drill-down, in court order.
func (db *DB) OverviewChildren(ctx context.Context, v domain.Viewer, courtCode string, p overview.Period) ([]*overview.Figures, error) {
	root, courts, by, err := db.overviewCounted(ctx, v, courtCode, p)
	if err != nil {
		return nil, err
	}
	return db.overviewChildrenOf(root, courts, by, p), nil
}

// OverviewTrend counts the four core indicators of the court at courtCode
// (alone, or with its subtree) for each of the periods, as v may see the
// cases: the cockpit's trend.
func (db *DB) OverviewTrend(ctx context.Context, v domain.Viewer, courtCode string, subtree bool, periods []overview.Period) ([]overview.CoreCounts, error) {
	root, courts, err := db.overviewCourts(ctx, v, courtCode)
	if err != nil {
		return nil, err
	}
	return db.overviewTrendOf(ctx, v, root, subtree, courts, periods)
}

// OverviewMonths counts the cockpit's figures of the court at courtCode
// (alone, or with its subtree) for each of periods, each as
// OverviewFigures counts it, as v may see them: a figure's trend.
// Consecutive months count the core indicators in one scan each.
func (db *DB) OverviewMonths(ctx context.Context, v domain.Viewer, courtCode string, subtree bool, periods []overview.Period) ([]*overview.Figures, error) {
	root, courts, err := db.overviewCourts(ctx, v, courtCode)
	if err != nil {
		return nil, err
	}
	oneScan := trendMonths(periods)
	bys := make([]map[int64]*overview.Figures, len(periods))
	for i, p := range periods {
		if bys[i], err = db.overviewSections(ctx, v, root, courts, p, !oneScan); err != nil {
			return nil, err
		}
	}
	if oneScan {
		if err := db.overviewCoreMonths(ctx, v, root, periods, bys); err != nil {
			return nil, err
		}
	}
	out := make([]*overview.Figures, len(periods))
	for i, p := range periods {
		out[i] = db.overviewOf(root, subtree, courts, bys[i], p)
	}
	return out, nil
}

// OverviewPage is what the cockpit's page shows: the figures of a court
// (OverviewFigures), those of each court directly below it
// (OverviewChildren) and its trend (OverviewTrend).
type OverviewPage struct {
	Figures  *overview.Figures
	Children []*overview.Figures
	Trend    []overview.CoreCounts
}

// OverviewPage counts the cockpit's page of the court at courtCode over
// p with the trend over the periods trend, as v may see them: what
// OverviewFigures, OverviewChildren and OverviewTrend count, the first
// two from one count of the subtree court by court.
func (db *DB) OverviewPage(ctx context.Context, v domain.Viewer, courtCode string, subtree bool, p overview.Period, trend []overview.Period) (*OverviewPage, error) {
	root, courts, by, err := db.overviewCounted(ctx, v, courtCode, p)
	if err != nil {
		return nil, err
	}
	out := &OverviewPage{Figures: db.overviewOf(root, subtree, courts, by, p), Children: db.overviewChildrenOf(root, courts, by, p)}
	if out.Trend, err = db.overviewTrendOf(ctx, v, root, subtree, courts, trend); err != nil {
		return nil, err
	}
	return out, nil
}

// overviewOf adds up root's figures, alone or with its subtree, from the
// counts court by court.
func (db *DB) overviewOf(root *domain.Court, subtree bool, courts []*domain.Court, by map[int64]*overview.Figures, p overview.Period) *overview.Figures {
	return db.overviewSum(root, subtree, courts, by, p, func(c *domain.Court) bool { return subtree || c.ID == root.ID })
}

// overviewChildrenOf adds up the figures of each court directly below
// root, with its subtree, from the counts court by court.
func (db *DB) overviewChildrenOf(root *domain.Court, courts []*domain.Court, by map[int64]*overview.Figures, p overview.Period) []*overview.Figures {
	var out []*overview.Figures
	for _, child := range courts {
		if child.ParentCode != root.Code {
			continue
		}
		prefix := child.Path
		out = append(out, db.overviewSum(child, true, courts, by, p, func(c *domain.Court) bool { return strings.HasPrefix(c.Path, prefix) }))
	}
	return out
}

// overviewTrendOf counts the core indicators of root (alone or with its
// subtree) for each of periods: consecutive months in one scan per
// indicator, other periods one by one.
func (db *DB) overviewTrendOf(ctx context.Context, v domain.Viewer, root *domain.Court, subtree bool, courts []*domain.Court, periods []overview.Period) ([]overview.CoreCounts, error) {
	bys := make([]map[int64]*overview.Figures, len(periods))
	for i := range periods {
		bys[i] = map[int64]*overview.Figures{}
		for _, c := range courts {
			bys[i][c.ID] = &overview.Figures{}
		}
	}
	var err error
	if trendMonths(periods) {
		err = db.overviewCoreMonths(ctx, v, root, periods, bys)
	} else {
		for i, p := range periods {
			if err = db.overviewCore(ctx, v, root, p, bys[i]); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]overview.CoreCounts, len(periods))
	for i, p := range periods {
		out[i] = db.overviewOf(root, subtree, courts, bys[i], p).Core
	}
	return out, nil
}

// overviewCourts finds the court at code and the courts of its subtree,
// overviewCounted finds the court at code and the courts v sees under it
// (overviewCourts) and counts them over p, court by court (overviewCounts).
func (db *DB) overviewCounted(ctx context.Context, v domain.Viewer, code string, p overview.Period) (*domain.Court, []*domain.Court, map[int64]*overview.Figures, error) {
	root, courts, err := db.overviewCourts(ctx, v, code)
	if err != nil {
		return nil, nil, nil, err
	}
	by, err := db.overviewCounts(ctx, v, root, courts, p)
	if err != nil {
		return nil, nil, nil, err
	}
	return root, courts, by, nil
}

// if v may see its cockpit.
func (db *DB) overviewCourts(ctx context.Context, v domain.Viewer, code string) (*domain.Court, []*domain.Court, error) {
	root, err := courtByCode(ctx, db, code)
	if err != nil {
		return nil, nil, err
	}
	if !overview.CanSee(v, root.Path) {
		return nil, nil, domain.Errorf(domain.ErrForbidden, "运行总览供本院及上级法院的执行局、纪检监察组和监察室查看。")
	}
	courts, err := db.CourtsUnder(ctx, root.Path)
	if err != nil {
		return nil, nil, err
	}
	return root, courts, nil
}

// overviewSum adds up, as the figures of court c (with its subtree or
// not), the counts of the courts that takes selects.
func (db *DB) overviewSum(c *domain.Court, subtree bool, courts []*domain.Court, by map[int64]*overview.Figures, p overview.Period, takes func(*domain.Court) bool) *overview.Figures {
	f := &overview.Figures{Court: overview.Court{Code: c.Code, Name: c.Name, Path: c.Path, Divisions: c.Divisions}, Subtree: subtree, Period: p, AsOf: db.today()}
	for _, x := range courts {
		if takes(x) {
			f.Add(by[x.ID])
		}
	}
	return f
}

// overviewCounts counts every figure court by court over root's subtree.
// A section whose register v's roles do not reach stays nil.
func (db *DB) overviewCounts(ctx context.Context, v domain.Viewer, root *domain.Court, courts []*domain.Court, p overview.Period) (map[int64]*overview.Figures, error) {
	return db.overviewSections(ctx, v, root, courts, p, true)
}

// overviewSections is overviewCounts, without the core indicators unless
// core.
func (db *DB) overviewSections(ctx context.Context, v domain.Viewer, root *domain.Court, courts []*domain.Court, p overview.Period, core bool) (map[int64]*overview.Figures, error) {
	by := map[int64]*overview.Figures{}
	for _, c := range courts {
		by[c.ID] = &overview.Figures{}
	}
	counts := []func(context.Context, domain.Viewer, *domain.Court, overview.Period, map[int64]*overview.Figures) error{
		db.overviewVisits, db.overviewTrips, db.overviewTracking, db.overviewInspections, db.overviewOversight,
	}
	if core {
		counts = append(counts, db.overviewCore)
	}
	for _, count := range counts {
		if err := count(ctx, v, root, p, by); err != nil {
			return nil, err
		}
	}
	return by, nil
}

// forbidden reports whether err is a refusal of the register as a whole,
// which leaves its section out rather than failing the cockpit.
func forbidden(err error) bool { return errors.Is(err, domain.ErrForbidden) }

// under is the condition that the court column col is in root's subtree.
func under(col string, root *domain.Court) (string, any) {
	return col + " IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')", likePrefix(root.Path)
}

// countInto runs q, whose rows are a court id and ints, and hands each row
// to add with the court's figures.
func countInto(ctx context.Context, q querier, by map[int64]*overview.Figures, n int, add func(f *overview.Figures, ns []int), query string, args ...any) error {
	return each(ctx, q, func(row scanner) error {
		var id int64
		ns := make([]int, n)
		dest := []any{&id}
		for i := range ns {
			dest = append(dest, &ns[i])
		}
		if err := row.Scan(dest...); err != nil {
			return err
		}
		if f := by[id]; f != nil {
			add(f, ns)
		}
		return nil
	}, query, args...)
}

// countLabels runs q, whose rows are a court id, a key and a count, and
// hands each to add.
func countLabels(ctx context.Context, q querier, by map[int64]*overview.Figures, add func(f *overview.Figures, key string, n int), query string, args ...any) error {
	return each(ctx, q, func(row scanner) error {
		var id int64
		var key string
		var n int
		if err := row.Scan(&id, &key, &n); err != nil {
			return err
		}
		if f := by[id]; f != nil {
			add(f, key, n)
		}
		return nil
	}, query, args...)
}

// addLabel adds n under label, making the count if it is new.
func addLabel(cs []overview.Count, label string, n int) []overview.Count {
	for i := range cs {
		if cs[i].Key == label {
			cs[i].N += n
			return cs
		}
	}
	return append(cs, overview.Count{Key: label, Label: label, N: n})
}

// overviewTracking counts mechanism 1 in the trackings v may see: the
// candidates waiting and the cases under tracking on today, those decided
// to track in p, the findings confirmed in p by rule (as the statistics
// page labels them), and the recommendations open or overdue on today.
func (db *DB) overviewTracking(ctx context.Context, v domain.Viewer, root *domain.Court, p overview.Period, by map[int64]*overview.Figures) error {
	scope, args, err := trackingScope(v)
	if forbidden(err) {
		return nil
	} else if err != nil {
		return err
	}
	for _, f := range by {
		f.Tracking = &overview.TrackingFigures{}
	}
	in, arg := under("t.court_id", root)
	scope, args = scope+" AND "+in, append(args, arg)
	from, to := beijingMidnight(p.From), beijingMidnight(p.To.AddDays(1))
	// The steps are those the list the figures drill down to reads.
	waiting, wargs := stepsIn(tracking.StageWaiting.Steps())
	under, uargs := stepsIn(tracking.StageUnder.Steps())
	decided, dargs := stepsIn(tracking.DecidedSteps)
	err = countInto(ctx, db, by, 3, func(f *overview.Figures, n []int) {
		f.Tracking.Waiting += n[0]
		f.Tracking.Under += n[1]
		f.Tracking.Tracked += n[2]
	}, `SELECT t.court_id,
		SUM(CASE WHEN `+waiting+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+under+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+decided+` AND t.decided_at >= ? AND t.decided_at < ? THEN 1 ELSE 0 END)`+
		trackingFrom+" WHERE "+scope+" GROUP BY t.court_id", append(append(append(append(wargs, uargs...), dargs...), from, to), args...)...)
	if err != nil {
		return fmt.Errorf("overview: counting trackings: %w", err)
	}
	err = each(ctx, db, func(row scanner) error {
		var id int64
		var kind tracking.RecordKind
		var node string
		var n int
		if err := row.Scan(&id, &kind, &node, &n); err != nil {
			return err
		}
		if f := by[id]; f != nil {
			f.Tracking.Findings = addLabel(f.Tracking.Findings, findingRule(kind, node), n)
		}
		return nil
	}, `SELECT t.court_id, r.kind, r.node, COUNT(*)`+trackingFrom+` JOIN tracking_records r ON r.tracking_id = t.id
		WHERE `+findingRecordCond+` AND `+scope+" GROUP BY t.court_id, r.kind, r.node", append([]any{p.From, p.To}, args...)...)
	if err != nil {
		return fmt.Errorf("overview: counting findings: %w", err)
	}
	err = countLabels(ctx, db, by, func(f *overview.Figures, title string, n int) {
		f.Tracking.Findings = addLabel(f.Tracking.Findings, "网上巡查："+title, n)
	}, `SELECT t.court_id, f.title, COUNT(DISTINCT f.id)`+trackingFrom+` JOIN patrol_findings f ON f.case_id = t.case_id
		WHERE `+patrolFindingCond+` AND `+scope+" GROUP BY t.court_id, f.title",
		append([]any{p.From, p.To}, args...)...)
	if err != nil {
		return fmt.Errorf("overview: counting patrol findings: %w", err)
	}
	type owner struct{ id, court int64 }
	ids, err := collect(ctx, db, func(row scanner) (o owner, err error) {
		err = row.Scan(&o.id, &o.court)
		return o, err
	}, "SELECT t.id, t.court_id"+trackingFrom+" WHERE "+scope+" AND EXISTS (SELECT 1 FROM tracking_recommendations x WHERE x.tracking_id = t.id)", args...)
	if err != nil {
		return fmt.Errorf("overview: finding recommendations: %w", err)
	}
	today := db.today()
	for _, o := range ids {
		recs, err := trackingRecommendations(ctx, db, o.id, today)
		if err != nil {
			return err
		}
		for _, r := range recs {
			switch r.State {
			case tracking.RecOverdue:
				by[o.court].Tracking.RecOverdue++
			case tracking.RecOpen:
				by[o.court].Tracking.RecOpen++
			}
		}
	}
	return nil
}

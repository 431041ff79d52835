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
	root, courts, err := db.overviewCourts(ctx, v, courtCode)
	if err != nil {
		return nil, err
	}
	by, err := db.overviewCounts(ctx, v, root, courts, p)
	if err != nil {
		return nil, err
	}
	return db.overviewSum(root, subtree, courts, by, p, func(c *domain.Court) bool { return subtree || c.ID == root.ID }), nil
}

// OverviewChildren counts the figures of each court directly below the
// court at courtCode, each with its own subtree, over p, as v may see
// them: the cockpit's drill-down, in court order.
func (db *DB) OverviewChildren(ctx context.Context, v domain.Viewer, courtCode string, p overview.Period) ([]*overview.Figures, error) {
	root, courts, err := db.overviewCourts(ctx, v, courtCode)
	if err != nil {
		return nil, err
	}
	by, err := db.overviewCounts(ctx, v, root, courts, p)
	if err != nil {
		return nil, err
	}
	var out []*overview.Figures
	for _, child := range courts {
		if child.ParentCode != root.Code {
			continue
		}
		prefix := child.Path
		out = append(out, db.overviewSum(child, true, courts, by, p, func(c *domain.Court) bool { return strings.HasPrefix(c.Path, prefix) }))
	}
	return out, nil
}

// OverviewTrend counts the four core indicators of the court at courtCode
// (alone, or with its subtree) for each of the periods, as v may see the
// cases: the cockpit's trend.
func (db *DB) OverviewTrend(ctx context.Context, v domain.Viewer, courtCode string, subtree bool, periods []overview.Period) ([]overview.CoreCounts, error) {
	root, courts, err := db.overviewCourts(ctx, v, courtCode)
	if err != nil {
		return nil, err
	}
	out := make([]overview.CoreCounts, len(periods))
	for i, p := range periods {
		by := map[int64]*overview.Figures{}
		for _, c := range courts {
			by[c.ID] = &overview.Figures{}
		}
		if err := db.overviewCore(ctx, v, root, p, by); err != nil {
			return nil, err
		}
		out[i] = db.overviewSum(root, subtree, courts, by, p, func(c *domain.Court) bool { return subtree || c.ID == root.ID }).Core
	}
	return out, nil
}

// overviewCourts finds the court at code and the courts of its subtree,
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
	by := map[int64]*overview.Figures{}
	for _, c := range courts {
		by[c.ID] = &overview.Figures{}
	}
	for _, count := range []func(context.Context, domain.Viewer, *domain.Court, overview.Period, map[int64]*overview.Figures) error{
		db.overviewVisits, db.overviewTrips, db.overviewTracking, db.overviewInspections, db.overviewOversight, db.overviewCore,
	} {
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
	return col + " IN (SELECT id FROM courts WHERE path LIKE ? ESCAPE '\\')", likePrefix(root.Path)
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

// overviewCore counts the four enforcement core indicators over the cases
// v may see, as package overview defines them, up to the day p ends or
// today, whichever is first.
func (db *DB) overviewCore(ctx context.Context, v domain.Viewer, root *domain.Court, p overview.Period, by map[int64]*overview.Figures) error {
	scope, args, err := caseScope(v)
	if forbidden(err) {
		return nil
	} else if err != nil {
		return err
	}
	in, arg := under("k.court_id", root)
	scope, args = scope+" AND "+in, append(args, arg)
	until := p.Until(db.today())
	if until.Before(p.From) {
		return nil
	}
	types := "k.type IN (" + placeholders(len(overview.EnforcementTypes)) + ")"
	var targs []any
	for _, t := range overview.EnforcementTypes {
		targs = append(targs, t)
	}
	// A case with property is reckoned on the day it was closed, if that
	// was within its limit, else on the day its limit ran out.
	const inLimit = "k.closed_on IS NOT NULL AND (k.due_on IS NULL OR k.closed_on <= k.due_on)"
	const reckon = "CASE WHEN " + inLimit + " THEN k.closed_on ELSE k.due_on END"
	queries := []struct {
		q    string
		args []any
		add  func(f *overview.Figures, n []int)
	}{
		{`SELECT k.court_id, COUNT(*), SUM(CASE WHEN ` + inLimit + ` AND k.closing_mode <> ? THEN 1 ELSE 0 END) FROM cases k
			WHERE k.has_property AND k.property_known AND ` + types + ` AND ` + reckon + ` >= ? AND ` + reckon + ` <= ? AND ` + scope + ` GROUP BY k.court_id`,
			append(append(append([]any{tracking.ClosingTermination}, targs...), p.From, until), args...),
			func(f *overview.Figures, n []int) {
				f.Core.ExecutedInLimit.Den += n[0]
				f.Core.ExecutedInLimit.Num += n[1]
			}},
		{`SELECT k.court_id, COUNT(*), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM patrol_findings f WHERE f.case_id = k.id AND f.rule = ?
			AND f.state IN ('open', 'confirmed')) THEN 1 ELSE 0 END) FROM cases k
			WHERE k.closing_mode = ? AND ` + types + ` AND k.closed_on >= ? AND k.closed_on <= ? AND ` + scope + ` GROUP BY k.court_id`,
			append(append(append([]any{tracking.RuleTerminationPrecond, tracking.ClosingTermination}, targs...), p.From, until), args...),
			func(f *overview.Figures, n []int) {
				f.Core.TerminationQualified.Den += n[0]
				f.Core.TerminationQualified.Num += n[1]
			}},
		{`SELECT k.court_id, COUNT(*), SUM(CASE WHEN k.closed_on >= ? AND k.closed_on <= ? THEN 1 ELSE 0 END) FROM cases k
			WHERE k.petition AND k.filed_on <= ? AND (k.closed_on IS NULL OR k.closed_on >= ?) AND ` + scope + ` GROUP BY k.court_id`,
			append([]any{p.From, until, until, p.From}, args...),
			func(f *overview.Figures, n []int) {
				f.Core.PetitionConcluded.Den += n[0]
				f.Core.PetitionConcluded.Num += n[1]
			}},
		{`SELECT k.court_id, COUNT(*), SUM(CASE WHEN k.closed_on IS NOT NULL AND k.closed_on <= ? THEN 1 ELSE 0 END) FROM cases k
			WHERE k.filed_on >= ? AND k.filed_on <= ? AND ` + scope + ` GROUP BY k.court_id`,
			append([]any{until, overview.ThreeYearsFrom(until), until}, args...),
			func(f *overview.Figures, n []int) {
				f.Core.ThreeYearClosed.Den += n[0]
				f.Core.ThreeYearClosed.Num += n[1]
			}},
	}
	for _, q := range queries {
		if err := countInto(ctx, db, by, 2, q.add, q.q, q.args...); err != nil {
			return fmt.Errorf("overview: counting core indicators: %w", err)
		}
	}
	return nil
}

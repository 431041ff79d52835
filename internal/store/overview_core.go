package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/tracking"
)

// The four enforcement core indicators, over one period (overviewCore)
// and over the consecutive months of the cockpit's trend at once
// (overviewCoreMonths): each indicator one scan of the cases, grouped by
// court and by month, instead of one scan per month.

// coreScope is the condition on cases k that v may see them and that
// they are in root's subtree, with its arguments; ok is false when v may
// see no cases at all (the section stays out).
func coreScope(v domain.Viewer, root *domain.Court) (scope string, args []any, ok bool, err error) {
	scope, args, err = caseScope(v)
	if forbidden(err) {
		return "", nil, false, nil
	} else if err != nil {
		return "", nil, false, err
	}
	in, arg := under("k.court_id", root)
	return scope + " AND " + in, append(args, arg), true, nil
}

// coreTypes is the condition that case k is of the types the first two
// indicators count, with its arguments.
func coreTypes() (string, []any) {
	var targs []any
	for _, t := range overview.EnforcementTypes {
		targs = append(targs, t)
	}
	return "k.type IN (" + placeholders(len(overview.EnforcementTypes)) + ")", targs
}

// A case with property is reckoned on the day it was closed, if that was
// within its limit, else on the day its limit ran out.
const (
	coreInLimit = "k.closed_on IS NOT NULL AND (k.due_on IS NULL OR k.closed_on <= k.due_on)"
	coreReckon  = "CASE WHEN " + coreInLimit + " THEN k.closed_on ELSE k.due_on END"
)

// overviewCore counts the four enforcement core indicators over the cases
// v may see, as package overview defines them, up to the day p ends or
// today, whichever is first.
func (db *DB) overviewCore(ctx context.Context, v domain.Viewer, root *domain.Court, p overview.Period, by map[int64]*overview.Figures) error {
	scope, args, ok, err := coreScope(v, root)
	if !ok {
		return err
	}
	until := p.Until(db.today())
	if until.Before(p.From) {
		return nil
	}
	types, targs := coreTypes()
	queries := []struct {
		q    string
		args []any
		add  func(f *overview.Figures, n []int)
	}{
		{`SELECT k.court_id, COUNT(*), SUM(CASE WHEN ` + coreInLimit + ` AND k.closing_mode <> ? THEN 1 ELSE 0 END) FROM cases k
			WHERE k.has_property AND k.property_known AND ` + types + ` AND ` + coreReckon + ` >= ? AND ` + coreReckon + ` <= ? AND ` + scope + ` GROUP BY k.court_id`,
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

// trendMonths reports whether periods are consecutive calendar months,
// as the cockpit's trend counts over.
func trendMonths(periods []overview.Period) bool {
	for i, p := range periods {
		m := overview.Month(p.From.Year(), p.From.Month())
		if p.Kind != m.Kind || !p.From.Equal(m.From) || !p.To.Equal(m.To) {
			return false
		}
		if i > 0 && !p.From.Equal(periods[i-1].To.AddDays(1)) {
			return false
		}
	}
	return len(periods) > 0
}

// overviewCoreMonths counts the four core indicators court by court for
// each of months (consecutive calendar months, trendMonths) into by[i],
// each month exactly as overviewCore counts it, in one scan of the cases
// per indicator. The months that have begun on today are counted up to
// today; the first two indicators are counts of cases by the month of a
// day, the other two windows that span months: a petition counts in each
// month from the one it was filed in (or the first) to the one it was
// closed in (or the last), and the three years up to a month's last day
// start on 1 January two years before that month's year.
func (db *DB) overviewCoreMonths(ctx context.Context, v domain.Viewer, root *domain.Court, months []overview.Period, by []map[int64]*overview.Figures) error {
	scope, args, ok, err := coreScope(v, root)
	if !ok {
		return err
	}
	today := db.today()
	idx := map[string]int{}
	for _, m := range months {
		if !m.Started(today) {
			break
		}
		idx[m.From.String()[:7]] = len(idx)
	}
	n := len(idx)
	if n == 0 {
		return nil
	}
	first, last := months[0].From, months[n-1].Until(today)
	types, targs := coreTypes()
	// Rows of court, month and two counts, added to the court's figures
	// of that month.
	byMonth := func(what string, add func(f *overview.Figures, ns []int), q string, qargs ...any) error {
		err := each(ctx, db, func(row scanner) error {
			var id int64
			var month string
			var ns [2]int
			if err := row.Scan(&id, &month, &ns[0], &ns[1]); err != nil {
				return err
			}
			i, ok := idx[month]
			if !ok {
				return fmt.Errorf("month %q outside the trend", month)
			}
			if f := by[i][id]; f != nil {
				add(f, ns[:])
			}
			return nil
		}, q, qargs...)
		if err != nil {
			return fmt.Errorf("overview: counting %s by month: %w", what, err)
		}
		return nil
	}
	err = byMonth("cases with property", func(f *overview.Figures, ns []int) {
		f.Core.ExecutedInLimit.Den += ns[0]
		f.Core.ExecutedInLimit.Num += ns[1]
	}, `SELECT k.court_id, substr(`+coreReckon+`, 1, 7), COUNT(*), SUM(CASE WHEN `+coreInLimit+` AND k.closing_mode <> ? THEN 1 ELSE 0 END) FROM cases k
		WHERE k.has_property AND k.property_known AND `+types+` AND `+coreReckon+` >= ? AND `+coreReckon+` <= ? AND `+scope+` GROUP BY 1, 2`,
		append(append(append([]any{tracking.ClosingTermination}, targs...), first, last), args...)...)
	if err != nil {
		return err
	}
	err = byMonth("终本", func(f *overview.Figures, ns []int) {
		f.Core.TerminationQualified.Den += ns[0]
		f.Core.TerminationQualified.Num += ns[1]
	}, `SELECT k.court_id, substr(k.closed_on, 1, 7), COUNT(*), SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM patrol_findings f WHERE f.case_id = k.id AND f.rule = ?
		AND f.state IN ('open', 'confirmed')) THEN 1 ELSE 0 END) FROM cases k
		WHERE k.closing_mode = ? AND `+types+` AND k.closed_on >= ? AND k.closed_on <= ? AND `+scope+` GROUP BY 1, 2`,
		append(append(append([]any{tracking.RuleTerminationPrecond, tracking.ClosingTermination}, targs...), first, last), args...)...)
	if err != nil {
		return err
	}
	// Petitions and the three years: rows of court, the month filed ('' or
	// the year before the first month), the month closed ('' open on the
	// last day, '<' before the first month), and a count.
	spans := func(what string, add func(id int64, filed, closed string, n int) error, q string, qargs ...any) error {
		err := each(ctx, db, func(row scanner) error {
			var id int64
			var filed, closed string
			var c int
			if err := row.Scan(&id, &filed, &closed, &c); err != nil {
				return err
			}
			return add(id, filed, closed, c)
		}, q, qargs...)
		if err != nil {
			return fmt.Errorf("overview: counting %s by month: %w", what, err)
		}
		return nil
	}
	monthOf := func(key string, before, after int) (int, error) {
		switch key {
		case "":
			return after, nil
		case "<":
			return before, nil
		}
		i, ok := idx[key]
		if !ok && len(key) == 4 {
			return before, nil
		}
		if !ok {
			return 0, fmt.Errorf("month %q outside the trend", key)
		}
		return i, nil
	}
	// A petition counts in month i if filed by its last day and not
	// closed before its first; concluded in the month it was closed in.
	err = spans("petitions", func(id int64, filed, closed string, c int) error {
		from, err := monthOf(filed, 0, 0)
		if err != nil {
			return err
		}
		to, err := monthOf(closed, -1, n-1)
		if err != nil {
			return err
		}
		for i := from; i <= to; i++ {
			if f := by[i][id]; f != nil {
				f.Core.PetitionConcluded.Den += c
				if closed != "" && i == to {
					f.Core.PetitionConcluded.Num += c
				}
			}
		}
		return nil
	}, `SELECT k.court_id, CASE WHEN k.filed_on < ? THEN '' ELSE substr(k.filed_on, 1, 7) END,
		CASE WHEN k.closed_on IS NULL OR k.closed_on > ? THEN '' ELSE substr(k.closed_on, 1, 7) END, COUNT(*) FROM cases k
		WHERE k.petition AND k.filed_on <= ? AND (k.closed_on IS NULL OR k.closed_on >= ?) AND `+scope+` GROUP BY 1, 2, 3`,
		append([]any{first, last, last, first}, args...)...)
	if err != nil {
		return err
	}
	// A case counts in month i's three years if filed in them by the
	// month's last day; closed if closed by that day. Filed before the
	// first month, its year is all that matters.
	starts := make([]string, n)
	for i := range n {
		starts[i] = overview.ThreeYearsFrom(months[i].Until(today)).String()[:4]
	}
	err = spans("the three years", func(id int64, filed, closed string, c int) error {
		from, err := monthOf(filed, 0, 0)
		if err != nil {
			return err
		}
		shut, err := monthOf(closed, -1, n)
		if err != nil {
			return err
		}
		for i := from; i < n; i++ {
			if filed[:4] < starts[i] {
				continue
			}
			if f := by[i][id]; f != nil {
				f.Core.ThreeYearClosed.Den += c
				if shut <= i {
					f.Core.ThreeYearClosed.Num += c
				}
			}
		}
		return nil
	}, `SELECT k.court_id, CASE WHEN k.filed_on < ? THEN substr(k.filed_on, 1, 4) ELSE substr(k.filed_on, 1, 7) END,
		CASE WHEN k.closed_on IS NULL OR k.closed_on > ? THEN '' WHEN k.closed_on < ? THEN '<' ELSE substr(k.closed_on, 1, 7) END, COUNT(*) FROM cases k
		WHERE k.filed_on >= ? AND k.filed_on <= ? AND `+scope+` GROUP BY 1, 2, 3`,
		append([]any{first, last, first, overview.ThreeYearsFrom(months[0].Until(today)), last}, args...)...)
	return err
}

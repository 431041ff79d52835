package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// codesUnder maps the codes of root's subtree to their ids.
func (db *DB) codesUnder(ctx context.Context, root *domain.Court) (map[string]int64, error) {
	out := map[string]int64{}
	err := each(ctx, db, func(row scanner) error {
		var id int64
		var code string
		if err := row.Scan(&id, &code); err != nil {
			return err
		}
		out[code] = id
		return nil
	}, "SELECT id, code FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\'", likePrefix(root.Path))
	if err != nil {
		return nil, fmt.Errorf("overview: listing courts: %w", err)
	}
	return out, nil
}

// overviewVisits counts mechanism 2 by month (a visit belongs to the month
// it was drawn for or found in): the visits and their answers from the
// statistics (VisitStats, by court), the escalations still open on today,
// and the months whose daily sample was drawn on time — in the month after
// the month of the closings, as the monthly job draws it.
func (db *DB) overviewVisits(ctx context.Context, v domain.Viewer, root *domain.Court, p overview.Period, by map[int64]*overview.Figures) error {
	scope, args, err := visitScope(v)
	if forbidden(err) {
		return nil
	} else if err != nil {
		return err
	}
	for _, f := range by {
		f.Visits = &overview.VisitFigures{}
	}
	ids, err := db.codesUnder(ctx, root)
	if err != nil {
		return err
	}
	months := p.Months()
	first, last := months[0], months[len(months)-1]
	ask := db.askStats(v) // for both counts
	all, err := db.visitStats(ctx, ask, StatsFilter{From: first, To: last, By: "court"})
	if err != nil {
		return err
	}
	for _, r := range all {
		if f := by[ids[r.Key]]; f != nil {
			f.Visits.SMSSent += r.SMSSent
			f.Visits.Replied += r.Replied
			f.Visits.Satisfied += r.Satisfied
			f.Visits.Dissatisfied += r.Dissatisfied
		}
	}
	daily, err := db.visitStats(ctx, ask, StatsFilter{From: first, To: last, By: "court", Kind: "daily"})
	if err != nil {
		return err
	}
	for _, r := range daily {
		if f := by[ids[r.Key]]; f != nil {
			f.Visits.Sampled += r.Visits
		}
	}
	in, arg := under("vi.court_id", root)
	now := db.now()
	err = each(ctx, db, func(row scanner) error {
		var id int64
		var due sql.NullTime
		if err := row.Scan(&id, &due); err != nil {
			return err
		}
		if f := by[id]; f != nil {
			f.Visits.EscalationsOpen++
			if (&visit.Duty{Due: timeOf(due)}).Overdue(now) {
				f.Visits.EscalationsOverdue++
			}
		}
		return nil
	}, "SELECT vi.court_id, vi.due_at FROM visits vi WHERE "+scope+" AND "+in+" AND vi.month >= ? AND vi.month <= ? AND vi.closed_at IS NULL AND vi.step IN (?, ?, ?)",
		append(args, arg, first, last, string(visit.StepPhonePending), string(visit.StepConsultation), string(visit.StepOnsitePending))...)
	if err != nil {
		return fmt.Errorf("overview: counting escalations: %w", err)
	}
	return db.overviewDraws(ctx, v, root, first, last, by)
}

// overviewDraws counts, per court, the months from first to last whose
// daily sample was owed and those drawn on time (owedDraws).
func (db *DB) overviewDraws(ctx context.Context, v domain.Viewer, root *domain.Court, first, last string, by map[int64]*overview.Figures) error {
	owed, err := db.owedDraws(ctx, v, root, first, last)
	if err != nil {
		return err
	}
	for _, o := range owed {
		if f := by[o.CourtID]; f != nil {
			f.Visits.MonthsDue++
			if o.OnTime {
				f.Visits.MonthsOnTime++
			}
		}
	}
	return nil
}

// OwedDraw is a court's month whose daily sample was owed: some case
// closed in the month, and the month after it over or the sample drawn.
type OwedDraw struct {
	CourtID          int64
	CourtName, Month string
	Drawn, OnTime    bool
}

// UndrawnMonths lists the months from first to last ("2026-04") of the
// court at courtCode and those below it whose daily sample was owed and
// never drawn, as v may see them: what the cockpit's 按时抽取率 counts
// besides the draws the batch list shows. In court and month order.
func (db *DB) UndrawnMonths(ctx context.Context, v domain.Viewer, courtCode, first, last string) ([]OwedDraw, error) {
	if !visit.CanSee(v) {
		return nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看回访抽取记录。")
	}
	root, err := courtByCode(ctx, db, courtCode)
	if err != nil {
		return nil, err
	}
	owed, err := db.owedDraws(ctx, v, root, first, last)
	if err != nil {
		return nil, err
	}
	var out []OwedDraw
	for _, o := range owed {
		if !o.Drawn {
			out = append(out, o)
		}
	}
	return out, nil
}

// owedDraws finds, in root's subtree, the months from first to last whose
// daily sample was owed, each drawn or not and on time or not.
func (db *DB) owedDraws(ctx context.Context, v domain.Viewer, root *domain.Court, first, last string) ([]OwedDraw, error) {
	reach, rargs, err := db.statsCourts(ctx, db.askStats(v), "k.court_id")
	if err != nil {
		return nil, err
	}
	from, _, err := domain.ParseMonth(first)
	if err != nil {
		return nil, err
	}
	_, end, err := domain.ParseMonth(last)
	if err != nil {
		return nil, err
	}
	type key struct {
		court int64
		month string
	}
	closed := map[key]bool{}
	in, arg := under("k.court_id", root)
	err = each(ctx, db, func(row scanner) error {
		var k key
		if err := row.Scan(&k.court, &k.month); err != nil {
			return err
		}
		closed[k] = true
		return nil
	}, "SELECT DISTINCT k.court_id, substr(k.closed_on, 1, 7) FROM cases k WHERE "+reach+" AND "+in+" AND k.closed_on >= ? AND k.closed_on < ?",
		append(rargs, arg, from, end)...)
	if err != nil {
		return nil, fmt.Errorf("overview: months with closings: %w", err)
	}
	drawn := map[key]time.Time{}
	reach = replaceCol(reach, "k.court_id", "b.court_id")
	in, arg = under("b.court_id", root)
	err = each(ctx, db, func(row scanner) error {
		var k key
		var at time.Time
		if err := row.Scan(&k.court, &k.month, &at); err != nil {
			return err
		}
		drawn[k] = at
		return nil
	}, "SELECT b.court_id, b.month, b.drawn_at FROM visit_batches b WHERE "+reach+" AND "+in+" AND b.kind = 'daily' AND b.month >= ? AND b.month <= ?",
		append(rargs, arg, first, last)...)
	if err != nil {
		return nil, fmt.Errorf("overview: monthly draws: %w", err)
	}
	today := db.today()
	var out []OwedDraw
	for k := range closed {
		deadline, _ := visit.DrawDeadline(k.month) // the draw is owed in the month after
		at, ok := drawn[k]
		if !ok && today.Before(deadline) {
			continue
		}
		out = append(out, OwedDraw{CourtID: k.court, Month: k.month, Drawn: ok, OnTime: ok && visit.DrawnOnTime(k.month, at)})
	}
	for k, at := range drawn {
		// A month drawn with no closing on record (cases since removed)
		// was owed all the same.
		if !closed[k] {
			out = append(out, OwedDraw{CourtID: k.court, Month: k.month, Drawn: true, OnTime: visit.DrawnOnTime(k.month, at)})
		}
	}
	courts, err := db.CourtsUnder(ctx, root.Path)
	if err != nil {
		return nil, err
	}
	path := map[int64]string{}
	for _, c := range courts {
		path[c.ID] = c.Path
		for i := range out {
			if out[i].CourtID == c.ID {
				out[i].CourtName = c.Name
			}
		}
	}
	slices.SortFunc(out, func(a, b OwedDraw) int {
		if c := strings.Compare(path[a.CourtID], path[b.CourtID]); c != 0 {
			return c
		}
		return strings.Compare(a.Month, b.Month)
	})
	return out, nil
}

// replaceCol puts col for was in a court condition statsCourts made.
func replaceCol(cond, was, col string) string {
	if len(cond) >= len(was) && cond[:len(was)] == was {
		return col + cond[len(was):]
	}
	return cond
}

// overviewTrips counts mechanism 4 from the department heads' accountability
// (TripAccountability) for the trips that departed in p, court by court.
func (db *DB) overviewTrips(ctx context.Context, v domain.Viewer, root *domain.Court, p overview.Period, by map[int64]*overview.Figures) error {
	rows, err := db.TripAccountability(ctx, v, beijingMidnight(p.From), beijingMidnight(p.To.AddDays(1)))
	if forbidden(err) {
		return nil
	} else if err != nil {
		return err
	}
	for _, f := range by {
		f.Trips = &overview.TripFigures{}
	}
	ids, err := db.codesUnder(ctx, root)
	if err != nil {
		return err
	}
	for _, r := range rows {
		f := by[ids[r.CourtCode]]
		if f == nil {
			continue
		}
		t := f.Trips
		t.Trips += r.Trips
		t.RequiredBefore += r.RequiredBefore
		t.Travellers += r.Travellers
		t.OnTime += r.OnTime
		t.Late += r.Late
		t.Missing += r.Missing
		t.Alerts += r.Alerts
		t.Untruthful += r.Contradicted
	}
	return nil
}

// overviewInspections counts mechanism 3: the campaigns a court organised
// whose period meets p, by state; the review sheets of its cases submitted
// in p, by grade; and the items of the rectifications its findings opened
// that are open or overdue on today.
func (db *DB) overviewInspections(ctx context.Context, v domain.Viewer, root *domain.Court, p overview.Period, by map[int64]*overview.Figures) error {
	for _, f := range by {
		f.Inspections = overview.NewInspectionFigures()
	}
	scope, args := inspScope(v)
	in, arg := under("i.court_id", root)
	err := countLabels(ctx, db, by, func(f *overview.Figures, state string, n int) { addToCounts(f.Inspections.Campaigns, state, n) },
		"SELECT i.court_id, i.state, COUNT(*) FROM inspection_campaigns i JOIN courts c ON c.id = i.court_id WHERE "+scope+" AND "+in+
			" AND "+campaignMeetsCond+" GROUP BY i.court_id, i.state", append(args, arg, p.To, p.From)...)
	if err != nil {
		return fmt.Errorf("overview: counting campaigns: %w", err)
	}
	in, arg = under("g.court_id", root)
	err = countLabels(ctx, db, by, func(f *overview.Figures, grade string, n int) { addToCounts(f.Inspections.Grades, grade, n) },
		"SELECT g.court_id, g.grade, COUNT(*) FROM inspection_targets g JOIN inspection_campaigns i ON i.id = g.campaign_id JOIN courts c ON c.id = i.court_id WHERE "+
			scope+" AND "+in+" AND "+gradedSheetCond+" GROUP BY g.court_id, g.grade",
		append(args, arg, beijingMidnight(p.From), beijingMidnight(p.To.AddDays(1)))...)
	if err != nil {
		return fmt.Errorf("overview: counting grades: %w", err)
	}
	return db.overviewRectItems(ctx, v, root, oversight.SourceInspection, func(f *overview.Figures, _ int64, it tracking.RecItem, today domain.Date) {
		switch {
		case oversight.Overdue(it.State, it.Deadline, today):
			f.Inspections.RectOverdue++
		case it.State != oversight.StateClosed:
			f.Inspections.RectOpen++
		}
	}, nil, by)
}

func addToCounts(cs []overview.Count, key string, n int) {
	for i := range cs {
		if cs[i].Key == key {
			cs[i].N += n
		}
	}
}

// overviewRectItems reads the items of the rectifications of kind that v
// may see in root's subtree (those opened in p when p is given) and hands
// each to add; a rectification with no items yet is handed once with a
// zero item id and its own deadline.
func (db *DB) overviewRectItems(ctx context.Context, v domain.Viewer, root *domain.Court, kind oversight.SourceKind,
	add func(f *overview.Figures, rect int64, it tracking.RecItem, today domain.Date), p *overview.Period, by map[int64]*overview.Figures) error {
	scope, args, err := rectScope(v)
	if err != nil {
		return err
	}
	in, arg := under("r.court_id", root)
	where, wargs := scope+" AND "+in+" AND r.source_kind = ?", append(args, arg, string(kind))
	if p != nil {
		where, wargs = where+" AND r.created_at >= ? AND r.created_at < ?", append(wargs, beijingMidnight(p.From), beijingMidnight(p.To.AddDays(1)))
	}
	today := db.today()
	err = each(ctx, db, func(row scanner) error {
		var court, rect int64
		var it tracking.RecItem
		var state sql.NullString
		var itemDue sql.Null[domain.Date]
		if err := row.Scan(&court, &rect, &it.Deadline, &state, &itemDue); err != nil {
			return err
		}
		if state.Valid {
			it.State, it.Deadline = oversight.ItemState(state.String), itemDue.V
		} else {
			it.State = oversight.StatePending
		}
		if f := by[court]; f != nil {
			add(f, rect, it, today)
		}
		return nil
	}, `SELECT r.court_id, r.id, r.deadline, ri.state, ri.deadline`+rectFrom+` LEFT JOIN rectification_items ri ON ri.rectification_id = r.id
		WHERE `+where+" ORDER BY r.id, ri.id", wargs...)
	if err != nil {
		return fmt.Errorf("overview: reading rectifications: %w", err)
	}
	return nil
}

// overviewOversight counts part 五: complaints and petitions received in
// p, clues registered in p by state and dispositions decided in p by 形态
// (the watchdogs only), and the improvement suggestions issued in p with
// the state of their rectification on today.
func (db *DB) overviewOversight(ctx context.Context, v domain.Viewer, root *domain.Court, p overview.Period, by map[int64]*overview.Figures) error {
	if !oversight.SeesComplaints(v) && !oversight.SeesRectifications(v) {
		return nil
	}
	for _, f := range by {
		f.Oversight = overview.NewOversightFigures()
	}
	if scope, args, err := complaintScope(v); err == nil {
		in, arg := under("m.court_id", root)
		err = countInto(ctx, db, by, 2, func(f *overview.Figures, n []int) { f.Oversight.Complaints += n[0]; f.Oversight.Petitions += n[1] },
			"SELECT m.court_id, SUM(CASE WHEN m.kind = 'complaint' THEN 1 ELSE 0 END), SUM(CASE WHEN m.kind = 'petition' THEN 1 ELSE 0 END)"+complaintFrom+
				" WHERE "+scope+" AND "+in+" AND m.received_on >= ? AND m.received_on <= ? GROUP BY m.court_id", append(args, arg, p.From, p.To)...)
		if err != nil {
			return fmt.Errorf("overview: counting complaints: %w", err)
		}
	} else if !forbidden(err) {
		return err
	}
	if scope, args, err := clueScope(v); err == nil {
		for _, f := range by {
			f.Oversight.CluesSeen = true
		}
		in, arg := under("l.court_id", root)
		err = countLabels(ctx, db, by, func(f *overview.Figures, state string, n int) { addToCounts(f.Oversight.Clues, state, n) },
			"SELECT l.court_id, l.state, COUNT(*) FROM clues l WHERE "+scope+" AND "+in+" AND l.created_at >= ? AND l.created_at < ? GROUP BY l.court_id, l.state",
			append(args, arg, beijingMidnight(p.From), beijingMidnight(p.To.AddDays(1)))...)
		if err != nil {
			return fmt.Errorf("overview: counting clues: %w", err)
		}
		ids, err := db.codesUnder(ctx, root)
		if err != nil {
			return err
		}
		counts, err := db.DispositionCounts(ctx, v, DispositionFilter{From: p.From, To: p.To})
		if err != nil {
			return err
		}
		for _, c := range counts {
			if f := by[ids[c.CourtCode]]; f != nil {
				addToCounts(f.Oversight.Dispositions, overview.FormKey(c.Form), c.N)
			}
		}
	} else if !forbidden(err) {
		return err
	}
	if !oversight.SeesRectifications(v) {
		return nil
	}
	// A suggestion's state is its rectification's, as a tracking's
	// recommendation's is (tracking.RecStateOf).
	type sugg struct {
		f     *overview.Figures
		due   domain.Date
		items []tracking.RecItem
	}
	var order []int64
	seen := map[int64]*sugg{}
	err := db.overviewRectItems(ctx, v, root, oversight.SourceSuggestion, func(f *overview.Figures, rect int64, it tracking.RecItem, _ domain.Date) {
		s := seen[rect]
		if s == nil {
			s = &sugg{f: f, due: it.Deadline}
			seen[rect], order = s, append(order, rect)
		}
		s.items = append(s.items, it)
	}, &p, by)
	if err != nil {
		return err
	}
	today := db.today()
	for _, id := range order {
		s := seen[id]
		s.f.Oversight.Suggestions++
		switch tracking.RecStateOf(s.due, s.items, today) {
		case tracking.RecClosed:
			s.f.Oversight.SuggestionsDone++
		case tracking.RecOverdue:
			s.f.Oversight.SuggestionsOverdue++
		default:
			s.f.Oversight.SuggestionsOpen++
		}
	}
	return nil
}

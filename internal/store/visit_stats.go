package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// StatsRow is one group of the return-visit statistics.
type StatsRow struct {
	Key          string // court code, department id, officer id or month
	Label        string
	Visits       int
	SMSSent      int
	Replied      int
	Closed       int
	Satisfied    int
	Dissatisfied int
	Phone        int
	Consult      int
	Onsite       int
}

// ReplyRate is the share of texted parties who answered, in percent.
func (r StatsRow) ReplyRate() float64 { return pct(r.Replied, r.SMSSent) }

// SatisfactionRate is the share of parties who gave a satisfaction who
// were satisfied, in percent.
func (r StatsRow) SatisfactionRate() float64 { return pct(r.Satisfied, r.Satisfied+r.Dissatisfied) }

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) * 100 / float64(b)
}

// StatsFilter selects visits for statistics: months (YYYY-MM, inclusive),
// a grouping (court, department, officer or month) and optionally a court.
type StatsFilter struct {
	From, To string
	By       string
	Court    string
	Kind     string // daily, focused or ""
}

// VisitStats counts visits in the viewer's scope by the filter's grouping,
// from the flags each visit keeps: one grouped scan of the (court, month)
// index range.
//
// By court and by month they are read from the rollup, less the viewer's
// own visits, which nobody sees counted about themselves.
func (db *DB) VisitStats(ctx context.Context, v domain.Viewer, f StatsFilter) ([]StatsRow, error) {
	return db.visitStats(ctx, db.askStats(v), f)
}

func (db *DB) visitStats(ctx context.Context, a *statsAsk, f StatsFilter) ([]StatsRow, error) {
	if f.By != "department" && f.By != "officer" {
		return db.rollupStats(ctx, a, f)
	}
	return db.scanStats(ctx, a, f)
}

// StatsCounts is what the statistics page counts.
type StatsCounts struct {
	Rows       []StatsRow  // by the filter's grouping
	Trend      []StatsRow  // by month, over the filter's range
	Categories []ItemCount // DissatisfactionCounts
	Items      []ItemCount
}

// VisitStatsPage counts for the statistics page: VisitStats by the
// filter's grouping and by month, and DissatisfactionCounts, asking once
// what the viewer's scope depends on (statsAsk). Asked for each count, it
// was a third of the page's statements.
func (db *DB) VisitStatsPage(ctx context.Context, v domain.Viewer, f StatsFilter) (StatsCounts, error) {
	var out StatsCounts
	a := db.askStats(v)
	var err error
	if out.Rows, err = db.visitStats(ctx, a, f); err != nil {
		return out, err
	}
	byMonth := f
	byMonth.By = "month"
	if out.Trend, err = db.visitStats(ctx, a, byMonth); err != nil {
		return out, err
	}
	out.Categories, out.Items, err = db.dissatisfactionCounts(ctx, a, f)
	return out, err
}

// statsAsk answers what a viewer's statistics scope depends on beyond the
// viewer: whether he sees every court (seesEveryCourt) and whether he has
// handled a case (handledCases), each asked of the database once, when
// first needed, for one page's counts.
type statsAsk struct {
	db               *DB
	v                domain.Viewer
	all, handled     bool
	askedAll, askedH bool
}

func (db *DB) askStats(v domain.Viewer) *statsAsk { return &statsAsk{db: db, v: v} }

func (a *statsAsk) seesAll(ctx context.Context) (bool, error) {
	if !a.askedAll {
		all, err := a.db.seesEveryCourt(ctx, a.v)
		if err != nil {
			return false, err
		}
		a.all, a.askedAll = all, true
	}
	return a.all, nil
}

func (a *statsAsk) hasHandled(ctx context.Context) (bool, error) {
	if !a.askedH {
		h, err := a.db.handledCases(ctx, a.v)
		if err != nil {
			return false, err
		}
		a.handled, a.askedH = h, true
	}
	return a.handled, nil
}

// scanStats counts the visits themselves.
func (db *DB) scanStats(ctx context.Context, a *statsAsk, f StatsFilter) ([]StatsRow, error) {
	scope, args, err := db.statsScope(ctx, a)
	if err != nil {
		return nil, err
	}
	return db.groupStats(ctx, f, scope, args)
}

// groupStats counts the visits matching scope by the filter's grouping.
func (db *DB) groupStats(ctx context.Context, f StatsFilter, scope string, args []any) ([]StatsRow, error) {
	key := map[string]string{"court": "c.code", "department": "COALESCE(vi.department_id, 0)", "officer": "COALESCE(vi.officer_id, 0)", "month": "vi.month"}[f.By]
	if key == "" {
		key, f.By = "c.code", "court"
	}
	where := []string{scope, "vi.month >= ?", "vi.month <= ?"}
	args = append(args, f.From, f.To)
	if f.Court != "" {
		where = append(where, "c.code = ?")
		args = append(args, f.Court)
	}
	if f.Kind != "" {
		where = append(where, "vi.kind = ?")
		args = append(args, f.Kind)
	}
	q := `SELECT ` + key + `, COUNT(*),
		SUM(CASE WHEN vi.sms_sent THEN 1 ELSE 0 END), SUM(CASE WHEN vi.replied THEN 1 ELSE 0 END),
		SUM(CASE WHEN vi.closed_at IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN vi.satisfied THEN 1 ELSE 0 END), SUM(CASE WHEN NOT vi.satisfied THEN 1 ELSE 0 END),
		SUM(CASE WHEN vi.reached_phone THEN 1 ELSE 0 END), SUM(CASE WHEN vi.reached_consult THEN 1 ELSE 0 END),
		SUM(CASE WHEN vi.reached_onsite THEN 1 ELSE 0 END)
		FROM visits vi JOIN courts c ON c.id = vi.court_id WHERE ` + strings.Join(where, " AND ") + " GROUP BY " + key + " ORDER BY " + key
	out, err := collect(ctx, db, func(row scanner) (r StatsRow, err error) {
		var k any
		if err := row.Scan(&k, &r.Visits, &r.SMSSent, &r.Replied, &r.Closed, &r.Satisfied, &r.Dissatisfied, &r.Phone, &r.Consult, &r.Onsite); err != nil {
			return r, err
		}
		switch kv := k.(type) {
		case []byte:
			r.Key = string(kv)
		default:
			r.Key = fmt.Sprint(kv)
		}
		return r, nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("visit statistics: %w", err)
	}
	return out, db.labelStats(ctx, f.By, out)
}

// labelStats names the groups.
func (db *DB) labelStats(ctx context.Context, by string, rows []StatsRow) error {
	var q string
	switch by {
	case "court":
		// From the cached directory: the province's 157 names were read
		// on every statistics page.
		// The shared list, read only here: under's copies of every court
		// were a tenth of the page's garbage.
		courts, _, err := db.courtCache.all(ctx, db)
		if err != nil {
			return fmt.Errorf("naming statistics groups: %w", err)
		}
		names := make(map[string]string, len(courts))
		for _, c := range courts {
			names[c.Code] = c.Name
		}
		nameRows(rows, names)
		return nil
	case "department":
		q = "SELECT d.id, c.name || ' ' || d.name FROM departments d JOIN courts c ON c.id = d.court_id"
	case "officer":
		q = "SELECT u.id, u.name || '（' || c.name || '）' FROM users u JOIN courts c ON c.id = u.court_id"
	default:
		for i := range rows {
			rows[i].Label = rows[i].Key
		}
		return nil
	}
	names := map[string]string{}
	err := each(ctx, db, func(row scanner) error {
		var k any
		var name string
		if err := row.Scan(&k, &name); err != nil {
			return err
		}
		names[fmt.Sprint(k)] = name
		return nil
	}, q)
	if err != nil {
		return fmt.Errorf("naming statistics groups: %w", err)
	}
	nameRows(rows, names)
	return nil
}

// nameRows labels rows by their keys' names, （未登记） where none.
func nameRows(rows []StatsRow, names map[string]string) {
	for i := range rows {
		rows[i].Label = names[rows[i].Key]
		if rows[i].Label == "" {
			rows[i].Label = "（未登记）"
		}
	}
}

// ItemCount is how often a 附件3 category or item was chosen.
type ItemCount struct {
	Code, Category, Text string
	Count                int
}

// DissatisfactionCounts counts the categories and items chosen in
// dissatisfied answers of the filter's visits, in the form's order.
func (db *DB) DissatisfactionCounts(ctx context.Context, v domain.Viewer, f StatsFilter) (cats, items []ItemCount, err error) {
	return db.dissatisfactionCounts(ctx, db.askStats(v), f)
}

func (db *DB) dissatisfactionCounts(ctx context.Context, a *statsAsk, f StatsFilter) (cats, items []ItemCount, err error) {
	scope, args, err := db.statsScope(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	// The visit scope, over the answers' own court and visit columns.
	scope = strings.NewReplacer("vi.id ", "a.visit_id ", "vi.", "a.").Replace(scope)
	where := []string{scope, "a.month >= ?", "a.month <= ?", "NOT a.satisfied"}
	args = append(args, f.From, f.To)
	if f.Court != "" {
		where = append(where, "a.court_id IN (SELECT id FROM courts WHERE code = ?)")
		args = append(args, f.Court)
	}
	// A visit counts once per category or item, however many of its
	// answers (SMS, phone, on-site) name it.
	type mention struct {
		visit int64
		code  string
	}
	seen := map[mention]bool{}
	n := map[string]int{}
	err = each(ctx, db, func(row scanner) error {
		var id int64
		var cs, is string
		if err := row.Scan(&id, &cs, &is); err != nil {
			return err
		}
		count := func(codes string) {
			for code := range strings.SplitSeq(codes, ",") {
				if code != "" && !seen[mention{id, code}] {
					seen[mention{id, code}] = true
					n[code]++
				}
			}
		}
		count(cs)
		count(is)
		return nil
	}, `SELECT a.visit_id, a.categories, a.items FROM visit_answers a WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, nil, fmt.Errorf("dissatisfaction counts: %w", err)
	}
	for _, c := range visit.Form() {
		cats = append(cats, ItemCount{Code: c.Code, Category: c.Name, Text: c.Name, Count: n[c.Code]})
		for _, it := range c.Items {
			items = append(items, ItemCount{Code: it.Code, Category: c.Name, Text: it.Text, Count: n[it.Code]})
		}
	}
	return cats, items, nil
}

// rollupStats counts by court or by month from the rollup, then takes
// out the viewer's own visits.
func (db *DB) rollupStats(ctx context.Context, a *statsAsk, f StatsFilter) ([]StatsRow, error) {
	v := a.v
	if _, _, err := visitScope(v); err != nil {
		return nil, err
	}
	if f.By != "month" {
		f.By = "court"
	}
	courts, args, err := db.statsCourts(ctx, a, "r.court_id")
	if err != nil {
		return nil, err
	}
	key := map[string]string{"court": "c.code", "month": "r.month"}[f.By]
	where := []string{courts, "r.month >= ?", "r.month <= ?"}
	args = append(args, f.From, f.To)
	if f.Court != "" {
		where = append(where, "c.code = ?")
		args = append(args, f.Court)
	}
	if f.Kind != "" {
		where = append(where, "r.kind = ?")
		args = append(args, f.Kind)
	}
	out, err := collect(ctx, db, func(row scanner) (r StatsRow, err error) {
		err = row.Scan(&r.Key, &r.Visits, &r.SMSSent, &r.Replied, &r.Closed, &r.Satisfied, &r.Dissatisfied, &r.Phone, &r.Consult, &r.Onsite)
		return r, err
	}, `SELECT `+key+`, SUM(r.visits), SUM(r.sms_sent), SUM(r.replied), SUM(r.closed), SUM(r.satisfied), SUM(r.dissatisfied),
		SUM(r.phone), SUM(r.consult), SUM(r.onsite) FROM visit_rollup r JOIN courts c ON c.id = r.court_id
		WHERE `+strings.Join(where, " AND ")+" GROUP BY "+key+" ORDER BY "+key, args...)
	if err != nil {
		return nil, fmt.Errorf("visit statistics: %w", err)
	}
	handled, err := a.hasHandled(ctx)
	if err != nil {
		return nil, err
	}
	if handled {
		// The visits of the viewer's own cases, counted the slow way: few,
		// through the case officers' index.
		courts, cargs, err := db.statsCourts(ctx, a, "vi.court_id")
		if err != nil {
			return nil, err
		}
		own, err := db.groupStats(ctx, f, courts+" AND "+ownVisits, append(cargs, v.UserID))
		if err != nil {
			return nil, err
		}
		byKey := map[string]*StatsRow{}
		for i := range out {
			byKey[out[i].Key] = &out[i]
		}
		for _, o := range own {
			if r := byKey[o.Key]; r != nil {
				r.Visits -= o.Visits
				r.SMSSent -= o.SMSSent
				r.Replied -= o.Replied
				r.Closed -= o.Closed
				r.Satisfied -= o.Satisfied
				r.Dissatisfied -= o.Dissatisfied
				r.Phone -= o.Phone
				r.Consult -= o.Consult
				r.Onsite -= o.Onsite
			}
		}
	}
	kept := out[:0]
	for _, r := range out {
		if r.Visits > 0 {
			kept = append(kept, r)
		}
	}
	return kept, db.labelStats(ctx, f.By, kept)
}

// handledCases tells whether v has handled any case, whose visits are
// then left out of what v is shown counted. Most who read statistics
// (the watchdogs, the command centre) never have: asking first spares
// them a query that, not knowing its list of visits is empty, walked
// every visit of the period (a third of the statistics page's CPU at
// 1,000,000 cases).
func (db *DB) handledCases(ctx context.Context, v domain.Viewer) (bool, error) {
	if v.System || v.UserID == 0 {
		return false, nil
	}
	var n int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM case_officers WHERE user_id = ? LIMIT 1) t", v.UserID).Scan(&n); err != nil {
		return false, fmt.Errorf("visit statistics: %w", translate(err))
	}
	return n > 0, nil
}

// statsCourts is the court condition of v's visit scope on column col,
// left out (true) when v sees every court.
func (db *DB) statsCourts(ctx context.Context, a *statsAsk, col string) (string, []any, error) {
	v := a.v
	if v.System {
		return "1=1", nil, nil
	}
	all, err := a.seesAll(ctx)
	if err != nil {
		return "", nil, err
	}
	if all {
		return "1=1", nil, nil
	}
	if visit.SeesSubtree(v) {
		return col + " IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')", []any{likePrefix(v.CourtPath)}, nil
	}
	return col + " = ?", []any{v.CourtID}, nil
}

package store

import (
	"context"
	"fmt"
	"slices"
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
func (db *DB) VisitStats(ctx context.Context, v domain.Viewer, f StatsFilter) ([]StatsRow, error) {
	scope, args, err := db.statsScope(ctx, v)
	if err != nil {
		return nil, err
	}
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
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("visit statistics: %w", err)
	}
	defer rows.Close()
	var out []StatsRow
	for rows.Next() {
		var r StatsRow
		var k any
		if err := rows.Scan(&k, &r.Visits, &r.SMSSent, &r.Replied, &r.Closed, &r.Satisfied, &r.Dissatisfied, &r.Phone, &r.Consult, &r.Onsite); err != nil {
			return nil, err
		}
		switch kv := k.(type) {
		case []byte:
			r.Key = string(kv)
		default:
			r.Key = fmt.Sprint(kv)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return out, db.labelStats(ctx, f.By, out)
}

// labelStats names the groups.
func (db *DB) labelStats(ctx context.Context, by string, rows []StatsRow) error {
	var q string
	switch by {
	case "court":
		q = "SELECT code, name FROM courts"
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
	r, err := db.query(ctx, q)
	if err != nil {
		return fmt.Errorf("naming statistics groups: %w", err)
	}
	defer r.Close()
	for r.Next() {
		var k any
		var name string
		if err := r.Scan(&k, &name); err != nil {
			return err
		}
		names[fmt.Sprint(k)] = name
	}
	for i := range rows {
		rows[i].Label = names[rows[i].Key]
		if rows[i].Label == "" {
			rows[i].Label = "（未登记）"
		}
	}
	return translate(r.Err())
}

// ItemCount is how often a 附件3 category or item was chosen.
type ItemCount struct {
	Code, Category, Text string
	Count                int
}

// DissatisfactionCounts counts the categories and items chosen in
// dissatisfied answers of the filter's visits, in the form's order.
func (db *DB) DissatisfactionCounts(ctx context.Context, v domain.Viewer, f StatsFilter) (cats, items []ItemCount, err error) {
	scope, args, err := db.statsScope(ctx, v)
	if err != nil {
		return nil, nil, err
	}
	// The visit scope, over the answers' own court and officer columns.
	scope = strings.ReplaceAll(scope, "vi.", "a.")
	where := []string{scope, "a.month >= ?", "a.month <= ?", "NOT a.satisfied"}
	args = append(args, f.From, f.To)
	if f.Court != "" {
		where = append(where, "a.court_id IN (SELECT id FROM courts WHERE code = ?)")
		args = append(args, f.Court)
	}
	rows, err := db.query(ctx, `SELECT a.categories, a.items FROM visit_answers a WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, nil, fmt.Errorf("dissatisfaction counts: %w", err)
	}
	defer rows.Close()
	n := map[string]int{}
	for rows.Next() {
		var cs, is string
		if err := rows.Scan(&cs, &is); err != nil {
			return nil, nil, err
		}
		for _, code := range slices.Concat(strings.Split(cs, ","), strings.Split(is, ",")) {
			if code != "" {
				n[code]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, translate(err)
	}
	for _, c := range visit.Form() {
		cats = append(cats, ItemCount{Code: c.Code, Category: c.Name, Text: c.Name, Count: n[c.Code]})
		for _, it := range c.Items {
			items = append(items, ItemCount{Code: it.Code, Category: c.Name, Text: it.Text, Count: n[it.Code]})
		}
	}
	return cats, items, nil
}

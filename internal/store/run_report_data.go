package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// runReportData is what a report counts, before its narrative: the
// cockpit's figures, the typical problems and the rectification.
type runReportData struct {
	figures  *overview.Figures
	problems []report.Problem
	rect     []report.RectLine
}

// runReportViewer is the court's own view of its registers, as its three
// bodies together see them: a report is the court's account, the same
// whoever drafts it. What of it the bureau may not read (the watchdogs'
// clues) package report leaves out of the content.
func runReportViewer(c *domain.Court) domain.Viewer {
	return domain.Viewer{Name: "系统", CourtID: c.ID, CourtCode: c.Code, CourtPath: c.Path, RemoteAddr: "report",
		Roles: []domain.Role{domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice}}
}

// courtByID reads the court with id.
func courtByID(ctx context.Context, q querier, id int64) (*domain.Court, error) {
	var code string
	if err := q.queryRow(ctx, "SELECT code FROM courts WHERE id = ?", id).Scan(&code); err != nil {
		return nil, fmt.Errorf("loading court %d: %w", id, translate(err))
	}
	return courtByCode(ctx, q, code)
}

// runReportData counts what the report of court id over p holds: the
// court alone, or with its subtree when it has courts below.
func (db *DB) runReportData(ctx context.Context, courtID int64, p overview.Period) (*runReportData, error) {
	c, err := courtByID(ctx, db, courtID)
	if err != nil {
		return nil, err
	}
	under, err := db.CourtsUnder(ctx, c.Path)
	if err != nil {
		return nil, err
	}
	return db.runReportDataOf(ctx, c, len(under) > 1, p)
}

// runReportDataOf counts what a report of court c (with its subtree or
// not) over p holds.
func (db *DB) runReportDataOf(ctx context.Context, c *domain.Court, subtree bool, p overview.Period) (*runReportData, error) {
	f, err := db.OverviewFigures(ctx, runReportViewer(c), c.Code, subtree, p)
	if err != nil {
		return nil, err
	}
	d := &runReportData{figures: f}
	if d.problems, err = db.runReportProblems(ctx, c, subtree, p); err != nil {
		return nil, err
	}
	if d.rect, err = db.runReportRect(ctx, c, subtree, p); err != nil {
		return nil, err
	}
	return d, nil
}

// reportCourts is the condition that the court column col is c's, or in
// c's subtree.
func reportCourts(col string, c *domain.Court, subtree bool) (string, any) {
	if !subtree {
		return col + " = ?", c.ID
	}
	return col + " IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')", likePrefix(c.Path)
}

// problemSet gathers problems by kind and label.
type problemSet struct {
	order []string
	by    map[string]*report.Problem
}

func (s *problemSet) add(kind report.ProblemKind, label, caseNo string) {
	if s.by == nil {
		s.by = map[string]*report.Problem{}
	}
	key := string(kind) + "\x00" + label
	p := s.by[key]
	if p == nil {
		p = &report.Problem{Kind: kind, Label: label}
		s.by[key], s.order = p, append(s.order, key)
	}
	p.AddCase(caseNo)
}

func (s *problemSet) list() []report.Problem {
	out := make([]report.Problem, 0, len(s.order))
	for _, k := range s.order {
		out = append(out, *s.by[k])
	}
	return out
}

// runReportProblems finds the typical problems of the period at c (and
// its subtree): the findings special inspections kept, by category; what
// key-case tracking and 网上巡查 confirmed, by rule; the trip reports
// reviewed, by reason; and what parties were dissatisfied with on return
// visits, by 附件3 category. Each counts, with a few case numbers; none
// names an officer or a party.
func (db *DB) runReportProblems(ctx context.Context, c *domain.Court, subtree bool, p overview.Period) ([]report.Problem, error) {
	var set problemSet
	from, to := beijingMidnight(p.From), beijingMidnight(p.To.AddDays(1))
	type row struct{ label, caseNo string }
	scan := func(r scanner) (x row, err error) {
		err = r.Scan(&x.label, &x.caseNo)
		return x, err
	}
	in, arg := reportCourts("f.court_id", c, subtree)
	rows, err := collect(ctx, db, scan, "SELECT f.category, f.case_no FROM inspection_findings f WHERE "+in+
		" AND f.state = 'kept' AND f.created_at >= ? AND f.created_at < ? ORDER BY f.id", arg, from, to)
	if err != nil {
		return nil, fmt.Errorf("report: inspection findings: %w", err)
	}
	for _, x := range rows {
		set.add(report.ProblemInspection, x.label, x.caseNo)
	}

	in, arg = reportCourts("t.court_id", c, subtree)
	err = each(ctx, db, func(r scanner) error {
		var kind tracking.RecordKind
		var node, caseNo string
		if err := r.Scan(&kind, &node, &caseNo); err != nil {
			return err
		}
		set.add(report.ProblemTracking, "重点案件跟踪："+findingRule(kind, node), caseNo)
		return nil
	}, `SELECT r.kind, r.node, k.number FROM tracking_records r JOIN trackings t ON t.id = r.tracking_id JOIN cases k ON k.id = t.case_id
		WHERE `+in+` AND (r.violation OR (r.kind = 'finding' AND r.decision = 'confirm')) AND r.on_date >= ? AND r.on_date <= ? ORDER BY r.id`,
		arg, p.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("report: tracking findings: %w", err)
	}
	in, arg = reportCourts("f.court_id", c, subtree)
	rows, err = collect(ctx, db, scan, `SELECT f.title, k.number FROM patrol_findings f JOIN cases k ON k.id = f.case_id
		WHERE `+in+` AND f.state = 'confirmed' AND f.first_found >= ? AND f.first_found <= ? ORDER BY f.id`, arg, p.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("report: patrol findings: %w", err)
	}
	for _, x := range rows {
		set.add(report.ProblemTracking, "网上巡查："+x.label, x.caseNo)
	}

	in, arg = reportCourts("rv.court_id", c, subtree)
	rows, err = collect(ctx, db, scan, `SELECT rv.reason, COALESCE((SELECT MIN(k.number) FROM trip_cases tc JOIN cases k ON k.id = tc.case_id WHERE tc.trip_id = rv.trip_id),
		(SELECT k.number FROM trip_reports tr JOIN cases k ON k.id = tr.case_id WHERE tr.id = rv.report_id), '')
		FROM trip_reviews rv WHERE `+in+` AND rv.opened_at >= ? AND rv.opened_at < ? ORDER BY rv.id`, arg, from, to)
	if err != nil {
		return nil, fmt.Errorf("report: trip reviews: %w", err)
	}
	for _, x := range rows {
		label := trip.ReviewReasons[x.label]
		if label == "" {
			label = x.label
		}
		set.add(report.ProblemTrip, label, x.caseNo)
	}

	in, arg = reportCourts("vi.court_id", c, subtree)
	type answer struct {
		visit        int64
		cats, caseNo string
	}
	answers, err := collect(ctx, db, func(r scanner) (a answer, err error) {
		err = r.Scan(&a.visit, &a.cats, &a.caseNo)
		return a, err
	}, `SELECT a.visit_id, a.categories, k.number FROM visit_answers a JOIN visits vi ON vi.id = a.visit_id JOIN cases k ON k.id = vi.case_id
		WHERE `+in+` AND a.satisfied = FALSE AND a.at >= ? AND a.at < ? ORDER BY a.id`, arg, from, to)
	if err != nil {
		return nil, fmt.Errorf("report: dissatisfied visits: %w", err)
	}
	// A visit counts once under each category its answers chose, however
	// many answers it has.
	seen := map[string]bool{}
	for _, a := range answers {
		cats := strings.FieldsFunc(a.cats, func(r rune) bool { return r == ',' || r == ' ' })
		if len(cats) == 0 {
			cats = []string{""}
		}
		for _, code := range cats {
			label := "不满意（未选择具体事项）"
			if cat, ok := visit.CategoryByCode(code); ok {
				label = cat.Name
			}
			if key := fmt.Sprint(a.visit, label); !seen[key] {
				seen[key] = true
				set.add(report.ProblemVisit, label, a.caseNo)
			}
		}
	}
	return set.list(), nil
}

// runReportRect is the state of the rectifications at c (and its
// subtree), by source: those opened in the period, and those opened
// before it whose items were not all accepted, with each item's state as
// of today (a rectification not yet broken into items counts as one).
func (db *DB) runReportRect(ctx context.Context, c *domain.Court, subtree bool, p overview.Period) ([]report.RectLine, error) {
	in, arg := reportCourts("r.court_id", c, subtree)
	from, to := beijingMidnight(p.From), beijingMidnight(p.To.AddDays(1))
	today := db.today()
	lines := map[oversight.SourceKind]*report.RectLine{}
	rects := map[int64]bool{}
	err := each(ctx, db, func(row scanner) error {
		var id int64
		var kind string
		var due domain.Date
		var state sql.NullString
		var itemDue sql.Null[domain.Date]
		if err := row.Scan(&id, &kind, &due, &state, &itemDue); err != nil {
			return err
		}
		k := oversight.SourceKind(kind)
		l := lines[k]
		if l == nil {
			l = &report.RectLine{Source: k.Label()}
			lines[k] = l
		}
		if !rects[id] {
			rects[id] = true
			l.Rects++
		}
		st := oversight.StatePending
		if state.Valid {
			st, due = oversight.ItemState(state.String), itemDue.V
		}
		l.Items++
		switch {
		case st == oversight.StateClosed:
			l.Closed++
		case oversight.Overdue(st, due, today):
			l.Overdue++
		default:
			l.Open++
		}
		return nil
	}, `SELECT r.id, r.source_kind, r.deadline, ri.state, ri.deadline FROM rectifications r LEFT JOIN rectification_items ri ON ri.rectification_id = r.id
		WHERE `+in+` AND r.created_at < ? AND (r.created_at >= ? OR NOT EXISTS (SELECT 1 FROM rectification_items x WHERE x.rectification_id = r.id)
		OR EXISTS (SELECT 1 FROM rectification_items x WHERE x.rectification_id = r.id AND x.state <> 'closed')) ORDER BY r.id, ri.id`, arg, to, from)
	if err != nil {
		return nil, fmt.Errorf("report: rectifications: %w", err)
	}
	var out []report.RectLine
	for _, k := range []oversight.SourceKind{oversight.SourceSuggestion, oversight.SourceRecommendation, oversight.SourceInspection} {
		if l := lines[k]; l != nil {
			out = append(out, *l)
		}
	}
	return out, nil
}

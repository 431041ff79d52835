package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
)

// RunReportRow is one court below in the higher court's view of a
// period's reports.
type RunReportRow struct {
	CourtID                         int64
	CourtCode, CourtName, CourtPath string
	// Depth is how far below the viewer's court it is (1: directly).
	Depth    int
	ReportID int64        // 0: none drafted
	State    report.State // "" when none
	// SubmittedAt is when it was last submitted; zero if never.
	SubmittedAt time.Time
	// Late: not submitted and past its due date; DaysLate by how much.
	Late     bool
	DaysLate int
	// RemindedOn is the last day a reminder went, Reminders how many days
	// one did.
	RemindedOn domain.Date
	Reminders  int
}

// Readable reports whether the viewer above may open the court's report:
// once it has been submitted (a returned one too).
func (r RunReportRow) Readable() bool { return r.ReportID != 0 && r.State != report.StateDraft }

// StateLabel is the row's state in words.
func (r RunReportRow) StateLabel() string {
	if r.State == "" {
		return "未起草"
	}
	return r.State.Label()
}

// RunReportStatus is, for a period, where each court below the viewer's
// stands with its report.
type RunReportStatus struct {
	CourtName string
	Period    overview.Period
	Due       domain.Date
	Today     domain.Date
	Rows      []RunReportRow
	// Submitted, Open (drafted, or returned, not submitted), Missing (not
	// drafted) and Late count the rows.
	Submitted, Open, Missing, Late int
}

// RunReportStatus says, for period p, which courts below v's have
// submitted their report, which have not and which are late by rules:
// for the three bodies of a court that has courts below.
func (db *DB) RunReportStatus(ctx context.Context, v domain.Viewer, p overview.Period, rules report.DueRules) (*RunReportStatus, error) {
	if !report.Reads(v) {
		return nil, domain.Errorf(domain.ErrForbidden, "报送情况供上级法院的执行局、派驻纪检监察组和监察室查看。")
	}
	courts, err := db.CourtsUnder(ctx, v.CourtPath)
	if err != nil {
		return nil, err
	}
	today := db.today()
	st := &RunReportStatus{Period: p, Due: rules.Due(p), Today: today}
	for _, c := range courts {
		if c.Path == v.CourtPath {
			st.CourtName = c.Name
			continue
		}
		st.Rows = append(st.Rows, RunReportRow{CourtID: c.ID, CourtCode: c.Code, CourtName: c.Name, CourtPath: c.Path,
			Depth: strings.Count(c.Path, "/") - strings.Count(v.CourtPath, "/")})
	}
	if len(st.Rows) == 0 {
		return nil, domain.Errorf(domain.ErrForbidden, "本院没有下级法院，无需查看报送情况。")
	}
	at := map[int64]*RunReportRow{}
	for i := range st.Rows {
		at[st.Rows[i].CourtID] = &st.Rows[i]
	}
	in, arg := reportCourts("r.court_id", &domain.Court{Path: v.CourtPath}, true)
	err = each(ctx, db, func(row scanner) error {
		var court, id int64
		var state string
		var signed sql.NullTime
		if err := row.Scan(&court, &id, &state, &signed); err != nil {
			return err
		}
		if x := at[court]; x != nil {
			x.ReportID, x.State, x.SubmittedAt = id, report.State(state), timeOf(signed)
		}
		return nil
	}, "SELECT r.court_id, r.id, r.state, r.signed_at FROM run_reports r WHERE "+in+" AND r.period = ?", arg, p.String())
	if err != nil {
		return nil, fmt.Errorf("reading the reports of %s: %w", p, err)
	}
	in, arg = reportCourts("m.court_id", &domain.Court{Path: v.CourtPath}, true)
	err = each(ctx, db, func(row scanner) error {
		var court int64
		var last domain.Date
		var n int
		if err := row.Scan(&court, &last, &n); err != nil {
			return err
		}
		if x := at[court]; x != nil {
			x.RemindedOn, x.Reminders = last, n
		}
		return nil
	}, "SELECT m.court_id, MAX(m.on_day), COUNT(*) FROM run_report_reminders m WHERE "+in+" AND m.period = ? GROUP BY m.court_id", arg, p.String())
	if err != nil {
		return nil, fmt.Errorf("reading the reminders of %s: %w", p, err)
	}
	for i := range st.Rows {
		x := &st.Rows[i]
		switch x.State {
		case report.StateSubmitted:
			st.Submitted++
			continue
		case "":
			st.Missing++
		default:
			st.Open++
		}
		if rules.Late(p, today) {
			x.Late, x.DaysLate = true, st.Due.DaysUntil(today)
			st.Late++
		}
	}
	return st, nil
}

// RemindRunReports reminds, for v of a court above, every court below
// whose report of p is late by rules: a message to its 执行局 (and its
// 派驻纪检监察组's co-leader and liaison), which its to-do list shows too,
// and an audit record. A court is reminded of a period once a day at
// most, whoever above reminds it; the count is of those reminded now.
func (db *DB) RemindRunReports(ctx context.Context, v domain.Viewer, p overview.Period, rules report.DueRules) (int, error) {
	st, err := db.RunReportStatus(ctx, v, p, rules)
	if err != nil {
		return 0, err
	}
	return inTx(ctx, db, v, func(tx *Tx) (int, error) {
		n := 0
		today := tx.db.today().String()
		for _, x := range st.Rows {
			if !x.Late {
				continue
			}
			res, err := tx.exec(ctx, `INSERT INTO run_report_reminders (court_id, period, on_day, by_court, by_name, created_at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (court_id, period, on_day) DO NOTHING`, x.CourtID, p.String(), today, v.CourtID, personName(v), tx.db.now())
			if err != nil {
				return 0, fmt.Errorf("reminding %s: %w", x.CourtName, err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			link := "/reports/new?period=" + p.String()
			if x.ReportID != 0 {
				link = fmt.Sprintf("/reports/%d", x.ReportID)
			}
			title := fmt.Sprintf("%s催报：本院%s四项机制运行情况报告应于%s前报送，已逾期%d天", st.CourtName, p.Label(), st.Due.Chinese(), x.DaysLate)
			if err := tx.notifyRunReport(ctx, x.CourtID, title, link); err != nil {
				return 0, err
			}
			if err := tx.Audit(ctx, Entry{Action: "report.remind", ObjectType: "court", ObjectID: x.CourtCode, CourtPath: x.CourtPath, Success: true,
				Detail: p.Label()}); err != nil {
				return 0, err
			}
			n++
		}
		return n, nil
	})
}

// RunReportTodo is a report v's court owes: the last month's, quarter's
// or year's not yet submitted, or one the court above returned.
type RunReportTodo struct {
	Period   overview.Period
	ReportID int64        // 0: not yet drafted
	State    report.State // "" when not drafted
	Due      domain.Date
	Overdue  bool
	// Reminded: the court above has reminded the court of it.
	Reminded bool
}

// RunReportTodos lists what v, of his court's 执行局 or 派驻纪检监察组,
// owes by way of reports on today: for each kind, the report of the last
// period that has ended and of the latest one already due, unless
// submitted; and every other report drafted, returned or reminded of and
// not submitted.
func (db *DB) RunReportTodos(ctx context.Context, v domain.Viewer, rules report.DueRules) ([]RunReportTodo, error) {
	if !report.CanDraft(v) {
		return nil, nil
	}
	today := db.today()
	type rep struct {
		id     int64
		period string
		state  report.State
	}
	// The court's reports in the order of their periods' ends, and the
	// periods it was reminded of, in one statement: every home page of a
	// bureau asks this.
	var reps []rep
	reminded := map[string]bool{}
	err := each(ctx, db, func(row scanner) error {
		var reminder bool
		var r rep
		var state string
		if err := row.Scan(&reminder, &r.id, &r.period, &state); err != nil {
			return err
		}
		if reminder {
			reminded[r.period] = true
		} else {
			r.state = report.State(state)
			reps = append(reps, r)
		}
		return nil
	}, `SELECT reminder, id, period, state FROM (
		SELECT FALSE AS reminder, id, period, state, period_to FROM run_reports WHERE court_id = ?
		UNION ALL SELECT DISTINCT TRUE, 0, period, '', '' FROM run_report_reminders WHERE court_id = ?) x
		ORDER BY reminder, period_to`, v.CourtID, v.CourtID)
	if err != nil {
		return nil, fmt.Errorf("reading the court's reports and reminders: %w", err)
	}
	by := map[string]rep{}
	for _, r := range reps {
		by[r.period] = r
	}
	var out []RunReportTodo
	owed := map[string]bool{}
	add := func(p overview.Period, r rep) {
		owed[p.String()] = true
		due := rules.Due(p)
		out = append(out, RunReportTodo{Period: p, ReportID: r.id, State: r.state, Due: due, Overdue: today.After(due), Reminded: reminded[p.String()]})
	}
	// For each kind the last period that has ended and, when that one is
	// not yet due, the latest that is: a late report stays on the list
	// after the next period ends.
	for _, k := range report.Kinds {
		for _, p := range []overview.Period{report.LastEnded(k, today), rules.LatestDue(k, today)} {
			if r := by[p.String()]; r.state != report.StateSubmitted && !owed[p.String()] {
				add(p, r)
			}
		}
	}
	// Then every older report begun, returned or reminded and still not
	// submitted.
	older := make([]string, 0, len(reps)+len(reminded))
	for _, r := range reps {
		older = append(older, r.period)
	}
	for p := range reminded {
		if _, ok := by[p]; !ok {
			older = append(older, p)
		}
	}
	sort.Strings(older)
	for _, period := range older {
		if r := by[period]; r.state == report.StateSubmitted || owed[period] {
			continue
		}
		p, err := report.ParsePeriod(period)
		if err != nil {
			return nil, err
		}
		add(p, by[period])
	}
	return out, nil
}

// RunReportCombined is a higher court's combined report for a period: the
// figures, problems and rectification of its whole subtree, and where
// each court below stands with its own report.
type RunReportCombined struct {
	Content *report.Snapshot
	Status  *RunReportStatus
}

// RunReportCombined gathers the combined report of v's court and the
// courts below it for p, counted now.
func (db *DB) RunReportCombined(ctx context.Context, v domain.Viewer, p overview.Period, rules report.DueRules, t overview.Targets) (*RunReportCombined, error) {
	st, err := db.RunReportStatus(ctx, v, p, rules)
	if err != nil {
		return nil, err
	}
	c, err := courtByID(ctx, db, v.CourtID)
	if err != nil {
		return nil, err
	}
	d, err := db.runReportDataOf(ctx, c, true, p)
	if err != nil {
		return nil, err
	}
	s := report.Build(d.figures, t, d.problems, d.rect, nil)
	s.Title, s.Narrative = c.Name+p.Label()+"辖区四项机制运行情况汇总报告", nil
	return &RunReportCombined{Content: s, Status: st}, nil
}

// SubmittedText is when the court last submitted, to the minute.
func (r RunReportRow) SubmittedText() string { return minuteText(r.SubmittedAt) }

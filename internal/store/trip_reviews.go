package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/trip"
)

// TripReview is the review a report answering 有 (or 未做到) opens, or a
// party's complaint about a report (contradicted) or about a trip not
// reported on (unreported).
type TripReview struct {
	ID           int64
	ReportID     int64  // 0 for a trip not reported on
	Kind         string // annex1 or annex2
	TripID       int64
	CaseID       int64
	CourtID      int64
	CourtName    string
	DepartmentID int64
	OfficerID    int64
	Officer      string
	HandlerRole  domain.Role // the trip's leader: dept_head, or the leadership for a head's own trip
	Reason       string
	Detail       string
	VisitID      int64 // the return visit whose complaint flagged the report
	OpenedAt     time.Time
	HeadNote     string
	HeadBy       string
	HeadAt       time.Time
	// Talk is the leader's 谈话提醒 on record, if held.
	Talk          *trip.Talk
	Conclusion    string
	ConcludedBy   string
	ConcludedRole string
	ConcludedAt   time.Time
}

// reviewScope limits reviews to the department head of the officer's
// department and the watchdogs and bureau over the court; never the
// officer concerned, nor anyone who went on the trip: what the watchdogs
// hold about a traveller often concerns his companions too.
func reviewScope(v domain.Viewer) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	var conds []string
	var args []any
	if trip.HeadsDepartment(v) {
		conds = append(conds, "(rv.handler_role = 'dept_head' AND rv.court_id = ? AND rv.department_id = ?)")
		args = append(args, v.CourtID, v.DepartmentID)
	}
	if in, rargs := leaderRoles(v); in != "" {
		conds = append(conds, "(rv.handler_role IN ("+in+") AND rv.court_id = ?)")
		args = append(append(args, rargs...), v.CourtID)
	}
	if trip.SeesSubtree(v) && v.CourtPath != "" {
		conds = append(conds, "rv.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')")
		args = append(args, likePrefix(v.CourtPath))
	}
	if len(conds) == 0 {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看外出报告审查。")
	}
	return "(" + strings.Join(conds, " OR ") + ") AND rv.officer_id <> ? AND " + notTravelled("rv.trip_id"), append(args, v.UserID, v.UserID), nil
}

// notTravelled is the condition that the viewer, whose id is its
// argument, did not go on trip tripCol.
func notTravelled(tripCol string) string {
	return "NOT EXISTS (SELECT 1 FROM trip_travellers tv WHERE tv.trip_id = " + tripCol + " AND tv.user_id = ?)"
}

// leaderRoles are v's roles that may lead a head's own trip, as a list of
// placeholders and its arguments; "" if none.
func leaderRoles(v domain.Viewer) (string, []any) {
	var marks []string
	var args []any
	for _, r := range v.Roles {
		if trip.CanLead(r) {
			marks, args = append(marks, "?"), append(args, string(r))
		}
	}
	return strings.Join(marks, ", "), args
}

// TripReviews lists the reviews v may see: open ones first.
func (db *DB) TripReviews(ctx context.Context, v domain.Viewer, onlyOpen bool, limit int) ([]TripReview, error) {
	return tripReviews(ctx, db, v, onlyOpen, limit, "")
}

// TripReviewFilter narrows the reviews to those a figure of the cockpit
// counts: of a court and the courts below it (CourtPath), for some
// reasons (Reasons), on trips departed in a period (Departed, unless
// zero).
type TripReviewFilter struct {
	CourtPath string
	Reasons   []string
	Departed  overview.Period
}

// TripReviewsIn is TripReviews narrowed by f.
func (db *DB) TripReviewsIn(ctx context.Context, v domain.Viewer, onlyOpen bool, limit int, f TripReviewFilter) ([]TripReview, error) {
	var conds []string
	var args []any
	if f.CourtPath != "" {
		conds = append(conds, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'")
		args = append(args, likePrefix(f.CourtPath))
	}
	if len(f.Reasons) > 0 {
		conds = append(conds, "rv.reason IN ("+placeholders(len(f.Reasons))+")")
		for _, r := range f.Reasons {
			args = append(args, r)
		}
	}
	if f.Departed != (overview.Period{}) {
		conds = append(conds, "rv.trip_id IN (SELECT id FROM trips WHERE depart_at >= ? AND depart_at < ?)")
		args = append(args, beijingMidnight(f.Departed.From).UTC(), beijingMidnight(f.Departed.To.AddDays(1)).UTC())
	}
	return tripReviews(ctx, db, v, onlyOpen, limit, strings.Join(conds, " AND "), args...)
}

// tripReviews is TripReviews read through q, narrowed by cond (on rv and
// r) and its args.
func tripReviews(ctx context.Context, q querier, v domain.Viewer, onlyOpen bool, limit int, cond string, cargs ...any) ([]TripReview, error) {
	scope, args, err := reviewScope(v)
	if err != nil {
		return nil, err
	}
	if cond != "" {
		scope += " AND " + cond
		args = append(args, cargs...)
	}
	sel := `SELECT rv.id, COALESCE(rv.report_id, 0), COALESCE(r.kind, 'annex1'), COALESCE(rv.trip_id, 0), COALESCE(r.case_id, 0), rv.court_id, c.name,
		COALESCE(rv.department_id, 0), rv.officer_id, u.name, rv.handler_role, rv.reason, rv.detail, COALESCE(rv.visit_id, 0), rv.opened_at,
		rv.head_note, rv.head_by, rv.head_at, COALESCE(rv.talk_on, ''), rv.talk_place, rv.talk_content, rv.talk_statement,
		rv.conclusion, rv.concluded_by, rv.concluded_role, rv.concluded_at
		FROM trip_reviews rv LEFT JOIN trip_reports r ON r.id = rv.report_id JOIN courts c ON c.id = rv.court_id JOIN users u ON u.id = rv.officer_id
		WHERE ` + scope
	if onlyOpen {
		sel += " AND rv.concluded_at IS NULL"
	}
	sel += " ORDER BY rv.concluded_at IS NOT NULL, rv.id DESC LIMIT ?"
	out, err := collect(ctx, q, func(row scanner) (r TripReview, err error) {
		var headAt, concAt sql.NullTime
		var role, talkOn string
		var talk trip.Talk
		if err := row.Scan(&r.ID, &r.ReportID, &r.Kind, &r.TripID, &r.CaseID, &r.CourtID, &r.CourtName, &r.DepartmentID, &r.OfficerID, &r.Officer, &role,
			&r.Reason, &r.Detail, &r.VisitID, &r.OpenedAt, &r.HeadNote, &r.HeadBy, &headAt, &talkOn, &talk.Place, &talk.Content, &talk.Statement,
			&r.Conclusion, &r.ConcludedBy, &r.ConcludedRole, &concAt); err != nil {
			return r, err
		}
		r.HeadAt, r.ConcludedAt, r.HandlerRole = timeOf(headAt), timeOf(concAt), domain.Role(role)
		if talkOn != "" {
			d, err := domain.ParseDate(talkOn)
			if err != nil {
				return r, fmt.Errorf("review %d talk date: %w", r.ID, err)
			}
			talk.On = d
			r.Talk = &talk
		}
		return r, nil
	}, sel, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("listing reviews: %w", err)
	}
	return out, nil
}

// TripReviewsOf returns the reviews of a trip's or a case's reports that
// v may see.
func (db *DB) TripReviewsOf(ctx context.Context, v domain.Viewer, tripID, caseID int64) ([]TripReview, error) {
	if tripID != 0 {
		return tripReviews(ctx, db, v, false, 1000, "rv.trip_id = ?", tripID)
	}
	return tripReviews(ctx, db, v, false, 1000, "r.kind = 'annex2' AND r.case_id = ?", caseID)
}

// TripReviewByID returns one review v may see.
func (db *DB) TripReviewByID(ctx context.Context, v domain.Viewer, id int64) (*TripReview, error) {
	return tripReviewByID(ctx, db, v, id)
}

// tripReviewByID is TripReviewByID read through q.
func tripReviewByID(ctx context.Context, q querier, v domain.Viewer, id int64) (*TripReview, error) {
	rs, err := tripReviews(ctx, q, v, false, 1, "rv.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, domain.ErrNotFound
	}
	return &rs[0], nil
}

// Subject is what trip.CheckReview needs of the review.
func (r *TripReview) Subject() trip.ReviewSubject {
	return trip.ReviewSubject{Trip: trip.Subject{OfficerID: r.OfficerID, CourtID: r.CourtID, DepartmentID: r.DepartmentID, LeaderRole: r.HandlerRole},
		Reason: r.Reason, Handled: !r.HeadAt.IsZero(), Concluded: !r.ConcludedAt.IsZero()}
}

// reviewAllows reads a review tx's viewer may see and says whether the
// viewer may do a to it now.
func (tx *Tx) reviewAllows(ctx context.Context, id int64, a trip.ReviewAction) (*TripReview, error) {
	rv, err := tripReviewByID(ctx, tx, tx.v, id)
	if err != nil {
		return nil, err
	}
	return rv, trip.CheckReview(a, tx.v, rv.Subject())
}

// NoteReview records what the trip's leader did about a review in a
// transaction of its own.
func (db *DB) NoteReview(ctx context.Context, v domain.Viewer, id int64, note string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.NoteReview(ctx, id, note) })
}

// NoteReview records what tx's viewer, the trip's leader (the department
// head of the officer's department, or the leadership for a head's own
// trip), did about a review opened by a 有 or a 未做到; once. A report
// found not truthful, or a trip not reported on, is handled by a talk
// reminder on record (RecordTalk).
func (tx *Tx) NoteReview(ctx context.Context, id int64, note string) error {
	v := tx.v
	if _, err := tx.reviewAllows(ctx, id, trip.ReviewNote); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if note == "" || utf8.RuneCountInString(note) > 1000 {
		return domain.Invalid("note", "请填写处理情况（不超过1000字）")
	}
	return tx.changeReview(ctx, id, "head_note = ?, head_by = ?, head_at = ? WHERE head_at IS NULL",
		[]any{note, actorName(v), tx.db.now()}, "trip.review_note", note)
}

// RecordTalk records the trip's leader's 谈话提醒 on a review in a
// transaction of its own.
func (db *DB) RecordTalk(ctx context.Context, v domain.Viewer, id int64, talk trip.Talk) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.RecordTalk(ctx, id, talk) })
}

// RecordTalk records, for tx's viewer as the trip's leader, the talk
// reminder held about a review — date, place, content and the officer's
// statement — as the review's handling; once. The talk is also a record
// of the watchdogs' register (issue 14): a first-form disposition 谈话提醒
// of the officer, linked to the review, with the talk under it, so the
// register and its counts hold it; the leader does not see the register.
func (tx *Tx) RecordTalk(ctx context.Context, id int64, talk trip.Talk) error {
	v := tx.v
	rv, err := tx.reviewAllows(ctx, id, trip.ReviewTalk)
	if err != nil {
		return err
	}
	if err := talk.Validate(tx.db.today(), domain.DateOf(rv.OpenedAt, domain.Beijing)); err != nil {
		return err
	}
	err = tx.changeReview(ctx, id, "talk_on = ?, talk_place = ?, talk_content = ?, talk_statement = ?, head_by = ?, head_at = ? WHERE head_at IS NULL",
		[]any{talk.On.String(), talk.Place, talk.Content, talk.Statement, actorName(v), tx.db.now()}, "trip.review_talk",
		fmt.Sprintf("%s %s：%s", talk.On, talk.Place, talk.Content))
	if err != nil {
		return err
	}
	d, err := tx.insertDisposition(ctx, rv.OfficerID, 1, string(oversight.TalkReminder), fmt.Sprintf("外出报告审查%d：%s", id, trip.ReviewReasons[rv.Reason]),
		actorName(v), talk.On, domain.Date{}, origin{Review: id})
	if err != nil {
		return err
	}
	return tx.insertTalk(ctx, d, oversight.Talk{Kind: oversight.TalkReminder, HeldOn: talk.On, Place: talk.Place,
		Participants: "谈话人：" + actorName(v) + "；谈话对象：" + rv.Officer, Content: talk.Content, Statement: talk.Statement})
}

// ConcludeReview closes a review in a transaction of its own.
func (db *DB) ConcludeReview(ctx context.Context, v domain.Viewer, id int64, conclusion string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.ConcludeReview(ctx, id, conclusion) })
}

// ConcludeReview closes a review with its conclusion, for tx's viewer of
// the 纪检监察组 or the 监察室.
func (tx *Tx) ConcludeReview(ctx context.Context, id int64, conclusion string) error {
	v := tx.v
	role, ok := trip.Concluder(v)
	if !ok {
		return domain.Errorf(domain.ErrForbidden, "审查结论由派驻纪检监察组或监察室作出。")
	}
	if _, err := tx.reviewAllows(ctx, id, trip.ReviewConclude); err != nil {
		return err
	}
	conclusion = strings.TrimSpace(conclusion)
	if conclusion == "" || utf8.RuneCountInString(conclusion) > 2000 {
		return domain.Invalid("conclusion", "请填写审查结论（不超过2000字）")
	}
	return tx.changeReview(ctx, id, "conclusion = ?, concluded_by = ?, concluded_role = ?, concluded_at = ? WHERE concluded_at IS NULL",
		[]any{conclusion, actorName(v), string(role), tx.db.now()}, "trip.review_conclude", conclusion)
}

// changeReview sets what set says on review id, within the reviews tx's
// viewer may see, and audits it as action with detail.
func (tx *Tx) changeReview(ctx context.Context, id int64, set string, args []any, action, detail string) error {
	scope, sargs, err := reviewScope(tx.v)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, "UPDATE trip_reviews SET "+set+" AND id = ? AND id IN (SELECT rv.id FROM trip_reviews rv WHERE "+scope+")",
		append(append(args, id), sargs...)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ErrConflict, "该审查已处理，或不在您的职责范围内。")
	}
	return tx.Audit(ctx, Entry{Action: action, ObjectType: "trip_review", ObjectID: fmt.Sprint(id), Success: true, Detail: detail})
}

// TripTodo is something the mechanism waits on v for.
type TripTodo struct {
	Title string
	Href  string
	// Kind, Subject and Detail are what trip.TodoTitle reads; the court,
	// destination and dates say which trip it is about (empty and zero
	// for a case's 附件2).
	Kind            trip.Todo
	Subject, Detail string
	Court, Dest     string
	Depart, Return  time.Time
	Due             time.Time
	// Overdue marks a duty past its date.
	Overdue bool
}

// TripTodos gathers v's trip duties: the officer's reports due or late
// and 附件2 for cases closed lately; the head's requirements before
// departure, reports gone past the second deadline and reviews to act on;
// the watchdogs' open reviews. Each kind at most limit, in the order of
// the kinds and, within one, of its own key.
//
// The kinds v owes are read by one statement (a UNION ALL, each kind its
// own ordered and limited part returning its order's key, the trip each
// is about joined once outside them) and put in order in Go. They had
// been up to seven statements (the bureau's home page ran six, the
// watchdog's four), and on PostgreSQL at a million cases each statement
// of a home page cost the server about 0.08 ms and zhilian about 0.07 ms
// beyond its own work (2026-12-02).
func (db *DB) TripTodos(ctx context.Context, v domain.Viewer, limit int) ([]TripTodo, error) {
	now := db.Now()
	parts := tripTodoParts(v, now, db.today())
	if len(parts) == 0 || limit <= 0 {
		return nil, nil
	}
	q, args := tripTodoQuery(parts, limit)
	type keyed struct {
		t   TripTodo
		id  int64
		ord string
	}
	var rows []keyed
	err := each(ctx, db, func(row scanner) error {
		var r keyed
		var dueDay string
		var depart, ret sql.NullTime
		if err := row.Scan(&r.t.Kind, &r.id, &r.t.Subject, &r.t.Detail, &dueDay, &r.t.Court, &r.ord, &r.t.Dest, &depart, &ret); err != nil {
			return err
		}
		t := &r.t
		t.Depart, t.Return = timeOf(depart), timeOf(ret)
		switch {
		case t.Kind == trip.TodoRequirement:
			t.Due = t.Depart // before departure
		case dueDay != "":
			// Due at the end of that day, Beijing time.
			if d, err := domain.ParseDate(dateOnly(dueDay)); err == nil {
				t.Due = time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, domain.Beijing)
			}
		}
		t.Title, t.Href, t.Overdue = trip.TodoTitle(t.Kind, t.Subject, t.Detail), fmt.Sprintf(tripTodoHref(t.Kind), r.id), !t.Due.IsZero() && now.After(t.Due)
		rows = append(rows, r)
		return nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing trip to-dos: %w", err)
	}
	// By kind, then as each part's ORDER BY: its key as text (a date),
	// the departure for the requirements, and the record.
	slices.SortFunc(rows, func(a, b keyed) int {
		if a.t.Kind != b.t.Kind {
			return int(a.t.Kind) - int(b.t.Kind)
		}
		if c := strings.Compare(a.ord, b.ord); c != 0 {
			return c
		}
		if a.t.Kind == trip.TodoRequirement {
			if c := a.t.Depart.Compare(b.t.Depart); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]TripTodo, len(rows))
	for i, r := range rows {
		out[i] = r.t
	}
	return out, nil
}

// tripTodoQuery is TripTodos' statement over parts, each at most limit.
// No part numbers its rows (ROW_NUMBER would have PostgreSQL sort every
// matching row before the limit, not keep the first few): TripTodos
// orders them by the keys each part returns.
func tripTodoQuery(parts []tripTodoPart, limit int) (string, []any) {
	var union []string
	var args []any
	for _, p := range parts {
		// The limit is written, an integer, so that PostgreSQL may keep
		// one plan for the statement (see Cases).
		cols := make([]string, len(p.cols))
		for i, c := range p.cols {
			cols[i] = c + " AS " + tripTodoCols[i]
		}
		union = append(union, fmt.Sprintf(`SELECT * FROM (SELECT %d AS kind, %s %s
			ORDER BY %s LIMIT %d) b%[1]d`, int(p.kind), strings.Join(cols, ", "), p.from, p.order, limit))
		args = append(args, p.args...)
	}
	return `SELECT td.kind, td.id, td.subject, td.detail, td.due_day, td.court, td.ord, COALESCE(tr.destination_name, ''), tr.depart_at, tr.return_at
		FROM (` + strings.Join(union, "\nUNION ALL ") + `) td LEFT JOIN trips tr ON tr.id = td.trip_id`, args
}

// tripTodoHref is the page of a to-do's record, its id to fill in.
func tripTodoHref(k trip.Todo) string {
	switch k {
	case trip.TodoAnnex2:
		return "/annex2/%d"
	case trip.TodoHandleReview, trip.TodoExamineReview:
		return "/trip-reviews/%d"
	}
	return "/trips/%d"
}

// tripTodoPart is one kind of TripTodos: its columns, its FROM and WHERE,
// its ORDER BY and its arguments.
type tripTodoPart struct {
	kind trip.Todo
	// cols are the record's id, the subject, the detail, a due day, the
	// court's name, the trip (NULL for a case's 附件2) and order's key
	// when it is text ('' when the order is by the record or by the
	// departure, which TripTodos reads from the trip).
	cols  [7]string
	from  string
	order string
	args  []any
}

// tripTodoCols names the columns of a tripTodoPart.
var tripTodoCols = [7]string{"id", "subject", "detail", "due_day", "court", "trip_id", "ord"}

// tripTodoParts are the kinds of trip to-do v may owe.
func tripTodoParts(v domain.Viewer, now time.Time, today domain.Date) []tripTodoPart {
	var parts []tripTodoPart
	if trip.CanRegister(v) {
		parts = append(parts,
			// A report found not truthful asks for a supplement, and says
			// no more.
			tripTodoPart{kind: trip.TodoSupplement, cols: [7]string{"t.id", "t.destination_name", "''", "''", "c.name", "t.id", "''"}, from: `FROM trips t JOIN courts c ON c.id = t.court_id
				WHERE t.id IN (SELECT r.trip_id FROM trip_reviews rv JOIN trip_reports r ON r.id = rv.report_id
					WHERE rv.officer_id = ? AND rv.reason = 'contradicted'
					AND NOT EXISTS (SELECT 1 FROM trip_reports s WHERE s.supplements = r.id AND s.signed_at >= rv.opened_at))`,
				order: "t.id", args: []any{v.UserID}},
			// Reports due from the day of (planned or actual) return:
			// every traveller's own, until he filed it.
			tripTodoPart{kind: trip.TodoReport, cols: [7]string{"t.id", "t.destination_name", "''", "t.report_due", "c.name", "t.id", "t.report_due"}, from: `FROM trips t JOIN courts c ON c.id = t.court_id
				JOIN trip_travellers tt ON tt.trip_id = t.id AND tt.user_id = ?
				WHERE t.status IN ('planned', 'returned') AND t.out_of_jurisdiction AND t.return_at <= ?
				AND NOT EXISTS (SELECT 1 FROM trip_reports r WHERE r.trip_id = t.id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL)`,
				order: "t.report_due", args: []any{v.UserID, now.UTC()}},
			tripTodoPart{kind: trip.TodoAnnex2, cols: [7]string{"k.id", "k.number", "''", "''", "c.name", "CAST(NULL AS BIGINT)", "k.closed_on"}, from: `FROM cases k JOIN courts c ON c.id = k.court_id
				WHERE k.officer_id = ? AND k.closed_on IS NOT NULL AND k.closed_on >= ?
				AND NOT EXISTS (SELECT 1 FROM trip_reports r WHERE r.case_id = k.id AND r.kind = 'annex2' AND r.officer_id = k.officer_id)`,
				order: "k.closed_on", args: []any{v.UserID, today.AddDays(-90).String()}})
	}
	// What v leads: as department head, the department's officers' trips
	// and their reviews; as the leadership, the court's department heads'
	// own. role names the column of the leader's role.
	led := func(alias, role string) (string, []any) {
		var conds []string
		var args []any
		if trip.HeadsDepartment(v) {
			conds = append(conds, fmt.Sprintf("(%[1]s.%[2]s = 'dept_head' AND %[1]s.court_id = ? AND %[1]s.department_id = ?)", alias, role))
			args = append(args, v.CourtID, v.DepartmentID)
		}
		if in, rargs := leaderRoles(v); in != "" && v.CourtID != 0 {
			conds = append(conds, fmt.Sprintf("(%[1]s.%[2]s IN (%[3]s) AND %[1]s.court_id = ?)", alias, role, in))
			args = append(append(args, rargs...), v.CourtID)
		}
		return "(" + strings.Join(conds, " OR ") + ")", args
	}
	if cond, largs := led("t", "leader_role"); len(largs) > 0 {
		rcond, rargs := led("rv", "handler_role")
		parts = append(parts,
			tripTodoPart{kind: trip.TodoRequirement, cols: [7]string{"t.id", "u.name", "t.destination_name", "''", "c.name", "t.id", "''"}, from: `FROM trips t JOIN users u ON u.id = t.officer_id
				JOIN courts c ON c.id = t.court_id
				WHERE ` + cond + ` AND ` + notTravelled("t.id") + ` AND t.req_given IS NULL AND t.status = 'planned' AND t.out_of_jurisdiction
				AND t.depart_at > ?`,
				order: "t.depart_at", args: append(slices.Clone(largs), v.UserID, now.Add(-72*time.Hour).UTC())},
			tripTodoPart{kind: trip.TodoUrge, cols: [7]string{"t.id", "u.name", "t.destination_name", "t.escalate_on", "c.name", "t.id", "t.escalate_on"}, from: `FROM trips t JOIN users u ON u.id = t.officer_id
				JOIN courts c ON c.id = t.court_id
				WHERE ` + cond + ` AND ` + notTravelled("t.id") + ` AND t.status IN ('planned', 'returned') AND t.out_of_jurisdiction
				AND t.escalate_on < ?`,
				order: "t.escalate_on", args: append(slices.Clone(largs), v.UserID, today.String())},
			tripTodoPart{kind: trip.TodoHandleReview, cols: [7]string{"rv.id", "u.name", "rv.reason", "''", "c.name", "rv.trip_id", "''"}, from: `FROM trip_reviews rv JOIN users u ON u.id = rv.officer_id
				JOIN courts c ON c.id = rv.court_id
				WHERE ` + rcond + ` AND rv.officer_id <> ? AND ` + notTravelled("rv.trip_id") + ` AND rv.head_at IS NULL`,
				order: "rv.id", args: append(rargs, v.UserID, v.UserID)})
	}
	if _, ok := trip.Concluder(v); ok && v.CourtPath != "" {
		parts = append(parts, tripTodoPart{kind: trip.TodoExamineReview, cols: [7]string{"rv.id", "u.name", "rv.reason", "''", "c.name", "rv.trip_id", "''"}, from: `FROM trip_reviews rv JOIN users u ON u.id = rv.officer_id
			JOIN courts c ON c.id = rv.court_id
			WHERE rv.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\') AND rv.officer_id <> ? AND ` + notTravelled("rv.trip_id") + `
			AND rv.concluded_at IS NULL`,
			order: "rv.id", args: []any{likePrefix(v.CourtPath), v.UserID, v.UserID}})
	}
	return parts
}

// AccountabilityRow is one department's record for 一岗双责 over a period.
// The requirement is the trip's, given once for all who go; the reports
// are every traveller's own, counted against the trip's department, whose
// leader gave the requirement.
type AccountabilityRow struct {
	CourtCode             string
	CourtName, Department string
	Heads                 string // the department heads, 、-separated
	Trips                 int    // trips out of jurisdiction that departed
	Travellers            int    // the travellers of those trips (外出人次), each owing a report
	RequiredBefore        int    // trips with requirements given before departure
	OnTime, Late, Missing int    // travellers' reports
	Contradicted          int    // travellers whose report was found not truthful, or who a complaint found not reported
	TalksHeld             int    // talk reminders the leader recorded on them
	NotTaken              int    // trips marked 未成行 after departure (those marked after the due date count their travellers as Missing)
	Alerts                int    // travellers whose 附件1 (or a supplement) answered 有
}

// TripAccountability counts, per department, what the seed makes part of
// the department head's 一岗双责 and annual duty report, for trips that
// departed in [from, to): each traveller's report counts.
func (db *DB) TripAccountability(ctx context.Context, v domain.Viewer, from, to time.Time) ([]AccountabilityRow, error) {
	var conds []string
	var args []any
	switch {
	case v.System:
		conds = append(conds, "1=1")
	case trip.SeesSubtree(v) && v.CourtPath != "":
		conds = append(conds, "t.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')")
		args = append(args, likePrefix(v.CourtPath))
	case trip.HeadsDepartment(v):
		conds = append(conds, "t.court_id = ? AND t.department_id = ?")
		args = append(args, v.CourtID, v.DepartmentID)
	default:
		return nil, domain.Errorf(domain.ErrForbidden, "一岗双责统计供部门负责人、执行局和纪检监察部门查看。")
	}
	today := db.today().String()
	// own is the traveller's original 附件1, narrowed by what follows.
	const own = "SELECT 1 FROM trip_reports r WHERE r.trip_id = t.id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL"
	const flagged = "SELECT 1 FROM trip_reviews rv WHERE rv.trip_id = t.id AND rv.officer_id = tt.user_id AND rv.reason IN ('contradicted', 'unreported')"
	q := `SELECT c.name, COALESCE(d.name, ''), COALESCE(t.department_id, 0), t.court_id, COUNT(DISTINCT t.id), COUNT(*),
		COUNT(DISTINCT CASE WHEN t.req_given AND t.req_at <= t.depart_at THEN t.id END),
		SUM(CASE WHEN EXISTS (` + own + ` AND NOT r.late) THEN 1 ELSE 0 END),
		SUM(CASE WHEN EXISTS (` + own + ` AND r.late) THEN 1 ELSE 0 END),
		SUM(CASE WHEN ((t.status IN ('planned', 'returned') AND t.report_due < ?) OR t.not_taken_late) AND NOT EXISTS (` + own + `) THEN 1 ELSE 0 END),
		SUM(CASE WHEN EXISTS (` + flagged + `) THEN 1 ELSE 0 END),
		SUM(CASE WHEN EXISTS (` + flagged + ` AND rv.head_at IS NOT NULL) THEN 1 ELSE 0 END),
		COUNT(DISTINCT CASE WHEN t.not_taken THEN t.id END),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM trip_reports r WHERE r.trip_id = t.id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.any_yes) THEN 1 ELSE 0 END), c.code
		FROM trips t JOIN trip_travellers tt ON tt.trip_id = t.id JOIN courts c ON c.id = t.court_id LEFT JOIN departments d ON d.id = t.department_id
		WHERE ` + strings.Join(conds, " AND ") + ` AND t.out_of_jurisdiction AND (t.status <> 'cancelled' OR t.not_taken) AND t.depart_at >= ? AND t.depart_at < ?
		GROUP BY c.name, d.name, t.department_id, t.court_id, c.code ORDER BY c.name, d.name`
	type key struct{ court, dept int64 }
	var out []AccountabilityRow
	var keys []key
	err := each(ctx, db, func(row scanner) error {
		var r AccountabilityRow
		var k key
		if err := row.Scan(&r.CourtName, &r.Department, &k.dept, &k.court, &r.Trips, &r.Travellers, &r.RequiredBefore, &r.OnTime, &r.Late, &r.Missing,
			&r.Contradicted, &r.TalksHeld, &r.NotTaken, &r.Alerts, &r.CourtCode); err != nil {
			return err
		}
		out = append(out, r)
		keys = append(keys, k)
		return nil
	}, q, append([]any{today}, append(args, from.UTC(), to.UTC())...)...)
	if err != nil {
		return nil, fmt.Errorf("accountability: %w", err)
	}
	for i, k := range keys {
		names, err := collect(ctx, db, scanString, `SELECT u.name FROM users u JOIN user_roles ur ON ur.user_id = u.id WHERE u.court_id = ? AND u.department_id = ? AND ur.role = 'dept_head'
			AND NOT u.disabled ORDER BY u.name`, k.court, k.dept)
		if err != nil {
			return nil, err
		}
		out[i].Heads = strings.Join(names, "、")
	}
	return out, nil
}

// SupplementAsked reports whether v is asked to supplement his report on
// trip id: a review found it contradicted (不如实报告) and no supplement was
// signed since. It says no more: what contradicted it is the watchdogs'.
func (db *DB) SupplementAsked(ctx context.Context, v domain.Viewer, tripID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM trip_reviews rv JOIN trip_reports r ON r.id = rv.report_id
		WHERE r.trip_id = ? AND rv.officer_id = ? AND rv.reason = 'contradicted'
		AND NOT EXISTS (SELECT 1 FROM trip_reports s WHERE s.supplements = r.id AND s.signed_at >= rv.opened_at)`, tripID, v.UserID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reading whether a supplement is asked: %w", translate(err))
	}
	return n > 0, nil
}

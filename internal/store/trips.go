package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/trip"
)

// Trip is a trip to enforce out of the court's jurisdiction.
type Trip struct {
	ID                int64
	CourtID           int64
	CourtName         string
	DepartmentID      int64
	Department        string
	OfficerID         int64
	Officer           string
	Companions        string
	Destination       string // the first destination's code
	DestinationName   string // every destination's name
	Destinations      []trip.Destination
	OutOfJurisdiction bool
	DepartAt          time.Time
	ReturnAt          time.Time
	Task              string
	ReturnedOn        string // YYYY-MM-DD once recorded
	ReportDue         string
	EscalateOn        string
	Requirement       *Requirement
	// Status is one of trip's statuses: StatusNotTaken for a trip marked
	// 未成行.
	Status string
	// LeaderRole is who gives the requirement and handles the reviews:
	// the department head, or for a head's own trip the leadership.
	LeaderRole domain.Role
	// CancelReason, CancelledBy and CancelledAt say why, by whom and when
	// a trip was cancelled or marked 未成行; NotTakenLate marks one marked
	// after its report was due, still counted as not reported.
	CancelReason string
	CancelledBy  string
	CancelledAt  time.Time
	NotTakenLate bool
	Cases        []TripCase
	CreatedAt    time.Time
	// Travellers are all who go, the registering officer first; each
	// owes his own 附件1. Companions name those not of the court.
	Travellers []Traveller
}

// Requirement is the department head's 办案注意事项和纪律作风要求.
type Requirement struct {
	Given   bool
	Content string
	Leader  string
	By      string
	At      time.Time
	// Late marks a requirement recorded after departure: it counts as
	// missing.
	Late bool
}

// TripCase is a case a trip is for.
type TripCase struct {
	ID     int64
	Number string
}

// TripReport is a filed 附件1 or 附件2.
type TripReport struct {
	ID          int64
	Kind        string
	TripID      int64
	CaseID      int64
	CaseNumber  string
	Supplements int64
	OfficerID   int64
	Officer     string
	Answers     trip.Answers
	AnyYes      bool
	Fulfilled   *bool
	PeriodFrom  string
	PeriodTo    string
	Explanation string
	Signature   trip.Signature
	Late        bool
	// Accounts are 附件1's 案件执行情况, one per case.
	Accounts []trip.CaseAccount
	// Intact is false when the stored content no longer matches its
	// signature.
	Intact bool
}

// reportContent is what a report's signature covers. Reports signed
// before 案件执行情况 was asked for have no accounts, and their content,
// without the key, is what was signed.
func reportContent(kind string, tripID, caseID, supplements int64, answers trip.Answers, fulfilled *bool, from, to, explanation string, accounts []trip.CaseAccount) any {
	return struct {
		Kind        string             `json:"kind"`
		TripID      int64              `json:"trip_id"`
		CaseID      int64              `json:"case_id"`
		Supplements int64              `json:"supplements"`
		Answers     trip.Answers       `json:"answers"`
		Fulfilled   *bool              `json:"fulfilled"`
		From        string             `json:"from"`
		To          string             `json:"to"`
		Explanation string             `json:"explanation"`
		Accounts    []trip.CaseAccount `json:"accounts,omitempty"`
	}{kind, tripID, caseID, supplements, answers, fulfilled, from, to, explanation, accounts}
}

// tripScope limits trips to what v may see: those v goes on; as
// department head, the department's; as bureau or watchdog, the court
// subtree's.
func tripScope(v domain.Viewer) (string, []any, error) {
	return scopeOf(v, "t", "EXISTS (SELECT 1 FROM trip_travellers tv WHERE tv.trip_id = t.id AND tv.user_id = ?)")
}

// scopeOf is tripScope over the rows of alias (trips, or reports), whose
// own rows mine selects with v's id as its argument.
func scopeOf(v domain.Viewer, alias, mine string) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	if !trip.CanSee(v) || v.CourtPath == "" {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看外出执行报告。")
	}
	conds := []string{mine}
	args := []any{v.UserID}
	if trip.HeadsDepartment(v) {
		conds = append(conds, "("+alias+".court_id = ? AND "+alias+".department_id = ?)")
		args = append(args, v.CourtID, v.DepartmentID)
	}
	if trip.SeesSubtree(v) {
		conds = append(conds, alias+".court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')")
		args = append(args, likePrefix(v.CourtPath))
	}
	return "(" + strings.Join(conds, " OR ") + ")", args, nil
}

// CreateTrip registers a trip of v's in a transaction of its own.
func (db *DB) CreateTrip(ctx context.Context, v domain.Viewer, nt trip.Plan, rules trip.Rules) (*Trip, error) {
	return inTx(ctx, db, v, func(tx *Tx) (*Trip, error) { return tx.CreateTrip(ctx, nt, rules) })
}

// CreateTrip registers a trip of tx's viewer, an officer, in the viewer's
// court and department, and decides from the court's jurisdiction whether
// it must be reported; its report falls due by rules, counted from the
// planned return. The travellers it names go with the officer: active
// members of his court who go out to enforce, each owing his own 附件1.
// A department head's own trip, or one a head of the officer's
// department goes on, is led by rules' leadership. It returns the trip
// as the officer sees it.
func (tx *Tx) CreateTrip(ctx context.Context, nt trip.Plan, rules trip.Rules) (*Trip, error) {
	v := tx.v
	if !trip.CanRegister(v) || v.CourtID == 0 {
		return nil, domain.Errorf(domain.ErrForbidden, "只有执行人员可以登记外出执行。")
	}
	if err := nt.Validate(); err != nil {
		return nil, err
	}
	travellers, err := staffByID(ctx, tx, nt.Travellers)
	if err != nil {
		return nil, err
	}
	if err := trip.CheckTravellers(v, travellers); err != nil {
		return nil, err
	}
	var divs string
	if err := tx.queryRow(ctx, "SELECT divisions FROM courts WHERE id = ?", v.CourtID).Scan(&divs); err != nil {
		return nil, translate(err)
	}
	var caseIDs []int64
	for _, no := range nt.CaseNumbers {
		var cid int64
		err := tx.queryRow(ctx, "SELECT id FROM cases WHERE number = ? AND court_id = ?", no, v.CourtID).Scan(&cid)
		if errors.Is(translate(err), domain.ErrNotFound) {
			return nil, domain.Invalid("cases", "本院没有案件 "+no)
		} else if err != nil {
			return nil, err
		}
		caseIDs = append(caseIDs, cid)
	}
	dests, out := trip.Place(splitDivisions(divs), nt.Destinations)
	name := trip.PlaceNames(dests)
	due, esc := rules.Due(tx.db.limits().Calendar, domain.DateOf(nt.ReturnAt, domain.Beijing))
	now := tx.db.now()
	var id int64
	err = tx.queryRow(ctx, `INSERT INTO trips (court_id, department_id, officer_id, companions, destination, destination_name, out_of_jurisdiction,
		depart_at, return_at, task, report_due, escalate_on, leader_role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		v.CourtID, nullID(v.DepartmentID), v.UserID, nt.Companions, dests[0].Code, name, out, nt.DepartAt.UTC(), nt.ReturnAt.UTC(), nt.Task,
		due.String(), esc.String(), string(trip.LeaderRoleOf(v, rules, travellers...)), now, now).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("registering a trip: %w", err)
	}
	names := []string{v.Name}
	for _, uid := range append([]int64{v.UserID}, nt.Travellers...) {
		if _, err := tx.exec(ctx, "INSERT INTO trip_travellers (trip_id, user_id) VALUES (?, ?)", id, uid); err != nil {
			return nil, fmt.Errorf("registering a trip's travellers: %w", err)
		}
	}
	for _, x := range travellers {
		names = append(names, x.Name)
	}
	for _, cid := range caseIDs {
		if _, err := tx.exec(ctx, "INSERT INTO trip_cases (trip_id, case_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, cid); err != nil {
			return nil, err
		}
	}
	for i, d := range dests {
		if _, err := tx.exec(ctx, "INSERT INTO trip_destinations (trip_id, position, division, name, out_of_jurisdiction) VALUES (?, ?, ?, ?, ?)",
			id, i, d.Code, d.Name, d.Out); err != nil {
			return nil, fmt.Errorf("recording the trip's destinations: %w", err)
		}
	}
	err = tx.Audit(ctx, Entry{Action: "trip.create", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true,
		Detail: fmt.Sprintf("%s，%s；外出人员：%s", name, strings.Join(nt.CaseNumbers, "、"), strings.Join(names, "、"))})
	if err != nil {
		return nil, err
	}
	t, _, err := tripByID(ctx, tx, v, id)
	return t, err
}

func splitDivisions(s string) []string {
	var out []string
	for _, d := range strings.Split(s, ";") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// tripStatus is a trip's status as the mechanism names it: a trip marked
// 未成行 is kept cancelled, owing nothing, and named apart.
const tripStatus = "CASE WHEN t.not_taken THEN 'not_taken' ELSE t.status END"

const tripColumns = `t.id, t.court_id, c.name, COALESCE(t.department_id, 0), COALESCE(d.name, ''), t.officer_id, u.name, t.companions, t.destination,
	t.destination_name, t.out_of_jurisdiction, t.depart_at, t.return_at, t.task, COALESCE(t.returned_on, ''), t.report_due, t.escalate_on,
	t.req_given, t.req_content, t.req_leader, COALESCE(rb.name, ''), t.req_at, ` + tripStatus + `, t.leader_role, t.cancel_reason, t.cancelled_by,
	t.cancelled_at, t.not_taken_late, t.created_at`

const tripFrom = ` FROM trips t JOIN courts c ON c.id = t.court_id LEFT JOIN departments d ON d.id = t.department_id
	JOIN users u ON u.id = t.officer_id LEFT JOIN users rb ON rb.id = t.req_by`

func scanTrip(sc interface{ Scan(...any) error }) (*Trip, error) {
	var t Trip
	var given sql.NullBool
	var reqAt, cancelledAt sql.NullTime
	var content, leader, by, role string
	if err := sc.Scan(&t.ID, &t.CourtID, &t.CourtName, &t.DepartmentID, &t.Department, &t.OfficerID, &t.Officer, &t.Companions, &t.Destination,
		&t.DestinationName, &t.OutOfJurisdiction, &t.DepartAt, &t.ReturnAt, &t.Task, &t.ReturnedOn, &t.ReportDue, &t.EscalateOn,
		&given, &content, &leader, &by, &reqAt, &t.Status, &role, &t.CancelReason, &t.CancelledBy, &cancelledAt, &t.NotTakenLate, &t.CreatedAt); err != nil {
		return nil, err
	}
	t.LeaderRole, t.CancelledAt = domain.Role(role), timeOf(cancelledAt)
	if given.Valid {
		t.Requirement = &Requirement{Given: given.Bool, Content: content, Leader: leader, By: by, At: timeOf(reqAt)}
		t.Requirement.Late = t.Requirement.At.After(t.DepartAt)
	}
	return &t, nil
}

// TripFilter narrows a trip listing.
type TripFilter struct {
	Status string // a status, "overdue" or "" for all
	// CourtPath narrows the list to a court and the courts below it.
	CourtPath string
	// Departed, unless zero, narrows the list to the trips the cockpit
	// counts in that period: out of the jurisdiction, not cancelled (or
	// marked not taken), departed within it.
	Departed overview.Period
	Page     PageReq
}

// TripSorts are the orders of the trip list, latest departure first by
// default.
var TripSorts = Sorts{Keys: map[string][]string{
	"depart":  {"t.depart_at"},
	"officer": {"u.name"},
	"court":   {"c.path"},
	"due":     {"t.report_due"},
}, Default: "depart", DefaultDesc: true, Tie: "t.id"}

// Trips lists every trip v may see that f finds, newest departure first,
// with their travellers: for the program's own reads; a page shown to a
// user is TripPage's.
func (db *DB) Trips(ctx context.Context, v domain.Viewer, f TripFilter) ([]*Trip, error) {
	f.Page = PageReq{All: true}
	ts, _, err := db.TripPage(ctx, v, f)
	return ts, err
}

// TripPage lists a page of the trips v may see that f finds, with their
// travellers, and how many it finds.
func (db *DB) TripPage(ctx context.Context, v domain.Viewer, f TripFilter) ([]*Trip, PageInfo, error) {
	scope, args, err := tripScope(v)
	if err != nil {
		return nil, PageInfo{}, err
	}
	where := []string{scope}
	switch f.Status {
	case "":
	case "overdue":
		where = append(where, "t.status IN ('planned', 'returned') AND t.report_due < ? AND t.out_of_jurisdiction")
		args = append(args, db.today().String())
	default:
		where = append(where, tripStatus+" = ?")
		args = append(args, f.Status)
	}
	if f.CourtPath != "" {
		where = append(where, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'")
		args = append(args, likePrefix(f.CourtPath))
	}
	if f.Departed != (overview.Period{}) {
		where = append(where, "t.out_of_jurisdiction AND (t.status <> 'cancelled' OR t.not_taken) AND t.depart_at >= ? AND t.depart_at < ?")
		args = append(args, beijingMidnight(f.Departed.From).UTC(), beijingMidnight(f.Departed.To.AddDays(1)).UTC())
	}
	out, info, err := listPage(ctx, db, scanTrip, tripColumns, tripFrom, strings.Join(where, " AND "), args, f.Page, TripSorts, "trips")
	if err != nil {
		return nil, info, err
	}
	if err := fillTravellers(ctx, db, out); err != nil {
		return nil, info, fmt.Errorf("listing trips: %w", err)
	}
	return out, info, nil
}

// TripByID returns a trip v may see, with its cases, travellers and the
// reports v may read: all of them, or a traveller's own.
func (db *DB) TripByID(ctx context.Context, v domain.Viewer, id int64) (*Trip, []*TripReport, error) {
	return tripByID(ctx, db, v, id)
}

// tripByID is TripByID read through q: the reading pool, or a changing
// transaction.
func tripByID(ctx context.Context, q querier, v domain.Viewer, id int64) (*Trip, []*TripReport, error) {
	t, err := tripRow(ctx, q, v, id)
	if err != nil {
		return nil, nil, err
	}
	t.Cases, err = collect(ctx, q, func(row scanner) (c TripCase, err error) {
		err = row.Scan(&c.ID, &c.Number)
		return c, err
	}, "SELECT k.id, k.number FROM trip_cases tc JOIN cases k ON k.id = tc.case_id WHERE tc.trip_id = ? ORDER BY k.number", id)
	if err != nil {
		return nil, nil, err
	}
	t.Destinations, err = collect(ctx, q, func(row scanner) (d trip.Destination, err error) {
		err = row.Scan(&d.Code, &d.Name, &d.Out)
		return d, err
	}, "SELECT division, name, out_of_jurisdiction FROM trip_destinations WHERE trip_id = ? ORDER BY position", id)
	if err != nil {
		return nil, nil, err
	}
	if t.Travellers, err = travellersOf(ctx, q, id); err != nil {
		return nil, nil, err
	}
	// A traveller sees his own reports only: each reports for himself,
	// and what a fellow traveller declared is his leader's to read.
	if !v.System && t.Travels(v.UserID) {
		reports, err := readReports(ctx, q, "r.trip_id = ? AND r.officer_id = ?", id, v.UserID)
		return t, reports, err
	}
	reports, err := readReports(ctx, q, "r.trip_id = ?", id)
	return t, reports, err
}

// tripRow reads a trip v may see, without its cases and reports, through
// q; a trip v may not see is not found.
func tripRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*Trip, error) {
	scope, args, err := tripScope(v)
	if err != nil {
		return nil, err
	}
	t, err := scanTrip(q.queryRow(ctx, "SELECT "+tripColumns+tripFrom+" WHERE t.id = ? AND "+scope, append([]any{id}, args...)...))
	if err := translate(err); err != nil {
		return nil, err
	}
	return t, nil
}

const reportColumns = `r.id, r.kind, COALESCE(r.trip_id, 0), COALESCE(r.case_id, 0), COALESCE(k.number, ''), COALESCE(r.supplements, 0), r.officer_id, u.name,
	r.answers, r.any_yes, r.fulfilled, r.period_from, r.period_to, r.explanation, r.signer_id, r.signer, r.signed_at, r.content_hash, r.late, r.case_accounts`

// readReports reads the trip reports that match cond through q.
func readReports(ctx context.Context, q querier, cond string, args ...any) ([]*TripReport, error) {
	out, err := collect(ctx, q, func(row scanner) (*TripReport, error) {
		var r TripReport
		var answers, accounts string
		var fulfilled sql.NullBool
		if err := row.Scan(&r.ID, &r.Kind, &r.TripID, &r.CaseID, &r.CaseNumber, &r.Supplements, &r.OfficerID, &r.Officer, &answers, &r.AnyYes,
			&fulfilled, &r.PeriodFrom, &r.PeriodTo, &r.Explanation, &r.Signature.SignerID, &r.Signature.Signer, &r.Signature.At,
			&r.Signature.Hash, &r.Late, &accounts); err != nil {
			return nil, err
		}
		r.Signature.At = r.Signature.At.UTC()
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return nil, fmt.Errorf("report %d answers: %w", r.ID, err)
		}
		if accounts != "" {
			if err := json.Unmarshal([]byte(accounts), &r.Accounts); err != nil {
				return nil, fmt.Errorf("report %d case accounts: %w", r.ID, err)
			}
		}
		if fulfilled.Valid {
			r.Fulfilled = &fulfilled.Bool
		}
		r.Intact = r.Signature.Verify(reportContent(r.Kind, r.TripID, r.CaseID, r.Supplements, r.Answers, r.Fulfilled, r.PeriodFrom, r.PeriodTo, r.Explanation, r.Accounts))
		return &r, nil
	}, "SELECT "+reportColumns+` FROM trip_reports r JOIN users u ON u.id = r.officer_id LEFT JOIN cases k ON k.id = r.case_id
		WHERE `+cond+" ORDER BY r.id", args...)
	if err != nil {
		return nil, fmt.Errorf("reading reports: %w", err)
	}
	return out, nil
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/courts"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/trip"
)

// Trip statuses.
const (
	TripPlanned   = "planned"
	TripReturned  = "returned"
	TripReported  = "reported"
	TripCancelled = "cancelled"
)

// TripStatusLabels name the statuses for people.
var TripStatusLabels = map[string]string{TripPlanned: "待出发/执行中", TripReturned: "已返回，待报告", TripReported: "已报告", TripCancelled: "已取消"}

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
	Destination       string
	DestinationName   string
	OutOfJurisdiction bool
	DepartAt          time.Time
	ReturnAt          time.Time
	Task              string
	ReturnedOn        string // YYYY-MM-DD once recorded
	ReportDue         string
	EscalateOn        string
	Requirement       *Requirement
	Status            string
	Cases             []TripCase
	CreatedAt         time.Time
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
	// Intact is false when the stored content no longer matches its
	// signature.
	Intact bool
}

// reportContent is what a report's signature covers.
func reportContent(kind string, tripID, caseID, supplements int64, answers trip.Answers, fulfilled *bool, from, to, explanation string) any {
	return struct {
		Kind        string       `json:"kind"`
		TripID      int64        `json:"trip_id"`
		CaseID      int64        `json:"case_id"`
		Supplements int64        `json:"supplements"`
		Answers     trip.Answers `json:"answers"`
		Fulfilled   *bool        `json:"fulfilled"`
		From        string       `json:"from"`
		To          string       `json:"to"`
		Explanation string       `json:"explanation"`
	}{kind, tripID, caseID, supplements, answers, fulfilled, from, to, explanation}
}

var divisionNames = sync.OnceValues(func() (map[string]string, error) {
	ds, err := courts.Divisions()
	if err != nil {
		return nil, err
	}
	byCode := map[string]courts.Division{}
	for _, d := range ds {
		byCode[d.Code] = d
	}
	names := map[string]string{}
	for _, d := range ds {
		name := d.Name
		for p := byCode[d.Parent]; p.Code != ""; p = byCode[p.Parent] {
			name = p.Name + name
		}
		names[d.Code] = name
	}
	return names, nil
})

// DivisionName is the full name of a GB/T 2260 code (山东省济南市历下区),
// or "" if there is none.
func DivisionName(code string) string {
	names, err := divisionNames()
	if err != nil {
		return ""
	}
	return names[code]
}

// tripRules are the mechanism's deadlines.
func (db *DB) tripRules() trip.Rules {
	if db.TripRules == (trip.Rules{}) {
		return trip.DefaultRules()
	}
	return db.TripRules
}

// tripScope limits trips to what v may see: their own; as department
// head, the department's; as bureau or watchdog, the court subtree's.
func tripScope(v domain.Viewer) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	if !v.HasAny(domain.RoleOfficer, domain.RoleDeptHead, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) || v.CourtPath == "" {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看外出执行报告。")
	}
	conds := []string{"t.officer_id = ?"}
	args := []any{v.UserID}
	if v.Has(domain.RoleDeptHead) && v.DepartmentID != 0 {
		conds = append(conds, "(t.court_id = ? AND t.department_id = ?)")
		args = append(args, v.CourtID, v.DepartmentID)
	}
	if v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) {
		conds = append(conds, "t.court_id IN (SELECT id FROM courts WHERE path LIKE ? ESCAPE '\\')")
		args = append(args, likePrefix(v.CourtPath))
	}
	return "(" + strings.Join(conds, " OR ") + ")", args, nil
}

// NewTrip is what an officer registers before departure.
type NewTrip struct {
	CaseNumbers []string // normalised
	Companions  string
	Destination string // GB/T 2260 code
	DepartAt    time.Time
	ReturnAt    time.Time
	Task        string
}

// CreateTrip registers a trip of v's, in v's court and department, and
// decides from the court's jurisdiction whether it must be reported.
func (db *DB) CreateTrip(ctx context.Context, v domain.Viewer, nt NewTrip) (*Trip, error) {
	if !v.HasAny(domain.RoleOfficer, domain.RoleDeptHead, domain.RoleBureau) || v.CourtID == 0 {
		return nil, domain.Errorf(domain.ErrForbidden, "只有执行人员可以登记外出执行。")
	}
	bad := domain.FieldErrors{}
	if len(nt.CaseNumbers) == 0 {
		bad.Add("cases", "请填写外出执行的案件案号")
	}
	name := DivisionName(nt.Destination)
	if name == "" {
		bad.Add("destination", "请从列表中选择目的地（县级行政区划）")
	}
	if nt.DepartAt.IsZero() {
		bad.Add("depart_at", "请填写出发时间")
	}
	if nt.ReturnAt.IsZero() {
		bad.Add("return_at", "请填写预计返回时间")
	} else if !nt.DepartAt.IsZero() && !nt.ReturnAt.After(nt.DepartAt) {
		bad.Add("return_at", "返回时间应晚于出发时间")
	}
	nt.Task = strings.TrimSpace(nt.Task)
	if nt.Task == "" || utf8.RuneCountInString(nt.Task) > 500 {
		bad.Add("task", "请填写执行的任务（不超过500字）")
	}
	nt.Companions = strings.TrimSpace(nt.Companions)
	if utf8.RuneCountInString(nt.Companions) > 200 {
		bad.Add("companions", "同行人员不超过200字")
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	var id int64
	err := db.Update(ctx, v, func(tx *Tx) error {
		var divs string
		if err := tx.queryRow(ctx, "SELECT divisions FROM courts WHERE id = ?", v.CourtID).Scan(&divs); err != nil {
			return translate(err)
		}
		var caseIDs []int64
		for _, no := range nt.CaseNumbers {
			var cid int64
			err := tx.queryRow(ctx, "SELECT id FROM cases WHERE number = ? AND court_id = ?", no, v.CourtID).Scan(&cid)
			if errors.Is(translate(err), domain.ErrNotFound) {
				return domain.Invalid("cases", "本院没有案件 "+no)
			} else if err != nil {
				return err
			}
			caseIDs = append(caseIDs, cid)
		}
		out := trip.OutOfJurisdiction(splitDivisions(divs), nt.Destination)
		due, esc := db.tripRules().Due(db.limits().Calendar, domain.DateOf(nt.ReturnAt, domain.Beijing))
		now := tx.db.now()
		err := tx.queryRow(ctx, `INSERT INTO trips (court_id, department_id, officer_id, companions, destination, destination_name, out_of_jurisdiction,
			depart_at, return_at, task, report_due, escalate_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			v.CourtID, nullID(v.DepartmentID), v.UserID, nt.Companions, nt.Destination, name, out, nt.DepartAt.UTC(), nt.ReturnAt.UTC(), nt.Task,
			due.String(), esc.String(), now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("registering a trip: %w", err)
		}
		for _, cid := range caseIDs {
			if _, err := tx.exec(ctx, "INSERT INTO trip_cases (trip_id, case_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, cid); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, Entry{Action: "trip.create", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true,
			Detail: fmt.Sprintf("%s，%s", name, strings.Join(nt.CaseNumbers, "、"))})
	})
	if err != nil {
		return nil, err
	}
	t, _, err := db.TripByID(ctx, v, id)
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

const tripColumns = `t.id, t.court_id, c.name, COALESCE(t.department_id, 0), COALESCE(d.name, ''), t.officer_id, u.name, t.companions, t.destination,
	t.destination_name, t.out_of_jurisdiction, t.depart_at, t.return_at, t.task, COALESCE(t.returned_on, ''), t.report_due, t.escalate_on,
	t.req_given, t.req_content, t.req_leader, COALESCE(rb.name, ''), t.req_at, t.status, t.created_at`

const tripFrom = ` FROM trips t JOIN courts c ON c.id = t.court_id LEFT JOIN departments d ON d.id = t.department_id
	JOIN users u ON u.id = t.officer_id LEFT JOIN users rb ON rb.id = t.req_by`

func scanTrip(sc interface{ Scan(...any) error }) (*Trip, error) {
	var t Trip
	var given sql.NullBool
	var reqAt sql.NullTime
	var content, leader, by string
	if err := sc.Scan(&t.ID, &t.CourtID, &t.CourtName, &t.DepartmentID, &t.Department, &t.OfficerID, &t.Officer, &t.Companions, &t.Destination,
		&t.DestinationName, &t.OutOfJurisdiction, &t.DepartAt, &t.ReturnAt, &t.Task, &t.ReturnedOn, &t.ReportDue, &t.EscalateOn,
		&given, &content, &leader, &by, &reqAt, &t.Status, &t.CreatedAt); err != nil {
		return nil, err
	}
	if given.Valid {
		t.Requirement = &Requirement{Given: given.Bool, Content: content, Leader: leader, By: by, At: timeOf(reqAt)}
		t.Requirement.Late = t.Requirement.At.After(t.DepartAt)
	}
	return &t, nil
}

// TripFilter narrows a trip listing.
type TripFilter struct {
	Status string // a status, "overdue" or "" for all
	Limit  int
}

// Trips lists the trips v may see, newest departure first.
func (db *DB) Trips(ctx context.Context, v domain.Viewer, f TripFilter) ([]*Trip, error) {
	scope, args, err := tripScope(v)
	if err != nil {
		return nil, err
	}
	where := []string{scope}
	switch f.Status {
	case "":
	case "overdue":
		where = append(where, "t.status IN ('planned', 'returned') AND t.report_due < ? AND t.out_of_jurisdiction")
		args = append(args, db.today().String())
	default:
		where = append(where, "t.status = ?")
		args = append(args, f.Status)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := db.query(ctx, "SELECT "+tripColumns+tripFrom+" WHERE "+strings.Join(where, " AND ")+" ORDER BY t.depart_at DESC, t.id DESC LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("listing trips: %w", err)
	}
	defer rows.Close()
	var out []*Trip
	for rows.Next() {
		t, err := scanTrip(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, translate(rows.Err())
}

// TripByID returns a trip v may see, with its cases and reports.
func (db *DB) TripByID(ctx context.Context, v domain.Viewer, id int64) (*Trip, []*TripReport, error) {
	scope, args, err := tripScope(v)
	if err != nil {
		return nil, nil, err
	}
	t, err := scanTrip(db.queryRow(ctx, "SELECT "+tripColumns+tripFrom+" WHERE t.id = ? AND "+scope, append([]any{id}, args...)...))
	if err := translate(err); err != nil {
		return nil, nil, err
	}
	rows, err := db.query(ctx, "SELECT k.id, k.number FROM trip_cases tc JOIN cases k ON k.id = tc.case_id WHERE tc.trip_id = ? ORDER BY k.number", id)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var c TripCase
		if err := rows.Scan(&c.ID, &c.Number); err != nil {
			rows.Close()
			return nil, nil, err
		}
		t.Cases = append(t.Cases, c)
	}
	rows.Close()
	reports, err := db.reports(ctx, "r.trip_id = ?", id)
	return t, reports, err
}

const reportColumns = `r.id, r.kind, COALESCE(r.trip_id, 0), COALESCE(r.case_id, 0), COALESCE(k.number, ''), COALESCE(r.supplements, 0), r.officer_id, u.name,
	r.answers, r.any_yes, r.fulfilled, r.period_from, r.period_to, r.explanation, r.signer_id, r.signer, r.signed_at, r.content_hash, r.late`

func (db *DB) reports(ctx context.Context, cond string, args ...any) ([]*TripReport, error) {
	rows, err := db.query(ctx, "SELECT "+reportColumns+` FROM trip_reports r JOIN users u ON u.id = r.officer_id LEFT JOIN cases k ON k.id = r.case_id
		WHERE `+cond+" ORDER BY r.id", args...)
	if err != nil {
		return nil, fmt.Errorf("reading reports: %w", err)
	}
	defer rows.Close()
	var out []*TripReport
	for rows.Next() {
		var r TripReport
		var answers string
		var fulfilled sql.NullBool
		if err := rows.Scan(&r.ID, &r.Kind, &r.TripID, &r.CaseID, &r.CaseNumber, &r.Supplements, &r.OfficerID, &r.Officer, &answers, &r.AnyYes,
			&fulfilled, &r.PeriodFrom, &r.PeriodTo, &r.Explanation, &r.Signature.SignerID, &r.Signature.Signer, &r.Signature.At,
			&r.Signature.Hash, &r.Late); err != nil {
			return nil, err
		}
		r.Signature.At = r.Signature.At.UTC()
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return nil, fmt.Errorf("report %d answers: %w", r.ID, err)
		}
		if fulfilled.Valid {
			r.Fulfilled = &fulfilled.Bool
		}
		r.Intact = r.Signature.Verify(reportContent(r.Kind, r.TripID, r.CaseID, r.Supplements, r.Answers, r.Fulfilled, r.PeriodFrom, r.PeriodTo, r.Explanation))
		out = append(out, &r)
	}
	return out, translate(rows.Err())
}

// RecordRequirement records the department head's requirements for a
// trip of the head's department. It is recorded once; one recorded after
// departure is kept, shown and counted as missing.
func (db *DB) RecordRequirement(ctx context.Context, v domain.Viewer, id int64, given bool, content, leader string) error {
	if !v.Has(domain.RoleDeptHead) {
		return domain.Errorf(domain.ErrForbidden, "纪律要求由所在部门负责人提出。")
	}
	content, leader = strings.TrimSpace(content), strings.TrimSpace(leader)
	if given && content == "" {
		return domain.Invalid("content", "请填写办案注意事项和纪律作风要求")
	}
	if utf8.RuneCountInString(content) > 1000 || utf8.RuneCountInString(leader) > 50 {
		return domain.Invalid("content", "内容过长")
	}
	if leader == "" {
		leader = v.Name
	}
	return db.Update(ctx, v, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE trips SET req_given = ?, req_content = ?, req_leader = ?, req_by = ?, req_at = ?, updated_at = ?
			WHERE id = ? AND court_id = ? AND department_id = ? AND req_given IS NULL AND status <> 'cancelled' AND officer_id <> ?`,
			given, content, leader, v.UserID, tx.db.now(), tx.db.now(), id, v.CourtID, v.DepartmentID, v.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ErrConflict, "该外出已登记过纪律要求，或不属于您所在部门。")
		}
		return tx.Audit(ctx, Entry{Action: "trip.requirement", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true, Detail: content})
	})
}

// TripReportInput is a 附件1 as the officer fills it in.
type TripReportInput struct {
	ReturnedOn  domain.Date
	Answers     trip.Answers
	Explanation string
	// Attested is the officer's assent to 以上情况真实准确，如有不实，本人愿
	// 承担一切责任; Supplements names the report this one corrects.
	Attested    bool
	Supplements int64
}

// FileTripReport files 附件1 for a trip of v's, signed by v. A report
// answering 有 opens a review for the department head and the watchdogs.
func (db *DB) FileTripReport(ctx context.Context, v domain.Viewer, id int64, in TripReportInput) (int64, error) {
	if err := in.Answers.Validate(); err != nil {
		return 0, err
	}
	if !in.Attested {
		return 0, domain.Invalid("attest", "请确认“"+trip.Annex1Attestation+"”后签名提交")
	}
	in.Explanation = strings.TrimSpace(in.Explanation)
	if utf8.RuneCountInString(in.Explanation) > 2000 {
		return 0, domain.Invalid("explanation", "说明事项不超过2000字")
	}
	today := db.today()
	if in.ReturnedOn.IsZero() || in.ReturnedOn.After(today) {
		return 0, domain.Invalid("returned_on", "请填写实际返回日期（不晚于今天）")
	}
	var reportID int64
	err := db.Update(ctx, v, func(tx *Tx) error {
		var t struct {
			officer, court, dept int64
			depart               time.Time
			status, due          string
		}
		err := tx.queryRow(ctx, "SELECT officer_id, court_id, COALESCE(department_id, 0), depart_at, status, report_due FROM trips WHERE id = ?", id).
			Scan(&t.officer, &t.court, &t.dept, &t.depart, &t.status, &t.due)
		if err := translate(err); err != nil {
			return err
		}
		if t.officer != v.UserID {
			return domain.Errorf(domain.ErrForbidden, "外出执行情况报告单由外出人员本人填写。")
		}
		if in.ReturnedOn.Before(domain.DateOf(t.depart, domain.Beijing)) {
			return domain.Invalid("returned_on", "返回日期不能早于出发日期")
		}
		if t.status == TripCancelled {
			return domain.Errorf(domain.ErrConflict, "该外出已取消。")
		}
		supplements := in.Supplements
		if supplements != 0 {
			var n int
			if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM trip_reports WHERE id = ? AND trip_id = ? AND kind = 'annex1'", supplements, id).Scan(&n); err != nil || n == 0 {
				return domain.Invalid("supplements", "补报应针对本次外出已提交的报告单")
			}
		} else if t.status == TripReported {
			return domain.Errorf(domain.ErrConflict, "报告单已提交，不能修改；如需更正请提交补报。")
		}
		due, esc := db.tripRules().Due(db.limits().Calendar, in.ReturnedOn)
		if supplements == 0 {
			if _, err := tx.exec(ctx, "UPDATE trips SET returned_on = ?, report_due = ?, escalate_on = ?, status = 'reported', updated_at = ? WHERE id = ?",
				in.ReturnedOn.String(), due.String(), esc.String(), tx.db.now(), id); err != nil {
				return err
			}
		}
		now := tx.db.now()
		sig, err := trip.Sign(reportContent("annex1", id, 0, supplements, in.Answers, nil, "", "", in.Explanation), v.UserID, v.Name, now)
		if err != nil {
			return err
		}
		answers, _ := json.Marshal(in.Answers)
		yes := in.Answers.Yes()
		late := supplements == 0 && today.After(due)
		err = tx.queryRow(ctx, `INSERT INTO trip_reports (kind, trip_id, supplements, officer_id, court_id, department_id, answers, any_yes, explanation,
			signer_id, signer, signed_at, content_hash, late) VALUES ('annex1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			id, nullID(supplements), v.UserID, t.court, nullID(t.dept), string(answers), len(yes) > 0, in.Explanation,
			sig.SignerID, sig.Signer, sig.At, sig.Hash, late).Scan(&reportID)
		if err != nil {
			return fmt.Errorf("filing a report: %w", translate(err))
		}
		if len(yes) > 0 {
			var words []string
			for _, code := range yes {
				words = append(words, strings.TrimRight(trip.ItemText(code), "；。"))
			}
			if err := tx.openReview(ctx, reportID, t.court, t.dept, v.UserID, "yes", strings.Join(words, "；")); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, Entry{Action: "trip.report", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true,
			Detail: fmt.Sprintf("附件1 #%d %s", reportID, sig.Hash[:16])})
	})
	return reportID, err
}

func (tx *Tx) openReview(ctx context.Context, reportID, court, dept, officer int64, reason, detail string) error {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO trip_reviews (report_id, court_id, department_id, officer_id, reason, detail, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		reportID, court, nullID(dept), officer, reason, detail, tx.db.now()).Scan(&id)
	if err != nil {
		return fmt.Errorf("opening a review: %w", err)
	}
	return tx.notifyLiaisons(ctx, id, court, reason)
}

// notifyLiaisons texts the 纪检监察组's and the 监察室's liaisons of the
// court who have a mobile on record that a review waits: the message
// names neither the officer nor the matter, only where to look.
func (tx *Tx) notifyLiaisons(ctx context.Context, reviewID, court int64, reason string) error {
	var courtName string
	if err := tx.queryRow(ctx, "SELECT name FROM courts WHERE id = ?", court).Scan(&courtName); err != nil {
		return translate(err)
	}
	rows, err := tx.query(ctx, `SELECT DISTINCT u.id, u.phone_sealed, u.phone_index FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.court_id = ? AND u.liaison AND NOT u.disabled AND u.phone_sealed <> '' AND ur.role IN ('discipline_group', 'supervision_office')`, court)
	if err != nil {
		return err
	}
	type to struct {
		id            int64
		sealed, index string
	}
	var tos []to
	for rows.Next() {
		var t to
		if err := rows.Scan(&t.id, &t.sealed, &t.index); err != nil {
			rows.Close()
			return err
		}
		tos = append(tos, t)
	}
	rows.Close()
	body := "【" + courtName + "】执廉提醒：有一份外出执行情况报告需要审查（" + ReviewReasons[reason] + "），请登录执廉系统查看待办。"
	for _, t := range tos {
		if _, err := tx.queueNotice(ctx, t.sealed, t.index, body, fmt.Sprintf("review:%d:%d", reviewID, t.id)); err != nil {
			return err
		}
	}
	return nil
}

// queueNotice puts a staff notice in the outbox once per key; it
// reports whether this call queued it.
func (tx *Tx) queueNotice(ctx context.Context, sealed, index, body, key string) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO sms_outbox (kind, phone_sealed, phone_index, body, idempotency_key, created_at) VALUES ('notice', ?, ?, ?, ?, ?)
		ON CONFLICT (idempotency_key) DO NOTHING`, sealed, index, body, key, tx.db.now())
	if err != nil {
		return false, fmt.Errorf("queueing a notice: %w", err)
	}
	k, _ := res.RowsAffected()
	return k == 1, nil
}

// QueueTripReminders texts, once a day, the officers whose 附件1 is late
// and, past the second deadline, their department heads — those with a
// mobile on record. It returns how many messages it queued.
func (db *DB) QueueTripReminders(ctx context.Context) (int, error) {
	today := db.today().String()
	n := 0
	err := db.Update(ctx, smsViewer, func(tx *Tx) error {
		n = 0
		rows, err := tx.query(ctx, `SELECT t.id, t.destination_name, t.report_due, t.escalate_on, c.name, t.court_id, COALESCE(t.department_id, 0),
			u.id, u.phone_sealed, u.phone_index FROM trips t JOIN courts c ON c.id = t.court_id JOIN users u ON u.id = t.officer_id
			WHERE t.status IN ('planned', 'returned') AND t.out_of_jurisdiction AND t.report_due < ? ORDER BY t.id`, today)
		if err != nil {
			return err
		}
		type late struct {
			id, court, dept, officer int64
			dest, due, esc, cname    string
			sealed, index            string
		}
		var ls []late
		for rows.Next() {
			var l late
			if err := rows.Scan(&l.id, &l.dest, &l.due, &l.esc, &l.cname, &l.court, &l.dept, &l.officer, &l.sealed, &l.index); err != nil {
				rows.Close()
				return err
			}
			ls = append(ls, l)
		}
		rows.Close()
		for _, l := range ls {
			if l.sealed != "" {
				body := "【" + l.cname + "】执廉提醒：您赴" + l.dest + "的外出执行情况报告单已于" + l.due + "到期未交，请尽快登录执廉系统填写。"
				queued, err := tx.queueNotice(ctx, l.sealed, l.index, body, fmt.Sprintf("trip:%d:remind:%s", l.id, today))
				if err != nil {
					return err
				}
				if queued {
					n++
				}
			}
			if l.esc >= today || l.dept == 0 {
				continue
			}
			hr, err := tx.query(ctx, `SELECT u.id, u.phone_sealed, u.phone_index FROM users u JOIN user_roles ur ON ur.user_id = u.id
				WHERE u.court_id = ? AND u.department_id = ? AND ur.role = 'dept_head' AND NOT u.disabled AND u.phone_sealed <> '' AND u.id <> ?`, l.court, l.dept, l.officer)
			if err != nil {
				return err
			}
			type head struct {
				id            int64
				sealed, index string
			}
			var hs []head
			for hr.Next() {
				var h head
				if err := hr.Scan(&h.id, &h.sealed, &h.index); err != nil {
					hr.Close()
					return err
				}
				hs = append(hs, h)
			}
			hr.Close()
			for _, h := range hs {
				body := "【" + l.cname + "】执廉提醒：本部门有外出执行情况报告单逾期未交（赴" + l.dest + "），请督促填写。"
				queued, err := tx.queueNotice(ctx, h.sealed, h.index, body, fmt.Sprintf("trip:%d:escalate:%s:%d", l.id, today, h.id))
				if err != nil {
					return err
				}
				if queued {
					n++
				}
			}
		}
		return nil
	})
	return n, err
}

// Annex2Input is a 附件2 as the officer fills it in.
type Annex2Input struct {
	Fulfilled   bool
	Explanation string
	Attested    bool
}

// FileAnnex2 files 附件2 for a closed case v handled, signed by v. 未做到
// opens a review as 有 does.
func (db *DB) FileAnnex2(ctx context.Context, v domain.Viewer, caseID int64, in Annex2Input) (int64, error) {
	if !in.Attested {
		return 0, domain.Invalid("attest", "请确认“"+trip.Annex2Attestation+"”后签名提交")
	}
	in.Explanation = strings.TrimSpace(in.Explanation)
	if !in.Fulfilled && in.Explanation == "" {
		return 0, domain.Invalid("explanation", "未做到的，请在说明事项中写明违反的事项")
	}
	if utf8.RuneCountInString(in.Explanation) > 2000 {
		return 0, domain.Invalid("explanation", "说明事项不超过2000字")
	}
	var id int64
	err := db.Update(ctx, v, func(tx *Tx) error {
		var court, dept, officer int64
		var filed string
		var closed sql.NullString
		err := tx.queryRow(ctx, "SELECT court_id, COALESCE(department_id, 0), COALESCE(officer_id, 0), filed_on, closed_on FROM cases WHERE id = ?", caseID).
			Scan(&court, &dept, &officer, &filed, &closed)
		if err := translate(err); err != nil {
			return err
		}
		if officer != v.UserID {
			return domain.Errorf(domain.ErrForbidden, "全程廉洁情况报告单由案件承办人填写。")
		}
		if !closed.Valid || closed.String == "" {
			return domain.Errorf(domain.ErrConflict, "案件尚未执结。")
		}
		fulfilled := in.Fulfilled
		now := tx.db.now()
		from, to := dateOnly(filed), dateOnly(closed.String)
		sig, err := trip.Sign(reportContent("annex2", 0, caseID, 0, trip.Answers{}, &fulfilled, from, to, in.Explanation), v.UserID, v.Name, now)
		if err != nil {
			return err
		}
		err = tx.queryRow(ctx, `INSERT INTO trip_reports (kind, case_id, officer_id, court_id, department_id, fulfilled, period_from, period_to, explanation,
			signer_id, signer, signed_at, content_hash) VALUES ('annex2', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			caseID, v.UserID, court, nullID(dept), fulfilled, from, to, in.Explanation, sig.SignerID, sig.Signer, sig.At, sig.Hash).Scan(&id)
		if errors.Is(translate(err), domain.ErrConflict) {
			return domain.Errorf(domain.ErrConflict, "该案件的全程廉洁情况报告单已提交。")
		} else if err != nil {
			return err
		}
		if !fulfilled {
			if err := tx.openReview(ctx, id, court, dept, v.UserID, "annex2", in.Explanation); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, Entry{Action: "trip.annex2", ObjectType: "case", ObjectID: fmt.Sprint(caseID), Success: true, Detail: fmt.Sprintf("附件2 #%d %s", id, sig.Hash[:16])})
	})
	return id, err
}

func dateOnly(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

// Annex2Reports returns the 附件2 filed for a case, for those who may see
// the case's officer's reports: the officer, and the trip scope's heads
// and watchdogs.
func (db *DB) Annex2Reports(ctx context.Context, v domain.Viewer, caseID int64) ([]*TripReport, error) {
	scope, args, err := tripScope(v)
	if err != nil {
		return nil, err
	}
	scope = strings.ReplaceAll(scope, "t.", "r.")
	return db.reports(ctx, "r.kind = 'annex2' AND r.case_id = ? AND "+scope, append([]any{caseID}, args...)...)
}

// CancelTrip cancels a trip of v's that has not been reported, with the
// reason; it is kept, marked cancelled, and owes nothing more.
func (db *DB) CancelTrip(ctx context.Context, v domain.Viewer, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 200 {
		return domain.Invalid("reason", "请填写取消原因（不超过200字）")
	}
	return db.Update(ctx, v, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE trips SET status = 'cancelled', updated_at = ? WHERE id = ? AND officer_id = ? AND status IN ('planned', 'returned')",
			tx.db.now(), id, v.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ErrConflict, "只能取消本人尚未报告的外出。")
		}
		return tx.Audit(ctx, Entry{Action: "trip.cancel", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true, Detail: reason})
	})
}

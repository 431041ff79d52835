package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/trip"
)

// RecordRequirement records the department head's requirements for a
// trip in a transaction of its own.
func (db *DB) RecordRequirement(ctx context.Context, v domain.Viewer, id int64, given bool, content, leader string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.RecordRequirement(ctx, id, given, content, leader) })
}

// RecordRequirement records, for tx's viewer as department head, the
// requirements for a trip of the head's department. It is recorded once;
// one recorded after departure is kept, shown and counted as missing.
func (tx *Tx) RecordRequirement(ctx context.Context, id int64, given bool, content, leader string) error {
	v := tx.v
	if err := tx.tripAllows(ctx, id, trip.Require); err != nil {
		return err
	}
	content, leader, err := trip.CheckRequirement(given, content, leader)
	if err != nil {
		return err
	}
	if leader == "" {
		leader = v.Name
	}
	s, err := tx.tripSubject(ctx, id)
	if err != nil {
		return err
	}
	if err := trip.Check(trip.Require, v, s); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE trips SET req_given = ?, req_content = ?, req_leader = ?, req_by = ?, req_at = ?, updated_at = ?
		WHERE id = ? AND req_given IS NULL`, given, content, leader, v.UserID, tx.db.now(), tx.db.now(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ErrConflict, "该外出已登记过纪律要求。")
	}
	return tx.Audit(ctx, Entry{Action: "trip.requirement", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true, Detail: content})
}

// TripAllows says whether v may do a to trip id now (trip.Check): a trip
// v may not see is not found. Pages ask it before reading a form.
func (db *DB) TripAllows(ctx context.Context, v domain.Viewer, id int64, a trip.Action) error {
	return tripAllows(ctx, db, v, id, a, db.now())
}

// tripAllows is TripAllows inside a changing transaction, for its viewer:
// the check of a write, made where the write is.
func (tx *Tx) tripAllows(ctx context.Context, id int64, a trip.Action) error {
	return tripAllows(ctx, tx, tx.v, id, a, tx.db.now())
}

// tripAllows is TripAllows read through q at now.
func tripAllows(ctx context.Context, q querier, v domain.Viewer, id int64, a trip.Action, now time.Time) error {
	t, err := tripRow(ctx, q, v, id)
	if err != nil {
		return err
	}
	if t.Travellers, err = travellersOf(ctx, q, id); err != nil {
		return err
	}
	return trip.Check(a, v, t.Subject(now))
}

// Subject is what trip.Check needs of the trip, read with its
// travellers, at now.
func (t *Trip) Subject(now time.Time) trip.Subject {
	return trip.Subject{OfficerID: t.OfficerID, Travellers: travellerIDs(t.Travellers), CourtID: t.CourtID, DepartmentID: t.DepartmentID, Status: t.Status,
		RequirementRecorded: t.Requirement != nil, Departed: !now.Before(t.DepartAt), LeaderRole: t.LeaderRole,
		AnyReported: slices.ContainsFunc(t.Travellers, func(x Traveller) bool { return x.Reported })}
}

// tripSubject reads what trip.Check needs inside a changing transaction.
func (tx *Tx) tripSubject(ctx context.Context, id int64) (trip.Subject, error) {
	var s trip.Subject
	var given sql.NullBool
	var depart time.Time
	var role string
	err := tx.queryRow(ctx, "SELECT officer_id, court_id, COALESCE(department_id, 0), "+tripStatus+", req_given, depart_at, leader_role FROM trips t WHERE id = ?", id).
		Scan(&s.OfficerID, &s.CourtID, &s.DepartmentID, &s.Status, &given, &depart, &role)
	if err != nil {
		return s, fmt.Errorf("loading trip %d: %w", id, translate(err))
	}
	s.RequirementRecorded, s.Departed, s.LeaderRole = given.Valid, !tx.db.now().Before(depart), domain.Role(role)
	ts, err := travellersOf(ctx, tx, id)
	if err != nil {
		return s, err
	}
	s.Travellers = travellerIDs(ts)
	s.AnyReported = slices.ContainsFunc(ts, func(x Traveller) bool { return x.Reported })
	return s, nil
}

// FileTripReport files 附件1 for a trip of v's in a transaction of its
// own, and returns the report's id.
func (db *DB) FileTripReport(ctx context.Context, v domain.Viewer, id int64, in trip.Annex1Input, rules trip.Rules) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.FileTripReport(ctx, id, in, rules) })
}

// FileTripReport files 附件1 for a trip tx's viewer went on, signed by
// him, and returns the report's id: every traveller files his own, once,
// and may supplement it. A traveller's report is due by rules from his
// actual return, and late after it; the first report counts the trip's
// due date again from that return, and the trip is reported once every
// traveller has filed. A report answering 有 opens a review for the
// trip's leader and the watchdogs.
func (tx *Tx) FileTripReport(ctx context.Context, id int64, in trip.Annex1Input, rules trip.Rules) (int64, error) {
	v := tx.v
	if err := tx.tripAllows(ctx, id, trip.Report); err != nil {
		return 0, err
	}
	today := tx.db.today()
	if err := in.Validate(today); err != nil {
		return 0, err
	}
	var t struct {
		court, dept int64
		depart      time.Time
		returned    sql.NullString
		leader      string
	}
	err := tx.queryRow(ctx, "SELECT court_id, COALESCE(department_id, 0), depart_at, returned_on, leader_role FROM trips t WHERE id = ?", id).
		Scan(&t.court, &t.dept, &t.depart, &t.returned, &t.leader)
	if err := translate(err); err != nil {
		return 0, err
	}
	s, err := tx.tripSubject(ctx, id)
	if err != nil {
		return 0, err
	}
	if err := trip.Check(trip.Report, v, s); err != nil {
		return 0, err
	}
	if in.ReturnedOn.Before(domain.DateOf(t.depart, domain.Beijing)) {
		return 0, domain.Invalid("returned_on", "返回日期不能早于出发日期")
	}
	var own int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM trip_reports WHERE trip_id = ? AND officer_id = ? AND kind = 'annex1' AND supplements IS NULL", id, v.UserID).
		Scan(&own); err != nil {
		return 0, err
	}
	supplements := in.Supplements
	if supplements != 0 {
		// A traveller supplements his own report, never another's.
		var n int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM trip_reports WHERE id = ? AND trip_id = ? AND officer_id = ? AND kind = 'annex1'", supplements, id, v.UserID).
			Scan(&n); err != nil || n == 0 {
			return 0, domain.Invalid("supplements", "补报应针对本人本次外出已提交的报告单")
		}
	} else if own > 0 {
		return 0, domain.Errorf(domain.ErrConflict, "您的报告单已提交，不能修改；如需更正请提交补报。")
	}
	cases, err := collect(ctx, tx, func(row scanner) (c trip.Case, err error) {
		err = row.Scan(&c.ID, &c.Number)
		return c, err
	}, "SELECT k.id, k.number FROM trip_cases tc JOIN cases k ON k.id = tc.case_id WHERE tc.trip_id = ? ORDER BY k.number", id)
	if err != nil {
		return 0, fmt.Errorf("loading the trip's cases: %w", err)
	}
	accounts, err := in.Accounts(cases)
	if err != nil {
		return 0, err
	}
	var accountsJSON string
	if len(accounts) > 0 {
		b, _ := json.Marshal(accounts)
		accountsJSON = string(b)
	}
	due, esc := rules.Due(tx.db.limits().Calendar, in.ReturnedOn)
	if supplements == 0 {
		if _, err := tx.exec(ctx, "UPDATE trip_travellers SET returned_on = ? WHERE trip_id = ? AND user_id = ?", in.ReturnedOn.String(), id, v.UserID); err != nil {
			return 0, err
		}
		if !t.returned.Valid {
			if _, err := tx.exec(ctx, "UPDATE trips SET returned_on = ?, report_due = ?, escalate_on = ?, updated_at = ? WHERE id = ?",
				in.ReturnedOn.String(), due.String(), esc.String(), tx.db.now(), id); err != nil {
				return 0, err
			}
		}
	}
	now := tx.db.now()
	sig, err := trip.Sign(reportContent("annex1", id, 0, supplements, in.Answers, nil, "", "", in.Explanation, accounts), v.UserID, v.Name, now)
	if err != nil {
		return 0, err
	}
	answers, _ := json.Marshal(in.Answers)
	yes := in.Answers.Yes()
	late := supplements == 0 && today.After(due)
	var reportID int64
	err = tx.queryRow(ctx, `INSERT INTO trip_reports (kind, trip_id, supplements, officer_id, court_id, department_id, answers, any_yes, explanation,
		signer_id, signer, signed_at, content_hash, late, case_accounts) VALUES ('annex1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		id, nullID(supplements), v.UserID, t.court, nullID(t.dept), string(answers), len(yes) > 0, in.Explanation,
		sig.SignerID, sig.Signer, sig.At, sig.Hash, late, accountsJSON).Scan(&reportID)
	if errors.Is(translate(err), domain.ErrConflict) {
		return 0, domain.Errorf(domain.ErrConflict, "您的报告单已提交，不能修改；如需更正请提交补报。")
	} else if err != nil {
		return 0, fmt.Errorf("filing a report: %w", translate(err))
	}
	if supplements == 0 {
		// Reported once every traveller has filed.
		if _, err := tx.exec(ctx, `UPDATE trips SET status = 'reported', updated_at = ? WHERE id = ? AND status IN ('planned', 'returned')
			AND NOT EXISTS (SELECT 1 FROM trip_travellers tt WHERE tt.trip_id = trips.id AND NOT EXISTS (SELECT 1 FROM trip_reports r
			WHERE r.trip_id = tt.trip_id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL))`, tx.db.now(), id); err != nil {
			return 0, err
		}
	}
	if len(yes) > 0 {
		var words []string
		for _, code := range yes {
			words = append(words, strings.TrimRight(trip.ItemText(code), "；。"))
		}
		if err := tx.openReview(ctx, reportID, id, t.court, t.dept, v.UserID, t.leader, "yes", strings.Join(words, "；")); err != nil {
			return 0, err
		}
	}
	return reportID, tx.Audit(ctx, Entry{Action: "trip.report", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true,
		Detail: fmt.Sprintf("附件1 #%d %s", reportID, sig.Hash[:16])})
}

// openReview opens a review of report reportID (of trip tripID, or 0 for
// 附件2), handled by handler (the trip's leader role), and tells the
// watchdogs' liaisons.
func (tx *Tx) openReview(ctx context.Context, reportID, tripID, court, dept, officer int64, handler, reason, detail string) error {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO trip_reviews (report_id, trip_id, court_id, department_id, officer_id, handler_role, reason, detail, opened_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		reportID, nullID(tripID), court, nullID(dept), officer, handler, reason, detail, tx.db.now()).Scan(&id)
	if err != nil {
		return fmt.Errorf("opening a review: %w", err)
	}
	return tx.notifyLiaisons(ctx, id, court, officer, reason)
}

// notifyLiaisons tells the 纪检监察组's and the 监察室's liaisons of the
// court that a review waits: a message in their message centre and, as
// the administrator has it, a text to those with a mobile on record. It
// names neither the officer nor the matter, only where to look; the
// officer whose report it is never hears of it, even as a liaison.
func (tx *Tx) notifyLiaisons(ctx context.Context, reviewID, court, officer int64, reason string) error {
	to, err := tx.reviewRecipients(ctx, court)
	if err != nil {
		return err
	}
	to = slices.DeleteFunc(to, func(id int64) bool { return id == officer })
	return tx.Notify(ctx, to, oversight.Notice{Kind: oversight.NoticeTripReview, CourtID: court,
		Title:       "有一份外出执行情况报告需要审查（" + trip.ReviewReasons[reason] + "）",
		Link:        fmt.Sprintf("/trip-reviews/%d", reviewID),
		SMSTemplate: trip.TemplateReview, SMSVars: map[string]string{trip.VarReason: trip.ReviewReasons[reason]}, Key: fmt.Sprintf("review:%d", reviewID)})
}

// reviewRecipients are who hears of a trip review at court: the watchdogs'
// liaisons there (the court's posts).
func (tx *Tx) reviewRecipients(ctx context.Context, court int64) ([]int64, error) {
	return postHolders(ctx, tx, court, oversight.PostDisciplineLiaison, oversight.PostSupervisionLiaison)
}

// userPhone is a staff member's sealed mobile and its index.
type userPhone struct {
	id            int64
	sealed, index string
}

func scanPhone(row scanner) (p userPhone, err error) {
	err = row.Scan(&p.id, &p.sealed, &p.index)
	return p, err
}

// queueNotice puts a staff notice in the outbox once per key; it
// reports whether this call queued it.
func (tx *Tx) queueNotice(ctx context.Context, sealed, index string, msg renderedSMS, key string) (bool, error) {
	queued, err := tx.queueOut(ctx, outMessage{kind: "notice", sealed: sealed, index: index, key: key, sms: msg}, true)
	if err != nil {
		return false, fmt.Errorf("queueing a notice: %w", err)
	}
	return queued, nil
}

// QueueTripReminders queues the day's trip reminders in a transaction of
// its own, for the SMS sender, and returns how many it queued.
func (db *DB) QueueTripReminders(ctx context.Context) (int, error) {
	return inTx(ctx, db, smsViewer, func(tx *Tx) (int, error) { return tx.QueueTripReminders(ctx) })
}

// QueueTripReminders texts, once a day, every traveller whose own 附件1
// is late and, past the second deadline, the trip's leader (the
// department heads, or the leadership) once per trip, never one who went
// on it — those with a mobile on record. It is the daily job's, run for the system; it returns
// how many messages it queued.
func (tx *Tx) QueueTripReminders(ctx context.Context) (int, error) {
	today := tx.db.today().String()
	n := 0
	type late struct {
		id, court, dept, officer int64
		dest, due, esc, cname    string
		leader                   string
		sealed, index            string
	}
	ls, err := collect(ctx, tx, func(row scanner) (l late, err error) {
		err = row.Scan(&l.id, &l.dest, &l.due, &l.esc, &l.cname, &l.court, &l.dept, &l.leader, &l.officer, &l.sealed, &l.index)
		return l, err
	}, `SELECT t.id, t.destination_name, t.report_due, t.escalate_on, c.name, t.court_id, COALESCE(t.department_id, 0), t.leader_role,
		u.id, u.phone_sealed, u.phone_index FROM trips t JOIN courts c ON c.id = t.court_id JOIN trip_travellers tt ON tt.trip_id = t.id
		JOIN users u ON u.id = tt.user_id
		WHERE t.status IN ('planned', 'returned') AND t.out_of_jurisdiction AND t.report_due < ?
		AND NOT EXISTS (SELECT 1 FROM trip_reports r WHERE r.trip_id = t.id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL)
		ORDER BY t.id, u.id`, today)
	if err != nil {
		return 0, err
	}
	escalated := map[int64]bool{}
	for _, l := range ls {
		if l.sealed != "" {
			msg, err := tx.renderSMS(ctx, l.court, trip.TemplateLate, map[string]string{trip.VarDest: l.dest, trip.VarDue: l.due})
			if err != nil {
				return 0, err
			}
			queued, err := tx.queueNotice(ctx, l.sealed, l.index, msg, fmt.Sprintf("trip:%d:remind:%s:%d", l.id, today, l.officer))
			if err != nil {
				return 0, err
			}
			if queued {
				n++
			}
		}
		headed := l.leader == string(domain.RoleDeptHead)
		if l.esc >= today || (headed && l.dept == 0) || escalated[l.id] {
			continue
		}
		escalated[l.id] = true
		// The trip's leader: the department's heads, or for a head's own
		// trip the leadership of the court.
		hs, err := collect(ctx, tx, scanPhone, `SELECT DISTINCT u.id, u.phone_sealed, u.phone_index FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.court_id = ? AND (u.department_id = ? OR NOT ?) AND ur.role = ? AND NOT u.disabled AND u.phone_sealed <> ''
			AND NOT EXISTS (SELECT 1 FROM trip_travellers tt WHERE tt.trip_id = ? AND tt.user_id = u.id)`,
			l.court, l.dept, headed, l.leader, l.id)
		if err != nil {
			return 0, err
		}
		msg, err := tx.renderSMS(ctx, l.court, trip.TemplateLateHead, map[string]string{trip.VarDest: l.dest})
		if err != nil {
			return 0, err
		}
		for _, h := range hs {
			queued, err := tx.queueNotice(ctx, h.sealed, h.index, msg, fmt.Sprintf("trip:%d:escalate:%s:%d", l.id, today, h.id))
			if err != nil {
				return 0, err
			}
			if queued {
				n++
			}
		}
	}
	return n, nil
}

// FileAnnex2 files 附件2 for a closed case v handled in a transaction of
// its own, and returns the report's id.
func (db *DB) FileAnnex2(ctx context.Context, v domain.Viewer, caseID int64, in trip.Annex2Input) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.FileAnnex2(ctx, caseID, in) })
}

// FileAnnex2 files 附件2 for a closed case that tx's viewer, the officer,
// handled, signed by the officer, and returns the report's id. 未做到
// opens a review as 有 does.
func (tx *Tx) FileAnnex2(ctx context.Context, caseID int64, in trip.Annex2Input) (int64, error) {
	v := tx.v
	if err := annex2Allows(ctx, tx, v, caseID); err != nil {
		return 0, err
	}
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var court, dept, officer int64
	var filed string
	var closed sql.NullString
	err := tx.queryRow(ctx, "SELECT court_id, COALESCE(department_id, 0), COALESCE(officer_id, 0), filed_on, closed_on FROM cases WHERE id = ?", caseID).
		Scan(&court, &dept, &officer, &filed, &closed)
	if err := translate(err); err != nil {
		return 0, err
	}
	if err := trip.CheckAnnex2(v, officer, closed.Valid && closed.String != ""); err != nil {
		return 0, err
	}
	fulfilled := in.Fulfilled
	now := tx.db.now()
	from, to := dateOnly(filed), dateOnly(closed.String)
	sig, err := trip.Sign(reportContent("annex2", 0, caseID, 0, trip.Answers{}, &fulfilled, from, to, in.Explanation, nil), v.UserID, v.Name, now)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.queryRow(ctx, `INSERT INTO trip_reports (kind, case_id, officer_id, court_id, department_id, fulfilled, period_from, period_to, explanation,
		signer_id, signer, signed_at, content_hash) VALUES ('annex2', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		caseID, v.UserID, court, nullID(dept), fulfilled, from, to, in.Explanation, sig.SignerID, sig.Signer, sig.At, sig.Hash).Scan(&id)
	if errors.Is(translate(err), domain.ErrConflict) {
		return 0, domain.Errorf(domain.ErrConflict, "该案件的全程廉洁情况报告单已提交。")
	} else if err != nil {
		return 0, err
	}
	if !fulfilled {
		if err := tx.openReview(ctx, id, 0, court, dept, v.UserID, string(domain.RoleDeptHead), "annex2", in.Explanation); err != nil {
			return 0, err
		}
	}
	return id, tx.Audit(ctx, Entry{Action: "trip.annex2", ObjectType: "case", ObjectID: fmt.Sprint(caseID), Success: true, Detail: fmt.Sprintf("附件2 #%d %s", id, sig.Hash[:16])})
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
	scope, args, err := scopeOf(v, "r", "r.officer_id = ?")
	if err != nil {
		return nil, err
	}
	return readReports(ctx, db, "r.kind = 'annex2' AND r.case_id = ? AND "+scope, append([]any{caseID}, args...)...)
}

// Annex2Allows says whether v may file 附件2 for a case now; a case v may
// not see is not found.
func (db *DB) Annex2Allows(ctx context.Context, v domain.Viewer, caseID int64) error {
	return annex2Allows(ctx, db, v, caseID)
}

// annex2Allows is Annex2Allows read through q.
func annex2Allows(ctx context.Context, q querier, v domain.Viewer, caseID int64) error {
	k, err := caseRow(ctx, q, v, "k.id = ?", caseID)
	if err != nil {
		return err
	}
	return trip.CheckAnnex2(v, k.OfficerID, !k.ClosedOn.IsZero())
}

// CancelTrip cancels a trip of v's in a transaction of its own.
func (db *DB) CancelTrip(ctx context.Context, v domain.Viewer, id int64, reason string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.CancelTrip(ctx, id, reason) })
}

// CancelTrip cancels a trip of tx's viewer, the officer, before its
// departure, with the reason; it is kept, marked cancelled, and owes
// nothing. After departure only the trip's leader marks it 未成行
// (MarkNotTaken).
func (tx *Tx) CancelTrip(ctx context.Context, id int64, reason string) error {
	v := tx.v
	if err := tx.tripAllows(ctx, id, trip.Cancel); err != nil {
		return err
	}
	reason, err := trip.CheckCancelReason(reason)
	if err != nil {
		return err
	}
	now := tx.db.now()
	res, err := tx.exec(ctx, `UPDATE trips SET status = 'cancelled', cancel_reason = ?, cancelled_by = ?, cancelled_at = ?, updated_at = ?
		WHERE id = ? AND officer_id = ? AND status = 'planned' AND depart_at > ?`, reason, actorName(v), now, now, id, v.UserID, now)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ErrConflict, "只能取消本人尚未出发的外出。")
	}
	return tx.Audit(ctx, Entry{Action: "trip.cancel", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true, Detail: reason})
}

// MarkNotTaken marks a trip 未成行 in a transaction of its own.
func (db *DB) MarkNotTaken(ctx context.Context, v domain.Viewer, id int64, reason string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.MarkNotTaken(ctx, id, reason) })
}

// MarkNotTaken records, for tx's viewer as the trip's leader, that a trip
// past its departure and not reported did not happen (未成行), with the
// reason. It owes no report from then on, but stays in the 一岗双责
// figures: marked after its report was due, it counts as not reported.
func (tx *Tx) MarkNotTaken(ctx context.Context, id int64, reason string) error {
	v := tx.v
	if err := tx.tripAllows(ctx, id, trip.NotTaken); err != nil {
		return err
	}
	reason, err := trip.CheckNotTakenReason(reason)
	if err != nil {
		return err
	}
	s, err := tx.tripSubject(ctx, id)
	if err != nil {
		return err
	}
	if err := trip.Check(trip.NotTaken, v, s); err != nil {
		return err
	}
	now, today := tx.db.now(), tx.db.today().String()
	res, err := tx.exec(ctx, `UPDATE trips SET status = 'cancelled', not_taken = TRUE, not_taken_late = (out_of_jurisdiction AND report_due < ?),
		cancel_reason = ?, cancelled_by = ?, cancelled_at = ?, updated_at = ? WHERE id = ? AND status IN ('planned', 'returned')`,
		today, reason, actorName(v), now, now, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ErrConflict, "只能标记尚未报告的外出。")
	}
	return tx.Audit(ctx, Entry{Action: "trip.not_taken", ObjectType: "trip", ObjectID: fmt.Sprint(id), Success: true, Detail: reason})
}

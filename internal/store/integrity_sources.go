package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/trip"
)

// An officer's integrity record gathers records of every mechanism that
// concern him. Each kind is read from one or more sources, each written
// once below: what it reads, who it concerns (officer), the record it
// stands for (ref, ref2), its date (on) and its words (subject, detail).
// The counts of the officer list and the lines of an officer's timeline
// are both built from these sources, so that what is counted is what is
// listed.

// integritySource is one source of entries of a kind.
type integritySource struct {
	kind  integrity.Kind
	rec   integrity.Record
	from  string
	where string
	// today marks a where that takes today's date as its one argument.
	today              bool
	officer, ref, ref2 string
	// on is the entry's date; stamp marks a timestamp, else a YYYY-MM-DD
	// text date.
	on    string
	stamp bool
	// subject and detail are read as text and dressed into words.
	subject, detail string
	dress           func(subject, detail string) (string, string)
	// hide leaves out, for a viewer, the records the registers keep from
	// him: every ? is his user id.
	hide string
}

// complaintPeople are the officers a complaint concerns: those it names
// and the officers of its cases (oversight.Concern).
const complaintPeople = `(SELECT complaint_id, user_id FROM complaint_staff UNION
	SELECT cc.complaint_id, k.officer_id FROM complaint_cases cc JOIN cases k ON k.id = cc.case_id WHERE k.officer_id IS NOT NULL) cp`

// Conditions that mark category 三 of 附件3 in a list of category codes.
const (
	answerC3    = "(',' || a.categories || ',') LIKE '%," + oversight.VisitCategory + ",%'"
	complaintC3 = "(',' || m.categories || ',') LIKE '%," + oversight.VisitCategory + ",%'"
)

// What each register keeps from a viewer, as its scope does.
const (
	hideVisit     = "NOT EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = v.case_id AND co.user_id = ?)"
	hideComplaint = `NOT EXISTS (SELECT 1 FROM complaint_staff cs WHERE cs.complaint_id = m.id AND cs.user_id = ?)
		AND NOT EXISTS (SELECT 1 FROM complaint_cases cc2 JOIN cases ck ON ck.id = cc2.case_id WHERE cc2.complaint_id = m.id AND ck.officer_id = ?)`
	hideReview      = "NOT EXISTS (SELECT 1 FROM trip_travellers tv WHERE tv.trip_id = rv.trip_id AND tv.user_id = ?)"
	hideDisposition = `p.user_id <> ?
		AND NOT EXISTS (SELECT 1 FROM clue_persons cp2 WHERE cp2.clue_id = p.clue_id AND cp2.user_id = ?)
		AND NOT EXISTS (SELECT 1 FROM trip_reviews dr JOIN trip_travellers tv ON tv.trip_id = dr.trip_id WHERE dr.id = p.review_id AND tv.user_id = ?)`
	hideCase = "NOT EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = k.id AND co.user_id = ?)"
)

func dressVisit(subject, role string) (string, string) {
	return subject, domain.PartyRole(role).Label()
}

func dressComplaint(channel, kind string) (string, string) {
	return channel, oversight.Kind(kind).Label()
}

func dressReview(subject, reason string) (string, string) { return subject, trip.ReviewReasons[reason] }

func dressFinding(caseNo, detail string) (string, string) {
	category, severity, _ := strings.Cut(detail, "|")
	return caseNo, category + "（" + inspection.Severity(severity).Label() + "）"
}

func dressGrade(caseNo, grade string) (string, string) {
	return caseNo, inspection.Grade(grade).Label()
}

func dressForm(measure, form string) (string, string) {
	n, _ := strconv.Atoi(form)
	return measure, oversight.Form(n).Label()
}

func dressTracking(caseNo, violation string) (string, string) {
	if violation == "1" || violation == "true" {
		return caseNo, "跟踪监督指向违纪违法问题"
	}
	return caseNo, "跟踪监督确认网上巡查问题"
}

// integritySources are the sources of every kind, in the kinds' order.
var integritySources = []integritySource{
	{kind: integrity.KindDissatisfied, rec: integrity.RecVisit, from: "visits v JOIN visit_answers a ON a.visit_id = v.id JOIN cases k ON k.id = v.case_id",
		where: "a.satisfied = FALSE", officer: "v.officer_id", ref: "v.id", ref2: "v.case_id", on: "a.at", stamp: true,
		subject: "k.number", detail: "v.party_role", dress: dressVisit, hide: hideVisit},
	{kind: integrity.KindCategory3, rec: integrity.RecVisit, from: "visits v JOIN visit_answers a ON a.visit_id = v.id JOIN cases k ON k.id = v.case_id",
		where: answerC3, officer: "v.officer_id", ref: "v.id", ref2: "v.case_id", on: "a.at", stamp: true,
		subject: "k.number", detail: "v.party_role", dress: dressVisit, hide: hideVisit},
	{kind: integrity.KindCategory3, rec: integrity.RecComplaint, from: "complaints m JOIN " + complaintPeople + " ON cp.complaint_id = m.id",
		where: complaintC3, officer: "cp.user_id", ref: "m.id", ref2: "0", on: "m.received_on",
		subject: "m.channel", detail: "m.kind", dress: dressComplaint, hide: hideComplaint},
	{kind: integrity.KindComplaint, rec: integrity.RecComplaint, from: "complaints m JOIN " + complaintPeople + " ON cp.complaint_id = m.id",
		officer: "cp.user_id", ref: "m.id", ref2: "0", on: "m.received_on",
		subject: "m.channel", detail: "m.kind", dress: dressComplaint, hide: hideComplaint},
	{kind: integrity.KindLate, rec: integrity.RecTrip, from: "trip_reports r JOIN trips t ON t.id = r.trip_id",
		where: "r.kind = 'annex1' AND r.supplements IS NULL AND r.late", officer: "r.officer_id", ref: "t.id", ref2: "r.id", on: "r.signed_at", stamp: true,
		subject: "t.destination_name", detail: "''"},
	// As the 一岗双责 figures count it: a traveller without his own report
	// past the due date, or on a trip marked 未成行 after it.
	{kind: integrity.KindMissing, rec: integrity.RecTrip, from: "trip_travellers tt JOIN trips t ON t.id = tt.trip_id",
		where: `t.out_of_jurisdiction AND ((t.status IN ('planned', 'returned') AND t.report_due < ?) OR t.not_taken_late)
		AND NOT EXISTS (SELECT 1 FROM trip_reports r WHERE r.trip_id = t.id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL)`,
		today: true, officer: "tt.user_id", ref: "t.id", ref2: "0", on: "t.report_due", subject: "t.destination_name", detail: "''"},
	{kind: integrity.KindYes, rec: integrity.RecReview,
		from:  "trip_reviews rv LEFT JOIN trips t ON t.id = rv.trip_id LEFT JOIN trip_reports r ON r.id = rv.report_id LEFT JOIN cases k ON k.id = r.case_id",
		where: "rv.reason IN ('yes', 'annex2')", officer: "rv.officer_id", ref: "rv.id", ref2: "0", on: "rv.opened_at", stamp: true,
		subject: "COALESCE(t.destination_name, k.number, '')", detail: "rv.reason", dress: dressReview, hide: hideReview},
	{kind: integrity.KindUntruthful, rec: integrity.RecReview, from: "trip_reviews rv LEFT JOIN trips t ON t.id = rv.trip_id",
		where: "rv.reason IN ('contradicted', 'unreported')", officer: "rv.officer_id", ref: "rv.id", ref2: "0", on: "rv.opened_at", stamp: true,
		subject: "COALESCE(t.destination_name, '')", detail: "rv.reason", dress: dressReview, hide: hideReview},
	{kind: integrity.KindTracking, rec: integrity.RecTracking,
		from:  "tracking_records tr JOIN trackings g ON g.id = tr.tracking_id JOIN cases k ON k.id = g.case_id",
		where: "((tr.kind = 'finding' AND tr.decision = 'confirm') OR tr.violation)", officer: "k.officer_id", ref: "tr.id", ref2: "g.id", on: "tr.on_date",
		subject: "k.number", detail: "CASE WHEN tr.violation THEN '1' ELSE '0' END", dress: dressTracking, hide: hideCase},
	{kind: integrity.KindTracking, rec: integrity.RecPatrol, from: "patrol_findings pf JOIN cases k ON k.id = pf.case_id",
		where: "pf.state = 'confirmed'", officer: "k.officer_id", ref: "pf.id", ref2: "k.id", on: "pf.first_found",
		subject: "k.number", detail: "pf.title", hide: hideCase},
	{kind: integrity.KindFinding, rec: integrity.RecFinding, from: "inspection_findings f",
		where: "f.state <> 'withdrawn'", officer: "f.officer_id", ref: "f.id", ref2: "f.campaign_id", on: "f.created_at", stamp: true,
		subject: "f.case_no", detail: "f.category || '|' || f.severity", dress: dressFinding},
	{kind: integrity.KindGrade, rec: integrity.RecTarget, from: "inspection_targets it",
		where: "it.grade IN ('flaw', 'fail') AND it.state IN ('submitted', 'rechecked') AND it.submitted_at IS NOT NULL", officer: "it.officer_id",
		ref: "it.id", ref2: "it.campaign_id", on: "it.submitted_at", stamp: true, subject: "it.case_no", detail: "it.grade", dress: dressGrade},
	{kind: integrity.KindDisposition, rec: integrity.RecDisposition, from: "dispositions p",
		officer: "p.user_id", ref: "p.id", ref2: "0", on: "p.decided_on", subject: "p.measure", detail: "CAST(p.form AS TEXT)", dress: dressForm, hide: hideDisposition},
	{kind: integrity.KindTalk, rec: integrity.RecTalk, from: "disposition_talks dt JOIN dispositions p ON p.id = dt.disposition_id",
		officer: "p.user_id", ref: "dt.id", ref2: "p.id", on: "dt.held_on", subject: "dt.kind", detail: "dt.place", hide: hideDisposition},
}

// cond is the source's condition for viewer v over period p, as of today,
// with its arguments: the source's own, the period's, and v's hides.
func (s integritySource) cond(v domain.Viewer, p integrity.Period, today domain.Date) (string, []any) {
	var conds []string
	var args []any
	if s.where != "" {
		conds = append(conds, "("+s.where+")")
		if s.today {
			args = append(args, today.String())
		}
	}
	if s.stamp {
		conds = append(conds, s.on+" >= ? AND "+s.on+" < ?")
		args = append(args, dayStart(p.From), dayStart(p.To.AddDays(1)))
	} else {
		conds = append(conds, s.on+" >= ? AND "+s.on+" <= ?")
		args = append(args, p.From.String(), p.To.String())
	}
	if s.hide != "" && !v.System {
		conds = append(conds, s.hide)
		for range strings.Count(s.hide, "?") {
			args = append(args, v.UserID)
		}
	}
	return strings.Join(conds, " AND "), args
}

// dayStart is the instant a Beijing day begins, in UTC.
func dayStart(d domain.Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, domain.Beijing).UTC()
}

// counts is the query counting the source's records per officer of the
// set officers (a subquery of user ids, with its arguments).
func (s integritySource) counts(v domain.Viewer, p integrity.Period, today domain.Date, officers string, oargs []any) (string, []any) {
	cond, args := s.cond(v, p, today)
	return "SELECT " + s.officer + " AS officer_id, COUNT(DISTINCT " + s.ref + ") AS n FROM " + s.from + " WHERE " + cond +
		" AND " + s.officer + " IN (" + officers + ") GROUP BY " + s.officer, append(args, oargs...)
}

// entries reads the source's entries about officer id.
func (s integritySource) entries(ctx context.Context, q querier, v domain.Viewer, id int64, p integrity.Period, today domain.Date) ([]integrity.Entry, error) {
	var out []integrity.Entry
	err := s.eachEntry(ctx, q, v, p, today, s.officer+" = ?", []any{id}, func(_ int64, e integrity.Entry) { out = append(out, e) })
	return out, err
}

// eachEntry reads the source's entries about the officers officerCond
// (over s.officer, with its arguments) finds, and hands each to fn with
// its officer.
func (s integritySource) eachEntry(ctx context.Context, q querier, v domain.Viewer, p integrity.Period, today domain.Date, officerCond string, oargs []any,
	fn func(officer int64, e integrity.Entry)) error {
	cond, args := s.cond(v, p, today)
	err := each(ctx, q, func(row scanner) error {
		e := integrity.Entry{Kind: s.kind, Record: s.rec}
		var officer int64
		var subject, detail sql.NullString
		if s.stamp {
			var at sql.NullTime
			if err := row.Scan(&officer, &e.Ref, &e.Ref2, &at, &subject, &detail); err != nil {
				return err
			}
			if at.Valid {
				e.On = domain.DateOf(at.Time, domain.Beijing)
			}
		} else if err := row.Scan(&officer, &e.Ref, &e.Ref2, &e.On, &subject, &detail); err != nil {
			return err
		}
		e.Subject, e.Detail = subject.String, detail.String
		if s.dress != nil {
			e.Subject, e.Detail = s.dress(e.Subject, e.Detail)
		}
		fn(officer, e)
		return nil
	}, "SELECT "+s.officer+", "+s.ref+", "+s.ref2+", "+s.on+", "+s.subject+", "+s.detail+" FROM "+s.from+" WHERE "+cond+" AND "+officerCond,
		append(args, oargs...)...)
	if err != nil {
		return fmt.Errorf("reading the record's %s: %w", s.kind, err)
	}
	return nil
}

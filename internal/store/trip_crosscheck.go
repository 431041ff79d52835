package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// crossCheck compares what a party said in a return visit about a case
// with the trip reports its officer filed for trips on that case: a
// complaint item (与当事人存在“三同”问题, 接受当事人吃请 …) that a report
// answered 无 — its supplements counted — flags the report as not
// truthful (不如实报告); a trip on the case that he left without any
// report at all is flagged too (unreported): no report is no escape. The
// flag is a review: the trip's leader holds a talk reminder, the
// watchdogs see the complaint, the officer is asked for a supplementary
// report (or, with none filed, still for the report) and told nothing
// else.
func (tx *Tx) crossCheck(ctx context.Context, visitID int64, items []string) error {
	mapped := false
	for _, c := range trip.Contradictions {
		for _, it := range items {
			mapped = mapped || c.Complaint == it
		}
	}
	if !mapped {
		return nil
	}
	var caseID, officerID int64
	if err := tx.queryRow(ctx, "SELECT case_id, COALESCE(officer_id, 0) FROM visits WHERE id = ?", visitID).Scan(&caseID, &officerID); err != nil {
		return fmt.Errorf("cross-checking trip reports: %w", translate(err))
	}
	if officerID == 0 {
		return nil
	}
	type report struct {
		id, trip, court, dept int64
		leader                string
		answers               trip.Answers
	}
	reports, err := collect(ctx, tx, func(row scanner) (r report, err error) {
		var a string
		if err := row.Scan(&r.id, &r.trip, &a, &r.court, &r.dept, &r.leader); err != nil {
			return r, err
		}
		if err := json.Unmarshal([]byte(a), &r.answers); err != nil {
			return r, fmt.Errorf("trip report %d: answers: %w", r.id, err)
		}
		return r, nil
	}, `SELECT r.id, r.trip_id, r.answers, r.court_id, COALESCE(r.department_id, 0), t.leader_role FROM trip_reports r
		JOIN trip_cases tc ON tc.trip_id = r.trip_id JOIN trips t ON t.id = r.trip_id
		WHERE tc.case_id = ? AND r.kind = 'annex1' AND r.supplements IS NULL AND r.officer_id = ? ORDER BY r.id`, caseID, officerID)
	if err != nil {
		return fmt.Errorf("cross-checking trip reports: %w", err)
	}
	for _, r := range reports {
		if r.answers == nil {
			r.answers = trip.Answers{}
		}
		// A supplement that answers 有 corrects the report.
		err := each(ctx, tx, func(row scanner) error {
			var a string
			var sa trip.Answers
			if err := row.Scan(&a); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(a), &sa); err != nil {
				return fmt.Errorf("supplement to trip report %d: answers: %w", r.id, err)
			}
			for code, yes := range sa {
				if yes {
					r.answers[code] = true
				}
			}
			return nil
		}, "SELECT answers FROM trip_reports WHERE supplements = ?", r.id)
		if err != nil {
			return fmt.Errorf("cross-checking trip reports: %w", err)
		}
		bad := trip.Contradicted(r.answers, items)
		if len(bad) == 0 {
			continue
		}
		var seen int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM trip_reviews WHERE report_id = ? AND reason = 'contradicted' AND visit_id = ?", r.id, visitID).Scan(&seen); err != nil {
			return err
		}
		if seen > 0 {
			continue
		}
		var answered []string
		for _, code := range bad {
			answered = append(answered, strings.TrimRight(trip.ItemText(code), "；。"))
		}
		detail := "当事人回访反映：" + complained(items) + "；报告单对以下事项答“无”：" + strings.Join(answered, "；")
		if _, err := tx.exec(ctx, `INSERT INTO trip_reviews (report_id, trip_id, court_id, department_id, officer_id, handler_role, reason, detail, visit_id, opened_at)
			VALUES (?, ?, ?, ?, ?, ?, 'contradicted', ?, ?, ?)`, r.id, r.trip, r.court, nullID(r.dept), officerID, r.leader, detail, visitID, tx.db.now()); err != nil {
			return fmt.Errorf("flagging a trip report: %w", err)
		}
	}
	return tx.flagUnreported(ctx, visitID, caseID, officerID, items)
}

// flagUnreported flags, for a complaint in items from visit visitID, the
// trips on case caseID that officer officerID went on — registered by
// him or by a colleague he travelled with — past their departure, out of
// the jurisdiction, without his own report: whether it is late or not
// yet due, the complaint is a matter for the trip's leader now.
func (tx *Tx) flagUnreported(ctx context.Context, visitID, caseID, officerID int64, items []string) error {
	type unreported struct {
		id, court, dept int64
		leader, dest    string
		depart          time.Time
	}
	ts, err := collect(ctx, tx, func(row scanner) (u unreported, err error) {
		err = row.Scan(&u.id, &u.court, &u.dept, &u.leader, &u.dest, &u.depart)
		return u, err
	}, `SELECT t.id, t.court_id, COALESCE(t.department_id, 0), t.leader_role, t.destination_name, t.depart_at FROM trips t
		JOIN trip_cases tc ON tc.trip_id = t.id JOIN trip_travellers tt ON tt.trip_id = t.id WHERE tc.case_id = ? AND tt.user_id = ? AND t.out_of_jurisdiction
		AND t.status IN ('planned', 'returned') AND t.depart_at <= ?
		AND NOT EXISTS (SELECT 1 FROM trip_reports r WHERE r.trip_id = t.id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL)
		ORDER BY t.id`, caseID, officerID, tx.db.now())
	if err != nil {
		return fmt.Errorf("cross-checking unreported trips: %w", err)
	}
	for _, u := range ts {
		var seen int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM trip_reviews WHERE trip_id = ? AND officer_id = ? AND reason = 'unreported' AND visit_id = ?", u.id, officerID, visitID).Scan(&seen); err != nil {
			return err
		}
		if seen > 0 {
			continue
		}
		detail := "当事人回访反映：" + complained(items) + "；该次外出（" + domain.DateOf(u.depart, domain.Beijing).String() + "赴" + u.dest + "）本人未提交外出执行情况报告单"
		if _, err := tx.exec(ctx, `INSERT INTO trip_reviews (trip_id, court_id, department_id, officer_id, handler_role, reason, detail, visit_id, opened_at)
			VALUES (?, ?, ?, ?, ?, 'unreported', ?, ?, ?)`, u.id, u.court, nullID(u.dept), officerID, u.leader, detail, visitID, tx.db.now()); err != nil {
			return fmt.Errorf("flagging an unreported trip: %w", err)
		}
	}
	return nil
}

// complained names the complaint items of items that the cross-check maps,
// in the words of 附件3.
func complained(items []string) string {
	var said []string
	for _, it := range items {
		if vi, _, ok := visit.ItemByCode(it); ok {
			for _, c := range trip.Contradictions {
				if c.Complaint == it {
					said = append(said, vi.Text)
				}
			}
		}
	}
	return strings.Join(said, "、")
}

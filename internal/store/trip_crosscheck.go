package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// crossCheck compares what a party said in a return visit about a case
// with the trip reports its officer filed for trips on that case: a
// complaint item (与当事人存在“三同”问题, 接受当事人吃请 …) that a report
// answered 无 — its supplements counted — flags the report as not
// truthful (不如实报告). The flag is a review: the department head holds
// a talk reminder, the watchdogs see the complaint, the officer is asked
// for a supplementary report and told nothing else.
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
		id, court, dept int64
		answers         trip.Answers
	}
	reports, err := collect(ctx, tx, func(row scanner) (r report, err error) {
		var a string
		if err := row.Scan(&r.id, &a, &r.court, &r.dept); err != nil {
			return r, err
		}
		if err := json.Unmarshal([]byte(a), &r.answers); err != nil {
			return r, fmt.Errorf("trip report %d: answers: %w", r.id, err)
		}
		return r, nil
	}, `SELECT r.id, r.answers, r.court_id, COALESCE(r.department_id, 0) FROM trip_reports r JOIN trip_cases tc ON tc.trip_id = r.trip_id
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
		var said, answered []string
		for _, it := range items {
			if vi, _, ok := visit.ItemByCode(it); ok {
				for _, c := range trip.Contradictions {
					if c.Complaint == it {
						said = append(said, vi.Text)
					}
				}
			}
		}
		for _, code := range bad {
			answered = append(answered, strings.TrimRight(trip.ItemText(code), "；。"))
		}
		detail := "当事人回访反映：" + strings.Join(said, "、") + "；报告单对以下事项答“无”：" + strings.Join(answered, "；")
		if _, err := tx.exec(ctx, `INSERT INTO trip_reviews (report_id, court_id, department_id, officer_id, reason, detail, visit_id, opened_at)
			VALUES (?, ?, ?, ?, 'contradicted', ?, ?, ?)`, r.id, r.court, nullID(r.dept), officerID, detail, visitID, tx.db.now()); err != nil {
			return fmt.Errorf("flagging a trip report: %w", err)
		}
	}
	return nil
}

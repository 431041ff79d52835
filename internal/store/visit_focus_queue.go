package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// FocusQueueCourt is one court's queue of focused visits as the visit
// pages show it: how many cases wait, and the next ones in the order
// they will be visited.
type FocusQueueCourt struct {
	CourtID int64
	Court   string
	Waiting int // cases
	Next    []FocusQueued
}

// FocusQueued is a waiting case with its criteria.
type FocusQueued struct {
	CaseNumber string
	Filed      string
	Reasons    []string // visit.FocusReasons keys, in the queue's order
}

// FocusQueue returns the courts the viewer sees (as visitScope) with
// cases waiting for a focused visit, in court order, each with its next
// cases (at most next of them). A case the viewer has handled is neither
// counted nor shown: who is to be asked about it is not his to know.
func (db *DB) FocusQueue(ctx context.Context, v domain.Viewer, next int) ([]FocusQueueCourt, error) {
	if !visit.CanSee(v) {
		return nil, domain.ErrForbidden
	}
	courts, arg := "q.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')", any(likePrefix(v.CourtPath))
	if !visit.SeesSubtree(v) {
		courts, arg = "q.court_id = ?", any(v.CourtID)
	}
	where := " WHERE q.released_on IS NULL AND " + courts + " AND NOT EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = q.case_id AND co.user_id = ?)"
	out, err := collect(ctx, db, func(row scanner) (c FocusQueueCourt, err error) {
		err = row.Scan(&c.CourtID, &c.Court, &c.Waiting)
		return c, err
	}, "SELECT q.court_id, c.name, COUNT(DISTINCT q.case_id) FROM visit_focus_queue q JOIN courts c ON c.id = q.court_id"+where+
		" GROUP BY q.court_id, c.name, c.path ORDER BY c.path", arg, v.UserID)
	if err != nil {
		return nil, fmt.Errorf("reading the focused-visit queues: %w", err)
	}
	for i := range out {
		err := each(ctx, db, func(row scanner) error {
			var number, filed, reason string
			if err := row.Scan(&number, &filed, &reason); err != nil {
				return err
			}
			for j := range out[i].Next {
				if out[i].Next[j].CaseNumber == number {
					out[i].Next[j].Reasons = append(out[i].Next[j].Reasons, reason)
					return nil
				}
			}
			if len(out[i].Next) < next {
				out[i].Next = append(out[i].Next, FocusQueued{CaseNumber: number, Filed: filed, Reasons: []string{reason}})
			}
			return nil
		}, "SELECT k.number, q.filed_on, q.reason FROM visit_focus_queue q JOIN cases k ON k.id = q.case_id WHERE q.court_id = ? AND q.released_on IS NULL"+
			" AND NOT EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = q.case_id AND co.user_id = ?) ORDER BY q.urgency, q.filed_on, q.case_id LIMIT ?",
			out[i].CourtID, v.UserID, next*len(visit.ScannedReasons))
		if err != nil {
			return nil, fmt.Errorf("reading the focused-visit queue: %w", err)
		}
	}
	return out, nil
}

package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

// TrackingTodo is a step of mechanism 1 that waits on the viewer.
type TrackingTodo struct {
	TrackingID int64
	CaseNo     string
	Title      string
	Owed       string // the step owed, without the case
	Court      string
	Due        domain.Date // zero: no deadline
	Overdue    bool
}

// TrackingTodos returns the steps the trackings of v's court owe v, by
// tracking.Actions: the bureau's evaluations (due within the configured
// time from the candidate's day), consultations, each body's opinion, the
// co-leaders' decisions and the working groups; overdue first.
func (db *DB) TrackingTodos(ctx context.Context, v domain.Viewer) ([]TrackingTodo, error) {
	if v.System || !tracking.SeesTracking(v) || v.CourtCode == "" {
		return nil, nil
	}
	// A court's open trackings are few (each a case its bodies chose to
	// track): all of them, none left out of the to-dos.
	ts, _, err := trackings(ctx, db, v, TrackingFilter{Court: v.CourtCode, Open: true, Page: PageReq{All: true}})
	if err != nil {
		return nil, err
	}
	posts, err := viewerPosts(ctx, db, v, v.CourtID)
	if err != nil {
		return nil, err
	}
	cfg := db.TrackingConfig.OrDefault()
	today := db.today()
	var out, later []TrackingTodo
	for _, t := range ts {
		if t.CourtID != v.CourtID {
			continue
		}
		st, err := trackingState(ctx, db, t)
		if err != nil {
			return nil, err
		}
		subj, err := trackingSubject(ctx, db, t)
		if err != nil {
			return nil, err
		}
		for _, a := range tracking.Actions(st, v, subj, posts) {
			if a.Kind == tracking.EventClose {
				continue // closing is the group's own judgement, not a step owed
			}
			td := TrackingTodo{TrackingID: t.ID, CaseNo: t.CaseNo, Title: tracking.TodoTitle(a) + "：" + t.CaseNo, Owed: tracking.TodoTitle(a), Court: t.CourtName}
			if a.Kind == tracking.EventEvaluate && t.Step == tracking.StepCandidate {
				td.Due = cfg.EvaluateBy(t.CandidateSince)
				td.Overdue = td.Due.Before(today)
			}
			if (a.Kind == tracking.EventEvaluate && t.Step != tracking.StepCandidate) || (a.Kind == tracking.EventOpenConsult && t.Step == tracking.StepDeclined) {
				continue // a re-evaluation, or a watchdog's consultation of a declined case, is offered, not owed
			}
			if td.Overdue {
				out = append(out, td)
			} else {
				later = append(later, td)
			}
		}
	}
	return append(out, later...), nil
}

// GroupPerson is a user of a court who may be sent to a working group.
type GroupPerson struct {
	ID         int64
	Name       string
	Department string
	Roles      []domain.Role // of the three bodies
}

// GroupPeople lists the active users of tracking id's court who hold one
// of the three bodies' roles, for the group form, if v may see the
// tracking. Those the group rules refuse are listed too: the form says why.
func (db *DB) GroupPeople(ctx context.Context, v domain.Viewer, id int64) ([]GroupPerson, error) {
	t, err := trackingRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	type ur struct {
		p    GroupPerson
		role domain.Role
	}
	rows, err := collect(ctx, db, func(s scanner) (x ur, err error) {
		err = s.Scan(&x.p.ID, &x.p.Name, &x.p.Department, &x.role)
		return x, err
	}, `SELECT u.id, u.name, COALESCE(d.name, ''), r.role FROM users u JOIN user_roles r ON r.user_id = u.id
		LEFT JOIN departments d ON d.id = u.department_id
		WHERE u.court_id = ? AND NOT u.disabled AND r.role IN ('bureau', 'discipline_group', 'supervision_office') ORDER BY u.name, u.id, r.role`, t.CourtID)
	if err != nil {
		return nil, fmt.Errorf("listing the court's bodies: %w", err)
	}
	var out []GroupPerson
	for _, x := range rows {
		if n := len(out); n > 0 && out[n-1].ID == x.p.ID {
			out[n-1].Roles = append(out[n-1].Roles, x.role)
			continue
		}
		x.p.Roles = []domain.Role{x.role}
		out = append(out, x.p)
	}
	return out, nil
}

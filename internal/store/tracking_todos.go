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
	ts, states, subjects, err := openTrackings(ctx, db, v)
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
	for i, t := range ts {
		st, subj := states[i], subjects[i]
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

// openTrackingsWhere is the open trackings of a court, as the partial
// index trackings_court_open holds them (migration 00063).
const openTrackingsWhere = "t.court_id = ? AND t.state NOT IN ('not_tracked', 'closed', 'lapsed')"

// openTrackings returns the open trackings of v's own court that v may
// see, the latest first, each with what tracking.Actions reads of it (its
// state and its subject), in four statements however many there are: a
// court's open trackings are few (each a case its bodies chose to track),
// and all of them are on the to-dos, none left out.
func openTrackings(ctx context.Context, db *DB, v domain.Viewer) ([]*Tracking, []tracking.State, []tracking.Subject, error) {
	scope, args, err := trackingScope(v)
	if err != nil {
		return nil, nil, nil, err
	}
	ts, err := collect(ctx, db, scanTracking, "SELECT "+trackingColumns+trackingFrom+" WHERE "+openTrackingsWhere+" AND "+scope+
		" ORDER BY t.court_id DESC, t.created_at DESC, t.id DESC", append([]any{v.CourtID}, args...)...)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("listing open trackings: %w", err)
	}
	if len(ts) == 0 {
		return nil, nil, nil, nil
	}
	// The same reads as trackingState's and trackingSubject's, for the
	// court's open trackings at once; those v may not see are passed over.
	states, err := trackingStates(ctx, db, ts, openTrackingsWhere, v.CourtID)
	if err != nil {
		return nil, nil, nil, err
	}
	subjects, err := trackingSubjects(ctx, db, ts, openTrackingsWhere, v.CourtID)
	if err != nil {
		return nil, nil, nil, err
	}
	return ts, states, subjects, nil
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

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/tracking"
)

type sqlNullDate = sql.Null[domain.Date]

// trackingSubject returns what the secrecy and role rules read of tracking
// t's case: its court, every officer it has had, its department.
func trackingSubject(ctx context.Context, q querier, t *Tracking) (tracking.Subject, error) {
	subjects, err := trackingSubjects(ctx, q, []*Tracking{t}, "t.id = ?", t.ID)
	if err != nil {
		return tracking.Subject{}, err
	}
	return subjects[0], nil
}

// trackingSubjects reads trackingSubject's for each of ts at once, in one
// statement over the trackings t that cond (with args) selects, which
// hold ts; rows of others are passed over.
func trackingSubjects(ctx context.Context, q querier, ts []*Tracking, cond string, args ...any) ([]tracking.Subject, error) {
	byCase := make(map[int64]int, len(ts))
	subjects := make([]tracking.Subject, len(ts))
	for i, t := range ts {
		byCase[t.CaseID] = i
		subjects[i] = tracking.Subject{CourtPath: t.CourtPath, DepartmentID: t.DepartmentID}
	}
	err := each(ctx, q, func(row scanner) error {
		var caseID, userID int64
		if err := row.Scan(&caseID, &userID); err != nil {
			return err
		}
		if i, ok := byCase[caseID]; ok {
			subjects[i].Officers = append(subjects[i].Officers, userID)
		}
		return nil
	}, "SELECT co.case_id, co.user_id FROM trackings t JOIN case_officers co ON co.case_id = t.case_id WHERE "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the case's officers: %w", err)
	}
	for i, t := range ts {
		if t.OfficerID != 0 && !slices.Contains(subjects[i].Officers, t.OfficerID) {
			subjects[i].Officers = append(subjects[i].Officers, t.OfficerID)
		}
	}
	return subjects, nil
}

// viewerPosts returns the co-leader posts v holds at the court courtID.
func viewerPosts(ctx context.Context, q querier, v domain.Viewer, courtID int64) ([]oversight.Post, error) {
	if v.System || v.UserID == 0 {
		return nil, nil
	}
	ps, err := collect(ctx, q, func(s scanner) (p oversight.Post, err error) {
		var x string
		err = s.Scan(&x)
		return oversight.Post(x), err
	}, "SELECT post FROM court_posts WHERE court_id = ? AND user_id = ? ORDER BY post", courtID, v.UserID)
	if err != nil {
		return nil, fmt.Errorf("reading the viewer's posts: %w", err)
	}
	return ps, nil
}

// TrackingView is a tracking with everything its page shows and the
// actions the viewer may take on it now.
type TrackingView struct {
	*Tracking
	State        tracking.State
	Subject      tracking.Subject
	Actions      []tracking.Action
	Reasons      []ReasonRow
	Evaluation   *EvaluationRecord
	Consultation *tracking.Consultation
	ConsultBy    string
	Members      []GroupMember
}

// EvaluationRecord is the latest 综合评估 of a tracking.
type EvaluationRecord struct {
	tracking.Evaluation
	Total int
	By    string
	At    sql.NullTime
}

// GroupMember is a member of a tracking's working group.
type GroupMember struct {
	UserID int64
	Name   string
	Role   domain.Role
	Leader bool
}

// TrackingPage returns tracking id as its page shows it, if v may see it.
func (db *DB) TrackingPage(ctx context.Context, v domain.Viewer, id int64) (*TrackingView, error) {
	t, err := trackingRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	tv := &TrackingView{Tracking: t}
	if tv.State, err = trackingState(ctx, db, t); err != nil {
		return nil, err
	}
	if tv.Subject, err = trackingSubject(ctx, db, t); err != nil {
		return nil, err
	}
	posts, err := viewerPosts(ctx, db, v, t.CourtID)
	if err != nil {
		return nil, err
	}
	tv.Actions = tracking.Actions(tv.State, v, tv.Subject, posts)
	if tv.Reasons, err = db.CaseReasons(ctx, v, t.CaseID); err != nil {
		return nil, err
	}
	evs, err := collect(ctx, db, func(s scanner) (e EvaluationRecord, err error) {
		var factors string
		if err = s.Scan(&factors, &e.Total, &e.Result, &e.Reasoning, &e.By, &e.At); err != nil {
			return e, err
		}
		if err = json.Unmarshal([]byte(factors), &e.Scores); err != nil {
			return e, fmt.Errorf("reading an evaluation's factors: %w", err)
		}
		return e, nil
	}, "SELECT factors, total, result, reasoning, by_name, at FROM tracking_evaluations WHERE tracking_id = ? ORDER BY at DESC, id DESC LIMIT 1", id)
	if err != nil {
		return nil, fmt.Errorf("reading the evaluation: %w", err)
	}
	if len(evs) == 1 {
		tv.Evaluation = &evs[0]
	}
	cs, err := collect(ctx, db, func(s scanner) (c tracking.Consultation, err error) {
		var b, d, o, by string
		err = s.Scan(&c.Date, &c.Place, &b, &d, &o, &c.Minutes, &by)
		c.Participants = map[domain.Role]string{domain.RoleBureau: b, domain.RoleDisciplineGroup: d, domain.RoleSupervisionOffice: o}
		tv.ConsultBy = by
		return c, err
	}, "SELECT held_on, place, bureau_people, discipline_people, supervision_people, minutes, by_name FROM tracking_consultations WHERE tracking_id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("reading the consultation: %w", err)
	}
	if len(cs) == 1 {
		tv.Consultation = &cs[0]
	}
	tv.Members, err = collect(ctx, db, func(s scanner) (m GroupMember, err error) {
		err = s.Scan(&m.UserID, &m.Name, &m.Role, &m.Leader)
		return m, err
	}, "SELECT m.user_id, u.name, m.role, m.leader FROM tracking_members m JOIN users u ON u.id = m.user_id WHERE m.tracking_id = ? ORDER BY m.leader DESC, m.role, u.name", id)
	if err != nil {
		return nil, fmt.Errorf("reading the working group: %w", err)
	}
	return tv, nil
}

// moveTracking applies ev to tracking id for tx's viewer: RoleFor and Next
// decide (a lapse follows from a refresh and needs neither); write, if not nil,
// records the event's own rows; then the new step and its dates are
// stored and audited. It returns the tracking as it was and the transition.
func (tx *Tx) moveTracking(ctx context.Context, id int64, ev tracking.Event, write func(*Tracking, tracking.Event) error) (tracking.Transition, error) {
	t, err := trackingRow(ctx, tx, tx.v, id)
	if err != nil {
		return tracking.Transition{}, err
	}
	if ev.Kind != tracking.EventLapse { // a lapse follows from a refresh its caller may run
		subj, err := trackingSubject(ctx, tx, t)
		if err != nil {
			return tracking.Transition{}, err
		}
		posts, err := viewerPosts(ctx, tx, tx.v, t.CourtID)
		if err != nil {
			return tracking.Transition{}, err
		}
		if ev, err = tracking.RoleFor(tx.v, ev, subj, posts); err != nil {
			return tracking.Transition{}, err
		}
	}
	state, err := trackingState(ctx, tx, t)
	if err != nil {
		return tracking.Transition{}, err
	}
	ev.By = actorName(tx.v)
	now := tx.db.now()
	tr, err := tracking.Next(state, ev, now)
	if err != nil {
		return tracking.Transition{}, err
	}
	if write != nil {
		if err := write(t, ev); err != nil {
			return tracking.Transition{}, err
		}
	}
	sets := []string{"state = ?", "updated_at = ?"}
	args := []any{tr.State.Step, now}
	switch {
	case ev.Kind == tracking.EventEvaluate:
		sets, args = append(sets, "evaluated_at = ?"), append(args, now)
	case ev.Kind == tracking.EventOpenConsult:
		sets, args = append(sets, "consulted_on = ?"), append(args, ev.Consultation.Date)
	case tr.DecidedBy != "":
		sets, args = append(sets, "decided_at = ?", "decided_by = ?"), append(args, now, tr.DecidedBy)
	case ev.Kind == tracking.EventFormGroup:
		sets, args = append(sets, "started_at = ?", "group_from = ?", "group_to = ?", "plan = ?"),
			append(args, now, ev.Group.From, ev.Group.To, strings.TrimSpace(ev.Group.Plan))
	case ev.Kind == tracking.EventClose:
		sets, args = append(sets, "closed_at = ?"), append(args, now)
	}
	if _, err := tx.exec(ctx, "UPDATE trackings SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...); err != nil {
		return tracking.Transition{}, fmt.Errorf("moving tracking %d: %w", id, err)
	}
	detail := ev.Kind.Label() + "，" + t.CaseNo + "：" + tr.State.Step.Label()
	if tr.DecidedBy == "co_leaders" && tr.State.Disagree() {
		detail += "（共同领导意见不一致，依规则决定跟踪）"
	}
	return tr, tx.Audit(ctx, Entry{Action: "tracking." + string(ev.Kind), ObjectType: "tracking", ObjectID: fmt.Sprint(id), CourtPath: t.CourtPath,
		Success: true, Detail: detail})
}

// Evaluate records the bureau's 综合评估 of tracking id in a transaction
// of its own.
func (db *DB) Evaluate(ctx context.Context, v domain.Viewer, id int64, e *tracking.Evaluation) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.Evaluate(ctx, id, e) })
}

// Evaluate records, for tx's viewer (the bureau of the case's court), the
// evaluation e of tracking id: 建议跟踪 sends it to the consultation,
// 不予跟踪 declines it.
func (tx *Tx) Evaluate(ctx context.Context, id int64, e *tracking.Evaluation) error {
	_, err := tx.moveTracking(ctx, id, tracking.Event{Kind: tracking.EventEvaluate, Evaluation: e}, func(t *Tracking, ev tracking.Event) error {
		factors, err := json.Marshal(e.Scores)
		if err != nil {
			return fmt.Errorf("encoding an evaluation: %w", err)
		}
		_, err = tx.exec(ctx, `INSERT INTO tracking_evaluations (tracking_id, factors, total, result, reasoning, by_id, by_name, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, string(factors), e.Total(), e.Result, e.Reasoning, nullID(tx.v.UserID), ev.By, tx.db.now())
		return err
	})
	return err
}

// OpenConsultation records the consultation of tracking id in a
// transaction of its own.
func (db *DB) OpenConsultation(ctx context.Context, v domain.Viewer, id int64, c *tracking.Consultation) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.OpenConsultation(ctx, id, c) })
}

// OpenConsultation records, for tx's viewer (one of the three bodies of
// the case's court), the consultation 会商 of tracking id: its date,
// participants by body and minutes. The bodies then give their opinions.
func (tx *Tx) OpenConsultation(ctx context.Context, id int64, c *tracking.Consultation) error {
	if c != nil {
		if err := c.Validate(tx.db.today()); err != nil {
			return err
		}
	}
	_, err := tx.moveTracking(ctx, id, tracking.Event{Kind: tracking.EventOpenConsult, Consultation: c}, func(t *Tracking, ev tracking.Event) error {
		p := c.Participants
		_, err := tx.exec(ctx, `INSERT INTO tracking_consultations (tracking_id, held_on, place, bureau_people, discipline_people, supervision_people, minutes, by_name, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.Date, strings.TrimSpace(c.Place), strings.TrimSpace(p[domain.RoleBureau]),
			strings.TrimSpace(p[domain.RoleDisciplineGroup]), strings.TrimSpace(p[domain.RoleSupervisionOffice]), strings.TrimSpace(c.Minutes), ev.By, tx.db.now())
		return err
	})
	return err
}

// GiveOpinion records a body's opinion on tracking id in a transaction of
// its own.
func (db *DB) GiveOpinion(ctx context.Context, v domain.Viewer, id int64, role domain.Role, agree *bool, opinion string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.GiveOpinion(ctx, id, role, agree, opinion) })
}

// GiveOpinion records, for tx's viewer in role (a body he belongs to), that
// body's 同意 / 不同意 at the consultation of tracking id. The third
// opinion decides: all agree, tracked; otherwise the co-leaders decide.
func (tx *Tx) GiveOpinion(ctx context.Context, id int64, role domain.Role, agree *bool, opinion string) error {
	_, err := tx.moveTracking(ctx, id, tracking.Event{Kind: tracking.EventOpinion, Role: role, Agree: agree, Text: opinion},
		func(t *Tracking, ev tracking.Event) error {
			_, err := tx.exec(ctx, `INSERT INTO tracking_opinions (tracking_id, role, agree, opinion, by_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, role, *agree, strings.TrimSpace(opinion), nullID(tx.v.UserID), ev.By, tx.db.now())
			return err
		})
	return err
}

// LeaderDecide records a co-leader's decision on tracking id in a
// transaction of its own.
func (db *DB) LeaderDecide(ctx context.Context, v domain.Viewer, id int64, post oversight.Post, track *bool, reason string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.LeaderDecide(ctx, id, post, track, reason) })
}

// LeaderDecide records, for tx's viewer holding post (执行局局长 or
// 纪检监察组组长) at the case's court, his decision whether to track
// tracking id after the bodies disagreed; the second decision settles it
// (tracking.Next).
func (tx *Tx) LeaderDecide(ctx context.Context, id int64, post oversight.Post, track *bool, reason string) error {
	_, err := tx.moveTracking(ctx, id, tracking.Event{Kind: tracking.EventLeaderDecision, Post: post, Agree: track, Text: reason},
		func(t *Tracking, ev tracking.Event) error {
			_, err := tx.exec(ctx, `INSERT INTO tracking_leader_decisions (tracking_id, post, track, reason, by_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, post, *track, strings.TrimSpace(reason), nullID(tx.v.UserID), ev.By, tx.db.now())
			return err
		})
	return err
}

// FormGroup forms the working group of tracking id in a transaction of its
// own.
func (db *DB) FormGroup(ctx context.Context, v domain.Viewer, id int64, g *tracking.Group) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.FormGroup(ctx, id, g) })
}

// FormGroup forms, for tx's viewer (one of the three bodies of the case's
// court), the working group of tracked tracking id, checked by
// tracking.Group.Validate against the members' accounts and the case; the
// tracking starts (跟踪中).
func (tx *Tx) FormGroup(ctx context.Context, id int64, g *tracking.Group) error {
	if g != nil {
		t, err := trackingRow(ctx, tx, tx.v, id)
		if err != nil {
			return err
		}
		users := map[int64]tracking.Candidate{}
		for _, m := range g.Members {
			u, err := tx.memberCandidate(ctx, m.UserID, t.CaseID)
			if err != nil {
				return err
			}
			if u != nil {
				users[m.UserID] = *u
			}
		}
		if err := g.Validate(users, tracking.GroupCase{CourtID: t.CourtID, DepartmentID: t.DepartmentID}, tx.db.today()); err != nil {
			return err
		}
	}
	_, err := tx.moveTracking(ctx, id, tracking.Event{Kind: tracking.EventFormGroup, Group: g}, func(t *Tracking, ev tracking.Event) error {
		for _, m := range g.Members {
			if _, err := tx.exec(ctx, "INSERT INTO tracking_members (tracking_id, user_id, role, leader) VALUES (?, ?, ?, ?)", id, m.UserID, m.Role, m.Leader); err != nil {
				return fmt.Errorf("adding a group member: %w", err)
			}
		}
		return nil
	})
	return err
}

// memberCandidate reads what the group rules need of user uid for case
// caseID; nil when there is no such user.
func (tx *Tx) memberCandidate(ctx context.Context, uid, caseID int64) (*tracking.Candidate, error) {
	us, err := collect(ctx, tx, func(s scanner) (u tracking.Candidate, err error) {
		err = s.Scan(&u.UserID, &u.Name, &u.CourtID, &u.DepartmentID, &u.Disabled, &u.Handles)
		return u, err
	}, `SELECT u.id, u.name, u.court_id, COALESCE(u.department_id, 0), u.disabled,
		EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = ? AND co.user_id = u.id)
			OR EXISTS (SELECT 1 FROM cases k WHERE k.id = ? AND k.officer_id = u.id)
		FROM users u WHERE u.id = ?`, caseID, caseID, uid)
	if err != nil || len(us) == 0 {
		return nil, err
	}
	u := us[0]
	roles, err := collect(ctx, tx, func(s scanner) (r domain.Role, err error) {
		err = s.Scan(&r)
		return r, err
	}, "SELECT role FROM user_roles WHERE user_id = ?", uid)
	if err != nil {
		return nil, fmt.Errorf("reading a member's roles: %w", err)
	}
	u.Roles = roles
	return &u, nil
}

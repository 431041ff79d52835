package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
)

// Inspection is a campaign of special inspections as stored.
type Inspection struct {
	ID int64
	inspection.Campaign
	State            inspection.State
	CourtID          int64 // the organising court
	CourtCode        string
	CourtName        string
	ChecklistID      int64
	ChecklistName    string
	ChecklistVersion int
	PerCourt         int
	// PerOfficer > 0 stratifies the draw per officer within each court,
	// that many cases each; 0 draws PerCourt per court.
	PerOfficer int
	Thresholds inspection.Thresholds
	AnswerDays int
	CrossCourt bool // 交叉评查: nobody reviews his own court's work
	Schedule   string
	NextOn     domain.Date
	CreatedBy  string
	CreatedAt  time.Time
	// Full is true when the viewer sees the whole campaign
	// (inspection.SeesAll); otherwise only his court's or his own findings.
	Full bool
	// Sheets is, in a list narrowed to graded review sheets
	// (InspectionFilter.Graded), how many of the campaign's it finds.
	Sheets int
}

// Access is what the rules read of the campaign.
func (in *Inspection) Access() inspection.Access {
	return inspection.Access{State: in.State, OrganiserPath: in.OrganiserPath, Members: in.Members}
}

// InspectionInput is a campaign as a form enters it: the courts in scope by
// code (with an optional department), the group by user id.
type InspectionInput struct {
	Campaign   inspection.Campaign
	Courts     []string // court codes; "鲁0102/执行一庭" names a department
	MemberIDs  []int64
	LeaderID   int64
	PerCourt   int
	PerOfficer int // 0: the draw is stratified per court only
	Thresholds inspection.Thresholds
	AnswerDays int
	Schedule   string // "", quarterly, half_yearly, yearly
	// SameCourt relaxes cross-court review (the default) to
	// cross-department review.
	SameCourt bool
}

const inspColumns = `i.id, i.court_id, c.code, c.name, c.path, i.kind, i.theme, i.theme_name, i.title, i.period_from, i.period_to, i.plan, i.state,
	COALESCE(i.checklist_id, 0), COALESCE(k.name, ''), COALESCE(k.version, 0), i.per_court, i.per_officer, i.th_excellent, i.th_pass, i.th_flaw, i.answer_days, i.cross_court,
	i.schedule, i.next_on, i.created_by, i.created_at`

const inspFrom = ` FROM inspection_campaigns i JOIN courts c ON c.id = i.court_id LEFT JOIN inspection_checklists k ON k.id = i.checklist_id`

func scanInspection(row scanner) (*Inspection, error) {
	var in Inspection
	var next *domain.Date
	err := row.Scan(&in.ID, &in.CourtID, &in.CourtCode, &in.CourtName, &in.OrganiserPath, &in.Kind, &in.Theme, &in.ThemeName, &in.Title,
		&in.From, &in.To, &in.Plan, &in.State, &in.ChecklistID, &in.ChecklistName, &in.ChecklistVersion, &in.PerCourt, &in.PerOfficer,
		&in.Thresholds.Excellent, &in.Thresholds.Pass, &in.Thresholds.Flaw, &in.AnswerDays, &in.CrossCourt, &in.Schedule, &next, &in.CreatedBy, &in.CreatedAt)
	if next != nil {
		in.NextOn = *next
	}
	in.CreatedAt = in.CreatedAt.UTC()
	return &in, translate(err)
}

// inspScope limits campaigns (alias i) to those v sees at all: the whole
// campaign (its group, the three bodies of the organising court and
// above), his own court's part (the three bodies of a court in scope), or
// the findings about him.
func inspScope(v domain.Viewer) (string, []any) {
	if v.System {
		return "1=1", nil
	}
	conds := []string{"EXISTS (SELECT 1 FROM inspection_members m WHERE m.campaign_id = i.id AND m.user_id = ?)",
		"EXISTS (SELECT 1 FROM inspection_findings f WHERE f.campaign_id = i.id AND f.officer_id = ?)"}
	args := []any{v.UserID, v.UserID}
	if inspection.BodyOf(v.Roles) != "" && v.CourtPath != "" {
		conds = append(conds, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'", "EXISTS (SELECT 1 FROM inspection_scope s WHERE s.campaign_id = i.id AND s.court_id = ?)")
		args = append(args, likePrefix(v.CourtPath), v.CourtID)
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// InspectionSorts are the orders of the campaign list, the latest period
// first by default.
var InspectionSorts = Sorts{Keys: map[string][]string{
	"period": {"i.period_from"},
	"title":  {"i.title"},
	"court":  {"c.path"},
	"state":  {"i.state"},
}, Default: "period", DefaultDesc: true, Tie: "i.id"}

// Inspections lists every campaign v sees, the latest first: for the
// program's own reads; a page shown to a user is InspectionPage's.
func (db *DB) Inspections(ctx context.Context, v domain.Viewer) ([]*Inspection, error) {
	out, _, err := db.InspectionPage(ctx, v, PageReq{All: true})
	return out, err
}

// InspectionPage lists a page of the campaigns v sees, with the parts v
// may see, and how many there are.
func (db *DB) InspectionPage(ctx context.Context, v domain.Viewer, req PageReq) ([]*Inspection, PageInfo, error) {
	return db.InspectionPageIn(ctx, v, InspectionFilter{Page: req})
}

// Inspection returns campaign id if v sees any of it; "not found"
// otherwise.
func (db *DB) Inspection(ctx context.Context, v domain.Viewer, id int64) (*Inspection, error) {
	return inspectionRow(ctx, db, v, id)
}

func inspectionRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*Inspection, error) {
	scope, args := inspScope(v)
	in, err := scanInspection(q.queryRow(ctx, "SELECT "+inspColumns+inspFrom+" WHERE i.id = ? AND "+scope, append([]any{id}, args...)...))
	if err != nil {
		return nil, fmt.Errorf("loading inspection %d: %w", id, err)
	}
	return in, loadInspectionParts(ctx, q, v, in)
}

func loadInspectionParts(ctx context.Context, q querier, v domain.Viewer, in *Inspection) error {
	var err error
	in.Scope, err = collect(ctx, q, func(row scanner) (s inspection.Scope, err error) {
		err = row.Scan(&s.CourtID, &s.CourtCode, &s.CourtName, &s.CourtPath, &s.Department)
		return s, err
	}, "SELECT c.id, c.code, c.name, c.path, s.department FROM inspection_scope s JOIN courts c ON c.id = s.court_id WHERE s.campaign_id = ? ORDER BY c.path, s.department", in.ID)
	if err != nil {
		return fmt.Errorf("loading inspection scope: %w", err)
	}
	in.Members, err = collect(ctx, q, func(row scanner) (m inspection.Member, err error) {
		err = row.Scan(&m.UserID, &m.Name, &m.CourtPath, &m.Body, &m.Leader)
		return m, err
	}, `SELECT u.id, u.name, c.path, m.body, m.leader FROM inspection_members m JOIN users u ON u.id = m.user_id JOIN courts c ON c.id = u.court_id
		WHERE m.campaign_id = ? ORDER BY m.leader DESC, m.body, u.id`, in.ID)
	if err != nil {
		return fmt.Errorf("loading inspection group: %w", err)
	}
	in.Full = inspection.SeesAll(v, in.Access())
	return nil
}

// resolveInspection turns a form's courts and members into the campaign's
// scope and group, for the court at organiser.
func (tx *Tx) resolveInspection(ctx context.Context, in *InspectionInput, organiser *domain.Court) error {
	c := &in.Campaign
	c.OrganiserPath, c.Scope, c.Members = organiser.Path, nil, nil
	fe := domain.FieldErrors{}
	for _, s := range in.Courts {
		code, dept, _ := strings.Cut(strings.TrimSpace(s), "/")
		if code == "" {
			continue
		}
		ct, err := courtByCode(ctx, tx, code)
		if errors.Is(err, domain.ErrNotFound) {
			fe.Add("scope", "法院代码“"+code+"”不存在")
			continue
		} else if err != nil {
			return err
		}
		c.Scope = append(c.Scope, inspection.Scope{CourtID: ct.ID, CourtCode: ct.Code, CourtName: ct.Name, CourtPath: ct.Path, Department: strings.TrimSpace(dept)})
	}
	for _, id := range in.MemberIDs {
		u := &domain.User{ID: id}
		var path string
		err := tx.queryRow(ctx, "SELECT u.name, c.path FROM users u JOIN courts c ON c.id = u.court_id WHERE u.id = ? AND NOT u.disabled", id).Scan(&u.Name, &path)
		if err != nil {
			if errors.Is(translate(err), domain.ErrNotFound) {
				fe.Add("members", "工作组成员不存在或已停用")
				continue
			}
			return translate(err)
		}
		if err := loadRoles(ctx, tx, u); err != nil {
			return err
		}
		c.Members = append(c.Members, inspection.Member{UserID: id, Name: u.Name, CourtPath: path, Body: inspection.BodyOf(u.Roles), Leader: id == in.LeaderID})
	}
	if in.PerCourt < 1 || in.PerCourt > 500 {
		fe.Add("per_court", "每院抽取件数应在1至500之间")
	}
	if in.PerOfficer < 0 || in.PerOfficer > 100 {
		fe.Add("per_officer", "每名承办人抽取件数应在0至100之间（0为不按承办人分层）")
	}
	if err := in.Thresholds.Validate(); err != nil {
		fe.Add("thresholds", domain.UserMessage(err))
	}
	if in.AnswerDays < 1 || in.AnswerDays > 60 {
		fe.Add("answer_days", "说明、申辩期限应在1至60日之间")
	}
	switch in.Schedule {
	case "", ScheduleQuarterly, ScheduleHalfYearly, ScheduleYearly:
	default:
		fe.Add("schedule", "未知的周期")
	}
	c.Normalize()
	var ve *domain.ValidationError
	if err := c.Validate(); errors.As(err, &ve) {
		for k, m := range ve.Fields {
			fe.Add(k, m)
		}
	} else if err != nil {
		return err
	}
	return fe.Err()
}

// CreateInspection opens a campaign in a transaction of its own.
func (db *DB) CreateInspection(ctx context.Context, v domain.Viewer, in InspectionInput) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.CreateInspection(ctx, in) })
}

// CreateInspection opens, for tx's viewer (inspection.CanCreate, who must
// sit in its group), a campaign of his court in 筹备 with the theme's
// current checklist frozen. Audited.
func (tx *Tx) CreateInspection(ctx context.Context, in InspectionInput) (int64, error) {
	v := tx.v
	if !inspection.CanCreate(v) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有执行局、纪检监察组、监察室可以组织专项督察评查。")
	}
	organiser, err := courtByCode(ctx, tx, v.CourtCode)
	if err != nil {
		return 0, err
	}
	if err := tx.resolveInspection(ctx, &in, organiser); err != nil {
		return 0, err
	}
	if !inspection.IsMember(in.Campaign.Members, v.UserID) {
		return 0, domain.Invalid("members", "组织者本人应当列入工作组")
	}
	cl, err := tx.currentChecklist(ctx, in.Campaign.Theme)
	if err != nil {
		return 0, err
	}
	now := tx.db.now()
	c := in.Campaign
	next := nextRun(in.Schedule, c.From)
	var id int64
	if err := tx.queryRow(ctx, `INSERT INTO inspection_campaigns (court_id, kind, theme, theme_name, title, period_from, period_to, plan, checklist_id,
		per_court, per_officer, th_excellent, th_pass, th_flaw, answer_days, cross_court, schedule, next_on, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		organiser.ID, c.Kind, c.Theme, c.ThemeName, c.Title, c.From, c.To, c.Plan, nullID(cl),
		in.PerCourt, in.PerOfficer, in.Thresholds.Excellent, in.Thresholds.Pass, in.Thresholds.Flaw, in.AnswerDays, !in.SameCourt, in.Schedule, next, actorName(v), now, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("creating an inspection: %w", translate(err))
	}
	if err := tx.writeInspectionParts(ctx, id, &c); err != nil {
		return 0, err
	}
	return id, tx.Audit(ctx, Entry{Action: "inspection.create", ObjectType: "inspection", ObjectID: fmt.Sprint(id), CourtPath: organiser.Path, Success: true,
		Detail: fmt.Sprintf("%s（%s，%s）：%s至%s，%d个法院（部门），工作组%d人", c.Title, c.Kind.Label(), c.ThemeText(), c.From, c.To, len(c.Scope), len(c.Members))})
}

func (tx *Tx) writeInspectionParts(ctx context.Context, id int64, c *inspection.Campaign) error {
	for _, q := range []string{"DELETE FROM inspection_scope WHERE campaign_id = ?", "DELETE FROM inspection_members WHERE campaign_id = ?"} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return fmt.Errorf("replacing inspection parts: %w", err)
		}
	}
	seen := map[string]bool{}
	for _, s := range c.Scope {
		key := fmt.Sprint(s.CourtID, "/", s.Department)
		if seen[key] {
			continue
		}
		seen[key] = true
		if _, err := tx.exec(ctx, "INSERT INTO inspection_scope (campaign_id, court_id, department) VALUES (?, ?, ?)", id, s.CourtID, s.Department); err != nil {
			return fmt.Errorf("adding inspection scope: %w", err)
		}
	}
	for _, m := range c.Members {
		if _, err := tx.exec(ctx, "INSERT INTO inspection_members (campaign_id, user_id, body, leader) VALUES (?, ?, ?, ?)", id, m.UserID, m.Body, m.Leader); err != nil {
			return fmt.Errorf("adding inspection member: %w", err)
		}
	}
	return nil
}

// UpdateInspection changes a campaign in 筹备 in a transaction of its own.
func (db *DB) UpdateInspection(ctx context.Context, v domain.Viewer, id int64, in InspectionInput) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.UpdateInspection(ctx, id, in) })
}

// UpdateInspection changes, for a member of its group while it is in 筹备
// (inspection.CanEdit), campaign id's title, period, plan, scope, group and
// settings; its kind, theme and checklist stay, and its next scheduled run
// unless the schedule changes. Audited.
func (tx *Tx) UpdateInspection(ctx context.Context, id int64, in InspectionInput) error {
	cur, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return err
	}
	if !inspection.CanEdit(tx.v, cur.Access()) {
		return domain.Errorf(domain.ErrForbidden, "只有工作组成员可以在筹备阶段修改督察评查。")
	}
	in.Campaign.Kind, in.Campaign.Theme, in.Campaign.ThemeName = cur.Kind, cur.Theme, cur.ThemeName
	organiser := &domain.Court{ID: cur.CourtID, Code: cur.CourtCode, Name: cur.CourtName, Path: cur.OrganiserPath}
	if err := tx.resolveInspection(ctx, &in, organiser); err != nil {
		return err
	}
	c := in.Campaign
	if _, err := tx.exec(ctx, `UPDATE inspection_campaigns SET title = ?, period_from = ?, period_to = ?, plan = ?, per_court = ?, per_officer = ?, th_excellent = ?, th_pass = ?,
		th_flaw = ?, answer_days = ?, cross_court = ?, schedule = ?, next_on = CASE WHEN schedule = ? THEN next_on ELSE ? END, updated_at = ? WHERE id = ?`,
		c.Title, c.From, c.To, c.Plan, in.PerCourt, in.PerOfficer, in.Thresholds.Excellent, in.Thresholds.Pass, in.Thresholds.Flaw, in.AnswerDays, !in.SameCourt, in.Schedule,
		in.Schedule, nextRun(in.Schedule, c.From), tx.db.now(), id); err != nil {
		return fmt.Errorf("updating an inspection: %w", err)
	}
	if err := tx.writeInspectionParts(ctx, id, &c); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "inspection.update", ObjectType: "inspection", ObjectID: fmt.Sprint(id), CourtPath: cur.OrganiserPath, Success: true,
		Detail: fmt.Sprintf("修改%s：%d个法院（部门），工作组%d人", c.Title, len(c.Scope), len(c.Members))})
}

// inspectionFacts counts what inspection.Next reads of campaign in.
func inspectionFacts(ctx context.Context, q querier, in *Inspection) (inspection.Facts, error) {
	f := inspection.Facts{GroupProblem: inspection.GroupProblem(in.Members, in.OrganiserPath), Plan: in.Plan != "", Checklist: in.ChecklistID != 0}
	err := q.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM inspection_targets t WHERE t.campaign_id = ?),
		(SELECT COUNT(*) FROM inspection_targets t WHERE t.campaign_id = ? AND t.reviewer_id IS NULL),
		(SELECT COUNT(*) FROM inspection_targets t WHERE t.campaign_id = ? AND t.state = 'open'),
		(SELECT COUNT(*) FROM inspection_targets t WHERE t.campaign_id = ? AND t.state = 'submitted' AND t.grade IN ('flaw', 'fail')),
		(SELECT COUNT(*) FROM inspection_findings f WHERE f.campaign_id = ? AND f.state IN ('open', 'answered')),
		(SELECT COUNT(*) FROM inspection_findings f WHERE f.campaign_id = ? AND f.state = 'kept'),
		(SELECT COUNT(*) FROM inspection_findings f WHERE f.campaign_id = ? AND f.state = 'kept' AND f.rect_id IS NULL AND f.clue_id IS NULL),
		(SELECT COUNT(*) FROM rectification_items ri JOIN inspection_findings f ON f.rect_id = ri.rectification_id
			WHERE f.campaign_id = ? AND ri.state <> 'closed')`,
		in.ID, in.ID, in.ID, in.ID, in.ID, in.ID, in.ID, in.ID).Scan(&f.Targets, &f.Unassigned, &f.OpenReviews, &f.PendingRechecks,
		&f.OpenFindings, &f.KeptFindings, &f.Unfollowed, &f.OpenItems)
	if err != nil {
		return f, fmt.Errorf("counting inspection facts: %w", translate(err))
	}
	return f, nil
}

// InspectionFacts returns what the campaign's next step waits for.
func (db *DB) InspectionFacts(ctx context.Context, v domain.Viewer, id int64) (inspection.Facts, error) {
	in, err := inspectionRow(ctx, db, v, id)
	if err != nil {
		return inspection.Facts{}, err
	}
	return inspectionFacts(ctx, db, in)
}

// MoveInspection takes a step of campaign id in a transaction of its own.
func (db *DB) MoveInspection(ctx context.Context, v domain.Viewer, id int64, ev inspection.Event) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.MoveInspection(ctx, id, ev) })
}

// MoveInspection has the group's leader take step ev of campaign id, as
// inspection.Next allows with the campaign's facts counted now. Audited.
func (tx *Tx) MoveInspection(ctx context.Context, id int64, ev inspection.Event) error {
	in, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return err
	}
	if !inspection.IsLeader(tx.v, in.Access()) {
		return domain.Errorf(domain.ErrForbidden, "只有工作组组长可以推进督察评查。")
	}
	f, err := inspectionFacts(ctx, tx, in)
	if err != nil {
		return err
	}
	to, err := inspection.Next(in.State, ev, f)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, "UPDATE inspection_campaigns SET state = ?, updated_at = ? WHERE id = ? AND state = ?", to, tx.db.now(), id, in.State)
	if err != nil {
		return fmt.Errorf("moving an inspection: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return domain.Errorf(domain.ErrConflict, "督察评查已被他人推进，请刷新后重试。")
	}
	return tx.Audit(ctx, Entry{Action: "inspection." + string(ev), ObjectType: "inspection", ObjectID: fmt.Sprint(id), CourtPath: in.OrganiserPath, Success: true,
		Detail: fmt.Sprintf("%s：%s → %s", in.Title, in.State.Label(), to.Label())})
}

// InspectionCandidate is a user who may sit in a working group.
type InspectionCandidate struct {
	UserID int64
	Name   string
	Court  string
	Body   domain.Role
}

// InspectionCandidates lists the active members of the three bodies of
// v's court, for the group form.
func (db *DB) InspectionCandidates(ctx context.Context, v domain.Viewer) ([]InspectionCandidate, error) {
	if !inspection.CanCreate(v) {
		return nil, nil
	}
	users, err := collect(ctx, db, func(row scanner) (*domain.User, error) {
		var u domain.User
		err := row.Scan(&u.ID, &u.Name, &u.CourtName)
		return &u, err
	}, `SELECT u.id, u.name, c.name FROM users u JOIN courts c ON c.id = u.court_id WHERE u.court_id = ? AND NOT u.disabled
		AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('bureau', 'command_center', 'discipline_group', 'supervision_office'))
		ORDER BY u.name, u.id`, v.CourtID)
	if err != nil {
		return nil, fmt.Errorf("listing group candidates: %w", err)
	}
	if err := loadRoles(ctx, db, users...); err != nil {
		return nil, err
	}
	out := make([]InspectionCandidate, 0, len(users))
	for _, u := range users {
		out = append(out, InspectionCandidate{UserID: u.ID, Name: u.Name, Court: u.CourtName, Body: inspection.BodyOf(u.Roles)})
	}
	return out, nil
}

// InspectionTodo is a step of a campaign v owes.
type InspectionTodo struct {
	ID    int64
	Title string
	// Owed is the step and About the campaign or target, the two halves
	// of Title.
	Owed, About string
	Href        string
	Due         domain.Date // zero when the step has no deadline
	Overdue     bool
}

// InspectionTodos lists what v owes the campaigns, overdue first: as
// leader, the step of each campaign not done (inspection.Steps), the 瑕疵
// and 不合格 sheets to re-check and the findings to decide; as a group
// member in 筹备, the preparation; as a reviewer, the targets to declare
// and score; as an officer, the findings about him he may still answer.
//
// The five kinds are read by one statement (inspectionTodosQuery), in the
// order of their kinds and, within a kind, of the campaign's period, the
// target or the finding: every viewer's home page asks it, and on
// PostgreSQL at a million cases each statement of a home page cost the
// server about 0.08 ms and zhilian about 0.07 ms beyond its own work (the
// watchdog's page ran 23 statements; 2026-12-02).
func (db *DB) InspectionTodos(ctx context.Context, v domain.Viewer) ([]InspectionTodo, error) {
	if v.System || v.UserID == 0 {
		return nil, nil
	}
	today := db.today()
	var out []InspectionTodo
	var kind int
	var sub int64
	var what, campaign string
	var state inspection.State
	var leader bool
	var due domain.Date
	var t InspectionTodo
	err := each(ctx, db, func(row scanner) error {
		if err := row.Scan(&kind, &t.ID, &sub, &what, &campaign, &state, &leader, &due); err != nil {
			return err
		}
		t.About, t.Due, t.Href = campaign, domain.Date{}, fmt.Sprintf("/inspections/%d", t.ID)
		switch kind {
		case todoStep:
			t.Owed = inspection.Steps(state)
			if !leader {
				t.Owed = "参加筹备（工作方案、评查表、评查对象）"
			}
		case todoReview, todoRecheck:
			t.Owed, t.About, t.Href = "评查", what+"（"+campaign+"）", fmt.Sprintf("/inspections/%d/targets/%d", t.ID, sub)
			if kind == todoRecheck {
				t.Owed = "复核瑕疵、不合格评查表"
			}
		case todoAnswer:
			t.Owed, t.Due, t.Href = "对专项督察评查发现的问题说明、申辩", due, fmt.Sprintf("/inspections/%d#finding-%d", t.ID, sub)
		case todoDecide:
			t.Owed, t.Href = "认定问题（维持或撤销）", fmt.Sprintf("/inspections/%d#finding-%d", t.ID, sub)
		default:
			return fmt.Errorf("inspection to-do of kind %d", kind)
		}
		t.Title = t.Owed + "：" + t.About
		out = append(out, t)
		return nil
	}, inspectionTodosQuery, v.UserID, v.UserID, v.UserID, v.UserID, today, v.UserID, today)
	if err != nil {
		return nil, fmt.Errorf("listing inspection to-dos: %w", err)
	}
	return out, nil
}

// The kinds of inspection to-do, in the order InspectionTodos gives them.
const (
	todoStep    = iota // a campaign's step: its leader's, or a member's preparation
	todoReview         // a target to declare and score, its reviewer's
	todoRecheck        // a 瑕疵 or 不合格 sheet to re-check, the leader's
	todoAnswer         // a finding about the officer he may still answer
	todoDecide         // a finding to keep or withdraw, the leader's
)

// inspectionTodosQuery reads InspectionTodos' five kinds in one statement,
// each row its kind, the campaign, the target or finding, the target's
// court, case and department, the campaign's title, its state, whether
// the viewer leads it and a finding's deadline, ordered within a kind by
// two keys (k1, k2) read no further. Its parameters: the viewer five
// times, with today after the fourth and the fifth.
const inspectionTodosQuery = `SELECT kind, id, sub, what, campaign, state, leader, due FROM (
	SELECT 0 AS kind, i.id AS id, 0 AS sub, '' AS what, i.title AS campaign, i.state AS state, m.leader AS leader, '' AS due, i.period_from AS k1, i.id AS k2
		FROM inspection_campaigns i JOIN inspection_members m ON m.campaign_id = i.id
		WHERE m.user_id = ? AND i.state <> 'done' AND (m.leader OR i.state = 'prep')
	UNION ALL SELECT 1, i.id, t.id, c.name || t.case_no || t.department, i.title, '', FALSE, '', '', t.id
		FROM inspection_targets t JOIN inspection_campaigns i ON i.id = t.campaign_id JOIN courts c ON c.id = t.court_id
		WHERE t.reviewer_id = ? AND i.state = 'active' AND t.state = 'open'
	UNION ALL SELECT 2, i.id, t.id, c.name || t.case_no || t.department, i.title, '', FALSE, '', '', t.id
		FROM inspection_targets t JOIN inspection_campaigns i ON i.id = t.campaign_id JOIN courts c ON c.id = t.court_id
		JOIN inspection_members m ON m.campaign_id = i.id AND m.user_id = ? AND m.leader
		WHERE i.state = 'active' AND t.state = 'submitted' AND t.grade IN ('flaw', 'fail')
	UNION ALL SELECT 3, i.id, f.id, '', i.title, '', FALSE, f.answer_due, f.answer_due, f.id
		FROM inspection_findings f JOIN inspection_campaigns i ON i.id = f.campaign_id
		WHERE f.officer_id = ? AND f.state = 'open' AND f.answer_due >= ? AND i.state IN ('active', 'summary')
	UNION ALL SELECT 4, i.id, f.id, '', i.title, '', FALSE, '', '', f.id
		FROM inspection_findings f JOIN inspection_campaigns i ON i.id = f.campaign_id
		JOIN inspection_members m ON m.campaign_id = i.id AND m.user_id = ? AND m.leader
		WHERE i.state = 'summary' AND (f.state = 'answered' OR f.state = 'open' AND (f.officer_id IS NULL OR f.answer_due < ?))
	) todos ORDER BY kind, k1, k2`

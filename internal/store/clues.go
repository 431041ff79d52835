package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
)

// Clue is a clue of a violation (问题线索) and its verification (核查).
type Clue struct {
	ID          int64
	CourtID     int64
	CourtCode   string
	CourtName   string
	CourtPath   string
	Source      oversight.Source
	SourceID    int64
	SourceRef   string
	Summary     string
	State       oversight.ClueState
	VerifierID  int64
	Verifier    string
	DueOn       domain.Date
	Conclusion  oversight.Conclusion
	Form        oversight.Form
	Basis       string
	ConcludedOn domain.Date
	ConcludedBy string
	By          string
	CreatedAt   time.Time
	// TrackingID is the tracking whose record the clue came from
	// (oversight.SourceTracking); 0 otherwise.
	TrackingID int64
	Persons    []ComplaintStaff
	Steps      []ClueStep
}

// ClueStep is one step of a clue's verification, with its evidence.
type ClueStep struct {
	ID    int64
	On    domain.Date
	Note  string
	By    string
	Files []Attachment
}

// ClueFilter selects clues.
type ClueFilter struct {
	State oversight.ClueState
	// CourtPath narrows to a court and the courts below it; Registered,
	// unless zero, to the clues registered in that period.
	CourtPath  string
	Registered overview.Period
	Page       PageReq
}

// clueScope limits clues (alias l) to those v may see
// (oversight.CanSeeClue): a watchdog's subtree, less every clue that
// concerns v. Everyone else is refused.
func clueScope(v domain.Viewer) (string, []any, error) {
	return registerScope(v, oversight.SeesClues(v) && v.CourtPath != "", "只有纪检监察组、监察室可以查看问题线索。", []reach{inSubtree("l.court_id", v)},
		"NOT EXISTS (SELECT 1 FROM clue_persons cp WHERE cp.clue_id = l.id AND cp.user_id = ?)")
}

const clueColumns = `l.id, l.court_id, c.code, c.name, c.path, l.source, COALESCE(l.source_id, 0), l.source_ref, l.summary, l.state,
	COALESCE(l.verifier_id, 0), COALESCE(u.name, ''), l.due_on, l.conclusion, l.form, l.basis, l.concluded_on, l.concluded_by, l.registered_by, l.created_at,
	COALESCE(tr.tracking_id, 0)`

const clueFrom = ` FROM clues l JOIN courts c ON c.id = l.court_id LEFT JOIN users u ON u.id = l.verifier_id
	LEFT JOIN tracking_records tr ON l.source = 'tracking' AND tr.id = l.source_id`

func scanClue(row scanner) (*Clue, error) {
	var l Clue
	if err := row.Scan(&l.ID, &l.CourtID, &l.CourtCode, &l.CourtName, &l.CourtPath, &l.Source, &l.SourceID, &l.SourceRef, &l.Summary, &l.State,
		&l.VerifierID, &l.Verifier, &l.DueOn, &l.Conclusion, &l.Form, &l.Basis, &l.ConcludedOn, &l.ConcludedBy, &l.By, &l.CreatedAt, &l.TrackingID); err != nil {
		return nil, translate(err)
	}
	l.CreatedAt = l.CreatedAt.UTC()
	return &l, nil
}

// ClueSorts are the orders of the clue list: open ones first by deadline
// unless another is asked for.
var ClueSorts = Sorts{Keys: map[string][]string{
	"due":   {"CASE l.state WHEN 'closed' THEN 1 ELSE 0 END", "CASE WHEN l.due_on IS NULL THEN 1 ELSE 0 END", "l.due_on"},
	"court": {"c.path"},
	"state": {"l.state"},
	"filed": {"l.created_at"},
}, Default: "due", Tie: "l.id"}

// Clues lists a page of the clues v may see in f's state, open ones first
// by deadline, and how many match in all.
func (db *DB) Clues(ctx context.Context, v domain.Viewer, f ClueFilter) ([]*Clue, PageInfo, error) {
	scope, args, err := clueScope(v)
	if err != nil {
		return nil, PageInfo{}, err
	}
	cond := scope
	if f.State != "" {
		cond, args = cond+" AND l.state = ?", append(args, f.State)
	}
	if f.CourtPath != "" {
		cond, args = cond+" AND l.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')", append(args, likePrefix(f.CourtPath))
	}
	if f.Registered != (overview.Period{}) {
		cond, args = cond+" AND l.created_at >= ? AND l.created_at < ?", append(args, beijingMidnight(f.Registered.From), beijingMidnight(f.Registered.To.AddDays(1)))
	}
	out, info, err := listPage(ctx, db, scanClue, clueColumns, clueFrom, cond, args, f.Page, ClueSorts, "clues")
	if err != nil {
		return nil, info, err
	}
	for _, l := range out {
		if err := loadCluePersons(ctx, db, l); err != nil {
			return nil, info, err
		}
	}
	return out, info, nil
}

// Clue returns clue id with its persons and steps if v may see it; "not
// found" otherwise.
func (db *DB) Clue(ctx context.Context, v domain.Viewer, id int64) (*Clue, error) {
	l, err := clueRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	if err := loadCluePersons(ctx, db, l); err != nil {
		return nil, err
	}
	l.Steps, err = collect(ctx, db, func(row scanner) (s ClueStep, err error) {
		err = row.Scan(&s.ID, &s.On, &s.Note, &s.By)
		return s, err
	}, "SELECT id, step_on, note, by_name FROM clue_steps WHERE clue_id = ? ORDER BY step_on, id", id)
	if err != nil {
		return nil, fmt.Errorf("loading the clue's steps: %w", err)
	}
	for i := range l.Steps {
		if l.Steps[i].Files, err = attachmentsOf(ctx, db, "clue_step", l.Steps[i].ID); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func clueRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*Clue, error) {
	scope, args, err := clueScope(v)
	if err != nil {
		return nil, err
	}
	return registerRow(ctx, q, scanClue, "SELECT "+clueColumns+clueFrom, "l.id", id, scope, args, "clue")
}

func loadCluePersons(ctx context.Context, q querier, l *Clue) error {
	var err error
	l.Persons, err = collect(ctx, q, func(row scanner) (s ComplaintStaff, err error) {
		err = row.Scan(&s.ID, &s.Name)
		return s, err
	}, "SELECT u.id, u.name FROM clue_persons cp JOIN users u ON u.id = cp.user_id WHERE cp.clue_id = ? ORDER BY u.name, u.id", l.ID)
	if err != nil {
		return fmt.Errorf("loading the clue's persons: %w", err)
	}
	return nil
}

// IsVerifier reports whether v is clue l's verifier.
func (l *Clue) IsVerifier(v domain.Viewer) bool { return l.VerifierID != 0 && l.VerifierID == v.UserID }

// Actions are what v may do to clue l (oversight.ClueActions).
func (l *Clue) Actions(v domain.Viewer) []oversight.ClueAction {
	return oversight.ClueActions(l.State, l.IsVerifier(v))
}

// findStaff resolves who (a username or a name) among the users of the
// court at path and below; msg is the field message when that fails.
func findStaff(ctx context.Context, q querier, path, courtName, who string) (id int64, msg string, err error) {
	ids, err := collect(ctx, q, scanID, `SELECT u.id FROM users u JOIN courts c ON c.id = u.court_id
		WHERE c.path LIKE CAST(? AS TEXT) ESCAPE '\' AND (lower(u.username) = lower(?) OR u.name = ?) ORDER BY u.id`, likePrefix(path), who, who)
	if err != nil {
		return 0, "", fmt.Errorf("finding staff %q: %w", who, err)
	}
	switch len(ids) {
	case 0:
		return 0, "人员不存在或不属于" + courtName + "及其辖区：" + who, nil
	case 1:
		return ids[0], "", nil
	}
	return 0, "姓名“" + who + "”对应多名人员，请填写用户名", nil
}

// findVerifier resolves a verifier: a watchdog of the court at path or a
// court above whom the clue does not concern.
func findVerifier(ctx context.Context, q querier, path, who string, persons []int64) (int64, string, error) {
	ids, err := collect(ctx, q, scanID, `SELECT u.id FROM users u JOIN courts c ON c.id = u.court_id
		WHERE (lower(u.username) = lower(?) OR u.name = ?) AND NOT u.disabled
		AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('discipline_group', 'supervision_office')) ORDER BY u.id`, who, who)
	if err != nil {
		return 0, "", fmt.Errorf("finding verifier %q: %w", who, err)
	}
	var ok []int64
	for _, id := range ids {
		var cp string
		if err := q.queryRow(ctx, "SELECT c.path FROM users u JOIN courts c ON c.id = u.court_id WHERE u.id = ?", id).Scan(&cp); err != nil {
			return 0, "", fmt.Errorf("reading a verifier's court: %w", translate(err))
		}
		if strings.HasPrefix(path, cp) && !containsID(persons, id) {
			ok = append(ok, id)
		}
	}
	switch len(ok) {
	case 0:
		return 0, "核查人应为本院或上级法院纪检监察组、监察室的人员，且不是反映对象：" + who, nil
	case 1:
		return ok[0], "", nil
	}
	return 0, "姓名“" + who + "”对应多名人员，请填写用户名", nil
}

// RegisterClue registers a clue about the court at code in a
// transaction of its own, and returns its id.
func (db *DB) RegisterClue(ctx context.Context, v domain.Viewer, code string, in oversight.Clue, verifier string) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.RegisterClue(ctx, code, in, verifier) })
}

// RegisterClue registers, for tx's watchdog (oversight.CanRegisterClue),
// a clue about the court at code: its source, which must be a record tx's
// viewer sees (a visit's answers must fall in 附件3 category 三), the
// persons it concerns, of that court or below, and optionally its
// verifier. Nobody registers a clue about himself. Audited, without the
// summary.
func (tx *Tx) RegisterClue(ctx context.Context, code string, in oversight.Clue, verifier string) (int64, error) {
	c, err := tx.courtNamed(ctx, code)
	if err != nil {
		return 0, err
	}
	if !oversight.CanRegisterClue(tx.v, c.Path) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有本院或上级法院的纪检监察组、监察室可以登记问题线索。")
	}
	in.Normalize()
	fe := domain.FieldErrors{}
	var ve *domain.ValidationError
	if err := in.Validate(tx.db.today()); errors.As(err, &ve) {
		fe = ve.Fields
	} else if err != nil {
		return 0, err
	}
	if in.Source.Valid() && in.Source != oversight.SourceOther && in.SourceID > 0 {
		if msg, err := tx.checkClueSource(ctx, in.Source, in.SourceID, c.Path); err != nil {
			return 0, err
		} else if msg != "" {
			fe.Add("source_id", msg)
		}
	}
	var persons []int64
	for _, who := range in.Persons {
		id, msg, err := findStaff(ctx, tx, c.Path, c.Name, who)
		if err != nil {
			return 0, err
		}
		if msg != "" {
			fe.Add("persons", msg)
		} else if !containsID(persons, id) {
			persons = append(persons, id)
		}
	}
	if containsID(persons, tx.v.UserID) {
		fe.Add("persons", "涉及本人的问题线索，应由他人登记")
	}
	var verifierID int64
	if verifier = strings.TrimSpace(verifier); verifier != "" {
		id, msg, err := findVerifier(ctx, tx, c.Path, verifier, persons)
		if err != nil {
			return 0, err
		}
		if msg != "" {
			fe.Add("verifier", msg)
		}
		verifierID = id
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	var sourceID, verID any
	if in.SourceID > 0 {
		sourceID = in.SourceID
	}
	if verifierID > 0 {
		verID = verifierID
	}
	var id int64
	err = tx.queryRow(ctx, `INSERT INTO clues (court_id, source, source_id, source_ref, summary, state, verifier_id, due_on, registered_by, created_at)
		VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id`,
		c.ID, in.Source, sourceID, in.SourceRef, in.Summary, verID, in.DueOn, actorName(tx.v), tx.db.now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("registering a clue: %w", translate(err))
	}
	for _, p := range persons {
		if _, err := tx.exec(ctx, "INSERT INTO clue_persons (clue_id, user_id) VALUES (?, ?)", id, p); err != nil {
			return 0, fmt.Errorf("linking a clue's person: %w", err)
		}
	}
	if verifierID > 0 {
		if err := tx.notifyVerifier(ctx, id, c.ID, verifierID); err != nil {
			return 0, err
		}
	}
	return id, tx.Audit(ctx, Entry{Action: "clue.register", ObjectType: "clue", ObjectID: fmt.Sprint(id), CourtPath: c.Path, Success: true,
		Detail: fmt.Sprintf("登记问题线索（来源：%s），反映对象%d人", in.Source.Label(), len(persons))})
}

// checkClueSource checks that the source record is one tx's viewer sees,
// within the court at path; msg says what is wrong with it.
func (tx *Tx) checkClueSource(ctx context.Context, s oversight.Source, id int64, path string) (msg string, err error) {
	var q string
	var args []any
	switch s {
	case oversight.SourceComplaint:
		m, err := complaintRow(ctx, tx, tx.v, id)
		if errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrForbidden) || err == nil && !strings.HasPrefix(m.CourtPath, path) {
			return "投诉举报、信访不存在或不属于该法院及其辖区", nil
		}
		return "", err
	case oversight.SourceVisit:
		q = `SELECT COUNT(*) FROM visits v JOIN cases k ON k.id = v.case_id JOIN courts c ON c.id = k.court_id
			WHERE v.id = ? AND c.path LIKE CAST(? AS TEXT) ESCAPE '\' AND EXISTS (SELECT 1 FROM visit_answers a WHERE a.visit_id = v.id AND (',' || a.categories || ',') LIKE CAST(? AS TEXT))`
		args = []any{id, likePrefix(path), "%," + oversight.VisitCategory + ",%"}
		msg = "回访不存在、不属于该法院及其辖区，或其答复不属于“不廉或作风不正”"
	case oversight.SourceTracking:
		return tx.checkTrackingClue(ctx, id, path)
	case oversight.SourceReview:
		q = `SELECT COUNT(*) FROM trip_reviews rv JOIN courts c ON c.id = rv.court_id WHERE rv.id = ? AND c.path LIKE CAST(? AS TEXT) ESCAPE '\'`
		args = []any{id, likePrefix(path)}
		msg = "外出报告审查不存在或不属于该法院及其辖区"
	case oversight.SourceFinding:
		q = `SELECT COUNT(*) FROM inspection_findings f JOIN courts c ON c.id = f.court_id WHERE f.id = ? AND f.state = 'kept' AND c.path LIKE CAST(? AS TEXT) ESCAPE '\'`
		args = []any{id, likePrefix(path)}
		msg = "专项督察评查发现的问题不存在、未维持或不属于该法院及其辖区"
	default:
		return "", nil
	}
	var n int
	if err := tx.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return "", fmt.Errorf("checking a clue's source: %w", translate(err))
	}
	if n == 0 {
		return msg, nil
	}
	return "", nil
}

// clueForAction loads clue id for tx's viewer and checks that action a
// is allowed; it returns the clue and the state it moves to.
func (tx *Tx) clueForAction(ctx context.Context, id int64, a oversight.ClueAction) (*Clue, oversight.ClueState, error) {
	l, err := clueRow(ctx, tx, tx.v, id)
	if err != nil {
		return nil, "", err
	}
	allowed := false
	for _, x := range l.Actions(tx.v) {
		allowed = allowed || x == a
	}
	next, ok := oversight.NextClueState(l.State, a)
	if !allowed || !ok {
		if a == oversight.ActAssign || l.State == oversight.ClueClosed {
			return nil, "", domain.Errorf(domain.ErrConflict, "该线索已办结。")
		}
		return nil, "", domain.Errorf(domain.ErrForbidden, "只有核查人可以记录核查情况、作出结论。")
	}
	return l, next, nil
}

// AssignClue assigns clue id to a verifier in a transaction of its own.
func (db *DB) AssignClue(ctx context.Context, v domain.Viewer, id int64, verifier string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.AssignClue(ctx, id, verifier) })
}

// AssignClue (re)assigns clue id, not closed, to a verifier
// (findVerifier).
func (tx *Tx) AssignClue(ctx context.Context, id int64, verifier string) error {
	l, _, err := tx.clueForAction(ctx, id, oversight.ActAssign)
	if err != nil {
		return err
	}
	if err := loadCluePersons(ctx, tx, l); err != nil {
		return err
	}
	var persons []int64
	for _, p := range l.Persons {
		persons = append(persons, p.ID)
	}
	if verifier = strings.TrimSpace(verifier); verifier == "" {
		return domain.Invalid("verifier", "请填写核查人")
	}
	vid, msg, err := findVerifier(ctx, tx, l.CourtPath, verifier, persons)
	if err != nil {
		return err
	}
	if msg != "" {
		return domain.Invalid("verifier", msg)
	}
	if _, err := tx.exec(ctx, "UPDATE clues SET verifier_id = ? WHERE id = ?", vid, id); err != nil {
		return fmt.Errorf("assigning a clue: %w", err)
	}
	if err := tx.notifyVerifier(ctx, id, l.CourtID, vid); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "clue.assign", ObjectType: "clue", ObjectID: fmt.Sprint(id), CourtPath: l.CourtPath, Success: true,
		Detail: fmt.Sprintf("指定核查人（用户%d）", vid)})
}

// notifyVerifier tells a clue's verifier that it waits for him: its
// number and where to look, nothing of what it is about.
func (tx *Tx) notifyVerifier(ctx context.Context, id, courtID, verifier int64) error {
	return tx.Notify(ctx, []int64{verifier}, oversight.Notice{Kind: oversight.NoticeClueAssigned, Title: fmt.Sprintf("问题线索（编号%d）待您核查", id),
		Link: fmt.Sprintf("/clues/%d", id), CourtID: courtID})
}

// AddClueStep records a verification step and its evidence in a
// transaction of its own.
func (db *DB) AddClueStep(ctx context.Context, v domain.Viewer, id int64, on domain.Date, note string, files ...FileIn) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.AddClueStep(ctx, id, on, note, files...) })
}

// MaxStepFiles is how many files one verification step may carry.
const MaxStepFiles = 5

// AddClueStep records a step of clue id's verification by its verifier,
// with the files that evidence it (kept as attachments of the step, seen
// by whoever sees the clue); the first step moves it to 核查中. A file
// refused refuses the step.
func (tx *Tx) AddClueStep(ctx context.Context, id int64, on domain.Date, note string, files ...FileIn) error {
	l, next, err := tx.clueForAction(ctx, id, oversight.ActStep)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if err := oversight.CheckStep(on, tx.db.today(), note); err != nil {
		return err
	}
	if len(files) > MaxStepFiles {
		return domain.Invalid("file", fmt.Sprintf("每次最多上传%d个文件", MaxStepFiles))
	}
	var step int64
	if err := tx.queryRow(ctx, "INSERT INTO clue_steps (clue_id, step_on, note, by_name, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
		id, on, note, actorName(tx.v), tx.db.now()).Scan(&step); err != nil {
		return fmt.Errorf("recording a clue's step: %w", translate(err))
	}
	var kept []string
	for _, f := range files {
		_, detail, err := tx.keepFile(ctx, "clue_step", step, f)
		if err != nil {
			return err
		}
		kept = append(kept, detail)
	}
	if _, err := tx.exec(ctx, "UPDATE clues SET state = ? WHERE id = ?", next, id); err != nil {
		return fmt.Errorf("moving a clue on: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "clue.step", ObjectType: "clue", ObjectID: fmt.Sprint(id), CourtPath: l.CourtPath, Success: true,
		Detail: "记录核查情况（" + on.String() + "）" + strings.Join(kept, "；")})
}

// measures are the measures of each form in force.
func (db *DB) measures() oversight.Measures {
	if db.Measures != nil {
		return db.Measures
	}
	return oversight.DefaultMeasures()
}

// ConcludeClue concludes clue id in a transaction of its own.
func (db *DB) ConcludeClue(ctx context.Context, v domain.Viewer, id int64, vd oversight.Verdict) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.ConcludeClue(ctx, id, vd) })
}

// ConcludeClue records the verifier's conclusion of clue id, which
// closes it; a conclusion other than 查无实据了结 enters a disposition of
// its form for each person the clue concerns, decided by the verifier's
// body.
func (tx *Tx) ConcludeClue(ctx context.Context, id int64, vd oversight.Verdict) error {
	l, next, err := tx.clueForAction(ctx, id, oversight.ActConclude)
	if err != nil {
		return err
	}
	if err := vd.Resolve(tx.db.measures(), tx.db.today()); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE clues SET state = ?, conclusion = ?, form = ?, basis = ?, concluded_on = ?, concluded_by = ? WHERE id = ?",
		next, vd.Conclusion, vd.Form, vd.Basis, vd.DecidedOn, actorName(tx.v), id); err != nil {
		return fmt.Errorf("concluding a clue: %w", err)
	}
	if vd.Form.Valid() {
		if err := loadCluePersons(ctx, tx, l); err != nil {
			return err
		}
		decider := deciderOf(tx.v, l.CourtName)
		if vc, err := courtByCode(ctx, tx, tx.v.CourtCode); err == nil {
			decider = deciderOf(tx.v, vc.Name)
		}
		for _, p := range l.Persons {
			if _, err := tx.insertDisposition(ctx, p.ID, vd.Form, vd.Measure, vd.Basis, decider, vd.DecidedOn, vd.FollowUpOn, origin{Clue: id}); err != nil {
				return err
			}
		}
	}
	return tx.Audit(ctx, Entry{Action: "clue.conclude", ObjectType: "clue", ObjectID: fmt.Sprint(id), CourtPath: l.CourtPath, Success: true,
		Detail: fmt.Sprintf("核查结论：%s（%s）", vd.Conclusion, vd.Form.Label())})
}

// deciderOf names the body of the court called court a watchdog decides
// for.
func deciderOf(v domain.Viewer, court string) string {
	body := "纪检监察组"
	if v.Has(domain.RoleSupervisionOffice) && !v.Has(domain.RoleDisciplineGroup) {
		body = "监察室"
	}
	return court + body
}

// ClueTodo is a clue waiting on its verifier.
type ClueTodo struct {
	ID      int64
	Court   string
	Summary string
	State   oversight.ClueState
	DueOn   domain.Date
	Overdue bool
}

// ClueTodos are the clues v verifies that are not closed, overdue first,
// then by deadline.
func (db *DB) ClueTodos(ctx context.Context, v domain.Viewer, limit int) ([]ClueTodo, error) {
	if !v.IsWatchdog() || v.UserID == 0 {
		return nil, nil
	}
	scope, args, err := clueScope(v)
	if err != nil {
		return nil, err
	}
	today := db.today()
	out, err := collect(ctx, db, func(row scanner) (t ClueTodo, err error) {
		err = row.Scan(&t.ID, &t.Court, &t.Summary, &t.State, &t.DueOn)
		t.Overdue = !t.DueOn.IsZero() && t.DueOn.Before(today)
		return t, err
	}, "SELECT l.id, c.name, l.summary, l.state, l.due_on FROM clues l JOIN courts c ON c.id = l.court_id WHERE l.verifier_id = ? AND l.state <> 'closed' AND "+scope+
		fmt.Sprintf(" ORDER BY CASE WHEN l.due_on IS NULL THEN 1 ELSE 0 END, l.due_on, l.id LIMIT %d", max(limit, 1)), append([]any{v.UserID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("listing clue to-dos: %w", err)
	}
	return out, nil
}

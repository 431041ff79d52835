package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/tracking"
)

// Rectification is a rectification (整改) and the items the viewer may see.
type Rectification struct {
	ID              int64
	CourtID         int64
	CourtCode       string
	CourtName       string
	CourtPath       string
	IssuerCourtID   int64
	IssuerCourtName string
	IssuerCourtPath string
	SourceKind      oversight.SourceKind
	SourceID        int64
	Title           string
	Deadline        domain.Date
	IssuedBy        string
	CreatedAt       time.Time
	// The suggestion or the tracking's recommendation it answers.
	Problem, Evidence, Improve string
	Items                      []RectItem
	// Full is true when the viewer sees every item (by court), false when
	// only his own.
	Full bool
}

// RectItem is one item of a rectification.
type RectItem struct {
	ID              int64
	RectID          int64
	Unit            string
	ResponsibleID   int64
	ResponsibleName string
	Deadline        domain.Date
	Task            string
	State           oversight.ItemState
	Measures        string
	Outcome         string
	Rule            oversight.Rule
	SubmittedAt     time.Time
	DecidedBy       string
	DecidedAt       time.Time
	ReturnNote      string
	CreatedAt       time.Time
	Files           []Attachment
}

// Shown is the state the item shows on today (逾期 when overdue).
func (it RectItem) Shown(today domain.Date) oversight.ItemState {
	return oversight.Shown(it.State, it.Deadline, today)
}

// rect is what the rules read of the rectification r and item it.
func (r *Rectification) rect(responsible int64) oversight.Rect {
	return oversight.Rect{CourtPath: r.CourtPath, IssuerCourtPath: r.IssuerCourtPath, Responsible: responsible}
}

// RectFilter selects rectifications: Court is a court code (it and those
// below), State an item state (逾期 included) some item of it is in.
type RectFilter struct {
	Court string
	State oversight.ItemState
	// Source, Created and Rec narrow as the cockpit's figures count: the
	// rectifications of a source, opened in a period (unless zero), whose
	// state as a whole on today (tracking.RecStateOf) is Rec.
	Source  oversight.SourceKind
	Created overview.Period
	Rec     tracking.RecState
	// Items narrows to the rectifications with an item open (not
	// accepted, not overdue) or overdue on today, or with no items and
	// themselves so (RectItemCount counts those items).
	Items tracking.RecState
}

// rectWholeCond holds for a rectification (alias r) whose state as a
// whole on today is state, as tracking.RecStateOf reads it from its
// deadline and all its items.
func rectWholeCond(state tracking.RecState, today domain.Date) (string, []any) {
	const items = "SELECT 1 FROM rectification_items rx WHERE rx.rectification_id = r.id"
	overdue := "(EXISTS (" + items + " AND rx.state <> 'closed' AND rx.deadline <> '' AND rx.deadline < ?) OR (NOT EXISTS (" + items +
		") AND r.deadline <> '' AND r.deadline < ?))"
	closed := "(EXISTS (" + items + ") AND NOT EXISTS (" + items + " AND rx.state <> 'closed'))"
	t := today.String()
	switch state {
	case tracking.RecOverdue:
		return overdue, []any{t, t}
	case tracking.RecClosed:
		return closed, nil
	default:
		return "NOT " + overdue + " AND NOT " + closed, []any{t, t}
	}
}

// rectScope limits rectifications (alias r) to those v may see
// (oversight.CanSeeRect): by court, or holding an item v answers for.
func rectScope(v domain.Viewer) (string, []any, error) {
	var reaches []reach
	if oversight.SeesRectifications(v) && v.CourtPath != "" {
		// A tracking's recommendation is kept from whom the tracking
		// concerns, but for the items he answers for.
		sub := inSubtree("r.court_id", v)
		reaches = append(reaches, reach{"(" + sub.cond + " AND NOT " + recConcernsSQL + ")", append(sub.args, recConcernsArgs(v)...)})
	}
	reaches = append(reaches, reach{"EXISTS (SELECT 1 FROM rectification_items ri WHERE ri.rectification_id = r.id AND ri.responsible_id = ?)", []any{v.UserID}})
	return registerScope(v, true, "", reaches)
}

const rectColumns = `r.id, r.court_id, c.code, c.name, c.path, r.issuer_court, ic.name, ic.path, r.source_kind, r.source_id, r.title, r.deadline,
	r.issued_by, r.created_at, COALESCE(s.problem, tr.problem, fi.text, ''), COALESCE(s.evidence, tr.basis, ''), COALESCE(s.improve, tr.advice, '')`

const rectFrom = ` FROM rectifications r JOIN courts c ON c.id = r.court_id JOIN courts ic ON ic.id = r.issuer_court
	LEFT JOIN suggestions s ON r.source_kind = 'suggestion' AND s.id = r.source_id
	LEFT JOIN tracking_recommendations tr ON r.source_kind = 'recommendation' AND tr.record_id = r.source_id
	LEFT JOIN inspection_findings fi ON r.source_kind = 'inspection' AND fi.id = r.source_id`

func scanRect(row scanner) (*Rectification, error) {
	var r Rectification
	err := row.Scan(&r.ID, &r.CourtID, &r.CourtCode, &r.CourtName, &r.CourtPath, &r.IssuerCourtID, &r.IssuerCourtName, &r.IssuerCourtPath,
		&r.SourceKind, &r.SourceID, &r.Title, &r.Deadline, &r.IssuedBy, &r.CreatedAt, &r.Problem, &r.Evidence, &r.Improve)
	r.CreatedAt = r.CreatedAt.UTC()
	return &r, translate(err)
}

const itemColumns = `i.id, i.rectification_id, i.unit, i.responsible_id, u.name, i.deadline, i.task, i.state, i.measures, i.outcome,
	i.rule_title, i.rule_number, i.rule_on, i.submitted_at, i.decided_by, i.decided_at, i.return_note, i.created_at`

func scanItem(row scanner) (RectItem, error) {
	var it RectItem
	var ruleOn sql.Null[domain.Date]
	var sub, dec sql.NullTime
	err := row.Scan(&it.ID, &it.RectID, &it.Unit, &it.ResponsibleID, &it.ResponsibleName, &it.Deadline, &it.Task, &it.State, &it.Measures, &it.Outcome,
		&it.Rule.Title, &it.Rule.Number, &ruleOn, &sub, &it.DecidedBy, &dec, &it.ReturnNote, &it.CreatedAt)
	it.Rule.On, it.SubmittedAt, it.DecidedAt, it.CreatedAt = ruleOn.V, timeOf(sub), timeOf(dec), it.CreatedAt.UTC()
	return it, err
}

// loadItems fills r's items that v may see, with their files.
func loadItems(ctx context.Context, q querier, v domain.Viewer, r *Rectification) error {
	r.Full = v.System || oversight.SeesRectCourt(v, r.CourtPath)
	if r.Full && r.SourceKind == oversight.SourceRecommendation {
		concerns, err := recConcerns(ctx, q, v, r.ID)
		if err != nil {
			return err
		}
		if concerns {
			r.Full, r.Problem, r.Evidence, r.Improve = false, "", "", ""
		}
	}
	cond, args := "i.rectification_id = ?", []any{r.ID}
	if !r.Full {
		cond, args = cond+" AND i.responsible_id = ?", append(args, v.UserID)
	}
	var err error
	r.Items, err = collect(ctx, q, scanItem, "SELECT "+itemColumns+" FROM rectification_items i JOIN users u ON u.id = i.responsible_id WHERE "+cond+" ORDER BY i.id", args...)
	if err != nil {
		return fmt.Errorf("loading rectification items: %w", err)
	}
	for i := range r.Items {
		if r.Items[i].Files, err = attachmentsOf(ctx, q, "rectification_item", r.Items[i].ID); err != nil {
			return err
		}
	}
	return nil
}

// RectSorts are the orders of the rectification list, the latest first by
// default.
var RectSorts = Sorts{Keys: map[string][]string{
	"created":  {"r.created_at"},
	"court":    {"c.path"},
	"deadline": {"r.deadline"},
}, Default: "created", DefaultDesc: true, Tie: "r.id"}

// Rectifications lists every rectification v may see that f finds, the
// latest first: for the program's own reads; a page shown to a user is
// RectificationPage's.
func (db *DB) Rectifications(ctx context.Context, v domain.Viewer, f RectFilter) ([]*Rectification, error) {
	rs, _, err := db.RectificationPage(ctx, v, f, PageReq{All: true})
	return rs, err
}

// RectificationPage lists a page of the rectifications v may see that f
// finds, with the items v may see, and how many it finds. The state filter
// is read in SQL over the items v may see (all of them where v sees the
// rectification's court, else his own), as the page shows them.
func (db *DB) RectificationPage(ctx context.Context, v domain.Viewer, f RectFilter, req PageReq) ([]*Rectification, PageInfo, error) {
	where, args, err := db.rectWhere(ctx, v, f)
	if err != nil {
		return nil, PageInfo{}, err
	}
	out, info, err := listPage(ctx, db, scanRect, rectColumns, rectFrom, strings.Join(where, " AND "), args, req, RectSorts, "rectifications")
	if err != nil {
		return nil, info, err
	}
	for _, r := range out {
		if err := loadItems(ctx, db, v, r); err != nil {
			return nil, info, err
		}
	}
	return out, info, nil
}

// rectWhere is the conditions on the rectifications v may see that f finds.
func (db *DB) rectWhere(ctx context.Context, v domain.Viewer, f RectFilter) ([]string, []any, error) {
	scope, args, err := rectScope(v)
	if err != nil {
		return nil, nil, err
	}
	where := []string{scope}
	if f.Court != "" {
		c, err := courtByCode(ctx, db, f.Court)
		if err != nil {
			return nil, nil, err
		}
		where, args = append(where, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"), append(args, likePrefix(c.Path))
	}
	if f.State != "" {
		cond, sargs := rectStateCond(v, f.State, db.today())
		where, args = append(where, cond), append(args, sargs...)
	}
	if f.Source != "" {
		where, args = append(where, "r.source_kind = ?"), append(args, string(f.Source))
	}
	if f.Created != (overview.Period{}) {
		where = append(where, "r.created_at >= ? AND r.created_at < ?")
		args = append(args, beijingMidnight(f.Created.From), beijingMidnight(f.Created.To.AddDays(1)))
	}
	if f.Rec != "" {
		cond, sargs := rectWholeCond(f.Rec, db.today())
		where, args = append(where, cond), append(args, sargs...)
	}
	if f.Items != "" {
		cond, sargs := rectItemsWhere(f.Items, db.today())
		where, args = append(where, cond), append(args, sargs...)
	}
	return where, args, nil
}

// rectStateCond holds for a rectification (alias r) with an item v sees
// (loadItems) that shows state on today (RectItem.Shown).
func rectStateCond(v domain.Viewer, state oversight.ItemState, today domain.Date) (string, []any) {
	const overdue = "(rsi.state <> 'closed' AND rsi.deadline <> '' AND rsi.deadline < ?)"
	var shown string
	args := []any{}
	if state == oversight.StateOverdue {
		shown, args = overdue, append(args, today.String())
	} else {
		shown, args = "rsi.state = ? AND NOT "+overdue, append(args, string(state), today.String())
	}
	seen := "1=1"
	var seenArgs []any
	if !v.System {
		seen = "rsi.responsible_id = ?"
		seenArgs = []any{v.UserID}
		if oversight.SeesRectifications(v) && v.CourtPath != "" {
			sub := inSubtree("r.court_id", v)
			seen = "(" + seen + " OR (" + sub.cond + " AND NOT " + recConcernsSQL + "))"
			seenArgs = append(append(seenArgs, sub.args...), recConcernsArgs(v)...)
		}
	}
	return "EXISTS (SELECT 1 FROM rectification_items rsi WHERE rsi.rectification_id = r.id AND " + seen + " AND " + shown + ")",
		append(seenArgs, args...)
}

// Rectification returns rectification id if v may see it, with the items
// v may see; "not found" otherwise.
func (db *DB) Rectification(ctx context.Context, v domain.Viewer, id int64) (*Rectification, error) {
	return rectRow(ctx, db, v, id)
}

func rectRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*Rectification, error) {
	scope, args, err := rectScope(v)
	if err != nil {
		return nil, err
	}
	r, err := registerRow(ctx, q, scanRect, "SELECT "+rectColumns+rectFrom, "r.id", id, scope, args, "rectification")
	if err != nil {
		return nil, err
	}
	return r, loadItems(ctx, q, v, r)
}

// IssueSuggestion addresses a suggestion to the bureau of the court at
// code in a transaction of its own, and returns its rectification's id.
func (db *DB) IssueSuggestion(ctx context.Context, v domain.Viewer, code string, s oversight.Suggestion) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.IssueSuggestion(ctx, code, s) })
}

// IssueSuggestion has tx's viewer, a watchdog of the court at code or a
// court above (oversight.CanIssue), address an improvement suggestion to
// that court's bureau; it opens the rectification that answers it and
// tells the bureau's liaison. Audited.
func (tx *Tx) IssueSuggestion(ctx context.Context, code string, s oversight.Suggestion) (int64, error) {
	c, err := courtByCode(ctx, tx, code)
	if errors.Is(err, domain.ErrNotFound) {
		return 0, domain.Invalid("court", "法院不存在")
	} else if err != nil {
		return 0, err
	}
	if !oversight.CanIssue(tx.v, c.Path) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有本院或上级法院的纪检监察组、监察室可以提出改进意见建议。")
	}
	s.Normalize()
	if err := s.Validate(tx.db.today()); err != nil {
		return 0, err
	}
	now := tx.db.now()
	var sid, rid int64
	if err := tx.queryRow(ctx, `INSERT INTO suggestions (court_id, issuer_court, issuer_id, problem, evidence, improve, deadline, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, tx.v.CourtID, tx.v.UserID, s.Problem, s.Evidence, s.Improve, s.Deadline, now).Scan(&sid); err != nil {
		return 0, fmt.Errorf("issuing a suggestion: %w", translate(err))
	}
	title := s.Problem
	if utf8.RuneCountInString(title) > 40 {
		title = string([]rune(title)[:40]) + "…"
	}
	if err := tx.queryRow(ctx, `INSERT INTO rectifications (court_id, issuer_court, source_kind, source_id, title, deadline, issued_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, tx.v.CourtID, oversight.SourceSuggestion, sid, title, s.Deadline, actorName(tx.v), now).Scan(&rid); err != nil {
		return 0, fmt.Errorf("opening a rectification: %w", translate(err))
	}
	to, err := postHolders(ctx, tx, c.ID, oversight.PostBureauLiaison)
	if err != nil {
		return 0, err
	}
	if len(to) > 0 {
		if err := tx.Notify(ctx, to, oversight.Notice{Kind: oversight.NoticeRectification, Title: "收到改进意见建议，请分解整改事项",
			Link: fmt.Sprintf("/rectifications/%d", rid), CourtID: c.ID}); err != nil {
			return 0, err
		}
	}
	return rid, tx.Audit(ctx, Entry{Action: "suggestion.issue", ObjectType: "rectification", ObjectID: fmt.Sprint(rid), CourtPath: c.Path, Success: true,
		Detail: fmt.Sprintf("向%s执行局提出改进意见建议，整改期限%s", c.Name, s.Deadline)})
}

// AddRectItem adds an item to rectification id in a transaction of its own.
func (db *DB) AddRectItem(ctx context.Context, v domain.Viewer, id int64, it oversight.Item) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.AddRectItem(ctx, id, it) })
}

// AddRectItem adds, for tx's viewer (oversight.CanAssign), an item to
// rectification id: the responsible unit and person (an active member of
// its court), the deadline (not after the rectification's) and the task.
// The person and the bureau's liaison are told. Audited.
func (tx *Tx) AddRectItem(ctx context.Context, id int64, it oversight.Item) (int64, error) {
	r, err := rectRow(ctx, tx, tx.v, id)
	if err != nil {
		return 0, err
	}
	if !oversight.CanAssign(tx.v, r.rect(0)) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有该院执行局或提出意见的纪检监察部门可以分解整改事项。")
	}
	fe := domain.FieldErrors{}
	var ve *domain.ValidationError
	if err := it.Validate(tx.db.today()); errors.As(err, &ve) {
		fe = ve.Fields
	} else if err != nil {
		return 0, err
	}
	if fe["deadline"] == "" && it.Deadline.After(r.Deadline) {
		fe.Add("deadline", "整改事项的期限不能晚于整改期限"+r.Deadline.String())
	}
	var name string
	if it.Responsible != 0 {
		err := tx.queryRow(ctx, "SELECT name FROM users WHERE id = ? AND court_id = ? AND NOT disabled", it.Responsible, r.CourtID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			fe.Add("responsible", "责任人应为"+r.CourtName+"的在用人员")
		} else if err != nil {
			return 0, translate(err)
		}
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	var iid int64
	if err := tx.queryRow(ctx, `INSERT INTO rectification_items (rectification_id, unit, responsible_id, deadline, task, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, id, it.Unit, it.Responsible, it.Deadline, it.Task, tx.db.now()).Scan(&iid); err != nil {
		return 0, fmt.Errorf("adding a rectification item: %w", translate(err))
	}
	if err := tx.notifyItem(ctx, r, it.Responsible, "您有一项整改事项待整改，期限"+it.Deadline.String()); err != nil {
		return 0, err
	}
	return iid, tx.Audit(ctx, Entry{Action: "rectification.item", ObjectType: "rectification", ObjectID: fmt.Sprint(id), CourtPath: r.CourtPath, Success: true,
		Detail: fmt.Sprintf("整改事项%d：%s，责任人%s，期限%s", iid, it.Unit, name, it.Deadline)})
}

// notifyItem tells an item's responsible person and the bureau's liaison
// of r's court.
func (tx *Tx) notifyItem(ctx context.Context, r *Rectification, responsible int64, title string) error {
	to, err := postHolders(ctx, tx, r.CourtID, oversight.PostBureauLiaison)
	if err != nil {
		return err
	}
	return tx.Notify(ctx, append([]int64{responsible}, to...), oversight.Notice{Kind: oversight.NoticeRectification, Title: title,
		Link: fmt.Sprintf("/rectifications/%d", r.ID), CourtID: r.CourtID})
}

// itemRow loads item itemID of rectification id as v sees them.
func itemRow(ctx context.Context, q querier, v domain.Viewer, id, itemID int64) (*Rectification, *RectItem, error) {
	r, err := rectRow(ctx, q, v, id)
	if err != nil {
		return nil, nil, err
	}
	for i := range r.Items {
		if r.Items[i].ID == itemID {
			return r, &r.Items[i], nil
		}
	}
	return nil, nil, fmt.Errorf("rectification item %d: %w", itemID, domain.ErrNotFound)
}

// ReportRectItem records an item's measures in a transaction of its own.
func (db *DB) ReportRectItem(ctx context.Context, v domain.Viewer, id, itemID int64, rp oversight.Report) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.ReportRectItem(ctx, id, itemID, rp) })
}

// ReportRectItem records, for tx's viewer (oversight.CanReport), the
// measures, outcome and any rule made of an item still to be rectified;
// it moves to 整改中, or to 待验收 when submitted, and then the issuing
// court's watchdog liaisons are told. Audited.
func (tx *Tx) ReportRectItem(ctx context.Context, id, itemID int64, rp oversight.Report) error {
	r, it, err := itemRow(ctx, tx, tx.v, id, itemID)
	if err != nil {
		return err
	}
	if !oversight.CanReport(tx.v, r.rect(it.ResponsibleID)) {
		return domain.Errorf(domain.ErrForbidden, "只有责任人或该院执行局可以填报整改情况。")
	}
	if !oversight.CanMove(it.State, "report") {
		return domain.Errorf(domain.ErrConflict, "该事项%s，不能再填报。", it.State.Label())
	}
	if err := rp.Validate(tx.db.today()); err != nil {
		return err
	}
	state, at := oversight.StateProgress, any(nil)
	if rp.Submit {
		state, at = oversight.StateSubmitted, tx.db.now()
	}
	var ruleOn any
	if !rp.Rule.On.IsZero() {
		ruleOn = rp.Rule.On
	}
	if _, err := tx.exec(ctx, `UPDATE rectification_items SET state = ?, measures = ?, outcome = ?, rule_title = ?, rule_number = ?, rule_on = ?, submitted_at = ?
		WHERE id = ?`, state, rp.Measures, rp.Outcome, rp.Rule.Title, rp.Rule.Number, ruleOn, at, itemID); err != nil {
		return fmt.Errorf("reporting a rectification item: %w", err)
	}
	if rp.Submit {
		to, err := postHolders(ctx, tx, r.IssuerCourtID, oversight.PostDisciplineLiaison, oversight.PostSupervisionLiaison)
		if err != nil {
			return err
		}
		if len(to) > 0 {
			if err := tx.Notify(ctx, to, oversight.Notice{Kind: oversight.NoticeRectification, Title: "整改事项提请验收",
				Link: fmt.Sprintf("/rectifications/%d", r.ID), CourtID: r.CourtID}); err != nil {
				return err
			}
		}
	}
	return tx.Audit(ctx, Entry{Action: "rectification.report", ObjectType: "rectification", ObjectID: fmt.Sprint(id), CourtPath: r.CourtPath, Success: true,
		Detail: fmt.Sprintf("整改事项%d：%s", itemID, state.Label())})
}

// DecideRectItem accepts or returns an item in a transaction of its own.
func (db *DB) DecideRectItem(ctx context.Context, v domain.Viewer, id, itemID int64, accept bool, note string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.DecideRectItem(ctx, id, itemID, accept, note) })
}

// DecideRectItem has tx's viewer, a watchdog of the issuing court
// (oversight.CanAccept), accept an item submitted for acceptance (已销号)
// or return it (退回, back to 整改中) with a note saying why; the
// responsible person and the bureau's liaison are told. Audited.
func (tx *Tx) DecideRectItem(ctx context.Context, id, itemID int64, accept bool, note string) error {
	r, it, err := itemRow(ctx, tx, tx.v, id, itemID)
	if err != nil {
		return err
	}
	if !oversight.CanAccept(tx.v, r.rect(it.ResponsibleID)) {
		return domain.Errorf(domain.ErrForbidden, "只有提出意见的纪检监察部门可以验收或退回。")
	}
	if !oversight.CanMove(it.State, "accept") {
		return domain.Errorf(domain.ErrConflict, "该事项%s，不在待验收状态。", it.State.Label())
	}
	note = strings.TrimSpace(note)
	state, title, detail := oversight.StateClosed, "整改事项已验收销号", "验收销号"
	if !accept {
		if note == "" || utf8.RuneCountInString(note) > oversight.MaxNote {
			return domain.Invalid("return_note", "退回时请写明理由（1000字以内）")
		}
		state, title, detail = oversight.StateProgress, "整改事项被退回，请继续整改", "退回："+note
	}
	if _, err := tx.exec(ctx, "UPDATE rectification_items SET state = ?, decided_by = ?, decided_at = ?, return_note = ? WHERE id = ?",
		state, actorName(tx.v), tx.db.now(), note, itemID); err != nil {
		return fmt.Errorf("deciding a rectification item: %w", err)
	}
	if err := tx.notifyItem(ctx, r, it.ResponsibleID, title); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "rectification.decide", ObjectType: "rectification", ObjectID: fmt.Sprint(id), CourtPath: r.CourtPath, Success: true,
		Detail: fmt.Sprintf("整改事项%d：%s", itemID, detail)})
}

// RectToDo is a step of rectification v owes.
type RectToDo struct {
	RectID   int64
	ItemID   int64 // 0: the rectification has no items yet
	Court    string
	Title    string
	Step     string
	Deadline domain.Date
	Overdue  bool
}

// RectToDos lists the steps v owes, overdue first, then by deadline: the
// items he answers for that wait for measures, the items his court issued
// that wait for acceptance (a watchdog), and the rectifications of his
// court without items (the bureau).
func (db *DB) RectToDos(ctx context.Context, v domain.Viewer) ([]RectToDo, error) {
	if v.System || v.UserID == 0 {
		return nil, nil
	}
	today := db.today()
	// The steps v may owe, each a part of one statement (a UNION ALL):
	// every viewer's home page asks this.
	const sel = "SELECT %d, r.id, i.id, c.name, r.title, i.deadline, i.state FROM rectification_items i JOIN rectifications r ON r.id = i.rectification_id JOIN courts c ON c.id = r.court_id"
	steps := []string{"填报整改情况"}
	parts := []string{fmt.Sprintf(sel, 0) + " WHERE i.responsible_id = ? AND i.state IN ('pending', 'progress')"}
	args := []any{v.UserID}
	if v.IsWatchdog() {
		steps, parts = append(steps, "验收整改事项"), append(parts, fmt.Sprintf(sel, len(parts))+" WHERE r.issuer_court = ? AND i.state = 'submitted'")
		args = append(args, v.CourtID)
	}
	if v.Has(domain.RoleBureau) {
		// Within what the viewer may see: a tracking's recommendation is
		// kept from whom the tracking concerns, to-do included.
		scope, sargs, err := rectScope(v)
		if err != nil {
			return nil, err
		}
		steps = append(steps, "分解整改事项")
		parts = append(parts, fmt.Sprintf(`SELECT %d, r.id, 0, c.name, r.title, r.deadline, 'pending'
			FROM rectifications r JOIN courts c ON c.id = r.court_id
			WHERE r.court_id = ? AND NOT EXISTS (SELECT 1 FROM rectification_items i WHERE i.rectification_id = r.id) AND `, len(parts))+scope)
		args = append(append(args, v.CourtID), sargs...)
	}
	type kinded struct {
		RectToDo
		kind int
	}
	var rows []kinded
	err := each(ctx, db, func(row scanner) error {
		var t kinded
		var state oversight.ItemState
		if err := row.Scan(&t.kind, &t.RectID, &t.ItemID, &t.Court, &t.Title, &t.Deadline, &state); err != nil {
			return err
		}
		t.Step, t.Overdue = steps[t.kind], oversight.Overdue(state, t.Deadline, today)
		rows = append(rows, t)
		return nil
	}, strings.Join(parts, "\nUNION ALL "), args...)
	if err != nil {
		return nil, fmt.Errorf("listing rectification to-dos: %w", err)
	}
	// Overdue first, then by deadline; on a tie in the order of the
	// parts, and within a part as read.
	slices.SortStableFunc(rows, func(a, b kinded) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		if c := a.Deadline.Time().Compare(b.Deadline.Time()); c != 0 {
			return c
		}
		return a.kind - b.kind
	})
	out := make([]RectToDo, len(rows))
	for i, t := range rows {
		out[i] = t.RectToDo
	}
	return out, nil
}

// RectCandidates are the active members of rectification id's court, who
// may be made responsible for an item, for a viewer who adds items.
func (db *DB) RectCandidates(ctx context.Context, v domain.Viewer, id int64) ([]PostCandidate, error) {
	r, err := rectRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	if !oversight.CanAssign(v, r.rect(0)) {
		return nil, nil
	}
	return collect(ctx, db, func(row scanner) (c PostCandidate, err error) {
		err = row.Scan(&c.UserID, &c.Name)
		return c, err
	}, "SELECT id, name FROM users WHERE court_id = ? AND NOT disabled ORDER BY name, id", r.CourtID)
}

// RemindRectifications reminds, once on each day oversight.RemindOn names,
// the responsible person and the bureau's liaison of every open item: three
// days before its deadline, the day after it, and weekly while overdue. A
// second run the same day reminds nobody again (reminded_on). It returns
// how many items it reminded of.
func (db *DB) RemindRectifications(ctx context.Context) (int, error) {
	today := db.today()
	type due struct {
		id, rectID, courtID, responsible int64
		state                            oversight.ItemState
		deadline, reminded               domain.Date
	}
	items, err := collect(ctx, db, func(row scanner) (d due, err error) {
		err = row.Scan(&d.id, &d.rectID, &d.courtID, &d.responsible, &d.state, &d.deadline, &d.reminded)
		return d, err
	}, `SELECT i.id, i.rectification_id, r.court_id, i.responsible_id, i.state, i.deadline, i.reminded_on
		FROM rectification_items i JOIN rectifications r ON r.id = i.rectification_id WHERE i.state IN ('pending', 'progress') ORDER BY i.id`)
	if err != nil {
		return 0, fmt.Errorf("finding items to remind: %w", err)
	}
	n := 0
	for _, d := range items {
		remind, overdue := oversight.RemindOn(d.state, d.deadline, today)
		if !remind || d.reminded == today {
			continue
		}
		title := fmt.Sprintf("整改事项将于%s到期，请按期完成并提请验收", d.deadline)
		if overdue {
			title = fmt.Sprintf("整改事项已于%s逾期，请尽快完成", d.deadline)
		}
		err := db.Update(ctx, domain.SystemViewer("job:rectification_reminders"), func(tx *Tx) error {
			to, err := postHolders(ctx, tx, d.courtID, oversight.PostBureauLiaison)
			if err != nil {
				return err
			}
			if err := tx.Notify(ctx, append([]int64{d.responsible}, to...), oversight.Notice{Kind: oversight.NoticeRectification, Title: title,
				Link: fmt.Sprintf("/rectifications/%d", d.rectID), CourtID: d.courtID}); err != nil {
				return err
			}
			_, err = tx.exec(ctx, "UPDATE rectification_items SET reminded_on = ? WHERE id = ?", today, d.id)
			return err
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

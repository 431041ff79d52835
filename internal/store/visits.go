package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// Visit is a return visit to one party of a case.
type Visit struct {
	ID           int64
	CaseID       int64
	CaseNumber   string
	PartyID      int64
	PartyRole    domain.PartyRole
	PartyName    string
	BatchID      int64
	Kind         string // daily or focused
	Reason       string // focused: the criterion (see FocusReasons)
	ReasonNote   string
	CourtID      int64
	CourtCode    string
	CourtName    string
	CourtPath    string
	DepartmentID int64
	OfficerID    int64
	State        visit.State
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ClosedAt     time.Time
}

// VisitEvent is one line of a visit's record.
type VisitEvent struct {
	At     time.Time
	Kind   visit.EventKind
	Actor  string
	Role   domain.Role
	Step   visit.Step
	Detail map[string]any
}

// Focused-visit criteria, from section 二（二） of the seed.
const (
	ReasonOpen18Months = "open_18_months" // 超过18个月未结
	ReasonOverdue      = "overdue"        // 有财产可供执行，法定期限内未执结
	ReasonPetition     = "petition"       // 当事人信访
	ReasonSupervised   = "supervised"     // 上级法院督办
	ReasonManual       = "manual"         // 执行指挥中心手动添加
)

// FocusReasons label the criteria.
var FocusReasons = map[string]string{
	ReasonOpen18Months: "超过18个月未结的执行案件",
	ReasonOverdue:      "有财产可供执行案件在法定期限内未实际执结的案件",
	ReasonPetition:     "当事人信访的执行案件",
	ReasonSupervised:   "上级法院督办的执行案件",
	ReasonManual:       "执行指挥中心决定重点回访",
}

// visitScope limits visits to what v may see. The watchdogs and the
// bureau see their court subtree, the command centre its court. Nobody
// sees a visit about themselves: the officer of the case is shut out even
// when holding one of those roles.
func visitScope(v domain.Viewer) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	if !v.HasAny(domain.RoleCommandCenter, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) || v.CourtPath == "" {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看当事人回访。")
	}
	courts := "vi.court_id IN (SELECT id FROM courts WHERE path LIKE ? ESCAPE '\\')"
	arg := any(likePrefix(v.CourtPath))
	if !v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) {
		courts, arg = "vi.court_id = ?", any(v.CourtID)
	}
	return "(" + courts + " AND (vi.officer_id IS NULL OR vi.officer_id <> ?))", []any{arg, v.UserID}, nil
}

const visitColumns = `vi.id, vi.case_id, k.number, COALESCE(vi.party_id, 0), vi.party_role, vi.party_name, COALESCE(vi.batch_id, 0), vi.kind, vi.reason,
	vi.reason_note, vi.court_id, c.code, c.name, c.path, COALESCE(vi.department_id, 0), COALESCE(vi.officer_id, 0), vi.step, vi.outcome, vi.no_reply,
	vi.due_at, vi.decisions, vi.created_by, vi.created_at, vi.updated_at, vi.closed_at`

const visitFrom = " FROM visits vi JOIN cases k ON k.id = vi.case_id JOIN courts c ON c.id = vi.court_id"

func scanVisit(sc interface{ Scan(...any) error }) (*Visit, error) {
	var vi Visit
	var due, closed sql.NullTime
	var decisions string
	err := sc.Scan(&vi.ID, &vi.CaseID, &vi.CaseNumber, &vi.PartyID, &vi.PartyRole, &vi.PartyName, &vi.BatchID, &vi.Kind, &vi.Reason,
		&vi.ReasonNote, &vi.CourtID, &vi.CourtCode, &vi.CourtName, &vi.CourtPath, &vi.DepartmentID, &vi.OfficerID, &vi.State.Step, &vi.State.Outcome,
		&vi.State.NoReply, &due, &decisions, &vi.CreatedBy, &vi.CreatedAt, &vi.UpdatedAt, &closed)
	if err != nil {
		return nil, translate(err)
	}
	vi.State.Due, vi.ClosedAt = timeOf(due), timeOf(closed)
	vi.CreatedAt, vi.UpdatedAt = vi.CreatedAt.UTC(), vi.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(decisions), &vi.State.Decisions); err != nil {
		return nil, fmt.Errorf("visit %d decisions: %w", vi.ID, err)
	}
	return &vi, nil
}

// createVisits starts visits of a case: one per 申请执行人 and 被执行人 with
// a usable mobile, or, when nobody has one, one visit by phone to the
// first party (the command centre finds a number).
func (tx *Tx) createVisits(ctx context.Context, caseID, batchID int64, kind, reason, note string) (int, error) {
	var courtID int64
	var deptID, officerID sql.NullInt64
	if err := tx.queryRow(ctx, "SELECT court_id, department_id, officer_id FROM cases WHERE id = ?", caseID).Scan(&courtID, &deptID, &officerID); err != nil {
		return 0, fmt.Errorf("loading case for visits: %w", translate(err))
	}
	rows, err := tx.query(ctx, "SELECT id, role, name, phone_sealed FROM parties WHERE case_id = ? AND role IN ('applicant', 'respondent') ORDER BY position", caseID)
	if err != nil {
		return 0, fmt.Errorf("loading parties for visits: %w", err)
	}
	type target struct {
		id         int64
		role, name string
		phone      bool
	}
	var all []target
	for rows.Next() {
		var t target
		var sealed string
		if err := rows.Scan(&t.id, &t.role, &t.name, &sealed); err != nil {
			rows.Close()
			return 0, err
		}
		t.phone = sealed != ""
		all = append(all, t)
	}
	rows.Close()
	var targets []target
	for _, t := range all {
		if t.phone {
			targets = append(targets, t)
		}
	}
	if len(targets) == 0 && len(all) > 0 {
		targets = all[:1]
	}
	now := tx.db.now()
	for _, t := range targets {
		_, err := tx.exec(ctx, `INSERT INTO visits (case_id, party_id, party_role, party_name, batch_id, kind, reason, reason_note, court_id, department_id,
			officer_id, step, created_by, created_at, updated_at, month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			caseID, t.id, t.role, t.name, nullID(batchID), kind, reason, note, courtID, deptID, officerID, visit.StepNew, actorName(tx.v), now, now,
			domain.DateOf(now, shanghai).String()[:7])
		if err != nil {
			return 0, fmt.Errorf("creating visit: %w", err)
		}
	}
	return len(targets), nil
}

// VisitFilter narrows a visit listing.
type VisitFilter struct {
	Step         string // a visit.Step, "open", or "" / "all" for every step
	Kind         string
	BatchID      int64
	CaseID       int64
	Court        string // court code
	DepartmentID int64
	OfficerID    int64
	// From and To are months (YYYY-MM, inclusive) the visits began in.
	From, To string
	Limit    int
}

// Visits lists visits the viewer may see, newest first.
func (db *DB) Visits(ctx context.Context, v domain.Viewer, f VisitFilter) ([]*Visit, error) {
	scope, args, err := visitScope(v)
	if err != nil {
		return nil, err
	}
	where := []string{scope}
	switch f.Step {
	case "", "all":
	case "open":
		where = append(where, "vi.step <> 'closed'")
	default:
		where = append(where, "vi.step = ?")
		args = append(args, f.Step)
	}
	if f.Kind != "" {
		where = append(where, "vi.kind = ?")
		args = append(args, f.Kind)
	}
	if f.BatchID != 0 {
		where = append(where, "vi.batch_id = ?")
		args = append(args, f.BatchID)
	}
	if f.CaseID != 0 {
		where = append(where, "vi.case_id = ?")
		args = append(args, f.CaseID)
	}
	if f.Court != "" {
		where = append(where, "c.code = ?")
		args = append(args, f.Court)
	}
	if f.DepartmentID != 0 {
		where = append(where, "vi.department_id = ?")
		args = append(args, f.DepartmentID)
	}
	if f.OfficerID != 0 {
		where = append(where, "vi.officer_id = ?")
		args = append(args, f.OfficerID)
	}
	if f.From != "" {
		where = append(where, "vi.month >= ?")
		args = append(args, f.From)
	}
	if f.To != "" {
		where = append(where, "vi.month <= ?")
		args = append(args, f.To)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := db.query(ctx, "SELECT "+visitColumns+visitFrom+" WHERE "+strings.Join(where, " AND ")+" ORDER BY vi.id DESC LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("listing visits: %w", err)
	}
	defer rows.Close()
	var out []*Visit
	for rows.Next() {
		vi, err := scanVisit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, vi)
	}
	return out, translate(rows.Err())
}

// VisitByID returns a visit the viewer may see, with its record.
func (db *DB) VisitByID(ctx context.Context, v domain.Viewer, id int64) (*Visit, []VisitEvent, error) {
	scope, args, err := visitScope(v)
	if err != nil {
		return nil, nil, err
	}
	vi, err := scanVisit(db.queryRow(ctx, "SELECT "+visitColumns+visitFrom+" WHERE vi.id = ? AND "+scope, append([]any{id}, args...)...))
	if err != nil {
		return nil, nil, fmt.Errorf("loading visit %d: %w", id, err)
	}
	rows, err := db.query(ctx, "SELECT at, kind, actor, role, step, detail FROM visit_events WHERE visit_id = ? ORDER BY id", id)
	if err != nil {
		return nil, nil, fmt.Errorf("loading visit record: %w", err)
	}
	defer rows.Close()
	var evs []VisitEvent
	for rows.Next() {
		var e VisitEvent
		var detail string
		if err := rows.Scan(&e.At, &e.Kind, &e.Actor, &e.Role, &e.Step, &detail); err != nil {
			return nil, nil, err
		}
		e.At = e.At.UTC()
		json.Unmarshal([]byte(detail), &e.Detail)
		evs = append(evs, e)
	}
	return vi, evs, translate(rows.Err())
}

// eventRole says which role v acts in for ev, or an error if v may not
// record it. Each body records its own consultation decision.
func eventRole(v domain.Viewer, ev visit.Event) (domain.Role, error) {
	if v.System {
		if ev.Role != "" {
			return ev.Role, nil
		}
		return domain.RoleCommandCenter, nil
	}
	switch ev.Kind {
	case visit.EventStart, visit.EventStartPhone, visit.EventPhoneRecorded, visit.EventSMSReply, visit.EventCategoriesReply,
		visit.EventReplyWindowExpired, visit.EventSMSFailed:
		if v.Has(domain.RoleCommandCenter) {
			return domain.RoleCommandCenter, nil
		}
		return "", domain.Errorf(domain.ErrForbidden, "只有执行指挥中心可以办理这一步。")
	case visit.EventConsultDecision, visit.EventManualClose:
		if v.Has(ev.Role) {
			return ev.Role, nil
		}
		return "", domain.Errorf(domain.ErrForbidden, "只能以本人所在机构（%s）的名义登记。", ev.Role.Label())
	case visit.EventOnsiteRecorded:
		for _, r := range visit.ConsultingBodies() {
			if v.Has(r) {
				return r, nil
			}
		}
		return "", domain.Errorf(domain.ErrForbidden, "实地回访由执行局、纪检监察组、监察室登记。")
	}
	return "", domain.Invalid("event", "未知的回访事件")
}

// ApplyVisitEvent moves a visit on by one event, through the rules of
// internal/visit, and keeps the record: the new state, the event with its
// details, the answers for statistics, an audit record. It returns the
// transition, whose SMS the caller sends.
func (db *DB) ApplyVisitEvent(ctx context.Context, v domain.Viewer, id int64, ev visit.Event, cfg visit.Config) (visit.Transition, error) {
	role, err := eventRole(v, ev)
	if err != nil {
		return visit.Transition{}, err
	}
	ev.Role = role
	scope, args, err := visitScope(v)
	if err != nil {
		return visit.Transition{}, err
	}
	var tr visit.Transition
	err = db.Update(ctx, v, func(tx *Tx) error {
		lock := ""
		if db.Engine == Postgres {
			lock = " FOR UPDATE OF vi"
		}
		vi, err := scanVisit(tx.queryRow(ctx, "SELECT "+visitColumns+visitFrom+" WHERE vi.id = ? AND "+scope+lock, append([]any{id}, args...)...))
		if err != nil {
			return fmt.Errorf("loading visit %d: %w", id, err)
		}
		now := tx.db.now()
		if tr, err = visit.Next(vi.State, ev, cfg, now); err != nil {
			return err
		}
		if err := tx.saveTransition(ctx, vi, tr, now); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "INSERT INTO visit_events (visit_id, at, kind, actor_id, actor, role, step, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			id, now, ev.Kind, nullID(v.UserID), actorName(v), role, tr.State.Step, mustJSON(eventDetail(ev))); err != nil {
			return fmt.Errorf("recording visit event: %w", err)
		}
		if err := tx.recordAnswers(ctx, id, ev, now); err != nil {
			return err
		}
		if tr.SMS != visit.MessageNone {
			if err := tx.queueSMS(ctx, vi, tr); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, Entry{Action: "visit." + string(ev.Kind), ObjectType: "visit", ObjectID: strconv.FormatInt(id, 10), CourtPath: vi.CourtPath,
			Success: true, Detail: vi.CaseNumber + " → " + tr.State.Step.Label()})
	})
	return tr, err
}

func eventDetail(ev visit.Event) map[string]any {
	d := map[string]any{}
	if ev.Reply.Kind != "" {
		d["reply"], d["reply_kind"] = ev.Reply.Text, ev.Reply.Kind
	}
	if len(ev.Categories) > 0 {
		d["categories"] = ev.Categories
	}
	if ev.Answers != nil {
		d["answers"] = ev.Answers
	}
	for k, s := range map[string]string{"person": ev.Person, "opinion": ev.Opinion, "measures": ev.Measures, "suggestions": ev.Suggestions, "reason": ev.Reason} {
		if s != "" {
			d[k] = s
		}
	}
	return d
}

// recordAnswers keeps what a party answered, for statistics.
func (tx *Tx) recordAnswers(ctx context.Context, id int64, ev visit.Event, now time.Time) error {
	var source string
	var satisfied any
	var a visit.Answers
	switch ev.Kind {
	case visit.EventSMSReply:
		source = "sms"
		switch ev.Reply.Kind {
		case visit.ReplySatisfied:
			satisfied = true
		case visit.ReplyDissatisfied:
			satisfied = false
		default:
			return nil
		}
		a.Text = ev.Reply.Text
	case visit.EventCategoriesReply:
		source = "sms"
		satisfied = false
		for _, n := range ev.Categories {
			if c, ok := visit.CategoryByNo(n); ok {
				a.Categories = append(a.Categories, c.Code)
			}
		}
	case visit.EventPhoneRecorded, visit.EventOnsiteRecorded:
		source = "phone"
		if ev.Kind == visit.EventOnsiteRecorded {
			source = "onsite"
		}
		if ev.Answers == nil {
			return nil
		}
		// Items imply their categories (附件3 asks for both).
		a = ev.Answers.Normalize()
		if a.Satisfied != nil {
			satisfied = *a.Satisfied
		}
	default:
		return nil
	}
	return tx.insertAnswers(ctx, id, source, satisfied, a, now)
}

// insertAnswers keeps an answers record and what it says on the visit.
func (tx *Tx) insertAnswers(ctx context.Context, id int64, source string, satisfied any, a visit.Answers, now time.Time) error {
	_, err := tx.exec(ctx, "INSERT INTO visit_answers (visit_id, source, satisfied, categories, items, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		id, source, satisfied, joinCodes(a.Categories), joinCodes(a.Items), a.Text, now)
	if err != nil {
		return fmt.Errorf("recording answers: %w", err)
	}
	_, err = tx.exec(ctx, "UPDATE visits SET replied = replied OR ?, satisfied = COALESCE(?, satisfied) WHERE id = ?", source == "sms" || source == "link", satisfied, id)
	if err != nil {
		return fmt.Errorf("recording answers: %w", err)
	}
	return nil
}

// AddFocusedVisit lets the command centre add a case for a focused visit
// by hand, with its reason.
func (db *DB) AddFocusedVisit(ctx context.Context, v domain.Viewer, caseID int64, note string) (int, error) {
	if !v.System && !v.Has(domain.RoleCommandCenter) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有执行指挥中心可以添加重点回访。")
	}
	if strings.TrimSpace(note) == "" {
		return 0, domain.Invalid("note", "请说明重点回访的理由")
	}
	k, err := db.CaseByID(ctx, v, caseID)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.Update(ctx, v, func(tx *Tx) error {
		var err error
		if n, err = tx.createVisits(ctx, k.ID, 0, "focused", ReasonManual, strings.TrimSpace(note)); err != nil {
			return err
		}
		return tx.Audit(ctx, Entry{Action: "visit.focus_manual", ObjectType: "case", ObjectID: k.Number, CourtPath: k.CourtPath, Success: true, Detail: note})
	})
	return n, err
}

// ScanFocused finds open cases meeting a focused-visit criterion and starts
// visits for them, unless the case had a focused visit for the same reason
// within interval. It returns how many visits it started.
func (db *DB) ScanFocused(ctx context.Context, interval time.Duration) (int, error) {
	today := db.today()
	since := db.now().Add(-interval)
	type hit struct {
		caseID int64
		reason string
	}
	criteria := []struct {
		reason string
		cond   string
		args   []any
	}{
		{ReasonOpen18Months, "k.filed_on < ?", []any{today.AddMonths(-18)}},
		{ReasonOverdue, "k.has_property AND k.property_known AND NOT k.clock_stopped AND k.due_on < ?", []any{today}},
		{ReasonPetition, "k.petition", nil},
		{ReasonSupervised, "k.supervised_by <> ''", nil},
	}
	var hits []hit
	for _, c := range criteria {
		q := "SELECT k.id FROM cases k WHERE k.closed_on IS NULL AND " + c.cond +
			" AND NOT EXISTS (SELECT 1 FROM visits vi WHERE vi.case_id = k.id AND vi.kind = 'focused' AND vi.reason = ? AND vi.created_at >= ?)"
		rows, err := db.query(ctx, q, append(c.args, c.reason, since)...)
		if err != nil {
			return 0, fmt.Errorf("scanning for %s: %w", c.reason, err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, err
			}
			hits = append(hits, hit{id, c.reason})
		}
		rows.Close()
	}
	total := 0
	for start := 0; start < len(hits); start += 200 {
		chunk := hits[start:min(start+200, len(hits))]
		err := db.Update(ctx, domain.SystemViewer("job:focused_visits"), func(tx *Tx) error {
			n := 0
			for _, h := range chunk {
				c, err := tx.createVisits(ctx, h.caseID, 0, "focused", h.reason, FocusReasons[h.reason])
				if err != nil {
					return err
				}
				n += c
			}
			total += n
			return tx.Audit(ctx, Entry{Action: "visit.focus_scan", ObjectType: "visit", Success: true, Detail: fmt.Sprintf("重点回访：%d件案件，%d次回访", len(chunk), n)})
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// smsText returns the text of a message of a visit, in the seed's words.
func smsText(kind visit.MessageKind, courtName, caseNumber string) string {
	question := "案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。"
	switch kind {
	case visit.MessageAskAgain:
		return "【" + courtName + "】抱歉，未能识别您的回复。您的案件" + caseNumber + "，" + question
	case visit.MessageCategories:
		return "【" + courtName + "】不满意的事项是哪些，请选择，可以选择多项：1 反映消极执行；2 反映执行错误；3 反映执行不廉或作风不正；4 反映外部非正常干预问题。请回复序号，如“1 3”。"
	}
	return "【" + courtName + "】您好，这里是执行回访。您的案件" + caseNumber + "，" + question
}

// queueSMS writes the message a transition asks for to the outbox, in the
// transaction of the transition. Its key names the visit, the event and
// the message, so the same decision never queues two messages.
func (tx *Tx) queueSMS(ctx context.Context, vi *Visit, tr visit.Transition) error {
	var seq int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM visit_events WHERE visit_id = ?", vi.ID).Scan(&seq); err != nil {
		return fmt.Errorf("numbering the message: %w", translate(err))
	}
	var sealed, index string
	err := tx.queryRow(ctx, "SELECT phone_sealed, phone_index FROM parties WHERE id = ?", vi.PartyID).Scan(&sealed, &index)
	if err != nil || sealed == "" {
		// No number to text: the party is phoned instead.
		return nil
	}
	key := fmt.Sprintf("visit:%d:%d:%s", vi.ID, seq, tr.SMS)
	body := smsText(tr.SMS, vi.CourtName, vi.CaseNumber)
	if tr.SMS == visit.MessageQuestion && tx.db.LinkBase != "" {
		token, err := tx.createLink(ctx, vi.ID)
		if err != nil {
			return err
		}
		body += "也可打开 " + strings.TrimSuffix(tx.db.LinkBase, "/") + "/v/" + token + " 填写反馈单。"
	}
	_, err = tx.exec(ctx, "INSERT INTO sms_outbox (visit_id, kind, phone_sealed, phone_index, body, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		vi.ID, tr.SMS, sealed, index, body, key, tx.db.now())
	if err != nil {
		return fmt.Errorf("queueing SMS: %w", err)
	}
	return nil
}

// VisitTodo is a visit step that waits on the viewer.
type VisitTodo struct {
	VisitID    int64
	CaseNumber string
	Step       visit.Step
	Due        time.Time
}

// VisitTodos returns the open visits whose next step the viewer's roles
// owe: the command centre starts visits and makes phone visits; each body
// gives its consultation decision; the three bodies record on-site visits.
// Overdue ones come first.
func (db *DB) VisitTodos(ctx context.Context, v domain.Viewer, limit int) ([]VisitTodo, error) {
	if !v.HasAny(domain.RoleCommandCenter, domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) {
		return nil, nil
	}
	scope, args, err := visitScope(v)
	if err != nil {
		return nil, err
	}
	var steps []string
	if v.Has(domain.RoleCommandCenter) {
		steps = append(steps, "'new'", "'phone_pending'")
	}
	if v.HasAny(visit.ConsultingBodies()...) {
		steps = append(steps, "'consultation'", "'onsite_pending'")
	}
	rows, err := db.query(ctx, "SELECT vi.id, k.number, vi.step, vi.due_at, vi.decisions"+visitFrom+" WHERE "+scope+
		" AND vi.step IN ("+strings.Join(steps, ",")+") ORDER BY vi.due_at IS NULL, vi.due_at, vi.id LIMIT ?", append(args, limit*3)...)
	if err != nil {
		return nil, fmt.Errorf("listing visit to-dos: %w", err)
	}
	defer rows.Close()
	var out []VisitTodo
	for rows.Next() {
		var t VisitTodo
		var due sql.NullTime
		var decisions string
		if err := rows.Scan(&t.VisitID, &t.CaseNumber, &t.Step, &due, &decisions); err != nil {
			return nil, err
		}
		t.Due = timeOf(due)
		if t.Step == visit.StepConsultation {
			// Only if one of the viewer's bodies has not decided yet.
			var ds []visit.Decision
			json.Unmarshal([]byte(decisions), &ds)
			owes := false
			for _, r := range visit.ConsultingBodies() {
				if v.Has(r) && !slices.ContainsFunc(ds, func(d visit.Decision) bool { return d.Role == r }) {
					owes = true
				}
			}
			if !owes {
				continue
			}
		}
		out = append(out, t)
		if len(out) == limit {
			break
		}
	}
	return out, translate(rows.Err())
}

// saveTransition stores a visit's new state.
func (tx *Tx) saveTransition(ctx context.Context, vi *Visit, tr visit.Transition, now time.Time) error {
	var closed any
	if tr.State.Step == visit.StepClosed {
		closed = now
	}
	// The statistics flags only ever turn on; the final satisfaction is
	// the outcome's when the visit closes on one.
	var satisfied any
	switch tr.State.Outcome {
	case visit.OutcomeSatisfiedSMS, visit.OutcomeSatisfiedPhone:
		satisfied = true
	case visit.OutcomeOnsiteDone:
		satisfied = false
	}
	step := tr.State.Step
	if _, err := tx.exec(ctx, `UPDATE visits SET step = ?, outcome = ?, no_reply = ?, due_at = ?, decisions = ?, updated_at = ?, closed_at = ?,
		sms_sent = sms_sent OR ?, reached_phone = reached_phone OR ?, reached_consult = reached_consult OR ?, reached_onsite = reached_onsite OR ?,
		satisfied = COALESCE(?, satisfied) WHERE id = ?`,
		step, tr.State.Outcome, tr.State.NoReply, nullTime(tr.State.Due), mustJSON(tr.State.Decisions), now, closed,
		tr.SMS == visit.MessageQuestion, step == visit.StepPhonePending, step == visit.StepConsultation, step == visit.StepOnsitePending,
		satisfied, vi.ID); err != nil {
		return fmt.Errorf("updating visit: %w", err)
	}
	return nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func joinCodes(codes []string) string { return strings.Join(codes, ",") }

// VisitAnswers returns the answers recorded for a visit, newest first.
func (db *DB) VisitAnswers(ctx context.Context, v domain.Viewer, id int64) ([]VisitAnswer, error) {
	if _, _, err := db.VisitByID(ctx, v, id); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, "SELECT source, satisfied, categories, items, text, at FROM visit_answers WHERE visit_id = ? ORDER BY id DESC", id)
	if err != nil {
		return nil, fmt.Errorf("loading answers: %w", err)
	}
	defer rows.Close()
	var out []VisitAnswer
	for rows.Next() {
		var a VisitAnswer
		var sat sql.NullBool
		var cats, items string
		if err := rows.Scan(&a.Source, &sat, &cats, &items, &a.Answers.Text, &a.At); err != nil {
			return nil, err
		}
		if sat.Valid {
			b := sat.Bool
			a.Answers.Satisfied = &b
		}
		if cats != "" {
			a.Answers.Categories = strings.Split(cats, ",")
		}
		if items != "" {
			a.Answers.Items = strings.Split(items, ",")
		}
		a.At = a.At.UTC()
		out = append(out, a)
	}
	return out, translate(rows.Err())
}

// VisitAnswer is one answers record.
type VisitAnswer struct {
	Source  string
	Answers visit.Answers
	At      time.Time
}

// ExpireReplyWindows records 未回复 for every visit whose SMS reply window
// has passed: the visit goes on to the phone visit (or closes, as
// configured). It returns how many visits it moved.
func (db *DB) ExpireReplyWindows(ctx context.Context, cfg visit.Config) (int, error) {
	rows, err := db.query(ctx, "SELECT id FROM visits WHERE step IN ('sms_sent', 'sms_unclear_asked') AND due_at < ? ORDER BY id", db.now())
	if err != nil {
		return 0, fmt.Errorf("finding expired reply windows: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	n := 0
	for _, id := range ids {
		if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("job:reply_windows"), id, visit.Event{Kind: visit.EventReplyWindowExpired}, cfg); err != nil {
			if errors.Is(err, domain.ErrConflict) {
				continue // answered meanwhile
			}
			return n, err
		}
		n++
	}
	return n, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
)

// Complaint is a registered complaint or petition (投诉举报、信访).
type Complaint struct {
	ID          int64
	CourtID     int64
	CourtCode   string
	CourtName   string
	CourtPath   string
	Kind        oversight.Kind
	Channel     oversight.Channel
	ReceivedOn  domain.Date
	PersonName  string
	PhoneMasked string
	Content     string
	Categories  []string // 附件3 category codes
	Level       oversight.Level
	Repeat      int
	Lead        oversight.Lead
	LeadNote    string
	AssessedBy  string
	AssessedAt  time.Time
	By          string
	CreatedAt   time.Time
	Cases       []ComplaintCase
	Staff       []ComplaintStaff
}

// ComplaintCase is a case a complaint is about; Strong marks one whose
// party reacts strongly (oversight.StrongRule) as far as the viewer knows.
type ComplaintCase struct {
	ID     int64
	Number string
	Strong bool
}

// ComplaintStaff is a member of staff a complaint names.
type ComplaintStaff struct {
	ID   int64
	Name string
}

// ComplaintFilter selects complaints. Court is a court code: that court
// and those below it; Lead is "clear", "unclear" or "none".
type ComplaintFilter struct {
	Kind    oversight.Kind
	Channel oversight.Channel
	Lead    string
	Court   string
	Case    string // a case number
	// Received, unless zero, narrows to those received in that period.
	Received overview.Period
	Page     PageReq
}

// complaintScope limits complaints (alias m) to those v may see
// (oversight.CanSee): the court reach of v's roles, less every complaint
// that names v or is about a case v handles.
func complaintScope(v domain.Viewer) (string, []any, error) {
	var reaches []reach
	if v.HasAny(domain.RoleBureau, domain.RoleDisciplineGroup, domain.RoleSupervisionOffice) {
		reaches = append(reaches, inSubtree("m.court_id", v))
	}
	if v.Has(domain.RoleCommandCenter) {
		reaches = append(reaches, reach{"m.court_id = ?", []any{v.CourtID}})
	}
	return registerScope(v, oversight.SeesComplaints(v) && v.CourtPath != "", "您的角色无权查看投诉举报、信访。", reaches,
		"NOT EXISTS (SELECT 1 FROM complaint_staff cs WHERE cs.complaint_id = m.id AND cs.user_id = ?)",
		"NOT EXISTS (SELECT 1 FROM complaint_cases cc JOIN cases ck ON ck.id = cc.case_id WHERE cc.complaint_id = m.id AND ck.officer_id = ?)")
}

const complaintColumns = `m.id, m.court_id, c.code, c.name, c.path, m.kind, m.channel, m.received_on, m.person_name_sealed, m.person_phone_sealed,
	m.content, m.categories, m.level, m.repeat_no, m.lead, m.lead_note, m.assessed_by, m.assessed_at, m.registered_by, m.created_at`

const complaintFrom = " FROM complaints m JOIN courts c ON c.id = m.court_id"

func (db *DB) scanComplaint(row scanner) (*Complaint, error) {
	var m Complaint
	var name, phone, cats string
	var at sql.NullTime
	if err := row.Scan(&m.ID, &m.CourtID, &m.CourtCode, &m.CourtName, &m.CourtPath, &m.Kind, &m.Channel, &m.ReceivedOn, &name, &phone,
		&m.Content, &cats, &m.Level, &m.Repeat, &m.Lead, &m.LeadNote, &m.AssessedBy, &at, &m.By, &m.CreatedAt); err != nil {
		return nil, translate(err)
	}
	m.AssessedAt, m.CreatedAt = timeOf(at), m.CreatedAt.UTC()
	if cats != "" {
		m.Categories = strings.Split(cats, ",")
	}
	if (name != "" || phone != "") && db.Sealer == nil {
		return nil, errors.New("opening a complaint's person: no key loaded")
	}
	var err error
	if name != "" {
		if m.PersonName, err = db.Sealer.Open(name); err != nil {
			return nil, fmt.Errorf("opening the name of complaint %d: %w", m.ID, err)
		}
	}
	if phone != "" {
		p, err := db.Sealer.Open(phone)
		if err != nil {
			return nil, fmt.Errorf("opening the phone of complaint %d: %w", m.ID, err)
		}
		m.PhoneMasked = domain.MaskMobile(p)
	}
	return &m, nil
}

// ComplaintSorts are the orders of the complaint list, latest first by
// default.
var ComplaintSorts = Sorts{Keys: map[string][]string{
	"received": {"m.received_on"},
	"court":    {"c.path"},
	"kind":     {"m.kind"},
	"channel":  {"m.channel"},
}, Default: "received", DefaultDesc: true, Tie: "m.id"}

// Complaints lists a page of the complaints v may see that match f, latest
// first, and how many match in all.
func (db *DB) Complaints(ctx context.Context, v domain.Viewer, f ComplaintFilter) ([]*Complaint, PageInfo, error) {
	scope, args, err := complaintScope(v)
	if err != nil {
		return nil, PageInfo{}, err
	}
	where := []string{scope}
	if f.Kind != "" {
		where, args = append(where, "m.kind = ?"), append(args, f.Kind)
	}
	if f.Channel != "" {
		where, args = append(where, "m.channel = ?"), append(args, f.Channel)
	}
	switch f.Lead {
	case "clear", "unclear":
		where, args = append(where, "m.lead = ?"), append(args, f.Lead)
	case "none":
		where = append(where, "m.lead = ''")
	}
	if f.Case != "" {
		where = append(where, "EXISTS (SELECT 1 FROM complaint_cases x JOIN cases xk ON xk.id = x.case_id WHERE x.complaint_id = m.id AND xk.number = ?)")
		args = append(args, f.Case)
	}
	if f.Court != "" {
		c, err := courtByCode(ctx, db, f.Court)
		if err != nil {
			return nil, PageInfo{}, err
		}
		where, args = append(where, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"), append(args, likePrefix(c.Path))
	}
	if f.Received != (overview.Period{}) {
		where, args = append(where, "m.received_on >= ? AND m.received_on <= ?"), append(args, f.Received.From, f.Received.To)
	}
	out, info, err := listPage(ctx, db, db.scanComplaint, complaintColumns, complaintFrom, strings.Join(where, " AND "), args, f.Page, ComplaintSorts, "complaints")
	if err != nil {
		return nil, info, err
	}
	for _, m := range out {
		if err := db.loadComplaintLinks(ctx, v, m); err != nil {
			return nil, info, err
		}
	}
	return out, info, nil
}

// Complaint returns complaint id if v may see it; "not found" otherwise.
func (db *DB) Complaint(ctx context.Context, v domain.Viewer, id int64) (*Complaint, error) {
	m, err := complaintRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	return m, db.loadComplaintLinks(ctx, v, m)
}

func complaintRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*Complaint, error) {
	scope, args, err := complaintScope(v)
	if err != nil {
		return nil, err
	}
	return registerRow(ctx, q, dbOf(q).scanComplaint, "SELECT "+complaintColumns+complaintFrom, "m.id", id, scope, args, "complaint")
}

// dbOf is the database a querier reads from.
func dbOf(q querier) *DB {
	if tx, ok := q.(*Tx); ok {
		return tx.db
	}
	return q.(*DB)
}

func (db *DB) loadComplaintLinks(ctx context.Context, v domain.Viewer, m *Complaint) error {
	var err error
	m.Cases, err = collect(ctx, db, func(row scanner) (c ComplaintCase, err error) {
		err = row.Scan(&c.ID, &c.Number)
		return c, err
	}, "SELECT k.id, k.number FROM complaint_cases cc JOIN cases k ON k.id = cc.case_id WHERE cc.complaint_id = ? ORDER BY k.number", m.ID)
	if err != nil {
		return fmt.Errorf("loading the complaint's cases: %w", err)
	}
	m.Staff, err = collect(ctx, db, func(row scanner) (s ComplaintStaff, err error) {
		err = row.Scan(&s.ID, &s.Name)
		return s, err
	}, "SELECT u.id, u.name FROM complaint_staff cs JOIN users u ON u.id = cs.user_id WHERE cs.complaint_id = ? ORDER BY u.name, u.id", m.ID)
	if err != nil {
		return fmt.Errorf("loading the complaint's staff: %w", err)
	}
	for i := range m.Cases {
		if m.Cases[i].Strong, err = db.strong(ctx, v, m.Cases[i].ID); err != nil {
			return err
		}
	}
	return nil
}

// StrongReaction reports whether case caseID's party reacts strongly
// (当事人反映强烈) by the petitions v may see: false for a viewer who sees
// no complaints or whom its petitions concern.
func (db *DB) StrongReaction(ctx context.Context, v domain.Viewer, caseID int64) (bool, error) {
	if !oversight.SeesComplaints(v) {
		return false, nil
	}
	return db.strong(ctx, v, caseID)
}

func (db *DB) strong(ctx context.Context, v domain.Viewer, caseID int64) (bool, error) {
	scope, args, err := complaintScope(v)
	if err != nil {
		return false, err
	}
	ps, err := collect(ctx, db, func(row scanner) (p oversight.Petition, err error) {
		err = row.Scan(&p.On, &p.Level)
		return p, err
	}, "SELECT m.received_on, m.level"+complaintFrom+" JOIN complaint_cases x ON x.complaint_id = m.id WHERE x.case_id = ? AND m.kind = 'petition' AND "+scope,
		append([]any{caseID}, args...)...)
	if err != nil {
		return false, fmt.Errorf("reading the case's petitions: %w", err)
	}
	return db.Strong().Strong(ps), nil
}

// Strong is the 反映强烈 rule in force.
func (db *DB) Strong() oversight.StrongRule {
	if db.StrongRule.Count == 0 {
		return oversight.DefaultStrongRule()
	}
	return db.StrongRule
}

// RegisterComplaint enters a complaint or petition about the court at
// code in a transaction of its own, and returns its id.
func (db *DB) RegisterComplaint(ctx context.Context, v domain.Viewer, code string, in oversight.Complaint) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.RegisterComplaint(ctx, code, in) })
}

// RegisterComplaint enters, for tx's viewer (oversight.CanRegister), a
// complaint or petition about the court at code: its cases, of that court
// or one below it, by number; its staff, of those courts, by username or
// name. A petition marks its cases 信访 and moves their petition date on,
// so that the focused scan visits each again. Nobody registers one that
// concerns himself. Audited, without the person or the content.
func (tx *Tx) RegisterComplaint(ctx context.Context, code string, in oversight.Complaint) (int64, error) {
	c, err := tx.courtNamed(ctx, code)
	if err != nil {
		return 0, err
	}
	if !oversight.CanRegister(tx.v, c.Path) {
		return 0, domain.Errorf(domain.ErrForbidden, "您无权登记该法院的投诉举报、信访。")
	}
	in.Normalize()
	fe := domain.FieldErrors{}
	var ve *domain.ValidationError
	if err := in.Validate(tx.db.today()); errors.As(err, &ve) {
		fe = ve.Fields
	} else if err != nil {
		return 0, err
	}
	concern := oversight.Concern{CourtPath: c.Path}
	var caseIDs []int64
	for _, no := range in.CaseNumbers {
		k, err := caseRow(ctx, tx, tx.v, "k.number = ?", no)
		if errors.Is(err, domain.ErrNotFound) || err == nil && !strings.HasPrefix(k.CourtPath, c.Path) {
			fe.Add("cases", "案件不存在或不属于"+c.Name+"及其辖区："+no)
			continue
		} else if err != nil {
			return 0, err
		}
		caseIDs = append(caseIDs, k.ID)
		if k.OfficerID != 0 {
			concern.Officers = append(concern.Officers, k.OfficerID)
		}
	}
	for _, who := range in.Staff {
		id, msg, err := findStaff(ctx, tx, c.Path, c.Name, who)
		if err != nil {
			return 0, err
		}
		if msg != "" {
			fe.Add("staff", msg)
		} else if !containsID(concern.Staff, id) {
			concern.Staff = append(concern.Staff, id)
		}
	}
	if len(fe) == 0 && concern.Names(tx.v) {
		fe.Add("staff", "涉及本人或本人承办案件的投诉举报、信访，应由他人登记")
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	var name, phone, index string
	if in.PersonName != "" || in.PersonPhone != "" {
		if tx.db.Sealer == nil {
			return 0, errors.New("sealing a complaint's person: no key loaded")
		}
		if in.PersonName != "" {
			if name, err = tx.db.Sealer.Seal(in.PersonName); err != nil {
				return 0, fmt.Errorf("sealing a complaint's person: %w", err)
			}
		}
		if in.PersonPhone != "" {
			m, _ := domain.NormalizeMobile(in.PersonPhone)
			if phone, err = tx.db.Sealer.Seal(m); err != nil {
				return 0, fmt.Errorf("sealing a complaint's phone: %w", err)
			}
			index = tx.db.Sealer.BlindIndex(m)
		}
	}
	var id int64
	err = tx.queryRow(ctx, `INSERT INTO complaints (court_id, kind, channel, received_on, person_name_sealed, person_phone_sealed, person_phone_index,
		content, categories, level, repeat_no, registered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.ID, in.Kind, in.Channel, in.ReceivedOn, name, phone, index, in.Content, strings.Join(in.Categories, ","), in.Level, in.Repeat,
		actorName(tx.v), tx.db.now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("registering a complaint: %w", translate(err))
	}
	for _, k := range caseIDs {
		if _, err := tx.exec(ctx, "INSERT INTO complaint_cases (complaint_id, case_id) VALUES (?, ?)", id, k); err != nil {
			return 0, fmt.Errorf("linking a complaint's case: %w", err)
		}
		if in.Kind == oversight.KindPetition {
			// Only the petition date moves: the 信访 flag is the case
			// system's, shown to the officer on his case and in the case
			// list's filter, and would tell him of a petition he may
			// not know of.
			if _, err := tx.exec(ctx, `UPDATE cases SET petition_since = ? WHERE id = ? AND (petition_since IS NULL OR petition_since < ?)`,
				in.ReceivedOn, k, in.ReceivedOn); err != nil {
				return 0, fmt.Errorf("marking a petition's case: %w", err)
			}
		}
	}
	for _, u := range concern.Staff {
		if _, err := tx.exec(ctx, "INSERT INTO complaint_staff (complaint_id, user_id) VALUES (?, ?)", id, u); err != nil {
			return 0, fmt.Errorf("linking a complaint's staff: %w", err)
		}
	}
	return id, tx.Audit(ctx, Entry{Action: "complaint.register", ObjectType: "complaint", ObjectID: fmt.Sprint(id), CourtPath: c.Path, Success: true,
		Detail: fmt.Sprintf("登记%s（%s，%s收到），涉及案件%d件、人员%d人", in.Kind.Label(), in.Channel, in.ReceivedOn, len(caseIDs), len(concern.Staff))})
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// concernOf reads what the secrecy rule needs of complaint m.
func concernOf(ctx context.Context, q querier, m *Complaint) (oversight.Concern, error) {
	c := oversight.Concern{CourtPath: m.CourtPath}
	var err error
	if c.Staff, err = collect(ctx, q, scanID, "SELECT user_id FROM complaint_staff WHERE complaint_id = ?", m.ID); err != nil {
		return c, fmt.Errorf("reading a complaint's staff: %w", err)
	}
	if c.Officers, err = collect(ctx, q, scanID, "SELECT k.officer_id FROM complaint_cases cc JOIN cases k ON k.id = cc.case_id WHERE cc.complaint_id = ? AND k.officer_id IS NOT NULL", m.ID); err != nil {
		return c, fmt.Errorf("reading a complaint's officers: %w", err)
	}
	return c, nil
}

// MayAssess reports whether v may assess complaint m (oversight.CanAssess).
func (db *DB) MayAssess(ctx context.Context, v domain.Viewer, m *Complaint) (bool, error) {
	c, err := concernOf(ctx, db, m)
	if err != nil {
		return false, err
	}
	return oversight.CanAssess(v, c), nil
}

// AssessComplaint records a watchdog's assessment in a transaction of its
// own.
func (db *DB) AssessComplaint(ctx context.Context, v domain.Viewer, id int64, lead oversight.Lead, note string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.AssessComplaint(ctx, id, lead, note) })
}

// AssessComplaint records whether complaint id has a clear lead, with a
// note, for tx's viewer (oversight.CanAssess); a later assessment replaces
// an earlier one, both in the audit trail.
func (tx *Tx) AssessComplaint(ctx context.Context, id int64, lead oversight.Lead, note string) error {
	m, err := complaintRow(ctx, tx, tx.v, id)
	if err != nil {
		return err
	}
	c, err := concernOf(ctx, tx, m)
	if err != nil {
		return err
	}
	if !oversight.CanAssess(tx.v, c) {
		return domain.Errorf(domain.ErrForbidden, "只有本院或上级法院的纪检监察组、监察室可以评估线索。")
	}
	note = strings.TrimSpace(note)
	if err := oversight.CheckAssessment(lead, note); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE complaints SET lead = ?, lead_note = ?, assessed_by = ?, assessed_at = ? WHERE id = ?",
		lead, note, actorName(tx.v), tx.db.now(), id); err != nil {
		return fmt.Errorf("assessing a complaint: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "complaint.assess", ObjectType: "complaint", ObjectID: fmt.Sprint(id), CourtPath: m.CourtPath, Success: true,
		Detail: lead.Label()})
}

// ImportedComplaint is a complaint read from row Row of a file.
type ImportedComplaint struct {
	Row       int
	Complaint oversight.Complaint
}

// ComplaintRowError is why a row of a complaints file was not entered.
type ComplaintRowError struct {
	Row     int
	Message string
}

// ImportComplaints enters, for v, the complaints read from a file about
// the court at code, in one transaction: each row as RegisterComplaint
// would, under a savepoint, so that a refused row (a case not found, a
// channel misspelt) is reported with its reason and the rest go in. A
// viewer who may not register complaints enters none.
func (db *DB) ImportComplaints(ctx context.Context, v domain.Viewer, code string, rows []ImportedComplaint) (int, []ComplaintRowError, error) {
	var added int
	var refused []ComplaintRowError
	err := db.Update(ctx, v, func(tx *Tx) error {
		added, refused = 0, nil
		for _, r := range rows {
			err := tx.attempt(ctx, func() error {
				_, err := tx.RegisterComplaint(ctx, code, r.Complaint)
				return err
			})
			switch {
			case err == nil:
				added++
			case errors.Is(err, domain.ErrForbidden) || !movedOn(err):
				return err
			default:
				refused = append(refused, ComplaintRowError{Row: r.Row, Message: domain.UserMessage(err)})
			}
		}
		return nil
	})
	return added, refused, err
}

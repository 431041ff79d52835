package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// Disposition is an entry of the register of dispositions under the
// four forms (四种形态).
type Disposition struct {
	ID         int64
	CourtID    int64
	CourtName  string
	CourtPath  string
	UserID     int64
	Person     string
	Form       oversight.Form
	Measure    string
	Basis      string
	Decider    string
	DecidedOn  domain.Date
	FollowUpOn domain.Date
	ClueID     int64
	ReviewID   int64 // the trip review whose talk reminder this is
	WarningID  int64 // the early warning it accepted (integrity records); Disposition fills it
	By         string
	CreatedAt  time.Time
	Talks      []DispositionTalk
}

// DispositionTalk is a talk on record under a first-form disposition.
type DispositionTalk struct {
	oversight.Talk
	By string
}

// dispositionScope limits dispositions (alias p) as clues are limited: a
// watchdog's subtree, never the person disposed of, nor anyone concerned
// by the clue it came from — its basis is the clue's, and tells of all
// whom the clue concerns — nor, as with the review itself, anyone who
// went on the trip of the review whose talk it is.
func dispositionScope(v domain.Viewer) (string, []any, error) {
	return registerScope(v, oversight.SeesClues(v) && v.CourtPath != "", "只有纪检监察组、监察室可以查看四种形态处置。", []reach{inSubtree("p.court_id", v)},
		"p.user_id <> ?",
		"NOT EXISTS (SELECT 1 FROM clue_persons cp WHERE cp.clue_id = p.clue_id AND cp.user_id = ?)",
		"NOT EXISTS (SELECT 1 FROM trip_reviews dr JOIN trip_travellers tv ON tv.trip_id = dr.trip_id WHERE dr.id = p.review_id AND tv.user_id = ?)")
}

const dispositionColumns = `p.id, p.court_id, c.name, c.path, p.user_id, u.name, p.form, p.measure, p.basis, p.decider, p.decided_on, p.follow_up_on,
	COALESCE(p.clue_id, 0), COALESCE(p.review_id, 0), p.entered_by, p.created_at`

const dispositionFrom = " FROM dispositions p JOIN courts c ON c.id = p.court_id JOIN users u ON u.id = p.user_id"

func scanDisposition(row scanner) (*Disposition, error) {
	var d Disposition
	if err := row.Scan(&d.ID, &d.CourtID, &d.CourtName, &d.CourtPath, &d.UserID, &d.Person, &d.Form, &d.Measure, &d.Basis, &d.Decider,
		&d.DecidedOn, &d.FollowUpOn, &d.ClueID, &d.ReviewID, &d.By, &d.CreatedAt); err != nil {
		return nil, translate(err)
	}
	d.CreatedAt = d.CreatedAt.UTC()
	return &d, nil
}

// DispositionFilter selects dispositions: a form, a year ("2026").
type DispositionFilter struct {
	Form oversight.Form
	Year string
	Clue int64
	// From and To, when set, limit the decision date (both included).
	From, To domain.Date
	// CourtPath narrows to a court and the courts below it.
	CourtPath string
	Page      PageReq
}

func dispositionWhere(v domain.Viewer, f DispositionFilter) (string, []any, error) {
	scope, args, err := dispositionScope(v)
	if err != nil {
		return "", nil, err
	}
	if f.Form.Valid() {
		scope, args = scope+" AND p.form = ?", append(args, f.Form)
	}
	if len(f.Year) == 4 {
		scope, args = scope+" AND p.decided_on LIKE CAST(? AS TEXT)", append(args, f.Year+"-%")
	}
	if f.Clue > 0 {
		scope, args = scope+" AND p.clue_id = ?", append(args, f.Clue)
	}
	if !f.From.IsZero() {
		scope, args = scope+" AND p.decided_on >= ?", append(args, f.From)
	}
	if !f.To.IsZero() {
		scope, args = scope+" AND p.decided_on <= ?", append(args, f.To)
	}
	if f.CourtPath != "" {
		scope, args = scope+" AND p.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')", append(args, likePrefix(f.CourtPath))
	}
	return scope, args, nil
}

// DispositionSorts are the orders of the disposition list, latest first
// by default.
var DispositionSorts = Sorts{Keys: map[string][]string{
	"decided": {"p.decided_on"},
	"court":   {"c.path"},
	"form":    {"p.form"},
	"person":  {"u.name"},
}, Default: "decided", DefaultDesc: true, Tie: "p.id"}

// Dispositions lists a page of the dispositions v may see that match f,
// latest first, and how many match in all.
func (db *DB) Dispositions(ctx context.Context, v domain.Viewer, f DispositionFilter) ([]*Disposition, PageInfo, error) {
	cond, args, err := dispositionWhere(v, f)
	if err != nil {
		return nil, PageInfo{}, err
	}
	return listPage(ctx, db, scanDisposition, dispositionColumns, dispositionFrom, cond, args, f.Page, DispositionSorts, "dispositions")
}

// DispositionCount is how many dispositions of a form and measure a
// court — or one department of it — made in a period: a month
// ("2026-03"), or a year ("2026").
type DispositionCount struct {
	Court      string
	CourtCode  string
	Department string // the person's department, when counted by department
	Period     string
	Form       oversight.Form
	Measure    string
	N          int
}

// CountGroup says how dispositions are counted: by court, or by the
// disposed person's department within his court (as he is registered
// now); by month, or by year.
type CountGroup struct {
	Department bool
	Year       bool
}

// DispositionCounts counts the dispositions v may see that match f by
// court, month, form and measure.
func (db *DB) DispositionCounts(ctx context.Context, v domain.Viewer, f DispositionFilter) ([]DispositionCount, error) {
	return db.DispositionCountsBy(ctx, v, f, CountGroup{})
}

// DispositionCountsBy counts the dispositions v may see that match f by
// court or department (g), month or year (g), form and measure: the same
// scope as the register, so the person disposed of counts nothing of his.
func (db *DB) DispositionCountsBy(ctx context.Context, v domain.Viewer, f DispositionFilter, g CountGroup) ([]DispositionCount, error) {
	cond, args, err := dispositionWhere(v, f)
	if err != nil {
		return nil, err
	}
	period := "substr(p.decided_on, 1, 7)"
	if g.Year {
		period = "substr(p.decided_on, 1, 4)"
	}
	dept, from, group := "''", dispositionFrom, "c.path, c.name"
	if g.Department {
		dept, from, group = "COALESCE(dd.name, '')", dispositionFrom+" LEFT JOIN departments dd ON dd.id = u.department_id", "c.path, c.name, dd.name"
	}
	out, err := collect(ctx, db, func(row scanner) (n DispositionCount, err error) {
		err = row.Scan(&n.Court, &n.Department, &n.Period, &n.Form, &n.Measure, &n.N, &n.CourtCode)
		return n, err
	}, "SELECT c.name, "+dept+", "+period+", p.form, p.measure, COUNT(*), c.code"+from+" WHERE "+cond+
		" GROUP BY "+group+", c.code, "+period+", p.form, p.measure ORDER BY c.path, 2, 3, 4, 5", args...)
	if err != nil {
		return nil, fmt.Errorf("counting dispositions: %w", err)
	}
	return out, nil
}

// Disposition returns disposition id with its talks if v may see it.
func (db *DB) Disposition(ctx context.Context, v domain.Viewer, id int64) (*Disposition, error) {
	d, err := dispositionRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	d.Talks, err = collect(ctx, db, func(row scanner) (t DispositionTalk, err error) {
		err = row.Scan(&t.Kind, &t.HeldOn, &t.Place, &t.Participants, &t.Content, &t.Statement, &t.Commitment, &t.FollowUpOn, &t.By)
		return t, err
	}, "SELECT kind, held_on, place, participants, content, statement, commitment, follow_up_on, by_name FROM disposition_talks WHERE disposition_id = ? ORDER BY held_on, id", id)
	if err != nil {
		return nil, fmt.Errorf("loading a disposition's talks: %w", err)
	}
	if err := db.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM integrity_warnings WHERE disposition_id = ?", id).Scan(&d.WarningID); err != nil {
		return nil, fmt.Errorf("loading a disposition's warning: %w", err)
	}
	return d, nil
}

func dispositionRow(ctx context.Context, q querier, v domain.Viewer, id int64) (*Disposition, error) {
	scope, args, err := dispositionScope(v)
	if err != nil {
		return nil, err
	}
	return registerRow(ctx, q, scanDisposition, "SELECT "+dispositionColumns+dispositionFrom, "p.id", id, scope, args, "disposition")
}

// RecordDisposition enters a disposition in a transaction of its own.
func (db *DB) RecordDisposition(ctx context.Context, v domain.Viewer, code string, in oversight.Disposition) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.RecordDisposition(ctx, code, in) })
}

// RecordDisposition enters, for a watchdog of the court at code or above,
// a disposition of a person of that court or below.
func (tx *Tx) RecordDisposition(ctx context.Context, code string, in oversight.Disposition) (int64, error) {
	c, err := tx.courtNamed(ctx, code)
	if err != nil {
		return 0, err
	}
	if !oversight.CanRegisterClue(tx.v, c.Path) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有本院或上级法院的纪检监察组、监察室可以登记处置。")
	}
	fe := domain.FieldErrors{}
	var ve *domain.ValidationError
	if err := in.Validate(tx.db.measures(), tx.db.today()); errors.As(err, &ve) {
		fe = ve.Fields
	} else if err != nil {
		return 0, err
	}
	var uid int64
	if in.Person != "" {
		id, msg, err := findStaff(ctx, tx, c.Path, c.Name, in.Person)
		if err != nil {
			return 0, err
		}
		if msg != "" {
			fe.Add("person", msg)
		} else if id == tx.v.UserID {
			fe.Add("person", "涉及本人的处置，应由他人登记")
		}
		uid = id
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	return tx.insertDisposition(ctx, uid, in.Form, in.Measure, in.Basis, in.Decider, in.DecidedOn, in.FollowUpOn, origin{})
}

// origin is the record a disposition came from: a clue, or a trip review
// whose talk reminder it is; neither for one entered directly.
type origin struct{ Clue, Review int64 }

// insertDisposition enters a disposition of user uid at his court, from
// the record named by from; audited without the basis.
func (tx *Tx) insertDisposition(ctx context.Context, uid int64, form oversight.Form, measure, basis, decider string, on, followUp domain.Date, from origin) (int64, error) {
	var courtID int64
	var path string
	if err := tx.queryRow(ctx, "SELECT c.id, c.path FROM users u JOIN courts c ON c.id = u.court_id WHERE u.id = ?", uid).Scan(&courtID, &path); err != nil {
		return 0, fmt.Errorf("reading the court of a disposition's person: %w", translate(err))
	}
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO dispositions (court_id, user_id, form, measure, basis, decider, decided_on, follow_up_on, clue_id, review_id, entered_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		courtID, uid, form, measure, basis, decider, on, followUp, nullID(from.Clue), nullID(from.Review), actorName(tx.v), tx.db.now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("entering a disposition: %w", translate(err))
	}
	return id, tx.Audit(ctx, Entry{Action: "disposition.record", ObjectType: "disposition", ObjectID: fmt.Sprint(id), CourtPath: path, Success: true,
		Detail: fmt.Sprintf("%s：%s（%s）", form.Label(), measure, on)})
}

// AddTalk records a talk in a transaction of its own.
func (db *DB) AddTalk(ctx context.Context, v domain.Viewer, dispositionID int64, t oversight.Talk) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.AddTalk(ctx, dispositionID, t) })
}

// AddTalk records a 谈话提醒 or 预警约谈 under a first-form disposition
// that tx's watchdog sees.
func (tx *Tx) AddTalk(ctx context.Context, dispositionID int64, t oversight.Talk) error {
	d, err := dispositionRow(ctx, tx, tx.v, dispositionID)
	if err != nil {
		return err
	}
	if d.Form != 1 {
		return domain.Errorf(domain.ErrConflict, "谈话提醒、预警约谈只记录在第一种形态的处置下。")
	}
	if err := t.Validate(tx.db.today()); err != nil {
		return err
	}
	if err := tx.insertTalk(ctx, dispositionID, t); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "disposition.talk", ObjectType: "disposition", ObjectID: fmt.Sprint(dispositionID), CourtPath: d.CourtPath, Success: true,
		Detail: fmt.Sprintf("%s（%s）", t.Kind, t.HeldOn)})
}

// insertTalk keeps talk t under disposition dispositionID; the caller has
// checked it and audits.
func (tx *Tx) insertTalk(ctx context.Context, dispositionID int64, t oversight.Talk) error {
	if _, err := tx.exec(ctx, `INSERT INTO disposition_talks (disposition_id, kind, held_on, place, participants, content, statement, commitment, follow_up_on, by_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, dispositionID, t.Kind, t.HeldOn, t.Place, t.Participants, t.Content, t.Statement, t.Commitment,
		t.FollowUpOn, actorName(tx.v), tx.db.now()); err != nil {
		return fmt.Errorf("recording a talk: %w", err)
	}
	return nil
}

// MeasureList is the measures in force, form by form, for the forms.
func (db *DB) MeasureList() []FormMeasures {
	ms := db.measures()
	var out []FormMeasures
	for _, f := range oversight.Forms {
		out = append(out, FormMeasures{Form: f, Measures: ms[f]})
	}
	return out
}

// FormMeasures are the measures of one form.
type FormMeasures struct {
	Form     oversight.Form
	Measures []string
}

package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/trip"
)

// Integrity returns the early-warning rules in force.
func (db *DB) Integrity() integrity.Rules {
	if db.IntegrityRules == nil {
		return integrity.DefaultRules()
	}
	return db.IntegrityRules
}

func (db *DB) tripRules() trip.Rules {
	if db.TripRules == (trip.Rules{}) {
		return trip.DefaultRules()
	}
	return db.TripRules
}

// IntegrityEvaluation says what a run of the rules did.
type IntegrityEvaluation struct {
	Officers int // officers whose facts were read
	Fired    int // firings of the rules
	Proposed int // new warnings proposed
}

// EvaluateIntegrity runs the early-warning rules in a transaction of its
// own over the officers of the court at code and the courts below it
// (every court for the program itself when code is empty), for v, a
// watchdog of that court or above.
func (db *DB) EvaluateIntegrity(ctx context.Context, v domain.Viewer, code string) (IntegrityEvaluation, error) {
	return inTx(ctx, db, v, func(tx *Tx) (IntegrityEvaluation, error) { return tx.EvaluateIntegrity(ctx, code) })
}

// EvaluateIntegrity runs the rules over the officers of the court at code
// and below and proposes a warning for each firing that names a fact no
// earlier warning of its rule about that officer named, while none of
// them waits (integrity.Proposes); the database's unique keys hold the
// same under concurrent runs. A watchdog's run leaves himself out.
func (tx *Tx) EvaluateIntegrity(ctx context.Context, code string) (IntegrityEvaluation, error) {
	var res IntegrityEvaluation
	prefix := "/"
	if code == "" && !tx.v.System {
		code = tx.v.CourtCode
	}
	if code != "" {
		c, err := tx.courtNamed(ctx, code)
		if err != nil {
			return res, err
		}
		prefix = c.Path
	}
	if !integrity.CanEvaluate(tx.v, prefix) {
		return res, domain.Errorf(domain.ErrForbidden, "只有本院或上级法院的纪检监察组、监察室可以运行预警规则。")
	}
	set := `SELECT u.id FROM users u JOIN courts c ON c.id = u.court_id WHERE c.path LIKE CAST(? AS TEXT) ESCAPE '\' AND ` + integrityOfficer + " AND u.id <> ?"
	setArgs := []any{likePrefix(prefix), tx.v.UserID}
	type officer struct {
		id     int64
		court  int64
		path   string
		priors map[integrity.RuleID][]integrity.Prior
		facts  integrity.Facts
	}
	officers := map[int64]*officer{}
	var order []int64
	err := each(ctx, tx, func(row scanner) error {
		o := &officer{priors: map[integrity.RuleID][]integrity.Prior{}}
		if err := row.Scan(&o.id, &o.court, &o.path); err != nil {
			return err
		}
		officers[o.id] = o
		order = append(order, o.id)
		return nil
	}, "SELECT u.id, u.court_id, c.path FROM users u JOIN courts c ON c.id = u.court_id WHERE u.id IN ("+set+") ORDER BY u.id", setArgs...)
	if err != nil {
		return res, fmt.Errorf("listing officers: %w", err)
	}
	res.Officers = len(order)
	if len(order) == 0 {
		return res, nil
	}
	facts, err := tx.integrityFacts(ctx, tx.db.Integrity(), set, setArgs)
	if err != nil {
		return res, err
	}
	for id, f := range facts {
		if o := officers[id]; o != nil {
			o.facts = f
		}
	}
	err = each(ctx, tx, func(row scanner) error {
		var uid int64
		var rule integrity.RuleID
		var p integrity.Prior
		var refs string
		if err := row.Scan(&uid, &rule, &p.State, &refs); err != nil {
			return err
		}
		var fs []integrity.Fact
		if err := json.Unmarshal([]byte(refs), &fs); err != nil {
			return fmt.Errorf("reading the facts of a warning: %w", err)
		}
		for _, f := range fs {
			p.Refs = append(p.Refs, f.Ref())
		}
		if o := officers[uid]; o != nil {
			o.priors[rule] = append(o.priors[rule], p)
		}
		return nil
	}, "SELECT user_id, rule, state, facts FROM integrity_warnings WHERE user_id IN ("+set+")", setArgs...)
	if err != nil {
		return res, fmt.Errorf("reading earlier warnings: %w", err)
	}
	today := tx.db.today()
	for _, id := range order {
		o := officers[id]
		for _, f := range tx.db.Integrity().Evaluate(o.facts, today) {
			res.Fired++
			if !integrity.Proposes(f, o.priors[f.Rule]) {
				continue
			}
			ok, err := tx.proposeWarning(ctx, o.id, o.court, o.path, f)
			if err != nil {
				return res, err
			}
			if ok {
				res.Proposed++
				o.priors[f.Rule] = append(o.priors[f.Rule], integrity.Prior{State: integrity.StateProposed, Refs: f.Refs()})
			}
		}
	}
	return res, tx.Audit(ctx, Entry{Action: "integrity.evaluate", ObjectType: "court", ObjectID: code, CourtPath: prefix, Success: true,
		Detail: fmt.Sprintf("运行廉政预警规则：干警%d人，触发%d次，新提出预警%d条", res.Officers, res.Fired, res.Proposed)})
}

// proposeWarning enters firing f about officer uid as a proposed warning,
// unless the unique keys find it there already (a concurrent run): then
// it reports false.
func (tx *Tx) proposeWarning(ctx context.Context, uid, court int64, path string, f integrity.Firing) (bool, error) {
	facts, err := json.Marshal(f.Facts)
	if err != nil {
		return false, fmt.Errorf("writing a warning's facts: %w", err)
	}
	sum := sha256.Sum256([]byte(f.Key()))
	var id int64
	err = tx.queryRow(ctx, `INSERT INTO integrity_warnings (court_id, user_id, rule, facts_key, facts, reason, state, proposed_by, proposed_at)
		VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
		court, uid, f.Rule, hex.EncodeToString(sum[:]), string(facts), integrity.Clip(f.Reason), actorName(tx.v), tx.db.now()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("proposing a warning: %w", translate(err))
	}
	return true, tx.Audit(ctx, Entry{Action: "integrity.propose", ObjectType: "integrity_warning", ObjectID: fmt.Sprint(id), CourtPath: path, Success: true,
		Detail: "提出预警：" + f.Rule.Title()})
}

// integrityFacts reads what the enabled rules of rs need of the officers
// of set (a subquery of user ids with its arguments), officer by officer.
func (tx *Tx) integrityFacts(ctx context.Context, rs integrity.Rules, set string, setArgs []any) (map[int64]integrity.Facts, error) {
	out := map[int64]integrity.Facts{}
	add := func(uid int64, put func(*integrity.Facts)) {
		f := out[uid]
		put(&f)
		out[uid] = f
	}
	today := tx.db.today()
	for _, r := range rs {
		if !r.Enabled {
			continue
		}
		window := integrity.Period{From: today.AddMonths(-r.Months).AddDays(1), To: today}
		var err error
		switch r.ID {
		case integrity.RuleCategory3:
			err = tx.category3Facts(ctx, window, set, setArgs, add)
		case integrity.RuleSameParty:
			err = tx.complaintFacts(ctx, window, set, setArgs, add)
		case integrity.RuleTripPattern:
			err = tx.tripFacts(ctx, window, set, setArgs, add)
		case integrity.RuleLastDay:
			err = tx.reportFacts(ctx, window, set, setArgs, add)
		case integrity.RuleLongOpen:
			err = each(ctx, tx, func(row scanner) error {
				var uid int64
				f := integrity.Fact{Kind: integrity.FactCase}
				if err := row.Scan(&uid, &f.ID, &f.Text, &f.On); err != nil {
					return err
				}
				add(uid, func(x *integrity.Facts) { x.OpenCases = append(x.OpenCases, f) })
				return nil
			}, `SELECT k.officer_id, k.id, k.number, k.due_on FROM cases k WHERE k.officer_id IN (`+set+`) AND k.closed_on IS NULL AND k.has_property
				AND k.due_on IS NOT NULL AND k.due_on <= ?`, append(setArgs, today.AddMonths(-r.Months).String())...)
		}
		if err != nil {
			return nil, fmt.Errorf("reading the facts of rule %s: %w", r.ID, err)
		}
	}
	return out, nil
}

type addFact func(uid int64, put func(*integrity.Facts))

// category3Facts are the record's category-三 entries (the same sources),
// as the program sees them.
func (tx *Tx) category3Facts(ctx context.Context, window integrity.Period, set string, setArgs []any, add addFact) error {
	for _, s := range integritySources {
		if s.kind != integrity.KindCategory3 {
			continue
		}
		kind := integrity.FactVisit
		if s.rec == integrity.RecComplaint {
			kind = integrity.FactComplaint
		}
		err := s.eachEntry(ctx, tx, domain.SystemViewer("integrity"), window, tx.db.today(), s.officer+" IN ("+set+")", setArgs,
			func(uid int64, e integrity.Entry) {
				text := e.Subject // a complaint's channel
				if kind == integrity.FactVisit {
					text += " " + e.Detail // the case and the party who answered
				}
				f := integrity.Fact{Kind: kind, ID: e.Ref, On: e.On, Text: strings.TrimSpace(text)}
				add(uid, func(x *integrity.Facts) { x.Category3 = append(x.Category3, f) })
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// complaintFacts are the complaints and petitions about each officer's
// cases whose complainant left a phone, one fact per case.
func (tx *Tx) complaintFacts(ctx context.Context, window integrity.Period, set string, setArgs []any, add addFact) error {
	return each(ctx, tx, func(row scanner) error {
		var uid int64
		var sealed string
		f := integrity.Fact{Kind: integrity.FactComplaint}
		if err := row.Scan(&uid, &f.ID, &f.On, &f.Key, &sealed, &f.Case, &f.Text); err != nil {
			return err
		}
		f.Group = "投诉人"
		if sealed != "" && tx.db.Sealer != nil {
			p, err := tx.db.Sealer.Open(sealed)
			if err != nil {
				return fmt.Errorf("opening the phone of complaint %d: %w", f.ID, err)
			}
			f.Group += domain.MaskMobile(p)
		}
		add(uid, func(x *integrity.Facts) { x.Complaints = append(x.Complaints, f) })
		return nil
	}, `SELECT k.officer_id, m.id, m.received_on, m.person_phone_index, m.person_phone_sealed, k.id, k.number
		FROM complaints m JOIN complaint_cases cc ON cc.complaint_id = m.id JOIN cases k ON k.id = cc.case_id
		WHERE k.officer_id IN (`+set+`) AND m.person_phone_index <> '' AND m.received_on >= ? AND m.received_on <= ?`,
		append(setArgs, window.From.String(), window.To.String())...)
}

// tripFacts are the trips each officer went on that have departed, one
// fact per destination and party (applicant or respondent) of their cases.
func (tx *Tx) tripFacts(ctx context.Context, window integrity.Period, set string, setArgs []any, add addFact) error {
	return each(ctx, tx, func(row scanner) error {
		var uid int64
		var at sql.NullTime
		var division, place, party string
		f := integrity.Fact{Kind: integrity.FactTrip}
		if err := row.Scan(&uid, &f.ID, &at, &division, &place, &party); err != nil {
			return err
		}
		f.On, f.Text = domain.DateOf(at.Time, domain.Beijing), "赴"+place
		f.Key, f.Group = division+"\x00"+party, place+"·"+party
		add(uid, func(x *integrity.Facts) { x.Trips = append(x.Trips, f) })
		return nil
	}, `SELECT DISTINCT tt.user_id, t.id, t.depart_at, d.division, d.name, p.name
		FROM trip_travellers tt JOIN trips t ON t.id = tt.trip_id JOIN trip_destinations d ON d.trip_id = t.id
		JOIN trip_cases tc ON tc.trip_id = t.id JOIN parties p ON p.case_id = tc.case_id
		WHERE tt.user_id IN (`+set+`) AND t.status <> 'cancelled' AND p.role IN ('applicant', 'respondent')
		AND t.depart_at >= ? AND t.depart_at <= ?`, append(setArgs, dayStart(window.From), tx.db.now())...)
}

// reportFacts are each officer's own 附件1 (not supplements) filed in the
// window, with the last day each was due: his return plus the report
// days, in working days.
func (tx *Tx) reportFacts(ctx context.Context, window integrity.Period, set string, setArgs []any, add addFact) error {
	rules, cal := tx.db.tripRules(), tx.db.limits().Calendar
	return each(ctx, tx, func(row scanner) error {
		var uid int64
		var at sql.NullTime
		var returned sql.Null[domain.Date]
		var place string
		f := integrity.Fact{Kind: integrity.FactReport}
		if err := row.Scan(&uid, &f.ID, &f.Trip, &at, &returned, &place); err != nil {
			return err
		}
		f.On, f.Text = domain.DateOf(at.Time, domain.Beijing), "赴"+place
		if returned.Valid {
			f.Due, _ = rules.Due(cal, returned.V)
		}
		add(uid, func(x *integrity.Facts) { x.Reports = append(x.Reports, f) })
		return nil
	}, `SELECT r.officer_id, r.id, r.trip_id, r.signed_at, tt.returned_on, t.destination_name
		FROM trip_reports r JOIN trip_travellers tt ON tt.trip_id = r.trip_id AND tt.user_id = r.officer_id JOIN trips t ON t.id = r.trip_id
		WHERE r.kind = 'annex1' AND r.supplements IS NULL AND r.officer_id IN (`+set+`) AND r.signed_at >= ? AND r.signed_at < ?`,
		append(setArgs, dayStart(window.From), dayStart(window.To.AddDays(1)))...)
}

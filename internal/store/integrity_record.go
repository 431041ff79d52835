package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
)

// integrityOfficer is the condition on users u of being an officer whose
// record is kept: an account in use that holds the officer role or is
// the officer of a case.
const integrityOfficer = `NOT u.disabled AND (EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role = 'officer')
	OR EXISTS (SELECT 1 FROM cases k0 WHERE k0.officer_id = u.id))`

// IntegrityOfficer is one officer of the list of a court's records: his
// counts per kind over the period, and his warnings.
type IntegrityOfficer struct {
	ID                              int64
	Name, Department                string
	CourtCode, CourtName, CourtPath string
	Counts                          integrity.Counts
	// Pending are his warnings waiting for a decision, Raised those not
	// dismissed (waiting or accepted).
	Pending, Raised int
}

// IntegrityFilter selects the officers of one court (by code; the
// viewer's own if empty) and the period counted; Pending keeps those with
// a warning waiting.
type IntegrityFilter struct {
	Court   string
	Period  integrity.Period
	Pending bool
	Page    PageReq
}

// IntegritySorts are the orders of the officer list: most warnings
// waiting first, then by name; or by name, department or any kind's count.
var IntegritySorts = func() Sorts {
	s := Sorts{Keys: map[string][]string{
		"name":       {"u.name"},
		"department": {"d.name", "-u.name"},
		"pending":    {"COALESCE(w.pending, 0)", "-u.name"},
		"raised":     {"COALESCE(w.raised, 0)", "-u.name"},
	}, Default: "pending", DefaultDesc: true, Tie: "u.id"}
	for _, k := range integrity.Kinds {
		s.Keys[string(k)] = []string{kindSum(k), "-u.name"}
	}
	return s
}()

// kindSum is the SQL sum of kind k's counts over its sources' joins
// (s0, s1 … in integritySources' order).
func kindSum(k integrity.Kind) string {
	var terms []string
	for i, s := range integritySources {
		if s.kind == k {
			terms = append(terms, "COALESCE(s"+strconv.Itoa(i)+".n, 0)")
		}
	}
	return "(" + strings.Join(terms, " + ") + ")"
}

// integrityCourt resolves the court a list is of: code, or the viewer's
// own; a court v does not reach as a watchdog is refused.
func (db *DB) integrityCourt(ctx context.Context, v domain.Viewer, code string) (*domain.Court, error) {
	if !integrity.Sees(v) || (!v.System && v.CourtPath == "") {
		return nil, domain.Errorf(domain.ErrForbidden, "廉政档案仅供纪检监察组、监察室查看。")
	}
	if code == "" {
		code = v.CourtCode
	}
	c, err := db.CourtByCode(ctx, code)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, domain.Invalid("court", "没有代码为“"+code+"”的法院")
	} else if err != nil {
		return nil, err
	}
	if !integrity.CanEvaluate(v, c.Path) {
		return nil, domain.Errorf(domain.ErrForbidden, "只能查看本院及下级法院干警的廉政档案。")
	}
	return c, nil
}

// IntegrityOfficers lists a page of the officers of the court f names
// with their counts over f's period, as v may see them (what the
// registers keep from v is not counted), and how many there are. The
// viewer's own record is never among them.
func (db *DB) IntegrityOfficers(ctx context.Context, v domain.Viewer, f IntegrityFilter) ([]*IntegrityOfficer, PageInfo, error) {
	c, err := db.integrityCourt(ctx, v, f.Court)
	if err != nil {
		return nil, PageInfo{}, err
	}
	if f.Period.From.IsZero() {
		f.Period = integrity.LastMonths(db.today(), integrity.DefaultMonths)
	}
	from, args := integrityFrom(v, f.Period, db.today(), c.ID)
	cond := "u.court_id = ? AND " + integrityOfficer + " AND u.id <> ?"
	args = append(args, c.ID, v.UserID)
	if f.Pending {
		cond += " AND COALESCE(w.pending, 0) > 0"
	}
	cols := "u.id, u.name, d.name, c.code, c.name, c.path, COALESCE(w.pending, 0), COALESCE(w.raised, 0)"
	for _, k := range integrity.Kinds {
		cols += ", " + kindSum(k)
	}
	return listPage(ctx, db, scanIntegrityOfficer, cols, from, cond, args, f.Page, IntegritySorts, "integrity records")
}

// integrityFrom joins each officer u of the court to his warnings (w)
// and to each source's counts (s0, s1 …), counted among the court's users.
func integrityFrom(v domain.Viewer, p integrity.Period, today domain.Date, courtID int64) (string, []any) {
	var b strings.Builder
	b.WriteString(` FROM users u JOIN departments d ON d.id = u.department_id JOIN courts c ON c.id = u.court_id
	LEFT JOIN (SELECT user_id, SUM(CASE WHEN state = 'proposed' THEN 1 ELSE 0 END) AS pending,
		SUM(CASE WHEN state <> 'dismissed' THEN 1 ELSE 0 END) AS raised FROM integrity_warnings GROUP BY user_id) w ON w.user_id = u.id`)
	var args []any
	for i, s := range integritySources {
		q, a := s.counts(v, p, today, "SELECT uu.id FROM users uu WHERE uu.court_id = ?", []any{courtID})
		fmt.Fprintf(&b, "\n\tLEFT JOIN (%s) s%d ON s%d.officer_id = u.id", q, i, i)
		args = append(args, a...)
	}
	return b.String(), args
}

func scanIntegrityOfficer(row scanner) (*IntegrityOfficer, error) {
	o := &IntegrityOfficer{Counts: integrity.Counts{}}
	ns := make([]int, len(integrity.Kinds))
	dest := []any{&o.ID, &o.Name, &o.Department, &o.CourtCode, &o.CourtName, &o.CourtPath, &o.Pending, &o.Raised}
	for i := range ns {
		dest = append(dest, &ns[i])
	}
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	for i, k := range integrity.Kinds {
		o.Counts[k] = ns[i]
	}
	return o, nil
}

// IntegrityRecord is an officer's record over a period: his counts
// beside the medians of his court's officers as the viewer's list counts
// them (the viewer himself, should he be one, aside), the timeline, and
// his warnings.
type IntegrityRecord struct {
	Officer  *IntegrityOfficer
	Period   integrity.Period
	Compared []integrity.Compared
	// CourtOfficers is how many officers the medians are of.
	CourtOfficers int
	Lines         []integrity.Line
	Warnings      []*IntegrityWarning
}

// IntegrityRecord reads the record of officer id over period p for v, a
// watchdog of his court or above who is not he, and writes the view to
// the audit trail. Anyone else — the officer himself, his head, the
// bureau — is told there is no such record.
func (db *DB) IntegrityRecord(ctx context.Context, v domain.Viewer, id int64, p integrity.Period) (*IntegrityRecord, error) {
	if !integrity.Sees(v) {
		return nil, domain.Errorf(domain.ErrForbidden, "廉政档案仅供纪检监察组、监察室查看。")
	}
	var o IntegrityOfficer
	var courtID int64
	err := db.queryRow(ctx, `SELECT u.id, u.name, d.name, c.code, c.name, c.path, c.id FROM users u JOIN departments d ON d.id = u.department_id
		JOIN courts c ON c.id = u.court_id WHERE u.id = ? AND `+integrityOfficer, id).Scan(&o.ID, &o.Name, &o.Department, &o.CourtCode, &o.CourtName, &o.CourtPath, &courtID)
	if err := translate(err); err != nil {
		return nil, fmt.Errorf("loading officer %d: %w", id, err)
	}
	if !integrity.CanSee(v, id, o.CourtPath) {
		return nil, fmt.Errorf("loading officer %d: %w", id, domain.ErrNotFound)
	}
	if p.From.IsZero() {
		p = integrity.LastMonths(db.today(), integrity.DefaultMonths)
	}
	court, _, err := db.IntegrityOfficers(ctx, v, IntegrityFilter{Court: o.CourtCode, Period: p, Page: PageReq{All: true}})
	if err != nil {
		return nil, err
	}
	rec := &IntegrityRecord{Officer: &o, Period: p, CourtOfficers: len(court)}
	var counts []integrity.Counts
	for _, c := range court {
		counts = append(counts, c.Counts)
		if c.ID == id {
			o.Counts, o.Pending, o.Raised = c.Counts, c.Pending, c.Raised
		}
	}
	rec.Compared = integrity.Compare(o.Counts, counts)
	var es []integrity.Entry
	for _, s := range integritySources {
		got, err := s.entries(ctx, db, v, id, p, db.today())
		if err != nil {
			return nil, err
		}
		es = append(es, got...)
	}
	if rec.Warnings, err = db.IntegrityWarnings(ctx, v, id); err != nil {
		return nil, err
	}
	lines := integrity.Timeline(es)
	for _, w := range rec.Warnings {
		if on := domain.DateOf(w.ProposedAt, domain.Beijing); !on.Before(p.From) && !on.After(p.To) {
			lines = append(lines, integrity.Line{On: on, Record: integrity.RecWarning, Ref: w.ID, Ref2: id, Subject: w.Rule.Title(), Detail: w.State.Label()})
		}
	}
	rec.Lines = integrity.SortLines(lines)
	return rec, db.AuditAlone(ctx, v, Entry{Action: "integrity.view", ObjectType: "user", ObjectID: fmt.Sprint(id), CourtPath: o.CourtPath, Success: true,
		Detail: "查看廉政档案：" + o.Name + "（" + p.String() + "）"})
}

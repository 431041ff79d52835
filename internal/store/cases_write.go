package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// Sealer encrypts personal information for storage and gives a keyed
// blind index for look-ups. internal/crypto provides one (SM4-GCM,
// HMAC-SM3); the key lives outside the database.
type Sealer interface {
	Seal(plaintext string) (string, error)
	Open(sealed string) (string, error)
	BlindIndex(value string) string
}

// CaseOutcome says what an upsert did with one case.
type CaseOutcome int

// Outcomes of an upsert.
const (
	CaseAdded CaseOutcome = iota + 1
	CaseUpdated
	CaseUnchanged
	CaseRejected
)

// CaseResult is the outcome for the i-th case of a batch; Err is set for a
// rejected case and says why, for users.
type CaseResult struct {
	Outcome CaseOutcome
	Err     error
}

// Counts sums the outcomes of one or more batches.
type Counts struct{ Added, Updated, Unchanged, Rejected int }

// Add counts the results of a batch.
func (c *Counts) Add(rs []CaseResult) {
	for _, r := range rs {
		switch r.Outcome {
		case CaseAdded:
			c.Added++
		case CaseUpdated:
			c.Updated++
		case CaseUnchanged:
			c.Unchanged++
		case CaseRejected:
			c.Rejected++
		}
	}
}

type courtRef struct {
	id   int64
	code string
	path string
}

// courtName keys a department or an officer by court and name. It was
// fmt.Sprint(court, "/", name): 1.0 of 24.5 CPU-seconds of the Go side of
// a million-case PostgreSQL import (a profile, 2026-12-02).
type courtName struct {
	court int64
	name  string
}

// resolver caches look-ups of courts, departments and officers within a
// batch.
type resolver struct {
	tx      *Tx
	courts  map[string]*courtRef // by code and by name
	depts   map[courtName]int64
	officer map[courtName]officerMatch
	// allCourts: courts holds every court (prime), so a name or code
	// not in it is no court.
	allCourts bool
}

func (tx *Tx) newResolver() *resolver {
	return &resolver{tx: tx, courts: map[string]*courtRef{}, depts: map[courtName]int64{}, officer: map[courtName]officerMatch{}}
}

func (r *resolver) court(ctx context.Context, codeOrName string) (*courtRef, error) {
	if c, ok := r.courts[codeOrName]; ok || r.allCourts {
		return c, nil
	}
	// Prepared once a transaction, as the other look-ups of a batch: a
	// batch of a province's file resolves over a thousand officers.
	var c *courtRef
	err := each(ctx, r.tx.prepared(), func(row scanner) error {
		c = &courtRef{}
		return row.Scan(&c.id, &c.code, &c.path)
	}, "SELECT id, code, path FROM courts WHERE code = ? OR name = ? LIMIT 1", codeOrName, codeOrName)
	if err != nil {
		return nil, fmt.Errorf("resolving court: %w", err)
	}
	r.courts[codeOrName] = c
	return c, nil
}

func (r *resolver) department(ctx context.Context, courtID int64, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	key := courtName{courtID, name}
	if id, ok := r.depts[key]; ok {
		return id, nil
	}
	var id int64
	err := each(ctx, r.tx.prepared(), func(row scanner) error { return row.Scan(&id) },
		"SELECT id FROM departments WHERE court_id = ? AND name = ? LIMIT 1", courtID, name)
	if err != nil {
		return 0, fmt.Errorf("resolving department: %w", err)
	}
	r.depts[key] = id
	return id, nil
}

// officerID matches the 承办人 named by the case system to an account of
// the court as domain.MatchOfficer decides (the administrator's mapping,
// else by name within the department if that is unique, else by name in
// the court if unique); otherwise the case keeps the name only.
func (r *resolver) officerID(ctx context.Context, courtID int64, dept, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	key := courtName{courtID, name}
	m, ok := r.officer[key]
	if !ok {
		var err error
		if m, err = r.tx.officerMatch(ctx, courtID, name); err != nil {
			return 0, fmt.Errorf("resolving officer: %w", err)
		}
		r.officer[key] = m
	}
	return m.pick(dept), nil
}

// Merge completes an incoming case from the stored one before it is
// compared and written: a file that has only some columns (案号, 结案日期,
// 结案方式) updates those and leaves the rest as they were.
type Merge func(stored, incoming *domain.Case)

// UpsertCases adds or updates a batch of cases by case number. A case that
// cannot be stored (unknown court, out of the viewer's scope, invalid) is
// rejected with its reason and the others go on; one audit record sums up
// the batch. With merge, cases that exist are first completed from what is
// stored; without, they are replaced whole.
func (tx *Tx) UpsertCases(ctx context.Context, cases []*domain.Case, merge Merge) ([]CaseResult, error) {
	if tx.db.Sealer == nil {
		return nil, errors.New("upserting cases: no encryption key configured")
	}
	res := make([]CaseResult, len(cases))
	r := tx.newResolver()
	if err := r.prime(ctx, cases); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for i, c := range cases {
		reject := func(err error) { res[i] = CaseResult{Outcome: CaseRejected, Err: err} }
		c.Number = c.No.String()
		if j, dup := seen[c.Number]; dup {
			// The later row wins, as a later file would.
			res[j] = CaseResult{Outcome: CaseRejected, Err: domain.Invalid("case_no", "同一批数据中案号重复，以后一行为准")}
		}
		seen[c.Number] = i
		court, err := r.court(ctx, c.No.Court)
		if err != nil {
			return nil, err
		}
		if court == nil || court.code != c.No.Court {
			reject(domain.Invalid("case_no", "案号中的法院代码“"+c.No.Court+"”不是已知法院"))
			continue
		}
		if !tx.v.CanWriteCases(court.path) {
			reject(domain.Errorf(domain.ErrForbidden, "无权导入%s的案件", c.No.Court))
			continue
		}
		c.CourtID, c.CourtCode, c.CourtPath = court.id, court.code, court.path
		if c.SupervisedBy != "" {
			sup, err := r.court(ctx, c.SupervisedBy)
			if err != nil {
				return nil, err
			}
			if sup == nil {
				reject(domain.Invalid("supervised_by", "督办法院“"+c.SupervisedBy+"”不是已知法院"))
				continue
			}
			if !domain.Above(sup.path, court.path) {
				reject(domain.Invalid("supervised_by", "督办法院“"+c.SupervisedBy+"”不是"+court.code+"的上级法院"))
				continue
			}
			c.SupervisedBy = sup.code
		}
		if c.DepartmentID, err = r.department(ctx, c.CourtID, c.Department); err != nil {
			return nil, err
		}
		if c.OfficerID, err = r.officerID(ctx, c.CourtID, c.Department, c.Officer); err != nil {
			return nil, err
		}
	}
	if err := tx.writeCases(ctx, cases, res, merge); err != nil {
		return nil, err
	}
	// Cases the import left unchanged keep their officer: every change of
	// an account or a mapping relinks the cases of its name when it is
	// made (linkOfficers), so an import need not scan them again.
	var n Counts
	n.Add(res)
	if n.Added+n.Updated == 0 {
		return res, nil
	}
	var first, last string
	for i, c := range cases {
		if res[i].Outcome == CaseAdded || res[i].Outcome == CaseUpdated {
			if first == "" {
				first = c.Number
			}
			last = c.Number
		}
	}
	return res, tx.Audit(ctx, Entry{Action: "case.import", ObjectType: "case", ObjectID: first, Success: true,
		Detail: fmt.Sprintf("新增%d，更新%d，未变%d，拒绝%d；%s … %s", n.Added, n.Updated, n.Unchanged, n.Rejected, first, last)})
}

type existing struct {
	id   int64
	hash string
}

// writeCases stores the cases not yet rejected: one query finds which
// exist, new ones go in with multi-row inserts, changed ones are updated.
func (tx *Tx) writeCases(ctx context.Context, cases []*domain.Case, res []CaseResult, merge Merge) error {
	var numbers []any
	for i, c := range cases {
		if res[i].Outcome == 0 {
			numbers = append(numbers, c.Number)
		}
	}
	have := map[string]existing{}
	scanExisting := func(row scanner) error {
		var e existing
		var num string
		if err := row.Scan(&e.id, &num, &e.hash); err != nil {
			return err
		}
		have[num] = e
		return nil
	}
	if tx.db.Engine == Postgres {
		// The whole batch in one look-up, its numbers as one array, each
		// found through the unique index on number. With number =
		// ANY(?) the planner chose a scan of the whole table, the array
		// hashed: 46 ms against 11 ms for 5,000 new numbers at 100,000
		// cases (EXPLAIN ANALYZE), the scan growing with the table and
		// the look-ups not. The LIMIT keeps the subquery from being
		// flattened into a join the planner could hash the same way.
		all := make([]string, len(numbers))
		for i, n := range numbers {
			all[i] = n.(string)
		}
		if err := each(ctx, tx, scanExisting, `SELECT k.id, k.number, k.source_hash FROM unnest(?::text[]) AS n(number)
			CROSS JOIN LATERAL (SELECT id, number, source_hash FROM cases WHERE number = n.number LIMIT 1) k`, all); err != nil {
			return fmt.Errorf("finding cases: %w", err)
		}
		numbers = nil
	}
	for start := 0; start < len(numbers); start += 500 {
		chunk := numbers[start:min(start+500, len(numbers))]
		err := each(ctx, tx.prepared(), scanExisting, "SELECT id, number, source_hash FROM cases WHERE number IN ("+placeholders(len(chunk))+")", chunk...)
		if err != nil {
			return fmt.Errorf("finding cases: %w", err)
		}
	}
	merged := map[*domain.Case]bool{}
	if merge != nil && len(have) > 0 {
		stored, err := tx.loadStored(ctx, have)
		if err != nil {
			return err
		}
		for i, c := range cases {
			if old, ok := stored[c.Number]; ok && res[i].Outcome == 0 {
				merge(old, c)
				merged[c] = true
			}
		}
	}
	now := tx.db.now()
	var fresh, changed []*domain.Case
	// Each case's fingerprint, computed once (JSON and SHA-256 per case).
	hashes := make(map[*domain.Case]string, len(cases))
	for i, c := range cases {
		if res[i].Outcome != 0 {
			continue
		}
		if err := c.Validate(); err != nil {
			res[i] = CaseResult{Outcome: CaseRejected, Err: err}
			continue
		}
		h := tx.preparedHash(c, merged[c])
		hashes[c] = h
		e, ok := have[c.Number]
		switch {
		case !ok:
			res[i].Outcome = CaseAdded
			tx.limitFresh(c, merged[c])
			fresh = append(fresh, c)
		case e.hash == h:
			res[i].Outcome = CaseUnchanged
			c.ID = e.id
		default:
			res[i].Outcome = CaseUpdated
			c.ID = e.id
			changed = append(changed, c)
		}
	}
	if tx.conn != nil {
		if err := tx.copyCases(ctx, fresh, hashes, now); err != nil {
			return err
		}
		return tx.updateCasesStaged(ctx, changed, hashes, now)
	}
	if err := tx.insertCases(ctx, fresh, hashes, now); err != nil {
		return err
	}
	// The filing date or the case type may have changed the limit.
	if err := tx.limitChanged(ctx, changed); err != nil {
		return err
	}
	for _, c := range changed {
		// Prepared once a transaction: a batch may update thousands.
		_, err := tx.prepared().exec(ctx, `UPDATE cases SET filed_on = ?, officer = ?, officer_id = ?, department = ?, department_id = ?, amount = ?, has_property = ?,
			property_known = ?, non_litigation = ?, closed_on = ?, closing_mode = ?, petition = ?, supervised_by = ?, supervised_since = ?,
			public_opinion = ?, social_impact = ?, due_on = ?, clock_stopped = ?, source_hash = ?, updated_at = ? WHERE id = ?`,
			c.FiledOn, c.Officer, nullID(c.OfficerID), c.Department, nullID(c.DepartmentID), c.Amount, c.HasProperty, c.PropertyKnown,
			c.NonLitigation, c.ClosedOn, c.ClosingMode, c.Petition, c.SupervisedBy, c.SupervisedSince, c.PublicOpinion, c.SocialImpact,
			c.DueOn, c.ClockStopped, hashes[c], now, c.ID)
		if err != nil {
			return fmt.Errorf("updating case %s: %w", c.Number, err)
		}
		// Parties and nodes come whole from the case system: replace them.
		if _, err := tx.prepared().exec(ctx, "DELETE FROM parties WHERE case_id = ?", c.ID); err != nil {
			return fmt.Errorf("replacing parties: %w", err)
		}
		if _, err := tx.prepared().exec(ctx, "DELETE FROM case_nodes WHERE case_id = ?", c.ID); err != nil {
			return fmt.Errorf("replacing nodes: %w", err)
		}
	}
	written := append(fresh, changed...)
	if err := tx.recordOfficers(ctx, written); err != nil {
		return err
	}
	return tx.insertChildren(ctx, written)
}

// rowsPerInsert is how many rows one multi-row INSERT of a batch writes:
// as many as fit in SQLite's 32,766 parameters. Each statement is a
// statement transaction, and the full-text index of parties' names
// flushes what it holds to a new segment at every one (FTS5's
// xSavepoint), to be merged later: with 200 parties a statement a
// 100,000-row import spent ~15 % of the writer's time flushing and
// merging segments. Fewer, larger statements also cross the driver
// fewer times.
func rowsPerInsert(params int) int { return insertParams / params }

// insertParams is the parameters of one multi-row INSERT (see rowsPerInsert).
var insertParams = 32000

// insertCases adds new cases with multi-row INSERTs (the path without
// COPY: SQLite, or a transaction that does not hold its connection). The
// ids are given here, after the table's largest, rather than read back
// with RETURNING: the transaction holds the database's only writer on
// SQLite, and on PostgreSQL draws them from the table's sequence.
func (tx *Tx) insertCases(ctx context.Context, fresh []*domain.Case, hashes map[*domain.Case]string, now time.Time) error {
	if len(fresh) == 0 {
		return nil
	}
	if err := tx.assignCaseIDs(ctx, fresh); err != nil {
		return err
	}
	per := rowsPerInsert(len(caseCopyColumns))
	args := make([]any, 0, min(len(fresh), per)*len(caseCopyColumns))
	for start := 0; start < len(fresh); start += per {
		chunk := fresh[start:min(start+per, len(fresh))]
		args = args[:0]
		for _, c := range chunk {
			args = append(args, c.ID, c.Number, c.No.Year, c.CourtID, c.No.Type, c.No.Serial, c.FiledOn, c.Officer, nullID(c.OfficerID), c.Department, nullID(c.DepartmentID),
				c.Amount, c.HasProperty, c.PropertyKnown, c.NonLitigation, c.ClosedOn, c.ClosingMode, c.Petition, c.SupervisedBy, c.SupervisedSince,
				c.PublicOpinion, c.SocialImpact, c.DueOn, c.ClockStopped, hashes[c], now, now)
		}
		if _, err := tx.prepared().exec(ctx, caseInsert(len(chunk)), args...); err != nil {
			return fmt.Errorf("adding cases: %w", err)
		}
	}
	return nil
}

// assignCaseIDs gives new cases their ids: on SQLite the next after the
// largest in the table, as SQLite itself would (the writer is held, so no
// one else takes them); on PostgreSQL from the table's sequence.
func (tx *Tx) assignCaseIDs(ctx context.Context, fresh []*domain.Case) error {
	if tx.db.Engine == Postgres {
		// The sequence named once: nextval(pg_get_serial_sequence(…))
		// looked the name up for every id drawn, 70–100 ms for a batch
		// of 5,000 against 7–15 ms (psql, a 200,000-case database).
		ids, err := collect(ctx, tx, scanID, `WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('cases', 'id')::regclass AS seq)
			SELECT nextval(s.seq) FROM s, generate_series(1, ?)`, len(fresh))
		if err != nil {
			return fmt.Errorf("drawing case ids: %w", err)
		}
		if len(ids) != len(fresh) {
			return fmt.Errorf("drawing case ids: %d of %d", len(ids), len(fresh))
		}
		for i, c := range fresh {
			c.ID = ids[i]
		}
		return nil
	}
	var last int64
	if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM cases").Scan(&last); err != nil {
		return fmt.Errorf("drawing case ids: %w", translate(err))
	}
	for i, c := range fresh {
		c.ID = last + int64(i) + 1
	}
	return nil
}

// caseCopyColumns are the columns copyCases fills.
var caseCopyColumns = []string{"id", "number", "year", "court_id", "type", "serial", "filed_on", "officer", "officer_id", "department", "department_id",
	"amount", "has_property", "property_known", "non_litigation", "closed_on", "closing_mode", "petition", "supervised_by", "supervised_since",
	"public_opinion", "social_impact", "due_on", "clock_stopped", "source_hash", "created_at", "updated_at"}

// copyCases writes new cases with COPY on PostgreSQL (UpdateBulk): their
// ids are drawn from the table's sequence first, then the cases, their
// officers, parties (phones sealed) and nodes go in as four COPYs in the
// batch's transaction (copyChildren the last two) — the engine's bulk
// path instead of a multi-row INSERT per hundred cases. The cases are known to be new: the batch
// looked them up in the same transaction, and a concurrent import of the
// same number fails the batch on the unique number, as an INSERT would.
func (tx *Tx) copyCases(ctx context.Context, fresh []*domain.Case, hashes map[*domain.Case]string, now time.Time) error {
	if len(fresh) == 0 {
		return nil
	}
	if err := tx.assignCaseIDs(ctx, fresh); err != nil {
		return err
	}
	var officers []*domain.Case
	i := 0
	err := tx.copyIn(ctx, "cases", caseCopyColumns, func(w *copyRows) (bool, error) {
		if i == len(fresh) {
			return false, nil
		}
		c := fresh[i]
		i++
		if c.OfficerID != 0 {
			officers = append(officers, c)
		}
		// The fields in caseCopyColumns' order.
		w.row()
		w.int8(c.ID)
		w.text(c.Number)
		w.int4(c.No.Year)
		w.int8(c.CourtID)
		w.text(c.No.Type)
		w.int4(c.No.Serial)
		w.date(c.FiledOn)
		w.text(c.Officer)
		w.id(c.OfficerID)
		w.text(c.Department)
		w.id(c.DepartmentID)
		w.int8(c.Amount)
		w.boolean(c.HasProperty)
		w.boolean(c.PropertyKnown)
		w.boolean(c.NonLitigation)
		w.date(c.ClosedOn)
		w.text(c.ClosingMode)
		w.boolean(c.Petition)
		w.text(c.SupervisedBy)
		w.date(c.SupervisedSince)
		w.boolean(c.PublicOpinion)
		w.boolean(c.SocialImpact)
		w.date(c.DueOn)
		w.boolean(c.ClockStopped)
		w.text(hashes[c])
		w.timestamptz(now)
		w.timestamptz(now)
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("adding cases: %w", err)
	}
	if len(officers) > 0 {
		i := 0
		err := tx.copyIn(ctx, "case_officers", []string{"case_id", "user_id"}, func(w *copyRows) (bool, error) {
			if i == len(officers) {
				return false, nil
			}
			c := officers[i]
			i++
			w.row()
			w.int8(c.ID)
			w.int8(c.OfficerID)
			return true, nil
		})
		if err != nil {
			return fmt.Errorf("recording case officers: %w", err)
		}
	}
	return tx.copyChildren(ctx, fresh)
}

// sealPhone returns a party's phone sealed and its blind index, or two
// empty strings for no phone.
func (tx *Tx) sealPhone(phone string) (sealed, index string, err error) {
	if phone == "" {
		return "", "", nil
	}
	if sealed, err = tx.db.Sealer.Seal(phone); err != nil {
		return "", "", fmt.Errorf("sealing phone: %w", err)
	}
	return sealed, tx.db.Sealer.BlindIndex(phone), nil
}

// recordOfficers keeps every officer a case has had, so that a case moved
// to another officer keeps its return visits sealed from both.
func (tx *Tx) recordOfficers(ctx context.Context, cases []*domain.Case) error {
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := tx.prepared().exec(ctx, "INSERT INTO case_officers (case_id, user_id) VALUES "+valuesList(n, 2)+" ON CONFLICT DO NOTHING", args...)
		args, n = args[:0], 0
		if err != nil {
			return fmt.Errorf("recording case officers: %w", err)
		}
		return nil
	}
	for _, c := range cases {
		if c.OfficerID == 0 {
			continue
		}
		args = append(args, c.ID, c.OfficerID)
		if n++; n == 400 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// loadStored reads the stored form of existing cases, parties' phones
// opened, for merging.
func (tx *Tx) loadStored(ctx context.Context, have map[string]existing) (map[string]*domain.Case, error) {
	out := map[string]*domain.Case{}
	byID := map[int64]*domain.Case{}
	var ids []any
	for _, e := range have {
		ids = append(ids, e.id)
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		in := "(" + placeholders(len(chunk)) + ")"
		err := each(ctx, tx, func(row scanner) error {
			k, err := scanCase(row)
			if err == nil {
				out[k.Number], byID[k.ID] = k, k
			}
			return err
		}, "SELECT "+caseColumns+caseFrom+" WHERE k.id IN "+in, chunk...)
		if err != nil {
			return nil, fmt.Errorf("loading stored cases: %w", err)
		}
		err = each(ctx, tx, func(row scanner) error {
			var id int64
			var p domain.Party
			var sealed string
			if err := row.Scan(&id, &p.Role, &p.Org, &p.Name, &sealed); err != nil {
				return err
			}
			if sealed != "" {
				var err error
				if p.Phone, err = tx.db.Sealer.Open(sealed); err != nil {
					return fmt.Errorf("opening stored phone: %w", err)
				}
			}
			byID[id].Parties = append(byID[id].Parties, p)
			return nil
		}, "SELECT case_id, role, org, name, phone_sealed FROM parties WHERE case_id IN "+in+" ORDER BY case_id, position", chunk...)
		if err != nil {
			return nil, fmt.Errorf("loading stored parties: %w", err)
		}
		err = each(ctx, tx, func(row scanner) error {
			var id int64
			var n domain.Node
			if err := row.Scan(&id, &n.Kind, &n.On, &n.Note); err != nil {
				return err
			}
			byID[id].Nodes = append(byID[id].Nodes, n)
			return nil
		}, "SELECT case_id, kind, on_date, note FROM case_nodes WHERE case_id IN "+in+" ORDER BY case_id, on_date, id", chunk...)
		if err != nil {
			return nil, fmt.Errorf("loading stored nodes: %w", err)
		}
	}
	return out, nil
}

func (tx *Tx) insertChildren(ctx context.Context, cases []*domain.Case) error {
	parties := rowWriter{tx: tx, per: rowsPerInsert(partyParams), width: partyParams, query: partyInsert, what: "adding parties"}
	nodes := rowWriter{tx: tx, per: rowsPerInsert(nodeParams), width: nodeParams, query: nodeInsert, what: "adding nodes"}
	for _, c := range cases {
		for i, p := range c.Parties {
			sealed, index, err := tx.sealPartyPhone(c, p.Phone)
			if err != nil {
				return err
			}
			if err := parties.add(ctx, c.ID, i+1, p.Role, p.Org, p.Name, sealed, index); err != nil {
				return err
			}
		}
		for _, n := range c.Nodes {
			if err := nodes.add(ctx, c.ID, n.Kind, n.On, n.Note); err != nil {
				return err
			}
		}
	}
	if err := parties.flush(ctx); err != nil {
		return err
	}
	return nodes.flush(ctx)
}

// rowWriter gathers rows for multi-row INSERTs of per rows each.
type rowWriter struct {
	tx         *Tx
	per, width int
	query      func(rows int) string
	what       string
	args       []any
}

func (w *rowWriter) add(ctx context.Context, row ...any) error {
	w.args = append(w.args, row...)
	if len(w.args) < w.per*w.width {
		return nil
	}
	return w.flush(ctx)
}

func (w *rowWriter) flush(ctx context.Context) error {
	n := len(w.args) / w.width
	if n == 0 {
		return nil
	}
	if _, err := w.tx.prepared().exec(ctx, w.query(n), w.args...); err != nil {
		return fmt.Errorf("%s: %w", w.what, err)
	}
	w.args = w.args[:0]
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// valuesList returns "(?,?),(?,?)…" for rows of n values each.
func valuesList(rows, n int) string {
	one := "(" + placeholders(n) + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

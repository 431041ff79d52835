package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

const caseColumns = `k.id, k.number, k.year, k.type, k.serial, k.court_id, c.code, c.name, c.path, k.filed_on, k.officer, k.officer_id,
	k.department, k.department_id, k.amount, k.has_property, k.property_known, k.non_litigation, k.closed_on, k.closing_mode,
	k.petition, k.supervised_by, k.supervised_since, k.supervised_doc, k.supervised_note, k.public_opinion, k.social_impact, k.due_on, k.clock_stopped, k.created_at, k.updated_at`

const caseFrom = " FROM cases k JOIN courts c ON c.id = k.court_id"

func scanCase(sc interface{ Scan(...any) error }) (*domain.Case, error) {
	var k domain.Case
	var ids caseIDs
	if err := sc.Scan(caseDest(&k, &ids)...); err != nil {
		return nil, translate(err)
	}
	ids.finish(&k)
	return &k, nil
}

// caseIDs are the nullable columns of caseColumns that scanCase reads
// beside the case's own fields.
type caseIDs struct{ officer, dept sql.NullInt64 }

// caseDest returns the scan targets of caseColumns, in their order.
func caseDest(k *domain.Case, ids *caseIDs) []any {
	return []any{&k.ID, &k.Number, &k.No.Year, &k.No.Type, &k.No.Serial, &k.CourtID, &k.CourtCode, &k.CourtName, &k.CourtPath,
		&k.FiledOn, &k.Officer, &ids.officer, &k.Department, &ids.dept, &k.Amount, &k.HasProperty, &k.PropertyKnown, &k.NonLitigation,
		&k.ClosedOn, &k.ClosingMode, &k.Petition, &k.SupervisedBy, &k.SupervisedSince, &k.SupervisedDoc, &k.SupervisedNote, &k.PublicOpinion, &k.SocialImpact,
		&k.DueOn, &k.ClockStopped, &k.CreatedAt, &k.UpdatedAt}
}

// finish completes a case scanned with caseDest.
func (ids caseIDs) finish(k *domain.Case) {
	k.No.Court = k.CourtCode
	k.OfficerID, k.DepartmentID = ids.officer.Int64, ids.dept.Int64
	k.CreatedAt, k.UpdatedAt = k.CreatedAt.UTC(), k.UpdatedAt.UTC()
}

// collectCases is collect with scanCase for a list of at most n cases
// (more are read, but with an allocation each): one set of scan targets
// for every row, and the cases in a few blocks, not one allocation each.
// Per row, scanCase allocates the case, its 31 targets and its two ids.
func collectCases(ctx context.Context, db querier, n int, q string, args ...any) ([]*domain.Case, error) {
	var block []domain.Case
	out := make([]*domain.Case, 0, n)
	var k domain.Case
	var ids caseIDs
	dest := caseDest(&k, &ids)
	err := each(ctx, db, func(row scanner) error {
		k, ids = domain.Case{}, caseIDs{}
		if err := row.Scan(dest...); err != nil {
			return translate(err)
		}
		ids.finish(&k)
		if len(block) == cap(block) {
			// Blocks of 8, 16, 32… up to what is left of n: a search
			// that finds one case does not zero fifty.
			block = make([]domain.Case, 0, max(1, min(max(8, 2*cap(block)), n-len(out))))
		}
		block = append(block, k)
		out = append(out, &block[len(block)-1])
		return nil
	}, q, args...)
	if err != nil || len(out) == 0 {
		return nil, err // as collect: nil when there is none
	}
	return out, nil
}

// CaseByNumber returns a case the viewer may see, with its parties (phones
// masked) and process nodes. A case out of scope is "not found".
func (db *DB) CaseByNumber(ctx context.Context, v domain.Viewer, number string) (*domain.Case, error) {
	return db.caseWhere(ctx, v, "k.number = ?", number)
}

// CaseByID is CaseByNumber by the case's id.
func (db *DB) CaseByID(ctx context.Context, v domain.Viewer, id int64) (*domain.Case, error) {
	return db.caseWhere(ctx, v, "k.id = ?", id)
}

func (db *DB) caseWhere(ctx context.Context, v domain.Viewer, cond string, arg any) (*domain.Case, error) {
	k, err := caseRow(ctx, db, v, cond, arg)
	if err != nil {
		return nil, err
	}
	if err := db.loadParties(ctx, k); err != nil {
		return nil, err
	}
	k.Nodes, err = collect(ctx, db, func(row scanner) (n domain.Node, err error) {
		err = row.Scan(&n.Kind, &n.On, &n.Note)
		return n, err
	}, "SELECT kind, on_date, note FROM case_nodes WHERE case_id = ? ORDER BY on_date, id", k.ID)
	if err != nil {
		return nil, fmt.Errorf("loading nodes: %w", err)
	}
	return k, nil
}

func (db *DB) loadParties(ctx context.Context, k *domain.Case) error {
	parties, err := collect(ctx, db, func(row scanner) (p domain.Party, err error) {
		var sealed string
		if err := row.Scan(&p.ID, &p.Role, &p.Org, &p.Name, &sealed); err != nil {
			return p, err
		}
		if sealed != "" && db.Sealer != nil {
			phone, err := db.Sealer.Open(sealed)
			if err != nil {
				return p, fmt.Errorf("opening phone of party %d: %w", p.ID, err)
			}
			p.PhoneMasked = domain.MaskMobile(phone)
		}
		return p, nil
	}, "SELECT id, role, org, name, phone_sealed FROM parties WHERE case_id = ? ORDER BY position", k.ID)
	if err != nil {
		return fmt.Errorf("loading parties: %w", err)
	}
	k.Parties = append(k.Parties, parties...)
	return nil
}

// caseRow reads the case that matches cond, if v may see it, through q,
// without its parties and nodes: what a check before a change needs, read
// inside the changing transaction. A case out of scope is "not found".
func caseRow(ctx context.Context, q querier, v domain.Viewer, cond string, arg any) (*domain.Case, error) {
	scope, args, err := caseScope(v)
	if err != nil {
		return nil, err
	}
	k, err := scanCase(q.queryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE "+cond+" AND "+scope, append([]any{arg}, args...)...))
	if err != nil {
		return nil, fmt.Errorf("loading case %v: %w", arg, err)
	}
	return k, nil
}

// RevealPhone returns a party's full mobile number to v in a transaction
// of its own.
func (db *DB) RevealPhone(ctx context.Context, v domain.Viewer, partyID int64) (string, error) {
	return inTx(ctx, db, v, func(tx *Tx) (string, error) { return tx.RevealPhone(ctx, partyID) })
}

// RevealPhone returns a party's full mobile number to tx's viewer, whose
// role needs it, and records the view in the audit trail in tx: no
// record, no number.
func (tx *Tx) RevealPhone(ctx context.Context, partyID int64) (string, error) {
	v := tx.v
	if !v.CanRevealPhones() {
		return "", domain.Errorf(domain.ErrForbidden, "您的角色无权查看完整电话号码。")
	}
	scope, args, err := caseScope(v)
	if err != nil {
		return "", err
	}
	var number, name, sealed, path string
	err = tx.queryRow(ctx, "SELECT k.number, p.name, p.phone_sealed, c.path FROM parties p JOIN cases k ON k.id = p.case_id JOIN courts c ON c.id = k.court_id WHERE p.id = ? AND "+scope,
		append([]any{partyID}, args...)...).Scan(&number, &name, &sealed, &path)
	if err != nil {
		return "", fmt.Errorf("loading party %d: %w", partyID, translate(err))
	}
	if sealed == "" {
		return "", domain.Errorf(domain.ErrNotFound, "该当事人没有登记手机号码。")
	}
	phone, err := tx.db.Sealer.Open(sealed)
	if err != nil {
		return "", fmt.Errorf("opening phone: %w", err)
	}
	err = tx.Audit(ctx, Entry{Action: "phone.view", ObjectType: "party", ObjectID: strconv.FormatInt(partyID, 10), CourtPath: path, Success: true,
		Detail: number + " " + name})
	if err != nil {
		return "", err
	}
	return phone, nil
}

// CaseFilter narrows and orders a case listing.
type CaseFilter struct {
	// Query is a case number in any spelling, a party's name or an
	// officer's name.
	Query   string
	Court   string // court code; its subtree when the viewer sees one
	Status  string // "open", "closed" or ""
	Overdue bool
	Flags   []string // petition, supervised, opinion, impact
	Today   domain.Date
	// Sort is filed (default), amount, closed or number; Desc reverses.
	Sort string
	Desc bool
	// After is the cursor of the last row of the previous page.
	After string
	// Page, when above 0 and After is empty, asks for that page by its
	// number (offset paging, for the web list's page links); a page past
	// the last counted is the last. Limit is the page's size.
	Page  int
	Limit int
	// CaseTypes parse Query as a case number.
	CaseTypes []string
}

// CasePage is one page of a listing.
type CasePage struct {
	Cases []*domain.Case
	// Next is the cursor of the next page, "" at the end.
	Next string
	// Total counts the matches up to the count's cap (DB.CaseCountCap);
	// Capped is set beyond it.
	Total  int
	Capped bool
	// Info is the page served by number (CaseFilter.Page): its Total is
	// the count up to the cap, so a capped list pages up to the cap.
	Info PageInfo
}

// CountCap bounds the count of a listing, so that a count over a million
// cases never costs more than the page itself: DB.CaseCountCap if set.
const CountCap = 10000

// caseCountCap is the bound on a case listing's count.
func (db *DB) caseCountCap() int {
	if db.CaseCountCap > 0 {
		return db.CaseCountCap
	}
	return CountCap
}

var sortColumns = map[string]string{"filed": "k.filed_on", "amount": "k.amount", "closed": "k.closed_on", "number": "k.number"}

// CaseSorts names the case list's orders for the list component; Cases
// orders by sortColumns itself, keyset or offset alike.
var CaseSorts = Sorts{Keys: map[string][]string{"filed": {"k.filed_on"}, "amount": {"k.amount"}, "closed": {"k.closed_on"}, "number": {"k.number"}},
	Default: "filed", DefaultDesc: true, Tie: "k.id"}

// Cases lists the cases the viewer may see, with keyset pagination so that
// page 1,000 costs what page 1 costs.
func (db *DB) Cases(ctx context.Context, v domain.Viewer, f CaseFilter) (*CasePage, error) {
	scope, args, err := caseScope(v)
	if err != nil {
		return nil, err
	}
	where := []string{scope}
	if seesAll, err := db.seesEveryCourt(ctx, v); err != nil {
		return nil, err
	} else if seesAll {
		// A condition true of every case would only keep the planner from
		// walking the sort index: leave it out.
		where, args = nil, nil
	}
	// A name prefix matching many parties is tested case by case and
	// counted from the name index (densePrefixCond): where and args then
	// hold the other conditions only, for that count.
	q, dense := strings.TrimSpace(f.Query), false
	// A name found inside party names: its cases' ids first
	// (nameMatchIDs), their number the count when nothing else narrows.
	// Only otherwise the condition itself (caseQueryCond), which on
	// PostgreSQL counts the names again.
	var ids []int64
	byIDs := false
	if q != "" {
		if ids, byIDs, err = db.nameMatchIDs(ctx, q, f.CaseTypes, db.searchIDs()); err != nil {
			return nil, err
		}
	}
	var qcond string
	var qargs []any
	switch {
	case byIDs:
		var idArg any
		qcond, idArg = db.idsCond(ids)
		qargs = []any{idArg}
	case q != "":
		if qcond, qargs, err = db.caseQueryCond(ctx, q, f.CaseTypes); err != nil {
			return nil, err
		}
		if isNamePrefix(q, f.CaseTypes) {
			if dense, err = db.prefixDense(ctx, q); err != nil {
				return nil, err
			}
			if dense {
				qcond, qargs = densePrefixCond(q)
			}
		}
	}
	if q != "" && !dense {
		where, args = append(where, qcond), append(args, qargs...)
	}
	if f.Court != "" {
		where = append(where, "k.court_id IN (SELECT id FROM courts WHERE code = ?)")
		args = append(args, f.Court)
	}
	switch f.Status {
	case "open":
		where = append(where, "k.closed_on IS NULL")
	case "closed":
		where = append(where, "k.closed_on IS NOT NULL")
	}
	if f.Overdue {
		where = append(where, "k.closed_on IS NULL AND NOT k.clock_stopped AND k.due_on < ?")
		args = append(args, f.Today)
	}
	for _, fl := range f.Flags {
		switch fl {
		case "petition":
			where = append(where, "k.petition")
		case "supervised":
			where = append(where, "k.supervised_by <> ''")
		case "opinion":
			where = append(where, "k.public_opinion")
		case "impact":
			where = append(where, "k.social_impact")
		}
	}
	if len(where) == 0 {
		where = []string{"1=1"}
	}
	cond := strings.Join(where, " AND ")

	page := &CasePage{}
	limit := db.caseCountCap()
	if dense {
		// A surname's cases are counted to a lower bound: no one pages
		// through more than a thousand of them, and the count is most of
		// the request (at 1,000,000 cases 张 took 40 ms to 10,000).
		if limit = db.DenseCountCap; limit <= 0 {
			limit = DefaultDenseCountCap
		}
		if page.Total, err = db.countDensePrefix(ctx, q, cond, args, limit); err != nil {
			return nil, err
		}
		cond, args = qcond+" AND "+cond, append(append([]any{}, qargs...), args...)
	} else if byIDs && len(where) == 1 {
		page.Total = len(ids)
	} else if err := db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM cases k WHERE "+cond+" LIMIT "+strconv.Itoa(limit+1)+") t", args...).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("counting cases: %w", translate(err))
	}
	if page.Total > limit {
		page.Total, page.Capped = limit, true
	}

	col, ok := sortColumns[f.Sort]
	if !ok {
		col, f.Desc = "k.filed_on", true
		if f.Sort != "" {
			f.Desc = false
		}
		f.Sort = "filed"
	}
	// NULL closing dates sort as empty text so the keyset stays total.
	key := col
	if col == "k.closed_on" {
		key = "COALESCE(k.closed_on, '')"
	}
	dir, cmp := "ASC", ">"
	if f.Desc {
		dir, cmp = "DESC", "<"
	}
	if f.After != "" {
		val, id, err := parseCursor(f.After)
		if err != nil {
			return nil, err
		}
		var v any = val
		if col == "k.amount" {
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return nil, domain.Invalid("after", "翻页参数无效")
			}
			v = n
		}
		// A row-value comparison, so that the index on (key, id) serves
		// the page as a range scan.
		cond += " AND (" + key + ", k.id) " + cmp + " (?, ?)"
		args = append(args, v, id)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	offset, rows := "", f.Limit
	if f.Page > 0 && f.After == "" {
		// Offset paging reads at most the cap's rows deep, which costs
		// what the capped count has already cost; the last page of a
		// capped list ends at the cap, as its count says.
		page.Info = PageReq{Page: f.Page, Size: f.Limit}.Clamp(page.Total)
		page.Info.Capped = page.Capped
		page.Info.Sort, page.Info.Desc = f.Sort, f.Desc
		skip := (page.Info.Page - 1) * page.Info.Size
		offset = " OFFSET " + strconv.Itoa(skip)
		if page.Capped {
			rows = max(1, min(rows, page.Total-skip))
		}
	}
	order := " ORDER BY " + key + " " + dir + ", k.id " + dir
	// The page's size is written, as the offset is, not bound: PostgreSQL
	// costs a generic plan for an unknown LIMIT as if a tenth of the rows
	// were wanted, a sort, against custom plans that walk an index for
	// the page's 51, and so planned the list anew on every request (0.17–
	// 0.27 ms of planning for 0.07–0.22 ms of execution at a million
	// cases, the case list and the API of a viewer who sees every court).
	// Written, that statement has no parameter left and is planned once
	// (0.001 ms). A court's list, its court a parameter, took the generic
	// plan either way in TestCaseListKeepsAGenericPlan's data.
	pageRows := " LIMIT " + strconv.Itoa(rows+1) + offset
	list := "SELECT " + caseColumns + caseFrom + " WHERE " + cond + order + pageRows
	if byIDs {
		// The matches sorted by their key alone, and only the page's
		// rows read whole and joined to their court.
		list = "SELECT " + caseColumns + caseFrom + " WHERE k.id IN (SELECT k.id FROM cases k WHERE " + cond + order + pageRows + ")" + order
	}
	page.Cases, err = collectCases(ctx, db, rows+1, list, args...)
	if err != nil {
		return nil, fmt.Errorf("listing cases: %w", err)
	}
	if len(page.Cases) > rows {
		page.Cases = page.Cases[:rows]
		last := page.Cases[rows-1]
		var val string
		switch col {
		case "k.amount":
			val = strconv.FormatInt(last.Amount, 10)
		case "k.closed_on":
			val = last.ClosedOn.String()
		case "k.number":
			val = last.Number
		default:
			val = last.FiledOn.String()
		}
		page.Next = val + "|" + strconv.FormatInt(last.ID, 10)
	}
	return page, nil
}

func parseCursor(s string) (string, int64, error) {
	i := strings.LastIndexByte(s, '|')
	if i < 0 {
		return "", 0, domain.Invalid("after", "翻页参数无效")
	}
	id, err := strconv.ParseInt(s[i+1:], 10, 64)
	if err != nil {
		return "", 0, domain.Invalid("after", "翻页参数无效")
	}
	return s[:i], id, nil
}

// seesEveryCourt reports whether v's case scope is the whole database: the
// program itself, or the bureau or a watchdog of a court with no parent.
func (db *DB) seesEveryCourt(ctx context.Context, v domain.Viewer) (bool, error) {
	if v.System {
		return true, nil
	}
	if !v.SeesSubtree() {
		return false, nil
	}
	var outside int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM courts WHERE path NOT LIKE CAST(? AS TEXT) ESCAPE '\\'", likePrefix(v.CourtPath)).Scan(&outside)
	return outside == 0, translate(err)
}

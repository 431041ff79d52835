package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// caseQueryCond returns the condition over cases k that a search text q
// means, for the case list and the global search alike: a full case
// number by its canonical form; a number written in part by its serial
// (indexed) and whichever of year, type and court it names; otherwise a
// party by any part of its name (SearchMinContains characters or more,
// by the trigram index) or by name prefix (fewer), or an officer by name.
func (db *DB) caseQueryCond(ctx context.Context, q string, types []string) (string, []any, error) {
	if len(types) == 0 {
		types = domain.DefaultCaseTypes
	}
	if no, err := domain.ParseCaseNo(q, types); err == nil {
		return "k.number = ?", []any{no.String()}, nil
	}
	if no, ok := domain.ParseCaseNoQuery(q, types); ok {
		conds, args := []string{"k.serial = ?"}, []any{no.Serial}
		if no.Year != 0 {
			conds, args = append(conds, "k.year = ?"), append(args, no.Year)
		}
		if no.Type != "" {
			conds, args = append(conds, "k.type = ?"), append(args, no.Type)
		}
		if no.Court != "" {
			conds, args = append(conds, "k.court_id IN (SELECT id FROM courts WHERE code = ?)"), append(args, no.Court)
		}
		return strings.Join(conds, " AND "), args, nil
	}
	// A party by name, or an officer by name: both by index. One IN over
	// a UNION, not an OR: the planner then reads the few matching ids by
	// index instead of testing every case.
	if cond, args, ok, err := db.nameContains(ctx, "p", q); err != nil || ok {
		return "k.id IN (SELECT p.case_id FROM parties p WHERE " + cond + " UNION SELECT id FROM cases WHERE officer = ?)", append(args, q), err
	}
	// Too short for trigrams: a name prefix, as a range, which every
	// engine and collation serves from a B-tree, unlike LIKE.
	return "k.id IN (SELECT case_id FROM parties WHERE name >= ? AND name < ? UNION SELECT id FROM cases WHERE officer = ?)",
		[]any{q, q + "\U0010FFFF", q}, nil
}

// DefaultSearchIDs is how many cases a name searched inside party names
// (and as an officer's name) may find for the case list to collect
// their ids first, in one statement, and then count and list them by id:
// the trigram look-up then runs once a request instead of once for the
// count and again for the page (at 1,000,000 cases a name held by 319
// parties cost ~6 ms of SQLite's CPU a request, most of it twice). More
// matches than this are counted and listed as before, each statement
// with the look-up, the count stopping at its cap.
const DefaultSearchIDs = 2000

// searchIDs is the bound of nameMatchIDs: DB.SearchIDs, within the
// count's cap, so that a capped count is still told as capped.
func (db *DB) searchIDs() int {
	switch {
	case db.SearchIDs < 0:
		return -1
	case db.SearchIDs == 0:
		return min(DefaultSearchIDs, db.caseCountCap())
	}
	return min(db.SearchIDs, db.caseCountCap())
}

// nameMatchIDs returns the ids of the cases that caseQueryCond's
// condition for q finds, when it reads q as text inside party names (not
// a case number, long enough for trigrams) and they are at most limit;
// ok is false otherwise, and the caller uses the condition itself.
func (db *DB) nameMatchIDs(ctx context.Context, q string, types []string, limit int) (ids []int64, ok bool, err error) {
	if limit < 0 || isCaseNumber(q, types) {
		return nil, false, nil
	}
	cond, args, ok, err := db.nameContains(ctx, "p", q)
	if err != nil || !ok {
		return nil, false, err
	}
	ids, err = collect(ctx, db, scanID, "SELECT p.case_id FROM parties p WHERE "+cond+" UNION SELECT id FROM cases WHERE officer = ? LIMIT ?",
		append(args, q, limit+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("finding cases by name: %w", err)
	}
	if len(ids) > limit {
		return nil, false, nil
	}
	return ids, true, nil
}

// idsCond is the condition over cases k for the cases of ids, one
// parameter whatever their number, so that the statement stays prepared:
// a JSON array read by json_each on SQLite, an array on PostgreSQL.
func (db *DB) idsCond(ids []int64) (string, any) {
	var b strings.Builder
	open, end := "[", "]"
	if db.Engine == Postgres {
		open, end = "{", "}"
	}
	b.WriteString(open)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteString(end)
	if db.Engine == Postgres {
		return "k.id = ANY(CAST(? AS bigint[]))", b.String()
	}
	return "k.id IN (SELECT value FROM json_each(?))", b.String()
}

// DefaultDensePrefix is how many parties a short name prefix may match
// before the case list reads it the other way round (densePrefixCond).
const DefaultDensePrefix = 5000

// isNamePrefix tells whether caseQueryCond reads q as a name prefix: not
// a case number in any form, and too short for trigrams.
func isNamePrefix(q string, types []string) bool {
	return !isCaseNumber(q, types) && utf8.RuneCountInString(q) < SearchMinContains
}

// isCaseNumber tells whether caseQueryCond reads q as a case number,
// whole or in part.
func isCaseNumber(q string, types []string) bool {
	if len(types) == 0 {
		types = domain.DefaultCaseTypes
	}
	if _, ok := domain.ParseCaseNoQuery(q, types); ok {
		return true
	}
	_, err := domain.ParseCaseNo(q, types)
	return err == nil
}

// prefixDense tells whether more than DB.DensePrefix parties' names start
// with q (a surname, one character of a common name): collecting their
// cases and sorting them would read a large part of the province on
// every request (at 1,000,000 cases 张 starts 145,944 names; the list and
// its count took 4.4 s on SQLite).
func (db *DB) prefixDense(ctx context.Context, q string) (bool, error) {
	limit := db.DensePrefix
	if limit <= 0 {
		limit = DefaultDensePrefix
	}
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM parties WHERE name >= ? AND name < ? LIMIT ?) t", q, q+"\U0010FFFF", limit+1).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("counting names: %w", translate(err))
	}
	return n > limit, nil
}

// densePrefixCond is caseQueryCond's condition for a dense name prefix:
// tested case by case, so that the list walks its sort index and stops
// at the page, finding matches often as they are many.
func densePrefixCond(q string) (string, []any) {
	return "(EXISTS (SELECT 1 FROM parties p WHERE p.case_id = k.id AND p.name >= ? AND p.name < ?) OR k.officer = ?)",
		[]any{q, q + "\U0010FFFF", q}
}

// DefaultDenseCountCap bounds the count of a dense name prefix's cases.
const DefaultDenseCountCap = 1000

// countDensePrefix counts, up to limit+1, the cases a dense name
// prefix finds under the other conditions (other, over cases k): those
// with such a party, read from the name index, plus those of an officer
// of that name without one.
func (db *DB) countDensePrefix(ctx context.Context, q, other string, args []any, limit int) (int, error) {
	hi := q + "\U0010FFFF"
	limit++
	var byName, byOfficer int
	// Under no other condition the cases need not be read: every party
	// has its case (at 1,000,000 cases, 张: 0.05 s instead of 0.5 s).
	byNameQ := "SELECT COUNT(*) FROM (SELECT DISTINCT p.case_id FROM parties p JOIN cases k ON k.id = p.case_id WHERE p.name >= ? AND p.name < ? AND " + other + " LIMIT ?) t"
	if other == "1=1" {
		byNameQ = "SELECT COUNT(*) FROM (SELECT DISTINCT case_id FROM parties WHERE name >= ? AND name < ? LIMIT ?) t"
	}
	err := db.queryRow(ctx, byNameQ, append(append([]any{q, hi}, args...), limit)...).Scan(&byName)
	if err != nil {
		return 0, fmt.Errorf("counting cases: %w", translate(err))
	}
	err = db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM cases k WHERE k.officer = ? AND NOT EXISTS (SELECT 1 FROM parties p WHERE p.case_id = k.id AND p.name >= ? AND p.name < ?) AND "+other+" LIMIT ?) t",
		append(append([]any{q, q, hi}, args...), limit)...).Scan(&byOfficer)
	if err != nil {
		return 0, fmt.Errorf("counting cases: %w", translate(err))
	}
	return byName + byOfficer, nil
}

// SearchMinContains is the fewest characters a search text needs for
// names that hold it anywhere to be found by index: the trigram indexes
// (pg_trgm on PostgreSQL, FTS5 trigram on SQLite) know no shorter piece.
// Shorter texts find names that start with them in the case list; the
// global search adds names holding them by walking the parties in scope
// up to its limit.
const SearchMinContains = 3

// nameContains returns the condition over parties (alias a) for a name
// that holds q anywhere, served by the engine's trigram index; false when
// q is too short for it. LIKE decides on both engines, so that what
// matches is what matched before the index (its wildcards taken
// literally). Both engines index each distinct name once (party_names):
// on SQLite the FTS5 index over them narrows the names LIKE tests
// (migration 00066), on PostgreSQL LIKE tests the names the trigram index
// offers (migration 00065); the parties bearing them are read by
// parties_name (name, case_id).
//
// On PostgreSQL the planner guesses 1 % of the names for any LIKE, so
// nameContains first counts them (to manyNames). A few, as an array, it
// reads name by name: at 1,000,000 cases 建设银行 (144 names, 8,408
// parties) 11 ms, against 480 ms for IN (SELECT …), which it hashed
// against every party. But for the array it guesses a few hundred
// parties, and for a text in most names joined each of their cases by
// a loop (有限公司, 66,723 names, 580,416 cases: the page 12 s); as a
// set, IN (SELECT …), it hashes them as it should (2.5 s; the trigram
// index over every party took 1.5 s).
func (db *DB) nameContains(ctx context.Context, a, q string) (string, []any, bool, error) {
	if utf8.RuneCountInString(q) < SearchMinContains {
		return "", nil, false, nil
	}
	like := "%" + likeEscape(q) + "%"
	if db.Engine == SQLite {
		// The cast as in likePrefix: a pattern starting with % never
		// takes the LIKE optimisation, for which a bare parameter had
		// the cached statement planned again at every search (pprof:
		// 50–100 µs of each request at 100,000 cases).
		return a + ".name IN (SELECT name FROM party_names WHERE id IN (SELECT rowid FROM party_names_fts WHERE party_names_fts MATCH ?) AND name LIKE CAST(? AS TEXT) ESCAPE '\\')", []any{ftsTrigrams(q, db.commonTrigram), like}, true, nil
	}
	var n int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM party_names WHERE name LIKE CAST(? AS TEXT) ESCAPE '\\' LIMIT ?) t", like, db.manyNames()+1).Scan(&n); err != nil {
		return "", nil, false, fmt.Errorf("counting names: %w", translate(err))
	}
	if n > db.manyNames() {
		return a + ".name IN (SELECT name FROM party_names WHERE name LIKE CAST(? AS TEXT) ESCAPE '\\')", []any{like}, true, nil
	}
	return a + ".name = ANY(ARRAY(SELECT name FROM party_names WHERE name LIKE CAST(? AS TEXT) ESCAPE '\\'))", []any{like}, true, nil
}

// DefaultManyNames is how many distinct names holding a text make the
// name search on PostgreSQL read them as a set rather than one by one
// (nameContains).
const DefaultManyNames = 1000

func (db *DB) manyNames() int {
	if db.ManyNames > 0 {
		return db.ManyNames
	}
	return DefaultManyNames
}

// ftsTrigrams is the FTS5 query for the rows whose text holds trigrams
// of q that cover it end to end, each quoted as a string: the candidates
// for LIKE, which decides. Every text holding q holds them; a cover
// (positions 0, 3, 6 … and the last) reads about a third of the posting
// lists that every overlapping trigram would (at 1,000,000 cases 4 lists
// instead of 8 for a ten-character name: 1.8 → 1.3 ms). Trigrams common
// to many names are left out when others remain: their lists are the
// long ones (有限公 and 限公司 in 735,398 parties' names at 1,000,000
// cases) and the rarer trigrams narrow the rows as well (41 names drawn
// from that province's parties, look-up and LIKE: 515 → 85 ms of CPU in
// all, the same matches; a company's name 10–20 ms → under 1 ms; since
// migration 00066 the index holds each distinct name once, 66,723 of
// them with those two).
func ftsTrigrams(q string, common func(string) bool) string {
	r := []rune(q)
	var terms, rare []string
	seen := map[string]bool{}
	add := func(i int) {
		g := string(r[i : i+SearchMinContains])
		if !seen[g] {
			seen[g] = true
			t := `"` + strings.ReplaceAll(g, `"`, `""`) + `"`
			terms = append(terms, t)
			if !common(g) {
				rare = append(rare, t)
			}
		}
	}
	for i := 0; i+SearchMinContains <= len(r); i += SearchMinContains {
		add(i)
	}
	if len(r)%SearchMinContains != 0 && len(r) >= SearchMinContains {
		add(len(r) - SearchMinContains)
	}
	if len(rare) > 0 {
		terms = rare
	}
	return strings.Join(terms, " AND ")
}

// SearchLimit is how many hits of each group the global search shows.
const SearchLimit = 20

// SearchResult is what the global search found, by group, each already
// limited to what the viewer may read.
type SearchResult struct {
	// Cases matched by number or officer name; nil when the viewer reads
	// no cases.
	Cases      *CasePage
	Parties    []PartyHit
	Staff      []StaffHit
	ReadsCases bool
	// PartiesCut: a text too short for trigrams was looked for inside
	// names among DB.SearchWalk parties only (besides every name starting
	// with it); there are more in scope, not looked through.
	PartiesCut bool
	// Walked is how many parties that walk read when it was cut.
	Walked int
}

// DefaultSearchWalk is how many parties in scope the global search reads
// for one or two characters inside names before it stops and says so: a
// bound on rows, so that the answer does not depend on the machine's load.
const DefaultSearchWalk = 20000

// PartyHit is a party whose name holds the search text, with its case.
type PartyHit struct {
	PartyID    int64
	Name       string
	Role       domain.PartyRole
	CaseID     int64
	CaseNumber string
	CourtName  string
}

// StaffHit is an account whose name holds the search text.
type StaffHit struct {
	UserID     int64
	Name       string
	CourtName  string
	Department string
	Officer    bool // holds the officer or department head role: has cases
}

// Search finds q everywhere the viewer may look: cases by number in any
// partial form or by officer, parties by any part of their name (names
// are stored in clear; phones stay sealed and are never searched here),
// and staff by any part of their name, in the courts the viewer sees. It
// never looks into the watchdogs' registers.
func (db *DB) Search(ctx context.Context, v domain.Viewer, q string, types []string) (*SearchResult, error) {
	q = strings.TrimSpace(q)
	res := &SearchResult{ReadsCases: v.CanReadCases() && v.CourtPath != "" || v.System}
	if q == "" {
		return res, nil
	}
	if res.ReadsCases {
		pg, err := db.Cases(ctx, v, CaseFilter{Query: q, CaseTypes: types, Limit: SearchLimit, Today: domain.DateOf(db.Now(), domain.Beijing)})
		if err != nil {
			return nil, fmt.Errorf("searching cases: %w", err)
		}
		res.Cases = pg
		if _, isNumber := domain.ParseCaseNoQuery(q, typesOr(types)); !isNumber {
			if res.Parties, res.PartiesCut, err = db.searchParties(ctx, v, q); err != nil {
				return nil, err
			}
			if res.PartiesCut {
				res.Walked = db.searchWalk()
			}
		}
	}
	staff, err := db.searchStaff(ctx, v, q)
	if err != nil {
		return nil, err
	}
	res.Staff = staff
	return res, nil
}

func typesOr(types []string) []string {
	if len(types) == 0 {
		return domain.DefaultCaseTypes
	}
	return types
}

// searchParties finds parties by any part of their name among the cases
// the viewer may see. A name prefix is served by the parties_name index,
// a part inside a name by the trigram index (nameContains).
func (db *DB) searchParties(ctx context.Context, v domain.Viewer, q string) (hits []PartyHit, cut bool, err error) {
	scope, args, err := caseScope(v)
	if err != nil {
		return nil, false, err
	}
	const cols = "SELECT p.id, p.name, p.role, k.id, k.number, c.name FROM parties p JOIN cases k ON k.id = p.case_id JOIN courts c ON c.id = k.court_id WHERE "
	scan := func(row scanner) (h PartyHit, err error) {
		err = row.Scan(&h.PartyID, &h.Name, &h.Role, &h.CaseID, &h.CaseNumber, &h.CourtName)
		return h, err
	}
	// Names that start with q first (by index), then those holding it:
	// by the trigram index, or for a text too short for it by LIKE over
	// at most SearchWalk parties in scope.
	hits, err = collect(ctx, db, scan, cols+"p.name >= ? AND p.name < ? AND "+scope+" ORDER BY p.name, k.number LIMIT ?",
		append(append([]any{q, q + "\U0010FFFF"}, args...), SearchLimit)...)
	if err != nil {
		return nil, false, fmt.Errorf("searching parties: %w", err)
	}
	if len(hits) == SearchLimit {
		return hits, false, nil
	}
	cond, cargs, ok, err := db.nameContains(ctx, "p", q)
	if err != nil {
		return nil, false, err
	}
	if ok {
		with := ""
		if db.Engine == Postgres {
			// Read the matches from the trigram index first: left to
			// itself, the planner walks parties_name in order for the
			// LIMIT, testing LIKE on most of the parties when the
			// matches are few.
			with, cond = "WITH m AS MATERIALIZED (SELECT p.id FROM parties p WHERE "+cond+") ", "p.id IN (SELECT id FROM m)"
		}
		more, err := collect(ctx, db, scan, with+cols+cond+" AND NOT (p.name >= ? AND p.name < ?) AND "+scope+" ORDER BY p.name, k.number LIMIT ?",
			append(append(append(cargs, q, q+"\U0010FFFF"), args...), SearchLimit-len(hits))...)
		if err != nil {
			return nil, false, fmt.Errorf("searching parties: %w", err)
		}
		return append(hits, more...), false, nil
	}
	// A text too short for trigrams: LIKE over at most SearchWalk of the
	// parties in scope (those not already found by prefix), in the
	// engine's order, and say when there were more. A bound on rows, not
	// on time, so that the same data always gives the same answer.
	walk := db.searchWalk()
	const window = "SELECT p.id FROM parties p JOIN cases k ON k.id = p.case_id WHERE NOT (p.name >= ? AND p.name < ?) AND "
	wargs := append([]any{q, q + "\U0010FFFF"}, args...)
	more, err := collect(ctx, db, scan, "WITH w AS MATERIALIZED ("+window+scope+" LIMIT ?) "+cols+"p.id IN (SELECT id FROM w) AND p.name LIKE CAST(? AS TEXT) ESCAPE '\\' ORDER BY p.name, k.number LIMIT ?",
		append(append(wargs, walk), "%"+likeEscape(q)+"%", SearchLimit-len(hits))...)
	if err != nil {
		return nil, false, fmt.Errorf("searching parties: %w", err)
	}
	hits = append(hits, more...)
	if len(hits) == SearchLimit {
		return hits, false, nil
	}
	var n int
	if err := db.queryRow(ctx, "SELECT count(*) FROM ("+window+scope+" LIMIT ?) x", append(wargs, walk+1)...).Scan(&n); err != nil {
		return nil, false, fmt.Errorf("counting the parties searched: %w", err)
	}
	return hits, n > walk, nil
}

// searchStaff finds enabled accounts by any part of their name in the
// courts the viewer sees: its own, and its subtree for roles that see one.
func (db *DB) searchStaff(ctx context.Context, v domain.Viewer, q string) ([]StaffHit, error) {
	if !v.System && v.CourtPath == "" {
		return nil, nil
	}
	cond, arg := "c.path = ?", any(v.CourtPath)
	if v.System || v.SeesSubtree() {
		cond, arg = "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'", likePrefix(v.AdminScope())
	}
	hits, err := collect(ctx, db, func(row scanner) (h StaffHit, err error) {
		err = row.Scan(&h.UserID, &h.Name, &h.CourtName, &h.Department, &h.Officer)
		return h, err
	}, `SELECT u.id, u.name, c.name, d.name,
			EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('officer', 'dept_head'))
		FROM users u JOIN courts c ON c.id = u.court_id JOIN departments d ON d.id = u.department_id
		WHERE NOT u.disabled AND u.name LIKE CAST(? AS TEXT) ESCAPE '\' AND `+cond+` ORDER BY c.path, u.name, u.id LIMIT ?`,
		"%"+likeEscape(q)+"%", arg, SearchLimit)
	if err != nil {
		return nil, fmt.Errorf("searching staff: %w", err)
	}
	return hits, nil
}

func (db *DB) searchWalk() int {
	if db.SearchWalk > 0 {
		return db.SearchWalk
	}
	return DefaultSearchWalk
}

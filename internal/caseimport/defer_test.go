package caseimport_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"testing"

	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
	"github.com/zhilian/zhilian/internal/testdb"
)

// schemaIndexes lists the database's indexes and triggers (SQLite) or
// indexes, foreign keys and triggers (PostgreSQL) by name: what a load that defers
// its indexes must leave as a fresh database has it.
func schemaIndexes(t *testing.T, db *store.DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name"
	if db.Engine == store.Postgres {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
			UNION ALL SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
			UNION ALL SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
				WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`
	}
	rows, err := db.WriteDB().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

func synthCSV(t *testing.T, rows int) []byte {
	t.Helper()
	var courts []synth.Court
	for _, code := range []string{"鲁0102", "鲁0103", "鲁01"} {
		courts = append(courts, synth.Court{Code: code, Officers: []synth.Officer{{Name: "张伟", Department: "执行一庭"}}})
	}
	var b bytes.Buffer
	if err := synth.New(synth.Config{Seed: 3, Today: domain.MustDate("2026-11-01")}, courts).WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// findsByName tells whether the case list finds case k by its partial
// number (cases_serial) and by three characters from a party's name
// (the trigram index), as many cases as have such a party.
func findsByName(t *testing.T, db *store.DB, k *domain.Case) bool {
	t.Helper()
	sys := domain.SystemViewer("test")
	var name []rune
	for _, p := range k.Parties {
		if n := []rune(p.Name); len(n) >= 4 {
			name = n
		}
	}
	if name == nil {
		t.Fatalf("%s has no party name long enough for the test", k.Number)
	}
	part := string(name[1:4])
	var want int
	if err := db.WriteDB().QueryRowContext(ctx, db.Rebind("SELECT COUNT(DISTINCT case_id) FROM parties WHERE name LIKE ?"), "%"+part+"%").Scan(&want); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{part, "执" + itoa(k.No.Serial) + "号"} {
		p, err := db.Cases(ctx, sys, store.CaseFilter{Query: q, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(p.Cases, func(c *domain.Case) bool { return c.Number == k.Number }) {
			t.Logf("%q does not find %s (%d found)", q, k.Number, len(p.Cases))
			return false
		}
		if q == part && p.Total != want {
			t.Logf("%q finds %d cases, %d have such a party", q, p.Total, want)
			return false
		}
	}
	return true
}

// TestLoadDefersReadingIndexes: a load into a database without cases
// builds the reading indexes after its rows; they are all there after
// it, the trigram search finds names, and a second load (cases present)
// keeps them. A load cancelled half-way leaves them to its next attempt.
func TestLoadDefersReadingIndexes(t *testing.T) {
	defer func(n int) { caseimport.DeferIndexesFrom = n }(caseimport.DeferIndexesFrom)
	caseimport.DeferIndexesFrom = 100
	fresh := testdb.Open(t)
	want := schemaIndexes(t, fresh)

	db := testdb.Open(t)
	data := synthCSV(t, 600)
	var seen []string
	segments := 0 // of the trigram index, the most seen during the load
	progress := func(phase string, done, total int64, r *caseimport.Result) {
		if phase != store.ImportImporting {
			return
		}
		if seen == nil {
			seen = schemaIndexes(t, db) // during the load, after the first batch
		}
		n, err := db.TrigramSegments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		segments = max(segments, n)
		if got := trigramMerging(t, db); db.Engine == store.SQLite && got != "0 256" {
			t.Errorf("during the load the trigram index merges with automerge, crisismerge %s; want 0 256", got)
		}
	}
	res, err := caseimport.Load(ctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importOpts(50), progress, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.Added < 500 {
		t.Fatalf("loaded %+v", res.Counts)
	}
	if slices.Contains(seen, "cases_serial") || slices.Contains(seen, "parties_name") || len(seen) >= len(want) ||
		slices.Contains(seen, "parties_name_insert") || slices.Contains(seen, "parties_names") ||
		(db.Engine == store.Postgres && (slices.Contains(seen, "parties_case_id_fkey") || slices.Contains(seen, "cases_court_id_fkey") ||
			slices.Contains(seen, "party_names_trgm"))) {
		t.Errorf("during the load the reading indexes, the names' trigger (or on PostgreSQL the foreign keys) were there: %v", seen)
	}
	if got := schemaIndexes(t, db); !slices.Equal(got, want) {
		t.Fatalf("after the load the indexes are\n%v\nwant\n%v", got, want)
	}
	k := someCase(t, db)
	if !findsByName(t, db, k) {
		t.Fatalf("after the load %s is not found by part of its party's name or number", k.Number)
	}
	// Every distinct name of the parties once in party_names, filled at
	// the load's end (store.fillPartyNames), and none other.
	var names, distinct, missing int
	q := `SELECT (SELECT COUNT(*) FROM party_names), (SELECT COUNT(DISTINCT name) FROM parties),
		(SELECT COUNT(*) FROM parties p WHERE NOT EXISTS (SELECT 1 FROM party_names n WHERE n.name = p.name))`
	if err := db.WriteDB().QueryRowContext(ctx, q).Scan(&names, &distinct, &missing); err != nil {
		t.Fatal(err)
	}
	if names != distinct || missing != 0 || distinct < 100 {
		t.Errorf("after the load party_names holds %d names for %d distinct names of parties, %d parties' names missing", names, distinct, missing)
	}
	// On SQLite the trigram index, empty during the load (the names come
	// at its end), is written with the indexes' build, in one segment.
	if n, err := db.TrigramSegments(ctx); err != nil || (db.Engine == store.SQLite && (segments != 0 || n != 1)) {
		t.Errorf("trigram index: %d segments during the load, %d after it (%v); want none, then 1", segments, n, err)
	}
	if got := trigramMerging(t, db); got != "4 16" {
		t.Errorf("after the load the trigram index merges with automerge, crisismerge %s; want FTS5's 4 16", got)
	}

	// Cases present: nothing is deferred.
	if deferred, err := db.DeferIndexes(ctx); err != nil || deferred {
		t.Fatalf("DeferIndexes on a database with cases: %v, %v", deferred, err)
	}

	// A load stopped half-way (a shutdown) leaves them deferred; the
	// load's next attempt takes them over and builds them at its end.
	db2 := testdb.Open(t)
	cctx, cancel := context.WithCancel(ctx)
	stop := func(phase string, done, total int64, r *caseimport.Result) {
		if phase == store.ImportImporting && r.Counts.Added > 0 {
			cancel()
		}
	}
	if _, err := caseimport.Load(cctx, db2, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importOpts(50), stop, 0); err == nil {
		t.Fatal("a cancelled load succeeded")
	}
	if got := schemaIndexes(t, db2); slices.Contains(got, "cases_serial") || len(got) >= len(want) {
		t.Fatalf("after a cancelled load the reading indexes were built: %v", got)
	}
	if n := count(t, db2); n == 0 || n >= res.Counts.Added {
		t.Fatalf("the cancelled load kept %d cases", n)
	}
	if _, err := caseimport.Load(ctx, db2, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importOpts(50), nil, 0); err != nil {
		t.Fatal(err)
	}
	if got := schemaIndexes(t, db2); !slices.Equal(got, want) {
		t.Fatalf("after the load's next attempt the indexes are\n%v\nwant\n%v", got, want)
	}
	if n := count(t, db2); n != res.Counts.Added {
		t.Fatalf("after the next attempt %d cases, want %d", n, res.Counts.Added)
	}
}

// TestIndexesBuiltAfterAKilledLoad: the state a load killed with -9
// leaves (indexes deferred, batches committed, nothing built) is mended
// at the next start, before anything reads: the migrations build them.
func TestIndexesBuiltAfterAKilledLoad(t *testing.T) {
	fresh := testdb.Open(t)
	want := schemaIndexes(t, fresh)

	dsn := testdb.DSN(t)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.UseKeys(testdb.Sealer(t))
	if deferred, err := db.DeferIndexes(ctx); err != nil || !deferred {
		t.Fatalf("DeferIndexes on an empty database: %v, %v", deferred, err)
	}
	if again, err := db.DeferIndexes(ctx); err != nil || !again {
		t.Fatalf("DeferIndexes again while they are away: %v, %v (want them said away)", again, err)
	}
	data := synthCSV(t, 300)
	caseimport.DeferIndexesFrom = 1 << 30 // the batches of the "killed" load, written as they were
	defer func() { caseimport.DeferIndexesFrom = 10000 }()
	if _, err := caseimport.Load(ctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importOpts(50), nil, 0); err != nil {
		t.Fatal(err)
	}
	if got := schemaIndexes(t, db); slices.Equal(got, want) {
		t.Fatal("the indexes are there before the restart")
	}
	db.Close() // no RestoreIndexes: the process died

	db, err = store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.UseKeys(testdb.Sealer(t))
	if err := jobs.MigrateAll(ctx, db, quietLog()); err != nil {
		t.Fatal(err)
	}
	if got := schemaIndexes(t, db); !slices.Equal(got, want) {
		t.Fatalf("after the restart the indexes are\n%v\nwant\n%v", got, want)
	}
	if k := someCase(t, db); !findsByName(t, db, k) {
		t.Fatalf("after the restart %s is not found by part of its party's name or number", k.Number)
	}
	if n, err := db.TrigramSegments(ctx); err != nil || (db.Engine == store.SQLite && n != 1) {
		t.Errorf("after the restart the trigram index has %d segments (%v), want 1", n, err)
	}
	if got := trigramMerging(t, db); got != "4 16" {
		t.Errorf("after the restart the trigram index merges with automerge, crisismerge %s; want FTS5's 4 16", got)
	}
}

// trigramMerging returns the SQLite trigram index's automerge and
// crisismerge as "a c" (FTS5's defaults, 4 and 16, where its table has
// none set); "4 16" on PostgreSQL, which has no such index.
func trigramMerging(t *testing.T, db *store.DB) string {
	t.Helper()
	if db.Engine != store.SQLite {
		return "4 16"
	}
	var a, c int
	q := `SELECT COALESCE((SELECT v FROM party_names_fts_config WHERE k = 'automerge'), 4),
		COALESCE((SELECT v FROM party_names_fts_config WHERE k = 'crisismerge'), 16)`
	if err := db.WriteDB().QueryRowContext(ctx, q).Scan(&a, &c); err != nil {
		t.Fatal(err)
	}
	return itoa(a) + " " + itoa(c)
}

func importOpts(batch int) importer.Options {
	return importer.Options{CaseTypes: domain.DefaultCaseTypes, Batch: batch}
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func itoa(n int) string { return strconv.Itoa(n) }

// someCase is a case whose first party's name has four characters or
// more, for a search by a part of it.
func someCase(t *testing.T, db *store.DB) *domain.Case {
	t.Helper()
	var number string
	q := "SELECT k.number FROM cases k JOIN parties p ON p.case_id = k.id WHERE LENGTH(p.name) >= 4 ORDER BY k.id LIMIT 1"
	if err := db.WriteDB().QueryRowContext(ctx, q).Scan(&number); err != nil {
		t.Fatal(err)
	}
	k, err := db.CaseByNumber(ctx, domain.SystemViewer("test"), number)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestFirstLoadAnalyzesItsTables: after a first load on PostgreSQL, whose
// party tables are vacuumed and analyzed in the index build's lanes and
// the other tables after them, every table the load wrote has its
// statistics and its pages marked visible (VACUUM (ANALYZE)).
func TestFirstLoadAnalyzesItsTables(t *testing.T) {
	db := testdb.Open(t)
	if db.Engine != store.Postgres {
		return // SQLite analyzes as before (PRAGMA optimize), tested with its indexes
	}
	defer func(n int) { caseimport.DeferIndexesFrom = n }(caseimport.DeferIndexesFrom)
	caseimport.DeferIndexesFrom = 100
	data := synthCSV(t, 600)
	if _, err := caseimport.Load(ctx, db, domain.SystemViewer("test"), bytes.NewReader(data), int64(len(data)), importOpts(50), nil, 0); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"cases", "parties", "party_names", "case_officers", "audit_log"} {
		var vacuumed, analyzed bool
		err := db.WriteDB().QueryRowContext(ctx, `SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables
			WHERE schemaname = current_schema() AND relname = $1`, table).Scan(&vacuumed, &analyzed)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if !vacuumed || !analyzed {
			t.Errorf("%s after the load: vacuumed %v, analyzed %v; want both", table, vacuumed, analyzed)
		}
	}
}

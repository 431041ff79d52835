package store

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// readingIndexes are the indexes of the case tables that only reading
// needs: the pages' sorts, filters and searches. Writing a case never
// looks anything up through them (it finds a case by its number, a
// case's parties and nodes by case_id, which stay), so a first import
// into an empty database may build them once at the end, sorted, instead
// of inserting about fifteen entries per case into them one by one.
var readingIndexes = []string{
	"cases_court_filed", "cases_court_closed", "cases_officer", "cases_officer_closed", "cases_department",
	"cases_officer_name", "cases_filed", "cases_due", "cases_amount", "cases_closed",
	"cases_serial", "cases_unlinked", "cases_property", "cases_petition", "parties_name",
	// PostgreSQL's GIN trigram index over the distinct names
	// (party_names), which builds far faster than it inserts; the table
	// is filled at the end too (bulkTriggers). party_names_name serves
	// only PostgreSQL's trigger's look-up, away with it.
	"party_names_trgm", "party_names_name",
}

// bulkTriggers are the triggers on the tables a case import fills that a
// first load drops with the reading indexes, on PostgreSQL and on
// SQLite: each adds the new names of the parties written to party_names
// (migrations 00065 and 00066), on SQLite a look-up per party in the
// names' unique index and, for a new name, a row of the trigram index
// (party_names_fts). The load fills the table once at the end instead,
// from the parties it wrote, each distinct name once in the order of the
// parties_name index just built (fillPartyNames); on SQLite the trigram
// index follows by party_names' own trigger. At 300,000 rows that took
// the SQLite import from 27.5–28.4 to 23.5–23.8 CPU-seconds, the fill
// included (1.9–2.2 s; `zhilian bench`'s import, load 8–11).
var bulkTriggers = map[Engine][]string{Postgres: {"parties_names"}, SQLite: {"parties_name_insert"}}

// bulkForeignKeys are the foreign keys of the tables a case import fills,
// dropped with the reading indexes on PostgreSQL and added again after
// the load. Each checks every row it guards, one look-up per row
// (a trigger running a query), where adding it again checks them all in
// one join: COPY of 100,000 cases and their 262,284 parties took 7.0 s
// with them and 3.1 s + 0.3 s without (psql on the bench's rows). While
// they are away only the import writes these rows, with ids it drew
// itself and courts, officers and departments it resolved in the batch's
// transaction; nothing deletes courts, users, departments or cases.
// SQLite's foreign keys are checked per row too, but cheaply against the
// primary key it just wrote: they stay.
var bulkForeignKeys = []string{
	"cases_court_id_fkey", "cases_officer_id_fkey", "cases_department_id_fkey",
	"parties_case_id_fkey", "case_nodes_case_id_fkey", "case_officers_case_id_fkey", "case_officers_user_id_fkey",
}

// DeferIndexes drops the reading indexes and the names' trigger
// (bulkTriggers), and on PostgreSQL the import's foreign keys
// (bulkForeignKeys), before a bulk load, if the database
// holds no case yet, and tells whether they are away — also
// when an earlier load left them so, whose building this load then owes. Their
// definitions are kept in deferred_indexes in the same transaction, so
// that RestoreIndexes builds them again after the load — or, when the
// process died during it (kill -9), at the next start (Migrate), before
// anything reads. While they are away the pages still answer, only
// slower, and a name search finds none of the load's parties.
func (db *DB) DeferIndexes(ctx context.Context) (bool, error) {
	deferred := false
	err := db.Update(ctx, domain.SystemViewer("bulk-load"), func(tx *Tx) error {
		var some int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM cases LIMIT 1) t").Scan(&some); err != nil {
			return fmt.Errorf("looking for cases: %w", translate(err))
		}
		var pending int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM deferred_indexes").Scan(&pending); err != nil {
			return fmt.Errorf("reading deferred indexes: %w", translate(err))
		}
		if pending > 0 {
			// An earlier load of this process stopped before building
			// them (caseimport.Load): this one takes them over.
			deferred = true
			return nil
		}
		if some > 0 {
			return nil
		}
		defs, err := tx.indexDefinitions(ctx)
		if err != nil {
			return err
		}
		for _, d := range defs {
			if _, err := tx.exec(ctx, "INSERT INTO deferred_indexes (name, kind, definition) VALUES (?, ?, ?)", d.name, d.kind, d.sql); err != nil {
				return fmt.Errorf("keeping index %s: %w", d.name, err)
			}
			if _, err := tx.exec(ctx, d.drop(tx.db.Engine)); err != nil {
				return fmt.Errorf("dropping index %s: %w", d.name, err)
			}
		}
		deferred = len(defs) > 0
		if deferred && tx.db.Engine == SQLite {
			for _, q := range trigramMerging(bulkTrigramMerge) {
				if _, err := tx.exec(ctx, q); err != nil {
					return fmt.Errorf("deferring the trigram index's merges: %w", err)
				}
			}
		}
		return nil
	})
	return deferred, err
}

// The SQLite trigram index's merging (FTS5's automerge and crisismerge),
// kept in its table's configuration: restTrigramMerge, FTS5's defaults,
// as the server's writes need it, bulkTrigramMerge while the reading
// indexes are deferred. FTS5 writes a segment at every statement that
// adds names (its savepoint flushes) and whenever its pending terms
// outgrow its hash table; by default it merges them four at a time as it
// goes, each name's trigrams written again at every level, and
// 'optimize' merges them once more at the end (RestoreIndexes). A first
// load adds its names at its end, in one statement (fillPartyNames):
// meanwhile it only merges when a level reaches 256 segments.
var (
	restTrigramMerge = [2]int{4, 16}
	bulkTrigramMerge = [2]int{0, 256}
)

// trigramMerging returns the statements that set the trigram index's
// automerge and crisismerge to m.
func trigramMerging(m [2]int) []string {
	return []string{
		fmt.Sprintf("INSERT INTO party_names_fts (party_names_fts, rank) VALUES ('automerge', %d)", m[0]),
		fmt.Sprintf("INSERT INTO party_names_fts (party_names_fts, rank) VALUES ('crisismerge', %d)", m[1]),
	}
}

// RestoreIndexes builds the indexes DeferIndexes dropped, in one
// transaction with forgetting them on SQLite, each in its own on
// PostgreSQL, two at a time (restoreInLanes), then gathers the planner's
// statistics as after any large import (Analyze): without them the first
// lists after a load planned around the new indexes and took 0.4 s
// instead of 1 ms. Nothing to restore is no error.
func (db *DB) RestoreIndexes(ctx context.Context) error {
	if db.Engine == SQLite {
		// The writer keeps its temporary data in memory (statement
		// journals); an index's sort over a million rows spilled there
		// too, and the load peaked at 645 MB RSS. The sort also keeps
		// as much as the page cache in memory before it spills: a
		// smaller cache for the build (374 MB with 64 MiB). The writer
		// pool has one connection, so the pragmas hold for the build.
		// A worker thread sorts beside the writer (the sorts were a
		// third of the build's CPU time, 8 of 25 s at a million rows),
		// each with half the cache: two threads with 16 MiB each took
		// the load from 245 to 283 MB.
		// The import's cache (bulkCacheKiB) and the batches' garbage in
		// Go's heap were still held when the build began: the load's
		// peak RSS was there (a million rows: 265 MB in the build, 242–
		// 260 in the batches, sampled each second). Both are given back
		// to the operating system first (shrink_memory frees the cache
		// beyond the build's; FreeOSMemory collects and unmaps Go's).
		for _, p := range []string{"PRAGMA temp_store = FILE", "PRAGMA cache_size = -8192", "PRAGMA threads = 1", "PRAGMA shrink_memory"} {
			if _, err := db.write.ExecContext(ctx, p); err != nil {
				return fmt.Errorf("building indexes: %w", err)
			}
		}
		debug.FreeOSMemory()
		defer func() {
			ctx := context.WithoutCancel(ctx)
			// A failure leaves the build's settings, which are only slower.
			db.write.ExecContext(ctx, "PRAGMA temp_store = MEMORY")                               //nolint:errcheck
			db.write.ExecContext(ctx, "PRAGMA threads = 0")                                       //nolint:errcheck
			db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", db.bulk.cacheKiB())) //nolint:errcheck
		}()
	}
	if db.Engine == Postgres {
		built, vacuumed, err := db.restoreInLanes(ctx)
		if err != nil || !built {
			return err
		}
		return db.analyzeExcept(ctx, vacuumed)
	}
	built := false
	err := db.Update(ctx, domain.SystemViewer("bulk-load"), func(tx *Tx) error {
		defs, err := collect(ctx, tx, func(row scanner) (indexDef, error) {
			var d indexDef
			err := row.Scan(&d.name, &d.kind, &d.sql)
			return d, err
		}, "SELECT name, kind, definition FROM deferred_indexes ORDER BY name")
		if err != nil {
			return fmt.Errorf("reading deferred indexes: %w", err)
		}
		// The indexes first: the names' trigger after them, its table
		// filled from parties_name in order.
		last := func(d indexDef) int {
			if d.kind == "trigger" {
				return 1
			}
			return 0
		}
		slices.SortStableFunc(defs, func(a, b indexDef) int { return last(a) - last(b) })
		for _, d := range defs {
			if d.kind == "trigger" && d.name == "parties_name_insert" {
				if err := tx.fillPartyNames(ctx); err != nil {
					return err
				}
			}
			if _, err := tx.exec(ctx, d.sql); err != nil {
				return fmt.Errorf("building %s %s: %w", d.kind, d.name, err)
			}
		}
		var fts int // 0 in a file killed in a load before migration 00066, built before migrating
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'party_names_fts'").Scan(&fts); err != nil {
			return fmt.Errorf("looking for the trigram index: %w", translate(err))
		}
		if len(defs) > 0 && fts > 0 {
			// The trigram index was written in segments (by the names'
			// fill, or by a load's statements where an earlier version
			// kept the names' trigger), merged only in part as it went
			// (bulkTrigramMerge): a name search then reads every segment
			// left, and so does the vocabulary's walk
			// (refreshTrigramStats). Its merging set back and the index
			// merged here into one, with the indexes, in the same
			// transaction: a kill -9 leaves it to the next start's
			// build (Migrate), like them.
			for _, q := range append(trigramMerging(restTrigramMerge), "INSERT INTO party_names_fts (party_names_fts) VALUES ('optimize')") {
				if _, err := tx.exec(ctx, q); err != nil {
					return fmt.Errorf("merging the trigram index: %w", err)
				}
			}
		}
		if _, err := tx.exec(ctx, "DELETE FROM deferred_indexes"); err != nil {
			return fmt.Errorf("forgetting deferred indexes: %w", err)
		}
		built = len(defs) > 0
		return nil
	})
	if err != nil || !built {
		return err
	}
	return db.Analyze(ctx)
}

// indexDef is a deferred index, foreign key or trigger: kind "index",
// "constraint" or "trigger", sql the statement that makes it again.
type indexDef struct{ name, kind, sql, table string }

// drop returns the statement that drops d on engine e.
func (d indexDef) drop(e Engine) string {
	switch d.kind {
	case "constraint":
		return "ALTER TABLE " + d.table + " DROP CONSTRAINT " + d.name
	case "trigger":
		if e == SQLite {
			return "DROP TRIGGER " + d.name
		}
		return "DROP TRIGGER " + d.name + " ON " + d.table
	}
	return "DROP " + strings.ToUpper(d.kind) + " " + d.name
}

// indexDefinitions reads the reading indexes' definitions from the
// catalogue, as they stand after every migration, and on PostgreSQL the
// import's foreign keys and triggers.
func (tx *Tx) indexDefinitions(ctx context.Context) ([]indexDef, error) {
	q := "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name IN (%s) ORDER BY name"
	if tx.db.Engine == Postgres {
		q = "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN (%s) ORDER BY indexname"
	}
	defs, err := tx.catalogueDefs(ctx, "index", q, readingIndexes)
	if err != nil {
		return nil, err
	}
	if tx.db.Engine == SQLite {
		triggers, err := tx.catalogueDefs(ctx, "trigger", "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (%s) ORDER BY name", bulkTriggers[SQLite])
		if err != nil {
			return nil, err
		}
		return append(defs, triggers...), nil
	}
	fks, err := tx.catalogueDefs(ctx, "constraint", `SELECT conname, conrelid::regclass::text,
			'ALTER TABLE ' || conrelid::regclass::text || ' ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid)
		FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace AND conname IN (%s) ORDER BY conname`, bulkForeignKeys)
	if err != nil {
		return nil, err
	}
	triggers, err := tx.catalogueDefs(ctx, "trigger", `SELECT t.tgname, t.tgrelid::regclass::text, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace AND t.tgname IN (%s) ORDER BY t.tgname`, bulkTriggers[Postgres])
	if err != nil {
		return nil, err
	}
	return append(append(defs, fks...), triggers...), nil
}

// catalogueDefs reads the definitions of the objects of one kind named
// names by q, whose %s takes their names' placeholders and whose rows
// are a name, its table and the statement that makes it again.
func (tx *Tx) catalogueDefs(ctx context.Context, kind, q string, names []string) ([]indexDef, error) {
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = n
	}
	defs, err := collect(ctx, tx, func(row scanner) (indexDef, error) {
		d := indexDef{kind: kind}
		err := row.Scan(&d.name, &d.table, &d.sql)
		return d, err
	}, fmt.Sprintf(q, placeholders(len(names))), args...)
	if err != nil {
		return nil, fmt.Errorf("reading %s definitions: %w", kind, err)
	}
	return defs, nil
}

// fillPartyNames adds to party_names the names of the parties a bulk
// load wrote while the trigger that adds them (bulkTriggers) was away:
// each once, in one statement, in the transaction that makes the trigger
// again, so that a name written after it commits is the trigger's and
// one written before is here; a name the table holds already is left
// out. Both engines read the names in order from parties_name, built
// before in the same transaction (SQLite) or on the same lane with the
// parties vacuumed after it (PostgreSQL, restoreInLanes): on PostgreSQL
// an index-only scan, each name once (Unique), merged against
// party_names for the names there already. Without the index, or with
// the parties not vacuumed, the planner hashes them instead, within
// work_mem (EXCEPT hashed every party's name: 0.83 CPU-seconds of the
// server at 300,000 cases against 0.21–0.23 s from the index). On
// SQLite party_names_fts follows by its table's trigger; the names'
// unique key leaves out those there already (OR IGNORE, which the
// trigram index's trigger inherits: its insert of each new name's rowid
// meets no conflict; FTS5's integrity-check passes after it). A NOT
// EXISTS instead read party_names in the statement that fills it, which
// SQLite answers by copying the names into a temporary table first:
// 0.68–0.70 CPU-seconds at 300,000 rows against 0.49–0.50 (load 6–7).
func (tx *Tx) fillPartyNames(ctx context.Context) error {
	q := "INSERT OR IGNORE INTO party_names (name) SELECT DISTINCT name FROM parties ORDER BY name"
	if tx.db.Engine == Postgres {
		if _, err := tx.exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil {
			return fmt.Errorf("filling party names: %w", err)
		}
		q = "INSERT INTO party_names (name) SELECT DISTINCT p.name FROM parties p WHERE NOT EXISTS (SELECT 1 FROM party_names n WHERE n.name = p.name)"
	}
	if _, err := tx.exec(ctx, q); err != nil {
		return fmt.Errorf("filling party names: %w", err)
	}
	return nil
}

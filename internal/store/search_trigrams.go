package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// DefaultCommonTrigram is how many distinct party names a trigram must
// be in for the name search to leave it out of what it asks the FTS5
// index, when the text has other trigrams (ftsTrigrams). At 1,000,000
// cases 8 trigrams of the 369,002 names are, all of company names'
// endings (有限公 and 限公司 in 66,723 names, 股份有, 任公司 …).
const DefaultCommonTrigram = 20000

// trigramStats are the common trigrams, read from search_trigram_stats
// when the database is opened (Migrate) and after each refresh.
type trigramStats struct {
	common atomic.Pointer[map[string]int]
}

// commonTrigram tells whether DB.Analyze last found the trigram g in
// many names (none on PostgreSQL, or before an analysis).
func (db *DB) commonTrigram(g string) bool {
	m := db.trigrams.common.Load()
	return m != nil && (*m)[g] > 0
}

// loadTrigramStats reads the common trigrams, at the start and after each
// refresh.
func (db *DB) loadTrigramStats(ctx context.Context) error {
	if db.Engine != SQLite {
		return nil
	}
	m := map[string]int{}
	err := each(ctx, db, func(r scanner) error {
		var term string
		var docs int
		if err := r.Scan(&term, &docs); err != nil {
			return err
		}
		m[term] = docs
		return nil
	}, "SELECT term, docs FROM search_trigram_stats")
	if err != nil {
		return fmt.Errorf("reading the trigrams' statistics: %w", err)
	}
	db.trigrams.common.Store(&m)
	return nil
}

// refreshTrigramStats counts again, from the FTS5 index's vocabulary, the
// trigrams held by at least DB.CommonTrigram names (DefaultCommonTrigram
// if zero), for the name search: a walk of the whole index (2.6 s at
// 1,000,000 cases on a loaded machine), so it runs where the planner's
// statistics are refreshed.
func (db *DB) refreshTrigramStats(ctx context.Context) error {
	if db.Engine != SQLite {
		return nil
	}
	least := db.CommonTrigram
	if least <= 0 {
		least = DefaultCommonTrigram
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("counting trigrams: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.party_names_vocab USING fts5vocab(main, party_names_fts, 'row')"); err != nil {
		return fmt.Errorf("counting trigrams: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("counting trigrams: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit a no-op
	if _, err := tx.ExecContext(ctx, "DELETE FROM search_trigram_stats"); err != nil {
		return fmt.Errorf("counting trigrams: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO search_trigram_stats (term, docs) SELECT term, doc FROM temp.party_names_vocab WHERE doc >= ?", least); err != nil {
		return fmt.Errorf("counting trigrams: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("counting trigrams: %w", err)
	}
	return db.loadTrigramStats(ctx)
}

// TrigramSegments returns how many segments the SQLite trigram index
// (party_names_fts) is made of, read from its structure record (FTS5's
// record id 10: a 4-byte cookie, on newer files a 4-byte version mark,
// then varints: the number of levels, the number of segments); 0 on
// PostgreSQL. After a first import it is one (RestoreIndexes); the
// benchmarks and tests read it.
func (db *DB) TrigramSegments(ctx context.Context) (int, error) {
	if db.Engine != SQLite {
		return 0, nil
	}
	var b []byte
	if err := db.write.QueryRowContext(ctx, "SELECT block FROM party_names_fts_data WHERE id = 10").Scan(&b); err != nil {
		return 0, fmt.Errorf("reading the trigram index's structure: %w", translate(err))
	}
	if len(b) < 4 {
		return 0, fmt.Errorf("trigram structure of %d bytes", len(b))
	}
	b = b[4:]
	if len(b) >= 4 && b[0] == 0xff && b[1] == 0 && b[2] == 0 && b[3] == 1 {
		b = b[4:]
	}
	varint := func() (int, error) {
		v := 0
		for i, c := range b {
			v = v<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				b = b[i+1:]
				return v, nil
			}
		}
		return 0, errors.New("trigram structure cut short")
	}
	if _, err := varint(); err != nil { // levels
		return 0, err
	}
	return varint()
}

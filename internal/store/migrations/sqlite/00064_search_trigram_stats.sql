-- +goose Up
-- The trigrams that many party names hold, with how many (issue 19): the
-- name search leaves them out of what it asks the FTS5 index when the
-- text has others, since reading their posting lists cost most of a
-- search (at 1,000,000 cases 有限公 and 限公司 are in 735,398 names;
-- a search for a company's name read them for 10–20 ms of CPU). Filled
-- by DB.Analyze (search_trigrams.go), as the planner's own statistics.
CREATE TABLE search_trigram_stats (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;

-- A database with names already: counted now, as DB.Analyze does
-- (DefaultCommonTrigram names or more).
CREATE VIRTUAL TABLE temp.parties_fts_vocab_00064 USING fts5vocab(main, parties_fts, 'row');
INSERT INTO search_trigram_stats (term, docs) SELECT term, doc FROM temp.parties_fts_vocab_00064 WHERE doc >= 20000;
DROP TABLE temp.parties_fts_vocab_00064;

-- +goose Down
DROP TABLE search_trigram_stats;

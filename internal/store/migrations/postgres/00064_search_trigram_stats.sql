-- +goose Up
-- The trigrams that many party names hold, with how many (issue 19), for
-- SQLite's FTS5 name search (search_trigrams.go). PostgreSQL's pg_trgm
-- index needs none of it: the table stays empty here, kept so that the
-- two schemas agree.
CREATE TABLE search_trigram_stats (
    term TEXT PRIMARY KEY,
    docs BIGINT NOT NULL
);

-- +goose Down
DROP TABLE search_trigram_stats;

-- +goose Up
-- The distinct party names, for PostgreSQL's trigram index (issue 19):
-- its name search reads them there. SQLite's reads its FTS5 table
-- (parties_fts): the table stays empty here, kept so that the two
-- schemas agree.
CREATE TABLE party_names (
    name TEXT NOT NULL
);

-- +goose Down
DROP TABLE party_names;

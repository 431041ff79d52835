-- +goose Up
-- PostgreSQL's trigram index moved to the distinct party names (issue
-- 19, party_names). SQLite's name search keeps its FTS5 table
-- (parties_fts), filled by triggers: nothing to change here.
SELECT 1;

-- +goose Down
SELECT 1;

-- +goose Up
-- Nothing on SQLite: its text columns compare bytes already (BINARY),
-- which PostgreSQL's migration of the same number gives every text
-- column of the schema (COLLATE "C").
SELECT 1;

-- +goose Down
SELECT 1;

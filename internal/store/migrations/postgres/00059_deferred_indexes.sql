-- +goose Up
-- Issue 19: a first import into an empty database builds the case
-- tables' reading indexes once, after the rows, instead of entry by
-- entry. Their definitions wait here meanwhile, dropped and kept in one
-- transaction, so that a process killed during the load finds them at
-- its next start and builds them before anything reads.
CREATE TABLE deferred_indexes (
    name       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    definition TEXT NOT NULL
);

-- +goose Down
DROP TABLE deferred_indexes;

-- +goose NO TRANSACTION
-- +goose Up
-- Special inspections, the review (issue 16): a finding the group refers
-- to the watchdogs becomes a clue of its own source kind 'inspection'
-- (source_id the finding), and a campaign may relax cross-court review
-- (交叉评查, the default) to cross-department review.
-- SQLite cannot change a CHECK constraint, so clues is rebuilt the way
-- SQLite documents it (foreign keys off, outside a transaction, on the one
-- write connection; the children keep referring to the table by name).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE clues_new (
    id            INTEGER PRIMARY KEY,
    court_id      INTEGER NOT NULL REFERENCES courts (id),
    source        TEXT NOT NULL CHECK (source IN ('complaint', 'visit', 'trip_review', 'tracking', 'inspection', 'other')),
    source_id     INTEGER,
    source_ref    TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'verifying', 'closed')),
    verifier_id   INTEGER REFERENCES users (id),
    due_on        TEXT,
    conclusion    TEXT NOT NULL DEFAULT '',
    form          INTEGER NOT NULL DEFAULT 0,
    basis         TEXT NOT NULL DEFAULT '',
    concluded_on  TEXT,
    concluded_by  TEXT NOT NULL DEFAULT '',
    registered_by TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
INSERT INTO clues_new SELECT id, court_id, source, source_id, source_ref, summary, state, verifier_id, due_on, conclusion, form, basis,
    concluded_on, concluded_by, registered_by, created_at FROM clues;
DROP TABLE clues;
ALTER TABLE clues_new RENAME TO clues;
CREATE INDEX clues_court ON clues (court_id, state);
CREATE INDEX clues_verifier ON clues (verifier_id, state);
CREATE INDEX clues_source ON clues (source, source_id);
ALTER TABLE inspection_campaigns ADD COLUMN cross_court BOOLEAN NOT NULL DEFAULT TRUE;
COMMIT;
PRAGMA foreign_key_check;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE clues_old (
    id            INTEGER PRIMARY KEY,
    court_id      INTEGER NOT NULL REFERENCES courts (id),
    source        TEXT NOT NULL CHECK (source IN ('complaint', 'visit', 'trip_review', 'tracking', 'other')),
    source_id     INTEGER,
    source_ref    TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'verifying', 'closed')),
    verifier_id   INTEGER REFERENCES users (id),
    due_on        TEXT,
    conclusion    TEXT NOT NULL DEFAULT '',
    form          INTEGER NOT NULL DEFAULT 0,
    basis         TEXT NOT NULL DEFAULT '',
    concluded_on  TEXT,
    concluded_by  TEXT NOT NULL DEFAULT '',
    registered_by TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
INSERT INTO clues_old SELECT id, court_id, CASE WHEN source = 'inspection' THEN 'other' ELSE source END, source_id, source_ref, summary, state,
    verifier_id, due_on, conclusion, form, basis, concluded_on, concluded_by, registered_by, created_at FROM clues;
DROP TABLE clues;
ALTER TABLE clues_old RENAME TO clues;
CREATE INDEX clues_court ON clues (court_id, state);
CREATE INDEX clues_verifier ON clues (verifier_id, state);
CREATE INDEX clues_source ON clues (source, source_id);
ALTER TABLE inspection_campaigns DROP COLUMN cross_court;
COMMIT;
PRAGMA foreign_keys = ON;

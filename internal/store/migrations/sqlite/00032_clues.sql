-- +goose Up
-- Clues of violations (问题线索) and their verification (核查), and the
-- register of dispositions under the four forms (四种形态) with the talks
-- held under the first form (issue 14). Only the watchdogs of the court
-- and the courts above see them; never a person they concern. Dates are
-- YYYY-MM-DD text, as elsewhere.
CREATE TABLE clues (
    id            INTEGER PRIMARY KEY,
    court_id      INTEGER NOT NULL REFERENCES courts (id),
    source        TEXT NOT NULL CHECK (source IN ('complaint', 'visit', 'trip_review', 'other')),
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
CREATE INDEX clues_court ON clues (court_id, state);
CREATE INDEX clues_verifier ON clues (verifier_id, state);

CREATE TABLE clue_persons (
    clue_id INTEGER NOT NULL REFERENCES clues (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (clue_id, user_id)
);
CREATE INDEX clue_persons_user ON clue_persons (user_id);

-- The verification's steps; attachments (evidence) will hang here once
-- the rectification work's attachment store exists.
CREATE TABLE clue_steps (
    id         INTEGER PRIMARY KEY,
    clue_id    INTEGER NOT NULL REFERENCES clues (id),
    step_on    TEXT NOT NULL,
    note       TEXT NOT NULL,
    by_name    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX clue_steps_clue ON clue_steps (clue_id);

CREATE TABLE dispositions (
    id           INTEGER PRIMARY KEY,
    court_id     INTEGER NOT NULL REFERENCES courts (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    form         INTEGER NOT NULL CHECK (form BETWEEN 1 AND 4),
    measure      TEXT NOT NULL,
    basis        TEXT NOT NULL,
    decider      TEXT NOT NULL,
    decided_on   TEXT NOT NULL,
    follow_up_on TEXT,
    clue_id      INTEGER REFERENCES clues (id),
    entered_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX dispositions_court ON dispositions (court_id, decided_on);
CREATE INDEX dispositions_user ON dispositions (user_id);

CREATE TABLE disposition_talks (
    id             INTEGER PRIMARY KEY,
    disposition_id INTEGER NOT NULL REFERENCES dispositions (id),
    kind           TEXT NOT NULL,
    held_on        TEXT NOT NULL,
    place          TEXT NOT NULL,
    participants   TEXT NOT NULL,
    content        TEXT NOT NULL,
    statement      TEXT NOT NULL DEFAULT '',
    commitment     TEXT NOT NULL DEFAULT '',
    follow_up_on   TEXT,
    by_name        TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX disposition_talks_disposition ON disposition_talks (disposition_id);

-- +goose Down
DROP TABLE disposition_talks;
DROP TABLE dispositions;
DROP TABLE clue_steps;
DROP TABLE clue_persons;
DROP TABLE clues;

-- +goose Up
-- Enforcement acts 执行行为 of a case and the findings of the online patrol
-- 网上巡查 (issue 15). Acts come whole from the case system (API or file):
-- a source's list for a case replaces what it had. A finding is kept per
-- case, rule and subject, so that a rerun finds the same row; one no
-- longer produced is resolved, never deleted.
CREATE TABLE case_acts (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    amount      INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
);
CREATE INDEX case_acts_case ON case_acts (case_id, on_date);

CREATE TABLE patrol_findings (
    id           INTEGER PRIMARY KEY,
    court_id     INTEGER NOT NULL REFERENCES courts (id),
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    rule         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    title        TEXT NOT NULL,
    aspect       TEXT NOT NULL,
    detail       TEXT NOT NULL,
    state        TEXT NOT NULL,
    first_found  TEXT NOT NULL,
    last_found   TEXT NOT NULL,
    resolved_on  TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    decided_by   INTEGER REFERENCES users (id),
    decided_at   TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (case_id, rule, subject)
);
CREATE INDEX patrol_findings_court ON patrol_findings (court_id, state);

-- +goose Down
DROP TABLE patrol_findings;
DROP TABLE case_acts;

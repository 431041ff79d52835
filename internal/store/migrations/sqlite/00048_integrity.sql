-- +goose Up
-- The early warnings of the officers' integrity records (廉政档案, issue
-- 18): a rule that fires on an officer's facts proposes a 预警约谈, which a
-- watchdog accepts — entered as a first-form disposition with its talk
-- (disposition_id) — or dismisses with a reason (decision_note). facts
-- holds the facts that fired it (JSON), facts_key the hash of their refs:
-- the same facts never propose twice, and an officer has at most one
-- warning of a rule waiting. Only the watchdogs of the officer's court and
-- the courts above see them; never the officer.
CREATE TABLE integrity_warnings (
    id             INTEGER PRIMARY KEY,
    court_id       INTEGER NOT NULL REFERENCES courts (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    rule           TEXT NOT NULL,
    facts_key      TEXT NOT NULL,
    facts          TEXT NOT NULL DEFAULT '[]',
    reason         TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'accepted', 'dismissed')),
    proposed_by    TEXT NOT NULL,
    proposed_at    TIMESTAMP NOT NULL,
    decided_by     TEXT NOT NULL DEFAULT '',
    decided_at     TIMESTAMP,
    decision_note  TEXT NOT NULL DEFAULT '',
    disposition_id INTEGER REFERENCES dispositions (id)
);
CREATE UNIQUE INDEX integrity_warnings_facts ON integrity_warnings (user_id, rule, facts_key);
CREATE UNIQUE INDEX integrity_warnings_waiting ON integrity_warnings (user_id, rule) WHERE state = 'proposed';
CREATE INDEX integrity_warnings_court ON integrity_warnings (court_id, state);

-- +goose Down
DROP TABLE integrity_warnings;

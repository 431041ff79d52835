-- +goose Up
-- Return visits: one per party asked (daily visits from a batch, focused
-- visits from the daily scan or added by hand). officer_id is the case's
-- officer when the visit began: the person these records are about, who
-- must never see them.
CREATE TABLE visits (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    party_id      INTEGER REFERENCES parties (id) ON DELETE SET NULL,
    party_role    TEXT NOT NULL DEFAULT '',
    party_name    TEXT NOT NULL DEFAULT '',
    batch_id      INTEGER REFERENCES visit_batches (id),
    kind          TEXT NOT NULL CHECK (kind IN ('daily', 'focused')),
    reason        TEXT NOT NULL DEFAULT '',
    reason_note   TEXT NOT NULL DEFAULT '',
    court_id      INTEGER NOT NULL REFERENCES courts (id),
    department_id INTEGER REFERENCES departments (id),
    officer_id    INTEGER REFERENCES users (id),
    step          TEXT NOT NULL,
    outcome       TEXT NOT NULL DEFAULT '',
    no_reply      BOOLEAN NOT NULL DEFAULT FALSE,
    due_at        TIMESTAMP,
    decisions     TEXT NOT NULL DEFAULT '[]',
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    closed_at     TIMESTAMP
);
CREATE INDEX visits_court ON visits (court_id, created_at);
CREATE INDEX visits_step ON visits (step, due_at);
CREATE INDEX visits_case ON visits (case_id, kind, reason, created_at);
CREATE INDEX visits_officer ON visits (officer_id);

-- What happened in a visit, in order: replies verbatim, phone and on-site
-- records, consultation decisions. Sealed: never shown to the officer.
CREATE TABLE visit_events (
    id        INTEGER PRIMARY KEY,
    visit_id  INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    at        TIMESTAMP NOT NULL,
    kind      TEXT NOT NULL,
    actor_id  INTEGER REFERENCES users (id),
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL DEFAULT '',
    step      TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX visit_events_visit ON visit_events (visit_id, id);

-- The 附件3 answers each record gave, for statistics: satisfied or not,
-- the categories and items chosen, free text.
CREATE TABLE visit_answers (
    id          INTEGER PRIMARY KEY,
    visit_id    INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    source      TEXT NOT NULL CHECK (source IN ('sms', 'link', 'phone', 'onsite')),
    satisfied   BOOLEAN,
    categories  TEXT NOT NULL DEFAULT '',
    items       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX visit_answers_visit ON visit_answers (visit_id);

-- +goose Down
DROP TABLE visit_answers;
DROP TABLE visit_events;
DROP TABLE visits;

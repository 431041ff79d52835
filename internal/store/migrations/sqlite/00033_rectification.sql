-- +goose Up
-- Improvement suggestions and rectification (issue 14). A watchdog's
-- suggestion to a bureau is one source of a rectification; mechanism 1's
-- recommendations and mechanism 3's findings will be others (source_kind,
-- source_id). 逾期 is not stored: it is read from the deadline.
CREATE TABLE suggestions (
    id            INTEGER PRIMARY KEY,
    court_id      INTEGER NOT NULL REFERENCES courts (id),
    issuer_court  INTEGER NOT NULL REFERENCES courts (id),
    issuer_id     INTEGER NOT NULL REFERENCES users (id),
    problem       TEXT NOT NULL,
    evidence      TEXT NOT NULL DEFAULT '',
    improve       TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX suggestions_court ON suggestions (court_id);

CREATE TABLE rectifications (
    id            INTEGER PRIMARY KEY,
    court_id      INTEGER NOT NULL REFERENCES courts (id),
    issuer_court  INTEGER NOT NULL REFERENCES courts (id),
    source_kind   TEXT NOT NULL,
    source_id     INTEGER NOT NULL,
    title         TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    issued_by     TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (source_kind, source_id)
);
CREATE INDEX rectifications_court ON rectifications (court_id);

CREATE TABLE rectification_items (
    id               INTEGER PRIMARY KEY,
    rectification_id INTEGER NOT NULL REFERENCES rectifications (id),
    unit             TEXT NOT NULL,
    responsible_id   INTEGER NOT NULL REFERENCES users (id),
    deadline         TEXT NOT NULL,
    task             TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'progress', 'submitted', 'closed')),
    measures         TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL DEFAULT '',
    rule_title       TEXT NOT NULL DEFAULT '',
    rule_number      TEXT NOT NULL DEFAULT '',
    rule_on          TEXT,
    submitted_at     TIMESTAMP,
    decided_by       TEXT NOT NULL DEFAULT '',
    decided_at       TIMESTAMP,
    return_note      TEXT NOT NULL DEFAULT '',
    reminded_on      TEXT,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX rectification_items_rect ON rectification_items (rectification_id);
CREATE INDEX rectification_items_person ON rectification_items (responsible_id, state);

-- Attachments (evidence, scans) are kept in the database, bytes and all,
-- on both engines; owner_kind and owner_id name the record whose scope
-- and secrecy they share.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    owner_kind   TEXT NOT NULL,
    owner_id     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id);

-- +goose Down
DROP TABLE attachments;
DROP TABLE rectification_items;
DROP TABLE rectifications;
DROP TABLE suggestions;

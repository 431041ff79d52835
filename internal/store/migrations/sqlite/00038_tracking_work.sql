-- +goose Up
-- The working group's work on a tracked case (issue 15, mechanism 1):
-- its records, interviews, recommendations and closing report, all
-- hanging on trackings.id. Only the group, the three bodies of the court
-- and the watchdogs above read them; never the case's officer or
-- department (the store's trackingScope).
--
-- tracking_records is the timeline: each record watches one aspect
-- (流程管理 process, 执行行为规范化 acts, 纪律作风 discipline,
-- 当事人和社会反响 response). A node finding's confirmation or dismissal
-- is a record of kind 'finding' naming the node (node, decision);
-- violation marks a record that points to a violation, to be handed on
-- as a clue (clues.source 'tracking', source_id the record) before the
-- tracking closes.
CREATE TABLE tracking_records (
    id           INTEGER PRIMARY KEY,
    tracking_id  INTEGER NOT NULL REFERENCES trackings (id),
    on_date      TEXT NOT NULL,
    aspect       TEXT NOT NULL CHECK (aspect IN ('process', 'acts', 'discipline', 'response')),
    kind         TEXT NOT NULL CHECK (kind IN ('process', 'acts', 'interview', 'analysis', 'finding', 'recommendation', 'visit', 'other')),
    content      TEXT NOT NULL,
    node         TEXT NOT NULL DEFAULT '',
    decision     TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'confirm', 'dismiss')),
    violation    BOOLEAN NOT NULL DEFAULT FALSE,
    by_id        INTEGER REFERENCES users (id),
    by_name      TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX tracking_records_tracking ON tracking_records (tracking_id, on_date);
CREATE UNIQUE INDEX tracking_records_node ON tracking_records (tracking_id, node) WHERE kind = 'finding';

-- An interview of a party (询问案件当事人) with 附件3's answers: the
-- answer (1 满意, 2 不满意, 3 未回复), the categories and items as codes
-- ("C1,C3", "C1.2,C3.3"), the party's words and the group's notes. The
-- party's name is copied as the visits do; the phone stays sealed in
-- parties.
CREATE TABLE tracking_interviews (
    record_id    INTEGER PRIMARY KEY REFERENCES tracking_records (id),
    party_id     INTEGER NOT NULL REFERENCES parties (id),
    party_role   TEXT NOT NULL,
    party_name   TEXT NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('phone', 'in_person')),
    answer       INTEGER NOT NULL CHECK (answer IN (1, 2, 3)),
    categories   TEXT NOT NULL DEFAULT '',
    items        TEXT NOT NULL DEFAULT '',
    party_text   TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL
);

-- A recommendation (意见建议) and the rectification that follows it
-- (rectifications.source_kind 'recommendation', source_id the record).
CREATE TABLE tracking_recommendations (
    record_id         INTEGER PRIMARY KEY REFERENCES tracking_records (id),
    tracking_id       INTEGER NOT NULL REFERENCES trackings (id),
    addressee         TEXT NOT NULL CHECK (addressee IN ('bureau', 'department')),
    department_id     INTEGER REFERENCES departments (id),
    problem           TEXT NOT NULL,
    basis             TEXT NOT NULL DEFAULT '',
    advice            TEXT NOT NULL,
    deadline          TEXT NOT NULL,
    rectification_id  INTEGER NOT NULL REFERENCES rectifications (id)
);
CREATE INDEX tracking_recommendations_tracking ON tracking_recommendations (tracking_id);

-- The closing report 跟踪监督报告, one per tracking.
CREATE TABLE tracking_closings (
    tracking_id  INTEGER PRIMARY KEY REFERENCES trackings (id),
    closed_on    TEXT NOT NULL,
    summary      TEXT NOT NULL,
    conclusions  TEXT NOT NULL,
    by_id        INTEGER REFERENCES users (id),
    by_name      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL
);

-- A clue may come from a tracking record. SQLite cannot change a CHECK,
-- so the table is rebuilt; the rows that refer to it (clue_persons,
-- clue_steps, dispositions) keep their ids, and the foreign keys are
-- checked at commit.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE clues_new (
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
INSERT INTO clues_new SELECT id, court_id, source, source_id, source_ref, summary, state, verifier_id, due_on, conclusion, form, basis,
    concluded_on, concluded_by, registered_by, created_at FROM clues;
DROP TABLE clues;
ALTER TABLE clues_new RENAME TO clues;
CREATE INDEX clues_court ON clues (court_id, state);
CREATE INDEX clues_verifier ON clues (verifier_id, state);
CREATE INDEX clues_source ON clues (source, source_id);
PRAGMA foreign_key_check;

-- +goose Down
DROP INDEX clues_source;
DROP TABLE tracking_closings;
DROP TABLE tracking_recommendations;
DROP TABLE tracking_interviews;
DROP TABLE tracking_records;

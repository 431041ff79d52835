-- +goose Up
-- Trip reports exact to the seed (issue 13, points 11 to 14).
-- A trip that will not happen is cancelled by its officer before
-- departure; after departure only its leader marks it 未成行, with a
-- reason, and it stays in the figures: not_taken_late marks one marked
-- after its report was due, still counted as not reported.
ALTER TABLE trips ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE trips ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE trips ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE trips ADD COLUMN not_taken BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE trips ADD COLUMN not_taken_late BOOLEAN NOT NULL DEFAULT FALSE;
-- Who leads a trip (gives its requirement, handles its reviews): the
-- department head, or for a head's own trip the bureau's leadership.
ALTER TABLE trips ADD COLUMN leader_role TEXT NOT NULL DEFAULT 'dept_head';
-- 案件执行情况: 附件1's signed account of each case of the trip, JSON.
ALTER TABLE trip_reports ADD COLUMN case_accounts TEXT NOT NULL DEFAULT '';

-- A review is of a report, or of a trip its officer never reported on
-- that a party's complaint names (unreported); it is handled by the
-- trip's leader (handler_role), and the talk reminder is a record: date,
-- place, content and the officer's statement. The table is rebuilt to
-- let report_id be empty; nothing refers to it.
CREATE TABLE trip_reviews_new (
    id              INTEGER PRIMARY KEY,
    report_id       INTEGER REFERENCES trip_reports (id),
    trip_id         INTEGER REFERENCES trips (id),
    court_id        INTEGER NOT NULL REFERENCES courts (id),
    department_id   INTEGER REFERENCES departments (id),
    officer_id      INTEGER NOT NULL REFERENCES users (id),
    reason          TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    visit_id        INTEGER REFERENCES visits (id),
    handler_role    TEXT NOT NULL DEFAULT 'dept_head',
    opened_at       TIMESTAMP NOT NULL,
    head_note       TEXT NOT NULL DEFAULT '',
    head_by         TEXT NOT NULL DEFAULT '',
    head_at         TIMESTAMP,
    talk_on         TEXT,
    talk_place      TEXT NOT NULL DEFAULT '',
    talk_content    TEXT NOT NULL DEFAULT '',
    talk_statement  TEXT NOT NULL DEFAULT '',
    conclusion      TEXT NOT NULL DEFAULT '',
    concluded_by    TEXT NOT NULL DEFAULT '',
    concluded_role  TEXT NOT NULL DEFAULT '',
    concluded_at    TIMESTAMP,
    CHECK (report_id IS NOT NULL OR trip_id IS NOT NULL)
);
INSERT INTO trip_reviews_new (id, report_id, trip_id, court_id, department_id, officer_id, reason, detail, visit_id, opened_at,
    head_note, head_by, head_at, conclusion, concluded_by, concluded_role, concluded_at)
    SELECT rv.id, rv.report_id, r.trip_id, rv.court_id, rv.department_id, rv.officer_id, rv.reason, rv.detail, rv.visit_id, rv.opened_at,
    rv.head_note, rv.head_by, rv.head_at, rv.conclusion, rv.concluded_by, rv.concluded_role, rv.concluded_at
    FROM trip_reviews rv JOIN trip_reports r ON r.id = rv.report_id;
DROP TABLE trip_reviews;
ALTER TABLE trip_reviews_new RENAME TO trip_reviews;
PRAGMA foreign_key_check;
CREATE INDEX trip_reviews_open ON trip_reviews (court_id, concluded_at);
CREATE INDEX trip_reviews_report ON trip_reviews (report_id);
CREATE INDEX trip_reviews_trip ON trip_reviews (trip_id);

-- +goose Down
CREATE TABLE trip_reviews_old (
    id              INTEGER PRIMARY KEY,
    report_id       INTEGER NOT NULL REFERENCES trip_reports (id),
    court_id        INTEGER NOT NULL REFERENCES courts (id),
    department_id   INTEGER REFERENCES departments (id),
    officer_id      INTEGER NOT NULL REFERENCES users (id),
    reason          TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    visit_id        INTEGER REFERENCES visits (id),
    opened_at       TIMESTAMP NOT NULL,
    head_note       TEXT NOT NULL DEFAULT '',
    head_by         TEXT NOT NULL DEFAULT '',
    head_at         TIMESTAMP,
    conclusion      TEXT NOT NULL DEFAULT '',
    concluded_by    TEXT NOT NULL DEFAULT '',
    concluded_role  TEXT NOT NULL DEFAULT '',
    concluded_at    TIMESTAMP
);
INSERT INTO trip_reviews_old (id, report_id, court_id, department_id, officer_id, reason, detail, visit_id, opened_at,
    head_note, head_by, head_at, conclusion, concluded_by, concluded_role, concluded_at)
    SELECT id, report_id, court_id, department_id, officer_id, reason, detail, visit_id, opened_at,
    CASE WHEN talk_on IS NULL THEN head_note ELSE talk_on || ' ' || talk_place || ' 谈话：' || talk_content || '；本人陈述：' || talk_statement END,
    head_by, head_at, conclusion, concluded_by, concluded_role, concluded_at
    FROM trip_reviews WHERE report_id IS NOT NULL;
DROP TABLE trip_reviews;
ALTER TABLE trip_reviews_old RENAME TO trip_reviews;
PRAGMA foreign_key_check;
CREATE INDEX trip_reviews_open ON trip_reviews (court_id, concluded_at);
CREATE INDEX trip_reviews_report ON trip_reviews (report_id);
ALTER TABLE trip_reports DROP COLUMN case_accounts;
ALTER TABLE trips DROP COLUMN leader_role;
ALTER TABLE trips DROP COLUMN not_taken_late;
ALTER TABLE trips DROP COLUMN not_taken;
ALTER TABLE trips DROP COLUMN cancelled_at;
ALTER TABLE trips DROP COLUMN cancelled_by;
ALTER TABLE trips DROP COLUMN cancel_reason;

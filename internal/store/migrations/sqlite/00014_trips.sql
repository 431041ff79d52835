-- +goose Up
-- 外出执行情况报告: trips out of the court's jurisdiction, the department
-- head's discipline requirements before departure, and the reports after
-- return (附件1) and on closing a case (附件2).
CREATE TABLE trips (
    id                   INTEGER PRIMARY KEY,
    court_id             INTEGER NOT NULL REFERENCES courts (id),
    department_id        INTEGER REFERENCES departments (id),
    officer_id           INTEGER NOT NULL REFERENCES users (id),
    companions           TEXT NOT NULL DEFAULT '',
    destination          TEXT NOT NULL,
    destination_name     TEXT NOT NULL,
    out_of_jurisdiction  BOOLEAN NOT NULL,
    depart_at            TIMESTAMP NOT NULL,
    return_at            TIMESTAMP NOT NULL,
    task                 TEXT NOT NULL,
    returned_on          TEXT,
    report_due           TEXT NOT NULL,
    escalate_on          TEXT NOT NULL,
    req_given            BOOLEAN,
    req_content          TEXT NOT NULL DEFAULT '',
    req_leader           TEXT NOT NULL DEFAULT '',
    req_by               INTEGER REFERENCES users (id),
    req_at               TIMESTAMP,
    status               TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'returned', 'reported', 'cancelled')),
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX trips_court ON trips (court_id, depart_at);
CREATE INDEX trips_officer ON trips (officer_id, depart_at);
CREATE INDEX trips_department ON trips (department_id, depart_at);
CREATE INDEX trips_status ON trips (status, report_due);

CREATE TABLE trip_cases (
    trip_id  INTEGER NOT NULL REFERENCES trips (id),
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (trip_id, case_id)
);
CREATE INDEX trip_cases_case ON trip_cases (case_id);

-- A filed report is never changed: a correction is a supplementary report
-- (supplements) linked to it. The signature is who, when and the hash of
-- the content.
CREATE TABLE trip_reports (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('annex1', 'annex2')),
    trip_id        INTEGER REFERENCES trips (id),
    case_id        INTEGER REFERENCES cases (id),
    supplements    INTEGER REFERENCES trip_reports (id),
    officer_id     INTEGER NOT NULL REFERENCES users (id),
    court_id       INTEGER NOT NULL REFERENCES courts (id),
    department_id  INTEGER REFERENCES departments (id),
    answers        TEXT NOT NULL DEFAULT '{}',
    any_yes        BOOLEAN NOT NULL DEFAULT FALSE,
    fulfilled      BOOLEAN,
    period_from    TEXT NOT NULL DEFAULT '',
    period_to      TEXT NOT NULL DEFAULT '',
    explanation    TEXT NOT NULL DEFAULT '',
    signer_id      INTEGER NOT NULL REFERENCES users (id),
    signer         TEXT NOT NULL,
    signed_at      TIMESTAMP NOT NULL,
    content_hash   TEXT NOT NULL,
    late           BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX trip_reports_annex1 ON trip_reports (trip_id) WHERE kind = 'annex1' AND supplements IS NULL;
CREATE UNIQUE INDEX trip_reports_annex2 ON trip_reports (case_id, officer_id) WHERE kind = 'annex2' AND supplements IS NULL;
CREATE INDEX trip_reports_officer ON trip_reports (officer_id, signed_at);
CREATE INDEX trip_reports_court ON trip_reports (court_id, signed_at);

-- A report that answers 有 (or 未做到) is reviewed: the department head
-- records what was done, the 纪检监察组 or the 监察室 concludes. The
-- officer never sees the review.
CREATE TABLE trip_reviews (
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
CREATE INDEX trip_reviews_open ON trip_reviews (court_id, concluded_at);
CREATE INDEX trip_reviews_report ON trip_reviews (report_id);

-- +goose Down
DROP TABLE trip_reviews;
DROP TABLE trip_reports;
DROP TABLE trip_cases;
DROP TABLE trips;

-- +goose Up
-- Complaints and petitions about enforcement work (issue 14): what came
-- in, from whom (name and phone sealed like parties' phones), about which
-- cases and staff, and a watchdog's assessment of its lead. Categories are
-- 附件3's category codes, comma-separated.
CREATE TABLE complaints (
    id                  INTEGER PRIMARY KEY,
    court_id            INTEGER NOT NULL REFERENCES courts (id),
    kind                TEXT NOT NULL CHECK (kind IN ('complaint', 'petition')),
    channel             TEXT NOT NULL,
    received_on         TEXT NOT NULL,
    person_name_sealed  TEXT NOT NULL DEFAULT '',
    person_phone_sealed TEXT NOT NULL DEFAULT '',
    person_phone_index  TEXT NOT NULL DEFAULT '',
    content             TEXT NOT NULL,
    categories          TEXT NOT NULL DEFAULT '',
    level               TEXT NOT NULL DEFAULT '',
    repeat_no           INTEGER NOT NULL DEFAULT 0,
    lead                TEXT NOT NULL DEFAULT '',
    lead_note           TEXT NOT NULL DEFAULT '',
    assessed_by         TEXT NOT NULL DEFAULT '',
    assessed_at         TIMESTAMP,
    registered_by       TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX complaints_court ON complaints (court_id, received_on);
CREATE INDEX complaints_phone ON complaints (person_phone_index);

CREATE TABLE complaint_cases (
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (complaint_id, case_id)
);
CREATE INDEX complaint_cases_case ON complaint_cases (case_id);

CREATE TABLE complaint_staff (
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (complaint_id, user_id)
);
CREATE INDEX complaint_staff_user ON complaint_staff (user_id);

-- The date of a case's latest registered petition: the focused scan visits
-- the case once per petition, not once ever.
ALTER TABLE cases ADD COLUMN petition_since TEXT;

-- +goose Down
ALTER TABLE cases DROP COLUMN petition_since;
DROP TABLE complaint_staff;
DROP TABLE complaint_cases;
DROP TABLE complaints;

-- +goose Up
-- Enforcement cases as the court's case management system knows them.
-- Dates are text YYYY-MM-DD on both engines; amounts are fen (0.01 yuan).
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    year             INTEGER NOT NULL,
    court_id         INTEGER NOT NULL REFERENCES courts (id),
    type             TEXT NOT NULL,
    serial           INTEGER NOT NULL,
    filed_on         TEXT NOT NULL,
    officer          TEXT NOT NULL DEFAULT '',
    officer_id       INTEGER REFERENCES users (id),
    department       TEXT NOT NULL DEFAULT '',
    department_id    INTEGER REFERENCES departments (id),
    amount           BIGINT NOT NULL DEFAULT 0,
    has_property     BOOLEAN NOT NULL DEFAULT FALSE,
    property_known   BOOLEAN NOT NULL DEFAULT FALSE,
    non_litigation   BOOLEAN NOT NULL DEFAULT FALSE,
    closed_on        TEXT,
    closing_mode     TEXT NOT NULL DEFAULT '',
    petition         BOOLEAN NOT NULL DEFAULT FALSE,
    supervised_by    TEXT NOT NULL DEFAULT '',
    supervised_since TEXT,
    public_opinion   BOOLEAN NOT NULL DEFAULT FALSE,
    social_impact    BOOLEAN NOT NULL DEFAULT FALSE,
    -- The statutory time limit as the engine computed it from the pause
    -- ledger and extensions; NULL while a pause stops the clock.
    due_on           TEXT,
    clock_stopped    BOOLEAN NOT NULL DEFAULT FALSE,
    -- Hash of the fields the case system supplies: an import that changes
    -- nothing is recognised without comparing column by column.
    source_hash      TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX cases_court_filed ON cases (court_id, filed_on, id);
CREATE INDEX cases_court_closed ON cases (court_id, closed_on);
CREATE INDEX cases_officer ON cases (officer_id, filed_on);
CREATE INDEX cases_department ON cases (department_id, filed_on);
CREATE INDEX cases_officer_name ON cases (court_id, officer);
CREATE INDEX cases_filed ON cases (filed_on, id);
CREATE INDEX cases_due ON cases (court_id, due_on) WHERE closed_on IS NULL;

CREATE TABLE parties (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('applicant', 'respondent', 'outsider')),
    org          BOOLEAN NOT NULL DEFAULT FALSE,
    name         TEXT NOT NULL,
    -- The mobile number, SM4-GCM encrypted with a key kept outside the
    -- database, and its keyed blind index (HMAC-SM3) for look-ups.
    phone_sealed TEXT NOT NULL DEFAULT '',
    phone_index  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX parties_case ON parties (case_id, position);
CREATE INDEX parties_name ON parties (name);
CREATE INDEX parties_phone ON parties (phone_index);

CREATE TABLE case_nodes (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    on_date  TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_nodes_case ON case_nodes (case_id, on_date);

-- Periods that do not count toward a time limit (中止, 暂缓, 审计评估,
-- 拍卖 …) and approved extensions, entered by the bureau with their basis.
CREATE TABLE case_pauses (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    basis       TEXT NOT NULL,
    start_on    TEXT NOT NULL,
    end_on      TEXT,
    created_by  INTEGER REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX case_pauses_case ON case_pauses (case_id);

CREATE TABLE case_extensions (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    amount       INTEGER NOT NULL,
    unit         TEXT NOT NULL,
    approved_on  TEXT NOT NULL,
    basis        TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX case_extensions_case ON case_extensions (case_id);

-- Holiday calendars a court loads (国务院办公厅 yearly notices), kept as
-- the files were given; later files override earlier ones day by day.
CREATE TABLE calendar_files (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    content      TEXT NOT NULL,
    uploaded_by  INTEGER REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE calendar_files;
DROP TABLE case_extensions;
DROP TABLE case_pauses;
DROP TABLE case_nodes;
DROP TABLE parties;
DROP TABLE cases;

-- +goose Up
-- The periodic report 四项机制运行情况报告 (issue 18): one per court and
-- period (a month 2026-03, a quarter 2026-Q1 or a year 2026). A draft's
-- figures are read live; on submission the whole content is frozen in
-- snapshot (its canonical JSON) and signed like 附件1: signer, signed_at
-- and content_hash over the snapshot. A report the court above returns is
-- open again; its next submission freezes and signs it anew.
CREATE TABLE run_reports (
    id             INTEGER PRIMARY KEY,
    court_id       INTEGER NOT NULL REFERENCES courts (id),
    period         TEXT NOT NULL,
    period_kind    TEXT NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
    period_from    TEXT NOT NULL,
    period_to      TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'returned')),
    narrative      TEXT NOT NULL DEFAULT '{}',
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_by     TEXT NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    submissions    INTEGER NOT NULL DEFAULT 0,
    snapshot       TEXT NOT NULL DEFAULT '',
    signer_id      INTEGER REFERENCES users (id),
    signer         TEXT NOT NULL DEFAULT '',
    signed_at      TIMESTAMP,
    content_hash   TEXT NOT NULL DEFAULT '',
    returned_by    TEXT NOT NULL DEFAULT '',
    returned_at    TIMESTAMP,
    return_reason  TEXT NOT NULL DEFAULT '',
    UNIQUE (court_id, period)
);
CREATE INDEX run_reports_period ON run_reports (period, state);

-- A reminder to a court whose report is late: at most one a day per court
-- and period, whoever above sends it.
CREATE TABLE run_report_reminders (
    id          INTEGER PRIMARY KEY,
    court_id    INTEGER NOT NULL REFERENCES courts (id),
    period      TEXT NOT NULL,
    on_day      TEXT NOT NULL,
    by_court    INTEGER NOT NULL REFERENCES courts (id),
    by_name     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (court_id, period, on_day)
);

-- +goose Down
DROP TABLE run_report_reminders;
DROP TABLE run_reports;

-- +goose Up
-- One row per case file import: who, what, the counts, and the row-error
-- report to download. Progress is updated with each committed batch, so
-- any process can show it.
CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER REFERENCES users (id),
    court_path   TEXT NOT NULL DEFAULT '',
    file_name    TEXT NOT NULL,
    file_size    BIGINT NOT NULL,
    format       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('checking', 'importing', 'done', 'failed')),
    message      TEXT NOT NULL DEFAULT '',
    done_bytes   BIGINT NOT NULL DEFAULT 0,
    rows_read    INTEGER NOT NULL DEFAULT 0,
    added        INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    unchanged    INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    error_count  INTEGER NOT NULL DEFAULT 0,
    report       TEXT NOT NULL DEFAULT '',
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP
);
CREATE INDEX imports_user ON imports (user_id, id);

-- +goose Down
DROP TABLE imports;

-- +goose Up
-- Daily use (issue 17). A case number searched in part ("183", "执183号")
-- is found by its serial: an index on it, the year after it.
CREATE INDEX cases_serial ON cases (serial, year);

-- Cases follow their staff: the administrator's own mapping of an officer
-- name in the case data (per court and the case's department as the data
-- names it, '' for none) to an account, for names that match no account
-- or several; it wins over matching by name and is kept over later
-- imports.
CREATE TABLE officer_links (
    court_id    INTEGER NOT NULL REFERENCES courts (id),
    officer     TEXT NOT NULL,
    department  TEXT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by  INTEGER REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (court_id, officer, department)
);
CREATE INDEX officer_links_user ON officer_links (user_id);
-- The names that match no account, for the administrator's page.
CREATE INDEX cases_unlinked ON cases (court_id, officer) WHERE officer_id IS NULL AND officer <> '';

-- +goose Down
DROP INDEX cases_unlinked;
DROP TABLE officer_links;
DROP INDEX cases_serial;

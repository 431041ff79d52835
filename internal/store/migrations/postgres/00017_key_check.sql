-- +goose Up
-- The check value of the master key the database's values are sealed
-- under: a process with another key refuses to start (issue 11).
CREATE TABLE key_check (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  TEXT NOT NULL
);

-- +goose Down
DROP TABLE key_check;

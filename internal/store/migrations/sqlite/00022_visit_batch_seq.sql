-- +goose NO TRANSACTION
-- +goose Up
-- Return visits exact to the seed (issue 13).
-- A court and month may be drawn more than once: the first draw (kind
-- 'daily', seq 0) and supplementary draws (补充抽取, kind 'supplement', seq
-- 1, 2 …) over the cases whose closing reached the system after the month
-- was drawn. Each batch records the case types and closing modes its
-- population was taken by ('' on batches drawn before this rule).
-- SQLite cannot drop the old unique key, so the table is rebuilt the way
-- SQLite documents it (foreign keys off, outside a transaction, on the one
-- write connection; the children keep referring to the table by name).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE visit_batches_new (
    id                INTEGER PRIMARY KEY,
    court_id          INTEGER NOT NULL REFERENCES courts (id),
    month             TEXT NOT NULL,
    kind              TEXT NOT NULL DEFAULT 'daily',
    seq               INTEGER NOT NULL DEFAULT 0,
    rate              TEXT NOT NULL,
    rounding          TEXT NOT NULL,
    min_one           BOOLEAN NOT NULL,
    case_types        TEXT NOT NULL DEFAULT '',
    closing_modes     TEXT NOT NULL DEFAULT '',
    seed              TEXT NOT NULL,
    seed_commitment   TEXT NOT NULL,
    population_count  INTEGER NOT NULL,
    population_hash   TEXT NOT NULL,
    excluded_count    INTEGER NOT NULL,
    sample_size       INTEGER NOT NULL,
    drawn_by          TEXT NOT NULL,
    drawn_at          TIMESTAMP NOT NULL,
    UNIQUE (court_id, month, seq)
);
INSERT INTO visit_batches_new (id, court_id, month, kind, seq, rate, rounding, min_one, seed, seed_commitment, population_count, population_hash,
    excluded_count, sample_size, drawn_by, drawn_at)
    SELECT id, court_id, month, kind, 0, rate, rounding, min_one, seed, seed_commitment, population_count, population_hash,
    excluded_count, sample_size, drawn_by, drawn_at FROM visit_batches;
DROP TABLE visit_batches;
ALTER TABLE visit_batches_new RENAME TO visit_batches;
COMMIT;
PRAGMA foreign_key_check;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE visit_batches_old (
    id                INTEGER PRIMARY KEY,
    court_id          INTEGER NOT NULL REFERENCES courts (id),
    month             TEXT NOT NULL,
    kind              TEXT NOT NULL DEFAULT 'daily',
    rate              TEXT NOT NULL,
    rounding          TEXT NOT NULL,
    min_one           BOOLEAN NOT NULL,
    seed              TEXT NOT NULL,
    seed_commitment   TEXT NOT NULL,
    population_count  INTEGER NOT NULL,
    population_hash   TEXT NOT NULL,
    excluded_count    INTEGER NOT NULL,
    sample_size       INTEGER NOT NULL,
    drawn_by          TEXT NOT NULL,
    drawn_at          TIMESTAMP NOT NULL,
    UNIQUE (court_id, month, kind)
);
INSERT INTO visit_batches_old SELECT id, court_id, month, kind, rate, rounding, min_one, seed, seed_commitment, population_count, population_hash,
    excluded_count, sample_size, drawn_by, drawn_at FROM visit_batches WHERE seq = 0;
DROP TABLE visit_batches;
ALTER TABLE visit_batches_old RENAME TO visit_batches;
COMMIT;
PRAGMA foreign_keys = ON;

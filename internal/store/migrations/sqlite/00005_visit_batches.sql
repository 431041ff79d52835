-- +goose Up
-- The monthly random draw of closed cases for return visits (日常回访).
-- A batch is drawn once per court, month and kind (the unique key makes
-- that hold across processes and restarts). Everything needed to
-- recompute the selection is stored: the population with a hash of it,
-- the seed with its commitment, and the rule. The seed comes from the
-- operating system's random source at the moment the population is
-- frozen, and its commitment is written to the audit trail before the
-- selection is computed: nobody knows it earlier, and nobody can draw
-- again for the same court and month.
CREATE TABLE visit_batches (
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

-- Every closed case of the month, eligible or excluded (with the reason),
-- and whether the draw selected it.
CREATE TABLE visit_batch_cases (
    batch_id         INTEGER NOT NULL REFERENCES visit_batches (id) ON DELETE CASCADE,
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    number           TEXT NOT NULL,
    excluded_reason  TEXT NOT NULL DEFAULT '',
    selected         BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (batch_id, case_id)
);

-- +goose Down
DROP TABLE visit_batch_cases;
DROP TABLE visit_batches;

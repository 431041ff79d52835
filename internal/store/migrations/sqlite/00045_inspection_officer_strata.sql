-- +goose Up
-- Special inspections (issue 16): a case review may stratify its draw per
-- officer within each court (per_officer cases each, 0 for per court
-- only). A stratum is then (court, officer_key): 'user:<id>' for an
-- officer with an account, 'name:<name>' for one the case data names only;
-- '' is the whole court. Each target remembers the stratum that drew it,
-- so that verification recomputes each stratum apart.
-- SQLite cannot change a UNIQUE constraint, so inspection_draws is rebuilt;
-- no table refers to it.
ALTER TABLE inspection_campaigns ADD COLUMN per_officer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inspection_targets ADD COLUMN stratum TEXT NOT NULL DEFAULT '';
CREATE TABLE inspection_draws_new (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES inspection_campaigns (id),
    court_id        INTEGER NOT NULL REFERENCES courts (id),
    officer_key     TEXT NOT NULL DEFAULT '',
    officer         TEXT NOT NULL DEFAULT '',
    method          TEXT NOT NULL,
    seed            TEXT NOT NULL,
    commitment      TEXT NOT NULL,
    population      TEXT NOT NULL,
    population_hash TEXT NOT NULL,
    size            INTEGER NOT NULL,
    drawn_by        TEXT NOT NULL,
    drawn_at        TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, court_id, officer_key)
);
INSERT INTO inspection_draws_new (id, campaign_id, court_id, method, seed, commitment, population, population_hash, size, drawn_by, drawn_at)
    SELECT id, campaign_id, court_id, method, seed, commitment, population, population_hash, size, drawn_by, drawn_at FROM inspection_draws;
DROP TABLE inspection_draws;
ALTER TABLE inspection_draws_new RENAME TO inspection_draws;

-- +goose Down
CREATE TABLE inspection_draws_old (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES inspection_campaigns (id),
    court_id        INTEGER NOT NULL REFERENCES courts (id),
    method          TEXT NOT NULL,
    seed            TEXT NOT NULL,
    commitment      TEXT NOT NULL,
    population      TEXT NOT NULL,
    population_hash TEXT NOT NULL,
    size            INTEGER NOT NULL,
    drawn_by        TEXT NOT NULL,
    drawn_at        TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, court_id)
);
INSERT INTO inspection_draws_old SELECT id, campaign_id, court_id, method, seed, commitment, population, population_hash, size, drawn_by, drawn_at
    FROM inspection_draws WHERE officer_key = '';
DROP TABLE inspection_draws;
ALTER TABLE inspection_draws_old RENAME TO inspection_draws;
ALTER TABLE inspection_targets DROP COLUMN stratum;
ALTER TABLE inspection_campaigns DROP COLUMN per_officer;

-- +goose Up
-- Special inspections (issue 16): a case review may stratify its draw per
-- officer within each court (per_officer cases each, 0 for per court
-- only). A stratum is then (court, officer_key): 'user:<id>' for an
-- officer with an account, 'name:<name>' for one the case data names only;
-- '' is the whole court. Each target remembers the stratum that drew it,
-- so that verification recomputes each stratum apart.
ALTER TABLE inspection_campaigns ADD COLUMN per_officer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inspection_targets ADD COLUMN stratum TEXT NOT NULL DEFAULT '';
ALTER TABLE inspection_draws ADD COLUMN officer_key TEXT NOT NULL DEFAULT '';
ALTER TABLE inspection_draws ADD COLUMN officer TEXT NOT NULL DEFAULT '';
ALTER TABLE inspection_draws DROP CONSTRAINT inspection_draws_campaign_id_court_id_key;
ALTER TABLE inspection_draws ADD CONSTRAINT inspection_draws_stratum_key UNIQUE (campaign_id, court_id, officer_key);

-- +goose Down
DELETE FROM inspection_draws WHERE officer_key <> '';
ALTER TABLE inspection_draws DROP CONSTRAINT inspection_draws_stratum_key;
ALTER TABLE inspection_draws ADD CONSTRAINT inspection_draws_campaign_id_court_id_key UNIQUE (campaign_id, court_id);
ALTER TABLE inspection_draws DROP COLUMN officer;
ALTER TABLE inspection_draws DROP COLUMN officer_key;
ALTER TABLE inspection_targets DROP COLUMN stratum;
ALTER TABLE inspection_campaigns DROP COLUMN per_officer;

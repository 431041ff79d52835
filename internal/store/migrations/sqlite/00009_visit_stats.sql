-- +goose Up
-- What the statistics count, kept on each visit as it moves, so that the
-- statistics page is one grouped scan of an index range, never a replay of
-- the events: the month it began (Beijing time), whether the SMS went out,
-- whether the party answered by SMS or link, how far it escalated, and
-- the party's final satisfaction.
ALTER TABLE visits ADD COLUMN month TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN sms_sent BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE visits ADD COLUMN replied BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE visits ADD COLUMN reached_phone BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE visits ADD COLUMN reached_consult BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE visits ADD COLUMN reached_onsite BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE visits ADD COLUMN satisfied BOOLEAN;
CREATE INDEX visits_court_month ON visits (court_id, month);

-- +goose Down
DROP INDEX visits_court_month;
ALTER TABLE visits DROP COLUMN satisfied;
ALTER TABLE visits DROP COLUMN reached_onsite;
ALTER TABLE visits DROP COLUMN reached_consult;
ALTER TABLE visits DROP COLUMN reached_phone;
ALTER TABLE visits DROP COLUMN replied;
ALTER TABLE visits DROP COLUMN sms_sent;
ALTER TABLE visits DROP COLUMN month;

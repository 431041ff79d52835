-- +goose Up
CREATE INDEX visit_batch_cases_case ON visit_batch_cases (case_id);

-- Every reason a visit was started or joined for: a party has one open
-- visit at a time, and a later reason (a petition, a draw, a second
-- manual listing) is merged into it. The focused scan asks this table
-- whether a case was visited for a reason since its event.
CREATE TABLE visit_reasons (
    id          INTEGER PRIMARY KEY,
    visit_id    INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    reason      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    batch_id    INTEGER REFERENCES visit_batches (id),
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX visit_reasons_case ON visit_reasons (case_id, reason, created_at);
CREATE INDEX visit_reasons_visit ON visit_reasons (visit_id);
INSERT INTO visit_reasons (visit_id, case_id, reason, note, batch_id, created_by, created_at)
    SELECT id, case_id, CASE WHEN kind = 'daily' THEN 'daily' ELSE reason END, reason_note, batch_id, created_by, created_at FROM visits;
CREATE INDEX visits_party_open ON visits (party_id) WHERE step <> 'closed';

-- Phone visits that reach nobody (未能联系) are counted.
ALTER TABLE visits ADD COLUMN phone_attempts INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE visits DROP COLUMN phone_attempts;
DROP INDEX visits_party_open;
DROP TABLE visit_reasons;
DROP INDEX visit_batch_cases_case;

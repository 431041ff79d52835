-- +goose Up
-- Messages received from parties: matched to the visit whose question
-- they answer, or kept for a person when no open question fits.
CREATE TABLE sms_inbox (
    id            INTEGER PRIMARY KEY,
    phone_sealed  TEXT NOT NULL,
    phone_index   TEXT NOT NULL,
    body          TEXT NOT NULL,
    received_at   TIMESTAMP NOT NULL,
    visit_id      INTEGER REFERENCES visits (id),
    status        TEXT NOT NULL CHECK (status IN ('matched', 'unmatched'))
);
CREATE INDEX sms_inbox_status ON sms_inbox (status, id);
ALTER TABLE sms_outbox ADD COLUMN provider_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sms_outbox DROP COLUMN provider_id;
DROP TABLE sms_inbox;

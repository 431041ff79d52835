-- +goose Up
-- The outbox as the SMS transport works it. A message goes pending →
-- sending (claimed by the one sender holding the lease, just before the
-- gateway call) → sent → delivered | failed | expired. A message whose
-- gateway call ended without an answer, and that the gateway cannot be
-- asked about, is 'unknown' until a person decides; it is never resent
-- blindly. Temporary failures wait until next_attempt_at.
ALTER TABLE sms_outbox ADD COLUMN next_attempt_at TIMESTAMPTZ;
ALTER TABLE sms_outbox ADD COLUMN sending_at TIMESTAMPTZ;
ALTER TABLE sms_outbox ADD COLUMN sending_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN done_at TIMESTAMPTZ;
ALTER TABLE sms_outbox ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
CREATE INDEX sms_outbox_phone_sent ON sms_outbox (phone_index, sent_at);

-- Every message id the gateway gave (one per part of a long message),
-- and a delivery receipt that arrived before the id was recorded.
CREATE TABLE sms_ids (
    provider_id    TEXT PRIMARY KEY,
    outbox_id      BIGINT REFERENCES sms_outbox (id),
    receipt_state  TEXT NOT NULL DEFAULT '',
    receipt_error  TEXT NOT NULL DEFAULT '',
    receipt_at     TIMESTAMPTZ
);
CREATE INDEX sms_ids_outbox ON sms_ids (outbox_id);

-- Nonces of signed inbound HTTP requests, kept past the timestamp window
-- so that a replayed request is refused.
CREATE TABLE sms_nonces (
    nonce       TEXT PRIMARY KEY,
    expires_at  TIMESTAMPTZ NOT NULL
);

-- One sender at a time: the process holding the lease sends.
CREATE TABLE sms_lease (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

-- A reply nobody's question fitted is handled by a person.
ALTER TABLE sms_inbox ADD COLUMN handled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_inbox ADD COLUMN handled_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE sms_inbox DROP COLUMN handled_at;
ALTER TABLE sms_inbox DROP COLUMN handled_by;
DROP TABLE sms_lease;
DROP TABLE sms_nonces;
DROP TABLE sms_ids;
DROP INDEX sms_outbox_phone_sent;
ALTER TABLE sms_outbox DROP COLUMN decided_by;
ALTER TABLE sms_outbox DROP COLUMN done_at;
ALTER TABLE sms_outbox DROP COLUMN sending_holder;
ALTER TABLE sms_outbox DROP COLUMN sending_at;
ALTER TABLE sms_outbox DROP COLUMN next_attempt_at;

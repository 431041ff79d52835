-- +goose Up
-- Messages decided on, written in the transaction that decides to send
-- them; a sender works the outbox. The idempotency key (visit, step,
-- message) is unique, so a decision replayed never queues a second SMS.
CREATE TABLE sms_outbox (
    id               INTEGER PRIMARY KEY,
    visit_id         INTEGER REFERENCES visits (id),
    kind             TEXT NOT NULL,
    phone_sealed     TEXT NOT NULL,
    phone_index      TEXT NOT NULL,
    body             TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP
);
CREATE INDEX sms_outbox_status ON sms_outbox (status, id);
CREATE INDEX sms_outbox_phone ON sms_outbox (phone_index, id);

-- +goose Down
DROP TABLE sms_outbox;

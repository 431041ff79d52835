-- +goose Up
-- The head of the keyed audit chain is sealed too, so that records
-- deleted from the end cannot be hidden by moving the head (issue 10).
-- Empty until the first record written with the key (or KeyAuditChain).
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_head DROP COLUMN mac;

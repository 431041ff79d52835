-- +goose Up
-- A running import beats every few seconds; one whose beat stopped (its
-- process died) is shown as failed, not as importing forever (issue 11).
ALTER TABLE imports ADD COLUMN heartbeat_at TIMESTAMP;

-- +goose Down
ALTER TABLE imports DROP COLUMN heartbeat_at;

-- +goose Up
-- An account whose roles need a second factor (the watchdogs) may hold an
-- API token only if it issued the token itself after a fresh code of its
-- authenticator; such a token is marked, and it lasts a working day at most.
ALTER TABLE api_tokens ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN second_factor;

-- +goose Up
-- Resets of a sensitive account's password or second factor wait for a
-- second security administrator, like grants of sensitive roles: one
-- person alone cannot take such an account over (issue 10 review).
CREATE TABLE account_requests (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('password', 'mfa')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
    reason        TEXT NOT NULL DEFAULT '',
    requested_by  INTEGER REFERENCES users (id),
    requester     TEXT NOT NULL,
    requested_at  TIMESTAMP NOT NULL,
    decided_by    INTEGER REFERENCES users (id),
    decider       TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMP,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX account_requests_pending ON account_requests (user_id, kind) WHERE status = 'pending';

-- Sessions begun before the second factor existed would skip it.
DELETE FROM sessions;

-- +goose Down
DROP TABLE account_requests;

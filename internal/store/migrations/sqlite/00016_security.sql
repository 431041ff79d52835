-- +goose Up
-- 三员分立, the second factor, forced password changes, API token expiry,
-- sealed party links and the officer history of cases (issue 10).

-- A reset by an administrator forces a change at the next login; the
-- second factor is a TOTP secret sealed under the master key, the last
-- time step accepted (so that a code works once) and recovery codes.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN totp_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled_at TIMESTAMP;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

-- A session is 'mfa' between the password and the second factor, when it
-- reaches only the code and enrolment pages; totp_pending holds the sealed
-- secret shown for enrolment until a code confirms it.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full' CHECK (stage IN ('mfa', 'full'));
ALTER TABLE sessions ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';

-- Grants and withdrawals of roles by the security administrators. A grant
-- of a sensitive role stays 'pending' until a second security
-- administrator approves it.
CREATE TABLE role_grants (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role          TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('grant', 'revoke')),
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
CREATE UNIQUE INDEX role_grants_pending ON role_grants (user_id, role) WHERE status = 'pending';
CREATE INDEX role_grants_status ON role_grants (status, requested_at);

-- API tokens expire; those made before expiry existed get 90 days from
-- their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%d %H:%M:%f+00:00', created_at, '+90 days');

-- The token of a party's link is sealed for the sender; the stored text
-- shows the link masked. Links already in texts are taken out of them.
ALTER TABLE sms_outbox ADD COLUMN link_sealed TEXT NOT NULL DEFAULT '';
UPDATE sms_outbox SET body = substr(body, 1, instr(body, '也可打开 ') - 1) WHERE instr(body, '/v/') > 0 AND instr(body, '也可打开 ') > 0;

-- Every officer a case has had: return-visit answers stay sealed from all
-- of them, not only from the officer of the day.
CREATE TABLE case_officers (
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_officers_user ON case_officers (user_id);
INSERT INTO case_officers (case_id, user_id) SELECT id, officer_id FROM cases WHERE officer_id IS NOT NULL
    ON CONFLICT DO NOTHING;
INSERT INTO case_officers (case_id, user_id) SELECT DISTINCT case_id, officer_id FROM visits WHERE officer_id IS NOT NULL
    ON CONFLICT DO NOTHING;

-- +goose Down
DROP TABLE case_officers;
ALTER TABLE sms_outbox DROP COLUMN link_sealed;
ALTER TABLE api_tokens DROP COLUMN expires_at;
DROP TABLE role_grants;
ALTER TABLE sessions DROP COLUMN totp_pending;
ALTER TABLE sessions DROP COLUMN stage;
DROP TABLE recovery_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_sealed;
ALTER TABLE users DROP COLUMN must_change_password;

-- +goose Up
CREATE TABLE courts (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES courts (id),
    level       TEXT NOT NULL CHECK (level IN ('high', 'intermediate', 'basic')),
    path        TEXT NOT NULL UNIQUE,
    divisions   TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX courts_parent ON courts (parent_id);

CREATE TABLE departments (
    id        INTEGER PRIMARY KEY,
    court_id  INTEGER NOT NULL REFERENCES courts (id),
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    UNIQUE (court_id, name)
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL,
    name                TEXT NOT NULL,
    court_id            INTEGER NOT NULL REFERENCES courts (id),
    department_id       INTEGER NOT NULL REFERENCES departments (id),
    password_hash       TEXT NOT NULL,
    liaison             BOOLEAN NOT NULL DEFAULT FALSE,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    last_login_at       TIMESTAMP,
    password_changed_at TIMESTAMP NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
CREATE INDEX users_court ON users (court_id);

CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Failed logins are counted per name typed, whether or not such a user
-- exists, so that the lock-out message says nothing about existence.
CREATE TABLE login_failures (
    username_key  TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    locked_until  TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    remote_addr   TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP,
    revoked_at    TIMESTAMP
);

-- The audit trail: append-only, each record carrying the hash of the one
-- before it. seq is assigned from audit_head inside the writing transaction,
-- so the chain has no gaps and concurrent writers are serialised.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    actor_id     INTEGER,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action <> ''),
    object_type  TEXT NOT NULL DEFAULT '',
    object_id    TEXT NOT NULL DEFAULT '',
    court_path   TEXT NOT NULL DEFAULT '',
    remote_addr  TEXT NOT NULL DEFAULT '',
    success      BOOLEAN NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    alg          TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_court ON audit_log (court_path);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE login_failures;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE departments;
DROP TABLE courts;

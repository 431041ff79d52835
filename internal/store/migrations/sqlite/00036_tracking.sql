-- +goose Up
-- Mechanism 1, key-case tracking 重点案件跟踪 (issue 15).
--
-- candidate_reasons are why a case is a candidate 重点执行案件: one row per
-- scope and source (the flag, each complaint with a clear lead, the
-- petitions, each dissatisfied on-site return visit or 不如实报告 trip
-- review, each reason a body added), with the date it began to hold
-- (since_on) and the date it stopped (ended_on, NULL while it holds). The
-- daily refresh keeps at most one open row per (case_id, source_key), so
-- it may run any number of times; ended rows stay for history.
CREATE TABLE candidate_reasons (
    id          INTEGER PRIMARY KEY,
    court_id    INTEGER NOT NULL REFERENCES courts (id),
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    scope       TEXT NOT NULL CHECK (scope IN ('social_impact', 'public_opinion', 'complaint', 'petition', 'other')),
    source_key  TEXT NOT NULL,
    proposed    BOOLEAN NOT NULL DEFAULT FALSE,
    note        TEXT NOT NULL DEFAULT '',
    since_on    TEXT NOT NULL,
    ended_on    TEXT,
    added_role  TEXT NOT NULL DEFAULT '',
    added_by    TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX candidate_reasons_open ON candidate_reasons (case_id, source_key) WHERE ended_on IS NULL;
CREATE INDEX candidate_reasons_court ON candidate_reasons (court_id, ended_on);

-- trackings: one row per passage of a case through mechanism 1, from
-- candidate to closing (see internal/tracking, Step). Everything recorded
-- about the tracking hangs on trackings.id as tracking_id: the evaluation,
-- the consultation and its opinions, the co-leaders' decisions, the
-- working group, and (later) the group's records, interviews, findings,
-- recommendations and closing report. A case has at most one open
-- tracking; a new one starts only after the last one ended.
CREATE TABLE trackings (
    id               INTEGER PRIMARY KEY,
    court_id         INTEGER NOT NULL REFERENCES courts (id),
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    state            TEXT NOT NULL CHECK (state IN ('candidate', 'evaluated', 'declined', 'consulting', 'co_leaders',
                         'tracked', 'not_tracked', 'tracking', 'closed', 'lapsed')),
    candidate_since  TEXT NOT NULL,
    evaluated_at     TIMESTAMP,
    consulted_on     TEXT,
    decided_at       TIMESTAMP,
    decided_by       TEXT NOT NULL DEFAULT '',
    group_from       TEXT,
    group_to         TEXT,
    plan             TEXT NOT NULL DEFAULT '',
    started_at       TIMESTAMP,
    closed_at        TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX trackings_open ON trackings (case_id) WHERE state NOT IN ('not_tracked', 'closed', 'lapsed');
CREATE INDEX trackings_court ON trackings (court_id, state);

-- The bureau's 综合评估: the factors scored (JSON: [{"key","label","weight","score"}]),
-- the result and its reasoning. A re-evaluation adds a row; the latest counts.
CREATE TABLE tracking_evaluations (
    id           INTEGER PRIMARY KEY,
    tracking_id  INTEGER NOT NULL REFERENCES trackings (id),
    factors      TEXT NOT NULL DEFAULT '[]',
    total        INTEGER NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('track', 'decline')),
    reasoning    TEXT NOT NULL,
    by_id        INTEGER REFERENCES users (id),
    by_name      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX tracking_evaluations_tracking ON tracking_evaluations (tracking_id, at);

-- The consultation 会商 of the three bodies: one per tracking.
CREATE TABLE tracking_consultations (
    tracking_id        INTEGER PRIMARY KEY REFERENCES trackings (id),
    held_on            TEXT NOT NULL,
    place              TEXT NOT NULL DEFAULT '',
    bureau_people      TEXT NOT NULL,
    discipline_people  TEXT NOT NULL,
    supervision_people TEXT NOT NULL,
    minutes            TEXT NOT NULL,
    by_name            TEXT NOT NULL,
    at                 TIMESTAMP NOT NULL
);

-- Each body's 同意 / 不同意 at the consultation, entered by a user of that body.
CREATE TABLE tracking_opinions (
    tracking_id  INTEGER NOT NULL REFERENCES trackings (id),
    role         TEXT NOT NULL CHECK (role IN ('bureau', 'discipline_group', 'supervision_office')),
    agree        BOOLEAN NOT NULL,
    opinion      TEXT NOT NULL,
    by_id        INTEGER REFERENCES users (id),
    by_name      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (tracking_id, role)
);

-- The co-leaders' joint decision when the bodies did not all agree.
CREATE TABLE tracking_leader_decisions (
    tracking_id  INTEGER NOT NULL REFERENCES trackings (id),
    post         TEXT NOT NULL CHECK (post IN ('bureau_leader', 'discipline_leader')),
    track        BOOLEAN NOT NULL,
    reason       TEXT NOT NULL,
    by_id        INTEGER REFERENCES users (id),
    by_name      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (tracking_id, post)
);

-- The working group 工作小组: members sent by each body, one leader.
CREATE TABLE tracking_members (
    tracking_id  INTEGER NOT NULL REFERENCES trackings (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    role         TEXT NOT NULL CHECK (role IN ('bureau', 'discipline_group', 'supervision_office')),
    leader       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tracking_id, user_id)
);
CREATE INDEX tracking_members_user ON tracking_members (user_id);

-- +goose Down
DROP TABLE tracking_members;
DROP TABLE tracking_leader_decisions;
DROP TABLE tracking_opinions;
DROP TABLE tracking_consultations;
DROP TABLE tracking_evaluations;
DROP TABLE trackings;
DROP TABLE candidate_reasons;

-- +goose Up
-- Special inspections 专项督察评查 (mechanism 3, issue 16): campaigns of a
-- working group of the three bodies, versioned checklists, provable case
-- samples, review sheets, findings and what follows them. Dates are
-- YYYY-MM-DD text, as elsewhere.

-- Checklist templates: each edit is a new version under the same key; a
-- campaign points at the version it froze. court_id is the court whose
-- group edited it; NULL for the versions the program ships.
CREATE TABLE inspection_checklists (
    id           INTEGER PRIMARY KEY,
    template_key TEXT NOT NULL,
    version      INTEGER NOT NULL,
    theme        TEXT NOT NULL,
    name         TEXT NOT NULL,
    court_id     INTEGER REFERENCES courts (id),
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (template_key, version)
);

CREATE TABLE inspection_checklist_items (
    checklist_id INTEGER NOT NULL REFERENCES inspection_checklists (id),
    seq          INTEGER NOT NULL,
    title        TEXT NOT NULL,
    points       INTEGER NOT NULL,
    deduction    TEXT NOT NULL,
    basis        TEXT NOT NULL,
    PRIMARY KEY (checklist_id, seq)
);

-- A campaign; schedule ('', quarterly, half_yearly, yearly) repeats it
-- from itself as the template on next_on; made_from names the campaign a
-- scheduled one was made from.
CREATE TABLE inspection_campaigns (
    id            INTEGER PRIMARY KEY,
    court_id      INTEGER NOT NULL REFERENCES courts (id),
    kind          TEXT NOT NULL CHECK (kind IN ('supervision', 'patrol', 'case_review')),
    theme         TEXT NOT NULL,
    theme_name    TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    period_from   TEXT NOT NULL,
    period_to     TEXT NOT NULL,
    plan          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'prep' CHECK (state IN ('prep', 'active', 'summary', 'rectify', 'done')),
    checklist_id  INTEGER REFERENCES inspection_checklists (id),
    per_court     INTEGER NOT NULL DEFAULT 5,
    th_excellent  INTEGER NOT NULL DEFAULT 90,
    th_pass       INTEGER NOT NULL DEFAULT 75,
    th_flaw       INTEGER NOT NULL DEFAULT 60,
    answer_days   INTEGER NOT NULL DEFAULT 7,
    schedule      TEXT NOT NULL DEFAULT '',
    next_on       TEXT,
    made_from     INTEGER REFERENCES inspection_campaigns (id),
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX inspection_campaigns_court ON inspection_campaigns (court_id, state);

CREATE TABLE inspection_scope (
    campaign_id INTEGER NOT NULL REFERENCES inspection_campaigns (id),
    court_id    INTEGER NOT NULL REFERENCES courts (id),
    department  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, court_id, department)
);
CREATE INDEX inspection_scope_court ON inspection_scope (court_id);

CREATE TABLE inspection_members (
    campaign_id INTEGER NOT NULL REFERENCES inspection_campaigns (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    leader      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX inspection_members_user ON inspection_members (user_id);

-- One provable draw per court of a case review: the population (case
-- numbers, one a line, sorted), its hash, the seed and its commitment.
CREATE TABLE inspection_draws (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES inspection_campaigns (id),
    court_id        INTEGER NOT NULL REFERENCES courts (id),
    method          TEXT NOT NULL,
    seed            TEXT NOT NULL,
    commitment      TEXT NOT NULL,
    population      TEXT NOT NULL,
    population_hash TEXT NOT NULL,
    size            INTEGER NOT NULL,
    drawn_by        TEXT NOT NULL,
    drawn_at        TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, court_id)
);

-- What is checked: a case (drawn or picked with a reason) or a unit, its
-- reviewer, and the sheet's result.
CREATE TABLE inspection_targets (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES inspection_campaigns (id),
    court_id      INTEGER NOT NULL REFERENCES courts (id),
    case_id       INTEGER REFERENCES cases (id),
    case_no       TEXT NOT NULL DEFAULT '',
    department    TEXT NOT NULL DEFAULT '',
    officer_id    INTEGER REFERENCES users (id),
    officer       TEXT NOT NULL DEFAULT '',
    how           TEXT NOT NULL CHECK (how IN ('drawn', 'picked', 'unit')),
    reason        TEXT NOT NULL DEFAULT '',
    reviewer_id   INTEGER REFERENCES users (id),
    no_conflict   TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'submitted', 'rechecked')),
    score         INTEGER NOT NULL DEFAULT 0,
    grade         TEXT NOT NULL DEFAULT '',
    onsite        TEXT NOT NULL DEFAULT '',
    recheck_note  TEXT NOT NULL DEFAULT '',
    rechecked_by  TEXT NOT NULL DEFAULT '',
    submitted_at  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX inspection_targets_campaign ON inspection_targets (campaign_id, court_id);
CREATE INDEX inspection_targets_reviewer ON inspection_targets (reviewer_id, state);

CREATE TABLE inspection_marks (
    target_id INTEGER NOT NULL REFERENCES inspection_targets (id),
    seq       INTEGER NOT NULL,
    deduction INTEGER NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    evidence  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (target_id, seq)
);

-- A finding: about a court, department, officer and case; answered by the
-- officer within answer_due; kept or withdrawn by the group; followed by a
-- rectification (source_kind 'inspection') or a clue.
CREATE TABLE inspection_findings (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES inspection_campaigns (id),
    target_id    INTEGER REFERENCES inspection_targets (id),
    court_id     INTEGER NOT NULL REFERENCES courts (id),
    department   TEXT NOT NULL DEFAULT '',
    officer_id   INTEGER REFERENCES users (id),
    case_no      TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL,
    severity     TEXT NOT NULL CHECK (severity IN ('minor', 'general', 'serious')),
    text         TEXT NOT NULL,
    answer_due   TEXT NOT NULL,
    answer       TEXT NOT NULL DEFAULT '',
    answered_at  TIMESTAMP,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'kept', 'withdrawn')),
    reason       TEXT NOT NULL DEFAULT '',
    decided_by   TEXT NOT NULL DEFAULT '',
    rect_id      INTEGER REFERENCES rectifications (id),
    clue_id      INTEGER REFERENCES clues (id),
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX inspection_findings_campaign ON inspection_findings (campaign_id, court_id);
CREATE INDEX inspection_findings_officer ON inspection_findings (officer_id);

-- +goose Down
DROP TABLE inspection_findings;
DROP TABLE inspection_marks;
DROP TABLE inspection_targets;
DROP TABLE inspection_draws;
DROP TABLE inspection_members;
DROP TABLE inspection_scope;
DROP TABLE inspection_campaigns;
DROP TABLE inspection_checklist_items;
DROP TABLE inspection_checklists;

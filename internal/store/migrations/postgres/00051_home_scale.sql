-- +goose Up
-- Issue 19: the home page answers from indexes. A court's to-do visits of
-- one step come in deadline order straight from this index (the subtree's
-- from visits_step), instead of sorting every open visit per request.
CREATE INDEX visits_todo ON visits (court_id, step, due_at, id);

-- Focused visits are paced (issue 19): the scan queues what it finds, and
-- each day a court's capacity of the most urgent cases becomes visits.
-- One row per case, criterion and event (since: the event's day, '' when
-- unknown); released_on is the day it became a visit, NULL while waiting.
CREATE TABLE visit_focus_queue (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    reason      TEXT NOT NULL,
    since       TEXT NOT NULL DEFAULT '',
    court_id    BIGINT NOT NULL REFERENCES courts (id),
    urgency     INTEGER NOT NULL,
    filed_on    TEXT NOT NULL DEFAULT '',
    queued_at   TIMESTAMPTZ NOT NULL,
    released_on TEXT,
    PRIMARY KEY (case_id, reason, since)
);
CREATE INDEX visit_focus_queue_next ON visit_focus_queue (court_id, released_on, urgency, filed_on, case_id);

-- +goose Down
DROP TABLE visit_focus_queue;
DROP INDEX visits_todo;

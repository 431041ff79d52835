-- +goose Up
-- Visit counts by month, court and kind, kept in the transaction of every
-- change to a visit: the statistics by court and by month read these few
-- rows instead of every visit of the years asked for.
CREATE TABLE visit_rollup (
    month         TEXT NOT NULL,
    court_id      BIGINT NOT NULL REFERENCES courts (id),
    kind          TEXT NOT NULL,
    visits        INTEGER NOT NULL DEFAULT 0,
    sms_sent      INTEGER NOT NULL DEFAULT 0,
    replied       INTEGER NOT NULL DEFAULT 0,
    closed        INTEGER NOT NULL DEFAULT 0,
    satisfied     INTEGER NOT NULL DEFAULT 0,
    dissatisfied  INTEGER NOT NULL DEFAULT 0,
    phone         INTEGER NOT NULL DEFAULT 0,
    consult       INTEGER NOT NULL DEFAULT 0,
    onsite        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, court_id, kind)
);
INSERT INTO visit_rollup (month, court_id, kind, visits, sms_sent, replied, closed, satisfied, dissatisfied, phone, consult, onsite)
SELECT month, court_id, kind, COUNT(*),
    SUM(CASE WHEN sms_sent THEN 1 ELSE 0 END), SUM(CASE WHEN replied THEN 1 ELSE 0 END),
    SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END),
    SUM(CASE WHEN satisfied THEN 1 ELSE 0 END), SUM(CASE WHEN NOT satisfied THEN 1 ELSE 0 END),
    SUM(CASE WHEN reached_phone THEN 1 ELSE 0 END), SUM(CASE WHEN reached_consult THEN 1 ELSE 0 END),
    SUM(CASE WHEN reached_onsite THEN 1 ELSE 0 END)
FROM visits GROUP BY month, court_id, kind;

-- The 附件3 counts count a visit once however many answers it has: the
-- index carries the visit.
DROP INDEX visit_answers_stats;
CREATE INDEX visit_answers_stats ON visit_answers (month, court_id, satisfied, officer_id, visit_id, categories, items);

-- +goose Down
DROP INDEX visit_answers_stats;
CREATE INDEX visit_answers_stats ON visit_answers (month, court_id, satisfied, officer_id, categories, items);
DROP TABLE visit_rollup;

-- +goose Up
-- Covering indexes for the statistics page: the grouped counts read the
-- index alone, and the 附件3 item counts read answers by month and court
-- without touching the visits.
CREATE INDEX visits_stats ON visits (month, court_id, kind, officer_id, department_id, sms_sent, replied, satisfied,
    reached_phone, reached_consult, reached_onsite, closed_at);
ALTER TABLE visit_answers ADD COLUMN month TEXT NOT NULL DEFAULT '';
ALTER TABLE visit_answers ADD COLUMN court_id BIGINT;
ALTER TABLE visit_answers ADD COLUMN officer_id BIGINT;
CREATE INDEX visit_answers_stats ON visit_answers (month, court_id, satisfied, officer_id, categories, items);

-- +goose Down
DROP INDEX visit_answers_stats;
ALTER TABLE visit_answers DROP COLUMN officer_id;
ALTER TABLE visit_answers DROP COLUMN court_id;
ALTER TABLE visit_answers DROP COLUMN month;
DROP INDEX visits_stats;

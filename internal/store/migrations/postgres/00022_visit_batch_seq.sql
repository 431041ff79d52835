-- +goose Up
-- Return visits exact to the seed (issue 13).
-- A court and month may be drawn more than once: the first draw (kind
-- 'daily', seq 0) and supplementary draws (补充抽取, kind 'supplement', seq
-- 1, 2 …) over the cases whose closing reached the system after the month
-- was drawn. Each batch records the case types and closing modes its
-- population was taken by ('' on batches drawn before this rule).
ALTER TABLE visit_batches DROP CONSTRAINT visit_batches_court_id_month_kind_key;
ALTER TABLE visit_batches ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visit_batches ADD COLUMN case_types TEXT NOT NULL DEFAULT '';
ALTER TABLE visit_batches ADD COLUMN closing_modes TEXT NOT NULL DEFAULT '';
ALTER TABLE visit_batches ADD CONSTRAINT visit_batches_court_month_seq UNIQUE (court_id, month, seq);

-- +goose Down
ALTER TABLE visit_batches DROP CONSTRAINT visit_batches_court_month_seq;
DELETE FROM visit_batches WHERE seq > 0;
ALTER TABLE visit_batches DROP COLUMN closing_modes;
ALTER TABLE visit_batches DROP COLUMN case_types;
ALTER TABLE visit_batches DROP COLUMN seq;
ALTER TABLE visit_batches ADD CONSTRAINT visit_batches_court_id_month_kind_key UNIQUE (court_id, month, kind);

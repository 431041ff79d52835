-- +goose Up
-- A higher court's 督办 marked on the case page (issue 13, point 6): the
-- document number and a note beside the supervising court and date.
ALTER TABLE cases ADD COLUMN supervised_doc TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN supervised_note TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE cases DROP COLUMN supervised_note;
ALTER TABLE cases DROP COLUMN supervised_doc;
